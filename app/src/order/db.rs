//! SQL for orders and order lines.

use crate::db::{Db, DbTx, new_id};
use crate::on_pool;
use crate::on_tx;
use crate::order::model::{OrderCategory, OrderStatus};
use chrono::{DateTime, Utc};

/// A new order header.
pub struct NewOrder<'a> {
    pub reference: &'a str,
    pub organisation_id: &'a str,
    pub category: OrderCategory,
    pub status: OrderStatus,
    pub submitted_at: DateTime<Utc>,
    pub validated_at: Option<DateTime<Utc>>,
}

pub async fn insert_order(tx: &mut DbTx, order: &NewOrder<'_>, now: DateTime<Utc>) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into purchase_order (order_id, reference, organisation_id, category, status, submitted_at, \
         validated_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
    )
    .bind(&id)
    .bind(order.reference)
    .bind(order.organisation_id)
    .bind(order.category.as_str())
    .bind(order.status.as_str())
    .bind(order.submitted_at)
    .bind(order.validated_at)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// Adds a line, copying the product's current fee and value and the order's organisation onto it. `named_user`: the
/// person a Creative Cloud subscription is for.
pub async fn insert_order_line(
    tx: &mut DbTx,
    order_id: &str,
    product_id: &str,
    quantity: i32,
    named_user: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into order_line (order_line_id, order_id, product_id, quantity, admin_fee_cents, \
         commercial_value_cents, named_user, organisation_id, created_at) \
         select $1, o.order_id, p.product_id, $4, p.admin_fee_cents, p.commercial_value_cents, $5, \
         o.organisation_id, $6 from product p join purchase_order o on o.order_id = $2 \
         where p.product_id = $3"
    )
    .bind(&id)
    .bind(order_id)
    .bind(product_id)
    .bind(quantity)
    .bind(named_user)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))
    .and_then(|rows| {
        if rows == 1 {
            Ok(())
        } else {
            Err(sqlx::Error::RowNotFound)
        }
    })?;
    Ok(id)
}

/// Totals over fulfilled orders, for the home page counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct FulfilledTotals {
    /// Σ (commercial value − administrative fee) × quantity.
    pub saved_cents: i64,
    /// Σ quantity.
    pub products: i64,
}

pub async fn fulfilled_totals(db: &Db) -> Result<FulfilledTotals, sqlx::Error> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both backends return a 64-bit integer.
    on_pool!(db, |pool| {
        sqlx::query_as::<_, FulfilledTotals>(
        "select cast(coalesce(sum((l.commercial_value_cents - l.admin_fee_cents) * l.quantity), 0) as bigint) as saved_cents, \
                cast(coalesce(sum(l.quantity), 0) as bigint) as products \
         from order_line l join purchase_order o on o.order_id = l.order_id \
         where o.status = 'fulfilled'"
    )
    .fetch_one(pool)
    .await
    })
}
