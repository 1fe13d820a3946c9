//! What the audit trail's page, server function and CSV export exchange.

use serde::{Deserialize, Serialize};

/// Audit events listed per page.
pub const AUDIT_PAGE_SIZE: u32 = 50;
/// The most rows one CSV export holds (the newest are kept out first: narrow the filter).
pub const AUDIT_EXPORT_LIMIT: i64 = 100_000;
/// The longest free-text search or actor filter, in characters.
pub const AUDIT_TEXT_MAX: usize = 200;

/// Staff's filter, as the page's query string carries it (`?action=…&from=2026-11-01`).
/// Empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// Words found in the entity id or in the data before or after (case ignored).
    pub q: String,
    /// An exact action (`help.question_edited`).
    pub action: String,
    /// An exact entity type (`organisation`).
    pub entity_type: String,
    /// Part of the actor's name or e-mail.
    pub actor: String,
    /// First day (YYYY-MM-DD, UTC), inclusive.
    pub from: String,
    /// Last day (YYYY-MM-DD, UTC), inclusive.
    pub to: String,
    /// From 1.
    pub page: u32,
}

impl AuditFilter {
    /// The filter as a query string (without `page`), for links to other pages and the export.
    pub fn query_string(&self) -> String {
        let pairs = [
            ("q", &self.q),
            ("action", &self.action),
            ("entity_type", &self.entity_type),
            ("actor", &self.actor),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters kept).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One audit event as staff read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub audit_event_id: String,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    /// `None`: the system (imports, background work, demo data).
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// JSON text, as recorded.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A page of the audit trail, newest first, with what the filter's lists offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    /// Every action and entity type recorded so far, for the filter's lists.
    pub actions: Vec<String>,
    pub entity_types: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_keeps_only_what_is_set_and_encodes_it() {
        let filter = AuditFilter {
            q: "rue de l'été".into(),
            action: "help.question_edited".into(),
            from: "2026-11-01".into(),
            page: 3,
            ..Default::default()
        };
        assert_eq!(
            filter.query_string(),
            "q=rue%20de%20l%27%C3%A9t%C3%A9&action=help.question_edited&from=2026-11-01"
        );
        assert_eq!(AuditFilter::default().query_string(), "");
    }
}
