//! Server functions of the home page.

use crate::error::AppError;
use crate::home::model::HomeCounters;
use leptos::prelude::*;

/// The programme's counters. Public.
#[server(prefix = "/api", endpoint = "home_counters")]
pub async fn get_home_counters() -> Result<HomeCounters, AppError> {
    use crate::money::Money;
    let state = crate::state::app_state()?;
    let result = async {
        let organisations = crate::org::db::count_organisations(&state.db).await?;
        let totals = crate::order::db::fulfilled_totals(&state.db).await?;
        Ok(HomeCounters {
            organisations,
            saved: Money::from_cents(totals.saved_cents),
            products_distributed: totals.products,
        })
    }
    .await
    .map_err(|e: sqlx::Error| AppError::from(e));
    crate::error::with_status(result)
}
