//! Staff management ("Équipe"): admins invite staff members, change their role (admin or
//! agent) or take their access away. Admins only; every change is audited; an admin never
//! changes their own role, so the programme always keeps the admin who acted.

use crate::auth::model::StaffMember;
#[cfg(feature = "ssr")]
use crate::auth::rules::parse_role;
use crate::error::AppError;
use leptos::prelude::*;

/// Admins: every staff member, by name.
#[server(prefix = "/api", endpoint = "staff_members")]
pub async fn staff_members() -> Result<Vec<StaffMember>, AppError> {
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        let members = crate::auth::db::staff_members(&state.db).await?;
        Ok(members
            .into_iter()
            .map(|mut member| {
                member.is_you = member.person_id == admin.person_id;
                member
            })
            .collect())
    }
    .await;
    crate::error::with_status(result)
}

/// Admins: adds a staff member with `role` (`admin` or `agent`). They choose their password
/// through the link e-mailed to them (valid 7 days, once). An address that already has an
/// account is refused: staff see it, there is nothing to hide from them.
#[server(prefix = "/api", endpoint = "invite_staff")]
pub async fn invite_staff(full_name: String, email: String, role: String) -> Result<(), AppError> {
    use crate::auth::rules::{INVITATION_VALIDITY, normalise_email, username_from_email};
    use crate::auth::session;
    use crate::org::db::{self, NewPerson};
    let result = async {
        let (state, admin) = session::require_admin().await?;
        let full_name = full_name.trim().to_owned();
        if full_name.is_empty() {
            return Err(AppError::field("full_name", "required"));
        }
        if full_name.chars().count() > crate::org::registration::MAX_TEXT_CHARS {
            return Err(AppError::field("full_name", "too_long"));
        }
        let email = normalise_email(&email).map_err(|code| AppError::field("email", code))?;
        let Some(Some(role)) = parse_role(role.trim()) else {
            return Err(AppError::field("role", "choose_one"));
        };
        // Nobody knows this password: the new member sets theirs through the link.
        let password_hash = session::unusable_password().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        if db::email_taken(&mut tx, &email).await? {
            return Err(AppError::field("email", "email_taken"));
        }
        let username = db::free_username(&mut tx, &username_from_email(&email)).await?;
        let person = NewPerson {
            username: &username,
            email: &email,
            full_name: &full_name,
            password_hash: &password_hash,
            staff_role: Some(role),
        };
        let person_id = db::insert_person(&mut tx, &person, now).await?;
        let link = session::new_password_link(&mut tx, &state, &person_id, now, INVITATION_VALIDITY).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&admin.person_id),
                action: "staff.invited",
                entity_type: "person",
                entity_id: &person_id,
                before: None,
                after: Some(serde_json::json!({ "email": email, "role": role.as_str() })),
            },
            now,
        )
        .await?;
        let invitation = crate::mail::templates::Email::StaffInvited {
            inviter: admin.full_name.clone(),
            link,
        };
        crate::mail::queue(&mut tx, &state, &email, &invitation, crate::request::locale()).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Admins: another staff member's role (`admin`, `agent`), or `none` to take their staff
/// access away (their sessions end at once). Never one's own role (409 `own_role`).
#[server(prefix = "/api", endpoint = "set_staff_role")]
pub async fn set_staff_role(person_id: String, role: String) -> Result<(), AppError> {
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        let Some(role) = parse_role(role.trim()) else {
            return Err(AppError::field("role", "choose_one"));
        };
        if person_id == admin.person_id {
            return Err(AppError::Conflict("own_role".into()));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let before = crate::auth::db::staff_role_for_update(&mut tx, &person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let after = role.map(|r| r.as_str().to_owned());
        if after.as_deref() == Some(before.as_str()) {
            return Ok(());
        }
        crate::auth::db::set_staff_role(&mut tx, &person_id, after.as_deref()).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&admin.person_id),
                action: "staff.role_changed",
                entity_type: "person",
                entity_id: &person_id,
                before: Some(serde_json::json!({ "role": before })),
                after: Some(serde_json::json!({ "role": after })),
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

/// Admins: limits an agent to the orders of `partners` (partner ids: a "Cisco desk" is
/// `["cisco"]`), or gives them every partner again (no partner). Audited. Admins are never
/// scoped (409 `admin_unscoped`); an unknown partner is a field error.
#[server(prefix = "/api", endpoint = "set_staff_scope")]
pub async fn set_staff_scope(person_id: String, #[server(default)] partners: Vec<String>) -> Result<(), AppError> {
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        let mut partners: Vec<String> = partners.into_iter().map(|p| p.trim().to_owned()).collect();
        partners.sort();
        partners.dedup();
        if partners.len() > 50 {
            return Err(AppError::field("partners", "choose_one"));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let role = crate::auth::db::staff_role_for_update(&mut tx, &person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if role != crate::org::model::StaffRole::Agent.as_str() || person_id == admin.person_id {
            return Err(AppError::Conflict("admin_unscoped".into()));
        }
        if crate::auth::db::known_partners(&mut tx, &partners).await? != partners.len() {
            return Err(AppError::field("partners", "choose_one"));
        }
        let before = crate::auth::db::partner_scope_in(&mut tx, &person_id).await?;
        if before == partners {
            return Ok(());
        }
        crate::auth::db::set_partner_scope(&mut tx, &person_id, &partners, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&admin.person_id),
                action: "staff.scope_changed",
                entity_type: "person",
                entity_id: &person_id,
                before: Some(serde_json::json!({ "partners": before })),
                after: Some(serde_json::json!({ "partners": partners })),
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
