//! What the directory and the 360 page send to the browser.

use crate::invoice::VatStatus;
use crate::org::model::{Country, EligibilityStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Organisations on one page of the directory.
pub const DIRECTORY_PAGE: u32 = 25;

/// How many of each list the 360 page shows (the newest first), with the total beside.
pub const OVERVIEW_LIMIT: i64 = 50;

/// The directory's search and filters, as they stand in the page's query string. Empty
/// strings and `None` filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryQuery {
    /// Name, enterprise number, person, e-mail, city, order reference, invoice number or
    /// validation token code.
    #[serde(default)]
    pub q: Option<String>,
    /// Eligibility state (`pending`, `info_requested`, `eligible`, `rejected`).
    #[serde(default)]
    pub status: Option<String>,
    /// Qualified for this partner (its id).
    #[serde(default)]
    pub partner: Option<String>,
    /// `BE` or `LU`.
    #[serde(default)]
    pub country: Option<String>,
    /// VAT status (`none`, `exempt`, `franchise`, `taxable`, `mixed`).
    #[serde(default)]
    pub vat: Option<String>,
    /// From 1.
    #[serde(default)]
    pub page: Option<u32>,
}

impl DirectoryQuery {
    /// The query string of this search without its page (`q=…&status=…`), for page links.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("q", &self.q),
            ("status", &self.status),
            ("partner", &self.partner),
            ("country", &self.country),
            ("vat", &self.vat),
        ] {
            if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                parts.push(format!("{key}={}", encode(value)));
            }
        }
        parts.join("&")
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters stay as they are).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One organisation in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub organisation_id: String,
    pub legal_name: String,
    /// As people write it (`0123.456.749`).
    pub enterprise_number: String,
    pub country: Country,
    pub postal_code: String,
    pub city: String,
    pub eligibility_status: EligibilityStatus,
    pub vat_status: VatStatus,
    pub holder_name: Option<String>,
}

/// A page of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryListing {
    pub items: Vec<DirectoryEntry>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// Every partner (id, name), for the qualification filter.
    pub partners: Vec<(String, String)>,
}

/// An order on the 360 page, with its invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewOrder {
    pub order_id: String,
    pub reference: String,
    pub category: String,
    pub status: String,
    pub submitted_at: DateTime<Utc>,
    pub invoice_id: Option<String>,
    /// `2026-000123`.
    pub invoice_number: Option<String>,
    pub total_cents: Option<i64>,
}

/// A credit note on the 360 page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewCreditNote {
    pub credit_note_id: String,
    pub number: Option<String>,
    pub invoice_id: String,
    pub order_id: String,
    pub kind: String,
    pub issued_on: Option<String>,
}

/// A validation token on the 360 page. Its code is not shown whole: staff find an
/// organisation by a code, they need not copy one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewToken {
    pub token_id: String,
    /// The code's first eight characters.
    pub code_start: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub partner_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
}

/// A change request on the 360 page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewChange {
    pub change_request_id: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
}

/// An audit entry about the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewEvent {
    pub occurred_at: DateTime<Utc>,
    pub action: String,
    pub actor_name: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Everything about one organisation beside its file (the file, documents, qualifications
/// and members come with the review sections of the same page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationOverview {
    pub organisation_id: String,
    pub legal_name: String,
    pub orders: Vec<OverviewOrder>,
    pub orders_total: i64,
    pub credit_notes: Vec<OverviewCreditNote>,
    pub tokens: Vec<OverviewToken>,
    pub tokens_total: i64,
    pub change_requests: Vec<OverviewChange>,
    /// Qualification changes, newest first (from the audit trail).
    pub qualification_history: Vec<OverviewEvent>,
    /// The newest audit entries about the organisation.
    pub audit: Vec<OverviewEvent>,
    pub audit_total: i64,
    /// The appeal waiting for staff, if any.
    pub appeal: Option<String>,
}
