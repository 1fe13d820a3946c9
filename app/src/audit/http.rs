//! `GET /admin/audit/export?…`: the audit trail matching the page's filter as CSV (UTF-8
//! with a byte-order mark, so spreadsheets read the accents), oldest first. Staff only.

use crate::audit::model::{AUDIT_EXPORT_LIMIT, AuditEntry, AuditFilter};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn export_csv(
    State(state): State<AppState>,
    Query(filter): Query<AuditFilter>,
    headers: HeaderMap,
) -> Response {
    let staff = match crate::auth::session::user_from_headers(&state, &headers).await {
        Ok(Some(user)) if user.is_staff() => user,
        Ok(Some(_)) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let criteria = match crate::audit::api::criteria(&filter) {
        Ok(criteria) => criteria,
        Err(_) => return (StatusCode::UNPROCESSABLE_ENTITY, "invalid filter").into_response(),
    };
    let entries = match crate::audit::db::entries(&state.db, &criteria, AUDIT_EXPORT_LIMIT, 0, true).await {
        Ok(entries) => entries,
        Err(error) => {
            tracing::error!(%error, "audit export failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let bytes = match to_csv(&entries) {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "audit export failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // Reading the trail in bulk is itself a staff action: recorded with its filter and size.
    if let Err(error) = record_export(&state, &staff.person_id, &filter, entries.len()).await {
        tracing::error!(%error, "audit export not recorded");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let name = format!(
        "attachment; filename=\"audit-{}.csv\"",
        crate::db::now().format("%Y%m%d-%H%M")
    );
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

async fn record_export(state: &AppState, actor: &str, filter: &AuditFilter, rows: usize) -> Result<(), sqlx::Error> {
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    crate::audit::record(
        &mut tx,
        crate::audit::AuditEvent {
            actor: Some(actor),
            action: "audit.exported",
            entity_type: "audit_event",
            entity_id: "export",
            before: None,
            after: Some(serde_json::json!({ "filter": filter, "rows": rows })),
        },
        now,
    )
    .await?;
    tx.commit().await
}

/// The CSV document: a header row, then one row per event. Cells are separated by `;`, as
/// spreadsheets split a CSV file in Belgium (and most of Europe), and every cell is quoted:
/// a value such as `Jean;=1+1;` left bare became three cells there, the middle one a formula;
/// quoted, it stays one cell whichever separator the spreadsheet splits on.
pub fn to_csv(entries: &[AuditEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(&mut out);
        writer.write_record([
            "occurred_at",
            "actor_name",
            "actor_email",
            "action",
            "entity_type",
            "entity_id",
            "before",
            "after",
        ])?;
        for e in entries {
            let occurred_at = e.occurred_at.to_rfc3339();
            let fields: [&str; 8] = [
                occurred_at.as_str(),
                e.actor_name.as_deref().unwrap_or(""),
                e.actor_email.as_deref().unwrap_or(""),
                &e.action,
                &e.entity_type,
                &e.entity_id,
                e.before.as_deref().unwrap_or(""),
                e.after.as_deref().unwrap_or(""),
            ];
            writer.write_record(fields.iter().map(|value| neutralise(value).into_owned()))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage
/// return before one) as a formula: such a value is written with a leading apostrophe.
fn neutralise(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}
