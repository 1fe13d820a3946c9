//! Money in integer euro cents, formatted for the UI's language.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// An amount in euro cents. Never a float: fees, VAT and totals must add up to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Money(i64);

impl Money {
    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// "1 234,56 €" in French and Dutch (Belgian usage), "€1,234.56" in English.
    /// `whole` drops the cents (for large counters).
    pub fn format(self, locale: Locale, whole: bool) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let (euros, cents) = (abs / 100, abs % 100);
        let sign = if negative { "-" } else { "" };
        match locale {
            Locale::en => {
                let euros = group_thousands(euros, ',');
                if whole {
                    format!("{sign}€{euros}")
                } else {
                    format!("{sign}€{euros}.{cents:02}")
                }
            }
            Locale::fr | Locale::nl => {
                // A narrow no-break space groups thousands; a no-break space precedes the sign.
                let euros = group_thousands(euros, '\u{202f}');
                if whole {
                    format!("{sign}{euros}\u{a0}€")
                } else {
                    format!("{sign}{euros},{cents:02}\u{a0}€")
                }
            }
        }
    }
}

/// Formats a count with the locale's thousands separator.
pub fn format_count(value: i64, locale: Locale) -> String {
    let separator = match locale {
        Locale::en => ',',
        Locale::fr | Locale::nl => '\u{202f}',
    };
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(value.unsigned_abs(), separator))
}

fn group_thousands(value: u64, separator: char) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_per_locale() {
        let m = Money::from_cents(123_456_789);
        assert_eq!(m.format(Locale::fr, false), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(m.format(Locale::en, false), "€1,234,567.89");
        assert_eq!(m.format(Locale::nl, true), "1\u{202f}234\u{202f}567\u{a0}€");
        assert_eq!(Money::from_cents(5).format(Locale::en, false), "€0.05");
        assert_eq!(Money::from_cents(-250).format(Locale::fr, false), "-2,50\u{a0}€");
        assert_eq!(Money::from_cents(0).format(Locale::en, true), "€0");
    }

    #[test]
    fn groups_counts() {
        assert_eq!(format_count(0, Locale::en), "0");
        assert_eq!(format_count(999, Locale::en), "999");
        assert_eq!(format_count(1000, Locale::en), "1,000");
        assert_eq!(format_count(595_000, Locale::fr), "595\u{202f}000");
        assert_eq!(format_count(-15_600, Locale::en), "-15,600");
    }
}
