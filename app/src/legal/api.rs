//! Server functions of the legal pages: reading (public), editing (admins only — agents
//! get 403, since these texts bind the programme).

use crate::error::AppError;
use crate::legal::model::LegalText;
use leptos::prelude::*;

/// A legal page (`terms` or `privacy`) in `locale` (fr, nl or en; anything else reads as
/// French). Public.
#[server(prefix = "/api", endpoint = "legal_text")]
pub async fn load_legal_text(page: String, locale: String) -> Result<LegalText, AppError> {
    use crate::legal::model::LegalPage;
    let result = async {
        let state = crate::state::app_state()?;
        let page = LegalPage::parse(&page).ok_or(AppError::NotFound)?;
        let language = match locale.as_str() {
            "nl" | "en" => locale.as_str(),
            _ => "fr",
        };
        crate::legal::db::text(&state.db, page, language)
            .await?
            .ok_or(AppError::NotFound)
    }
    .await;
    crate::error::with_status(result)
}

/// Admins: every legal text in every language, for the editor.
#[server(prefix = "/api", endpoint = "legal_texts")]
pub async fn legal_texts() -> Result<Vec<LegalText>, AppError> {
    let result = async {
        let (state, _admin) = crate::auth::session::require_admin().await?;
        Ok(crate::legal::db::texts(&state.db).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// Admins: a new text of one page in one language. Required, at most
/// [`crate::legal::rules::MAX_LEGAL_CHARS`] characters, links inside the portal. Audited with
/// the text before and after; saving the same text changes nothing.
#[server(prefix = "/api", endpoint = "save_legal_text")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_legal_text(page: String, language: String, body: String) -> Result<(), AppError> {
    use crate::legal::model::{LANGUAGES, LegalPage};
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        let page = LegalPage::parse(&page).ok_or_else(|| AppError::field("page", "choose_one"))?;
        if !LANGUAGES.contains(&language.as_str()) {
            return Err(AppError::field("language", "choose_one"));
        }
        let body = crate::legal::rules::check_text(&body).map_err(|code| AppError::field("body", code))?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let before = crate::legal::db::body_for_update(&mut tx, page, &language).await?;
        if before.as_deref() == Some(body.as_str()) {
            return Ok(());
        }
        crate::legal::db::save(&mut tx, page, &language, &body, &admin.person_id, now).await?;
        let entity = format!("{}/{language}", page.as_str());
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&admin.person_id),
                action: "legal.text_edited",
                entity_type: "legal_text",
                entity_id: &entity,
                before: before.map(|body| serde_json::json!({ "body": body })),
                after: Some(serde_json::json!({ "body": body })),
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
