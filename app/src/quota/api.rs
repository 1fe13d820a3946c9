//! "Vérifier la qualification" (authoritative, on the server) and adding a rule version.

use crate::error::AppError;
use crate::quota::model::{CartInput, EngineInputs, Verdict};
use leptos::prelude::*;

/// The engine's inputs for the caller's organisation today, for the live allowance meter.
/// Members.
#[server(prefix = "/api", endpoint = "engine_inputs")]
pub async fn load_engine_inputs() -> Result<EngineInputs, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        let today = crate::db::now().with_timezone(&domain::calendar::BELGIUM).date_naive();
        crate::quota::db::engine_inputs(&state.db, &organisation_id, today)
            .await?
            .ok_or(AppError::NotFound)
    }
    .await;
    crate::error::with_status(result)
}

/// "Vérifier la qualification": judges the caller's cart against the rules in force today for
/// its country, its qualifications and its order history. Members. Authoritative: checkout
/// runs the same judgement again inside its transaction.
#[server(prefix = "/api", endpoint = "verify_qualification")]
pub async fn verify_qualification(lines: Vec<CartInput>) -> Result<Verdict, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        // The bounds checkout enforces: a verdict for 4,294,967,295 units was given, then
        // refused at "Continuer".
        if lines.len() > crate::cart::model::MAX_LINES {
            return Err(AppError::field("lines", "too_many_lines"));
        }
        for (i, line) in lines.iter().enumerate() {
            crate::cart::model::check_quantity(line.quantity)
                .map_err(|(field, code)| AppError::field(format!("lines[{i}].{field}"), code))?;
        }
        let today = crate::db::now().with_timezone(&domain::calendar::BELGIUM).date_naive();
        let inputs = crate::quota::db::engine_inputs(&state.db, &organisation_id, today)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::quota::rules::judge(&inputs, &lines)
            .map_err(|index| AppError::field(format!("lines[{index}]"), "unknown_product"))
    }
    .await;
    crate::error::with_status(result)
}

/// Admin staff: a new version of one partner's rules for a country, in force from
/// `effective_from` (YYYY-MM-DD). `params_json` holds only that partner's keys.
#[server(prefix = "/api", endpoint = "add_rule_version")]
pub async fn add_rule_version(
    partner_id: String,
    country: String,
    effective_from: String,
    params_json: String,
) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_admin().await?;
        let version = parse_rule_version(partner_id, &country, &effective_from, &params_json)?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        if !crate::quota::db::insert_rule_version(&mut tx, &version, &country, Some(&staff.person_id), now).await? {
            return Err(AppError::Conflict("rule_version_exists".into()));
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "partner.rules_versioned",
                entity_type: "partner",
                entity_id: &version.partner_id,
                before: None,
                after: Some(serde_json::json!({
                    "country": country,
                    "effective_from": version.effective_from.to_string(),
                    "params": version.params,
                })),
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

/// Checks a rule version as staff typed it: BE or LU, a YYYY-MM-DD date, and a JSON object
/// of that partner's own parameters (whole numbers ≥ 0).
#[cfg(feature = "ssr")]
pub(crate) fn parse_rule_version(
    partner_id: String,
    country: &str,
    effective_from: &str,
    params_json: &str,
) -> Result<crate::quota::model::RuleVersion, AppError> {
    if !matches!(country, "BE" | "LU") {
        return Err(AppError::field("country", "choose_one"));
    }
    let effective_from = chrono::NaiveDate::parse_from_str(effective_from.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("effective_from", "date_invalid"))?;
    let params = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(params_json)
        .map_err(|_| AppError::field("params_json", "json_invalid"))?;
    crate::quota::rules::check_params(&partner_id, &params).map_err(|_| AppError::field("params_json", "invalid"))?;
    Ok(crate::quota::model::RuleVersion {
        partner_id,
        effective_from,
        params,
    })
}

/// "Mes dons Microsoft": the caller's organisation's allowances in each partner's current
/// window, computed by the rules engine for an empty cart (the same call the cart's meter
/// makes), and its Microsoft requests. Members.
#[server(prefix = "/api", endpoint = "donations")]
pub async fn load_donations() -> Result<crate::quota::model::Donations, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        let today = crate::db::now().with_timezone(&domain::calendar::BELGIUM).date_naive();
        let inputs = crate::quota::db::engine_inputs(&state.db, &organisation_id, today)
            .await?
            .ok_or(AppError::NotFound)?;
        let verdict = crate::quota::rules::judge(&inputs, &[]).map_err(|_| AppError::Internal)?;
        let mut partner_names: Vec<(String, String)> = inputs
            .products
            .iter()
            .map(|p| (p.product.partner_id.clone(), p.partner_name.clone()))
            .collect();
        partner_names.sort();
        partner_names.dedup();
        let filter = crate::order::model::OrderFilter {
            partner: Some("microsoft".into()),
            ..Default::default()
        };
        let mut tx = state.db.begin_read().await?;
        let history = crate::order::db::list_orders(
            &mut tx,
            Some(&organisation_id),
            &filter,
            crate::order::model::ORDERS_PAGE_SIZE,
        )
        .await?;
        tx.commit().await?;
        Ok(crate::quota::model::Donations {
            today,
            allowances: verdict.allowances,
            partner_names,
            microsoft_orders: history.orders,
            microsoft_order_count: history.total,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: the partner documents recorded for an organisation.
#[server(prefix = "/api", endpoint = "partner_documents")]
pub async fn load_partner_documents(
    organisation_id: String,
) -> Result<crate::quota::model::PartnerDocuments, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let mut tx = state.db.begin_read().await?;
        let days = crate::quota::db::partner_documents(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(documents_view(&days))
    }
    .await;
    crate::error::with_status(result)
}

/// Staff (admin and agent): records the day Microsoft issued the discount certificate, the
/// organisation's last direct Autodesk purchase and the day Autodesk's waiver arrived.
/// Each is a day (YYYY-MM-DD) not after today, or empty for none. Audited.
#[server(prefix = "/api", endpoint = "record_partner_documents")]
pub async fn record_partner_documents(
    organisation_id: String,
    certificate_issued: String,
    autodesk_direct_purchase: String,
    autodesk_waiver_on: String,
) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let now = crate::db::now();
        let today = now.with_timezone(&domain::calendar::BELGIUM).date_naive();
        let mut errors = crate::error::FieldErrors::new();
        let mut day = |field: &str, value: &str| -> Option<String> {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                Ok(day) if day <= today => Some(day.to_string()),
                Ok(_) => {
                    errors.insert(field.to_owned(), vec!["date_in_future".to_owned()]);
                    None
                }
                Err(_) => {
                    errors.insert(field.to_owned(), vec!["date_invalid".to_owned()]);
                    None
                }
            }
        };
        let days = (
            day("certificate_issued", &certificate_issued),
            day("autodesk_direct_purchase", &autodesk_direct_purchase),
            day("autodesk_waiver_on", &autodesk_waiver_on),
        );
        if !errors.is_empty() {
            return Err(AppError::Validation { fields: errors });
        }
        let mut tx = state.db.begin().await?;
        let before = crate::quota::db::partner_documents(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if before == days {
            return Ok(());
        }
        crate::quota::db::set_partner_documents(&mut tx, &organisation_id, &days).await?;
        let json = |d: &crate::quota::db::DocumentDays| {
            serde_json::json!({
                "discount_certificate_issued": d.0,
                "autodesk_direct_purchase": d.1,
                "autodesk_waiver_on": d.2,
            })
        };
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "organisation.partner_documents_recorded",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(json(&before)),
                after: Some(json(&days)),
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

/// The stored days as staff read them, with the certificate's last valid day under the
/// default rules (12 months; a rule version may say otherwise for the engine).
#[cfg(feature = "ssr")]
fn documents_view(days: &crate::quota::db::DocumentDays) -> crate::quota::model::PartnerDocuments {
    let parse = |value: &Option<String>| {
        value
            .as_deref()
            .and_then(|v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
    };
    let issued = parse(&days.0);
    crate::quota::model::PartnerDocuments {
        discount_certificate_issued: issued,
        discount_certificate_until: issued
            .map(|d| domain::quota::rules::certificate_last_day(d, &crate::quota::model::RuleSet::default())),
        autodesk_direct_purchase: parse(&days.1),
        autodesk_waiver_on: parse(&days.2),
    }
}
