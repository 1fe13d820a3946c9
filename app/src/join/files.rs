//! Staff's approval of a join request with its supporting document, as one plain multipart
//! form (it works before the WASM loads), and the document served back to staff.
//! `POST /admin/join-requests/{id}/approve`: fields `role` (`member` or `account_holder`) and
//! `file` (PDF, PNG or JPEG, at most 5 MiB: checked like change-request files). The outcome
//! comes back to `/admin/join-requests?join=…`.

use crate::auth::session::{unusable_password, user_from_headers};
use crate::error::AppError;
use crate::join::api::{Decision, approve};
use crate::join::db::Evidence;
use crate::org::files::{checked_document, read_document_form};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

const LIST: &str = "/admin/join-requests";

fn back(outcome: &str) -> Response {
    Redirect::to(&format!("{LIST}?join={outcome}")).into_response()
}

/// The code the staff page shows for a refused approval.
fn outcome_code(error: &AppError) -> String {
    match error {
        AppError::Validation { fields } => fields
            .values()
            .find_map(|codes| codes.first())
            .cloned()
            .unwrap_or_else(|| "invalid".into()),
        AppError::Conflict(code) => code.clone(),
        AppError::NotFound => "not_found".into(),
        _ => "invalid".into(),
    }
}

pub async fn approve_with_document(
    State(state): State<AppState>,
    Path(join_request_id): Path<String>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let staff = match user_from_headers(&state, &headers).await {
        Ok(Some(user)) if user.is_staff() => user,
        Ok(Some(_)) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let (role, file) = match read_document_form(&mut form, "role").await {
        Ok((role, file)) => (role.unwrap_or_else(|| String::from("member")), file),
        Err(code) => return back(code),
    };
    if !matches!(role.as_str(), "member" | "account_holder") {
        return back("choose_one");
    }
    let (file_name, content, content_type) = match checked_document(file) {
        Ok(document) => document,
        Err(code) => return back(code),
    };
    let evidence = Evidence {
        file_name: &file_name,
        content_type,
        content: &content,
    };
    let approved = async {
        let password_hash = unusable_password().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let request = crate::join::db::pending_for_update(&mut tx, &join_request_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let decision = Decision {
            join_request_id: &join_request_id,
            request: &request,
            decider_id: &staff.person_id,
            inviter_name: &state.config.programme.name,
            role: &role,
            evidence: Some(&evidence),
        };
        approve(&mut tx, &state, &decision, &password_hash, now).await?;
        tx.commit().await?;
        crate::mail::wake(&state);
        Ok::<(), AppError>(())
    }
    .await;
    match approved {
        Ok(()) => back("ok"),
        Err(AppError::Internal) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Err(error) => back(&outcome_code(&error)),
    }
}

/// `GET /admin/join-requests/{id}/document`: staff's supporting document, to staff only, as a
/// sandboxed attachment like every uploaded file.
pub async fn download_evidence(
    State(state): State<AppState>,
    Path(join_request_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match user_from_headers(&state, &headers).await {
        Ok(Some(user)) if user.is_staff() => {}
        Ok(Some(_)) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    let (file_name, content_type, content) = match crate::join::db::evidence_of(&state.db, &join_request_id).await {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // The same headers as every stored document (cross-origin-resource-policy included).
    crate::org::files::stored_file_response(&file_name, &content_type, content)
}
