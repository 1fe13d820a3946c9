//! Server functions of the home page.

use crate::error::AppError;
use crate::home::model::HomeCounters;
use leptos::prelude::*;

/// The programme's counters. Public.
#[server(prefix = "/api", endpoint = "home_counters")]
pub async fn get_home_counters() -> Result<HomeCounters, AppError> {
    let state = crate::state::app_state()?;
    let result = shared_counters(&state.db, &state.aggregates)
        .await
        .map_err(AppError::from);
    crate::error::with_status(result)
}

/// The counters every instance shows during the current cache period: the first instance to
/// need them in a period computes them and stores them in the database; the others (and
/// itself, from memory) answer that stored value until the period ends. Periods are aligned on
/// the clock (`AGGREGATE_CACHE_SECONDS` apart), so all instances change figures together.
#[cfg(feature = "ssr")]
pub async fn shared_counters(
    db: &crate::db::Db,
    aggregates: &crate::home::cache::Aggregates,
) -> Result<HomeCounters, sqlx::Error> {
    let ttl = aggregates.ttl();
    if ttl.is_zero() {
        return counters(db).await;
    }
    let seconds = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX).max(1);
    let period = crate::db::now().timestamp().div_euclid(seconds);
    aggregates
        .counters
        .get(db, period, |db, period| async move {
            shared_period_counters(&db, period).await
        })
        .await
}

/// The counters stored for `period`, computed and stored first if no instance did yet.
#[cfg(feature = "ssr")]
async fn shared_period_counters(db: &crate::db::Db, period: i64) -> Result<HomeCounters, sqlx::Error> {
    const NAME: &str = "home_counters";
    let decode = |json: &str| serde_json::from_str::<HomeCounters>(json).ok();
    if let Some(stored) = crate::home::db::shared_figure(db, NAME, period)
        .await?
        .as_deref()
        .and_then(decode)
    {
        return Ok(stored);
    }
    let fresh = counters(db).await?;
    let json = serde_json::to_string(&fresh).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    crate::home::db::store_shared_figure(db, NAME, period, &json, crate::db::now()).await?;
    // Another instance may have stored its own first: answer the one everybody answers.
    Ok(crate::home::db::shared_figure(db, NAME, period)
        .await?
        .as_deref()
        .and_then(decode)
        .unwrap_or(fresh))
}

/// The counters computed now: organisations registered, and the sums over fulfilled lines.
#[cfg(feature = "ssr")]
pub async fn counters(db: &crate::db::Db) -> Result<HomeCounters, sqlx::Error> {
    let organisations = crate::org::db::count_organisations(db).await?;
    let totals = crate::order::db::fulfilled_totals(db).await?;
    // The history from before a migration (its orders not imported), as the import set it.
    let offsets = crate::home::db::counter_offsets(db).await?;
    let offset = |name: &str| offsets.get(name).copied().unwrap_or(0);
    Ok(HomeCounters {
        organisations: organisations.saturating_add(offset("organisations")),
        saved: crate::money::Money::from_cents(totals.saved_cents.saturating_add(offset("saved_cents"))),
        products_distributed: totals.products.saturating_add(offset("products_distributed")),
    })
}
