//! Peppol BIS Billing 3.0 e-invoices: UBL 2.1 `Invoice` and `CreditNote` documents, as Belgian
//! VAT-registered enterprises must exchange them since 1 January 2026. Pure: the caller numbers,
//! computes and stores the document; [`to_ubl`] checks it and writes its XML.
//!
//! What the official rules (EN 16931 and Peppol BIS 3.0 Schematron, vendored in
//! `third_party/peppol/`, run by `scripts/peppol.py` in the test command) require and this
//! module guarantees or refuses:
//!
//! - both parties have an electronic address: scheme `0208` with the Belgian enterprise number,
//!   else the VAT number under its country's Peppol VAT scheme (`9925` for BE, `9938` for LU…);
//!   neither is an error ([`EInvoiceError::NoElectronicAddress`]);
//! - a Belgian party's legal registration identifier is its enterprise number (scheme 0208),
//!   whose check digits are verified (PEPPOL-COMMON-R043);
//! - the seller's VAT number is present (BR-S-02, BR-E-02, BR-AE-02), and for reverse charge
//!   the buyer's too;
//! - the lines add up to the net amount (BR-CO-10), net + VAT = total (BR-CO-15), amount due =
//!   total − prepaid (BR-CO-16); amounts are written from integer cents with two decimals;
//! - exempt and reverse-charge documents carry no VAT (BR-E-09, BR-AE-09) and give their
//!   exemption reason (BR-E-10, BR-AE-10: code `VATEX-EU-AE` and "Reverse charge");
//! - no empty element (PEPPOL-EN16931-R008): empty optional texts are left out, empty required
//!   ones refused; text is escaped and characters XML 1.0 forbids are dropped.
//!
//! ## VAT rounding
//!
//! The VAT amount is the caller's: the portal computes it once on the net total, rounded half
//! up (`invoice::totals`), but the VAT of a partial credit note may be the difference of two
//! such rounded amounts, one cent away from rate × net. EN 16931 tolerates it: BR-S-09 and
//! BR-CO-17 accept a VAT category amount `v` when `|v| − 1 < round(taxable × rate) < |v| + 1`,
//! i.e. anything strictly less than one whole currency unit (1.00 €) away. This module is
//! stricter, [`VAT_TOLERANCE_CENTS`] (1 cent): a larger gap in the portal's documents can only
//! be a bug, and refusing it is cheaper than a credit note to correct it.

mod model;
mod ubl;
mod xml;

pub use model::{DocumentKind, EDocument, EInvoiceError, Line, Party, Payment, Role, VatTreatment};
pub use ubl::to_ubl;

/// How far the document's VAT may be from its net amount × rate, rounded half up to the cent.
/// EN 16931 allows up to (not including) 100 cents; see the module's documentation.
pub const VAT_TOLERANCE_CENTS: i64 = 1;

/// Peppol BIS 3.0 specification identifier (BT-24).
pub const CUSTOMIZATION_ID: &str = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
/// Peppol business process "billing" (BT-23).
pub const PROFILE_ID: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

/// The Peppol electronic address scheme (EAS) of a VAT number, by its country prefix: the EU
/// members' VAT schemes of the EAS code list (Greece's VAT numbers start with "EL"). Denmark,
/// Finland and Sweden have none there (their business registers are used instead).
pub fn vat_scheme(vat_number: &str) -> Option<&'static str> {
    const SCHEMES: &[(&str, &str)] = &[
        ("AT", "9914"),
        ("BE", "9925"),
        ("BG", "9926"),
        ("CY", "9928"),
        ("CZ", "9929"),
        ("DE", "9930"),
        ("EE", "9931"),
        ("EL", "9933"),
        ("ES", "9920"),
        ("FR", "9957"),
        ("HR", "9934"),
        ("HU", "9910"),
        ("IE", "9935"),
        ("IT", "0211"),
        ("LT", "9937"),
        ("LU", "9938"),
        ("LV", "9939"),
        ("MT", "9943"),
        ("NL", "9944"),
        ("PL", "9945"),
        ("PT", "9946"),
        ("RO", "9947"),
        ("SI", "9949"),
        ("SK", "9950"),
    ];
    let prefix = vat_number.get(..2)?;
    SCHEMES
        .iter()
        .find(|(country, _)| *country == prefix)
        .map(|(_, scheme)| *scheme)
}

/// A Belgian enterprise number (KBO/BCE) as Peppol scheme 0208 wants it: 10 digits, the last
/// two 97 − (the first eight mod 97). Dots and spaces ("0123.456.749") are tolerated.
pub fn enterprise_number(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let body: u64 = digits[..8].parse().ok()?;
    let check: u64 = digits[8..].parse().ok()?;
    (97 - body % 97 == check).then_some(digits)
}

/// Cents as a decimal amount with exactly two decimals: 12345 → "123.45", -5 → "-0.05".
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A rate in basis points as a percentage without needless zeros: 2100 → "21", 550 → "5.5".
pub fn percent(rate_bps: u32) -> String {
    let (whole, fraction) = (rate_bps / 100, rate_bps % 100);
    match fraction {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

#[cfg(test)]
mod tests;
