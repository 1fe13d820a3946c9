//! Server functions of the outbox viewer.

use crate::error::AppError;
use crate::mail::model::OutboxPage;
use leptos::prelude::*;

/// Messages shown per page of the outbox.
pub const OUTBOX_PAGE_SIZE: u32 = 20;

/// A page of the outbox (1-based), optionally only the mail sent to `to`. Staff only.
#[server(prefix = "/api", endpoint = "outbox")]
pub async fn list_outbox(page: u32, to: Option<String>) -> Result<OutboxPage, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let page = page.max(1);
        let to = to.filter(|t| !t.trim().is_empty());
        let offset = i64::from(page - 1) * i64::from(OUTBOX_PAGE_SIZE);
        let (messages, total) = crate::mail::db::list(
            &state.db,
            to.as_deref().map(str::trim),
            i64::from(OUTBOX_PAGE_SIZE),
            offset,
        )
        .await?;
        let dead_letters = crate::mail::db::count_dead_letters(&state.db).await?;
        Ok(OutboxPage {
            dead_letters,
            messages,
            page,
            total,
            per_page: OUTBOX_PAGE_SIZE,
            smtp_configured: state.config.smtp.url.is_some(),
        })
    }
    .await;
    crate::error::with_status(result)
}
