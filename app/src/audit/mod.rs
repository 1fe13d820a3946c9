//! The audit trail: every staff decision and every change of organisation data is written
//! in the same transaction as the change itself (who, when, what, before, after). It is
//! append-only: this module only inserts and reads, and database triggers refuse any update
//! or delete (migration 17). Staff search it at `/admin/audit` and export it as CSV.

pub mod api;
pub use domain::audit::model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;

#[cfg(feature = "ssr")]
use crate::db::{DbTx, Timestamp, new_id};
#[cfg(feature = "ssr")]
use crate::on_tx;
#[cfg(feature = "ssr")]
use serde_json::Value;

/// One audited change.
#[cfg(feature = "ssr")]
pub struct AuditEvent<'a> {
    /// The person who acted; `None` for the system (imports, demo data).
    pub actor: Option<&'a str>,
    /// What happened, as `entity.verb` (`organisation.eligibility_decided`…).
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[cfg(feature = "ssr")]
pub async fn record(tx: &mut DbTx, event: AuditEvent<'_>, at: Timestamp) -> Result<(), sqlx::Error> {
    let before = event.before.map(|v| v.to_string());
    let after = event.after.map(|v| v.to_string());
    on_tx!(tx, |conn| sqlx::query(
        "insert into audit_event (audit_event_id, occurred_at, actor_person_id, action, entity_type, entity_id, \
         before_json, after_json) values ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(new_id())
    .bind(at)
    .bind(event.actor)
    .bind(event.action)
    .bind(event.entity_type)
    .bind(event.entity_id)
    .bind(before.as_deref())
    .bind(after.as_deref())
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}
