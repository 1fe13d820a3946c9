//! What an e-invoice or e-credit note says, in the portal's terms: integer cents, one VAT
//! treatment per document, Belgian enterprise numbers. `ubl` turns it into Peppol UBL.

use chrono::NaiveDate;

use crate::invoice::StructuredCommunication;

/// An invoice (UBL `Invoice`, type code 380) or a credit note (UBL `CreditNote`, type 381).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

/// The seller or the buyer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The legal name (BT-27 / BT-44), required.
    pub name: String,
    /// Street and number; empty address parts are left out.
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166-1 alpha-2: "BE", "LU".
    pub country: String,
    /// Belgian KBO/BCE number, 10 digits ("0123456749"; dots and spaces are tolerated). It is
    /// the party's Peppol address (scheme 0208) and, for a Belgian party, its legal
    /// registration identifier.
    pub enterprise_number: Option<String>,
    /// "BE0123456749", "LU12345678"; `None` when the party is not VAT-registered.
    pub vat_number: Option<String>,
}

/// The one VAT treatment of every line of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VatTreatment {
    /// Category S at `rate_bps` basis points (2100 = 21 %), more than 0.
    Standard { rate_bps: u32 },
    /// Category E, with the legal ground as text (BT-120), e.g. "Art. 44 § 2 Code TVA".
    Exempt { reason: String },
    /// Category AE, 0 %: intra-EU B2B service, VAT due by the buyer (a VAT-registered
    /// Luxembourg buyer, say). The buyer's VAT number is then required.
    ReverseCharge,
}

/// One line: `net_cents` must equal `quantity × unit_net_cents`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    pub quantity: u32,
    pub unit_net_cents: i64,
    pub net_cents: i64,
}

/// How to pay an invoice: a credit transfer with the structured communication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Spaces are tolerated ("BE23 0015 1859 2691") and left out.
    pub iban: String,
    pub bic: String,
    /// The account holder's name (BT-85); left out when empty.
    pub account_name: String,
    pub communication: StructuredCommunication,
}

/// An invoice or a credit note, amounts in cents.
///
/// Amounts are positive on credit notes too: the document type says they are credited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EDocument {
    pub kind: DocumentKind,
    /// "2026-000001" (invoice) or "NC-2026-000001" (credit note).
    pub number: String,
    pub issue_date: NaiveDate,
    /// Invoices only (BT-9); a UBL 2.1 credit note has no due date, and this is ignored there.
    pub due_date: Option<NaiveDate>,
    /// The order reference, e.g. "DON-2026-00042" (BT-10), required by Peppol.
    pub buyer_reference: String,
    pub seller: Party,
    pub buyer: Party,
    pub lines: Vec<Line>,
    pub vat: VatTreatment,
    /// Must be the sum of the lines' `net_cents`.
    pub net_cents: i64,
    /// As the caller computed it: see [`super::VAT_TOLERANCE_CENTS`].
    pub vat_cents: i64,
    /// Must be `net_cents + vat_cents`.
    pub total_cents: i64,
    /// BT-113, already paid (usually 0); the amount due is `total_cents - prepaid_cents`.
    pub prepaid_cents: i64,
    /// Invoices: how to pay (payment means 30, credit transfer). Usually `None` on credit notes.
    pub payment: Option<Payment>,
    /// Credit notes: the number and issue date of the invoice corrected (BT-25, BT-26).
    /// Required on a credit note.
    pub corrects: Option<(String, NaiveDate)>,
    /// A free text (BT-22), e.g. the reason of a credit note.
    pub note: Option<String>,
}

/// Which party a [`EInvoiceError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Seller,
    Buyer,
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Role::Seller => "seller",
            Role::Buyer => "buyer",
        })
    }
}

/// Why no UBL document can be made: each one would make the document invalid under
/// EN 16931 or Peppol BIS 3.0, or contradict its own figures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EInvoiceError {
    #[error("{0} is empty")]
    Empty(&'static str),
    #[error("a document needs at least one line")]
    NoLines,
    #[error("line {line}: {quantity} × {unit_net_cents} cents is not its net amount of {net_cents} cents")]
    LineAmount {
        line: usize,
        quantity: u32,
        unit_net_cents: i64,
        net_cents: i64,
    },
    #[error("the lines add up to {lines_cents} cents, the document's net amount is {net_cents} cents")]
    LinesDoNotAddUp { lines_cents: i64, net_cents: i64 },
    #[error("net {net_cents} + VAT {vat_cents} is not the total of {total_cents} cents")]
    TotalDoesNotAddUp {
        net_cents: i64,
        vat_cents: i64,
        total_cents: i64,
    },
    #[error("{0} is negative")]
    Negative(&'static str),
    #[error("VAT of {vat_cents} cents is more than {tolerance} cent away from {expected_cents} cents (rate × net)", tolerance = super::VAT_TOLERANCE_CENTS)]
    VatOutOfTolerance { vat_cents: i64, expected_cents: i64 },
    #[error("an exempt or reverse-charge document carries no VAT, not {0} cents")]
    VatNotZero(i64),
    #[error("a standard VAT rate must be more than 0 %")]
    ZeroStandardRate,
    #[error("the seller has no VAT number, which every VAT category used here requires (BR-S-02, BR-E-02, BR-AE-02)")]
    SellerVatNumberMissing,
    #[error("reverse charge requires the buyer's VAT number")]
    BuyerVatNumberMissing,
    #[error("the {role}'s enterprise number {value:?} is not 10 digits with valid check digits")]
    EnterpriseNumber { role: Role, value: String },
    #[error("the {role}'s VAT number {value:?} does not start with a country code")]
    VatNumber { role: Role, value: String },
    #[error("the {role}'s country {value:?} is not an ISO 3166-1 alpha-2 code")]
    Country { role: Role, value: String },
    #[error(
        "the {0} has no Peppol address: no enterprise number, and no VAT number of a country with a Peppol VAT scheme"
    )]
    NoElectronicAddress(Role),
    #[error("a credit note must name the invoice it corrects")]
    MissingCorrectedInvoice,
}
