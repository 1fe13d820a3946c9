//! Server functions of the help centre: reading and searching (public), editing (staff).

use crate::error::AppError;
use crate::help::model::{HelpCentre, HelpEntry, HelpTexts};
use leptos::prelude::*;

/// How many hits a search shows.
pub const MAX_HITS: i64 = 20;

/// "En quoi pouvons-nous vous aider ?": every section in `locale` (fr, nl or en; anything else
/// reads as French), and the hits of `query` when it holds a word. Public.
#[server(prefix = "/api", endpoint = "help_centre")]
pub async fn load_help_centre(query: String, locale: String) -> Result<HelpCentre, AppError> {
    use crate::help::db::{self, Lang};
    let result = async {
        let state = crate::state::app_state()?;
        let lang = Lang::parse(&locale);
        let sections = db::sections(&state.db, lang).await?;
        let terms = crate::help::rules::query_terms(&query);
        let hits = if query.trim().is_empty() {
            None
        } else {
            Some(db::search(&state.db, lang, &terms, MAX_HITS).await?)
        };
        Ok(HelpCentre { sections, hits })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: every question in the three languages, for the editor.
#[server(prefix = "/api", endpoint = "help_entries")]
pub async fn help_entries() -> Result<Vec<HelpEntry>, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        Ok(crate::help::db::entries(&state.db).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// Staff (admin and agent): new texts for a question. Every text is required, at most
/// [`crate::help::rules::MAX_TEXT_CHARS`] characters, and links stay inside the portal.
/// The change is audited with the texts before and after.
#[server(prefix = "/api", endpoint = "save_help_question")]
pub async fn save_help_question(question_id: String, texts: HelpTexts) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let texts = validate_texts(texts)?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let before = crate::help::db::entry_for_update(&mut tx, &question_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if before.texts == texts {
            return Ok(());
        }
        crate::help::db::update_question(&mut tx, &question_id, &texts, &staff.person_id, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "help.question_edited",
                entity_type: "help_question",
                entity_id: &question_id,
                before: Some(changed_texts(&before.texts, &texts, true)),
                after: Some(changed_texts(&before.texts, &texts, false)),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        // What the public pages show changed: the kept copies go (`page_cache`).
        state.pages.clear();
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Trims the texts and checks them; every refused field is named.
#[cfg(feature = "ssr")]
fn validate_texts(texts: HelpTexts) -> Result<HelpTexts, AppError> {
    use crate::error::FieldErrors;
    use crate::help::rules::{AnswerError, MAX_TEXT_CHARS, check_answer};
    let trimmed = HelpTexts {
        question_fr: texts.question_fr.trim().to_owned(),
        question_nl: texts.question_nl.trim().to_owned(),
        question_en: texts.question_en.trim().to_owned(),
        answer_fr: texts.answer_fr.trim().to_owned(),
        answer_nl: texts.answer_nl.trim().to_owned(),
        answer_en: texts.answer_en.trim().to_owned(),
    };
    let mut errors = FieldErrors::new();
    let fields = [
        ("texts[question_fr]", &trimmed.question_fr, false),
        ("texts[question_nl]", &trimmed.question_nl, false),
        ("texts[question_en]", &trimmed.question_en, false),
        ("texts[answer_fr]", &trimmed.answer_fr, true),
        ("texts[answer_nl]", &trimmed.answer_nl, true),
        ("texts[answer_en]", &trimmed.answer_en, true),
    ];
    for (field, text, is_answer) in fields {
        let problem = if text.is_empty() {
            Some("required")
        } else if text.chars().count() > MAX_TEXT_CHARS {
            Some("too_long")
        } else if is_answer {
            match check_answer(text) {
                Ok(()) => None,
                Err(AnswerError::ExternalLink) => Some("link_external"),
                Err(AnswerError::BrokenLink) => Some("link_broken"),
            }
        } else {
            None
        };
        if let Some(code) = problem {
            errors.insert(field.to_owned(), vec![code.to_owned()]);
        }
    }
    if errors.is_empty() {
        Ok(trimmed)
    } else {
        Err(AppError::Validation { fields: errors })
    }
}

/// The texts that changed, before (`old = true`) or after, for the audit trail.
#[cfg(feature = "ssr")]
fn changed_texts(before: &HelpTexts, after: &HelpTexts, old: bool) -> serde_json::Value {
    let pairs = [
        ("question_fr", &before.question_fr, &after.question_fr),
        ("question_nl", &before.question_nl, &after.question_nl),
        ("question_en", &before.question_en, &after.question_en),
        ("answer_fr", &before.answer_fr, &after.answer_fr),
        ("answer_nl", &before.answer_nl, &after.answer_nl),
        ("answer_en", &before.answer_en, &after.answer_en),
    ];
    let mut map = serde_json::Map::new();
    for (name, was, is) in pairs {
        if was != is {
            let value = if old { was } else { is };
            map.insert(name.to_owned(), serde_json::Value::String(value.clone()));
        }
    }
    serde_json::Value::Object(map)
}
