//! `POST /change-requests`: the account page's change-request form, with its supporting
//! document, as one plain multipart form. It works from any browser, before the WASM loads
//! too; the outcome comes back to the account page in `?change=` (or as JSON for a caller
//! that asks for it with `Accept: application/json`).

use crate::auth::session::user_from_headers;
use crate::change::api::{Upload, file_change};
use crate::change::model::ChangeForm;
use crate::error::AppError;
use crate::org::registration::{MAX_DOCUMENT_BYTES, safe_file_name};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// The error code the account page shows after a refused form: the document's first, then the
/// whole form's, then any field's.
fn outcome_code(error: &AppError) -> String {
    match error {
        AppError::Validation { fields } => ["document", "form"]
            .iter()
            .find_map(|field| fields.get(*field).and_then(|codes| codes.first()))
            .or_else(|| fields.values().find_map(|codes| codes.first()))
            .cloned()
            .unwrap_or_else(|| "invalid".into()),
        AppError::Conflict(code) => code.clone(),
        _ => "invalid".into(),
    }
}

/// Fields `form[legal_name]`, `form[enterprise_number]`, `form[street]`, `form[postal_code]`,
/// `form[city]`, `form[contact_email]`, `form[note]` and `file` (optional, except for a new
/// name or enterprise number). The account holder only.
pub async fn submit_change_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let refuse = |error: AppError| -> Response {
        if wants_json {
            let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, Json(error)).into_response()
        } else {
            match error {
                AppError::Validation { .. } | AppError::Conflict(_) => {
                    Redirect::to(&format!("/account?change={}#change-title", outcome_code(&error))).into_response()
                }
                AppError::Unauthorized => Redirect::to("/login").into_response(),
                other => StatusCode::from_u16(other.status_code())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                    .into_response(),
            }
        }
    };
    let user = match user_from_headers(&state, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return refuse(AppError::Unauthorized),
        Err(error) => return refuse(error),
    };
    let Some(organisation_id) = user
        .membership
        .as_ref()
        .map(|m| m.organisation_id.clone())
        .filter(|id| user.is_holder_of(id))
    else {
        return refuse(AppError::Forbidden);
    };
    let mut form = ChangeForm::default();
    let mut upload = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Past the body limit, or a broken envelope.
            Err(_) => return refuse(AppError::field("document", "file_too_large")),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let content = match field.bytes().await {
                Ok(bytes) if bytes.len() > MAX_DOCUMENT_BYTES => {
                    return refuse(AppError::field("document", "file_too_large"));
                }
                Ok(bytes) => bytes.to_vec(),
                Err(_) => return refuse(AppError::field("document", "file_too_large")),
            };
            // A file input left empty still sends a part, with no name and no bytes.
            if !(file_name.is_empty() && content.is_empty()) {
                upload = Some(Upload {
                    file_name: safe_file_name(if file_name.is_empty() { "document" } else { &file_name }),
                    content,
                });
            }
            continue;
        }
        let Ok(value) = field.text().await else {
            return refuse(AppError::field("form", "invalid"));
        };
        match name.as_str() {
            "form[legal_name]" => form.legal_name = value,
            "form[enterprise_number]" => form.enterprise_number = value,
            "form[street]" => form.street = value,
            "form[postal_code]" => form.postal_code = value,
            "form[city]" => form.city = value,
            "form[contact_email]" => form.contact_email = value,
            "form[note]" => form.note = value,
            _ => {}
        }
    }
    match file_change(&state, &user, &organisation_id, &form, upload).await {
        Ok(id) if wants_json => Json(serde_json::json!({ "change_request_id": id })).into_response(),
        Ok(_) => Redirect::to("/account?change=ok#change-title").into_response(),
        Err(error) => refuse(error),
    }
}
