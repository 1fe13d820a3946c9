//! Cisco: one order per US fiscal year, and a cap on the order's administrative fee.

use super::judgement::{Judgement, refuse};
use crate::quota::model::{Allowance, CartLine, Counter, PastLine, Rule, RuleSet, Standing};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// The orders of the fiscal year (the cart is one more) and the cart's fee against the cap.
pub(super) fn judge(
    judgement: &mut Judgement,
    standing: &Standing,
    rules: &RuleSet,
    history: &[PastLine],
    cart: &[CartLine],
    (fy_start, fy_end): (NaiveDate, NaiveDate),
) {
    let in_fy = |l: &PastLine| l.date >= fy_start && l.date < fy_end;
    let cisco_orders: BTreeSet<&str> = history
        .iter()
        .filter(|l| l.product.partner_id == "cisco" && in_fy(l))
        .map(|l| l.order_id.as_str())
        .collect();
    let orders_used = i64::try_from(cisco_orders.len()).unwrap_or(i64::MAX);
    let cisco_lines: Vec<usize> = cart
        .iter()
        .enumerate()
        .filter(|(_, l)| l.product.partner_id == "cisco" && l.quantity > 0)
        .map(|(i, _)| i)
        .collect();
    let fee: i64 = cisco_lines
        .iter()
        .map(|&i| cart[i].product.fee_cents * i64::from(cart[i].quantity))
        .sum();
    let orders_limit = i64::from(rules.cisco_orders_per_year);
    for &i in &cisco_lines {
        let line_fee = cart[i].product.fee_cents * i64::from(cart[i].quantity);
        if orders_used >= orders_limit {
            judgement.settle(
                i,
                refuse(Rule::CiscoOrdersPerYear, orders_used, 1, orders_limit, Some(fy_end)),
            );
        } else if fee > rules.cisco_fee_cap_cents {
            judgement.settle(
                i,
                refuse(
                    Rule::CiscoFeeCap,
                    fee - line_fee,
                    line_fee,
                    rules.cisco_fee_cap_cents,
                    None,
                ),
            );
        }
    }
    if standing.qualified.iter().any(|q| q == "cisco") {
        judgement.allow(Allowance {
            partner_id: "cisco".into(),
            window_start: Some(fy_start),
            window_end: Some(fy_end),
            counters: vec![
                Counter {
                    name: "orders".into(),
                    used: orders_used,
                    in_cart: i64::from(!cisco_lines.is_empty()),
                    limit: orders_limit,
                },
                Counter {
                    name: "fee_cents".into(),
                    used: 0,
                    in_cart: fee,
                    limit: rules.cisco_fee_cap_cents,
                },
            ],
        });
    }
}
