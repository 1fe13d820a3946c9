//! Microsoft: the donation programme's two-year cycle (families, licences per family,
//! non-core server licences) and the discount programme's minimum and certificate.

use super::judgement::{Judgement, refuse};
use crate::calendar::add_months;
use crate::catalog::model::LicenceType;
use crate::quota::model::{
    Allowance, CartLine, Counter, LineProduct, LineVerdict, Offer, PastLine, Rule, RuleSet, Standing,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn is_microsoft_donation(product: &LineProduct) -> bool {
    product.partner_id == "microsoft" && product.offer != Offer::MicrosoftDiscount
}

/// The Microsoft donation cycle in force on `today`, as [start, end): it starts with the
/// first validated Microsoft order and lasts the rule's months; the next one starts with the
/// next order validated after it ends. `None` when no cycle runs (the next validated order
/// will start one).
pub fn microsoft_cycle(history: &[PastLine], rules: &RuleSet, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let dates = history
        .iter()
        .filter(|l| l.validated && is_microsoft_donation(&l.product))
        .map(|l| l.date);
    microsoft_cycle_from_dates(dates, rules, today)
}

/// [`microsoft_cycle`] from the validation dates of the Microsoft donation orders alone (what
/// the database loads before the lines, see [`HistoryWindow`](super::HistoryWindow)).
pub fn microsoft_cycle_from_dates(
    validated: impl IntoIterator<Item = NaiveDate>,
    rules: &RuleSet,
    today: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut dates: Vec<NaiveDate> = validated.into_iter().filter(|d| *d <= today).collect();
    dates.sort_unstable();
    let mut cycle: Option<(NaiveDate, NaiveDate)> = None;
    for date in dates {
        match cycle {
            Some((_, end)) if date < end => {}
            _ => cycle = Some((date, add_months(date, rules.microsoft_cycle_months))),
        }
    }
    cycle.filter(|(_, end)| today < *end)
}

/// Which Microsoft counter a line uses: non-core server licences share one counter; desktop
/// and core-based server licences are counted per family, each type on its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum MsKey {
    NonCore,
    Family(&'static str, String),
}

fn ms_key(product: &LineProduct) -> MsKey {
    let family = product.family.clone().unwrap_or_default();
    match product.licence {
        Some(LicenceType::NonCoreServer) => MsKey::NonCore,
        Some(LicenceType::CoreServer) => MsKey::Family("core_server", family),
        Some(LicenceType::Desktop) | None => MsKey::Family("desktop", family),
    }
}

/// The discount programme's rules of one line: a valid certificate, then a minimum quantity.
/// The last day a discount eligibility certificate issued on `issued` is valid: the day before
/// its anniversary (issued 2025-12-04 → 2026-12-03; on the anniversary it has expired).
pub fn certificate_last_day(issued: NaiveDate, rules: &RuleSet) -> NaiveDate {
    add_months(issued, rules.microsoft_certificate_months)
        .pred_opt()
        .unwrap_or(issued)
}

pub(super) fn judge_discount_line(
    line: &CartLine,
    standing: &Standing,
    rules: &RuleSet,
    today: NaiveDate,
) -> Option<LineVerdict> {
    if line.product.offer != Offer::MicrosoftDiscount {
        return None;
    }
    let qty = i64::from(line.quantity);
    let min = i64::from(rules.microsoft_discount_min_licences);
    // Valid from its issue date up to the day before its anniversary: on the anniversary
    // (issued 2025-12-04 → expired on 2026-12-04) it has expired.
    let valid = standing
        .discount_certificate_issued
        .is_some_and(|issued| issued <= today && today <= certificate_last_day(issued, rules));
    if !valid {
        Some(refuse(Rule::MicrosoftDiscountCertificate, 0, qty, 0, None))
    } else if qty < min {
        Some(refuse(Rule::MicrosoftDiscountMinimum, 0, qty, min, None))
    } else {
        None
    }
}

/// The donation programme: families, licences per family and non-core server licences in the
/// running cycle, history and cart together.
pub(super) fn judge_donation(
    judgement: &mut Judgement,
    standing: &Standing,
    rules: &RuleSet,
    history: &[PastLine],
    cart: &[CartLine],
    today: NaiveDate,
) {
    let cycle = microsoft_cycle(history, rules, today);
    let in_cycle = |l: &PastLine| match cycle {
        Some((start, end)) => l.date >= start && l.date < end,
        // No cycle runs: only orders still waiting for validation reserve the next one.
        None => !l.validated && l.date <= today,
    };
    let mut ms_used: BTreeMap<MsKey, i64> = BTreeMap::new();
    for l in history
        .iter()
        .filter(|l| is_microsoft_donation(&l.product) && in_cycle(l))
    {
        *ms_used.entry(ms_key(&l.product)).or_default() += i64::from(l.quantity);
    }
    let mut ms_cart: BTreeMap<MsKey, i64> = BTreeMap::new();
    for line in cart
        .iter()
        .filter(|l| is_microsoft_donation(&l.product) && l.quantity > 0)
    {
        *ms_cart.entry(ms_key(&line.product)).or_default() += i64::from(line.quantity);
    }
    let allowed_from = cycle.map(|(_, end)| end);
    let per_family = i64::from(rules.microsoft_max_per_family);
    let non_core = i64::from(rules.microsoft_max_non_core);
    let max_families = i64::from(rules.microsoft_max_families);
    let families = |map: &BTreeMap<MsKey, i64>, kind: &str| -> BTreeSet<String> {
        map.keys()
            .filter_map(|k| match k {
                MsKey::Family(t, f) if *t == kind => Some(f.clone()),
                _ => None,
            })
            .collect()
    };
    for (i, line) in cart.iter().enumerate() {
        if !is_microsoft_donation(&line.product) || line.quantity == 0 {
            continue;
        }
        let key = ms_key(&line.product);
        let used = ms_used.get(&key).copied().unwrap_or(0);
        let total = used + ms_cart.get(&key).copied().unwrap_or(0);
        let qty = i64::from(line.quantity);
        match &key {
            MsKey::NonCore if total > non_core => {
                judgement.settle(
                    i,
                    refuse(Rule::MicrosoftNonCore, total - qty, qty, non_core, allowed_from),
                );
            }
            MsKey::Family(kind, family) => {
                let before = families(&ms_used, kind);
                let all: BTreeSet<String> = before.union(&families(&ms_cart, kind)).cloned().collect();
                let count = i64::try_from(all.len()).unwrap_or(i64::MAX);
                if !before.contains(family) && count > max_families {
                    let used = i64::try_from(before.len()).unwrap_or(i64::MAX);
                    judgement.settle(
                        i,
                        refuse(Rule::MicrosoftFamilies, used, count - used, max_families, allowed_from),
                    );
                } else if total > per_family {
                    judgement.settle(
                        i,
                        refuse(Rule::MicrosoftPerFamily, total - qty, qty, per_family, allowed_from),
                    );
                }
            }
            MsKey::NonCore => {}
        }
    }
    if standing.qualified.iter().any(|q| q == "microsoft") {
        let mut counters = Vec::new();
        for kind in ["desktop", "core_server"] {
            let used = families(&ms_used, kind);
            let all: BTreeSet<String> = used.union(&families(&ms_cart, kind)).cloned().collect();
            counters.push(Counter {
                name: format!("families:{kind}"),
                used: i64::try_from(used.len()).unwrap_or(i64::MAX),
                in_cart: i64::try_from(all.len() - used.len()).unwrap_or(i64::MAX),
                limit: max_families,
            });
            for family in all {
                let key = MsKey::Family(kind, family.clone());
                counters.push(Counter {
                    name: format!("family:{kind}:{family}"),
                    used: ms_used.get(&key).copied().unwrap_or(0),
                    in_cart: ms_cart.get(&key).copied().unwrap_or(0),
                    limit: per_family,
                });
            }
        }
        counters.push(Counter {
            name: "non_core".into(),
            used: ms_used.get(&MsKey::NonCore).copied().unwrap_or(0),
            in_cart: ms_cart.get(&MsKey::NonCore).copied().unwrap_or(0),
            limit: non_core,
        });
        judgement.allow(Allowance {
            partner_id: "microsoft".into(),
            window_start: cycle.map(|(start, _)| start),
            window_end: cycle.map(|(_, end)| end),
            counters,
        });
    }
}
