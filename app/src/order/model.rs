//! Order types shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// Where an order stands. Staff move it forward; cancelled and refunded are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed with "Continuer"; reserves its quota until paid, cancelled or expired.
    Submitted,
    Paid,
    /// Sent to the partner; no cancellation after this.
    Transmitted,
    /// Keys available, code e-mailed or hardware shipped.
    Fulfilled,
    Cancelled,
    Refunded,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Submitted => "submitted",
            OrderStatus::Paid => "paid",
            OrderStatus::Transmitted => "transmitted",
            OrderStatus::Fulfilled => "fulfilled",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
        }
    }
}

/// Software and hardware are never in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderCategory {
    Software,
    Hardware,
}

impl OrderCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderCategory::Software => "software",
            OrderCategory::Hardware => "hardware",
        }
    }
}

impl OrderStatus {
    pub fn parse(value: &str) -> Option<Self> {
        [
            OrderStatus::Submitted,
            OrderStatus::Paid,
            OrderStatus::Transmitted,
            OrderStatus::Fulfilled,
            OrderStatus::Cancelled,
            OrderStatus::Refunded,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

impl OrderCategory {
    pub fn parse(value: &str) -> Option<Self> {
        [OrderCategory::Software, OrderCategory::Hardware]
            .into_iter()
            .find(|c| c.as_str() == value)
    }
}

/// What "Continuer" answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutOutcome {
    /// The orders were created (or had been, by an earlier request with the same key): see
    /// the confirmation page of this checkout.
    Placed { checkout_id: String },
    /// Something changed since "Vérifier la qualification": the verdict as it stands now.
    Refused(crate::quota::model::Verdict),
}

/// The registered address shown for confirmation before "Continuer", with the key that makes
/// that one "Continuer" idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutAddress {
    pub legal_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub enterprise_number: String,
    pub contact_email: String,
    /// A fresh key: a double click or a retried request with it creates the orders once.
    pub idempotency_key: String,
}

/// One line of an issued order or invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub name: String,
    pub quantity: u32,
    /// Administrative fee per unit, excl. VAT, in cents.
    pub unit_fee_cents: i64,
    pub amount_cents: i64,
}

/// An invoice as its page, its PDF and its e-mail show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub invoice_id: String,
    /// "2026-000001"
    pub number: String,
    pub order_id: String,
    pub order_reference: String,
    pub category: OrderCategory,
    pub status: OrderStatus,
    pub issued_on: chrono::NaiveDate,
    pub due_on: chrono::NaiveDate,
    pub customer_name: String,
    pub customer_street: String,
    pub customer_postal_code: String,
    pub customer_city: String,
    pub customer_country: String,
    pub customer_enterprise_number: String,
    pub lines: Vec<InvoiceLine>,
    pub net_cents: i64,
    pub vat_rate_bps: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    /// What matched payments have brought in so far.
    pub paid_cents: i64,
    /// `+++202/6000/00195+++`
    pub communication: String,
}

/// The formatted invoice number of `number` in `year`.
pub fn invoice_number(year: i32, number: i64) -> String {
    format!("{year}-{number:06}")
}

/// The order reference shown to the organisation, from its invoice's number.
pub fn order_reference(year: i32, number: i64) -> String {
    format!("DON-{year}-{number:06}")
}
