//! Server functions of the partners' rules page ("Règles des partenaires"): the versions, and
//! a preview of what a new version changes before it is saved (`api::add_rule_version`).
//! Admin staff only.

use crate::error::AppError;
use crate::quota::model::{RulePreview, RulesOverview};
use leptos::prelude::*;

/// Admin staff: every rule version and the parameters in force today in each country.
#[server(prefix = "/api", endpoint = "rules_overview")]
pub async fn load_rules_overview() -> Result<RulesOverview, AppError> {
    let result = async {
        let (state, _admin) = crate::auth::session::require_admin().await?;
        let today = crate::db::now().with_timezone(&domain::calendar::BELGIUM).date_naive();
        let mut tx = state.db.begin_read().await?;
        let versions = crate::quota::db::stored_rule_versions(&mut tx).await?;
        let mut in_force = Vec::new();
        for country in ["BE", "LU"] {
            let versions = crate::quota::db::rule_versions(&mut tx, country).await?;
            in_force.push((
                country.to_owned(),
                crate::quota::rules::rules_in_force(&versions, today),
            ));
        }
        tx.commit().await?;
        let catalogue = crate::catalog::db::managed_catalogue(&state.db).await?;
        Ok(RulesOverview {
            today,
            partners: catalogue
                .partners
                .into_iter()
                .filter(|p| !crate::quota::rules::partner_keys(&p.partner_id).is_empty())
                .map(|p| (p.partner_id, p.name))
                .collect(),
            versions,
            in_force,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Admin staff: what the version would change on its effective date if it were saved: the
/// organisations of its country whose allowances move, and the current carts it would refuse
/// (a line accepted under the rules in force that day, refused under the new ones). Nothing
/// is written.
#[server(prefix = "/api", endpoint = "preview_rule_version")]
pub async fn preview_rule_version(
    partner_id: String,
    country: String,
    effective_from: String,
    params_json: String,
) -> Result<RulePreview, AppError> {
    let result = async {
        let (state, _admin) = crate::auth::session::require_admin().await?;
        let version = crate::quota::api::parse_rule_version(partner_id, &country, &effective_from, &params_json)?;
        let mut tx = state.db.begin_read().await?;
        let preview = preview(&mut tx, &version, &country).await?;
        tx.commit().await?;
        Ok(preview)
    }
    .await;
    crate::error::with_status(result)
}

/// Runs the engine twice per organisation of `country` on the version's effective date: with
/// the stored versions, and with `version` added (replacing one of the same day).
#[cfg(feature = "ssr")]
async fn preview(
    tx: &mut crate::db::DbTx,
    version: &crate::quota::model::RuleVersion,
    country: &str,
) -> Result<RulePreview, sqlx::Error> {
    use crate::quota::model::{EngineInputs, RefusedCart};
    use crate::quota::{db, rules};
    let day = version.effective_from;
    let stored = db::rule_versions(tx, country).await?;
    let mut proposed: Vec<_> = stored
        .iter()
        .filter(|v| !(v.partner_id == version.partner_id && v.effective_from == day))
        .cloned()
        .collect();
    proposed.push(version.clone());
    let (old_rules, new_rules) = (
        rules::rules_in_force(&stored, day),
        rules::rules_in_force(&proposed, day),
    );
    let catalogue = db::all_products(tx).await?;
    let products: Vec<_> = catalogue
        .iter()
        .filter(|(active, _)| *active)
        .map(|(_, p)| p.clone())
        .collect();
    let organisations = db::organisations_in(tx, country).await?;
    let mut preview = RulePreview {
        organisations: organisations.len() as i64,
        ..RulePreview::default()
    };
    if old_rules == new_rules {
        return Ok(preview);
    }
    for (organisation_id, name) in organisations {
        let Some((_, standing)) = db::standing(tx, &organisation_id).await? else {
            continue;
        };
        let inputs = |rules: &crate::quota::model::RuleSet, history| EngineInputs {
            today: day,
            standing: standing.clone(),
            rules: rules.clone(),
            history,
            products: products.clone(),
        };
        let old = inputs(
            &old_rules,
            db::history(tx, &organisation_id, &old_rules, day, &catalogue).await?,
        );
        let new = inputs(
            &new_rules,
            db::history(tx, &organisation_id, &new_rules, day, &catalogue).await?,
        );
        let cart: Vec<_> = crate::cart::db::load(tx, &organisation_id)
            .await?
            .into_iter()
            .map(|item| item.input)
            .collect();
        // A cart line whose product left the catalogue is refused either way: judge the rest.
        let cart: Vec<_> = cart
            .into_iter()
            .filter(|line| products.iter().any(|p| p.slug == line.slug))
            .collect();
        let (Ok(before), Ok(after)) = (rules::judge(&old, &cart), rules::judge(&new, &cart)) else {
            continue;
        };
        if before.allowances != after.allowances {
            preview.allowances_moved.push(name.clone());
        }
        let refused: Vec<String> = cart
            .iter()
            .zip(before.lines.iter().zip(&after.lines))
            .filter(|(_, (was, now))| was.is_accepted() && !now.is_accepted())
            .filter_map(|(line, _)| products.iter().find(|p| p.slug == line.slug).map(|p| p.name.clone()))
            .collect();
        if !refused.is_empty() {
            preview.refused_carts.push(RefusedCart {
                organisation: name,
                products: refused,
            });
        }
    }
    Ok(preview)
}
