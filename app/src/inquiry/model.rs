//! The staff view of the public questions, shared with the browser.

use serde::{Deserialize, Serialize};

/// Questions per page of the staff list.
pub const PAGE_SIZE: i64 = 25;
/// Longest answer accepted (it goes out as one e-mail).
pub const MAX_ANSWER_CHARS: usize = 5000;
/// Longest search text.
pub const MAX_SEARCH_CHARS: usize = 200;

/// The answers staff start from. The text is prefilled in the inquirer's language and edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerTemplate {
    /// The organisation has an account: ask its account holder, or use "Mot de passe oublié".
    /// Names nobody and no address of the account.
    Registered,
    /// No account: register at /register.
    NotRegistered,
    /// Staff cannot tell from what was sent: ask for the exact name, number and address.
    NeedInfo,
    /// Staff write it all.
    Free,
}

impl AnswerTemplate {
    pub const ALL: [AnswerTemplate; 4] = [Self::Registered, Self::NotRegistered, Self::NeedInfo, Self::Free];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::NotRegistered => "not_registered",
            Self::NeedInfo => "need_info",
            Self::Free => "free",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }
}

/// Which questions the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InquiryStatus {
    Open,
    Answered,
}

impl InquiryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Answered => "answered",
        }
    }

    /// `open` (also the default for anything else) or `answered`.
    pub fn parse(value: &str) -> Self {
        if value == "answered" {
            Self::Answered
        } else {
            Self::Open
        }
    }
}

/// The registered organisation a question's enterprise number matches (staff only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedOrganisation {
    pub organisation_id: String,
    pub legal_name: String,
}

/// The answer that closed a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryAnswer {
    /// An [`AnswerTemplate`] name.
    pub template: String,
    /// The text e-mailed.
    pub text: String,
    /// The staff member who answered.
    pub answered_by: String,
    /// RFC 3339.
    pub answered_at: String,
}

/// One question as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInquiry {
    pub inquiry_id: String,
    pub organisation_name: String,
    pub enterprise_number: String,
    pub address: String,
    pub reply_email: String,
    /// `fr`, `nl` or `en`: the page's language when it was asked; the answer is written in it.
    pub language: String,
    /// RFC 3339.
    pub created_at: String,
    /// `open` or `answered`.
    pub status: String,
    /// The registered organisation's name (kept for the older callers of the list).
    pub registered_match: Option<String>,
    pub matched: Option<MatchedOrganisation>,
    pub answer: Option<InquiryAnswer>,
}

/// One page of the staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryListing {
    pub items: Vec<StaffInquiry>,
    /// Questions matching the filter and search, over every page.
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub page_size: i64,
    /// Open questions, whatever the filter: the count staff have to answer.
    pub open_total: i64,
    /// The site's address, for the links the templates write.
    pub site: String,
}

/// Checks the answer's text: required, at most [`MAX_ANSWER_CHARS`]. Line breaks are kept,
/// other control characters refused.
pub fn validate_answer(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        Err("required")
    } else if text.chars().count() > MAX_ANSWER_CHARS {
        Err("too_long")
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err("invalid_characters")
    } else {
        Ok(text.replace("\r\n", "\n"))
    }
}
