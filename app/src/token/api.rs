//! Server functions of validation tokens: the account's "Jeton de validation" tab (the
//! holder creates, refreshes and revokes; other members see the tokens made for them),
//! staff's partner API clients, and a partner's check by hand.

use crate::error::AppError;
use crate::token::model::{NewPartnerKey, PartnerClientsPage, TokenForm, TokensPage, Verdict};
use leptos::prelude::*;

/// Tokens on one page of the tab.
pub const TOKENS_PAGE_SIZE: u32 = 20;
/// Checks shown per token in the holder's usage log.
pub const LOG_SIZE: i64 = 10;

/// The tab: every token of the organisation for the holder, the tokens made for them for
/// other members. Newest first, [`TOKENS_PAGE_SIZE`] a page.
#[server(prefix = "/api", endpoint = "my_tokens")]
pub async fn my_tokens(page: u32) -> Result<TokensPage, AppError> {
    let result = async {
        let (state, user, organisation_id) = crate::auth::session::require_member().await?;
        let is_holder = user.is_holder_of(&organisation_id);
        let (own_name, own_email) = crate::token::db::person_contact(&state.db, &user.person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let page = page.min(100_000);
        let (rows, total) = crate::token::db::list_tokens(
            &state.db,
            &organisation_id,
            (!is_holder).then_some(own_email.as_str()),
            i64::from(TOKENS_PAGE_SIZE),
            i64::from(page) * i64::from(TOKENS_PAGE_SIZE),
        )
        .await?;
        let ids: Vec<String> = rows.iter().map(|r| r.token_id.clone()).collect();
        let mut usage = crate::token::db::usage(&state.db, &ids, LOG_SIZE).await?;
        let now = crate::db::now();
        let tokens = rows
            .into_iter()
            .map(|row| {
                let (checks, log) = usage.remove(&row.token_id).unwrap_or_default();
                crate::token::model::TokenView {
                    status: crate::token::rules::status(row.expires_at, row.revoked_at.is_some(), now),
                    days_left: crate::token::rules::days_left(row.expires_at, now),
                    created_at: row.created_at.to_rfc3339(),
                    expires_at: row.expires_at.to_rfc3339(),
                    checks,
                    // The usage log is the holder's: it names the partners the organisation deals with.
                    log: if is_holder { log } else { Vec::new() },
                    token_id: row.token_id,
                    code: row.code,
                    creator_name: row.creator_name,
                    creator_email: row.creator_email,
                    recipient_name: row.recipient_name,
                    recipient_email: row.recipient_email,
                    purpose: row.purpose,
                    partner_name: row.partner_name,
                }
            })
            .collect();
        let partners = partner_choices(&state).await?;
        Ok(TokensPage {
            is_holder,
            validated: crate::token::db::organisation_validated(&state.db, &organisation_id).await?,
            own_name,
            own_email,
            tokens,
            page,
            per_page: TOKENS_PAGE_SIZE,
            total,
            partners,
        })
    }
    .await;
    crate::error::with_status(result)
}

#[cfg(feature = "ssr")]
async fn partner_choices(state: &crate::state::AppState) -> Result<Vec<crate::token::model::PartnerChoice>, AppError> {
    Ok(crate::org::db::active_partners(&state.db)
        .await?
        .into_iter()
        .map(|(partner_id, name)| crate::token::model::PartnerChoice { partner_id, name })
        .collect())
}

/// "Créer un jeton": the account holder of a validated organisation only (409
/// `organisation_not_validated` before staff found it eligible). A fresh code from the
/// CSPRNG, valid 60 days.
#[server(prefix = "/api", endpoint = "create_token")]
pub async fn create_token(form: TokenForm) -> Result<(), AppError> {
    use crate::token::db::{self, NewToken};
    use crate::token::rules::{expiry_from, validate_form};
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        let (own_name, own_email) = db::person_contact(&state.db, &holder.person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let valid = validate_form(&form, &own_name, &own_email).map_err(|fields| AppError::Validation { fields })?;
        if !db::organisation_validated(&state.db, &organisation_id).await? {
            return Err(AppError::Conflict("organisation_not_validated".into()));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        if let Some(partner_id) = &valid.partner_id
            && !db::partner_exists(&mut tx, partner_id).await?
        {
            return Err(AppError::field("partner_id", "choose_one"));
        }
        let code = crate::token::generate_code();
        let token = NewToken {
            organisation_id: &organisation_id,
            code: code.as_str(),
            created_by: &holder.person_id,
            recipient_name: &valid.recipient_name,
            recipient_email: &valid.recipient_email,
            purpose: &valid.purpose,
            partner_id: valid.partner_id.as_deref(),
            expires_at: expiry_from(now),
        };
        let token_id = db::insert_token(&mut tx, &token, now).await?;
        // The audit names the token, never its code.
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&holder.person_id),
                action: "token.created",
                entity_type: "validation_token",
                entity_id: &token_id,
                before: None,
                after: Some(serde_json::json!({
                    "recipient_name": valid.recipient_name,
                    "recipient_email": valid.recipient_email,
                    "purpose": valid.purpose,
                    "partner_id": valid.partner_id,
                    "expires_at": token.expires_at.to_rfc3339(),
                })),
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

/// "Mettre à jour un jeton": the holder gives an expired token a new code and 60 new days;
/// the old code is dead. 409 for a live or revoked token.
#[server(prefix = "/api", endpoint = "refresh_token")]
pub async fn refresh_token(token_id: String) -> Result<(), AppError> {
    use crate::token::rules::{can_refresh, expiry_from, status};
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let (expires_at, revoked) = crate::token::db::token_state(&mut tx, &organisation_id, &token_id)
            .await?
            .ok_or(AppError::NotFound)?;
        can_refresh(status(expires_at, revoked, now)).map_err(|code| AppError::Conflict(code.into()))?;
        let code = crate::token::generate_code();
        let new_expiry = expiry_from(now);
        if !crate::token::db::refresh(&mut tx, &token_id, code.as_str(), new_expiry, now).await? {
            return Err(AppError::Conflict("token_not_expired".into()));
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&holder.person_id),
                action: "token.refreshed",
                entity_type: "validation_token",
                entity_id: &token_id,
                before: Some(serde_json::json!({ "expires_at": expires_at.to_rfc3339() })),
                after: Some(serde_json::json!({ "expires_at": new_expiry.to_rfc3339() })),
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

/// The holder revokes a token: partners' checks answer "revoked" from now on. 409 if it
/// already is.
#[server(prefix = "/api", endpoint = "revoke_token")]
pub async fn revoke_token(token_id: String) -> Result<(), AppError> {
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        crate::token::db::token_state(&mut tx, &organisation_id, &token_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !crate::token::db::revoke(&mut tx, &token_id, &holder.person_id, now).await? {
            return Err(AppError::Conflict("token_revoked".into()));
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&holder.person_id),
                action: "token.revoked",
                entity_type: "validation_token",
                entity_id: &token_id,
                before: None,
                after: Some(serde_json::json!({ "revoked_at": now.to_rfc3339() })),
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

/// Staff: the partners' API clients.
#[server(prefix = "/api", endpoint = "partner_clients")]
pub async fn partner_clients() -> Result<PartnerClientsPage, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        Ok(PartnerClientsPage {
            clients: crate::token::db::list_clients(&state.db).await?,
            partners: partner_choices(&state).await?,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff create a partner's API client. The key is in the answer and nowhere else: only its
/// SHA-256 is stored.
#[server(prefix = "/api", endpoint = "create_partner_client")]
pub async fn create_partner_client(
    name: String,
    partner_id: String,
    rate_per_minute: String,
) -> Result<NewPartnerKey, AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let name = name.trim().to_owned();
        let mut fields = crate::error::FieldErrors::new();
        if name.is_empty() {
            fields.insert("name".into(), vec!["required".into()]);
        } else if name.chars().count() > crate::token::rules::MAX_NAME_CHARS {
            fields.insert("name".into(), vec!["too_long".into()]);
        }
        let rate = match rate_per_minute.trim() {
            "" => Some(60),
            text => text.parse::<i64>().ok().filter(|r| (1..=100_000).contains(r)),
        };
        if rate.is_none() {
            fields.insert("rate_per_minute".into(), vec!["rate_out_of_range".into()]);
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        if !crate::token::db::partner_exists(&mut tx, partner_id.trim()).await? {
            fields.insert("partner_id".into(), vec!["choose_one".into()]);
        }
        if !fields.is_empty() {
            return Err(AppError::Validation { fields });
        }
        let key = crate::token::new_api_key();
        let client = crate::token::db::NewClient {
            partner_id: partner_id.trim(),
            name: &name,
            key_hash: &crate::auth::session::hash_token(&key),
            key_prefix: &key[..7],
            rate_per_minute: rate.unwrap_or(60),
            created_by: &staff.person_id,
        };
        let id = crate::token::db::insert_client(&mut tx, &client, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "partner_client.created",
                entity_type: "partner_client",
                entity_id: &id,
                before: None,
                after: Some(serde_json::json!({
                    "name": name,
                    "partner_id": client.partner_id,
                    "key_prefix": client.key_prefix,
                    "rate_per_minute": client.rate_per_minute,
                })),
            },
            now,
        )
        .await?;
        let created = crate::token::db::client_in(&mut tx, &id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(NewPartnerKey { client: created, key })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff revoke a client: its key stops working at once.
#[server(prefix = "/api", endpoint = "revoke_partner_client")]
pub async fn revoke_partner_client(partner_client_id: String) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        crate::token::db::client_in(&mut tx, &partner_client_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !crate::token::db::revoke_client(&mut tx, &partner_client_id, now).await? {
            return Err(AppError::Conflict("client_revoked".into()));
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "partner_client.revoked",
                entity_type: "partner_client",
                entity_id: &partner_client_id,
                before: None,
                after: Some(serde_json::json!({ "revoked_at": now.to_rfc3339() })),
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

/// A partner's staff check a token by hand with their key: the same check, log and rate
/// limit as the API. No session: the key is the credential. Pasted codes are trimmed and
/// lower-cased first.
#[server(prefix = "/api", endpoint = "check_token")]
pub async fn check_token(key: String, token: String) -> Result<Verdict, AppError> {
    use crate::token::verify::{VerifyError, authenticate, verify};
    let result = async {
        let state = crate::state::app_state()?;
        let as_app_error = |error: VerifyError| match error {
            VerifyError::BadKey => AppError::field("key", "api_key_invalid"),
            VerifyError::Malformed => AppError::field("token", "token_malformed"),
            VerifyError::RateLimited { retry_after } => crate::error::too_many_requests(chrono::Duration::seconds(
                i64::try_from(retry_after).unwrap_or(i64::MAX),
            )),
            VerifyError::Internal => AppError::Internal,
        };
        if key.trim().is_empty() {
            return Err(AppError::field("key", "required"));
        }
        let client = authenticate(&state, Some(&key)).await.map_err(as_app_error)?;
        let token = token.trim().to_ascii_lowercase();
        if token.is_empty() {
            return Err(AppError::field("token", "required"));
        }
        verify(&state, client, &token, crate::db::now())
            .await
            .map_err(as_app_error)
    }
    .await;
    crate::error::with_status(result)
}
