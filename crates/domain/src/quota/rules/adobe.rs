//! Adobe: products per US fiscal year, and Creative Cloud's one subscription per named new
//! user, outside that count.

use super::judgement::{Judgement, refuse};
use super::per_fiscal_year::{self, YearlyLimit};
use crate::quota::model::{CartLine, LineProduct, Offer, PastLine, Rule, RuleSet, Standing};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Creative Cloud: one subscription per named person, new users only.
pub(super) fn judge_creative_cloud(judgement: &mut Judgement, history: &[PastLine], cart: &[CartLine]) {
    let creative_cloud = |p: &LineProduct| p.partner_id == "adobe" && p.offer == Offer::AdobeCreativeCloud;
    let person = |name: &Option<String>| {
        name.as_deref()
            .map(|n| n.trim().to_lowercase())
            .filter(|n| !n.is_empty())
    };
    let subscribed: BTreeSet<String> = history
        .iter()
        .filter(|l| creative_cloud(&l.product))
        .filter_map(|l| person(&l.named_user))
        .collect();
    let mut in_cart: BTreeMap<String, i64> = BTreeMap::new();
    for line in cart.iter().filter(|l| creative_cloud(&l.product)) {
        if let Some(name) = person(&line.named_user) {
            *in_cart.entry(name).or_default() += i64::from(line.quantity);
        }
    }
    for (i, line) in cart.iter().enumerate().filter(|(_, l)| creative_cloud(&l.product)) {
        let qty = i64::from(line.quantity);
        match person(&line.named_user) {
            None => judgement.settle(i, refuse(Rule::CreativeCloudNamedUser, 0, qty, 1, None)),
            Some(name) => {
                let before = i64::from(subscribed.contains(&name));
                let total = before + in_cart.get(&name).copied().unwrap_or(0);
                if total > 1 {
                    judgement.settle(i, refuse(Rule::CreativeCloudOnePerUser, total - qty, qty, 1, None));
                }
            }
        }
    }
}

/// Standard products per US fiscal year.
pub(super) fn judge_per_year(
    judgement: &mut Judgement,
    standing: &Standing,
    rules: &RuleSet,
    history: &[PastLine],
    cart: &[CartLine],
    fiscal_year: (NaiveDate, NaiveDate),
) {
    let yearly = YearlyLimit {
        partner: "adobe",
        limit: rules.adobe_max_per_year,
        rule: Rule::AdobePerYear,
        waiver_until: None,
    };
    per_fiscal_year::judge(judgement, yearly, standing, history, cart, fiscal_year);
}
