//! Invoice arithmetic and the Belgian structured communication ("communication structurée",
//! `+++123/4567/89012+++`) that lets the bank statement be matched to the invoice. Pure: the
//! checkout (issue 5) numbers invoices and stores them.

use serde::{Deserialize, Serialize};

/// A Belgian structured communication: 10 digits and 2 check digits, the first 10 modulo 97
/// (97 when the remainder is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StructuredCommunication(u64);

impl StructuredCommunication {
    /// The communication for a 10-digit base (`base` < 10¹⁰), check digits added.
    pub fn from_base(base: u64) -> Option<Self> {
        (base < 10_000_000_000).then(|| Self(base * 100 + check_digits(base)))
    }

    /// Reads `+++123/4567/89012+++`, `***…***` or the 12 digits alone (spaces, slashes and the
    /// frame are ignored, as banks print them variously); `None` unless the check digits hold.
    pub fn parse(text: &str) -> Option<Self> {
        let inner = text.trim();
        let inner = inner
            .strip_prefix("+++")
            .and_then(|t| t.strip_suffix("+++"))
            .or_else(|| inner.strip_prefix("***").and_then(|t| t.strip_suffix("***")))
            .unwrap_or(inner);
        let digits: String = inner.chars().filter(|c| !matches!(c, ' ' | '/')).collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number: u64 = digits.parse().ok()?;
        let (base, check) = (number / 100, number % 100);
        (check_digits(base) == check).then_some(Self(number))
    }

    /// The first 10 digits.
    pub fn base(self) -> u64 {
        self.0 / 100
    }

    /// The 12 digits without the frame, as stored and as banks send them.
    pub fn digits(self) -> String {
        format!("{:012}", self.0)
    }
}

impl std::fmt::Display for StructuredCommunication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = format!("{:012}", self.0);
        write!(f, "+++{}/{}/{}+++", &digits[..3], &digits[3..7], &digits[7..])
    }
}

fn check_digits(base: u64) -> u64 {
    match base % 97 {
        0 => 97,
        remainder => remainder,
    }
}

/// The amounts of an invoice, in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceTotals {
    /// Sum of the lines' administrative fees, excl. VAT.
    pub net_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
}

/// Totals for lines of (unit fee excl. VAT in cents, quantity) at `vat_basis_points` (21 % =
/// 2100). VAT is computed once on the net total and rounded half up to the cent, as the
/// invoice states it; summing VAT rounded per line could differ by a cent per line.
pub fn totals(lines: &[(i64, u32)], vat_basis_points: i64) -> InvoiceTotals {
    let net_cents: i64 = lines.iter().map(|(fee, quantity)| fee * i64::from(*quantity)).sum();
    let vat_cents = (net_cents * vat_basis_points + 5_000).div_euclid(10_000);
    InvoiceTotals {
        net_cents,
        vat_cents,
        total_cents: net_cents + vat_cents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_of_domain_md_and_the_zero_remainder() {
        // 1234567890 mod 97 = 2.
        let c = StructuredCommunication::from_base(1_234_567_890).unwrap_or(StructuredCommunication(0));
        assert_eq!(c.to_string(), "+++123/4567/89002+++");
        // 97 × 12345 = 1197465: remainder 0 gives the check digits 97.
        let c = StructuredCommunication::from_base(1_197_465).unwrap_or(StructuredCommunication(0));
        assert_eq!(c.to_string(), "+++000/1197/46597+++");
        assert_eq!(StructuredCommunication::from_base(10_000_000_000), None);
    }

    #[test]
    fn communications_round_trip_and_any_single_digit_change_is_caught() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let base = seed % 10_000_000_000;
            let Some(c) = StructuredCommunication::from_base(base) else {
                panic!("{base} is a valid base");
            };
            let text = c.to_string();
            assert_eq!(StructuredCommunication::parse(&text), Some(c), "{text}");
            assert_eq!(c.base(), base);
            let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(
                StructuredCommunication::parse(&digits.iter().collect::<String>()),
                Some(c)
            );
            for position in 0..12 {
                for replacement in '0'..='9' {
                    if replacement == digits[position] {
                        continue;
                    }
                    let mut changed = digits.clone();
                    changed[position] = replacement;
                    let changed: String = changed.into_iter().collect();
                    assert_eq!(StructuredCommunication::parse(&changed), None, "{text} → {changed}");
                }
            }
        }
    }

    #[test]
    fn bank_spellings_are_read_and_garbage_is_not() {
        let c = StructuredCommunication::from_base(1_234_567_890).unwrap_or(StructuredCommunication(0));
        for text in [
            "+++123/4567/89002+++",
            "***123/4567/89002***",
            " 123 4567 89002 ",
            "123456789002",
        ] {
            assert_eq!(StructuredCommunication::parse(text), Some(c), "{text}");
        }
        for text in [
            "",
            "+++123/4567/8900+++",
            "12345678900a",
            "1234567890023",
            "+++123/4567/89003+++",
        ] {
            assert_eq!(StructuredCommunication::parse(text), None, "{text}");
        }
    }

    #[test]
    fn vat_is_rounded_half_up_on_the_net_total() {
        // 4.50 € × 10 + 62.00 € = 107.00 €; 21 % = 22.47 €.
        assert_eq!(
            totals(&[(450, 10), (6200, 1)], 2100),
            InvoiceTotals {
                net_cents: 10_700,
                vat_cents: 2_247,
                total_cents: 12_947
            }
        );
        // 0.50 € × 21 % = 10.5 cents → 11; 0.02 € → 0.42 cent → 0.
        assert_eq!(totals(&[(50, 1)], 2100).vat_cents, 11);
        assert_eq!(totals(&[(2, 1)], 2100).vat_cents, 0);
        // On the total, three lines of 0.02 € make 0.06 € → 1.26 cents → 1 cent; rounded per
        // line they would make 0: the invoice states VAT on the total.
        assert_eq!(totals(&[(2, 1), (2, 1), (2, 1)], 2100).vat_cents, 1);
        assert_eq!(
            totals(&[], 2100),
            InvoiceTotals {
                net_cents: 0,
                vat_cents: 0,
                total_cents: 0
            }
        );
    }
}
