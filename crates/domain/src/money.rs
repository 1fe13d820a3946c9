//! Money in integer euro cents, formatted for the UI's language.

use crate::lang::Lang;
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
    pub fn format(self, lang: impl Into<Lang>, whole: bool) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let (euros, cents) = (abs / 100, abs % 100);
        let sign = if negative { "-" } else { "" };
        match lang.into() {
            Lang::En => {
                let euros = group_thousands(euros, ',');
                if whole {
                    format!("{sign}€{euros}")
                } else {
                    format!("{sign}€{euros}.{cents:02}")
                }
            }
            Lang::Fr | Lang::Nl => {
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

/// Formats a count with the language's thousands separator.
pub fn format_count(value: i64, lang: impl Into<Lang>) -> String {
    let separator = match lang.into() {
        Lang::En => ',',
        Lang::Fr | Lang::Nl => '\u{202f}',
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
        assert_eq!(m.format(Lang::Fr, false), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(m.format(Lang::En, false), "€1,234,567.89");
        assert_eq!(m.format(Lang::Nl, true), "1\u{202f}234\u{202f}567\u{a0}€");
        assert_eq!(Money::from_cents(5).format(Lang::En, false), "€0.05");
        assert_eq!(Money::from_cents(-250).format(Lang::Fr, false), "-2,50\u{a0}€");
        assert_eq!(Money::from_cents(0).format(Lang::En, true), "€0");
    }

    #[test]
    fn groups_counts() {
        assert_eq!(format_count(0, Lang::En), "0");
        assert_eq!(format_count(999, Lang::En), "999");
        assert_eq!(format_count(1000, Lang::En), "1,000");
        assert_eq!(format_count(595_000, Lang::Fr), "595\u{202f}000");
        assert_eq!(format_count(-15_600, Lang::En), "-15,600");
    }
}
