//! Home page types, and the staff dashboard's ("Tableau de bord").

use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The programme's public figures, computed from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeCounters {
    /// Organisations registered, whatever their review state.
    pub organisations: i64,
    /// Σ (commercial value − administrative fee) over the lines of fulfilled orders.
    pub saved: Money,
    /// Σ quantities of the lines of fulfilled orders.
    pub products_distributed: i64,
}

/// How many months the charts show, the current one last.
pub const CHART_MONTHS: usize = 12;

/// One month of the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// The first day of the month.
    pub month: NaiveDate,
    pub registrations: i64,
    pub orders: i64,
    pub saved_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDashboard {
    /// Files waiting for a decision, and those past their two business days.
    pub reviews_pending: i64,
    pub reviews_overdue: i64,
    /// Orders waiting for their transfer, to transmit to the partner, transmitted.
    pub orders_awaiting_payment: i64,
    pub orders_to_transmit: i64,
    pub orders_transmitted: i64,
    pub change_requests: i64,
    /// Orders with a refund request waiting (the `refunds` queue of `/admin/orders`).
    pub refund_requests: i64,
    /// Every work queue of `/admin/orders` with its count, as the queue itself counts it
    /// (within an agent's partner scope).
    #[serde(default)]
    pub order_queues: Vec<(crate::order::model::OrderQueue, i64)>,
    pub counters: HomeCounters,
    pub months: Vec<MonthFigures>,
    /// Admins also manage the catalogue and the rules.
    pub is_admin: bool,
}

impl StaffDashboard {
    /// The count of one work queue of `/admin/orders`.
    pub fn queue_count(&self, queue: crate::order::model::OrderQueue) -> i64 {
        self.order_queues
            .iter()
            .find(|(q, _)| *q == queue)
            .map_or(0, |(_, n)| *n)
    }
}

/// The first days of the [`CHART_MONTHS`] months ending with `today`'s.
pub fn chart_months(today: NaiveDate) -> Vec<NaiveDate> {
    let this_month = today.with_day(1).unwrap_or(today);
    (0..CHART_MONTHS as u32)
        .rev()
        .filter_map(|back| this_month.checked_sub_months(chrono::Months::new(back)))
        .collect()
}

/// Applies `apply` to the month holding `day`; days outside the months are ignored.
pub fn add_to_month(months: &mut [MonthFigures], day: NaiveDate, apply: impl FnOnce(&mut MonthFigures)) {
    if let Some(month) = months.iter_mut().rev().find(|m| m.month <= day).filter(|m| {
        m.month
            .checked_add_months(chrono::Months::new(1))
            .is_some_and(|end| day < end)
    }) {
        apply(month);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn twelve_months_end_with_this_one() {
        let months = chart_months(day(2026, 11, 30));
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], day(2025, 12, 1));
        assert_eq!(months[11], day(2026, 11, 1));
    }

    #[test]
    fn days_fall_in_their_month_only() {
        let mut months: Vec<MonthFigures> = chart_months(day(2026, 11, 30))
            .into_iter()
            .map(|month| MonthFigures {
                month,
                registrations: 0,
                orders: 0,
                saved_cents: 0,
            })
            .collect();
        for d in [
            day(2026, 11, 1),
            day(2026, 11, 30),
            day(2026, 10, 31),
            day(2025, 11, 30),
            day(2026, 12, 1),
        ] {
            add_to_month(&mut months, d, |m| m.orders += 1);
        }
        assert_eq!(months[11].orders, 2);
        assert_eq!(months[10].orders, 1);
        assert_eq!(months.iter().map(|m| m.orders).sum::<i64>(), 3);
    }
}
