//! SQL of validation tokens, partner API clients and partner checks.

use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::token::model::{Outcome, PartnerClient, TokenCheck, VerifiedOrganisation};
use crate::token::rules::TokenFacts;
use crate::{on_pool, on_tx};

/// A token row, before the caller's view is made of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub token_id: String,
    pub code: String,
    pub creator_name: String,
    pub creator_email: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub purpose: String,
    pub partner_name: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// A person's name and e-mail.
pub async fn person_contact(db: &Db, person_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select full_name, email from person where person_id = $1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)
}

/// Whether staff found the organisation eligible for the programme ("validated").
pub async fn organisation_validated(db: &Db, organisation_id: &str) -> Result<bool, sqlx::Error> {
    let status: Option<String> = on_pool!(db, |pool| sqlx::query_scalar(
        "select eligibility_status from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(pool)
    .await)?;
    Ok(status.as_deref() == Some("eligible"))
}

/// Whether `partner_id` names an active partner.
pub async fn partner_exists(tx: &mut DbTx, partner_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select partner_id from partner where partner_id = $1 and active"
    )
    .bind(partner_id)
    .fetch_optional(conn)
    .await)?;
    Ok(found.is_some())
}

pub struct NewToken<'a> {
    pub organisation_id: &'a str,
    pub code: &'a str,
    pub created_by: &'a str,
    pub recipient_name: &'a str,
    pub recipient_email: &'a str,
    pub purpose: &'a str,
    pub partner_id: Option<&'a str>,
    pub expires_at: Timestamp,
}

pub async fn insert_token(tx: &mut DbTx, token: &NewToken<'_>, now: Timestamp) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into validation_token (token_id, organisation_id, code, created_by, recipient_name, recipient_email, \
         purpose, partner_id, created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(&id)
    .bind(token.organisation_id)
    .bind(token.code)
    .bind(token.created_by)
    .bind(token.recipient_name)
    .bind(token.recipient_email)
    .bind(token.purpose)
    .bind(token.partner_id)
    .bind(now)
    .bind(token.expires_at)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// The organisation's tokens, newest first, a page at a time; only those made for
/// `recipient_email` when it is given (members other than the holder). With the total.
pub async fn list_tokens(
    db: &Db,
    organisation_id: &str,
    recipient_email: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<TokenRow>, i64), sqlx::Error> {
    // `$2` is null for the holder: every token of the organisation.
    let filter = "t.organisation_id = $1 and ($2 is null or t.recipient_email = $2)";
    let list = format!(
        "select t.token_id, t.code, p.full_name as creator_name, p.email as creator_email, t.recipient_name, \
         t.recipient_email, t.purpose, pa.name as partner_name, t.created_at, t.expires_at, t.revoked_at \
         from validation_token t join person p on p.person_id = t.created_by \
         left join partner pa on pa.partner_id = t.partner_id \
         where {filter} order by t.created_at desc, t.token_id desc limit $3 offset $4"
    );
    let count = format!("select count(*) from validation_token t where {filter}");
    let email = recipient_email.map(str::to_lowercase);
    let rows: Vec<TokenRow> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(list))
        .bind(organisation_id)
        .bind(email.as_deref())
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await)?;
    let total: i64 = on_pool!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(count))
        .bind(organisation_id)
        .bind(email.as_deref())
        .fetch_one(pool)
        .await)?;
    Ok((rows, total))
}

/// For each of `token_ids`: how many checks it had, and its latest `per_token` checks,
/// newest first. One query for the whole page.
pub async fn usage(
    db: &Db,
    token_ids: &[String],
    per_token: i64,
) -> Result<std::collections::HashMap<String, (i64, Vec<TokenCheck>)>, sqlx::Error> {
    let mut usage = std::collections::HashMap::new();
    if token_ids.is_empty() {
        return Ok(usage);
    }
    let placeholders: Vec<String> = (2..token_ids.len() + 2).map(|n| format!("${n}")).collect();
    let sql = format!(
        "select token_id, partner_name, client_name, outcome, checked_at, total from ( \
           select c.token_id, pa.name as partner_name, pc.name as client_name, c.outcome, c.checked_at, \
             row_number() over (partition by c.token_id order by c.checked_at desc, c.token_check_id desc) as rank_in_token, \
             count(*) over (partition by c.token_id) as total \
           from token_check c join partner_client pc on pc.partner_client_id = c.partner_client_id \
           join partner pa on pa.partner_id = pc.partner_id \
           where c.token_id in ({}) \
         ) ranked where rank_in_token <= $1 order by token_id, checked_at desc",
        placeholders.join(", ")
    );
    type Row = (String, String, String, String, Timestamp, i64);
    let rows: Vec<Row> = on_pool!(db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(per_token);
        for id in token_ids {
            query = query.bind(id);
        }
        query.fetch_all(pool).await
    })?;
    for (token_id, partner_name, client_name, outcome, checked_at, total) in rows {
        let entry = usage.entry(token_id).or_insert_with(|| (total, Vec::new()));
        entry.1.push(TokenCheck {
            partner_name,
            client_name,
            outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Unknown),
            checked_at: checked_at.to_rfc3339(),
        });
    }
    Ok(usage)
}

/// A token of `organisation_id`, inside the transaction that changes it: its expiry and
/// whether it is revoked.
pub async fn token_state(
    tx: &mut DbTx,
    organisation_id: &str,
    token_id: &str,
) -> Result<Option<(Timestamp, bool)>, sqlx::Error> {
    let row: Option<(Timestamp, Option<Timestamp>)> = on_tx!(tx, |conn| sqlx::query_as(
        "select expires_at, revoked_at from validation_token where token_id = $1 and organisation_id = $2"
    )
    .bind(token_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(|(expires_at, revoked_at)| (expires_at, revoked_at.is_some())))
}

/// "Mettre à jour un jeton": a new code and a new expiry; the reminder may go out again.
/// Only while the token is still expired and not revoked (checked again here).
pub async fn refresh(
    tx: &mut DbTx,
    token_id: &str,
    code: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update validation_token set code = $2, expires_at = $3, refreshed_at = $4, reminded_at = null \
         where token_id = $1 and revoked_at is null and expires_at <= $4"
    )
    .bind(token_id)
    .bind(code)
    .bind(expires_at)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

pub async fn revoke(tx: &mut DbTx, token_id: &str, person_id: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update validation_token set revoked_at = $3, revoked_by = $2 where token_id = $1 and revoked_at is null"
    )
    .bind(token_id)
    .bind(person_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// What a partner's check needs about the token with `code`: its id, the facts the verdict
/// is judged on, and the organisation as partners see it.
pub async fn facts_by_code(
    tx: &mut DbTx,
    code: &str,
) -> Result<Option<(String, TokenFacts, VerifiedOrganisation)>, sqlx::Error> {
    type Row = (
        String,
        Timestamp,
        Option<Timestamp>,
        String,
        String,
        String,
        String,
        String,
        String,
    );
    let row: Option<Row> = on_tx!(tx, |conn| sqlx::query_as(
        "select t.token_id, t.expires_at, t.revoked_at, o.organisation_id, o.eligibility_status, o.legal_name, \
         o.country, o.enterprise_number, o.legal_form \
         from validation_token t join organisation o on o.organisation_id = t.organisation_id where t.code = $1"
    )
    .bind(code)
    .fetch_optional(conn)
    .await)?;
    let Some((token_id, expires_at, revoked_at, organisation_id, eligibility, name, country, number, form)) = row
    else {
        return Ok(None);
    };
    let qualified_partners: Vec<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select q.partner_id from qualification q join partner p on p.partner_id = q.partner_id \
         where q.organisation_id = $1 and q.status = 'qualified' order by p.sort_order, p.partner_id"
    )
    .bind(&organisation_id)
    .fetch_all(conn)
    .await)?;
    Ok(Some((
        token_id,
        TokenFacts {
            expires_at,
            revoked: revoked_at.is_some(),
            organisation_validated: eligibility == "eligible",
            qualified_partners,
        },
        VerifiedOrganisation {
            name,
            country,
            enterprise_number: number,
            legal_form: form,
        },
    )))
}

/// A live client with this key hash: (id, partner, checks allowed per minute).
pub async fn client_by_key_hash(db: &Db, key_hash: &str) -> Result<Option<(String, String, i64)>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select partner_client_id, partner_id, cast(rate_per_minute as bigint) from partner_client \
         where key_hash = $1 and revoked_at is null"
    )
    .bind(key_hash)
    .fetch_optional(pool)
    .await)
}

/// Marks the client used. On PostgreSQL this locks its row until the transaction ends, so
/// two instances counting the same client's last minute take turns (on SQLite every write
/// transaction takes its turn anyway). False if the client was revoked meanwhile.
pub async fn lock_client(tx: &mut DbTx, client_id: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update partner_client set last_used_at = $2 where partner_client_id = $1 and revoked_at is null"
    )
    .bind(client_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// The client's checks after `since`, and the oldest of them when there are `limit` or more.
pub async fn checks_since(
    tx: &mut DbTx,
    client_id: &str,
    since: Timestamp,
    limit: i64,
) -> Result<(i64, Option<Timestamp>), sqlx::Error> {
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from token_check where partner_client_id = $1 and checked_at > $2"
    )
    .bind(client_id)
    .bind(since)
    .fetch_one(conn)
    .await)?;
    if count < limit {
        return Ok((count, None));
    }
    let oldest: Option<Timestamp> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select checked_at from token_check where partner_client_id = $1 and checked_at > $2 \
         order by checked_at limit 1"
    )
    .bind(client_id)
    .bind(since)
    .fetch_optional(conn)
    .await)?;
    Ok((count, oldest))
}

/// Logs a check; `outcome` is an [`Outcome`] or `malformed`.
pub async fn insert_check(
    tx: &mut DbTx,
    client_id: &str,
    token_id: Option<&str>,
    outcome: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into token_check (token_check_id, partner_client_id, token_id, outcome, checked_at) \
         values ($1, $2, $3, $4, $5)"
    )
    .bind(new_id())
    .bind(client_id)
    .bind(token_id)
    .bind(outcome)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

const CLIENTS: &str = "select c.partner_client_id, c.partner_id, p.name as partner_name, c.name, c.key_prefix, \
     cast(c.rate_per_minute as bigint) as rate_per_minute, c.created_at, c.last_used_at, c.revoked_at, \
     (select count(*) from token_check k where k.partner_client_id = c.partner_client_id) as checks \
     from partner_client c join partner p on p.partner_id = c.partner_id";

#[derive(sqlx::FromRow)]
struct ClientRow {
    partner_client_id: String,
    partner_id: String,
    partner_name: String,
    name: String,
    key_prefix: String,
    rate_per_minute: i64,
    created_at: Timestamp,
    last_used_at: Option<Timestamp>,
    revoked_at: Option<Timestamp>,
    checks: i64,
}

impl From<ClientRow> for PartnerClient {
    fn from(row: ClientRow) -> Self {
        PartnerClient {
            partner_client_id: row.partner_client_id,
            partner_id: row.partner_id,
            partner_name: row.partner_name,
            name: row.name,
            key_prefix: row.key_prefix,
            rate_per_minute: row.rate_per_minute,
            created_at: row.created_at.to_rfc3339(),
            last_used_at: row.last_used_at.map(|t| t.to_rfc3339()),
            revoked_at: row.revoked_at.map(|t| t.to_rfc3339()),
            checks: row.checks,
        }
    }
}

/// Every client, live ones first, newest first.
pub async fn list_clients(db: &Db) -> Result<Vec<PartnerClient>, sqlx::Error> {
    let sql = format!(
        "{CLIENTS} order by case when c.revoked_at is null then 0 else 1 end, c.created_at desc, c.partner_client_id"
    );
    let rows: Vec<ClientRow> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(PartnerClient::from).collect())
}

pub async fn client_in(tx: &mut DbTx, client_id: &str) -> Result<Option<PartnerClient>, sqlx::Error> {
    let sql = format!("{CLIENTS} where c.partner_client_id = $1");
    let row: Option<ClientRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(client_id)
        .fetch_optional(conn)
        .await)?;
    Ok(row.map(PartnerClient::from))
}

pub struct NewClient<'a> {
    pub partner_id: &'a str,
    pub name: &'a str,
    pub key_hash: &'a str,
    pub key_prefix: &'a str,
    pub rate_per_minute: i64,
    pub created_by: &'a str,
}

pub async fn insert_client(tx: &mut DbTx, client: &NewClient<'_>, now: Timestamp) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into partner_client (partner_client_id, partner_id, name, key_hash, key_prefix, rate_per_minute, \
         created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(&id)
    .bind(client.partner_id)
    .bind(client.name)
    .bind(client.key_hash)
    .bind(client.key_prefix)
    .bind(client.rate_per_minute)
    .bind(client.created_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

pub async fn revoke_client(tx: &mut DbTx, client_id: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update partner_client set revoked_at = $2 where partner_client_id = $1 and revoked_at is null"
    )
    .bind(client_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// A token whose 7-day reminder is due.
#[derive(Debug, sqlx::FromRow)]
pub struct Expiring {
    pub token_id: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub purpose: String,
    pub expires_at: Timestamp,
    pub organisation_name: String,
    pub language: String,
    /// The account holder's e-mail.
    pub holder_email: Option<String>,
}

/// Live tokens expiring after `now` and up to `until` whose reminder has not gone out,
/// soonest first, at most `limit`.
pub async fn expiring(db: &Db, now: Timestamp, until: Timestamp, limit: i64) -> Result<Vec<Expiring>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select t.token_id, t.recipient_name, t.recipient_email, t.purpose, t.expires_at, \
         o.legal_name as organisation_name, o.language, \
         (select p.email from membership m join person p on p.person_id = m.person_id \
          where m.organisation_id = t.organisation_id and m.role = 'account_holder') as holder_email \
         from validation_token t join organisation o on o.organisation_id = t.organisation_id \
         where t.reminded_at is null and t.revoked_at is null and t.expires_at > $1 and t.expires_at <= $2 \
         order by t.expires_at limit $3"
    )
    .bind(now)
    .bind(until)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Claims the reminder of one token: true for exactly one caller, however many instances
/// sweep at once.
pub async fn claim_reminder(tx: &mut DbTx, token_id: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| {
        sqlx::query(
        "update validation_token set reminded_at = $2 where token_id = $1 and reminded_at is null and revoked_at is null"
    )
    .bind(token_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(rows == 1)
}
