//! Dates as the UI writes them: "4 mars 2028", "4 maart 2028", "4 March 2028".
//!
//! Twelve month names per language are written here rather than taken from chrono's
//! `unstable-locales` feature, which would ship every locale's tables in the WASM bundle.

use crate::i18n::Locale;
use chrono::{Datelike, NaiveDate};

const FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The date in words, day first, in `locale` (French writes the first of the month "1er").
pub fn long_date(locale: Locale, date: NaiveDate) -> String {
    let names = match locale {
        Locale::fr => &FR,
        Locale::nl => &NL,
        Locale::en => &EN,
    };
    let month = names[date.month0() as usize % 12];
    let day = date.day();
    if locale == Locale::fr && day == 1 {
        format!("1er {month} {}", date.year())
    } else {
        format!("{day} {month} {}", date.year())
    }
}

/// A month and its year in words: "novembre 2026", "november 2026", "November 2026".
pub fn month_year(locale: Locale, date: NaiveDate) -> String {
    let names = match locale {
        Locale::fr => &FR,
        Locale::nl => &NL,
        Locale::en => &EN,
    };
    format!("{} {}", names[date.month0() as usize % 12], date.year())
}

/// A month's short name for a chart axis: "nov.", "nov", "Nov" (four letters or fewer kept whole).
pub fn short_month(locale: Locale, date: NaiveDate) -> String {
    let names = match locale {
        Locale::fr => &FR,
        Locale::nl => &NL,
        Locale::en => &EN,
    };
    let name = names[date.month0() as usize % 12];
    if name.chars().count() <= 4 {
        return name.to_owned();
    }
    let short: String = name.chars().take(3).collect();
    if locale == Locale::en {
        short
    } else {
        format!("{short}.")
    }
}
