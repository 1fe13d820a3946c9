//! Uploaded documents (statutes, evidence) travel as plain multipart forms, so that the
//! upload works from any browser, even before the WASM has loaded. Files live in the
//! database (every app instance serves them) and are served only to the organisation that
//! owns them and to staff.

use crate::auth::session::user_from_headers;
use crate::org::db::{NewDocument, find_document, insert_document, mark_submitted, stored_document_bytes};
use crate::org::registration::{MAX_DOCUMENT_BYTES, safe_file_name, sniff_document};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Where the upload form lives, and where the browser goes back with the outcome.
const ACCOUNT: &str = "/account";

fn back(outcome: &str) -> Response {
    Redirect::to(&format!("{ACCOUNT}?upload={outcome}")).into_response()
}

/// A document form as the browser sends it: the text of `text_field` (the last one sent) and
/// the `file` part, its name made safe. `Err("file_too_large")` past `MAX_DOCUMENT_BYTES` or
/// the body limit (a broken envelope too).
pub(crate) async fn read_document_form(
    form: &mut Multipart,
    text_field: &str,
) -> Result<(Option<String>, Option<(String, Vec<u8>)>), &'static str> {
    let mut text = None;
    let mut file = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err("file_too_large"),
        };
        match field.name() {
            Some(name) if name == text_field => text = Some(field.text().await.unwrap_or_default()),
            Some("file") => {
                let name = safe_file_name(field.file_name().unwrap_or("document"));
                match field.bytes().await {
                    Ok(bytes) if bytes.len() > MAX_DOCUMENT_BYTES => return Err("file_too_large"),
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => return Err("file_too_large"),
                }
            }
            _ => {}
        }
    }
    Ok((text, file))
}

/// The uploaded file with its type, or why not: `file_missing` (a file input left empty still
/// sends a part, with no bytes) or `file_type` (not a PDF, PNG or JPEG by its content).
pub(crate) fn checked_document(
    file: Option<(String, Vec<u8>)>,
) -> Result<(String, Vec<u8>, &'static str), &'static str> {
    let Some((file_name, content)) = file.filter(|(_, content)| !content.is_empty()) else {
        return Err("file_missing");
    };
    let Some(content_type) = sniff_document(&content) else {
        return Err("file_type");
    };
    Ok((file_name, content, content_type))
}

/// `POST /documents`: fields `kind` (`statutes`, `info_response` or `change_request`) and
/// `file`. Members only.
pub async fn upload_document(State(state): State<AppState>, headers: HeaderMap, mut form: Multipart) -> Response {
    let user = match user_from_headers(&state, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let Some(membership) = user.membership.clone() else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let (kind, file) = match read_document_form(&mut form, "kind").await {
        Ok((kind, file)) => (kind.unwrap_or_default(), file),
        Err(code) => return back(code),
    };
    if !matches!(kind.as_str(), "statutes" | "info_response" | "change_request") {
        return back("kind_invalid");
    }
    let (file_name, content, content_type) = match checked_document(file) {
        Ok(document) => document,
        Err(code) => return back(code),
    };
    let now = crate::db::now();
    let quota = i64::try_from(state.config.document_storage_per_organisation).unwrap_or(i64::MAX);
    let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
    let stored = async {
        let mut tx = state.db.begin().await?;
        // The organisation's documents together stay within its quota: one member cannot
        // fill the disk five megabytes at a time.
        if stored_document_bytes(&mut tx, &membership.organisation_id)
            .await?
            .saturating_add(size)
            > quota
        {
            tx.rollback().await?;
            return Ok(false);
        }
        let document = NewDocument {
            organisation_id: &membership.organisation_id,
            kind: &kind,
            file_name: &file_name,
            content_type,
            content: &content,
            uploaded_by: Some(&user.person_id),
        };
        let id = insert_document(&mut tx, &document, now).await?;
        if kind == "statutes" {
            mark_submitted(&mut tx, &membership.organisation_id, now).await?;
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&user.person_id),
                action: "organisation.document_added",
                entity_type: "organisation",
                entity_id: &membership.organisation_id,
                before: None,
                after: Some(serde_json::json!({ "document": id, "kind": kind, "file_name": file_name })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok::<bool, sqlx::Error>(true)
    }
    .await;
    match stored {
        Ok(true) => back("ok"),
        Ok(false) => back("storage_full"),
        Err(error) => {
            tracing::error!(%error, "storing a document failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /documents/{id}`: the file, to a member of its organisation or to staff.
pub async fn download_document(
    State(state): State<AppState>,
    Path(document_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let user = match user_from_headers(&state, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let document = match find_document(&state.db, &document_id).await {
        Ok(Some(document)) => document,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // Another organisation's file answers exactly like a missing one.
    if !user.is_staff() && !user.is_member_of(&document.organisation_id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    stored_file_response(&document.file_name, &document.content_type, document.content)
}

/// A stored upload as its download: its declared type, saved under its name, never shown in
/// the portal's origin. Statutes, change-request and join-request documents all go out so.
pub(crate) fn stored_file_response(file_name: &str, content_type: &str, content: Vec<u8>) -> Response {
    let mut response = content.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // Saved, never shown in the portal's origin: a file that is also HTML or script (a
    // PDF/PNG polyglot) cannot run as the portal's page. The sandbox holds if a browser
    // shows it all the same; `nosniff` keeps the declared type.
    if let Ok(value) = HeaderValue::from_str(&attachment(file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        axum::http::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// `Content-Disposition` for a download named `file_name` (already [`safe_file_name`]): an
/// ASCII name for every browser, and the exact name in RFC 5987 form (`filename*`).
pub(crate) fn attachment(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = crate::ui::url::percent_encode(file_name);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
