//! The rules of `domain.md` ("Partner rules"), as one pure function: [`check`], which judges
//! the rules of the line alone, then each partner's counters in turn (one file per partner).
//!
//! Counters aggregate the whole cart, so a verdict never depends on the order of the lines,
//! and a line that breaks a limit is refused together with every line that shares the
//! counter: adding a line can only refuse more, never accept a refused line, and the
//! accepted lines alone never exceed a limit.

mod adobe;
mod autodesk;
mod aws;
mod cisco;
mod judgement;
mod microsoft;
mod per_fiscal_year;
mod rolling;
mod zoom;

#[cfg(test)]
mod tests;

pub use aws::is_account_id as is_aws_account_id;
pub use microsoft::{certificate_last_day, microsoft_cycle, microsoft_cycle_from_dates};

use crate::calendar::us_fiscal_year;
use crate::catalog::model::ProductKind;
use crate::order::model::OrderCategory;
use crate::quota::model::{
    CartInput, CartLine, EngineInputs, LineProduct, LineVerdict, Offer, PastLine, Rule, RuleSet, RuleVersion, Standing,
    Verdict,
};
use chrono::NaiveDate;
use judgement::{Judgement, refuse};

/// The parameter names that belong to `partner` (`adobe` → `adobe_max_per_year`).
pub fn partner_keys(partner: &str) -> Vec<String> {
    let prefix = format!("{partner}_");
    match serde_json::to_value(RuleSet::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().filter(|k| k.starts_with(&prefix)).cloned().collect(),
        _ => Vec::new(),
    }
}

/// Checks one partner's parameters: known keys of that partner, whole numbers ≥ 0.
pub fn check_params(partner: &str, params: &serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
    let keys = partner_keys(partner);
    if keys.is_empty() {
        return Err(format!("no parameters for partner {partner}"));
    }
    for (key, value) in params {
        if !keys.contains(key) {
            return Err(format!("unknown parameter {key} (known: {})", keys.join(", ")));
        }
        if value.as_i64().is_none_or(|n| n < 0) {
            return Err(format!("{key} must be a whole number ≥ 0"));
        }
    }
    Ok(())
}

/// The rule set in force on `today`: for each partner, the parameters of its latest version
/// whose effective date has come, over the defaults of `domain.md`.
pub fn rules_in_force(versions: &[RuleVersion], today: NaiveDate) -> RuleSet {
    let Ok(serde_json::Value::Object(mut merged)) = serde_json::to_value(RuleSet::default()) else {
        return RuleSet::default();
    };
    let mut partners: Vec<&str> = versions.iter().map(|v| v.partner_id.as_str()).collect();
    partners.sort_unstable();
    partners.dedup();
    for partner in partners {
        let latest = versions
            .iter()
            .filter(|v| v.partner_id == partner && v.effective_from <= today)
            .max_by_key(|v| v.effective_from);
        if let Some(version) = latest.filter(|v| check_params(partner, &v.params).is_ok()) {
            for (key, value) in &version.params {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(merged)).unwrap_or_default()
}

/// The partners whose past lines [`check`] reads; every other partner's history is ignored.
pub const PARTNERS_WITH_HISTORY: [&str; 6] = ["microsoft", "adobe", "autodesk", "cisco", "zoom", "aws"];

/// Which past lines [`check`] can still count on a given day. Lines of orders not yet validated
/// are always needed (they reserve the next Microsoft cycle).
///
/// `on` and `needs` are the pure statement of the rule; the property test
/// `property_the_trimmed_history_gives_the_same_verdict` proves [`check`] agrees on it. The
/// server does not call them: `quota::db::history` builds the window from one indexed query
/// per cycle and applies `needs` in SQL (and sums the lines), which the database test
/// `the_windowed_history_judges_like_the_whole_history` holds to the same verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryWindow {
    /// The start of the running Microsoft cycle; `None` when none runs, and then no validated
    /// Microsoft line counts.
    pub microsoft_from: Option<NaiveDate>,
    /// The start of the US fiscal year, for Adobe, Autodesk and Cisco.
    pub others_from: NaiveDate,
    /// The earliest day a Zoom line can still count (12 months back, and one day more, so that
    /// a month's clamped end never drops a line the engine counts).
    pub rolling_from: NaiveDate,
}

impl HistoryWindow {
    /// The window on `today`, from the validation dates of the Microsoft donation orders.
    pub fn on(microsoft_validated: impl IntoIterator<Item = NaiveDate>, rules: &RuleSet, today: NaiveDate) -> Self {
        Self {
            microsoft_from: microsoft_cycle_from_dates(microsoft_validated, rules, today).map(|(start, _)| start),
            others_from: us_fiscal_year(today).0,
            rolling_from: Self::rolling_from(today),
        }
    }

    /// See [`HistoryWindow::rolling_from`].
    pub fn rolling_from(today: NaiveDate) -> NaiveDate {
        today
            .checked_sub_months(chrono::Months::new(rolling::ROLLING_MONTHS))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MIN)
    }

    /// Whether [`check`] can count this past line.
    pub fn needs(&self, line: &PastLine) -> bool {
        if !PARTNERS_WITH_HISTORY.contains(&line.product.partner_id.as_str()) {
            return false;
        }
        // Orders not yet validated, every Creative Cloud subscription (a person who ever had
        // one is not a new user) and every AWS grant (a renewal needs one before it).
        if !line.validated || line.product.offer == Offer::AdobeCreativeCloud || line.product.partner_id == "aws" {
            return true;
        }
        match line.product.partner_id.as_str() {
            "microsoft" => self.microsoft_from.is_some_and(|from| line.date >= from),
            "zoom" => line.date >= self.rolling_from,
            _ => line.date >= self.others_from,
        }
    }
}

/// How an order's lines reach the organisation: an order holds the lines of one path only, so
/// a laptop never waits for Cisco's approval (domain.md, "Ordering", 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FulfilmentPath {
    /// Software licences, subscriptions, codes and cloud credits.
    Software,
    /// The programme's refurbished hardware: ships within 10 business days of payment.
    Refurbished,
    /// Cisco: the partner approves each order first (up to 8 weeks).
    Cisco,
}

impl FulfilmentPath {
    /// The path of a product: every Cisco product goes through Cisco's approval, other
    /// hardware is the programme's own.
    pub fn of(product: &LineProduct) -> Self {
        if product.partner_id == "cisco" {
            FulfilmentPath::Cisco
        } else if product.kind == ProductKind::Hardware {
            FulfilmentPath::Refurbished
        } else {
            FulfilmentPath::Software
        }
    }

    /// The stored category: software, or hardware for both hardware paths.
    pub fn category(self) -> OrderCategory {
        match self {
            FulfilmentPath::Software => OrderCategory::Software,
            FulfilmentPath::Refurbished | FulfilmentPath::Cisco => OrderCategory::Hardware,
        }
    }
}

/// The orders a cart becomes: the indexes of its lines per fulfilment path (software, then
/// refurbished hardware, then Cisco), empty paths left out. A cart with all three becomes
/// three orders.
pub fn split_orders(cart: &[CartLine]) -> Vec<(OrderCategory, Vec<usize>)> {
    [
        FulfilmentPath::Software,
        FulfilmentPath::Refurbished,
        FulfilmentPath::Cisco,
    ]
    .into_iter()
    .map(|path| {
        let lines: Vec<usize> = cart
            .iter()
            .enumerate()
            .filter(|(_, l)| FulfilmentPath::of(&l.product) == path)
            .map(|(i, _)| i)
            .collect();
        (path.category(), lines)
    })
    .filter(|(_, lines)| !lines.is_empty())
    .collect()
}

/// Judges the browser's lines with the server's inputs: the one path both the live allowance
/// meter (in the browser) and "Vérifier la qualification" (on the server) take. `Err(i)`: line
/// `i` names a product that cannot be ordered.
pub fn judge(inputs: &EngineInputs, lines: &[CartInput]) -> Result<Verdict, usize> {
    let mut cart = Vec::with_capacity(lines.len());
    for (i, input) in lines.iter().enumerate() {
        let product = inputs.products.iter().find(|p| p.slug == input.slug).ok_or(i)?;
        cart.push(input.to_line(&product.product));
    }
    Ok(check(
        &inputs.standing,
        &inputs.rules,
        &inputs.history,
        &cart,
        inputs.today,
    ))
}

/// Judges `cart` for an organisation with `standing` and `history` under `rules` on `today`.
///
/// The first rule a line breaks is its verdict, so the order of the steps below is part of
/// the rules: the line alone, Creative Cloud's named users, Microsoft, Adobe, Autodesk, Cisco,
/// Zoom, AWS.
/// The allowances come out in that order too.
pub fn check(
    standing: &Standing,
    rules: &RuleSet,
    history: &[PastLine],
    cart: &[CartLine],
    today: NaiveDate,
) -> Verdict {
    let mut judgement = Judgement::new(cart.len());
    for (i, line) in cart.iter().enumerate() {
        if let Some(verdict) = judge_line_alone(line, standing, rules, today) {
            judgement.settle(i, verdict);
        }
    }
    adobe::judge_creative_cloud(&mut judgement, history, cart);
    microsoft::judge_donation(&mut judgement, standing, rules, history, cart, today);
    let fiscal_year = us_fiscal_year(today);
    adobe::judge_per_year(&mut judgement, standing, rules, history, cart, fiscal_year);
    autodesk::judge_per_year(&mut judgement, standing, rules, history, cart, today, fiscal_year);
    cisco::judge(&mut judgement, standing, rules, history, cart, fiscal_year);
    zoom::judge(&mut judgement, standing, rules, history, cart, today);
    aws::judge(&mut judgement, standing, rules, history, cart, today);
    judgement.into_verdict()
}

/// The rules about one line alone: a quantity, the partner's qualification, an orderable
/// product, then the partner's own line limits.
fn judge_line_alone(line: &CartLine, standing: &Standing, rules: &RuleSet, today: NaiveDate) -> Option<LineVerdict> {
    let p = &line.product;
    let qty = i64::from(line.quantity);
    if line.quantity == 0 {
        Some(refuse(Rule::QuantityZero, 0, 0, 1, None))
    } else if !standing.qualified.contains(&p.partner_id) {
        Some(refuse(Rule::NotQualified, 0, qty, 0, None))
    } else if p.kind == ProductKind::ValidationOnly {
        Some(refuse(Rule::ValidationOnly, 0, qty, 0, None))
    } else {
        aws::judge_line(line).or_else(|| microsoft::judge_discount_line(line, standing, rules, today))
    }
}
