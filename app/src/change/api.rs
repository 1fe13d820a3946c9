//! Server functions of change requests: the account holder files, staff decide.

use crate::change::model::{ChangeForm, ChangeRequest};
use crate::error::AppError;
use leptos::prelude::*;

/// A supporting document as it came in the request form: its name (made safe) and bytes.
#[cfg(feature = "ssr")]
pub struct Upload {
    pub file_name: String,
    pub content: Vec<u8>,
}

/// Files `form` (with its supporting document, if any) for the holder's organisation, in one
/// transaction: the document is stored only with its request. The same checks whichever way
/// it comes (the multipart route of the account page, or [`request_change`] without a file):
/// field errors and the document's together, so one round trip tells everything to fix.
#[cfg(feature = "ssr")]
pub async fn file_change(
    state: &crate::state::AppState,
    holder: &crate::auth::model::CurrentUser,
    organisation_id: &str,
    form: &ChangeForm,
    upload: Option<Upload>,
) -> Result<String, AppError> {
    use crate::org::registration::{MAX_DOCUMENT_BYTES, sniff_document};
    let file = crate::org::db::organisation_file(&state.db, organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = crate::error::FieldErrors::new();
    let change = crate::change::rules::validate_change(form, file.country)
        .map_err(|fields| errors.extend(fields))
        .ok();
    let mut document_error = |code: &str| {
        errors.insert("document".into(), vec![code.into()]);
    };
    let document = match upload {
        Some(upload) if upload.content.is_empty() => {
            document_error("file_missing");
            None
        }
        Some(upload) if upload.content.len() > MAX_DOCUMENT_BYTES => {
            document_error("file_too_large");
            None
        }
        Some(upload) => match sniff_document(&upload.content) {
            Some(content_type) => Some((upload, content_type)),
            None => {
                document_error("file_type");
                None
            }
        },
        None => None,
    };
    // Asked for by the form even where the new value itself was refused: all to fix at once.
    let needs_document = match &change {
        Some(change) => crate::change::rules::needs_document(change),
        None => !form.legal_name.trim().is_empty() || !form.enterprise_number.trim().is_empty(),
    };
    if document.is_none() && !errors.contains_key("document") && needs_document {
        errors.insert("document".into(), vec!["document_required".into()]);
    }
    let Some(change) = change.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation { fields: errors });
    };
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let document_id = match &document {
        Some((upload, content_type)) => {
            let quota = i64::try_from(state.config.document_storage_per_organisation).unwrap_or(i64::MAX);
            let size = i64::try_from(upload.content.len()).unwrap_or(i64::MAX);
            if crate::org::db::stored_document_bytes(&mut tx, organisation_id)
                .await?
                .saturating_add(size)
                > quota
            {
                return Err(AppError::field("document", "storage_full"));
            }
            let new = crate::org::db::NewDocument {
                organisation_id,
                kind: "change_request",
                file_name: &upload.file_name,
                content_type,
                content: &upload.content,
                uploaded_by: Some(&holder.person_id),
            };
            Some(crate::org::db::insert_document(&mut tx, &new, now).await?)
        }
        None => None,
    };
    let id = match crate::change::db::insert(
        &mut tx,
        organisation_id,
        &holder.person_id,
        &change,
        document_id.as_deref(),
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(AppError::Conflict("change_pending".into()));
        }
        Err(error) => return Err(error.into()),
    };
    crate::audit::record(
        &mut tx,
        crate::audit::AuditEvent {
            actor: Some(&holder.person_id),
            action: "organisation.change_requested",
            entity_type: "organisation",
            entity_id: organisation_id,
            before: None,
            after: Some(serde_json::json!({
                "change_request": id,
                "note": change.note,
                "document": document_id,
                "file_name": document.as_ref().map(|(upload, _)| upload.file_name.clone()),
            })),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The account holder asks to change locked data. One open request at a time. Without a
/// file: a new name or enterprise number needs its document, filed through the account
/// page's form (`POST /change-requests`).
#[server(prefix = "/api", endpoint = "request_change")]
pub async fn request_change(form: ChangeForm) -> Result<(), AppError> {
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        file_change(&state, &holder, &organisation_id, &form, None).await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// The caller's organisation's change requests, newest first. Members.
#[server(prefix = "/api", endpoint = "my_change_requests")]
pub async fn my_change_requests() -> Result<Vec<ChangeRequest>, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        Ok(crate::change::db::for_organisation(&state.db, &organisation_id).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: the pending change requests, oldest first.
#[server(prefix = "/api", endpoint = "pending_change_requests")]
pub async fn pending_change_requests() -> Result<Vec<ChangeRequest>, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        Ok(crate::change::db::pending(&state.db).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// Staff accept (the organisation's data changes) or refuse (a reason is required) a
/// request. Both are audited with the data before and after, and the organisation is told.
#[server(prefix = "/api", endpoint = "decide_change_request")]
pub async fn decide_change_request(
    change_request_id: String,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::mail::templates::Email;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let accept = match decision.as_str() {
            "accepted" => true,
            "refused" => false,
            _ => return Err(AppError::field("decision", "choose_one")),
        };
        let reason = reason.trim().to_owned();
        if !accept && reason.is_empty() {
            return Err(AppError::field("reason", "required"));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let request = crate::change::db::pending_in(&mut tx, &change_request_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let organisation_id = request.organisation_id.clone();
        let before = crate::change::db::current_values(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut after = before.clone();
        if accept {
            for (slot, new) in after.iter_mut().zip([
                &request.legal_name,
                &request.enterprise_number,
                &request.street,
                &request.postal_code,
                &request.city,
                &request.contact_email,
            ]) {
                if let Some(value) = new {
                    slot.clone_from(value);
                }
            }
            if after[1] != before[1]
                && crate::change::db::number_used_elsewhere(&mut tx, &organisation_id, &after[1]).await?
            {
                return Err(AppError::field("form", "enterprise_number_taken"));
            }
            crate::change::db::apply(&mut tx, &organisation_id, &after, now).await?;
        }
        let status = if accept { "accepted" } else { "refused" };
        let reason = (!reason.is_empty()).then_some(reason);
        crate::change::db::decide(
            &mut tx,
            &change_request_id,
            status,
            reason.as_deref(),
            &staff.person_id,
            now,
        )
        .await?;
        let names = [
            "legal_name",
            "enterprise_number",
            "street",
            "postal_code",
            "city",
            "contact_email",
        ];
        let as_json = |values: &[String; 6]| {
            serde_json::Value::Object(
                names
                    .iter()
                    .zip(values)
                    .map(|(k, v)| ((*k).to_owned(), serde_json::json!(v)))
                    .collect(),
            )
        };
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: if accept {
                    "organisation.change_accepted"
                } else {
                    "organisation.change_refused"
                },
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(as_json(&before)),
                after: Some(as_json(&after)),
            },
            now,
        )
        .await?;
        // Tell both the old and (if it changed) the new contact address.
        let (name, to, language) = crate::org::db::contact(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let locale = match language.as_str() {
            "nl" => crate::i18n::Locale::nl,
            "en" => crate::i18n::Locale::en,
            _ => crate::i18n::Locale::fr,
        };
        let email = Email::ChangeRequestDecided {
            organisation: name,
            accepted: accept,
            reason: reason.unwrap_or_default(),
        };
        crate::mail::queue(&mut tx, &state, &to, &email, locale).await?;
        if before[5] != to {
            crate::mail::queue(&mut tx, &state, &before[5], &email, locale).await?;
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}
