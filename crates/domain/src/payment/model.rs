//! Payment types shared by the server and the staff pages.

use serde::{Deserialize, Serialize};

/// How a received amount compares with what its invoice still awaited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentOutcome {
    /// Exactly the balance: the invoice is settled.
    Matched,
    /// Less than the balance: the invoice waits for the rest.
    Partial,
    /// More than the balance (or money for a cancelled order): staff refund the difference.
    Excess,
    /// No invoice carries this communication.
    Unmatched,
}

impl PaymentOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentOutcome::Matched => "matched",
            PaymentOutcome::Partial => "partial",
            PaymentOutcome::Excess => "excess",
            PaymentOutcome::Unmatched => "unmatched",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            PaymentOutcome::Matched,
            PaymentOutcome::Partial,
            PaymentOutcome::Excess,
            PaymentOutcome::Unmatched,
        ]
        .into_iter()
        .find(|o| o.as_str() == value)
    }
}

/// A received payment as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub payment_id: String,
    /// `manual` or `camt053`.
    pub source: String,
    pub booked_on: chrono::NaiveDate,
    pub amount_cents: i64,
    pub communication: Option<String>,
    pub debtor_name: Option<String>,
    /// The invoice it went to, if any ("2026-000001").
    pub invoice_number: Option<String>,
    pub invoice_id: Option<String>,
    pub outcome: PaymentOutcome,
    /// Staff dealt with it (a refund made, the payer found…).
    pub resolved: bool,
}

/// What importing one statement did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub statement_id: String,
    /// Credit lines read from the statement.
    pub credits: usize,
    /// Debit lines (fees, outgoing transfers): not payments, skipped.
    pub debits: usize,
    /// Lines already imported before (same bank reference): left untouched.
    pub already_imported: usize,
    pub matched: usize,
    pub partial: usize,
    pub excess: usize,
    pub unmatched: usize,
    /// Lines in another currency than the euro: listed as unmatched.
    pub other_currency: usize,
}

/// An invoice whose money is due back ("Remboursements à effectuer").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundDue {
    pub invoice_id: String,
    pub order_id: String,
    pub order_reference: String,
    /// Its 360 page's id.
    pub organisation_id: String,
    pub organisation_name: String,
    pub invoice_number: String,
    pub amount_cents: i64,
    /// The account the money came from, to prefill the transfer.
    pub payer_iban: Option<String>,
}

/// What staff typed to record a transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundInput {
    /// The invoice whose money goes back, or…
    pub invoice_id: Option<String>,
    /// …a payment that matched no invoice.
    pub payment_id: Option<String>,
    /// "84,70"
    pub amount: String,
    pub iban: String,
    /// YYYY-MM-DD
    pub paid_on: String,
    pub note: String,
}
