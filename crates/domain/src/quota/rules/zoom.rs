//! Zoom: at most 9 licences of Zoom Pro, 99 of any Zoom plan, per line.

use super::judgement::refuse;
use crate::quota::model::{CartLine, LineVerdict, Offer, Rule, RuleSet};

/// The licence limits of one line.
pub(super) fn judge_line(line: &CartLine, rules: &RuleSet) -> Option<LineVerdict> {
    let p = &line.product;
    let qty = i64::from(line.quantity);
    if p.offer == Offer::ZoomPro && line.quantity > rules.zoom_pro_max_licences {
        Some(refuse(
            Rule::ZoomLicences,
            0,
            qty,
            i64::from(rules.zoom_pro_max_licences),
            None,
        ))
    } else if p.partner_id == "zoom" && line.quantity > rules.zoom_max_licences {
        Some(refuse(
            Rule::ZoomLicences,
            0,
            qty,
            i64::from(rules.zoom_max_licences),
            None,
        ))
    } else {
        None
    }
}
