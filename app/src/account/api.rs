//! Server functions of "Paramètres du compte". Every one acts on the caller's own account
//! only, named by the session, never by an argument; the e-mail link is the exception, its
//! token being the authority.

use crate::account::model::PersonalSettings;
use crate::error::AppError;
use leptos::prelude::*;

/// The caller's own account. Logged-in people, staff too.
#[server(prefix = "/api", endpoint = "account_settings")]
pub async fn account_settings() -> Result<PersonalSettings, AppError> {
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        let own = crate::account::db::own_account(&state.db, &user.person_id)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let pending_email = crate::account::db::pending_email(&state.db, &user.person_id, crate::db::now()).await?;
        Ok(PersonalSettings {
            username: own.username,
            full_name: own.full_name,
            email: own.email,
            pending_email,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Checks the caller's current password, counted like a login attempt of the account (the
/// same `LOGIN_MAX_FAILURES` per `LOGIN_WINDOW`): a session left open cannot be used to guess
/// it. A right password gives its place back.
#[cfg(feature = "ssr")]
async fn check_current_password(
    state: &crate::state::AppState,
    person_id: &str,
    stored_hash: String,
    password: String,
) -> Result<(), AppError> {
    use crate::auth::limit::{Limit, release, reserve};
    use crate::auth::rules::{LOGIN_MAX_FAILURES, LOGIN_WINDOW};
    let subject = format!("person:{person_id}");
    let limit = Limit {
        kind: "login",
        subject: &subject,
        max: LOGIN_MAX_FAILURES,
        window: LOGIN_WINDOW,
    };
    let reservation = reserve(&state.db, &[limit], crate::db::now()).await?;
    if crate::auth::session::verify_password(password, Some(stored_hash)).await? {
        release(&state.db, reservation).await
    } else {
        Err(AppError::field("current_password", "current_password_wrong"))
    }
}

/// "Changer le mot de passe": the current password is required. The person's other sessions
/// end (a device someone else holds is logged out); the one that asked stays.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use crate::account::db;
    use crate::auth::session;
    let result = async {
        let (state, user) = session::require_user().await?;
        crate::auth::rules::check_password(&new_password).map_err(|code| AppError::field("new_password", code))?;
        let own = db::own_account(&state.db, &user.person_id)
            .await?
            .ok_or(AppError::Unauthorized)?;
        check_current_password(&state, &user.person_id, own.password_hash, current_password).await?;
        let hash = session::hash_password(new_password).await?;
        let keep = session::session_token(&state)
            .map(|token| session::hash_token(&token))
            .ok_or(AppError::Unauthorized)?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        crate::auth::db::set_password_hash(&mut tx, &user.person_id, &hash, now).await?;
        let ended = db::end_other_sessions(&mut tx, &user.person_id, &keep).await?;
        // A reset link sent before the change would undo it: it ends too.
        crate::auth::db::end_password_resets_of(&mut tx, &user.person_id, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&user.person_id),
                action: "person.password_changed",
                entity_type: "person",
                entity_id: &user.person_id,
                before: None,
                after: Some(serde_json::json!({ "other_sessions_ended": ended })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// "Changer le nom": the name shown to the organisation, staff and on documents to come.
#[server(prefix = "/api", endpoint = "change_name")]
pub async fn change_name(full_name: String) -> Result<(), AppError> {
    use crate::account::db;
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        let full_name = full_name.trim().to_owned();
        if full_name.is_empty() {
            return Err(AppError::field("full_name", "required"));
        }
        if full_name.chars().count() > crate::org::registration::MAX_TEXT_CHARS {
            return Err(AppError::field("full_name", "too_long"));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        db::set_full_name(&mut tx, &user.person_id, &full_name, now).await?;
        // The staff directory finds an organisation by its people's names.
        for organisation_id in db::organisations_of(&mut tx, &user.person_id).await? {
            crate::directory::db::reindex(&mut tx, &organisation_id).await?;
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&user.person_id),
                action: "person.name_changed",
                entity_type: "person",
                entity_id: &user.person_id,
                before: Some(serde_json::json!({ "full_name": user.full_name })),
                after: Some(serde_json::json!({ "full_name": full_name })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// "Changer l'adresse e-mail de connexion": the current password is required; a single-use
/// link (24 hours) goes to the new address and a notice to the one in force. Nothing changes
/// until the link is used. The answer is the same whether or not the new address already has
/// an account (that is refused when the link is used). At most `RESET_MAX_REQUESTS` an hour.
#[server(prefix = "/api", endpoint = "request_email_change")]
pub async fn request_email_change(new_email: String, current_password: String) -> Result<(), AppError> {
    use crate::account::db;
    use crate::account::model::EMAIL_CHANGE_VALIDITY_HOURS;
    use crate::auth::rules::{RESET_MAX_REQUESTS, RESET_WINDOW, normalise_email};
    use crate::auth::{limit, session};
    use crate::mail::templates::Email;
    let result = async {
        let (state, user) = session::require_user().await?;
        let new_email = normalise_email(&new_email).map_err(|code| AppError::field("new_email", code))?;
        let own = db::own_account(&state.db, &user.person_id)
            .await?
            .ok_or(AppError::Unauthorized)?;
        if own.email.to_lowercase() == new_email {
            return Err(AppError::field("new_email", "email_unchanged"));
        }
        check_current_password(&state, &user.person_id, own.password_hash, current_password).await?;
        let now = crate::db::now();
        let subject = format!("email-change:person:{}", user.person_id);
        let requests = limit::Limit {
            kind: "reset",
            subject: &subject,
            max: RESET_MAX_REQUESTS,
            window: RESET_WINDOW,
        };
        let _kept = limit::reserve(&state.db, &[requests], now).await?;
        let (token, hash) = session::new_token();
        let link = format!("{}/account/email/confirm?token={token}", state.config.public_url);
        let locale = crate::request::locale();
        let mut tx = state.db.begin().await?;
        // Only the newest link works: an older one to another address ends.
        db::end_email_changes_of(&mut tx, &user.person_id, now).await?;
        let expires_at = now + chrono::Duration::hours(EMAIL_CHANGE_VALIDITY_HOURS);
        db::insert_email_change(&mut tx, &hash, &user.person_id, &new_email, now, expires_at).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&user.person_id),
                action: "person.email_change_requested",
                entity_type: "person",
                entity_id: &user.person_id,
                before: Some(serde_json::json!({ "email": own.email })),
                after: Some(serde_json::json!({ "email": new_email })),
            },
            now,
        )
        .await?;
        let confirm = Email::EmailChangeConfirm {
            full_name: own.full_name.clone(),
            link,
        };
        crate::mail::queue(&mut tx, &state, &new_email, &confirm, locale).await?;
        let notice = Email::EmailChangeNotice {
            full_name: own.full_name,
            new_email: new_email.clone(),
        };
        crate::mail::queue(&mut tx, &state, &own.email, &notice, locale).await?;
        tx.commit().await?;
        crate::mail::wake(&state);
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// The link mailed to the new address: the login e-mail changes, once, within 24 hours. An
/// address another account uses by then is refused without saying whose it is. Public (the
/// link may be opened on a device where nobody is logged in); limited per client address.
#[server(prefix = "/api", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use crate::account::db;
    use crate::auth::session;
    let result = async {
        let state = crate::state::app_state()?;
        crate::auth::limit::per_client(&state, "reset", "email-link:").await?;
        let token_hash = session::hash_token(token.trim());
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let (person_id, new_email) = db::consume_email_change(&mut tx, &token_hash, now)
            .await?
            .ok_or_else(|| AppError::form("email_link_invalid"))?;
        // Someone an invitation created for this address, who never answered it: it is free.
        if let Some(lapsed) = crate::org::db::lapsed_invitee(&mut tx, &new_email, now).await? {
            crate::org::db::delete_unaccepted_invitee(&mut tx, &lapsed).await?;
        }
        if db::email_used_by_other(&mut tx, &new_email, &person_id).await? {
            // The link stays used: the same answer every time, whoever holds the address.
            tx.commit().await?;
            return Err(AppError::field("form", "email_unavailable"));
        }
        let before = db::set_email(&mut tx, &person_id, &new_email, now).await?;
        db::end_email_changes_of(&mut tx, &person_id, now).await?;
        for organisation_id in db::organisations_of(&mut tx, &person_id).await? {
            crate::directory::db::reindex(&mut tx, &organisation_id).await?;
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&person_id),
                action: "person.email_changed",
                entity_type: "person",
                entity_id: &person_id,
                before: Some(serde_json::json!({ "email": before })),
                after: Some(serde_json::json!({ "email": new_email })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}
