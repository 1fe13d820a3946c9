//! SQL for sessions, logins, password resets and rate-limit attempts.

use crate::auth::model::{CurrentUser, Membership};
use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::org::model::{MemberRole, StaffRole};
use crate::{on_pool, on_tx};

/// What a login needs to check a password.
pub struct LoginRow {
    pub person_id: String,
    pub password_hash: String,
}

/// Finds the person whose username or e-mail is `identifier` (already lower-cased).
pub async fn find_login(db: &Db, identifier: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    let row: Option<(String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select person_id, password_hash from person where (lower(username) = $1 or lower(email) = $1) \
         and anonymised_at is null limit 1"
    )
    .bind(identifier)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(person_id, password_hash)| LoginRow {
        person_id,
        password_hash,
    }))
}

/// Where a reset link goes.
pub struct ResetTarget {
    pub person_id: String,
    pub email: String,
    pub full_name: String,
}

/// The person a reset request names: by username or personal e-mail, or else by an
/// organisation's registered (contact) e-mail, its account holder — the oldest such
/// organisation's when several share the address. The link always goes to the person's own
/// address, never to the one typed.
pub async fn find_reset_target(db: &Db, identifier: &str) -> Result<Option<ResetTarget>, sqlx::Error> {
    let mut row: Option<(String, String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select person_id, email, full_name from person where (lower(username) = $1 or lower(email) = $1) \
         and anonymised_at is null limit 1"
    )
    .bind(identifier)
    .fetch_optional(pool)
    .await)?;
    if row.is_none() {
        row = on_pool!(db, |pool| sqlx::query_as(
            "select p.person_id, p.email, p.full_name from organisation o \
             join membership m on m.organisation_id = o.organisation_id and m.role = 'account_holder' \
             and m.accepted_at is not null \
             join person p on p.person_id = m.person_id \
             where lower(o.contact_email) = $1 order by o.created_at, o.organisation_id limit 1"
        )
        .bind(identifier)
        .fetch_optional(pool)
        .await)?;
    }
    Ok(row.map(|(person_id, email, full_name)| ResetTarget {
        person_id,
        email,
        full_name,
    }))
}

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    person_id: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "insert into session (session_id, person_id, created_at, last_seen_at, expires_at) values ($1, $2, $3, $3, $4)"
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

type UserRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The user of a session that is live at `now`: not past its absolute expiry, and used
/// after `idle_since`. Returns the user and when the session was last used.
pub async fn session_user(
    db: &Db,
    token_hash: &str,
    now: Timestamp,
    idle_since: Timestamp,
) -> Result<Option<(CurrentUser, Timestamp)>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Timestamp,
    );
    let row: Option<Row> = on_pool!(db, |pool| {
        sqlx::query_as(
        "select p.person_id, p.username, p.full_name, p.staff_role, m.organisation_id, o.legal_name, m.role, p.language, \
         s.last_seen_at \
         from session s join person p on p.person_id = s.person_id \
         left join membership m on m.person_id = p.person_id and m.accepted_at is not null \
         left join organisation o on o.organisation_id = m.organisation_id \
         where s.session_id = $1 and s.expires_at > $2 and s.last_seen_at > $3 \
         order by m.created_at limit 1"
    )
    .bind(token_hash)
    .bind(now)
    .bind(idle_since)
    .fetch_optional(pool)
    .await
    })?;
    Ok(row.map(|(a, b, c, d, e, f, g, h, last_seen)| (user_from_row((a, b, c, d, e, f, g, h)), last_seen)))
}

/// Records that a session was used at `now`.
pub async fn touch_session(db: &Db, token_hash: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "update session set last_seen_at = $2 where session_id = $1"
    )
    .bind(token_hash)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Ends every session of a person: their rights changed, so they log in again and get a new
/// session id for the new rights. A login waiting for its second factor ends too.
pub async fn end_sessions_of(tx: &mut DbTx, person_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query("delete from session where person_id = $1")
        .bind(person_id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    crate::auth::mfa_db::end_challenges_of(tx, person_id).await
}

fn user_from_row(row: UserRow) -> CurrentUser {
    let (person_id, username, full_name, staff_role, organisation_id, legal_name, role, language) = row;
    let staff_role = match staff_role.as_deref() {
        Some("admin") => Some(StaffRole::Admin),
        Some("agent") => Some(StaffRole::Agent),
        _ => None,
    };
    let membership = match (organisation_id, legal_name, role.as_deref()) {
        (Some(organisation_id), Some(legal_name), Some(role)) => Some(Membership {
            organisation_id,
            legal_name,
            role: if role == "account_holder" {
                MemberRole::AccountHolder
            } else {
                MemberRole::Member
            },
        }),
        _ => None,
    };
    CurrentUser {
        person_id,
        username,
        full_name,
        staff_role,
        membership,
        language,
    }
}

/// Remembers the UI language a person chose.
pub async fn set_language(db: &Db, person_id: &str, language: &str) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "update person set language = $2 where person_id = $1"
    )
    .bind(person_id)
    .bind(language)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query("delete from session where session_id = $1")
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Serialises the reservations of one rate-limit counter (`key` names its kind and subject)
/// until `tx` ends. PostgreSQL takes a transaction-scoped advisory lock on a hash of the key;
/// SQLite needs nothing more, as `Db::begin` already holds the database's single write lock.
pub async fn lock_attempts(tx: &mut DbTx, key: &str) -> Result<(), sqlx::Error> {
    if let DbTx::Postgres(tx) = tx {
        sqlx::query("select pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(key)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Stores one attempt (a login being verified, a reset request, a form sent) and returns its
/// id, so that a successful login can give its own place back.
pub async fn insert_attempt(tx: &mut DbTx, kind: &str, subject: &str, now: Timestamp) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into auth_attempt (auth_attempt_id, kind, subject, attempted_at) values ($1, $2, $3, $4)"
    )
    .bind(&id)
    .bind(kind)
    .bind(subject)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// How many attempts of `kind` by `subject` were made after `since`, and when the oldest of
/// them was (the limit lifts when it leaves the window).
pub async fn count_attempts(
    tx: &mut DbTx,
    kind: &str,
    subject: &str,
    since: Timestamp,
) -> Result<(i64, Option<Timestamp>), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select count(*), min(attempted_at) from auth_attempt where kind = $1 and subject = $2 and attempted_at > $3"
    )
    .bind(kind)
    .bind(subject)
    .bind(since)
    .fetch_one(conn)
    .await)
}

/// Deletes one attempt by its id (a successful login gives its place back).
pub async fn delete_attempt(db: &Db, auth_attempt_id: &str) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "delete from auth_attempt where auth_attempt_id = $1"
    )
    .bind(auth_attempt_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn insert_password_reset(
    tx: &mut DbTx,
    token_hash: &str,
    person_id: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into password_reset (token_hash, person_id, created_at, expires_at) values ($1, $2, $3, $4)"
    )
    .bind(token_hash)
    .bind(person_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Marks a reset link used, once: returns its person if it was unused and unexpired.
/// Whether `token_hash` names a reset link not used yet and still valid at `now`.
pub async fn password_reset_usable(db: &Db, token_hash: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let found: Option<String> = on_pool!(db, |pool| sqlx::query_scalar(
        "select person_id from password_reset where token_hash = $1 and used_at is null and expires_at > $2"
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}

/// Ends every reset link of `person_id` not used yet (marked used at `now`).
pub async fn end_password_resets_of(tx: &mut DbTx, person_id: &str, now: Timestamp) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update password_reset set used_at = $2 where person_id = $1 and used_at is null"
    )
    .bind(person_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn consume_password_reset(
    tx: &mut DbTx,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "update password_reset set used_at = $2 \
         where token_hash = $1 and used_at is null and expires_at > $2 returning person_id"
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await)
}

/// Sets a new password and ends every session of that person.
pub async fn set_password(
    tx: &mut DbTx,
    person_id: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    set_password_hash(tx, person_id, password_hash, now).await?;
    end_sessions_of(tx, person_id).await
}

/// Sets a new password hash and leaves the sessions to the caller ("Changer le mot de passe"
/// keeps the one that asked: [`crate::account::db::end_other_sessions`]).
pub async fn set_password_hash(
    tx: &mut DbTx,
    person_id: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update person set password_hash = $2, updated_at = $3 where person_id = $1"
    )
    .bind(person_id)
    .bind(password_hash)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The user behind `person_id` (right after login, before the cookie comes back).
pub async fn session_user_by_person(db: &Db, person_id: &str) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row: Option<UserRow> = on_pool!(db, |pool| {
        sqlx::query_as(
        "select p.person_id, p.username, p.full_name, p.staff_role, m.organisation_id, o.legal_name, m.role, p.language \
         from person p \
         left join membership m on m.person_id = p.person_id and m.accepted_at is not null \
         left join organisation o on o.organisation_id = m.organisation_id \
         where p.person_id = $1 order by m.created_at limit 1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await
    })?;
    Ok(row.map(user_from_row))
}

/// Every staff member, by name, with the partners an agent is limited to.
pub async fn staff_members(db: &Db) -> Result<Vec<crate::auth::model::StaffMember>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select person_id, full_name, email, staff_role from person where staff_role is not null \
         order by full_name, person_id"
    )
    .fetch_all(pool)
    .await)?;
    let scopes: Vec<(String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select person_id, partner_id from staff_partner_scope order by person_id, partner_id"
    )
    .fetch_all(pool)
    .await)?;
    let mut partners: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for (person_id, partner_id) in scopes {
        partners.entry(person_id).or_default().push(partner_id);
    }
    Ok(rows
        .into_iter()
        .map(|(person_id, full_name, email, role)| crate::auth::model::StaffMember {
            partners: partners.remove(&person_id).unwrap_or_default(),
            person_id,
            full_name,
            email,
            role: if role == "admin" {
                StaffRole::Admin
            } else {
                StaffRole::Agent
            },
            is_you: false,
        })
        .collect())
}

/// The partners a staff member is limited to (empty: every partner), sorted.
pub async fn partner_scope(db: &Db, person_id: &str) -> Result<Vec<String>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select partner_id from staff_partner_scope where person_id = $1 order by partner_id"
    )
    .bind(person_id)
    .fetch_all(pool)
    .await)
}

/// The same, inside a change's transaction.
pub async fn partner_scope_in(tx: &mut DbTx, person_id: &str) -> Result<Vec<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select partner_id from staff_partner_scope where person_id = $1 order by partner_id"
    )
    .bind(person_id)
    .fetch_all(conn)
    .await)
}

/// How many of `partner_ids` are partners of the programme.
pub async fn known_partners(tx: &mut DbTx, partner_ids: &[String]) -> Result<usize, sqlx::Error> {
    let mut known = 0;
    for partner_id in partner_ids {
        let found: Option<String> = on_tx!(tx, |conn| sqlx::query_scalar(
            "select partner_id from partner where partner_id = $1"
        )
        .bind(partner_id)
        .fetch_optional(conn)
        .await)?;
        known += usize::from(found.is_some());
    }
    Ok(known)
}

/// Replaces a staff member's partner scope (empty: every partner).
pub async fn set_partner_scope(
    tx: &mut DbTx,
    person_id: &str,
    partner_ids: &[String],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "delete from staff_partner_scope where person_id = $1"
    )
    .bind(person_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    for partner_id in partner_ids {
        on_tx!(tx, |conn| sqlx::query(
            "insert into staff_partner_scope (person_id, partner_id, created_at) values ($1, $2, $3)"
        )
        .bind(person_id)
        .bind(partner_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    }
    Ok(())
}

/// A staff member's role, locked for a change on PostgreSQL; `None` if not staff.
pub async fn staff_role_for_update(tx: &mut DbTx, person_id: &str) -> Result<Option<String>, sqlx::Error> {
    let lock = if tx.is_postgres() { " for update" } else { "" };
    let sql = format!("select staff_role from person where person_id = $1 and staff_role is not null{lock}");
    on_tx!(tx, |conn| sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql))
        .bind(person_id)
        .fetch_optional(conn)
        .await)
}

/// Sets a staff member's role (`None` takes staff access away) and ends their sessions.
pub async fn set_staff_role(tx: &mut DbTx, person_id: &str, role: Option<&str>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update person set staff_role = $2 where person_id = $1"
    )
    .bind(person_id)
    .bind(role)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    // Any change of role (access taken away, agent to admin or back) ends their sessions.
    end_sessions_of(tx, person_id).await
}
