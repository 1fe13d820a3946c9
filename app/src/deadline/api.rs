//! Server functions of "En retard" and of the digest settings. Staff only.

use crate::deadline::model::LateReport;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many of the oldest items of each kind the dashboard lists.
pub const DASHBOARD_ITEMS: u32 = 10;

/// Staff (admin and agent): every deadline kind, its count and its oldest late items, as of
/// today in Belgium (the request's clock).
#[server(prefix = "/api", endpoint = "staff_late_items")]
pub async fn load_late_items() -> Result<LateReport, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let today = domain::calendar::business_day(crate::db::now());
        Ok(crate::deadline::db::late_report(&state.db, today, DASHBOARD_ITEMS).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// The caller's digest choice, as the settings form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestSettings {
    /// False: "Pas de résumé".
    pub enabled: bool,
    /// The chosen section names (`DigestSection::as_str`).
    pub sections: Vec<String>,
    /// The local hour (Brussels) the digest goes out at.
    pub hour: u32,
}

/// Staff: their own digest choice (every section until they choose).
#[server(prefix = "/api", endpoint = "digest_settings")]
pub async fn load_digest_settings() -> Result<DigestSettings, AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let choice = crate::deadline::digest::choice_of(&state.db, &staff.person_id).await?;
        Ok(DigestSettings {
            enabled: choice.enabled,
            sections: choice.sections.iter().map(|s| s.as_str().to_owned()).collect(),
            hour: state.config.digest_hour,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: saves their own digest choice. `enabled` false is "Pas de résumé"; enabled with no
/// section is refused (choose one, or "no digest"). Audited.
#[server(prefix = "/api", endpoint = "save_digest_settings")]
pub async fn save_digest_settings(enabled: bool, #[server(default)] sections: Vec<String>) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        if sections.len() > domain::deadline::DigestSection::ALL.len() * 2 {
            return Err(AppError::field("sections", "choose_one"));
        }
        let choice = domain::deadline::DigestChoice::parse(enabled, sections.iter().map(String::as_str))
            .map_err(|_| AppError::field("sections", "choose_one"))?;
        if choice.enabled && choice.sections.is_empty() {
            return Err(AppError::field("sections", "choose_one"));
        }
        let before = crate::deadline::digest::choice_of(&state.db, &staff.person_id).await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let text = choice.sections_text();
        crate::deadline::db::save_digest_setting(&mut tx, &staff.person_id, choice.enabled, &text, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "person.digest_settings_changed",
                entity_type: "person",
                entity_id: &staff.person_id,
                before: Some(serde_json::json!({ "enabled": before.enabled, "sections": before.sections_text() })),
                after: Some(serde_json::json!({ "enabled": choice.enabled, "sections": text })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}
