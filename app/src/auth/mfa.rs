//! Server side of the second factor: TOTP codes (RFC 6238, with `totp-rs`), recovery codes,
//! and the pending state a login holds between the password and the code.
//!
//! The pending state is its own cookie (`portal_mfa`, `__Host-` over HTTPS) naming a row of
//! `mfa_challenge`, never a session: the guards (`require_user` & co) read sessions only, so
//! a browser that knows the password but not the code is logged in nowhere. Codes run on the
//! real clock, never on the end-to-end tests' injected one (a phone does not follow it).

use crate::auth::mfa::rules::{MFA_CHALLENGE_VALIDITY, MFA_MAX_FAILURES, MFA_WINDOW, MfaStep};
use crate::auth::model::CurrentUser;
use crate::auth::{db, mfa_db, session};
use crate::db::Timestamp;
use crate::error::AppError;
use crate::state::AppState;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use cookie::{Cookie, SameSite};
use leptos::prelude::*;
use totp_rs::{Algorithm, Secret, TOTP};

pub use domain::auth::mfa as rules;

/// The pending state's cookie over plain HTTP.
pub const MFA_COOKIE: &str = "portal_mfa";
/// Its name over HTTPS.
pub const MFA_COOKIE_TLS: &str = "__Host-portal_mfa";

fn cookie_name(state: &AppState) -> &'static str {
    if session::served_over_tls(state) {
        MFA_COOKIE_TLS
    } else {
        MFA_COOKIE
    }
}

/// The clock codes are judged by (see the module's documentation).
pub fn mfa_now() -> Timestamp {
    chrono::Utc::now()
}

/// A new secret: 160 random bits (RFC 4226's recommended length), base32.
pub fn new_secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(encoded) if !encoded.is_empty() => Ok(encoded),
        _ => Err(AppError::Internal),
    }
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        rules::TOTP_DIGITS,
        0,
        u64::try_from(rules::TOTP_STEP_SECONDS).ok()?,
        bytes,
    )
    .ok()
}

/// The code of `secret` for time step `step` (public for the tests, which compute the code
/// a phone would show).
pub fn code_for_step(secret: &str, step: i64) -> Option<String> {
    let time = u64::try_from(step.checked_mul(rules::TOTP_STEP_SECONDS)?).ok()?;
    Some(totp(secret)?.generate(time))
}

/// The step whose code `code` is, among those accepted at `now` after `last_step`.
pub fn matching_step(secret: &str, code: &str, now: Timestamp, last_step: i64) -> Option<i64> {
    rules::acceptable_steps(now.timestamp(), last_step)
        .into_iter()
        .find(|step| code_for_step(secret, *step).is_some_and(|expected| same(&expected, code)))
}

/// Compares two codes in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Ten new recovery codes: the codes to show once, and the hashes to store.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    (0..rules::RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; rules::RECOVERY_CODE_CHARS];
            OsRng.fill_bytes(&mut bytes);
            let code = rules::recovery_code_from(&bytes);
            let hash = recovery_hash(&code);
            (code, hash)
        })
        .unzip()
}

/// The stored hash of a recovery code, however it was typed.
pub fn recovery_hash(code: &str) -> String {
    match rules::MfaCode::parse(code) {
        Ok(rules::MfaCode::Recovery(compact)) => session::hash_token(&compact),
        _ => session::hash_token(code),
    }
}

/// The QR code of an `otpauth://` URI as a `data:` URI of a PNG.
pub fn qr_data_uri(uri: &str) -> Option<String> {
    use base64::Engine;
    let png = crate::payment::qr::QrMatrix::encode(uri)?.to_png().ok()?;
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

fn set_cookie(state: &AppState, value: String, max_age: cookie::time::Duration) {
    let cookie = Cookie::build((cookie_name(state), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(session::served_over_tls(state))
        .max_age(max_age)
        .build();
    if let (Some(response), Ok(header)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie.to_string()),
    ) {
        response.append_header(SET_COOKIE, header);
    }
}

/// The hash of the pending state's token the browser brought, if any.
fn challenge_hash(state: &AppState) -> Option<String> {
    crate::request::cookie(cookie_name(state))
        .filter(|token| !token.is_empty())
        .map(|token| session::hash_token(&token))
}

/// The person whose login waits for its second step in this browser, if any.
pub async fn pending_person(state: &AppState) -> Result<Option<String>, AppError> {
    match challenge_hash(state) {
        Some(hash) => Ok(mfa_db::challenge_person(&state.db, &hash, mfa_now()).await?),
        None => Ok(None),
    }
}

/// Ends this browser's pending state (in the database and the cookie).
pub async fn end_challenge(state: &AppState) -> Result<(), AppError> {
    if let Some(hash) = challenge_hash(state) {
        mfa_db::delete_challenge(&state.db, &hash).await?;
        set_cookie(state, String::new(), cookie::time::Duration::ZERO);
    }
    Ok(())
}

/// Ends this browser's pending state, once: `false` if another request ended it first (the
/// same code sent twice at once logs in once).
async fn take_challenge(state: &AppState) -> Result<bool, AppError> {
    let Some(hash) = challenge_hash(state) else {
        return Ok(false);
    };
    let taken = mfa_db::delete_challenge(&state.db, &hash).await?;
    set_cookie(state, String::new(), cookie::time::Duration::ZERO);
    Ok(taken)
}

/// What follows a right password: the person is logged in, or, when they have a second
/// factor (or are staff and must enrol one), the browser gets a pending state instead.
pub async fn after_password(
    state: &AppState,
    person_id: &str,
) -> Result<crate::auth::mfa::rules::LoginOutcome, AppError> {
    use crate::auth::mfa::rules::LoginOutcome;
    let (staff, factor) = mfa_db::mfa_of(&state.db, person_id).await?;
    let step = match factor {
        Some(row) if row.confirmed => Some(MfaStep::Verify),
        _ if staff => Some(MfaStep::Enrol),
        _ => None,
    };
    let Some(step) = step else {
        return Ok(LoginOutcome::Done(complete_login(state, person_id, "password").await?));
    };
    // Whoever this browser was logged in as, it is not any more: a password alone is no login.
    if session::session_token(state).is_some() {
        session::end_session(state).await?;
    }
    if let Some(old) = challenge_hash(state) {
        mfa_db::delete_challenge(&state.db, &old).await?;
    }
    let (token, hash) = session::new_token();
    let now = mfa_now();
    mfa_db::insert_challenge(&state.db, &hash, person_id, now, now + MFA_CHALLENGE_VALIDITY).await?;
    set_cookie(
        state,
        token,
        cookie::time::Duration::seconds(MFA_CHALLENGE_VALIDITY.num_seconds()),
    );
    Ok(LoginOutcome::Pending { mfa: step })
}

/// Logs the person in (a new session) and records it: `method` says how (`password`,
/// `totp`, `recovery_code`, `enrolment`).
pub async fn complete_login(state: &AppState, person_id: &str, method: &str) -> Result<CurrentUser, AppError> {
    session::start_session(state, person_id).await?;
    let user = db::session_user_by_person(&state.db, person_id)
        .await?
        .ok_or(AppError::Internal)?;
    if let Some(language) = &user.language {
        session::send_language_cookie(state, language);
    }
    let mut tx = state.db.begin().await?;
    crate::audit::record(
        &mut tx,
        crate::audit::AuditEvent {
            actor: Some(person_id),
            action: "auth.login_succeeded",
            entity_type: "person",
            entity_id: person_id,
            before: None,
            after: Some(serde_json::json!({ "second_factor": method })),
        },
        crate::db::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Records a refused login. The typed password is never stored, nor an identifier that names
/// no account (it may be someone's password typed in the wrong field).
pub async fn record_login_failed(state: &AppState, person_id: Option<&str>) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    crate::audit::record(
        &mut tx,
        crate::audit::AuditEvent {
            actor: None,
            action: "auth.login_failed",
            entity_type: if person_id.is_some() { "person" } else { "login" },
            entity_id: person_id.unwrap_or("unknown"),
            before: None,
            after: None,
        },
        crate::db::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records one event of a person's second factor in its own transaction.
pub async fn record(
    state: &AppState,
    actor: Option<&str>,
    action: &str,
    person_id: &str,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    crate::audit::record(
        &mut tx,
        crate::audit::AuditEvent {
            actor,
            action,
            entity_type: "person",
            entity_id: person_id,
            before: None,
            after,
        },
        crate::db::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reserves one code attempt of `person_id`: at most [`MFA_MAX_FAILURES`] within
/// [`MFA_WINDOW`], exact under concurrency; a right code gives its place back.
pub async fn reserve_attempt(state: &AppState, person_id: &str) -> Result<crate::auth::limit::Reservation, AppError> {
    let subject = format!("mfa:person:{person_id}");
    let limit = crate::auth::limit::Limit {
        kind: "login",
        subject: &subject,
        max: MFA_MAX_FAILURES,
        window: MFA_WINDOW,
    };
    crate::auth::limit::reserve(&state.db, &[limit], crate::db::now()).await
}

/// Which person a step of enrolment is for: the logged-in person (an organisation account
/// opting in), or the one whose login waits for it (staff at their first login). The second
/// is `true` for the latter.
pub async fn enrolling_person(state: &AppState) -> Result<(String, bool), AppError> {
    if let Some(user) = session::current_user(state).await? {
        return Ok((user.person_id, false));
    }
    match pending_person(state).await? {
        Some(person_id) => Ok((person_id, true)),
        None => Err(AppError::Unauthorized),
    }
}

/// Takes this browser's pending state and logs its person in, once.
pub async fn finish_pending_login(state: &AppState, person_id: &str, method: &str) -> Result<CurrentUser, AppError> {
    if !take_challenge(state).await? {
        return Err(AppError::Unauthorized);
    }
    complete_login(state, person_id, method).await
}
