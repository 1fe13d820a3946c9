//! Limits over a rolling 12 months (Zoom licences, AWS grants): a past line counts from its
//! date until the day before its first anniversary, whatever the fiscal year.

use crate::calendar::add_months;
use crate::quota::model::{CartLine, Counter, LineProduct, LineVerdict, PastLine, Rule};
use chrono::NaiveDate;

/// How long a past line counts.
pub(super) const ROLLING_MONTHS: u32 = 12;

/// The first day a line of `date` no longer counts.
pub(super) fn drops_out_on(date: NaiveDate) -> NaiveDate {
    add_months(date, ROLLING_MONTHS)
}

/// Whether a past line still counts on `today`.
pub(super) fn counts_on(line: &PastLine, today: NaiveDate) -> bool {
    line.date <= today && today < drops_out_on(line.date)
}

/// One counter over the cart and the past lines that still count.
pub(super) struct RollingCount {
    pub used: i64,
    pub in_cart: i64,
    pub limit: i64,
    /// (the day it drops out, its quantity) for each counted past line, earliest first.
    drops: Vec<(NaiveDate, i64)>,
}

impl RollingCount {
    pub(super) fn new(
        history: &[&PastLine],
        cart: &[CartLine],
        counted: impl Fn(&LineProduct) -> bool,
        limit: u32,
    ) -> Self {
        let mut drops: Vec<(NaiveDate, i64)> = history
            .iter()
            .filter(|l| counted(&l.product))
            .map(|l| (drops_out_on(l.date), i64::from(l.quantity)))
            .collect();
        drops.sort_unstable();
        RollingCount {
            used: drops.iter().map(|(_, q)| q).sum(),
            in_cart: cart
                .iter()
                .filter(|l| counted(&l.product))
                .map(|l| i64::from(l.quantity))
                .sum(),
            limit: i64::from(limit),
            drops,
        }
    }

    pub(super) fn counter(&self, name: &str) -> Counter {
        Counter {
            name: name.into(),
            used: self.used,
            in_cart: self.in_cart,
            limit: self.limit,
        }
    }

    pub(super) fn total(&self) -> i64 {
        self.used + self.in_cart
    }

    pub(super) fn over(&self) -> bool {
        self.total() > self.limit
    }

    /// The first day the cart's lines would fit, once enough past lines have dropped out;
    /// `None` when the cart alone passes the limit (waiting does not help).
    /// The refusal of a cart line of `requested` units once the count is over its limit: what
    /// was counted besides it, and the day enough past lines drop out.
    pub(super) fn refusal(&self, rule: Rule, requested: i64) -> LineVerdict {
        super::judgement::refuse(
            rule,
            self.total() - requested,
            requested,
            self.limit,
            self.allowed_from(),
        )
    }

    pub(super) fn allowed_from(&self) -> Option<NaiveDate> {
        if self.in_cart > self.limit {
            return None;
        }
        let mut used = self.used;
        for &(day, quantity) in &self.drops {
            used -= quantity;
            if used + self.in_cart <= self.limit {
                return Some(day);
            }
        }
        None
    }
}
