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
    /// Staff: one work queue ("refunds", "unpaid"…), on top of the other filters.
    #[serde(default)]
    pub queue: Option<OrderQueue>,
    /// Staff: an order reference / transaction number, an invoice or credit-note number, or a
    /// structured communication, in any spelling ([`parse_order_search`]).
    #[serde(default)]
    pub search: Option<String>,
}

/// The staff work queues of `/admin/orders?queue=…`: what staff must act on, beside the
/// status filters. The dashboard's counts are these queues' counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderQueue {
    /// Orders with a refund request waiting for a decision.
    Refunds,
    /// Orders cancelled (by the organisation or staff, not by expiry) in the last
    /// [`CANCELLATIONS_DAYS`] days: the partner may have to be told, money may be due back.
    Cancellations,
    /// Orders whose invoice holds more money than it asks for (paid twice, paid then
    /// credited): money to pay back, as the refund queue of `/admin/refunds` counts it.
    Overpayments,
    /// Submitted orders whose invoice is not paid yet, oldest first (with their age).
    Unpaid,
    /// Open Cisco orders waiting for the partner's approval, oldest first.
    AwaitingApproval,
}

/// How far back the cancellations queue looks.
pub const CANCELLATIONS_DAYS: i64 = 30;

impl OrderQueue {
    pub const ALL: [OrderQueue; 5] = [
        OrderQueue::Refunds,
        OrderQueue::Cancellations,
        OrderQueue::Overpayments,
        OrderQueue::Unpaid,
        OrderQueue::AwaitingApproval,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderQueue::Refunds => "refunds",
            OrderQueue::Cancellations => "cancellations",
            OrderQueue::Overpayments => "overpayments",
            OrderQueue::Unpaid => "unpaid",
            OrderQueue::AwaitingApproval => "awaiting_approval",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.as_str() == value)
    }

    /// Queues are worked through oldest first; the plain lists show the newest first.
    pub fn oldest_first(self) -> bool {
        !matches!(self, OrderQueue::Cancellations)
    }
}

/// What an order search names, once its spelling is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderSearch {
    /// `DON-2026-000123`, the transaction number ("numéro de transaction") of "Mes demandes"
    /// — the same year and number as its invoice's `2026-000123`.
    Reference { year: i32, number: i64 },
    /// `NC-2026-000007`.
    CreditNote { year: i32, number: i64 },
    /// The 12 digits of `+++202/6000/12345+++`.
    Communication(String),
}

/// Longest search accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 64;

/// Reads an order reference, invoice number, credit-note number or structured communication
/// as people type them: any case, with or without dashes, spaces, dots, slashes or plus signs,
/// with or without leading zeros (`don 2026 123`, `DON2026000123`, `2026-000123`,
/// `nc-2026-7`, `+++202/6000/12345+++`). `None` when it is none of them.
pub fn parse_order_search(input: &str) -> Option<OrderSearch> {
    let text = input.trim();
    if text.is_empty() || text.chars().count() > MAX_SEARCH_CHARS {
        return None;
    }
    let upper = text.to_uppercase();
    let body = upper.trim_start_matches(|c: char| !c.is_alphanumeric());
    let prefix: String = body.chars().take_while(char::is_ascii_alphabetic).collect();
    let rest = &body[prefix.len()..];
    let separator = |c: char| matches!(c, ' ' | '-' | '/' | '.' | '+' | '_' | '\t');
    if !rest.chars().all(|c| c.is_ascii_digit() || separator(c)) {
        return None;
    }
    let groups: Vec<&str> = rest.split(separator).filter(|g| !g.is_empty()).collect();
    let digits: String = groups.concat();
    if prefix.is_empty() && digits.len() == 12 {
        return crate::invoice::StructuredCommunication::parse(&digits).map(|c| OrderSearch::Communication(c.digits()));
    }
    let (year, number) = match groups.as_slice() {
        [] => return None,
        [single] if (5..=10).contains(&single.len()) => single.split_at(4),
        [year, number] => (*year, *number),
        _ => return None,
    };
    if year.len() != 4 || number.is_empty() || number.len() > 6 {
        return None;
    }
    let year: i32 = year.parse().ok().filter(|y| (2000..=2999).contains(y))?;
    let number: i64 = number.parse().ok().filter(|n| *n > 0)?;
    match prefix.as_str() {
        "" | "DON" => Some(OrderSearch::Reference { year, number }),
        "NC" => Some(OrderSearch::CreditNote { year, number }),
        _ => None,
    }
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
    /// Brought over by the migration import: a past order of the previous programme, with
    /// its legacy reference and no invoice here.
    #[serde(default)]
    pub imported: bool,
    #[serde(default)]
    pub organisation_id: String,
    /// Refund requests waiting for staff on this order (staff lists mark them).
    #[serde(default)]
    pub pending_refunds: i64,
    /// Whole days since it was submitted, when listed (the unpaid queue shows the age).
    #[serde(default)]
    pub age_days: i64,
}

/// A page of orders and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderList {
    pub orders: Vec<OrderSummary>,
    pub total: i64,
    /// Staff queues: how many orders are in each open status ([`OrderStatus::OPEN`]),
    /// whatever the filter. Closed statuses are not counted.
    pub counts: Vec<(OrderStatus, i64)>,
    /// Staff: how many orders each work queue holds, whatever the filter.
    #[serde(default)]
    pub queues: Vec<(OrderQueue, i64)>,
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
    /// Brought over by the migration import (no invoice here).
    #[serde(default)]
    pub imported: bool,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(year: i32, number: i64) -> Option<OrderSearch> {
        Some(OrderSearch::Reference { year, number })
    }

    #[test]
    fn references_read_in_every_spelling() {
        for typed in [
            "DON-2026-000123",
            "don-2026-000123",
            "DON2026000123",
            "don 2026 000123",
            " Don-2026-123 ",
            "2026-000123",
            "2026000123",
            "2026 123",
            "DON.2026.000123",
            "don_2026_000123",
        ] {
            assert_eq!(parse_order_search(typed), reference(2026, 123), "{typed}");
        }
    }

    #[test]
    fn credit_notes_and_communications() {
        assert_eq!(
            parse_order_search("nc-2026-7"),
            Some(OrderSearch::CreditNote { year: 2026, number: 7 })
        );
        assert_eq!(
            parse_order_search("NC2026000007"),
            Some(OrderSearch::CreditNote { year: 2026, number: 7 })
        );
        let communication = crate::invoice::StructuredCommunication::from_base(2_026_000_123).unwrap();
        for typed in [communication.to_string(), communication.digits()] {
            assert_eq!(
                parse_order_search(&typed),
                Some(OrderSearch::Communication(communication.digits())),
                "{typed}"
            );
        }
        // Twelve digits whose check digits fail are nothing.
        let wrong = format!(
            "{}{:02}",
            &communication.digits()[..10],
            (communication.digits()[10..].parse::<u8>().unwrap() + 1) % 97
        );
        assert_eq!(parse_order_search(&wrong), None);
    }

    #[test]
    fn hostile_or_meaningless_input_is_nothing() {
        for typed in [
            "",
            "   ",
            "%",
            "_",
            "DON-%",
            "' or 1=1 --",
            "DON-2026-0001234",
            "XYZ-2026-000123",
            "DON-1999-000001",
            "DON-2026-000000",
            "2026",
            "DON-2026",
            "2026-12-31-1",
            "\u{0}",
            "DON-２０２６-000123",
        ] {
            assert_eq!(parse_order_search(typed), None, "{typed:?}");
        }
        assert_eq!(parse_order_search(&"9".repeat(MAX_SEARCH_CHARS + 1)), None);
    }

    #[test]
    fn queues_round_trip() {
        for queue in OrderQueue::ALL {
            assert_eq!(OrderQueue::parse(queue.as_str()), Some(queue));
        }
        assert_eq!(OrderQueue::parse("nope"), None);
    }
}
