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

/// The formatted number of a credit note ("note de crédit"): its own gap-free series per year.
pub fn credit_note_number(year: i32, number: i64) -> String {
    format!("NC-{year}-{number:06}")
}

/// Where an invoice stands, following the money: "À payer", "Payée en partie", "Payée",
/// "Créditée en partie", "Créditée", "Remboursée".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceState {
    /// Nothing received yet (credit notes may have lowered what is asked).
    ToPay,
    /// Some money received, not all.
    PartlyPaid,
    /// Everything asked was received.
    Paid,
    /// Part of it was credited, and the rest is paid.
    PartlyCredited,
    /// Wholly credited; money received, if any, is still to be paid back.
    Credited,
    /// Credited, and the money received for what was credited is paid back.
    Refunded,
}

impl InvoiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceState::ToPay => "to_pay",
            InvoiceState::PartlyPaid => "partly_paid",
            InvoiceState::Paid => "paid",
            InvoiceState::PartlyCredited => "partly_credited",
            InvoiceState::Credited => "credited",
            InvoiceState::Refunded => "refunded",
        }
    }
}

/// The money of one invoice, in cents: what it asked, what credit notes took off, what was
/// received and what was paid back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub total_cents: i64,
    pub credited_cents: i64,
    pub paid_cents: i64,
    pub refunded_cents: i64,
}

impl Settlement {
    /// What the invoice still asks for, once credit notes are taken off.
    pub fn owed_cents(&self) -> i64 {
        (self.total_cents - self.credited_cents).max(0)
    }

    /// What the programme holds: received less paid back.
    pub fn held_cents(&self) -> i64 {
        self.paid_cents - self.refunded_cents
    }

    /// What the organisation still has to pay.
    pub fn due_cents(&self) -> i64 {
        (self.owed_cents() - self.held_cents()).max(0)
    }

    /// What the programme has to pay back: money held beyond what is owed (after a credit
    /// note, or an overpayment).
    pub fn refund_due_cents(&self) -> i64 {
        (self.held_cents() - self.owed_cents()).max(0)
    }

    pub fn state(&self) -> InvoiceState {
        let credited = self.credited_cents > 0;
        if credited && self.refunded_cents > 0 && self.refund_due_cents() == 0 {
            InvoiceState::Refunded
        } else if credited && self.credited_cents >= self.total_cents {
            InvoiceState::Credited
        } else if self.due_cents() == 0 {
            if credited {
                InvoiceState::PartlyCredited
            } else {
                InvoiceState::Paid
            }
        } else if self.held_cents() > 0 {
            InvoiceState::PartlyPaid
        } else {
            InvoiceState::ToPay
        }
    }
}

/// How the programme's fee is taxed for one organisation (BT-151, the VAT category code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VatCategory {
    /// "S": Belgian VAT at the standard rate.
    Standard,
    /// "E": exempt (the exemption reason is printed).
    Exempt,
    /// "AE": reverse charge, the customer accounts for the VAT (an EU customer registered
    /// for VAT in another member state, e.g. Luxembourg).
    ReverseCharge,
}

impl VatCategory {
    /// The UNCL 5305 code stored and written in e-invoices.
    pub fn code(self) -> &'static str {
        match self {
            VatCategory::Standard => "S",
            VatCategory::Exempt => "E",
            VatCategory::ReverseCharge => "AE",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "S" => Some(VatCategory::Standard),
            "E" => Some(VatCategory::Exempt),
            "AE" => Some(VatCategory::ReverseCharge),
            _ => None,
        }
    }
}

/// An organisation's VAT status ("statut TVA"), in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VatStatus {
    /// "Non assujettie": no VAT number.
    None,
    /// "Exemptée (art. 44)": only VAT-exempt activities.
    Exempt,
    /// "Franchise des petites entreprises": registered, small-business franchise.
    Franchise,
    /// "Assujettie".
    Taxable,
    /// "Assujettie mixte".
    Mixed,
}

impl VatStatus {
    pub const ALL: [VatStatus; 5] = [
        VatStatus::None,
        VatStatus::Exempt,
        VatStatus::Franchise,
        VatStatus::Taxable,
        VatStatus::Mixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VatStatus::None => "none",
            VatStatus::Exempt => "exempt",
            VatStatus::Franchise => "franchise",
            VatStatus::Taxable => "taxable",
            VatStatus::Mixed => "mixed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value.trim())
    }

    /// Registered for VAT, so it has (and must give) a VAT number: franchise, taxable, mixed.
    pub fn registered(self) -> bool {
        matches!(self, VatStatus::Franchise | VatStatus::Taxable | VatStatus::Mixed)
    }
}

/// A VAT number as written on an invoice: "BE" + the 10-digit enterprise number, or "LU" + 8
/// digits. Dots, spaces and a lowercase prefix are accepted; `None` for anything else.
pub fn parse_vat_number(text: &str) -> Option<String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .collect::<String>()
        .to_ascii_uppercase();
    let (prefix, digits) = cleaned.split_at_checked(2)?;
    let all_digits = digits.bytes().all(|b| b.is_ascii_digit());
    let ok = match prefix {
        "BE" => all_digits && digits.len() == 10 && matches!(digits.as_bytes()[0], b'0' | b'1'),
        "LU" => all_digits && digits.len() == 8,
        _ => false,
    };
    ok.then_some(cleaned)
}

/// The programme's VAT rules for its fee, per country and status: 21 % Belgian VAT unless a
/// line of the configuration says otherwise. Configured as `LU/taxable=AE,BE/exempt=E`
/// (country/status=category); the default treats a VAT-registered Luxembourg organisation as
/// a reverse charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatPolicy {
    /// The standard rate, in basis points (2100 = 21 %).
    pub rate_bps: u32,
    /// (country, status, category) overrides, first match wins.
    pub overrides: Vec<(String, VatStatus, VatCategory)>,
}

impl VatPolicy {
    /// The default overrides: Luxembourg franchise, taxable and mixed organisations are
    /// invoiced under the reverse charge.
    pub const DEFAULT_OVERRIDES: &'static str = "LU/franchise=AE,LU/taxable=AE,LU/mixed=AE";

    /// Reads `LU/taxable=AE,BE/exempt=E`; `None` when an item is malformed.
    pub fn parse(rate_bps: u32, text: &str) -> Option<Self> {
        let mut overrides = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, category) = item.split_once('=')?;
            let (country, status) = key.split_once('/')?;
            let country = country.trim().to_ascii_uppercase();
            if !matches!(country.as_str(), "BE" | "LU") {
                return None;
            }
            overrides.push((country, VatStatus::parse(status)?, VatCategory::parse(category)?));
        }
        Some(Self { rate_bps, overrides })
    }

    /// The category and rate of the fee for an organisation of `country` with `status`. A
    /// reverse charge needs a VAT number: without one the standard rate applies.
    pub fn treatment(&self, country: &str, status: VatStatus, has_vat_number: bool) -> (VatCategory, u32) {
        let category = self
            .overrides
            .iter()
            .find(|(c, s, _)| c == country && *s == status)
            .map_or(VatCategory::Standard, |(_, _, category)| *category);
        match category {
            VatCategory::ReverseCharge if !has_vat_number => (VatCategory::Standard, self.rate_bps),
            VatCategory::Standard => (VatCategory::Standard, self.rate_bps),
            other => (other, 0),
        }
    }
}

/// Whether the organisation receives Peppol e-invoices: a VAT-registered Belgian enterprise
/// with its enterprise number (the Belgian mandate since 1 January 2026). Exempt (art. 44) and
/// unregistered organisations, and Luxembourg ones, receive PDFs.
pub fn peppol_required(country: &str, status: VatStatus, enterprise_number: &str) -> bool {
    country == "BE" && status.registered() && enterprise_number.len() == 10
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

    #[test]
    fn an_invoice_state_follows_the_money() {
        let s = |total, credited, paid, refunded| Settlement {
            total_cents: total,
            credited_cents: credited,
            paid_cents: paid,
            refunded_cents: refunded,
        };
        use InvoiceState::*;
        // (settlement, state, due, refund due)
        let table = [
            (s(27_709, 0, 0, 0), ToPay, 27_709, 0),
            (s(27_709, 0, 10_000, 0), PartlyPaid, 17_709, 0),
            (s(27_709, 0, 27_708, 0), PartlyPaid, 1, 0),
            (s(27_709, 0, 27_709, 0), Paid, 0, 0),
            // Overpaid: paid, with money to give back; once given back, still paid.
            (s(27_709, 0, 30_000, 0), Paid, 0, 2_291),
            (s(27_709, 0, 30_000, 2_291), Paid, 0, 0),
            // A line cancelled before payment: the rest is to pay.
            (s(27_709, 10_000, 0, 0), ToPay, 17_709, 0),
            (s(27_709, 10_000, 17_709, 0), PartlyCredited, 0, 0),
            // Cancelled before payment: nothing to pay, nothing to give back.
            (s(27_709, 27_709, 0, 0), Credited, 0, 0),
            // Paid, then wholly credited: the money is due back until it is recorded.
            (s(27_709, 27_709, 27_709, 0), Credited, 0, 27_709),
            (s(27_709, 27_709, 27_709, 27_708), Credited, 0, 1),
            (s(27_709, 27_709, 27_709, 27_709), Refunded, 0, 0),
            // Paid, one line refunded: refund due, then refunded.
            (s(27_709, 10_000, 27_709, 0), PartlyCredited, 0, 10_000),
            (s(27_709, 10_000, 27_709, 10_000), Refunded, 0, 0),
        ];
        for (settlement, state, due, refund_due) in table {
            assert_eq!(settlement.state(), state, "{settlement:?}");
            assert_eq!(settlement.due_cents(), due, "{settlement:?}");
            assert_eq!(settlement.refund_due_cents(), refund_due, "{settlement:?}");
        }
        assert_eq!(credit_note_number(2026, 7), "NC-2026-000007");
    }

    #[test]
    fn vat_numbers_and_the_fee_treatment_per_country_and_status() {
        assert_eq!(parse_vat_number("be 0412.345.614").as_deref(), Some("BE0412345614"));
        assert_eq!(parse_vat_number("LU12345678").as_deref(), Some("LU12345678"));
        for bad in [
            "",
            "BE",
            "BE041234561",
            "BE2412345614",
            "FR12345678901",
            "LU1234567",
            "BE04123456a4",
        ] {
            assert_eq!(parse_vat_number(bad), None, "{bad}");
        }
        let policy = VatPolicy::parse(2100, VatPolicy::DEFAULT_OVERRIDES).unwrap_or(VatPolicy {
            rate_bps: 0,
            overrides: vec![],
        });
        assert_eq!(
            policy.treatment("BE", VatStatus::Taxable, true),
            (VatCategory::Standard, 2100)
        );
        assert_eq!(
            policy.treatment("BE", VatStatus::None, false),
            (VatCategory::Standard, 2100)
        );
        assert_eq!(
            policy.treatment("LU", VatStatus::Taxable, true),
            (VatCategory::ReverseCharge, 0)
        );
        // No VAT number, no reverse charge.
        assert_eq!(
            policy.treatment("LU", VatStatus::Taxable, false),
            (VatCategory::Standard, 2100)
        );
        assert_eq!(
            policy.treatment("LU", VatStatus::None, false),
            (VatCategory::Standard, 2100)
        );
        let custom = VatPolicy::parse(2100, "BE/exempt=E, lu/mixed=S").unwrap_or(policy.clone());
        assert_eq!(
            custom.treatment("BE", VatStatus::Exempt, false),
            (VatCategory::Exempt, 0)
        );
        assert_eq!(
            custom.treatment("LU", VatStatus::Mixed, true),
            (VatCategory::Standard, 2100)
        );
        for bad in [
            "LU/taxable",
            "FR/taxable=AE",
            "LU/other=AE",
            "LU/taxable=Z",
            "LUtaxable=AE",
        ] {
            assert_eq!(VatPolicy::parse(2100, bad), None, "{bad}");
        }
        assert!(peppol_required("BE", VatStatus::Franchise, "0412345614"));
        assert!(peppol_required("BE", VatStatus::Mixed, "0412345614"));
        assert!(!peppol_required("BE", VatStatus::Exempt, "0412345614"));
        assert!(!peppol_required("BE", VatStatus::None, "0412345614"));
        assert!(!peppol_required("LU", VatStatus::Taxable, "B123456"));
    }
}
