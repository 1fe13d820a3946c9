//! The outbox as staff see it.

use serde::{Deserialize, Serialize};

/// One message of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    /// `pending`, `sending`, `sent` or `failed` (a dead letter: given up on, see `last_error`).
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// When a pending message that failed is tried again (RFC 3339).
    pub next_attempt_at: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// A page of the outbox, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub messages: Vec<OutboxMessage>,
    pub page: u32,
    pub total: i64,
    pub per_page: u32,
    /// Dead letters in the whole outbox (messages given up on).
    pub dead_letters: i64,
    /// Whether an SMTP server is configured (otherwise mail waits here).
    pub smtp_configured: bool,
}
