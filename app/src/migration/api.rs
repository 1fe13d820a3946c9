//! Server functions and the upload route of the migration import's staff page.

use crate::error::AppError;
use crate::migration::model::MigrationRunView;
use leptos::prelude::*;

/// Staff: a page of a stored run's report (`REPORT_PAGE` rows), every row or only those
/// with errors or skipped (`problems`).
#[server(prefix = "/api", endpoint = "load_migration_run")]
pub async fn load_migration_run(run_id: String, page: u32, problems: bool) -> Result<MigrationRunView, AppError> {
    use crate::migration::model::{Outcome, REPORT_PAGE};
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let mut tx = state.db.begin_read().await?;
        let stored = crate::migration::db::run(&mut tx, &run_id).await?;
        tx.commit().await?;
        let (mode, _, report_json, created_at, imported_as) = stored.ok_or(AppError::NotFound)?;
        let report: crate::migration::model::MigrationReport =
            serde_json::from_str(&report_json).map_err(|_| AppError::Internal)?;
        let matching: Vec<_> = report
            .rows
            .into_iter()
            .filter(|r| !problems || matches!(r.outcome, Outcome::Error | Outcome::Skipped))
            .collect();
        let start = usize::try_from(page.saturating_mul(REPORT_PAGE)).unwrap_or(usize::MAX);
        Ok(MigrationRunView {
            run_id,
            dry_run: mode == "dry_run",
            imported_as,
            created_at: created_at.to_rfc3339(),
            file_errors: report.file_errors,
            counts: report.counts,
            total: u64::try_from(matching.len()).unwrap_or(u64::MAX),
            page,
            rows: matching
                .into_iter()
                .skip(start)
                .take(usize::try_from(REPORT_PAGE).unwrap_or(50))
                .collect(),
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: "Importer" after a dry run — imports the very files the dry run checked and
/// answers the import run's id. Pressed again (another tab, a retry), it answers the import
/// already made instead of running a second one.
#[server(prefix = "/api", endpoint = "import_migration_run")]
pub async fn import_migration_run(run_id: String) -> Result<String, AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let mut tx = state.db.begin().await?;
        let (mode, files_json, _, _, imported_as) = crate::migration::db::run(&mut tx, &run_id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        if mode != "dry_run" {
            return Err(AppError::field("run_id", "not_a_dry_run"));
        }
        if let Some(done) = imported_as {
            return Ok(done);
        }
        let files: crate::migration::model::MigrationFiles =
            serde_json::from_str(&files_json).map_err(|_| AppError::Internal)?;
        let options = crate::migration::run::Options {
            dry_run: false,
            actor: Some(&staff.person_id),
            invite: true,
            limits: crate::migration::model::WEB_LIMITS,
        };
        let report = crate::migration::run::run(&state, &files, options).await?;
        let report_json = serde_json::to_string(&report).map_err(|_| AppError::Internal)?;
        let mut tx = state.db.begin().await?;
        // Two staff pressing at once: the second finds the first's import and answers it.
        if let Some((_, _, _, _, Some(done))) = crate::migration::db::run(&mut tx, &run_id).await? {
            tx.commit().await?;
            return Ok(done);
        }
        let id = crate::migration::db::insert_run(
            &mut tx,
            "import",
            Some(&run_id),
            &files_json,
            &report_json,
            &staff.person_id,
            crate::db::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    crate::error::with_status(result)
}

/// Largest file of the staff page's upload (the command line has no such limit).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// Largest upload of the staff page, all files together.
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;

/// `POST /admin/import/migration` (multipart; one file field per migration file, named
/// `organisations`, `people`…): staff. Stores the files, runs the dry run and opens its
/// report; works before the WASM has loaded.
#[cfg(feature = "ssr")]
pub async fn upload_migration(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    headers: axum::http::HeaderMap,
    mut form: axum::extract::Multipart,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Redirect};
    let back = |code: &str| Redirect::to(&format!("/admin/import?migration={code}#migration")).into_response();
    let staff = match crate::auth::session::user_from_headers(&state, &headers).await {
        Ok(Some(user)) if user.is_staff() => user,
        Ok(Some(_)) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let mut files = crate::migration::model::MigrationFiles::default();
    let mut total = 0usize;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return back("file_too_large"),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = match field.bytes().await {
            Ok(bytes) if bytes.len() <= MAX_FILE_BYTES => bytes,
            _ => return back("file_too_large"),
        };
        total += bytes.len();
        if total > MAX_UPLOAD_BYTES {
            return back("file_too_large");
        }
        let text = crate::migration::decode(&bytes);
        // Unknown fields are ignored.
        files.set(&name, text);
    }
    if crate::migration::model::FILES
        .iter()
        .all(|f| files.get(f).trim().is_empty())
    {
        return back("file_missing");
    }
    let options = crate::migration::run::Options {
        dry_run: true,
        actor: Some(&staff.person_id),
        invite: true,
        limits: crate::migration::model::WEB_LIMITS,
    };
    let stored = async {
        let report = crate::migration::run::run(&state, &files, options).await?;
        let files_json = serde_json::to_string(&files).map_err(|_| AppError::Internal)?;
        let report_json = serde_json::to_string(&report).map_err(|_| AppError::Internal)?;
        let mut tx = state.db.begin().await?;
        let id = crate::migration::db::insert_run(
            &mut tx,
            "dry_run",
            None,
            &files_json,
            &report_json,
            &staff.person_id,
            crate::db::now(),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(id)
    }
    .await;
    match stored {
        Ok(id) => Redirect::to(&format!("/admin/import/migration/{id}")).into_response(),
        Err(error) => {
            tracing::warn!(%error, "a migration dry run failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
