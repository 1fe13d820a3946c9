//! SQL of the settings page: the person's own row, other sessions, e-mail change links.

use crate::db::{Db, DbTx, Timestamp};
use crate::{on_pool, on_tx};

/// A person's login data: username, name, e-mail and password hash.
pub struct OwnAccount {
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub password_hash: String,
}

pub async fn own_account(db: &Db, person_id: &str) -> Result<Option<OwnAccount>, sqlx::Error> {
    let row: Option<(String, String, String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select username, full_name, email, password_hash from person where person_id = $1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(username, full_name, email, password_hash)| OwnAccount {
        username,
        full_name,
        email,
        password_hash,
    }))
}

/// The address of the person's newest e-mail change link still usable at `now`.
pub async fn pending_email(db: &Db, person_id: &str, now: Timestamp) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select new_email from email_change where person_id = $1 and used_at is null and expires_at > $2 \
         order by created_at desc limit 1"
    )
    .bind(person_id)
    .bind(now)
    .fetch_optional(pool)
    .await)
}

/// Ends every session of the person but `keep` (the hash of the caller's own session).
pub async fn end_other_sessions(tx: &mut DbTx, person_id: &str, keep: &str) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "delete from session where person_id = $1 and session_id <> $2"
    )
    .bind(person_id)
    .bind(keep)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))
}

pub async fn set_full_name(tx: &mut DbTx, person_id: &str, full_name: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update person set full_name = $2, updated_at = $3 where person_id = $1"
    )
    .bind(person_id)
    .bind(full_name)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The organisations the person belongs to (accepted or not): their directory entries name them.
pub async fn organisations_of(tx: &mut DbTx, person_id: &str) -> Result<Vec<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select organisation_id from membership where person_id = $1 order by organisation_id"
    )
    .bind(person_id)
    .fetch_all(conn)
    .await)
}

/// Ends the person's e-mail change links not used yet (marked used at `now`).
pub async fn end_email_changes_of(tx: &mut DbTx, person_id: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update email_change set used_at = $2 where person_id = $1 and used_at is null"
    )
    .bind(person_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn insert_email_change(
    tx: &mut DbTx,
    token_hash: &str,
    person_id: &str,
    new_email: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| {
        sqlx::query(
        "insert into email_change (token_hash, person_id, new_email, created_at, expires_at) values ($1, $2, $3, $4, $5)"
    )
    .bind(token_hash)
    .bind(person_id)
    .bind(new_email)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Marks a link used, once: its person and new address if it was unused and unexpired.
pub async fn consume_email_change(
    tx: &mut DbTx,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "update email_change set used_at = $2 \
         where token_hash = $1 and used_at is null and expires_at > $2 returning person_id, new_email"
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await)
}

/// Whether an account other than `person_id` logs in with `email` (as e-mail or username).
pub async fn email_used_by_other(tx: &mut DbTx, email: &str, person_id: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from person where (lower(email) = $1 or lower(username) = $1) and person_id <> $2"
    )
    .bind(email)
    .bind(person_id)
    .fetch_one(conn)
    .await)?;
    Ok(count > 0)
}

/// Sets the login e-mail; returns the previous one.
pub async fn set_email(tx: &mut DbTx, person_id: &str, email: &str, now: Timestamp) -> Result<String, sqlx::Error> {
    let before: String = on_tx!(tx, |conn| sqlx::query_scalar(
        "select email from person where person_id = $1"
    )
    .bind(person_id)
    .fetch_one(conn)
    .await)?;
    on_tx!(tx, |conn| sqlx::query(
        "update person set email = $2, updated_at = $3 where person_id = $1"
    )
    .bind(person_id)
    .bind(email)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(before)
}
