//! Pure payment rules: how an amount settles an invoice, and reading amounts typed by staff.

use crate::payment::model::PaymentOutcome;

/// The outcome of receiving `amount` for an invoice of `total` that has already received
/// `already` (all in cents). `owed_nothing`: the order was cancelled or expired, so any money
/// is excess.
pub fn outcome(total: i64, already: i64, amount: i64, owed_nothing: bool) -> PaymentOutcome {
    let after = already.saturating_add(amount);
    if owed_nothing || already >= total || after > total {
        PaymentOutcome::Excess
    } else if after == total {
        PaymentOutcome::Matched
    } else {
        PaymentOutcome::Partial
    }
}

/// True when the invoice is paid in full once `amount` is added.
pub fn settles(total: i64, already: i64, amount: i64) -> bool {
    already < total && already.saturating_add(amount) >= total
}

/// "84,70", "84.70", "1 234,5" or "84" → cents; `None` for anything else (signs, letters,
/// more than two decimals, zero).
pub fn parse_amount(text: &str) -> Option<i64> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('€')
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let cleaned = cleaned.replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty()
        || whole.len() > 9
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let cents = whole.parse::<i64>().ok()? * 100 + format!("{fraction:0<2}").parse::<i64>().ok()?;
    (cents > 0).then_some(cents)
}

/// An IBAN as staff type it ("BE68 5390 0754 7034"): spaces dropped, letters upper-cased, the
/// ISO 13616 check digits verified (mod 97 = 1). `None` for anything else.
pub fn parse_iban(text: &str) -> Option<String> {
    let iban: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let shaped = (15..=34).contains(&iban.len())
        && iban.bytes().all(|b| b.is_ascii_alphanumeric())
        && iban.bytes().take(2).all(|b| b.is_ascii_uppercase())
        && iban.bytes().skip(2).take(2).all(|b| b.is_ascii_digit());
    if !shaped {
        return None;
    }
    let rearranged = iban.bytes().skip(4).chain(iban.bytes().take(4));
    let mut remainder: u32 = 0;
    for b in rearranged {
        let value = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    (remainder == 1).then_some(iban)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_at_each_boundary() {
        assert_eq!(outcome(12_947, 0, 12_947, false), PaymentOutcome::Matched);
        assert_eq!(outcome(12_947, 0, 12_946, false), PaymentOutcome::Partial);
        assert_eq!(outcome(12_947, 0, 12_948, false), PaymentOutcome::Excess);
        // Two partial transfers: the second one settles.
        assert_eq!(outcome(12_947, 5_000, 7_947, false), PaymentOutcome::Matched);
        assert!(settles(12_947, 5_000, 7_947));
        assert!(!settles(12_947, 5_000, 7_946));
        // Paid twice: the second is excess and settles nothing more.
        assert_eq!(outcome(12_947, 12_947, 12_947, false), PaymentOutcome::Excess);
        assert!(!settles(12_947, 12_947, 12_947));
        // Money for an expired order.
        assert_eq!(outcome(12_947, 0, 12_947, true), PaymentOutcome::Excess);
    }

    #[test]
    fn amounts_typed_by_staff() {
        assert_eq!(parse_amount("84,70"), Some(8_470));
        assert_eq!(parse_amount("84.7"), Some(8_470));
        assert_eq!(parse_amount(" 1 234,56 € "), Some(123_456));
        assert_eq!(parse_amount("84"), Some(8_400));
        for bad in ["", "0", "0,00", "-5", "84,701", "8e2", "abc", "1.2.3", "9999999999"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn ibans_are_checked_by_their_check_digits() {
        assert_eq!(parse_iban("BE23 0015 1859 2691").as_deref(), Some("BE23001518592691"));
        assert_eq!(parse_iban("be68539007547034").as_deref(), Some("BE68539007547034"));
        assert_eq!(
            parse_iban("LU28 0019 4006 4475 0000").as_deref(),
            Some("LU280019400644750000")
        );
        for bad in [
            "",
            "BE24 0015 1859 2691",
            "BE23 0015 1859 2692",
            "BE2300151859",
            "1234567890123456",
            "BE23-0015",
        ] {
            assert_eq!(parse_iban(bad), None, "{bad}");
        }
    }
}
