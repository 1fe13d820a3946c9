//! The staff home's monthly figures (`app::home::staff`).
//! Moved from `app/src/home/staff.rs`'s unit tests.

use app::home::staff::{MonthFigures, add_to_month, chart_months};
use chrono::NaiveDate;

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
