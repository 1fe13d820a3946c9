//! AWS: a credit grant valid 12 months, renewable each year. At most one grant (new or
//! renewal) per organisation in any 12 months, a renewal only after a first grant, and every
//! line names the organisation's account: an id of exactly 12 digits and a name.

use super::judgement::{Judgement, refuse};
use super::rolling::{RollingCount, counts_on};
use crate::quota::model::{Allowance, CartLine, LineProduct, LineVerdict, Offer, PastLine, Rule, RuleSet, Standing};
use chrono::NaiveDate;

fn is_aws(p: &LineProduct) -> bool {
    p.partner_id == "aws"
}

/// An AWS account id: exactly 12 digits ("123456789012").
pub fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// A line without a 12-digit account id and an account name is refused.
pub(super) fn judge_line(line: &CartLine) -> Option<LineVerdict> {
    let named = line
        .aws_account
        .as_ref()
        .is_some_and(|(id, name)| is_account_id(id.trim()) && !name.trim().is_empty());
    (is_aws(&line.product) && !named).then(|| refuse(Rule::AwsAccount, 0, i64::from(line.quantity), 0, None))
}

/// A renewal with no grant ever ordered is refused; then every AWS line, once the grants of
/// the last 12 months and the cart pass the limit.
pub(super) fn judge(
    judgement: &mut Judgement,
    standing: &Standing,
    rules: &RuleSet,
    history: &[PastLine],
    cart: &[CartLine],
    today: NaiveDate,
) {
    let ever_granted = history.iter().any(|l| is_aws(&l.product) && l.date <= today);
    let counted: Vec<&PastLine> = history.iter().filter(|l| counts_on(l, today)).collect();
    let grants = RollingCount::new(&counted, cart, is_aws, rules.aws_grants_per_12_months);
    for (i, line) in cart.iter().enumerate().filter(|(_, l)| is_aws(&l.product)) {
        let qty = i64::from(line.quantity);
        if line.product.offer == Offer::AwsRenewal && !ever_granted {
            judgement.settle(i, refuse(Rule::AwsRenewalWithoutGrant, 0, qty, 0, None));
        } else if grants.over() {
            judgement.settle(i, grants.refusal(Rule::AwsGrantsPer12Months, qty));
        }
    }
    if standing.qualified.iter().any(|q| q == "aws") {
        judgement.allow(Allowance {
            partner_id: "aws".into(),
            window_start: None,
            window_end: None,
            counters: vec![grants.counter("grants")],
        });
    }
}
