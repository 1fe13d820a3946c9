//! SQL of the outbox. Claiming is one statement per message: on PostgreSQL `FOR UPDATE SKIP
//! LOCKED` lets several app instances share the work without sending anything twice; SQLite
//! serialises writers, so the same update is atomic there without it.

use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::mail::model::OutboxMessage;
use crate::{on_pool, on_tx};
use chrono::Duration;

/// Sending attempts before a message becomes a dead letter, unless `MAIL_MAX_ATTEMPTS` says.
pub const MAX_ATTEMPTS: i64 = 8;
/// A message claimed longer ago than this (its instance died) may be claimed again.
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(5);

/// Writes a message to the outbox, in the caller's transaction, with the `Message-ID` it keeps
/// on every attempt: `<id@sender_domain>`.
pub async fn enqueue(
    tx: &mut DbTx,
    to: &str,
    subject: &str,
    body: &str,
    sender_domain: &str,
    qr_payload: Option<&str>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let id = new_id();
    let message_id = format!("<{id}@{sender_domain}>");
    on_tx!(tx, |conn| sqlx::query(
        "insert into outgoing_email \
         (outgoing_email_id, to_address, subject, body_text, status, attempts, message_id, created_at, qr_payload) \
         values ($1, $2, $3, $4, 'pending', 0, $5, $6, $7)"
    )
    .bind(&id)
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(&message_id)
    .bind(now)
    .bind(qr_payload)
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
    /// Null for messages queued before Message-IDs were stored.
    pub message_id: Option<String>,
    /// When this claim was made: releasing it checks the claim is still this one.
    pub claimed_at: Timestamp,
    /// The text of an EPC QR code ("scan to pay") to show in the message.
    pub qr_payload: Option<String>,
}

/// The oldest message due: pending and past its next attempt time, or claimed by an instance
/// that died. A message waiting for its retry is skipped, so it never holds up the others.
const CLAIM_CANDIDATE: &str = "select outgoing_email_id from outgoing_email \
     where ((status = 'pending' and (next_attempt_at is null or next_attempt_at <= $1)) \
        or (status = 'sending' and claimed_at < $2)) \
       and attempts < $3 \
     order by created_at limit 1";

/// Claims the oldest message due, if any: one statement, so each message is claimed by one
/// worker only, whatever the number of instances.
pub async fn claim_next(db: &Db, now: Timestamp, max_attempts: i64) -> Result<Option<Claimed>, sqlx::Error> {
    let stale = now - CLAIM_TIMEOUT;
    let update = |candidate: &str| {
        format!(
            "update outgoing_email set status = 'sending', claimed_at = $1, attempts = attempts + 1 \
             where outgoing_email_id = ({candidate}) \
             returning outgoing_email_id, to_address, subject, body_text, attempts, message_id, qr_payload"
        )
    };
    type Row = (String, String, String, String, i64, Option<String>, Option<String>);
    let row: Option<Row> = match db {
        Db::Sqlite(pool, _) => {
            sqlx::query_as(sqlx::AssertSqlSafe(update(CLAIM_CANDIDATE)))
                .bind(now)
                .bind(stale)
                .bind(max_attempts)
                .fetch_optional(pool)
                .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_as(sqlx::AssertSqlSafe(update(&format!(
                "{CLAIM_CANDIDATE} for update skip locked"
            ))))
            .bind(now)
            .bind(stale)
            .bind(max_attempts)
            .fetch_optional(pool)
            .await?
        }
    };
    Ok(row.map(
        |(id, to_address, subject, body_text, attempts, message_id, qr_payload)| Claimed {
            id,
            to_address,
            subject,
            body_text,
            attempts,
            message_id,
            claimed_at: now,
            qr_payload,
        },
    ))
}

pub async fn mark_sent(db: &Db, id: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "update outgoing_email set status = 'sent', sent_at = $2, last_error = null, next_attempt_at = null \
         where outgoing_email_id = $1"
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Records a failed attempt: back to `pending` until `retry_at`, or, with `None`, `failed`
/// for good (the dead letter staff see in the outbox).
pub async fn mark_failed(db: &Db, id: &str, retry_at: Option<Timestamp>, error: &str) -> Result<(), sqlx::Error> {
    let status = if retry_at.is_some() { "pending" } else { "failed" };
    on_pool!(db, |pool| sqlx::query(
        "update outgoing_email set status = $2, last_error = $3, next_attempt_at = $4 where outgoing_email_id = $1"
    )
    .bind(id)
    .bind(status)
    .bind(error)
    .bind(retry_at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Gives a claimed message back untried (the instance is stopping): due at once for any
/// instance, and the attempt not counted. Only while the claim is still this one.
pub async fn release(db: &Db, claimed: &Claimed) -> Result<bool, sqlx::Error> {
    let released = on_pool!(db, |pool| sqlx::query(
        "update outgoing_email set status = 'pending', claimed_at = null, next_attempt_at = null, \
         attempts = attempts - 1 \
         where outgoing_email_id = $1 and status = 'sending' and claimed_at = $2"
    )
    .bind(&claimed.id)
    .bind(claimed.claimed_at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(released == 1)
}

/// Makes dead letters of the messages whose instance died during their last allowed attempt:
/// their claim expired, and no attempt is left to claim them again.
pub async fn expire_last_claims(db: &Db, now: Timestamp, max_attempts: i64) -> Result<u64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "update outgoing_email set status = 'failed', next_attempt_at = null, \
         last_error = coalesce(last_error, 'interrupted during the last attempt') \
         where status = 'sending' and claimed_at < $1 and attempts >= $2"
    )
    .bind(now - CLAIM_TIMEOUT)
    .bind(max_attempts)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
}

/// Dead letters: messages given up on, which staff should look at.
pub async fn count_dead_letters(db: &Db) -> Result<i64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select count(*) from outgoing_email where status = 'failed'"
    )
    .fetch_one(pool)
    .await)
}

type MessageRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<Timestamp>,
    Timestamp,
);

/// A page of the outbox, newest first, optionally only the messages to one address.
pub async fn list(
    db: &Db,
    to: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OutboxMessage>, i64), sqlx::Error> {
    let filter = to.map(str::to_lowercase);
    let rows: Vec<MessageRow> = on_pool!(db, |pool| sqlx::query_as(
        "select outgoing_email_id, to_address, subject, body_text, status, attempts, last_error, \
         next_attempt_at, created_at \
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
            |(id, to_address, subject, body_text, status, attempts, last_error, next_attempt_at, created_at)| {
                OutboxMessage {
                    id,
                    to_address,
                    subject,
                    body_text,
                    status,
                    attempts,
                    last_error,
                    next_attempt_at: next_attempt_at.map(|at| at.to_rfc3339()),
                    created_at: created_at.to_rfc3339(),
                }
            },
        )
        .collect();
    Ok((messages, total))
}
