//! Server functions of the cart. Members of an organisation read and change its cart.

use crate::cart::model::CartItem;
use crate::error::AppError;
use crate::quota::model::CartInput;
use leptos::prelude::*;

/// The caller's organisation's cart. Members.
#[server(prefix = "/api", endpoint = "load_cart")]
pub async fn load_cart() -> Result<Vec<CartItem>, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        let mut tx = state.db.begin_read().await?;
        let items = crate::cart::db::load(&mut tx, &organisation_id).await?;
        tx.commit().await?;
        Ok(items)
    }
    .await;
    crate::error::with_status(result)
}

/// Stores the cart as the page holds it (every line, in order). Members. A line naming an
/// unknown, inactive or validation-only product, a quantity outside 1–999 or an over-long text
/// refuses the whole request with the line's field (`lines[2].quantity`), and nothing is stored.
#[server(prefix = "/api", endpoint = "save_cart")]
pub async fn save_cart(lines: Vec<CartInput>) -> Result<(), AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        if lines.len() > crate::cart::model::MAX_LINES {
            return Err(AppError::field("lines", "too_many_lines"));
        }
        let mut tx = state.db.begin().await?;
        let resolved = resolve(&mut tx, lines).await?;
        let lines: Vec<(String, CartInput)> = resolved.into_iter().map(|(p, line)| (p.product_id, line)).collect();
        crate::cart::db::replace(&mut tx, &organisation_id, &lines, crate::db::now()).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// "Ajouter au panier" from the catalogue: `quantity` units of the product `slug`. Members of
/// an organisation qualified for the product's partner; the cart's meter judges the rest.
#[server(prefix = "/api", endpoint = "add_to_cart")]
pub async fn add_to_cart(slug: String, quantity: u32) -> Result<(), AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        let line = CartInput {
            slug,
            quantity,
            ..CartInput::default()
        };
        let mut tx = state.db.begin().await?;
        let resolved = resolve(&mut tx, vec![line]).await?;
        let Some((product, line)) = resolved.into_iter().next() else {
            return Err(AppError::NotFound);
        };
        let standing = crate::quota::db::standing(&mut tx, &organisation_id).await?;
        if !standing.is_some_and(|(_, s)| s.qualified.contains(&product.partner_id)) {
            return Err(AppError::field("slug", "not_qualified"));
        }
        if crate::cart::db::count(&mut tx, &organisation_id).await? >= crate::cart::model::MAX_LINES as i64 {
            return Err(AppError::field("lines", "too_many_lines"));
        }
        crate::cart::db::add(
            &mut tx,
            &organisation_id,
            &product.product_id,
            line.quantity,
            crate::db::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Each line with its product, after the checks of
/// [`check_line`](crate::cart::model::check_line); the first bad line refuses them all.
#[cfg(feature = "ssr")]
pub async fn resolve(
    tx: &mut crate::db::DbTx,
    lines: Vec<CartInput>,
) -> Result<Vec<(crate::quota::model::LineProduct, CartInput)>, AppError> {
    use crate::catalog::model::ProductKind;
    let products = crate::quota::db::all_products(tx).await?;
    let mut resolved = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        let product = products
            .iter()
            .find(|(active, p)| *active && p.slug == line.slug && p.product.kind != ProductKind::ValidationOnly)
            .map(|(_, p)| p)
            .ok_or_else(|| AppError::field(format!("lines[{i}].slug"), "unknown_product"))?;
        crate::cart::model::check_line(&line, product.product.partner_id == "zoom")
            .map_err(|(field, code)| AppError::field(format!("lines[{i}].{field}"), code))?;
        resolved.push((product.product.clone(), line));
    }
    Ok(resolved)
}
