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
    /// The statuses staff still have work in, whose queues show a count: an order leaves them
    /// for good. The closed ones (fulfilled, cancelled, refunded) only grow; counting them
    /// read every order ever placed (20 ms at 333,000 orders, BENCHMARKS.md).
    pub const OPEN: [OrderStatus; 3] = [OrderStatus::Submitted, OrderStatus::Paid, OrderStatus::Transmitted];

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

/// Cisco's answer to an order ("Approbation du partenaire"); other partners have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    Pending,
    Approved,
    Refused,
}

impl Approval {
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Pending => "pending",
            Approval::Approved => "approved",
            Approval::Refused => "refused",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Approval::Pending, Approval::Approved, Approval::Refused]
            .into_iter()
            .find(|a| a.as_str() == value)
    }
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
    /// What payments assigned to it have brought in so far.
    pub paid_cents: i64,
    /// What its credit notes took off (incl. VAT).
    pub credited_cents: i64,
    /// What was paid back by transfer.
    pub refunded_cents: i64,
    /// `+++202/6000/00195+++`
    pub communication: String,
    /// The VAT category applied to the fee: "S" (standard), "E" (exempt), "AE" (reverse charge).
    pub vat_category: String,
    /// The customer's VAT number, when registered.
    pub customer_vat_number: Option<String>,
    /// Its credit notes, oldest first.
    pub credit_notes: Vec<CreditNoteSummary>,
    /// A Peppol e-invoice (UBL) was issued with it.
    pub e_invoice: bool,
}

/// A credit note ("note de crédit") as the invoice lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteSummary {
    pub credit_note_id: String,
    /// "NC-2026-000001"
    pub number: String,
    pub issued_on: chrono::NaiveDate,
    pub total_cents: i64,
    pub reason: String,
    /// A Peppol e-credit note (UBL) was issued with it.
    pub e_invoice: bool,
}

/// A credit note as its PDF and its e-credit note print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteView {
    pub credit_note_id: String,
    /// "NC-2026-000001"
    pub number: String,
    pub issued_on: chrono::NaiveDate,
    /// "cancellation" or "refund".
    pub kind: String,
    pub reason: String,
    /// The invoice it corrects.
    pub invoice_id: String,
    pub invoice_number: String,
    pub invoice_issued_on: chrono::NaiveDate,
    pub order_reference: String,
    pub customer_name: String,
    pub customer_street: String,
    pub customer_postal_code: String,
    pub customer_city: String,
    pub customer_country: String,
    pub customer_enterprise_number: String,
    pub customer_vat_number: Option<String>,
    pub vat_category: String,
    /// The lines credited, as the invoice printed them.
    pub lines: Vec<InvoiceLine>,
    pub net_cents: i64,
    pub vat_rate_bps: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
}

impl InvoiceView {
    /// The money of the invoice: asked, credited, received, paid back.
    pub fn settlement(&self) -> crate::invoice::Settlement {
        crate::invoice::Settlement {
            total_cents: self.total_cents,
            credited_cents: self.credited_cents,
            paid_cents: self.paid_cents,
            refunded_cents: self.refunded_cents,
        }
    }

    /// What is still to pay: the total, less credit notes and the money held.
    pub fn due_cents(&self) -> i64 {
        self.settlement().due_cents()
    }

    /// "À payer", "Payée", "Créditée", "Remboursée"…
    pub fn state(&self) -> crate::invoice::InvoiceState {
        self.settlement().state()
    }
}

/// The formatted invoice number of `number` in `year`.
pub fn invoice_number(year: i32, number: i64) -> String {
    format!("{year}-{number:06}")
}

/// The order reference shown to the organisation, from its invoice's number.
pub fn order_reference(year: i32, number: i64) -> String {
    format!("DON-{year}-{number:06}")
}

/// "Mes demandes" and the staff queues: which orders to list. Nothing is hidden by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    /// A partner id ("microsoft"…): orders with at least one of its lines.
    pub partner: Option<String>,
    /// Submitted on or after.
    pub from: Option<chrono::NaiveDate>,
    /// Submitted on or before.
    pub to: Option<chrono::NaiveDate>,
    /// From 0.
    pub page: u32,
}

/// Orders listed per page.
pub const ORDERS_PAGE_SIZE: u32 = 20;

/// One row of an order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub order_id: String,
    pub reference: String,
    pub organisation_name: String,
    pub category: OrderCategory,
    pub status: OrderStatus,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// Partner names of its lines, sorted.
    pub partners: Vec<String>,
    /// The invoice's total incl. VAT (0 for demo orders without an invoice).
    pub total_cents: i64,
    pub invoice_id: Option<String>,
    /// Where its invoice stands ("À payer", "Remboursée"…), when it has one.
    pub invoice_state: Option<crate::invoice::InvoiceState>,
}

/// A page of orders and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderList {
    pub orders: Vec<OrderSummary>,
    pub total: i64,
    /// Staff queues: how many orders are in each open status ([`OrderStatus::OPEN`]),
    /// whatever the filter. Closed statuses are not counted.
    pub counts: Vec<(OrderStatus, i64)>,
}

/// One line of an order, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub order_line_id: String,
    pub product_slug: String,
    pub product_name: String,
    pub partner_id: String,
    pub partner_name: String,
    pub quantity: u32,
    pub unit_fee_cents: i64,
    pub refundable: bool,
    pub cancelled: bool,
    pub refunded: bool,
    pub named_user: Option<String>,
    pub aws_account_id: Option<String>,
    /// Adobe/Autodesk PIN or redemption code, Zoom discount code: typed in by staff.
    pub fulfilment_code: Option<String>,
    pub fulfilment_note: Option<String>,
    /// Yearly products: when the code, subscription or credits run out.
    pub expires_on: Option<chrono::NaiveDate>,
}

/// One step of the order's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEvent {
    /// status, approval, shipment, fulfilment, lines_cancelled, refund_requested, refund_decided
    pub kind: String,
    pub to_status: Option<OrderStatus>,
    pub note: String,
    /// The person's name for staff steps; organisations see "the programme" instead.
    pub by: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A parcel (hardware, Cisco).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipment {
    /// Empty for a parcel not stored yet.
    pub shipment_id: String,
    pub shipped_on: chrono::NaiveDate,
    pub carrier: String,
    pub tracking: String,
    pub items: String,
    pub delivered_on: Option<chrono::NaiveDate>,
}

/// "Demande de remboursement" of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequest {
    pub refund_request_id: String,
    pub order_line_id: String,
    pub product_name: String,
    pub reason: String,
    pub declaration: bool,
    /// pending, accepted, refused
    pub status: String,
    pub response: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// An order's page: what it holds, where it stands, what happened and what comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order_id: String,
    pub reference: String,
    pub organisation_id: String,
    pub organisation_name: String,
    /// The e-mail Microsoft's volume licensing site knows the organisation by.
    pub contact_email: String,
    pub category: OrderCategory,
    pub status: OrderStatus,
    pub approval: Option<Approval>,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    pub validated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub cancel_reason: Option<String>,
    pub invoice: Option<InvoiceView>,
    pub lines: Vec<OrderLineView>,
    pub events: Vec<OrderEvent>,
    pub shipments: Vec<Shipment>,
    pub refunds: Vec<RefundRequest>,
}

impl OrderDetail {
    /// Partner ids of the live lines, sorted, without repeats.
    pub fn partners(&self) -> Vec<String> {
        let mut partners: Vec<String> = self
            .lines
            .iter()
            .filter(|l| !l.cancelled)
            .map(|l| l.partner_id.clone())
            .collect();
        partners.sort();
        partners.dedup();
        partners
    }

    /// The day the last parcel arrived, from which Cisco's 60 days and SMARTnet's five years run.
    pub fn delivered_on(&self) -> Option<chrono::NaiveDate> {
        self.shipments.iter().filter_map(|s| s.delivered_on).max()
    }
}
