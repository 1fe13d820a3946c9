//! Server functions of change requests: the account holder files, staff decide.

use crate::change::model::{ChangeForm, ChangeRequest};
use crate::error::AppError;
use leptos::prelude::*;

/// The account holder asks to change locked data. One open request at a time.
#[server(prefix = "/api", endpoint = "request_change")]
pub async fn request_change(form: ChangeForm) -> Result<(), AppError> {
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        let file = crate::org::db::organisation_file(&state.db, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let change = crate::change::rules::validate_change(&form, file.country)
            .map_err(|fields| AppError::Validation { fields })?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let id = match crate::change::db::insert(&mut tx, &organisation_id, &holder.person_id, &change, now).await {
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
                entity_id: &organisation_id,
                before: None,
                after: Some(serde_json::json!({ "change_request": id, "note": change.note })),
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
