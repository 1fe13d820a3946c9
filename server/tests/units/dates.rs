//! Dates written in each language (`app::ui::dates`).
//! Moved from `app/src/ui/dates.rs`'s unit tests.

use app::i18n::Locale;
use app::ui::dates::{long_date, month_year, short_month};
use chrono::NaiveDate;

#[test]
fn dates_are_written_in_each_language() {
    let date = NaiveDate::from_ymd_opt(2028, 3, 4).unwrap_or_default();
    assert_eq!(long_date(Locale::fr, date), "4 mars 2028");
    assert_eq!(long_date(Locale::nl, date), "4 maart 2028");
    assert_eq!(long_date(Locale::en, date), "4 March 2028");
    let first = NaiveDate::from_ymd_opt(2027, 7, 1).unwrap_or_default();
    assert_eq!(long_date(Locale::fr, first), "1er juillet 2027");
    assert_eq!(long_date(Locale::en, first), "1 July 2027");
    let december = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default();
    assert_eq!(month_year(Locale::fr, december), "décembre 2026");
    assert_eq!(short_month(Locale::fr, december), "déc.");
    assert_eq!(short_month(Locale::nl, first), "juli");
    assert_eq!(short_month(Locale::en, december), "Dec");
}
