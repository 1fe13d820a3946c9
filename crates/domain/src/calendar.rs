//! Date arithmetic the rules share, at the bottom of the crate: months added with the day
//! clamped, the US fiscal year (Adobe, Autodesk, Cisco) and the Belgian business-day clock.
//!
//! Business days: once all information for a registration is in, staff must review it within two
//! business days. Weekends (Saturday and Sunday) and the ten Belgian legal public holidays do not count, so the
//! review deadline for a registration completed on `received` is `add_business_days(received, 2)`.
//!
//! The holidays are those of the Belgian law of 4 January 1974: 1 January, Easter Monday, 1 May,
//! Ascension, Whit Monday, 21 July, 15 August, 1 November, 11 November and 25 December. Good Friday,
//! 2 November and 26 December are not legal holidays. Holidays falling on a weekend are not moved.
//!
//! Belgian time: every business date (fiscal years, cycles, refund windows, token expiry, review
//! clock) is a day in Belgium (Europe/Brussels); instants stay UTC. [`business_day`] turns an
//! instant into its Belgian day, [`business_day_start`] a day into the instant it starts.
//!
//! All functions are pure and work on `chrono::NaiveDate`. Dates beyond chrono's supported range
//! (roughly ±262,000 years) saturate to `NaiveDate::MIN` / `NaiveDate::MAX` instead of panicking.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Brussels;

/// Belgium's time zone, for `instant.with_timezone(&BELGIUM).date_naive()` where a method chain
/// reads better than [`business_day`].
pub const BELGIUM: chrono_tz::Tz = Brussels;

/// The day in Belgium at `instant`: 22:30 UTC on 30 June 2026 is 1 July in Brussels (CEST).
pub fn business_day(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&Brussels).date_naive()
}

/// The instant the Belgian day `day` starts (its midnight in Brussels, in UTC). Belgian clocks
/// change at 02:00 and 03:00, so every midnight exists exactly once.
pub fn business_day_start(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    Brussels
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |at| at.with_timezone(&Utc))
}

/// `date` plus `months`, the day clamped to the month's end (31 January + 1 = 28 or 29 February).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The US fiscal year holding `date`: [1 July, next 1 July).
pub fn us_fiscal_year(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start_year = if date.month() >= 7 {
        date.year()
    } else {
        date.year() - 1
    };
    let july = |year| NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or(NaiveDate::MAX);
    (july(start_year), july(start_year + 1))
}

/// Builds a date that is known to exist in the calendar, saturating if `year` is out of chrono's range.
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(if year < 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// Adds calendar days, saturating at `NaiveDate::MAX`.
fn plus_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday of `year` in the Gregorian calendar (anonymous Gregorian / Meeus-Jones-Butcher algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c.div_euclid(4), c.rem_euclid(4));
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 (March) or 4 (April) and n % 31 + 1 is a valid day of that month.
    ymd(year, n.div_euclid(31) as u32, n.rem_euclid(31) as u32 + 1)
}

/// The ten Belgian legal public holidays of `year`, sorted ascending.
///
/// Ascension can fall on 1 May (e.g. 2008); the date then appears twice.
pub fn belgian_public_holidays(year: i32) -> [NaiveDate; 10] {
    let easter = easter_sunday(year);
    let mut holidays = [
        ymd(year, 1, 1),
        plus_days(easter, 1),  // Easter Monday
        ymd(year, 5, 1),       // Labour Day
        plus_days(easter, 39), // Ascension
        plus_days(easter, 50), // Whit Monday
        ymd(year, 7, 21),      // National Day
        ymd(year, 8, 15),      // Assumption
        ymd(year, 11, 1),      // All Saints
        ymd(year, 11, 11),     // Armistice
        ymd(year, 12, 25),     // Christmas
    ];
    holidays.sort_unstable();
    holidays
}

/// True if `date` is neither a Saturday, a Sunday nor a Belgian public holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    !is_weekend(date) && !belgian_public_holidays(date.year()).contains(&date)
}

/// Number of business days strictly after `start` up to and including `end` (0 if `end <= start`).
///
/// A file received on a Friday and looked at on the following Monday has 1 elapsed business day.
pub fn business_days_between(start: NaiveDate, end: NaiveDate) -> i64 {
    if end <= start {
        return 0;
    }
    let span = (end - start).num_days();
    // Weekdays in (start, end]: five per full week, then the remaining days one by one.
    let first = i64::from(start.weekday().num_days_from_monday());
    let partial = (1..=span % 7).filter(|offset| (first + offset) % 7 < 5).count();
    let weekdays = 5 * (span / 7) + partial as i64;
    // Minus holidays on a weekday inside the range, each distinct date once.
    let mut holidays_on_weekdays = 0;
    for year in start.year()..=end.year() {
        let holidays = belgian_public_holidays(year);
        for (index, &holiday) in holidays.iter().enumerate() {
            let duplicate = index > 0 && holidays[index - 1] == holiday;
            if !duplicate && start < holiday && holiday <= end && !is_weekend(holiday) {
                holidays_on_weekdays += 1;
            }
        }
    }
    weekdays - holidays_on_weekdays
}

/// The date that is `days` business days after `start` (`start` itself when `days` is 0).
///
/// The review deadline of a registration completed on `received` is `add_business_days(received, 2)`.
pub fn add_business_days(start: NaiveDate, days: u32) -> NaiveDate {
    let mut date = start;
    let mut remaining = days;
    while remaining > 0 {
        match date.succ_opt() {
            Some(next) => date = next,
            None => return NaiveDate::MAX,
        }
        if is_business_day(date) {
            remaining -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
    }

    /// Parses whitespace-separated ISO dates.
    fn dates(list: &str) -> Vec<NaiveDate> {
        list.split_whitespace().map(|s| s.parse().expect("ISO date")).collect()
    }

    #[test]
    fn easter_sunday_known_years() {
        let known = dates("2019-04-21 2024-03-31 2025-04-20 2026-04-05 2027-03-28 2028-04-16 2038-04-25 2285-03-22");
        assert_eq!(known.len(), 8);
        for easter in known {
            assert_eq!(easter_sunday(easter.year()), easter, "Easter {}", easter.year());
        }
    }

    #[test]
    fn holidays_2026_are_exact_and_sorted() {
        let expected = dates(
            "2026-01-01 2026-04-06 2026-05-01 2026-05-14 2026-05-25 \
             2026-07-21 2026-08-15 2026-11-01 2026-11-11 2026-12-25",
        );
        assert_eq!(belgian_public_holidays(2026).to_vec(), expected);
    }

    #[test]
    fn holidays_2026_are_not_business_days_but_their_neighbours_are() {
        // (holiday, neighbouring weekday that is not a holiday)
        let pairs = [
            (d(2026, 1, 1), d(2026, 1, 2)),     // Thu -> Fri
            (d(2026, 4, 6), d(2026, 4, 7)),     // Easter Monday -> Tue
            (d(2026, 5, 1), d(2026, 4, 30)),    // Fri -> Thu
            (d(2026, 5, 14), d(2026, 5, 13)),   // Ascension (Thu) -> Wed
            (d(2026, 5, 25), d(2026, 5, 26)),   // Whit Monday -> Tue
            (d(2026, 7, 21), d(2026, 7, 22)),   // Tue -> Wed
            (d(2026, 8, 15), d(2026, 8, 14)),   // Sat -> Fri
            (d(2026, 11, 1), d(2026, 11, 2)),   // Sun -> Mon (All Souls is not a holiday)
            (d(2026, 11, 11), d(2026, 11, 10)), // Wed -> Tue
            (d(2026, 12, 25), d(2026, 12, 24)), // Fri -> Thu
        ];
        for (holiday, neighbour) in pairs {
            assert!(!is_business_day(holiday), "{holiday} should not be a business day");
            assert!(is_business_day(neighbour), "{neighbour} should be a business day");
        }
        assert!(is_business_day(d(2026, 4, 3)), "Good Friday is not a Belgian holiday");
        assert!(!is_business_day(d(2026, 4, 4)) && !is_business_day(d(2026, 4, 5)));
    }

    #[test]
    fn review_deadlines() {
        let cases = [
            (d(2026, 3, 6), d(2026, 3, 10)),    // Fri -> Tue
            (d(2026, 4, 2), d(2026, 4, 7)),     // Thu; Good Friday counts, Easter Monday does not
            (d(2026, 12, 24), d(2026, 12, 29)), // Thu; Christmas Fri, weekend -> Mon 28, Tue 29
            (d(2026, 12, 30), d(2027, 1, 4)),   // Wed; Thu 31, New Year Fri, weekend -> Mon 4
            (d(2026, 7, 17), d(2026, 7, 22)),   // Fri; Mon 20, National Day Tue -> Wed 22
            (d(2026, 7, 20), d(2026, 7, 23)),   // Mon; National Day Tue -> Wed 22, Thu 23
            (d(2026, 11, 9), d(2026, 11, 12)),  // Mon; Tue 10, Armistice Wed -> Thu 12
            (d(2026, 11, 10), d(2026, 11, 13)), // Tue; Armistice Wed -> Thu 12, Fri 13
        ];
        for (received, deadline) in cases {
            assert_eq!(add_business_days(received, 2), deadline, "received {received}");
            assert_eq!(business_days_between(received, deadline), 2, "received {received}");
        }
        assert_eq!(business_days_between(d(2026, 12, 24), d(2027, 1, 4)), 5);
    }

    #[test]
    fn between_edge_cases() {
        let (fri, sat, mon) = (d(2026, 3, 6), d(2026, 3, 7), d(2026, 3, 9));
        assert_eq!(business_days_between(fri, mon), 1, "Friday to Monday");
        assert_eq!(business_days_between(fri, fri), 0, "same day");
        assert_eq!(business_days_between(mon, fri), 0, "end before start");
        assert_eq!(add_business_days(sat, 0), sat, "zero days keeps a Saturday");
    }

    #[test]
    fn ascension_on_labour_day_counts_once() {
        // Easter 2008 was 23 March, so Ascension fell on Thursday 1 May.
        assert_eq!(easter_sunday(2008), d(2008, 3, 23));
        let may_day = d(2008, 5, 1);
        assert_eq!(
            belgian_public_holidays(2008).iter().filter(|&&h| h == may_day).count(),
            2
        );
        assert_eq!(business_days_between(d(2008, 4, 30), d(2008, 5, 2)), 1);
        assert_eq!(add_business_days(d(2008, 4, 30), 1), d(2008, 5, 2));
    }

    #[test]
    fn between_matches_day_by_day_count() {
        for year in [2008, 2025, 2026, 2027] {
            for start in d(year, 1, 1).iter_days().take(366) {
                let mut expected = 0;
                for offset in 1..=45 {
                    let end = start + Days::new(offset);
                    expected += i64::from(is_business_day(end));
                    assert_eq!(business_days_between(start, end), expected, "{start} -> {end}");
                }
            }
        }
    }

    #[test]
    fn add_and_between_agree() {
        for start in d(2025, 1, 1).iter_days().take_while(|day| day.year() <= 2027) {
            for n in 0..=10u32 {
                let result = add_business_days(start, n);
                assert_eq!(business_days_between(start, result), i64::from(n), "{start} + {n}");
                if n > 0 {
                    assert!(is_business_day(result), "{start} + {n} = {result}");
                    // Minimal: one calendar day earlier, only n - 1 business days have elapsed.
                    let before = business_days_between(start, result - Days::new(1));
                    assert_eq!(before, i64::from(n) - 1, "{start} + {n} = {result}");
                }
            }
        }
    }
}

#[cfg(test)]
mod belgian_time_tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_business_day_is_the_day_in_brussels() {
        // Summer (UTC+2): 00:30 on 1 July in Brussels is 22:30 UTC on 30 June.
        assert_eq!(business_day(at("2026-06-30T21:59:59Z")), day("2026-06-30"));
        assert_eq!(business_day(at("2026-06-30T22:00:00Z")), day("2026-07-01"));
        assert_eq!(business_day(at("2026-06-30T22:30:00Z")), day("2026-07-01"));
        // …so it is in the new US fiscal year.
        assert_eq!(
            us_fiscal_year(business_day(at("2026-06-30T22:30:00Z"))).0,
            day("2026-07-01")
        );
        // Winter (UTC+1).
        assert_eq!(business_day(at("2026-12-31T22:59:59Z")), day("2026-12-31"));
        assert_eq!(business_day(at("2026-12-31T23:00:00Z")), day("2027-01-01"));
    }

    #[test]
    fn a_business_day_starts_at_midnight_in_brussels() {
        assert_eq!(business_day_start(day("2026-07-01")), at("2026-06-30T22:00:00Z"));
        assert_eq!(business_day_start(day("2027-01-01")), at("2026-12-31T23:00:00Z"));
        // The days the clocks change (29 March and 25 October 2026) start at their midnight,
        // before the change.
        assert_eq!(business_day_start(day("2026-03-29")), at("2026-03-28T23:00:00Z"));
        assert_eq!(business_day_start(day("2026-03-30")), at("2026-03-29T22:00:00Z"));
        assert_eq!(business_day_start(day("2026-10-25")), at("2026-10-24T22:00:00Z"));
        assert_eq!(business_day_start(day("2026-10-26")), at("2026-10-25T23:00:00Z"));
        for d in ["2026-03-29", "2026-10-25", "2026-07-01", "2026-12-04"] {
            let start = business_day_start(day(d));
            assert_eq!(business_day(start), day(d));
            assert_eq!(
                business_day(start - chrono::Duration::seconds(1)),
                day(d).pred_opt().unwrap()
            );
        }
    }
}
