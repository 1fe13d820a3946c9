//! SQL of the outbox. Claiming is one statement per message: on PostgreSQL `FOR UPDATE SKIP
//! LOCKED` lets several app instances share the work without sending anything twice; SQLite
//! serialises writers, so the same update is atomic there without it.

use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::mail::model::OutboxMessage;
use crate::{on_pool, on_tx};
use chrono::Duration;

/// Sending attempts before a message is marked `failed`.
pub const MAX_ATTEMPTS: i64 = 5;
/// A message claimed longer ago than this (its instance died) may be claimed again.
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(5);

/// Writes a message to the outbox, in the caller's transaction.
pub async fn enqueue(tx: &mut DbTx, to: &str, subject: &str, body: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into outgoing_email (outgoing_email_id, to_address, subject, body_text, status, attempts, created_at) \
         values ($1, $2, $3, $4, 'pending', 0, $5)"
    )
    .bind(new_id())
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// A message claimed for sending.
pub struct Claimed {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub attempts: i64,
}

const CLAIM_CANDIDATE: &str = "select outgoing_email_id from outgoing_email \
     where (status = 'pending' or (status = 'sending' and claimed_at < $2)) and attempts < $3 \
     order by created_at limit 1";

/// Claims the oldest message waiting to be sent, if any.
pub async fn claim_next(db: &Db, now: Timestamp) -> Result<Option<Claimed>, sqlx::Error> {
    let stale = now - CLAIM_TIMEOUT;
    let update = |candidate: &str| {
        format!(
            "update outgoing_email set status = 'sending', claimed_at = $1, attempts = attempts + 1 \
             where outgoing_email_id = ({candidate}) \
             returning outgoing_email_id, to_address, subject, body_text, attempts"
        )
    };
    type Row = (String, String, String, String, i64);
    let row: Option<Row> = match db {
        Db::Sqlite(pool, _) => {
            sqlx::query_as(&update(CLAIM_CANDIDATE))
                .bind(now)
                .bind(stale)
                .bind(MAX_ATTEMPTS)
                .fetch_optional(pool)
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(&update(&format!("{CLAIM_CANDIDATE} for update skip locked")))
                .bind(now)
                .bind(stale)
                .bind(MAX_ATTEMPTS)
                .fetch_optional(pool)
                .await?
        }
    };
    Ok(row.map(|(id, to_address, subject, body_text, attempts)| Claimed {
        id,
        to_address,
        subject,
        body_text,
        attempts,
    }))
}

pub async fn mark_sent(db: &Db, id: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "update outgoing_email set status = 'sent', sent_at = $2, last_error = null where outgoing_email_id = $1"
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Records a failed attempt: back to `pending` for a retry, or `failed` after the last one.
pub async fn mark_failed(db: &Db, id: &str, attempts: i64, error: &str) -> Result<(), sqlx::Error> {
    let status = if attempts >= MAX_ATTEMPTS { "failed" } else { "pending" };
    on_pool!(db, |pool| sqlx::query(
        "update outgoing_email set status = $2, last_error = $3 where outgoing_email_id = $1"
    )
    .bind(id)
    .bind(status)
    .bind(error)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

type MessageRow = (String, String, String, String, String, i64, Option<String>, Timestamp);

/// A page of the outbox, newest first, optionally only the messages to one address.
pub async fn list(
    db: &Db,
    to: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OutboxMessage>, i64), sqlx::Error> {
    let filter = to.map(str::to_lowercase);
    let rows: Vec<MessageRow> = on_pool!(db, |pool| sqlx::query_as(
        "select outgoing_email_id, to_address, subject, body_text, status, attempts, last_error, created_at \
         from outgoing_email where ($1 is null or lower(to_address) = $1) \
         order by created_at desc, outgoing_email_id desc limit $2 offset $3"
    )
    .bind(filter.as_deref())
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await)?;
    let total: i64 = on_pool!(db, |pool| sqlx::query_scalar(
        "select count(*) from outgoing_email where ($1 is null or lower(to_address) = $1)"
    )
    .bind(filter.as_deref())
    .fetch_one(pool)
    .await)?;
    let messages = rows
        .into_iter()
        .map(
            |(id, to_address, subject, body_text, status, attempts, last_error, created_at)| OutboxMessage {
                id,
                to_address,
                subject,
                body_text,
                status,
                attempts,
                last_error,
                created_at: created_at.to_rfc3339(),
            },
        )
        .collect();
    Ok((messages, total))
}
