//! SQL of the staff dashboard: queue counts and the dated rows its charts bucket by month.
//! Months are counted in Rust from the timestamps, so the SQL stays the same on both engines.

use crate::db::{Db, Timestamp};
use crate::on_pool;

/// How many rows `sql` (a `select count(*) …` without parameters) counts.
async fn count(db: &Db, sql: &'static str) -> Result<i64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await)
}

/// Requests waiting for staff: (change requests, refund requests).
pub async fn requests_to_answer(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    Ok((
        count(db, "select count(*) from change_request where status = 'pending'").await?,
        count(db, "select count(*) from refund_request where status = 'pending'").await?,
    ))
}

/// When each organisation registered, since `from`.
pub async fn registrations_since(db: &Db, from: Timestamp) -> Result<Vec<Timestamp>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar::<_, Timestamp>(
        "select created_at from organisation where created_at >= $1"
    )
    .bind(from)
    .fetch_all(pool)
    .await)
}

/// When each order was submitted, since `from`.
pub async fn orders_since(db: &Db, from: Timestamp) -> Result<Vec<Timestamp>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar::<_, Timestamp>(
        "select submitted_at from purchase_order where submitted_at >= $1"
    )
    .bind(from)
    .fetch_all(pool)
    .await)
}

/// Each order fulfilled since `from`: when, and what it saved (commercial value − fee of its
/// lines still standing), as the home counter counts it.
pub async fn savings_since(db: &Db, from: Timestamp) -> Result<Vec<(Timestamp, i64)>, sqlx::Error> {
    on_pool!(db, |pool| {
        sqlx::query_as::<_, (Timestamp, i64)>(
        "select o.fulfilled_at, cast(coalesce(sum((l.commercial_value_cents - l.admin_fee_cents) * l.quantity), 0) as bigint) \
         from purchase_order o join order_line l on l.order_id = o.order_id \
         where o.status = 'fulfilled' and o.fulfilled_at >= $1 and l.cancelled_at is null and l.refunded_at is null \
         group by o.order_id, o.fulfilled_at"
    )
    .bind(from)
    .fetch_all(pool)
    .await
    })
}

/// A shared figure `name` for cache period `period`, as JSON, if an instance computed it.
pub async fn shared_figure(db: &Db, name: &str, period: i64) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar::<_, String>(
        "select value_json from aggregate_figure where name = $1 and period = $2"
    )
    .bind(name)
    .bind(period)
    .fetch_optional(pool)
    .await)
}

/// Stores figure `name` for `period` unless another instance stored it first (its value
/// then stays: everyone reads the first one), and forgets the older periods.
pub async fn store_shared_figure(
    db: &Db,
    name: &str,
    period: i64,
    value_json: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "insert into aggregate_figure (name, period, value_json, computed_at) values ($1, $2, $3, $4) \
         on conflict (name, period) do nothing"
    )
    .bind(name)
    .bind(period)
    .bind(value_json)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    on_pool!(db, |pool| sqlx::query(
        "delete from aggregate_figure where name = $1 and period < $2"
    )
    .bind(name)
    .bind(period)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Every home-counter offset: name → value.
pub async fn counter_offsets(db: &Db) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = on_pool!(db, |pool| sqlx::query_as("select name, value from counter_offset")
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().collect())
}
