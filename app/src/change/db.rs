//! SQL of change requests.

use crate::change::model::{ChangeDocument, ChangeRequest};
use crate::change::rules::ValidChange;
use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::{on_pool, on_tx};

pub async fn insert(
    tx: &mut DbTx,
    organisation_id: &str,
    requested_by: &str,
    change: &ValidChange,
    document_id: Option<&str>,
    now: Timestamp,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into change_request (change_request_id, organisation_id, requested_by, legal_name, enterprise_number, \
         street, postal_code, city, contact_email, note, status, created_at, document_id) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12)"
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(requested_by)
    .bind(change.legal_name.as_deref())
    .bind(change.enterprise_number.as_deref())
    .bind(change.street.as_deref())
    .bind(change.postal_code.as_deref())
    .bind(change.city.as_deref())
    .bind(change.contact_email.as_deref())
    .bind(&change.note)
    .bind(now)
    .bind(document_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

const SELECT: &str = "select c.change_request_id, c.organisation_id, o.legal_name as organisation_name, c.legal_name, \
     c.enterprise_number, c.street, c.postal_code, c.city, c.contact_email, c.note, c.status, c.decision_reason, \
     c.created_at, d.document_id, d.file_name, d.content_type, d.size_bytes \
     from change_request c join organisation o on o.organisation_id = c.organisation_id \
     left join document d on d.document_id = c.document_id";

#[derive(sqlx::FromRow)]
struct Row {
    change_request_id: String,
    organisation_id: String,
    organisation_name: String,
    legal_name: Option<String>,
    enterprise_number: Option<String>,
    street: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    contact_email: Option<String>,
    note: String,
    status: String,
    decision_reason: Option<String>,
    created_at: Timestamp,
    document_id: Option<String>,
    file_name: Option<String>,
    content_type: Option<String>,
    size_bytes: Option<i64>,
}

fn from_row(row: Row) -> ChangeRequest {
    let document = match (row.document_id, row.file_name, row.content_type, row.size_bytes) {
        (Some(document_id), Some(file_name), Some(content_type), Some(size_bytes)) => Some(ChangeDocument {
            document_id,
            file_name,
            content_type,
            size_bytes,
        }),
        _ => None,
    };
    ChangeRequest {
        change_request_id: row.change_request_id,
        organisation_id: row.organisation_id,
        organisation_name: row.organisation_name,
        legal_name: row.legal_name,
        enterprise_number: row.enterprise_number,
        street: row.street,
        postal_code: row.postal_code,
        city: row.city,
        contact_email: row.contact_email,
        note: row.note,
        status: row.status,
        decision_reason: row.decision_reason,
        created_at: row.created_at.to_rfc3339(),
        document,
    }
}

/// An organisation's requests, newest first.
pub async fn for_organisation(db: &Db, organisation_id: &str) -> Result<Vec<ChangeRequest>, sqlx::Error> {
    let sql = format!("{SELECT} where c.organisation_id = $1 order by c.created_at desc, c.change_request_id desc");
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(organisation_id)
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Every pending request, oldest first.
pub async fn pending(db: &Db) -> Result<Vec<ChangeRequest>, sqlx::Error> {
    let sql = format!("{SELECT} where c.status = 'pending' order by c.created_at, c.change_request_id");
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// A pending request, inside the deciding transaction.
pub async fn pending_in(tx: &mut DbTx, change_request_id: &str) -> Result<Option<ChangeRequest>, sqlx::Error> {
    let sql = format!("{SELECT} where c.change_request_id = $1 and c.status = 'pending'");
    let row: Option<Row> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(change_request_id)
        .fetch_optional(conn)
        .await)?;
    Ok(row.map(from_row))
}

/// The organisation's current values of the changeable fields.
pub async fn current_values(tx: &mut DbTx, organisation_id: &str) -> Result<Option<[String; 6]>, sqlx::Error> {
    let row: Option<(String, String, String, String, String, String)> = on_tx!(tx, |conn| sqlx::query_as(
        "select legal_name, enterprise_number, street, postal_code, city, contact_email from organisation \
         where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(|(a, b, c, d, e, f)| [a, b, c, d, e, f]))
}

/// Writes the accepted values (legal name, number, street, postal code, city, e-mail).
pub async fn apply(
    tx: &mut DbTx,
    organisation_id: &str,
    values: &[String; 6],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update organisation set legal_name = $2, enterprise_number = $3, street = $4, postal_code = $5, city = $6, \
         contact_email = $7, updated_at = $8 where organisation_id = $1"
    )
    .bind(organisation_id)
    .bind(&values[0])
    .bind(&values[1])
    .bind(&values[2])
    .bind(&values[3])
    .bind(&values[4])
    .bind(&values[5])
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    // The new name, number, city or e-mail find the organisation in the staff directory.
    crate::directory::db::reindex(tx, organisation_id).await?;
    Ok(())
}

pub async fn decide(
    tx: &mut DbTx,
    change_request_id: &str,
    status: &str,
    reason: Option<&str>,
    decided_by: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update change_request set status = $2, decision_reason = $3, decided_by = $4, decided_at = $5 \
         where change_request_id = $1"
    )
    .bind(change_request_id)
    .bind(status)
    .bind(reason)
    .bind(decided_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Whether another organisation already has this (normalised) enterprise number.
pub async fn number_used_elsewhere(tx: &mut DbTx, organisation_id: &str, number: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from organisation where enterprise_number = $1 and organisation_id <> $2"
    )
    .bind(number)
    .bind(organisation_id)
    .fetch_one(conn)
    .await)?;
    Ok(count > 0)
}
