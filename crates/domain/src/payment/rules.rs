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
}
