//! SQL of the second factor: the TOTP secret and its last used step, the recovery codes, and
//! the pending state between the password and the code.

use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::{on_pool, on_tx};

/// A person's second factor. The secret is never `Serialize`.
pub struct MfaRow {
    pub secret: String,
    pub confirmed: bool,
    pub last_step: i64,
}

/// Whether a person is staff (the second factor is required of them), and their factor.
pub async fn mfa_of(db: &Db, person_id: &str) -> Result<(bool, Option<MfaRow>), sqlx::Error> {
    type Row = (Option<String>, Option<String>, Option<Timestamp>, Option<i64>);
    let row: Option<Row> = on_pool!(db, |pool| sqlx::query_as(
        "select p.staff_role, m.secret, m.confirmed_at, m.last_step \
         from person p left join person_mfa m on m.person_id = p.person_id where p.person_id = $1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)?;
    Ok(match row {
        Some((staff_role, secret, confirmed_at, last_step)) => (
            staff_role.is_some(),
            secret.map(|secret| MfaRow {
                secret,
                confirmed: confirmed_at.is_some(),
                last_step: last_step.unwrap_or_default(),
            }),
        ),
        None => (false, None),
    })
}

/// Enrols a person with a known secret, confirmed (the demo's staff accounts).
pub async fn enrol(tx: &mut DbTx, person_id: &str, secret: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into person_mfa (person_id, secret, confirmed_at, last_step, created_at, updated_at) \
         values ($1, $2, $3, 0, $3, $3)"
    )
    .bind(person_id)
    .bind(secret)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Starts, or resumes, the enrolment of a person without a confirmed second factor, and gives
/// the secret their authenticator app is to hold: `secret` if none was started within the
/// last `reuse` (from `now`), else the one started then, so a page rendered twice, reloaded
/// or opened in two tabs shows the one secret a code will be checked against. `None` if the
/// person's factor is confirmed already. One statement decides, so two calls at once agree.
pub async fn start_enrolment(
    db: &Db,
    person_id: &str,
    secret: &str,
    now: Timestamp,
    reuse: chrono::Duration,
) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "insert into person_mfa (person_id, secret, confirmed_at, last_step, created_at, updated_at) \
         values ($1, $2, null, 0, $3, $3) \
         on conflict (person_id) do update set secret = excluded.secret, last_step = 0, \
         updated_at = excluded.updated_at \
         where person_mfa.confirmed_at is null and person_mfa.updated_at <= $4"
    )
    .bind(person_id)
    .bind(secret)
    .bind(now)
    .bind(now - reuse)
    .execute(pool)
    .await
    .map(|_| ()))?;
    let row: Option<(String, Option<Timestamp>)> = on_pool!(db, |pool| sqlx::query_as(
        "select secret, confirmed_at from person_mfa where person_id = $1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.and_then(|(secret, confirmed)| confirmed.is_none().then_some(secret)))
}

/// Confirms an enrolment with the code of `step`, once: `false` if it was confirmed already
/// or the step is not newer than the last one used.
pub async fn confirm_enrolment(tx: &mut DbTx, person_id: &str, step: i64, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = on_tx!(tx, |conn| sqlx::query(
        "update person_mfa set confirmed_at = $3, last_step = $2, updated_at = $3 \
         where person_id = $1 and confirmed_at is null and last_step < $2"
    )
    .bind(person_id)
    .bind(step)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Uses the code of `step`: `true` only for the first use of a step newer than the last one
/// used, so a code seen by someone else is worth nothing once it has been typed.
pub async fn use_step(db: &Db, person_id: &str, step: i64, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = on_pool!(db, |pool| sqlx::query(
        "update person_mfa set last_step = $2, updated_at = $3 \
         where person_id = $1 and confirmed_at is not null and last_step < $2"
    )
    .bind(person_id)
    .bind(step)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Replaces a person's recovery codes by these hashes.
pub async fn replace_recovery_codes(
    tx: &mut DbTx,
    person_id: &str,
    hashes: &[String],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "delete from mfa_recovery_code where person_id = $1"
    )
    .bind(person_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    for hash in hashes {
        let id = new_id();
        on_tx!(tx, |conn| sqlx::query(
            "insert into mfa_recovery_code (mfa_recovery_code_id, person_id, code_hash, created_at) \
             values ($1, $2, $3, $4)"
        )
        .bind(&id)
        .bind(person_id)
        .bind(hash)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    }
    Ok(())
}

/// Uses a recovery code, once: `true` if it was the person's and unused.
pub async fn use_recovery_code(db: &Db, person_id: &str, hash: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let done = on_pool!(db, |pool| sqlx::query(
        "update mfa_recovery_code set used_at = $3 where person_id = $1 and code_hash = $2 and used_at is null"
    )
    .bind(person_id)
    .bind(hash)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// How many recovery codes a person has left.
pub async fn recovery_codes_left(db: &Db, person_id: &str) -> Result<i64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select count(*) from mfa_recovery_code where person_id = $1 and used_at is null"
    )
    .bind(person_id)
    .fetch_one(pool)
    .await)
}

/// Removes a person's second factor and recovery codes: `false` if they had none.
pub async fn remove_mfa(tx: &mut DbTx, person_id: &str) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "delete from mfa_recovery_code where person_id = $1"
    )
    .bind(person_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    let done = on_tx!(tx, |conn| sqlx::query("delete from person_mfa where person_id = $1")
        .bind(person_id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Opens the pending state of a login whose password was right.
pub async fn insert_challenge(
    db: &Db,
    token_hash: &str,
    person_id: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "insert into mfa_challenge (mfa_challenge_id, person_id, created_at, expires_at) values ($1, $2, $3, $4)"
    )
    .bind(token_hash)
    .bind(person_id)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The person of a pending state still valid at `now`.
pub async fn challenge_person(db: &Db, token_hash: &str, now: Timestamp) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select person_id from mfa_challenge where mfa_challenge_id = $1 and expires_at > $2"
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await)
}

/// Ends a pending state, once: `true` if it was there.
pub async fn delete_challenge(db: &Db, token_hash: &str) -> Result<bool, sqlx::Error> {
    let done = on_pool!(db, |pool| sqlx::query(
        "delete from mfa_challenge where mfa_challenge_id = $1"
    )
    .bind(token_hash)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Ends every pending state of a person (with their sessions, when their rights change).
pub async fn end_challenges_of(tx: &mut DbTx, person_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query("delete from mfa_challenge where person_id = $1")
        .bind(person_id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The name an authenticator app shows for the account.
pub async fn account_label(db: &Db, person_id: &str) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select username from person where person_id = $1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)
}
