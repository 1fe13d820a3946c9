//! "Se connecter" as a plain HTML form: the login page is served as islands (it ships no
//! code of its own, see `ui::islands::ISLAND_PAGES`), so its form posts to the `login`
//! server function like any form without JavaScript, and the answer is a redirect:
//!
//! - logged in: to `/admin` for staff, `/account` for everyone else (the session and
//!   language cookies ride on the redirect);
//! - the password was right and a second step follows: to `/login/mfa`;
//! - refused: back to `/login`, with the error where Leptos' actions read it (`__path`,
//!   `__err`), and the identifier typed kept for a minute in a cookie of that page only, so
//!   the form comes back filled in and the identifier never appears in an address or a log.
//!
//! Callers that ask for JSON (the API, the tests) get the `LoginOutcome` as before.

use crate::error::AppError;
use crate::state::AppState;
use axum::http::{HeaderValue, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::{Cookie, SameSite};
use domain::auth::mfa::LoginOutcome;
use leptos::prelude::use_context;
use leptos::server_fn::error::ServerFnUrlError;

/// The cookie that keeps what was typed in "Nom d'utilisateur ou adresse e-mail" across the
/// redirect after a refused login. A page asked for with it shows that identifier, so it is
/// never stored in the browser's cache (`server::security::security_headers`).
pub const IDENTIFIER_COOKIE: &str = "login_identifier";

/// How long that cookie lives: long enough for the redirect, not for a shared computer.
const IDENTIFIER_KEPT: cookie::time::Duration = cookie::time::Duration::seconds(60);

/// At most this much of an identifier is kept (a username or an e-mail address is shorter).
const IDENTIFIER_MAX: usize = 254;

/// Whether this request is a browser's form submission (it accepts HTML), not a `fetch`.
fn is_form_post() -> bool {
    use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// Where a form's login goes next, by its outcome.
fn next_page(result: &Result<LoginOutcome, AppError>) -> String {
    match result {
        Ok(LoginOutcome::Pending { .. }) => "/login/mfa".to_owned(),
        Ok(LoginOutcome::Done(user)) if user.is_staff() => "/admin".to_owned(),
        Ok(LoginOutcome::Done(_)) => "/account".to_owned(),
        Err(error) => {
            // The address is built on a placeholder origin, then only its path and query kept.
            ServerFnUrlError::new(LOGIN_PATH, error.clone())
                .to_url("http://portal.invalid/login")
                .map_or_else(
                    |_| "/login".to_owned(),
                    |url| format!("/login?{}", url.query().unwrap_or_default()),
                )
        }
    }
}

/// The `login` server function's address, as its actions name it.
const LOGIN_PATH: &str = "/api/login";

/// For a form's login, sends the redirect that follows `result` (see the module), and keeps
/// or forgets the identifier typed. Does nothing for a `fetch` or an API call.
pub fn answer(state: &AppState, identifier: &str, result: &Result<LoginOutcome, AppError>) {
    if !is_form_post() {
        return;
    }
    let kept = match result {
        Err(_) => {
            let shortened: String = identifier.trim().chars().take(IDENTIFIER_MAX).collect();
            Some(URL_SAFE_NO_PAD.encode(shortened))
        }
        Ok(_) => None,
    };
    let cookie = Cookie::build((IDENTIFIER_COOKIE, kept.clone().unwrap_or_default()))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(crate::auth::session::served_over_tls(state))
        .max_age(if kept.is_some() {
            IDENTIFIER_KEPT
        } else {
            cookie::time::Duration::ZERO
        })
        .build();
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = HeaderValue::from_str(&cookie.to_string())
    {
        response.append_header(header::SET_COOKIE, value);
    }
    leptos_axum::redirect(&next_page(result));
}

/// The identifier a refused form login kept for the login page to show again, if any.
pub fn kept_identifier() -> Option<String> {
    let encoded = crate::request::cookie(IDENTIFIER_COOKIE)?;
    let bytes = URL_SAFE_NO_PAD.decode(encoded).ok()?;
    String::from_utf8(bytes)
        .ok()
        .filter(|identifier| !identifier.is_empty())
}
