//! Autodesk: products per US fiscal year, and a waiver first when the organisation bought
//! directly from Autodesk in the last years.

use super::judgement::Judgement;
use super::per_fiscal_year::{self, YearlyLimit};
use crate::calendar::add_months;
use crate::quota::model::{CartLine, PastLine, Rule, RuleSet, Standing};
use chrono::NaiveDate;

/// Standard products per US fiscal year; every Autodesk line waits for the waiver while a
/// direct purchase is within the lookback and staff recorded no waiver.
pub(super) fn judge_per_year(
    judgement: &mut Judgement,
    standing: &Standing,
    rules: &RuleSet,
    history: &[PastLine],
    cart: &[CartLine],
    today: NaiveDate,
    fiscal_year: (NaiveDate, NaiveDate),
) {
    let waiver_until = standing
        .autodesk_direct_purchase
        .map(|d| add_months(d, rules.autodesk_waiver_lookback_years * 12))
        .filter(|until| today < *until && !standing.autodesk_waiver);
    let yearly = YearlyLimit {
        partner: "autodesk",
        limit: rules.autodesk_max_per_year,
        rule: Rule::AutodeskPerYear,
        waiver_until,
    };
    per_fiscal_year::judge(judgement, yearly, standing, history, cart, fiscal_year);
}
