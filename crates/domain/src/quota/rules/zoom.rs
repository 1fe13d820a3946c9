//! Zoom: at most 99 licences (Pro: at most 9) per organisation, counted over the whole cart
//! and every Zoom line of the last 12 months that is not cancelled, so several lines or orders
//! never add up past a cap.

use super::judgement::Judgement;
use super::rolling::{RollingCount, counts_on};
use crate::quota::model::{Allowance, CartLine, LineProduct, Offer, PastLine, Rule, RuleSet, Standing};
use chrono::NaiveDate;

fn is_zoom(p: &LineProduct) -> bool {
    p.partner_id == "zoom"
}

fn is_pro(p: &LineProduct) -> bool {
    is_zoom(p) && p.offer == Offer::ZoomPro
}

/// Refuses every Pro line once the Pro licences pass their cap, then every Zoom line once all
/// Zoom licences pass theirs.
pub(super) fn judge(
    judgement: &mut Judgement,
    standing: &Standing,
    rules: &RuleSet,
    history: &[PastLine],
    cart: &[CartLine],
    today: NaiveDate,
) {
    let history: Vec<&PastLine> = history.iter().filter(|l| counts_on(l, today)).collect();
    let pro = RollingCount::new(&history, cart, is_pro, rules.zoom_pro_max_licences);
    let all = RollingCount::new(&history, cart, is_zoom, rules.zoom_max_licences);
    for (i, line) in cart.iter().enumerate().filter(|(_, l)| is_zoom(&l.product)) {
        let qty = i64::from(line.quantity);
        if is_pro(&line.product) && pro.over() {
            judgement.settle(i, pro.refusal(Rule::ZoomLicences, qty));
        } else if all.over() {
            judgement.settle(i, all.refusal(Rule::ZoomLicences, qty));
        }
    }
    if standing.qualified.iter().any(|q| q == "zoom") {
        judgement.allow(Allowance {
            partner_id: "zoom".into(),
            window_start: None,
            window_end: None,
            counters: vec![pro.counter("zoom_pro"), all.counter("licences")],
        });
    }
}
