//! Server functions of join requests: the public form, the holder's decision, staff's list
//! and refusal. Staff's approval carries a file and is a plain multipart route
//! ([`crate::join::files`]).

use crate::error::AppError;
use crate::join::model::{JoinForm, JoinRequestInfo};
use leptos::prelude::*;

/// "Rejoindre mon organisation". Public, limited per client address like the other public
/// forms. The answer is the same whether or not the enterprise number is registered; a
/// request is stored, and its holder told, only when it is.
#[server(prefix = "/api", endpoint = "request_join")]
pub async fn request_join(form: JoinForm) -> Result<(), AppError> {
    use crate::join::db::{self, NewJoinRequest};
    use crate::mail::templates::Email;
    let result = async {
        let state = crate::state::app_state()?;
        let valid = crate::join::rules::validate_join(&form).map_err(|fields| AppError::Validation { fields })?;
        crate::auth::limit::per_client(&state, "inquiry", "join:").await?;
        let Some(organisation_id) = db::organisation_by_number(&state.db, &valid.enterprise_number).await? else {
            return Ok(());
        };
        let locale = crate::request::locale();
        let language = match locale {
            crate::i18n::Locale::fr => "fr",
            crate::i18n::Locale::nl => "nl",
            crate::i18n::Locale::en => "en",
        };
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let request = NewJoinRequest {
            organisation_id: &organisation_id,
            full_name: &valid.full_name,
            email: &valid.email,
            message: &valid.message,
            language,
        };
        db::insert_join_request(&mut tx, &request, now).await?;
        let (organisation, _, org_language) = crate::org::db::contact(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::Internal)?;
        // Without a holder, the request waits in staff's list.
        if let Some((_, holder_email)) = db::holder_of(&mut tx, &organisation_id).await? {
            let email = Email::JoinRequested {
                organisation,
                requester: valid.full_name.clone(),
                email: valid.email.clone(),
            };
            let holder_locale = crate::org::api::locale_of(&org_language);
            crate::mail::queue(&mut tx, &state, &holder_email, &email, holder_locale).await?;
        }
        tx.commit().await?;
        crate::mail::wake(&state);
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// The pending requests to join the caller's organisation. The account holder only.
#[server(prefix = "/api", endpoint = "join_requests")]
pub async fn join_requests() -> Result<Vec<JoinRequestInfo>, AppError> {
    let result = async {
        let (state, _, organisation_id) = crate::auth::session::require_holder().await?;
        Ok(crate::join::db::pending_of(&state.db, &organisation_id).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// Every pending request, organisations without a holder first. Staff.
#[server(prefix = "/api", endpoint = "staff_join_requests")]
pub async fn staff_join_requests() -> Result<Vec<JoinRequestInfo>, AppError> {
    let result = async {
        let (state, _) = crate::auth::session::require_staff().await?;
        Ok(crate::join::db::all_pending(&state.db).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// The account holder approves a request: the requester is invited as a member through the
/// usual invitation flow (the organisation must be validated, the holder's daily invitation
/// limit applies). Members get 403; another organisation's request answers 404.
#[server(prefix = "/api", endpoint = "approve_join_request")]
pub async fn approve_join_request(join_request_id: String) -> Result<(), AppError> {
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        if !crate::token::db::organisation_validated(&state.db, &organisation_id).await? {
            return Err(AppError::Conflict("organisation_not_validated".into()));
        }
        let password_hash = crate::auth::session::unusable_password().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let request = crate::join::db::pending_for_update(&mut tx, &join_request_id)
            .await?
            .filter(|r| r.organisation_id == organisation_id)
            .ok_or(AppError::NotFound)?;
        crate::org::db::lock_inviter(&mut tx, &holder.person_id).await?;
        let day_ago = now - chrono::Duration::days(1);
        if crate::org::db::invitations_sent_since(&mut tx, &holder.person_id, day_ago).await?
            >= i64::from(state.config.invitations_per_day)
        {
            return Err(crate::error::too_many_requests(chrono::Duration::hours(1)));
        }
        let decision = Decision {
            join_request_id: &join_request_id,
            request: &request,
            decider_id: &holder.person_id,
            inviter_name: &holder.full_name,
            role: "member",
            evidence: None,
        };
        approve(&mut tx, &state, &decision, &password_hash, now).await?;
        tx.commit().await?;
        crate::mail::wake(&state);
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Refuses a request; the requester is told, without a reason. The account holder of its
/// organisation, or staff. Members get 403; another organisation's request answers 404.
#[server(prefix = "/api", endpoint = "refuse_join_request")]
pub async fn refuse_join_request(join_request_id: String) -> Result<(), AppError> {
    use crate::mail::templates::Email;
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        if !user.is_staff() {
            let organisation_id = user.membership.as_ref().map(|m| m.organisation_id.clone());
            if !organisation_id.as_deref().is_some_and(|id| user.is_holder_of(id)) {
                return Err(AppError::Forbidden);
            }
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let request = crate::join::db::pending_for_update(&mut tx, &join_request_id)
            .await?
            .filter(|r| user.is_staff() || user.is_holder_of(&r.organisation_id))
            .ok_or(AppError::NotFound)?;
        crate::join::db::decide(&mut tx, &join_request_id, "refused", None, &user.person_id, None, now).await?;
        record_decision(
            &mut tx,
            &user.person_id,
            &join_request_id,
            &request,
            "refused",
            None,
            now,
        )
        .await?;
        let (organisation, _, _) = crate::org::db::contact(&mut tx, &request.organisation_id)
            .await?
            .ok_or(AppError::Internal)?;
        let locale = crate::org::api::locale_of(&request.language);
        crate::mail::queue(
            &mut tx,
            &state,
            &request.email,
            &Email::JoinRefused { organisation },
            locale,
        )
        .await?;
        tx.commit().await?;
        crate::mail::wake(&state);
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// An approval, by the holder or by staff.
#[cfg(feature = "ssr")]
pub(crate) struct Decision<'a> {
    pub join_request_id: &'a str,
    pub request: &'a crate::join::db::PendingRequest,
    pub decider_id: &'a str,
    pub inviter_name: &'a str,
    /// `member`, or `account_holder` (staff, for an organisation without one).
    pub role: &'a str,
    pub evidence: Option<&'a crate::join::db::Evidence<'a>>,
}

/// Approves a pending request inside the caller's transaction: the invitation goes out, the
/// invitee becomes the holder on acceptance when `role` says so (refused while the
/// organisation has one), and the decision joins the audit trail.
#[cfg(feature = "ssr")]
pub(crate) async fn approve(
    tx: &mut crate::db::DbTx,
    state: &crate::state::AppState,
    decision: &Decision<'_>,
    password_hash: &str,
    now: crate::db::Timestamp,
) -> Result<(), AppError> {
    let request = decision.request;
    let make_holder = decision.role == "account_holder";
    if make_holder
        && crate::join::db::holder_of(tx, &request.organisation_id)
            .await?
            .is_some()
    {
        return Err(AppError::field("role", "holder_present"));
    }
    let invitee = crate::org::api::Invitee {
        organisation_id: &request.organisation_id,
        inviter_id: decision.decider_id,
        inviter_name: decision.inviter_name,
        full_name: &request.full_name,
        email: &request.email,
    };
    let person = crate::org::api::send_invitation(tx, state, &invitee, password_hash, now).await?;
    if let (true, Some(person_id)) = (make_holder, &person) {
        crate::join::db::make_pending_holder(tx, &request.organisation_id, person_id).await?;
    }
    crate::join::db::decide(
        tx,
        decision.join_request_id,
        "approved",
        Some(decision.role),
        decision.decider_id,
        decision.evidence,
        now,
    )
    .await?;
    let document = decision.evidence.map(|e| e.file_name);
    record_decision(
        tx,
        decision.decider_id,
        decision.join_request_id,
        request,
        "approved",
        Some(serde_json::json!({ "role": decision.role, "document": document, "person": person })),
        now,
    )
    .await
}

#[cfg(feature = "ssr")]
async fn record_decision(
    tx: &mut crate::db::DbTx,
    actor: &str,
    join_request_id: &str,
    request: &crate::join::db::PendingRequest,
    status: &str,
    details: Option<serde_json::Value>,
    now: crate::db::Timestamp,
) -> Result<(), AppError> {
    crate::audit::record(
        tx,
        crate::audit::AuditEvent {
            actor: Some(actor),
            action: "organisation.join_request_decided",
            entity_type: "organisation",
            entity_id: &request.organisation_id,
            before: Some(serde_json::json!({ "join_request": join_request_id, "email": request.email })),
            after: Some(serde_json::json!({ "status": status, "details": details })),
        },
        now,
    )
    .await?;
    Ok(())
}
