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
    /// Public pages kept rendered for `PAGE_CACHE_SECONDS` ([`crate::page_cache`]).
    pub pages: Arc<crate::page_cache::PageCache>,
    /// Wakes this instance's outbox worker once mail is committed ([`crate::mail::wake`]).
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Renders of whole pages dropped for not finishing in time, each followed by another
    /// (`server`'s `whole_pages`); each is also logged.
    pub whole_pages_rendered_again: Arc<std::sync::atomic::AtomicU64>,
    /// Requests allowed to render a whole page again at once: past them a slow render is
    /// waited for, not repeated (a slow database would otherwise multiply every catalogue's
    /// renders).
    pub whole_page_second_renders: Arc<tokio::sync::Semaphore>,
}

/// The state of the running server, from inside a server function or component.
pub fn app_state() -> Result<AppState, AppError> {
    if let Some(state) = use_context::<AppState>() {
        return Ok(state);
    }
    // At start the server renders the app once, outside any request, to list its routes; a
    // resource created then (the session's) finds no state, and that is expected. Missing
    // while serving a request, it is a bug, and logged.
    if use_context::<axum::http::request::Parts>().is_none() {
        return Err(AppError::Internal);
    }
    Err(AppError::internal("AppState missing from context"))
}
