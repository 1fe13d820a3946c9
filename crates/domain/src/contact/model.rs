//! What the contact form and the staff inbox exchange with the browser.

use serde::{Deserialize, Serialize};

/// Conversations per page of the staff inbox.
pub const PAGE_SIZE: i64 = 25;

/// What a message is about ("Sujet de votre demande"): helps staff route it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Topic {
    /// "Le programme"
    Programme,
    /// "Éligibilité"
    Eligibility,
    /// "Une commande"
    Order,
    /// "Facture ou paiement"
    Invoice,
    /// "Un partenaire"
    Partner,
    /// "Autre chose"
    Other,
}

impl Topic {
    pub const ALL: [Topic; 6] = [
        Self::Programme,
        Self::Eligibility,
        Self::Order,
        Self::Invoice,
        Self::Partner,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Programme => "programme",
            Self::Eligibility => "eligibility",
            Self::Order => "order",
            Self::Invoice => "invoice",
            Self::Partner => "partner",
            Self::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }
}

/// The contact form as posted. Name and e-mail are read only from anonymous senders: a
/// logged-in person's come from the account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub message: String,
}

/// Which conversations the inbox lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusFilter {
    Open,
    Closed,
    All,
}

impl StatusFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::All => "all",
        }
    }

    /// `closed`, `all`, or `open` for anything else (the default view).
    pub fn parse(value: &str) -> Self {
        match value {
            "closed" => Self::Closed,
            "all" => Self::All,
            _ => Self::Open,
        }
    }
}

/// One line of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub conversation_id: String,
    pub subject: String,
    pub topic: String,
    pub sender_name: String,
    pub sender_email: String,
    /// The organisation of a logged-in sender.
    pub organisation: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    pub assigned_to: Option<String>,
    pub messages: i64,
    /// RFC 3339: the last message.
    pub updated_at: String,
}

/// One page of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<ConversationSummary>,
    /// Conversations matching the filter, over every page.
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub page_size: i64,
    /// Open conversations, whatever the filter.
    pub open_total: i64,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactMessage {
    pub message_id: String,
    /// `incoming` (from the sender) or `outgoing` (staff's answer, e-mailed).
    pub direction: String,
    /// Staff's name for an answer; the sender's name for a message.
    pub author: String,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
}

/// A staff member a conversation can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub person_id: String,
    pub full_name: String,
}

/// A conversation as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub conversation_id: String,
    pub subject: String,
    pub topic: String,
    pub sender_name: String,
    pub sender_email: String,
    /// The sender's account, when logged in.
    pub person_id: Option<String>,
    pub organisation_id: Option<String>,
    pub organisation: Option<String>,
    /// `fr`, `nl` or `en`: the page's language when it was sent; answers go out in it.
    pub language: String,
    /// `open` or `closed`.
    pub status: String,
    pub assigned_to_id: Option<String>,
    pub assigned_to: Option<String>,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub messages: Vec<ContactMessage>,
    /// Who it can be assigned to.
    pub staff: Vec<Assignee>,
}
