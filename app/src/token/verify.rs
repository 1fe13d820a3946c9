//! A partner checks a token: the one path behind `POST /api/v1/tokens/verify` and the page
//! where a partner's staff check by hand. Authenticates the client's key, holds it to its
//! checks per minute, judges the token and logs the check, in one transaction.

use crate::db::Timestamp;
use crate::state::AppState;
use crate::token::model::{Outcome, Verdict};
use crate::token::rules::{TokenCode, judge, rate_allows};

/// The rate limit's window.
pub const WINDOW: chrono::Duration = chrono::Duration::seconds(60);

/// Why a check got no verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// No key, or one that no live client has.
    BadKey,
    /// The client used its checks of the last minute: try again after this many seconds.
    RateLimited { retry_after: u64 },
    /// The text is not of the token shape (it is logged, without the text).
    Malformed,
    /// The database failed; the cause is in the server log.
    Internal,
}

impl From<sqlx::Error> for VerifyError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "token verification: database error");
        VerifyError::Internal
    }
}

/// A partner's API client, once its key is known.
#[derive(Debug, Clone)]
pub struct Client {
    client_id: String,
    partner_id: String,
    rate_per_minute: i64,
}

/// The live client whose key is `key`. Only the key's SHA-256 is looked up.
pub async fn authenticate(state: &AppState, key: Option<&str>) -> Result<Client, VerifyError> {
    let key = key
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or(VerifyError::BadKey)?;
    let key_hash = crate::auth::session::hash_token(key);
    let (client_id, partner_id, rate_per_minute) = crate::token::db::client_by_key_hash(&state.db, &key_hash)
        .await?
        .ok_or(VerifyError::BadKey)?;
    Ok(Client {
        client_id,
        partner_id,
        rate_per_minute,
    })
}

/// Checks `code` for `client` at `now`. The code never reaches a log line: errors do not
/// name it.
pub async fn verify(state: &AppState, client: Client, code: &str, now: Timestamp) -> Result<Verdict, VerifyError> {
    let Client {
        client_id,
        partner_id,
        rate_per_minute: rate,
    } = client;
    let mut tx = state.db.begin().await?;
    if !crate::token::db::lock_client(&mut tx, &client_id, now).await? {
        return Err(VerifyError::BadKey);
    }
    let (used, oldest) = crate::token::db::checks_since(&mut tx, &client_id, now - WINDOW, rate).await?;
    if let Err(retry_after) = rate_allows(used, rate, oldest, WINDOW, now) {
        // Nothing written (dropping rolls back): the refused call does not count.
        drop(tx);
        return Err(VerifyError::RateLimited { retry_after });
    }
    let Some(code) = TokenCode::parse(code) else {
        crate::token::db::insert_check(&mut tx, &client_id, None, "malformed", now).await?;
        tx.commit().await?;
        return Err(VerifyError::Malformed);
    };
    let found = crate::token::db::facts_by_code(&mut tx, code.as_str()).await?;
    let outcome = judge(found.as_ref().map(|(_, facts, _)| facts), &partner_id, now);
    let token_id = found.as_ref().map(|(id, _, _)| id.as_str());
    crate::token::db::insert_check(&mut tx, &client_id, token_id, outcome.as_str(), now).await?;
    tx.commit().await?;

    // A dead or unvalidated token says nothing about its organisation.
    let disclose = matches!(outcome, Outcome::Valid | Outcome::NotQualified);
    // A partner learns whether the organisation is qualified for itself, never for which
    // other partners (its dealings with them are the organisation's business).
    let (organisation, qualified_partners, expires_at) = match found {
        Some((_, facts, organisation)) if disclose => (
            Some(organisation),
            facts
                .qualified_partners
                .into_iter()
                .filter(|p| *p == partner_id)
                .collect(),
            Some(facts.expires_at.to_rfc3339()),
        ),
        Some((_, facts, _)) => (None, Vec::new(), Some(facts.expires_at.to_rfc3339())),
        None => (None, Vec::new(), None),
    };
    Ok(Verdict {
        valid: outcome == Outcome::Valid,
        reason: (outcome != Outcome::Valid).then_some(outcome),
        partner: partner_id,
        checked_at: now.to_rfc3339(),
        expires_at,
        organisation,
        qualified_partners,
    })
}
