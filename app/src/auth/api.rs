//! Server functions of accounts. Login and reset answer the same whether or not an account
//! exists; both are rate-limited per identifier in the database, so the limit holds across
//! several app instances.

use crate::auth::model::CurrentUser;
use crate::error::AppError;
use domain::auth::mfa::LoginOutcome;
use leptos::prelude::*;

/// The logged-in user, or `None`. Public.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        crate::auth::session::current_user(&state).await
    }
    .await;
    crate::error::with_status(result)
}

/// "Se connecter" with a username or e-mail and a password. Public. The answer is the user
/// (logged in), or, for an account with a second factor and for every staff account, the
/// second step to take (`{"mfa": "verify"}` or `{"mfa": "enrol"}`): the browser then holds a
/// pending state that authorises nothing but that step. Logins, failed or not, are audited.
/// A form posted by the login page gets a redirect instead (`auth::login_form`).
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(identifier: String, password: String) -> Result<LoginOutcome, AppError> {
    use crate::auth::rules::normalise_identifier;
    use crate::auth::{db, session};
    let result = async {
        let state = crate::state::app_state()?;
        let subject = normalise_identifier(&identifier);
        if subject.is_empty() || password.is_empty() {
            return Err(AppError::form("login_failed"));
        }
        let now = crate::db::now();
        let found = db::find_login(&state.db, &subject).await?;
        let reservation =
            reserve_login(&state, &subject, found.as_ref().map(|row| row.person_id.as_str()), now).await?;
        let person_id = found.as_ref().map(|row| row.person_id.clone());
        let ok = session::verify_password(password, found.map(|row| row.password_hash)).await?;
        match (ok, person_id) {
            (true, Some(person_id)) => {
                crate::auth::limit::release(&state.db, reservation).await?;
                crate::auth::mfa::after_password(&state, &person_id).await
            }
            // The failure keeps its place in both counters.
            (_, person_id) => {
                crate::auth::mfa::record_login_failed(&state, person_id.as_deref()).await?;
                Err(AppError::form("login_failed"))
            }
        }
    }
    .await;
    let result = crate::error::with_status(result);
    // The login page's form (no JavaScript there) is answered with a redirect.
    if let Ok(state) = crate::state::app_state() {
        crate::auth::login_form::answer(&state, &identifier, &result);
    }
    result
}

/// Reserves one login attempt before the password is verified: one place among
/// `LOGIN_MAX_FAILURES` for the account, whichever identifier (username or e-mail) names it
/// — an unknown identifier is counted on its own, so the answers and their timing are the same
/// as for an account — and one among `LOGIN_ATTEMPTS_PER_CLIENT` for the client's address.
#[cfg(feature = "ssr")]
async fn reserve_login(
    state: &crate::state::AppState,
    identifier: &str,
    person_id: Option<&str>,
    now: crate::db::Timestamp,
) -> Result<crate::auth::limit::Reservation, AppError> {
    use crate::auth::limit::{Limit, client_subject, reserve};
    use crate::auth::rules::{LOGIN_MAX_FAILURES, LOGIN_WINDOW};
    let account = person_id.map_or_else(|| format!("name:{identifier}"), |id| format!("person:{id}"));
    let client = format!("client:{}", client_subject().await);
    let limits = [
        Limit {
            kind: "login",
            subject: &account,
            max: LOGIN_MAX_FAILURES,
            window: LOGIN_WINDOW,
        },
        Limit {
            kind: "login",
            subject: &client,
            max: i64::from(state.config.login_attempts_per_client),
            window: LOGIN_WINDOW,
        },
    ];
    reserve(&state.db, &limits, now).await
}

/// "Se déconnecter". Always succeeds.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        crate::auth::mfa::end_challenge(&state).await?;
        crate::auth::session::end_session(&state).await
    }
    .await;
    crate::error::with_status(result)
}

/// The language switch ("FR / NL / EN"): remembers the choice for the logged-in person, so
/// that their next login, on any device, opens in it. Anonymous callers keep only the cookie
/// the switch sets in their browser.
#[server(prefix = "/api", endpoint = "remember_language")]
pub async fn remember_language(language: String) -> Result<(), AppError> {
    let result = async {
        if !matches!(language.as_str(), "fr" | "nl" | "en") {
            return Err(AppError::field("language", "choose_one"));
        }
        let state = crate::state::app_state()?;
        if let Some(user) = crate::auth::session::current_user(&state).await? {
            crate::auth::db::set_language(&state.db, &user.person_id, &language).await?;
        }
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// "Demander un nouveau mot de passe" by username, personal e-mail or an organisation's
/// registered e-mail (then for its account holder). Public. The answer is the same whether or
/// not anything matched; the link goes to the account's own address, never to the one typed.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(identifier: String) -> Result<(), AppError> {
    use crate::auth::rules::{RESET_LINK_VALIDITY, RESET_MAX_REQUESTS, RESET_WINDOW, normalise_identifier};
    use crate::auth::{db, limit, session};
    use crate::mail::templates::Email;
    let result = async {
        let state = crate::state::app_state()?;
        let subject = normalise_identifier(&identifier);
        if subject.is_empty() {
            return Err(AppError::field("identifier", "required"));
        }
        let now = crate::db::now();
        let target = db::find_reset_target(&state.db, &subject).await?;
        // One count per account, whichever identifier names it (an unknown identifier is
        // counted on its own), and one per client address; both reserved before any work.
        let account = target
            .as_ref()
            .map_or_else(|| format!("name:{subject}"), |t| format!("person:{}", t.person_id));
        let client = format!("client:{}", limit::client_subject().await);
        let limits = [
            limit::Limit {
                kind: "reset",
                subject: &account,
                max: RESET_MAX_REQUESTS,
                window: RESET_WINDOW,
            },
            limit::Limit {
                kind: "reset",
                subject: &client,
                max: i64::from(state.config.public_forms_per_hour),
                window: limit::PUBLIC_FORM_WINDOW,
            },
        ];
        let _kept = limit::reserve(&state.db, &limits, now).await?;
        if let Some(target) = target {
            let mut tx = state.db.begin().await?;
            let link = session::new_password_link(&mut tx, &state, &target.person_id, now, RESET_LINK_VALIDITY).await?;
            // Only when someone matched: the trail names a person, never what a visitor typed.
            crate::audit::record(
                &mut tx,
                crate::audit::AuditEvent {
                    actor: None,
                    action: "person.password_reset_requested",
                    entity_type: "person",
                    entity_id: &target.person_id,
                    before: None,
                    after: None,
                },
                now,
            )
            .await?;
            let email = Email::PasswordReset {
                full_name: target.full_name,
                link,
            };
            crate::mail::queue(&mut tx, &state, &target.email, &email, crate::request::locale()).await?;
            tx.commit().await?;
            crate::mail::wake(&state);
        }
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Sets a new password from a reset link: the link works once, within its validity, and
/// every open session of the account ends, as do the account's other reset links. Limited
/// per client address like the public forms.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::auth::{db, rules, session};
    let result = async {
        let state = crate::state::app_state()?;
        rules::check_password(&password).map_err(|code| AppError::field("password", code))?;
        crate::auth::limit::per_client(&state, "reset", "link:").await?;
        let token_hash = session::hash_token(token.trim());
        // A junk token costs one indexed read, never an argon2 hash: the link is looked up
        // first, and consumed (checked again) in the transaction that sets the password.
        if !db::password_reset_usable(&state.db, &token_hash, crate::db::now()).await? {
            return Err(AppError::form("reset_link_invalid"));
        }
        let hash = session::hash_password(password).await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let person_id = db::consume_password_reset(&mut tx, &token_hash, now)
            .await?
            .ok_or_else(|| AppError::form("reset_link_invalid"))?;
        // An invitee whose invitation ran out or was cancelled is let in by no link: the
        // holder saw that invitation end, and must invite again.
        if crate::org::db::is_lapsed_invitee(&mut tx, &person_id, now).await? {
            return Err(AppError::form("reset_link_invalid"));
        }
        db::set_password(&mut tx, &person_id, &hash, now).await?;
        // The account's other links, sent before this one was used, end with it.
        db::end_password_resets_of(&mut tx, &person_id, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&person_id),
                action: "person.password_reset",
                entity_type: "person",
                entity_id: &person_id,
                before: None,
                after: None,
            },
            now,
        )
        .await?;
        // Choosing a password through the invitation's link accepts it: the member joins the
        // organisation's member list and may act for it.
        for organisation_id in crate::org::db::accept_invitation(&mut tx, &person_id, now).await? {
            crate::audit::record(
                &mut tx,
                crate::audit::AuditEvent {
                    actor: Some(&person_id),
                    action: "organisation.invitation_accepted",
                    entity_type: "organisation",
                    entity_id: &organisation_id,
                    before: None,
                    after: Some(serde_json::json!({ "person": person_id, "role": "member" })),
                },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}
