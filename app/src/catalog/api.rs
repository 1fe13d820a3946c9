//! Server functions of the catalogue.

use crate::catalog::model::ProductSummary;
use crate::error::AppError;
use leptos::prelude::*;

/// The public catalogue: every active offer. Anyone may read it (qualification only matters
/// when ordering).
#[server(prefix = "/api", endpoint = "list_catalogue")]
pub async fn list_catalogue() -> Result<Vec<ProductSummary>, AppError> {
    let state = crate::state::app_state()?;
    crate::error::with_status(
        crate::catalog::db::list_active_products(&state.db)
            .await
            .map_err(AppError::from),
    )
}
