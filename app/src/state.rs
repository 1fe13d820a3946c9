//! The server's shared state, provided to every server function through Leptos context.

use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    /// Programme-wide figures kept for `AGGREGATE_CACHE_SECONDS` ([`crate::home::cache`]).
    pub aggregates: Arc<crate::home::cache::Aggregates>,
}

/// The state of the running server, from inside a server function or component.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}
