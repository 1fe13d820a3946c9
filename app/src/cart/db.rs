//! SQL for the cart.

use crate::cart::model::{CartItem, MAX_QUANTITY};
use crate::db::{DbTx, Timestamp, new_id};
use crate::on_tx;
use crate::quota::model::CartInput;

/// The organisation's cart lines, oldest first.
pub async fn load(tx: &mut DbTx, organisation_id: &str) -> Result<Vec<CartItem>, sqlx::Error> {
    type Row = (String, String, i64, String, String, String, String);
    let rows: Vec<Row> = on_tx!(tx, |conn| sqlx::query_as(
        "select c.cart_line_id, p.slug, cast(c.quantity as bigint), c.aws_account_id, c.aws_account_name, \
         c.named_user, c.zoom_addons from cart_line c join product p on p.product_id = c.product_id \
         where c.organisation_id = $1 order by c.created_at, c.cart_line_id"
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, quantity, aws_account_id, aws_account_name, named_user, addons)| CartItem {
                id,
                input: CartInput {
                    slug,
                    quantity: u32::try_from(quantity).unwrap_or(0),
                    aws_account_id,
                    aws_account_name,
                    named_user,
                    zoom_addons: addons.split(',').filter(|a| !a.is_empty()).map(str::to_owned).collect(),
                },
            },
        )
        .collect())
}

/// Replaces the whole cart with `lines` (product id, line), keeping their order.
pub async fn replace(
    tx: &mut DbTx,
    organisation_id: &str,
    lines: &[(String, CartInput)],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    clear(tx, organisation_id).await?;
    for (position, (product_id, line)) in lines.iter().enumerate() {
        // created_at keeps the order: one microsecond per position.
        let at = now + chrono::Duration::microseconds(i64::try_from(position).unwrap_or(0));
        insert(tx, organisation_id, product_id, line, at).await?;
    }
    Ok(())
}

async fn insert(
    tx: &mut DbTx,
    organisation_id: &str,
    product_id: &str,
    line: &CartInput,
    at: Timestamp,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into cart_line (cart_line_id, organisation_id, product_id, quantity, aws_account_id, \
         aws_account_name, named_user, zoom_addons, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(product_id)
    .bind(i64::from(line.quantity))
    .bind(line.aws_account_id.trim())
    .bind(line.aws_account_name.trim())
    .bind(line.named_user.trim())
    .bind(line.zoom_addons.join(","))
    .bind(at)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// "Ajouter au panier": adds `quantity` to the product's plain line, or a new line when the
/// product has none yet (or only lines with their own details, such as a named user).
pub async fn add(
    tx: &mut DbTx,
    organisation_id: &str,
    product_id: &str,
    quantity: u32,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let updated = on_tx!(tx, |conn| {
        sqlx::query(
        "update cart_line set quantity = case when quantity + $3 > $4 then $4 else quantity + $3 end, updated_at = $5 \
         where cart_line_id = (select cart_line_id from cart_line where organisation_id = $1 and product_id = $2 \
         and aws_account_id = '' and aws_account_name = '' and named_user = '' and zoom_addons = '' \
         order by created_at limit 1)"
    )
    .bind(organisation_id)
    .bind(product_id)
    .bind(i64::from(quantity))
    .bind(i64::from(MAX_QUANTITY))
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    if updated == 0 {
        let line = CartInput {
            quantity,
            ..CartInput::default()
        };
        insert(tx, organisation_id, product_id, &line, now).await?;
    }
    Ok(())
}

/// Empties the cart (after checkout, or before [`replace`]).
pub async fn clear(tx: &mut DbTx, organisation_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "delete from cart_line where organisation_id = $1"
    )
    .bind(organisation_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// How many lines the cart holds.
pub async fn count(tx: &mut DbTx, organisation_id: &str) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar::<_, i64>(
        "select count(*) from cart_line where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_one(conn)
    .await)
}
