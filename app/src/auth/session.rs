//! Server side of accounts: password hashing, session tokens and cookies, and the guards.
//!
//! A session token is 32 random bytes sent once in an `HttpOnly`, `SameSite=Lax` cookie; over
//! HTTPS the cookie is `Secure` and named with the `__Host-` prefix, so that no subdomain and
//! no plain-HTTP page can set or shadow it. The database keeps only the token's SHA-256, so a
//! leaked database does not leak live sessions. Password-reset tokens work the same way.
//!
//! A session ends at logout (in the database), after [`SESSION_IDLE`] unused, after
//! [`SESSION_VALIDITY`] in any case, and when the person's rights change. Login always issues
//! a new id and ends the one the browser brought. Sessions run on the real clock, never on the
//! end-to-end tests' injected one: a test that moves its day must not log itself out, and no
//! cookie may stretch a session.

use crate::auth::model::CurrentUser;
use crate::auth::rules::{SESSION_IDLE, SESSION_TOUCH_EVERY, SESSION_VALIDITY};
use crate::db::Timestamp;
use crate::error::AppError;
use crate::state::{AppState, app_state};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use base64::Engine;
use cookie::{Cookie, SameSite};
use leptos::prelude::*;
use sha2::{Digest, Sha256};

/// The session cookie's name over plain HTTP (development, the tests).
pub const SESSION_COOKIE: &str = "portal_session";
/// Its name over HTTPS: browsers accept a `__Host-` cookie only with `Secure`, `Path=/` and no
/// `Domain`.
pub const SESSION_COOKIE_TLS: &str = "__Host-portal_session";

/// Whether the portal is served over TLS (its public URL is HTTPS).
pub fn served_over_tls(state: &AppState) -> bool {
    state.config.public_url.starts_with("https://")
}

/// The session cookie's name for this deployment.
pub fn session_cookie_name(state: &AppState) -> &'static str {
    if served_over_tls(state) {
        SESSION_COOKIE_TLS
    } else {
        SESSION_COOKIE
    }
}

/// The time sessions are judged by: the real clock (see the module's documentation).
fn session_now() -> Timestamp {
    chrono::Utc::now()
}

/// A fresh random token (URL-safe) and the hash the database stores.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

/// An argon2 hash nobody knows the password of, for a person created by someone else (an
/// invitation, an import, an approved join request): they choose theirs through the link.
pub async fn unusable_password() -> Result<String, AppError> {
    let (unusable, _) = new_token();
    hash_password(unusable).await
}

/// A single-use link to choose a password (a reset, or an invitation's first password),
/// valid `valid_for` from `now`: its row is stored in `tx`, and the URL returned for the
/// e-mail that carries it.
pub async fn new_password_link(
    tx: &mut crate::db::DbTx,
    state: &AppState,
    person_id: &str,
    now: Timestamp,
    valid_for: chrono::Duration,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_token();
    crate::auth::db::insert_password_reset(tx, &hash, person_id, now, now + valid_for).await?;
    Ok(format!("{}/reset-password?token={token}", state.config.public_url))
}

/// The SHA-256 of a token, in hex.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many argon2 computations run at once: one per core. Each takes 19 MiB and about 30 ms
/// of a core; a burst of logins waits its turn instead of filling tokio's 512 blocking
/// threads (9.5 GiB) and starving every other request.
static ARGON2_SLOTS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    tokio::sync::Semaphore::new(cores)
});

/// Runs an argon2 computation on the blocking pool, at most [`ARGON2_SLOTS`] at a time.
/// (Public for the test that bursts it.)
pub async fn with_argon2_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _slot = ARGON2_SLOTS.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work).await.map_err(AppError::internal)
}

/// Hashes a password with argon2id off the async runtime.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    with_argon2_slot(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(AppError::internal)
    })
    .await?
}

/// A valid argon2id hash of a random password, checked against when the account does not
/// exist so that "no such user" takes as long as "wrong password".
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(b"no account has this password", &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Checks a password against a stored hash (or against a dummy when `stored` is `None`).
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AppError> {
    with_argon2_slot(move || {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&stored)
            .map(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
            .unwrap_or(false);
        exists && matches
    })
    .await
}

/// The session token sent by the browser, if any.
pub fn session_token(state: &AppState) -> Option<String> {
    crate::request::cookie(session_cookie_name(state)).filter(|token| !token.is_empty())
}

fn set_cookie(state: &AppState, value: String, max_age: cookie::time::Duration) {
    let cookie = Cookie::build((session_cookie_name(state), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(served_over_tls(state))
        .max_age(max_age)
        .build();
    if let (Some(response), Ok(header)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie.to_string()),
    ) {
        response.append_header(SET_COOKIE, header);
    }
}

/// Sends the UI language cookie that leptos_i18n reads (not `HttpOnly`: the language switch
/// in the browser writes it too), so the pages after a login open in the person's language.
pub fn send_language_cookie(state: &AppState, language: &str) {
    let cookie = Cookie::build(("i18n_pref_locale", language.to_owned()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(served_over_tls(state))
        .max_age(cookie::time::Duration::days(365))
        .build();
    if let (Some(response), Ok(header)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie.to_string()),
    ) {
        response.append_header(SET_COOKIE, header);
    }
}

/// Opens a session for `person_id` and sends its cookie. The session the browser brought, if
/// any, ends: a login always gets a new id, so an id planted before it is worth nothing.
pub async fn start_session(state: &AppState, person_id: &str) -> Result<(), AppError> {
    if let Some(old) = session_token(state) {
        crate::auth::db::delete_session(&state.db, &hash_token(&old)).await?;
    }
    let (token, hash) = new_token();
    let now = session_now();
    crate::auth::db::insert_session(&state.db, &hash, person_id, now, now + SESSION_VALIDITY).await?;
    set_cookie(
        state,
        token,
        cookie::time::Duration::seconds(SESSION_VALIDITY.num_seconds()),
    );
    Ok(())
}

/// Ends the caller's session, in the database and in the browser.
pub async fn end_session(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = session_token(state) {
        crate::auth::db::delete_session(&state.db, &hash_token(&token)).await?;
    }
    set_cookie(state, String::new(), cookie::time::Duration::ZERO);
    Ok(())
}

/// The logged-in user of this request, if any.
pub async fn current_user(state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    user_for_token(state, session_token(state)).await
}

/// The logged-in user of a plain axum request (document routes), from its cookie header.
pub async fn user_from_headers(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let token = crate::request::cookie_in(headers, session_cookie_name(state)).filter(|t| !t.is_empty());
    user_for_token(state, token).await
}

/// The user whose session cookie holds `token`, if the session is live; records its use
/// (at most once per [`SESSION_TOUCH_EVERY`]).
async fn user_for_token(state: &AppState, token: Option<String>) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = token else {
        return Ok(None);
    };
    let hash = hash_token(&token);
    let now = session_now();
    let Some((user, last_seen)) = crate::auth::db::session_user(&state.db, &hash, now, now - SESSION_IDLE).await?
    else {
        return Ok(None);
    };
    if now - last_seen >= SESSION_TOUCH_EVERY {
        crate::auth::db::touch_session(&state.db, &hash, now).await?;
    }
    Ok(Some(user))
}

/// The logged-in user, or [`AppError::Unauthorized`].
pub async fn require_user() -> Result<(AppState, CurrentUser), AppError> {
    let state = app_state()?;
    let user = current_user(&state).await?.ok_or(AppError::Unauthorized)?;
    Ok((state, user))
}

/// Programme staff only.
pub async fn require_staff() -> Result<(AppState, CurrentUser), AppError> {
    let (state, user) = require_user().await?;
    if user.is_staff() {
        Ok((state, user))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Staff with the admin role: the catalogue, the partners' rules and staff management.
/// Agents get `Forbidden`.
pub async fn require_admin() -> Result<(AppState, CurrentUser), AppError> {
    let (state, user) = require_staff().await?;
    if user.staff_role == Some(crate::org::model::StaffRole::Admin) {
        Ok((state, user))
    } else {
        Err(AppError::Forbidden)
    }
}

/// A member of the caller's organisation (any role): returns its id.
pub async fn require_member() -> Result<(AppState, CurrentUser, String), AppError> {
    let (state, user) = require_user().await?;
    match &user.membership {
        Some(membership) => {
            let id = membership.organisation_id.clone();
            Ok((state, user, id))
        }
        None => Err(AppError::Forbidden),
    }
}

/// The account holder ("titulaire du compte") of the caller's organisation: returns its id.
pub async fn require_holder() -> Result<(AppState, CurrentUser, String), AppError> {
    let (state, user, organisation_id) = require_member().await?;
    if user.is_holder_of(&organisation_id) {
        Ok((state, user, organisation_id))
    } else {
        Err(AppError::Forbidden)
    }
}
