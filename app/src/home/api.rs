//! Server functions of the home page.

use crate::error::AppError;
use crate::home::model::HomeCounters;
use leptos::prelude::*;

/// The programme's counters. Public.
#[server(prefix = "/api", endpoint = "home_counters")]
pub async fn get_home_counters() -> Result<HomeCounters, AppError> {
    let state = crate::state::app_state()?;
    let result = state
        .aggregates
        .counters
        .get(&state.db, (), |db, ()| async move { counters(&db).await })
        .await
        .map_err(AppError::from);
    crate::error::with_status(result)
}

/// The counters computed now: organisations registered, and the sums over fulfilled lines.
#[cfg(feature = "ssr")]
pub async fn counters(db: &crate::db::Db) -> Result<HomeCounters, sqlx::Error> {
    let organisations = crate::org::db::count_organisations(db).await?;
    let totals = crate::order::db::fulfilled_totals(db).await?;
    Ok(HomeCounters {
        organisations,
        saved: crate::money::Money::from_cents(totals.saved_cents),
        products_distributed: totals.products,
    })
}
