//! A limit on products per US fiscal year, shared by Adobe and Autodesk.

use super::judgement::{Judgement, refuse};
use crate::quota::model::{Allowance, CartLine, Counter, LineProduct, Offer, PastLine, Rule, Standing};
use chrono::NaiveDate;

/// One partner's yearly limit on its standard products.
pub(super) struct YearlyLimit<'a> {
    pub partner: &'a str,
    pub limit: u32,
    /// The rule a line over the limit breaks.
    pub rule: Rule,
    /// Until when the partner's lines all wait for a waiver (Autodesk after a direct purchase).
    pub waiver_until: Option<NaiveDate>,
}

/// Counts the partner's standard products of the fiscal year, history and cart together, and
/// refuses every counted line once the limit is passed (or every line of the partner while a
/// waiver is due).
pub(super) fn judge(
    judgement: &mut Judgement,
    yearly: YearlyLimit<'_>,
    standing: &Standing,
    history: &[PastLine],
    cart: &[CartLine],
    (fy_start, fy_end): (NaiveDate, NaiveDate),
) {
    let YearlyLimit {
        partner,
        limit,
        rule,
        waiver_until,
    } = yearly;
    let in_fy = |l: &PastLine| l.date >= fy_start && l.date < fy_end;
    let counted = |p: &LineProduct| p.partner_id == partner && p.offer == Offer::Standard;
    let used: i64 = history
        .iter()
        .filter(|l| counted(&l.product) && in_fy(l))
        .map(|l| i64::from(l.quantity))
        .sum();
    let in_cart: i64 = cart
        .iter()
        .filter(|l| counted(&l.product))
        .map(|l| i64::from(l.quantity))
        .sum();
    let limit = i64::from(limit);
    for (i, line) in cart.iter().enumerate().filter(|(_, l)| l.product.partner_id == partner) {
        let qty = i64::from(line.quantity);
        if let Some(until) = waiver_until {
            judgement.settle(i, refuse(Rule::AutodeskWaiver, 0, qty, 0, Some(until)));
        } else if counted(&line.product) && used + in_cart > limit {
            judgement.settle(i, refuse(rule, used + in_cart - qty, qty, limit, Some(fy_end)));
        }
    }
    if standing.qualified.iter().any(|q| q == partner) {
        judgement.allow(Allowance {
            partner_id: partner.into(),
            window_start: Some(fy_start),
            window_end: Some(fy_end),
            counters: vec![Counter {
                name: "products".into(),
                used,
                in_cart,
                limit,
            }],
        });
    }
}
