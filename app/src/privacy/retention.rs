//! Retention: what is no longer needed is deleted, on the periods the privacy page states.
//!
//! | what | deleted |
//! |---|---|
//! | rate-limit rows (logins, resets, public forms) | 1 day after their window (the longest is 1 hour) |
//! | sessions, and logins left waiting for their second factor | 30 days after they ended |
//! | password-reset and e-mail-change links | 7 days after they expired |
//! | unconfirmed registrations | 7 days after their link expired |
//! | contact conversations and their messages | 2 years after they were closed |
//! | documents of a refused organisation, change request or join request | `RETENTION_REFUSED_DOCUMENTS_DAYS` (90) after the refusal, 1,000 a run |
//!
//! Invoices, credit notes, orders and the audit trail are kept 10 years (Belgian accounting
//! law) and are not touched here. Each statement is one conditional `DELETE`, so several
//! instances running the purge at once delete each row once, and a second run finds nothing.

use crate::db::Timestamp;
use crate::on_tx;
use crate::state::AppState;
use chrono::Duration;

/// How long a rate-limit row outlives the longest window.
pub const ATTEMPTS_AFTER_WINDOW: Duration = Duration::days(1);
/// The longest rate-limit window (reset requests and public forms: 1 hour).
pub const LONGEST_WINDOW: Duration = Duration::hours(1);
/// Sessions are kept this long after they ended (expired).
pub const SESSIONS_AFTER_END: Duration = Duration::days(30);
/// Reset and e-mail-change links and unconfirmed registrations, this long after they expired.
pub const LINKS_AFTER_EXPIRY: Duration = Duration::days(7);
/// Contact conversations (with their messages), this long after they were closed.
pub const CONVERSATIONS_AFTER_CLOSING: Duration = Duration::days(730);

/// What one purge deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub attempts: u64,
    pub sessions: u64,
    pub links: u64,
    /// Unconfirmed registrations and e-mail-change links.
    pub registrations: u64,
    pub conversations: u64,
    pub documents: u64,
}

impl Purged {
    pub fn total(&self) -> u64 {
        self.attempts + self.sessions + self.links + self.registrations + self.conversations + self.documents
    }
}

async fn delete_before(state: &AppState, sql: &'static str, cutoff: Timestamp) -> Result<u64, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let deleted = on_tx!(&mut tx, |conn| sqlx::query(sql)
        .bind(cutoff)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    tx.commit().await?;
    Ok(deleted)
}

/// Deletes, as of `now`, everything whose retention period has run out.
pub async fn purge(state: &AppState, now: Timestamp) -> Result<Purged, sqlx::Error> {
    let documents_cutoff = now - Duration::days(i64::from(state.config.refused_documents_days));
    Ok(Purged {
        attempts: delete_before(
            state,
            "delete from auth_attempt where attempted_at < $1",
            now - LONGEST_WINDOW - ATTEMPTS_AFTER_WINDOW,
        )
        .await?,
        sessions: delete_before(
            state,
            "delete from session where expires_at < $1",
            now - SESSIONS_AFTER_END,
        )
        .await?
            + delete_before(
                state,
                "delete from mfa_challenge where expires_at < $1",
                now - SESSIONS_AFTER_END,
            )
            .await?,
        links: delete_before(
            state,
            "delete from password_reset where expires_at < $1",
            now - LINKS_AFTER_EXPIRY,
        )
        .await?,
        registrations: delete_before(
            state,
            "delete from pending_registration where expires_at < $1",
            now - LINKS_AFTER_EXPIRY,
        )
        .await?
            + delete_before(
                state,
                "delete from email_change where expires_at < $1",
                now - LINKS_AFTER_EXPIRY,
            )
            .await?,
        conversations: delete_before(
            state,
            "delete from contact_conversation where status = 'closed' and closed_at < $1",
            now - CONVERSATIONS_AFTER_CLOSING,
        )
        .await?,
        documents: refused_documents(state, documents_cutoff).await?,
    })
}

/// The documents of change requests refused before `cutoff`, and of organisations refused
/// before it with no appeal waiting. A change request's link to its document is cleared first
/// (the request itself stays, with its decision).
async fn refused_documents(state: &AppState, cutoff: Timestamp) -> Result<u64, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let ids: Vec<String> = on_tx!(&mut tx, |conn| sqlx::query_scalar(
        "select d.document_id from document d where d.document_id in \
             (select c.document_id from change_request c where c.status = 'refused' and c.decided_at < $1) \
         or d.organisation_id in (select o.organisation_id from organisation o \
             where o.eligibility_status = 'rejected' and o.reviewed_at < $1 and o.appealed_at is null) \
         limit 1000"
    )
    .bind(cutoff)
    .fetch_all(conn)
    .await)?;
    let mut deleted = 0;
    for id in &ids {
        on_tx!(&mut tx, |conn| sqlx::query(
            "update change_request set document_id = null where document_id = $1"
        )
        .bind(id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
        deleted += on_tx!(&mut tx, |conn| sqlx::query(
            "delete from document where document_id = $1"
        )
        .bind(id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    }
    // A refused join request keeps its decision; its supporting document goes.
    deleted += on_tx!(&mut tx, |conn| sqlx::query(
        "update join_request set document_content = null, document_name = null, document_type = null, \
         document_size = null where status = 'refused' and decided_at < $1 and document_content is not null"
    )
    .bind(cutoff)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    tx.commit().await?;
    Ok(deleted)
}
