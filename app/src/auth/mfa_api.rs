//! Server functions of the second factor ("Validation en deux étapes"): the code step of a
//! login, enrolment (staff at their first login, organisation accounts when they opt in),
//! turning it off (organisation accounts, with a current code) and an admin's reset.

use crate::auth::model::CurrentUser;
use crate::error::AppError;
use domain::auth::mfa::{MfaEnrolled, MfaEnrolment, MfaState, MfaStep};
use leptos::prelude::*;

/// The step this browser's login waits for, or `None` (no pending login, or it expired).
/// Public: it reads only the pending state's cookie.
#[server(prefix = "/api", endpoint = "mfa_pending")]
pub async fn mfa_pending() -> Result<Option<MfaStep>, AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let Some(person_id) = crate::auth::mfa::pending_person(&state).await? else {
            return Ok(None);
        };
        let (staff, factor) = crate::auth::mfa_db::mfa_of(&state.db, &person_id).await?;
        Ok(match factor {
            Some(row) if row.confirmed => Some(MfaStep::Verify),
            _ if staff => Some(MfaStep::Enrol),
            _ => None,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// The code step of a login: six digits from the app or a recovery code. Only for a browser
/// whose login waits for it; attempts are limited per account.
#[server(prefix = "/api", endpoint = "verify_mfa")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn verify_mfa(code: String) -> Result<CurrentUser, AppError> {
    use crate::auth::mfa::{self, rules::MfaCode};
    use crate::auth::mfa_db;
    let result = async {
        let state = crate::state::app_state()?;
        let person_id = mfa::pending_person(&state).await?.ok_or(AppError::Unauthorized)?;
        let code = MfaCode::parse(&code).map_err(|c| AppError::field("code", c))?;
        let reservation = mfa::reserve_attempt(&state, &person_id).await?;
        let now = mfa::mfa_now();
        let (_, factor) = mfa_db::mfa_of(&state.db, &person_id).await?;
        let factor = factor.filter(|row| row.confirmed).ok_or(AppError::Unauthorized)?;
        let method = match &code {
            MfaCode::Totp(digits) => match mfa::matching_step(&factor.secret, digits, now, factor.last_step) {
                Some(step) => mfa_db::use_step(&state.db, &person_id, step, now)
                    .await?
                    .then_some("totp"),
                None => None,
            },
            MfaCode::Recovery(compact) => {
                let hash = mfa::recovery_hash(compact);
                mfa_db::use_recovery_code(&state.db, &person_id, &hash, now)
                    .await?
                    .then_some("recovery_code")
            }
        };
        let Some(method) = method else {
            // The refusal keeps its place in the counter.
            mfa::record(&state, None, "mfa.code_refused", &person_id, None).await?;
            return Err(AppError::field("code", "mfa_code_wrong"));
        };
        crate::auth::limit::release(&state.db, reservation).await?;
        if method == "recovery_code" {
            let left = mfa_db::recovery_codes_left(&state.db, &person_id).await?;
            let after = serde_json::json!({ "recovery_codes_left": left });
            mfa::record(
                &state,
                Some(&person_id),
                "mfa.recovery_code_used",
                &person_id,
                Some(after),
            )
            .await?;
        }
        mfa::finish_pending_login(&state, &person_id, method).await
    }
    .await;
    crate::error::with_status(result)
}

/// Starts an enrolment: a secret for the authenticator app (as a QR code and as text). For
/// the logged-in person without a second factor, or a staff member whose first login waits
/// for it. Until it is confirmed, calling again within the second step's validity (10
/// minutes) gives the same secret (a page rendered twice or reloaded shows the secret the
/// code is checked against), and a new one after.
#[server(prefix = "/api", endpoint = "begin_mfa_enrolment")]
pub async fn begin_mfa_enrolment() -> Result<MfaEnrolment, AppError> {
    use crate::auth::{mfa, mfa_db};
    let result = async {
        let state = crate::state::app_state()?;
        let (person_id, _) = mfa::enrolling_person(&state).await?;
        let fresh = mfa::new_secret()?;
        let reuse = mfa::rules::MFA_CHALLENGE_VALIDITY;
        let Some(secret) = mfa_db::start_enrolment(&state.db, &person_id, &fresh, mfa::mfa_now(), reuse).await? else {
            return Err(AppError::Conflict("mfa_already_on".into()));
        };
        let account = mfa_db::account_label(&state.db, &person_id)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let uri = mfa::rules::otpauth_uri(&secret, &account);
        let qr_png = mfa::qr_data_uri(&uri).ok_or(AppError::Internal)?;
        Ok(MfaEnrolment { secret, uri, qr_png })
    }
    .await;
    crate::error::with_status(result)
}

/// Confirms an enrolment with a first code from the app: the second factor is on, and the
/// ten recovery codes are given, once. A staff member's first login is then complete.
#[server(prefix = "/api", endpoint = "confirm_mfa_enrolment")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn confirm_mfa_enrolment(code: String) -> Result<MfaEnrolled, AppError> {
    use crate::auth::mfa::{self, rules::MfaCode};
    use crate::auth::mfa_db;
    let result = async {
        let state = crate::state::app_state()?;
        let (person_id, pending) = mfa::enrolling_person(&state).await?;
        let Ok(MfaCode::Totp(digits)) = MfaCode::parse(&code) else {
            return Err(AppError::field("code", "mfa_code_invalid"));
        };
        let reservation = mfa::reserve_attempt(&state, &person_id).await?;
        let now = mfa::mfa_now();
        let (_, factor) = mfa_db::mfa_of(&state.db, &person_id).await?;
        let factor = factor.ok_or_else(|| AppError::Conflict("mfa_not_started".into()))?;
        if factor.confirmed {
            return Err(AppError::Conflict("mfa_already_on".into()));
        }
        let Some(step) = mfa::matching_step(&factor.secret, &digits, now, factor.last_step) else {
            mfa::record(&state, None, "mfa.code_refused", &person_id, None).await?;
            return Err(AppError::field("code", "mfa_code_wrong"));
        };
        let (codes, hashes) = mfa::new_recovery_codes();
        let mut tx = state.db.begin().await?;
        if !mfa_db::confirm_enrolment(&mut tx, &person_id, step, now).await? {
            return Err(AppError::Conflict("mfa_already_on".into()));
        }
        mfa_db::replace_recovery_codes(&mut tx, &person_id, &hashes, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&person_id),
                action: "mfa.enrolled",
                entity_type: "person",
                entity_id: &person_id,
                before: None,
                after: Some(serde_json::json!({ "method": "totp", "recovery_codes": codes.len() })),
            },
            crate::db::now(),
        )
        .await?;
        tx.commit().await?;
        crate::auth::limit::release(&state.db, reservation).await?;
        let logged_in = if pending {
            Some(mfa::finish_pending_login(&state, &person_id, "enrolment").await?)
        } else {
            None
        };
        Ok(MfaEnrolled {
            recovery_codes: codes,
            logged_in,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// The logged-in person's second factor, for their account page.
#[server(prefix = "/api", endpoint = "mfa_settings")]
pub async fn mfa_settings() -> Result<MfaState, AppError> {
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        let (staff, factor) = crate::auth::mfa_db::mfa_of(&state.db, &user.person_id).await?;
        let enabled = factor.is_some_and(|row| row.confirmed);
        let recovery_codes_left = if enabled {
            crate::auth::mfa_db::recovery_codes_left(&state.db, &user.person_id).await?
        } else {
            0
        };
        Ok(MfaState {
            enabled,
            required: staff,
            recovery_codes_left,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// An organisation account turns its second factor off, with a current code from the app.
/// Staff cannot: it is required of them (403).
#[server(prefix = "/api", endpoint = "disable_mfa")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn disable_mfa(code: String) -> Result<(), AppError> {
    use crate::auth::mfa::{self, rules::MfaCode};
    use crate::auth::mfa_db;
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        if user.is_staff() {
            return Err(AppError::Forbidden);
        }
        let Ok(MfaCode::Totp(digits)) = MfaCode::parse(&code) else {
            return Err(AppError::field("code", "mfa_code_invalid"));
        };
        let person_id = user.person_id;
        let (_, factor) = mfa_db::mfa_of(&state.db, &person_id).await?;
        let factor = factor
            .filter(|row| row.confirmed)
            .ok_or_else(|| AppError::Conflict("mfa_not_on".into()))?;
        let reservation = mfa::reserve_attempt(&state, &person_id).await?;
        let now = mfa::mfa_now();
        let used = match mfa::matching_step(&factor.secret, &digits, now, factor.last_step) {
            Some(step) => mfa_db::use_step(&state.db, &person_id, step, now).await?,
            None => false,
        };
        if !used {
            mfa::record(&state, None, "mfa.code_refused", &person_id, None).await?;
            return Err(AppError::field("code", "mfa_code_wrong"));
        }
        crate::auth::limit::release(&state.db, reservation).await?;
        let mut tx = state.db.begin().await?;
        mfa_db::remove_mfa(&mut tx, &person_id).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&person_id),
                action: "mfa.turned_off",
                entity_type: "person",
                entity_id: &person_id,
                before: None,
                after: None,
            },
            crate::db::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Admins: resets another person's second factor (a lost phone). Their sessions and pending
/// logins end; staff enrol again at their next login. Audited. Never one's own (409).
#[server(prefix = "/api", endpoint = "reset_mfa")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reset_mfa(person_id: String) -> Result<(), AppError> {
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        if person_id == admin.person_id {
            return Err(AppError::Conflict("mfa_own_reset".into()));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        if !crate::auth::mfa_db::remove_mfa(&mut tx, &person_id).await? {
            return Err(AppError::NotFound);
        }
        crate::auth::db::end_sessions_of(&mut tx, &person_id).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&admin.person_id),
                action: "mfa.reset",
                entity_type: "person",
                entity_id: &person_id,
                before: None,
                after: None,
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
