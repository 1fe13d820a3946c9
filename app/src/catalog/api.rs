//! Server functions of the catalogue.

use crate::catalog::model::{ProductSummary, Viewer};
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

/// Who is asking: anonymous, staff, or a member with its organisation's qualified partners
/// (the catalogue shows "Ajouter au panier" or why not).
#[server(prefix = "/api", endpoint = "catalogue_viewer")]
pub async fn catalogue_viewer() -> Result<Viewer, AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let Some(user) = crate::auth::session::current_user(&state).await? else {
            return Ok(Viewer::Anonymous);
        };
        if user.is_staff() {
            return Ok(Viewer::Staff);
        }
        let Some(membership) = user.membership else {
            return Ok(Viewer::Anonymous);
        };
        let mut tx = state.db.begin_read().await?;
        let standing = crate::quota::db::standing(&mut tx, &membership.organisation_id).await?;
        tx.commit().await?;
        Ok(Viewer::Member {
            qualified: standing.map(|(_, s)| s.qualified).unwrap_or_default(),
        })
    }
    .await;
    crate::error::with_status(result)
}
