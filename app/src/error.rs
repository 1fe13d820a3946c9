//! The one error type every server function returns. It crosses the network as JSON, so its
//! variants are what the browser can act on; internal causes stay in the server's logs.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Field name → messages; defined in the domain crate, whose rules report them.
pub use domain::FieldErrors;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not logged in.
    #[error("authentication required")]
    Unauthorized,
    /// Logged in, but not allowed to do this.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The input was refused; nothing was stored.
    #[error("invalid input")]
    Validation { fields: FieldErrors },
    /// The request clashes with the current state (a taken enterprise number, a stale cart…).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too many attempts (login, password reset): try again later.
    #[error("too many attempts")]
    TooManyRequests,
    /// Something failed on our side; details are in the server log only.
    #[error("internal error")]
    Internal,
    /// The call itself failed (network, encoding): raised by the server-function machinery.
    #[error("request failed: {0}")]
    Request(String),
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.into(), vec![message.into()]);
        AppError::Validation { fields }
    }

    /// The HTTP status that matches this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::Request(_) => 400,
            AppError::TooManyRequests => 429,
            AppError::Internal => 500,
        }
    }

    /// Logs an internal cause and returns the opaque [`AppError::Internal`].
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        AppError::Internal
    }
}

impl AppError {
    /// A validation error about the whole form rather than one field.
    pub fn form(code: impl Into<String>) -> Self {
        AppError::field("form", code)
    }

    /// The messages for `field`, if this is a validation error that names it.
    pub fn field_messages(&self, field: &str) -> Vec<String> {
        match self {
            AppError::Validation { fields } => fields.get(field).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // The decoder quotes what it could not read, which may be a 2 MB field and may be
        // markup: keep the start, and never send an angle bracket back.
        const KEPT: usize = 300;
        let message: String = value
            .to_string()
            .chars()
            .take(KEPT)
            .map(|c| match c {
                '<' => '‹',
                '>' => '›',
                c => c,
            })
            .collect();
        AppError::Request(message)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            _ => AppError::internal(error),
        }
    }
}

/// [`AppError::TooManyRequests`], telling the client in `Retry-After` how many seconds to wait
/// (at least one) before the limit lets it through.
#[cfg(feature = "ssr")]
pub fn too_many_requests(wait: chrono::Duration) -> AppError {
    let seconds = wait.num_seconds().max(1);
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string())
    {
        options.insert_header(axum::http::header::RETRY_AFTER, value);
    }
    AppError::TooManyRequests
}

/// Answers the page being rendered with 404. Only for a page rendered whole before it is sent
/// (`SsrMode::Async`): a streamed page's status has gone out before its data (see
/// [`with_status`]).
pub fn page_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
}

/// Sets the HTTP status of the current server-function response from its result, so that a
/// refused input is a 4xx and never a 500.
///
/// Only for a server function called over HTTP (`/api/…`). Called while a page renders, it
/// leaves the page's status alone: a page streams, and the status reached the response only
/// when the data arrived before the page's first bytes, so a refused page answered 200 or
/// 403/404 by chance. The page shows the refusal; staff pages get their status from the
/// server (`security::staff_pages_status`).
#[cfg(feature = "ssr")]
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let called_over_http = leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_none_or(|parts| parts.uri.path().starts_with("/api/"));
    if let Err(error) = &result
        && called_over_http
        && let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = axum::http::StatusCode::from_u16(error.status_code())
    {
        options.set_status(status);
    }
    result
}
