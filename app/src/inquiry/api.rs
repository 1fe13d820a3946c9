//! Server functions of the staff side of the public questions.

use crate::error::AppError;
use crate::inquiry::model::InquiryListing;
use leptos::prelude::*;

/// Staff: one page of the questions, open (default) or answered, newest first, searched by
/// the organisation's name, the reply e-mail or the enterprise number in any spelling.
#[server(prefix = "/api", endpoint = "list_inquiries")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_inquiries(
    status: Option<String>,
    search: Option<String>,
    page: Option<i64>,
) -> Result<InquiryListing, AppError> {
    use crate::inquiry::model::{InquiryStatus, MAX_SEARCH_CHARS, PAGE_SIZE};
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let status = InquiryStatus::parse(status.as_deref().unwrap_or_default());
        let search = search.unwrap_or_default().trim().to_owned();
        if search.chars().count() > MAX_SEARCH_CHARS {
            return Err(AppError::field("search", "too_long"));
        }
        // Digits (and the RCS letter) of a number typed in any spelling: "BE 0412.345.614".
        let key: String = search
            .to_uppercase()
            .trim_start_matches("BE")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let digits = if key.chars().filter(char::is_ascii_digit).count() >= 3 {
            crate::inquiry::db::like_pattern(&key).to_uppercase()
        } else {
            String::new()
        };
        let filter = crate::inquiry::db::InquiryFilter {
            status,
            text_pattern: crate::inquiry::db::like_pattern(&search),
            digits_pattern: digits,
        };
        let page = page.unwrap_or(1).clamp(1, 1_000_000);
        let (items, total) =
            crate::inquiry::db::page(&state.db, &filter, PAGE_SIZE, (page - 1).saturating_mul(PAGE_SIZE)).await?;
        let open_total = crate::inquiry::db::open_count(&state.db).await?;
        Ok(InquiryListing {
            items,
            total,
            page,
            page_size: PAGE_SIZE,
            open_total,
            site: state.config.public_url.clone(),
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: "Envoyer et clore". E-mails the (edited) answer to the inquirer through the outbox,
/// in the language the question was asked in, and closes the question with who answered, when
/// and what. Two staff answering at once: one e-mail and one answer; the other gets 409
/// `inquiry_answered`.
#[server(prefix = "/api", endpoint = "answer_inquiry")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn answer_inquiry(inquiry_id: String, template: String, text: String) -> Result<(), AppError> {
    use crate::inquiry::model::{AnswerTemplate, validate_answer};
    use crate::mail::templates::Email;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let mut errors = crate::error::FieldErrors::new();
        let template = AnswerTemplate::parse(&template);
        if template.is_none() {
            errors.insert("template".into(), vec!["choose_one".into()]);
        }
        let text = validate_answer(&text).unwrap_or_else(|code| {
            errors.insert("text".into(), vec![code.into()]);
            String::new()
        });
        let Some(template) = template.filter(|_| errors.is_empty()) else {
            return Err(AppError::Validation { fields: errors });
        };
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let (reply_email, language, organisation) = crate::inquiry::db::for_answer(&mut tx, &inquiry_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !crate::inquiry::db::close(&mut tx, &inquiry_id, template.as_str(), &text, &staff.person_id, now).await? {
            return Err(AppError::Conflict("inquiry_answered".into()));
        }
        // The name as the public typed it goes into the subject: one line.
        let organisation = organisation.split_whitespace().collect::<Vec<_>>().join(" ");
        let email = Email::InquiryAnswered {
            organisation,
            answer: text.clone(),
        };
        crate::mail::queue(
            &mut tx,
            &state,
            &reply_email,
            &email,
            crate::org::api::locale_of(&language),
        )
        .await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "inquiry.answered",
                entity_type: "registration_inquiry",
                entity_id: &inquiry_id,
                before: Some(serde_json::json!({ "status": "open" })),
                after: Some(serde_json::json!({
                    "status": "answered",
                    "template": template.as_str(),
                    "text": text,
                    "language": language,
                })),
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
