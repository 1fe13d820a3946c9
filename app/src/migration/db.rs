//! SQL of the migration import: its records (for idempotent re-runs), the organisations and
//! past orders it writes, the home-counter offsets and the staff page's stored runs.

use crate::db::{DbTx, Timestamp, new_id};
use crate::migration::model::{LineRecord, OrderRecord, OrganisationRecord};
use crate::on_tx;
use std::collections::HashMap;

/// The instant a Belgian day starts: imported dates are days.
pub fn day_start(day: chrono::NaiveDate) -> Timestamp {
    domain::calendar::business_day_start(day)
}

/// What an earlier run made of a legacy record: (entity id, digest).
pub async fn record(tx: &mut DbTx, kind: &str, key: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select entity_id, digest from migration_record where kind = $1 and legacy_key = $2"
    )
    .bind(kind)
    .bind(key)
    .fetch_optional(conn)
    .await)
}

/// Stores (or replaces) what the run made of a legacy record.
pub async fn save_record(
    tx: &mut DbTx,
    kind: &str,
    key: &str,
    entity_id: &str,
    digest: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into migration_record (kind, legacy_key, entity_id, digest, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $5) on conflict (kind, legacy_key) do update set \
         entity_id = excluded.entity_id, digest = excluded.digest, updated_at = excluded.updated_at"
    )
    .bind(kind)
    .bind(key)
    .bind(entity_id)
    .bind(digest)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Rewrites an imported organisation's registration data from the files.
pub async fn update_organisation(
    tx: &mut DbTx,
    id: &str,
    o: &OrganisationRecord,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update organisation set legal_name = $2, legal_form = $3, country = $4, enterprise_number = $5, street = $6, \
         postal_code = $7, city = $8, contact_email = $9, mission_category = $10, eligibility_status = $11, \
         vat_status = $12, vat_number = $13, language = $14, updated_at = $15 where organisation_id = $1"
    )
    .bind(id)
    .bind(&o.legal_name)
    .bind(o.legal_form.as_str())
    .bind(o.country.as_str())
    .bind(o.enterprise_number.as_str())
    .bind(&o.street)
    .bind(&o.postal_code)
    .bind(&o.city)
    .bind(&o.contact_email)
    .bind(&o.mission_category)
    .bind(o.eligibility.as_str())
    .bind(o.vat_status.as_str())
    .bind(o.vat_number.as_deref())
    .bind(&o.language)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The organisation holding an enterprise number, if any.
pub async fn organisation_with_number(tx: &mut DbTx, number: &str) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select organisation_id from organisation where enterprise_number = $1"
    )
    .bind(number)
    .fetch_optional(conn)
    .await)
}

/// The person with this e-mail address, if any.
pub async fn person_with_email(tx: &mut DbTx, email: &str) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select person_id from person where email = $1"
    )
    .bind(email)
    .fetch_optional(conn)
    .await)
}

/// A free username built on `base` (`base`, `base2`, `base3`…), asking for each candidate
/// exactly: `org::db::free_username` reads every username that starts like `base`, which
/// SQLite's case-insensitive `like` cannot take from the index — a scan of every person for
/// each of 40,000 migrated people made the benchmark's import quadratic.
pub async fn free_username(tx: &mut DbTx, base: &str) -> Result<String, sqlx::Error> {
    let mut candidate = base.to_owned();
    for n in 2.. {
        let taken: Option<String> = on_tx!(tx, |conn| sqlx::query_scalar(
            "select person_id from person where username = $1"
        )
        .bind(&candidate)
        .fetch_optional(conn)
        .await)?;
        if taken.is_none() {
            break;
        }
        candidate = format!("{base}{n}");
    }
    Ok(candidate)
}

/// Whether the person is already a member (or the holder) of the organisation.
pub async fn is_member(tx: &mut DbTx, organisation_id: &str, person_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select role from membership where organisation_id = $1 and person_id = $2"
    )
    .bind(organisation_id)
    .bind(person_id)
    .fetch_optional(conn)
    .await)?;
    Ok(found.is_some())
}

/// Whether the organisation already has an account holder.
pub async fn has_holder(tx: &mut DbTx, organisation_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select person_id from membership where organisation_id = $1 and role = 'account_holder'"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)?;
    Ok(found.is_some())
}

/// An order with this reference: (order id, organisation id, imported).
pub async fn order_with_reference(
    tx: &mut DbTx,
    reference: &str,
) -> Result<Option<(String, String, bool)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select order_id, organisation_id, imported_at is not null from purchase_order where reference = $1"
    )
    .bind(reference)
    .fetch_optional(conn)
    .await)
}

/// The commercial value of every product (cents), copied onto imported lines as checkout
/// copies it.
pub async fn commercial_values(tx: &mut DbTx) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = on_tx!(tx, |conn| sqlx::query_as(
        "select product_id, commercial_value_cents from product"
    )
    .fetch_all(conn)
    .await)?;
    Ok(rows.into_iter().collect())
}

/// Every partner's id.
pub async fn partner_ids(tx: &mut DbTx) -> Result<Vec<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select partner_id from partner order by partner_id"
    )
    .fetch_all(conn)
    .await)
}

/// A past order, as the old programme left it: its legacy reference, statuses and days; no
/// checkout and no invoice.
pub async fn insert_order(
    tx: &mut DbTx,
    organisation_id: &str,
    order: &OrderRecord,
    now: Timestamp,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into purchase_order (order_id, reference, organisation_id, category, status, submitted_at, \
         validated_at, fulfilled_at, imported_at, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9)"
    )
    .bind(&id)
    .bind(&order.reference)
    .bind(organisation_id)
    .bind(order.category.as_str())
    .bind(order.status.as_str())
    .bind(day_start(order.submitted_on))
    .bind(order.validated_on.map(day_start))
    .bind(order.fulfilled_on.map(day_start))
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// Rewrites an imported order's header from the files; its lines are replaced separately.
pub async fn update_order(
    tx: &mut DbTx,
    order_id: &str,
    order: &OrderRecord,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update purchase_order set category = $2, status = $3, submitted_at = $4, validated_at = $5, \
         fulfilled_at = $6, updated_at = $7 where order_id = $1"
    )
    .bind(order_id)
    .bind(order.category.as_str())
    .bind(order.status.as_str())
    .bind(day_start(order.submitted_on))
    .bind(order.validated_on.map(day_start))
    .bind(order.fulfilled_on.map(day_start))
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Removes an imported order's lines before they are written again.
pub async fn delete_lines(tx: &mut DbTx, order_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query("delete from order_line where order_id = $1")
        .bind(order_id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Lines written per statement: 12 parameters each, well under both engines' limits.
const LINES_PER_INSERT: usize = 50;

/// The order's lines, a few statements for all of them. A cancelled line is dated by its
/// order's validation (or submission) day.
pub async fn insert_lines(
    tx: &mut DbTx,
    organisation_id: &str,
    order_id: &str,
    order: &OrderRecord,
    values: &HashMap<String, i64>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let cancelled_at = day_start(order.validated_on.unwrap_or(order.submitted_on));
    for chunk in order.lines.chunks(LINES_PER_INSERT) {
        let placeholders: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * 12;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5,
                    n + 6,
                    n + 7,
                    n + 8,
                    n + 9,
                    n + 10,
                    n + 11,
                    n + 12
                )
            })
            .collect();
        let sql = format!(
            "insert into order_line (order_line_id, order_id, product_id, quantity, admin_fee_cents, \
             commercial_value_cents, named_user, aws_account_id, organisation_id, cancelled_at, refunded_at, \
             created_at) values {}",
            placeholders.join(", ")
        );
        let bind_line = |l: &LineRecord| {
            (
                new_id(),
                l.product_id.clone(),
                i32::try_from(l.quantity).unwrap_or(i32::MAX),
                l.fee_cents,
                values.get(&l.product_id).copied().unwrap_or(0).max(0),
                l.named_user.clone(),
                l.aws_account_id.clone(),
                l.cancelled.then_some(cancelled_at),
            )
        };
        let rows: Vec<_> = chunk.iter().map(bind_line).collect();
        let refunded = (order.status == crate::order::model::OrderStatus::Refunded).then_some(cancelled_at);
        on_tx!(tx, |conn| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (id, product_id, quantity, fee, value, named_user, aws, cancelled) in &rows {
                query = query
                    .bind(id)
                    .bind(order_id)
                    .bind(product_id)
                    .bind(*quantity)
                    .bind(*fee)
                    .bind(*value)
                    .bind(named_user.as_deref())
                    .bind(aws.as_deref())
                    .bind(organisation_id)
                    .bind(*cancelled)
                    .bind(refunded)
                    .bind(now);
            }
            query.execute(conn).await.map(|done| done.rows_affected())
        })?;
    }
    Ok(())
}

/// A home counter's offset, if one was set.
pub async fn counter_offset(tx: &mut DbTx, name: &str) -> Result<Option<i64>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select value from counter_offset where name = $1"
    )
    .bind(name)
    .fetch_optional(conn)
    .await)
}

/// Sets a home counter's offset.
pub async fn set_counter_offset(tx: &mut DbTx, name: &str, value: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into counter_offset (name, value, updated_at) values ($1, $2, $3) \
         on conflict (name) do update set value = excluded.value, updated_at = excluded.updated_at"
    )
    .bind(name)
    .bind(value)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Stores a run of the staff page: its mode, files and report.
pub async fn insert_run(
    tx: &mut DbTx,
    mode: &str,
    source_run_id: Option<&str>,
    files_json: &str,
    report_json: &str,
    created_by: &str,
    now: Timestamp,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into migration_run (migration_run_id, mode, source_run_id, files_json, report_json, created_by, \
         created_at) values ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(&id)
    .bind(mode)
    .bind(source_run_id)
    .bind(files_json)
    .bind(report_json)
    .bind(created_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// A stored run: (mode, files JSON, report JSON, created at, the import made from it).
pub type StoredRun = (String, String, String, Timestamp, Option<String>);

pub async fn run(tx: &mut DbTx, run_id: &str) -> Result<Option<StoredRun>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select r.mode, r.files_json, r.report_json, r.created_at, \
         (select i.migration_run_id from migration_run i where i.source_run_id = r.migration_run_id \
          order by i.created_at limit 1) from migration_run r where r.migration_run_id = $1"
    )
    .bind(run_id)
    .fetch_optional(conn)
    .await)
}
