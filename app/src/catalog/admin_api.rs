//! Server functions of catalogue management ("Gestion du catalogue"): products, partners and
//! Microsoft families. Admin staff only; every change is audited with before and after.

use crate::catalog::model::{ManagedCatalogue, ProductForm};
use crate::error::AppError;
use leptos::prelude::*;

/// A partner's or family's name: required, at most [`crate::catalog::rules::MAX_NAME_CHARS`].
#[cfg(feature = "ssr")]
fn checked_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::field("name", "required"));
    }
    if name.chars().count() > crate::catalog::rules::MAX_NAME_CHARS {
        return Err(AppError::field("name", "too_long"));
    }
    Ok(name.to_owned())
}

/// Admin staff: every product (active or not), partner and family.
#[server(prefix = "/api", endpoint = "managed_catalogue")]
pub async fn load_managed_catalogue() -> Result<ManagedCatalogue, AppError> {
    let result = async {
        let (state, _admin) = crate::auth::session::require_admin().await?;
        Ok(crate::catalog::db::managed_catalogue(&state.db).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// Admin staff: creates a product (`original_slug` empty) or saves the product at
/// `original_slug`. Unchecking "active" deactivates it: it leaves the catalogue and carts
/// can no longer check it out, while past orders keep it. Returns the product's slug.
#[server(prefix = "/api", endpoint = "save_product")]
pub async fn save_product(original_slug: String, form: ProductForm) -> Result<String, AppError> {
    use crate::catalog::db;
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        let creating = original_slug.trim().is_empty();
        let mut form = form;
        if !creating {
            form.slug = original_slug.trim().to_owned();
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let (partners, families) = db::references(&mut tx).await?;
        let valid = crate::catalog::rules::validate_product(&form, &partners, &families).map_err(|fields| {
            AppError::Validation {
                // Named as the form names its inputs.
                fields: fields
                    .into_iter()
                    .map(|(field, codes)| (format!("form[{field}]"), codes))
                    .collect(),
            }
        })?;
        let before = if creating {
            if db::slug_taken(&mut tx, &valid.slug).await? {
                return Err(AppError::field("form[slug]", "slug_taken"));
            }
            db::insert_managed_product(&mut tx, &valid, now).await?;
            None
        } else {
            let before = db::product_for_update(&mut tx, &valid.slug)
                .await?
                .ok_or(AppError::NotFound)?;
            db::update_managed_product(&mut tx, &valid, now).await?;
            Some(before)
        };
        let after = db::product_for_update(&mut tx, &valid.slug)
            .await?
            .ok_or(AppError::Internal)?;
        if before.as_ref() == Some(&after) {
            return Ok(valid.slug);
        }
        let action = match (&before, after.active) {
            (None, _) => "product.created",
            (Some(old), false) if old.active => "product.deactivated",
            (Some(old), true) if !old.active => "product.reactivated",
            _ => "product.updated",
        };
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&admin.person_id),
                action,
                entity_type: "product",
                entity_id: &valid.slug,
                before: before.map(|b| serde_json::json!(b)),
                after: Some(serde_json::json!(after)),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        // What the public pages show changed: the kept copies go (`page_cache`).
        state.pages.clear();
        Ok(valid.slug)
    }
    .await;
    crate::error::with_status(result)
}

/// Admin staff: a partner's name, its place in the catalogue and whether its offers show.
#[server(prefix = "/api", endpoint = "save_partner")]
pub async fn save_partner(
    partner_id: String,
    name: String,
    sort_order: String,
    active: Option<String>,
) -> Result<(), AppError> {
    use crate::catalog::db;
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        let name = checked_name(&name)?;
        let sort_order = sort_order
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (0..=1000).contains(n))
            .ok_or_else(|| AppError::field("sort_order", "number_invalid"))?;
        let active = active.is_some();
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let before = db::partner_for_update(&mut tx, &partner_id).await?.ok_or(AppError::NotFound)?;
        if before == (name.clone(), sort_order, active) {
            return Ok(());
        }
        db::update_partner(&mut tx, &partner_id, &name, sort_order, active, now).await?;
        let json = |(name, sort_order, active): (String, i32, bool)| {
            serde_json::json!({ "name": name, "sort_order": sort_order, "active": active })
        };
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&admin.person_id),
                action: "partner.updated",
                entity_type: "partner",
                entity_id: &partner_id,
                before: Some(json(before)),
                after: Some(json((name, sort_order, active))),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        // What the public pages show changed: the kept copies go (`page_cache`).
        state.pages.clear();
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Admin staff: adds a product family to a partner (`family_id` empty; its id is made from
/// the name) or renames one. Microsoft's quotas count licences per family.
#[server(prefix = "/api", endpoint = "save_family")]
pub async fn save_family(family_id: String, partner_id: String, name: String) -> Result<(), AppError> {
    use crate::catalog::db;
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        let name = checked_name(&name)?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let (action, id, before) = if family_id.trim().is_empty() {
            let (partners, families) = db::references(&mut tx).await?;
            if !partners.contains(&partner_id) {
                return Err(AppError::field("partner_id", "unknown_partner"));
            }
            let id = crate::catalog::rules::family_id_for(&name);
            if !crate::catalog::rules::valid_slug(&id) {
                return Err(AppError::field("name", "slug_invalid"));
            }
            if families.iter().any(|(existing, _)| *existing == id) {
                return Err(AppError::field("name", "family_taken"));
            }
            db::insert_product_family(&mut tx, &id, &partner_id, &name, now).await?;
            ("family.created", id, None)
        } else {
            let (_, old_name) = db::family(&mut tx, &family_id).await?.ok_or(AppError::NotFound)?;
            if old_name == name {
                return Ok(());
            }
            db::rename_family(&mut tx, &family_id, &name).await?;
            (
                "family.renamed",
                family_id.clone(),
                Some(serde_json::json!({ "name": old_name })),
            )
        };
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&admin.person_id),
                action,
                entity_type: "product_family",
                entity_id: &id,
                before,
                after: Some(serde_json::json!({ "name": name, "partner_id": partner_id })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        // What the public pages show changed: the kept copies go (`page_cache`).
        state.pages.clear();
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}
