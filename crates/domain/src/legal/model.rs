//! What the legal pages and their editor exchange with the browser.

use serde::{Deserialize, Serialize};

/// A legal page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LegalPage {
    /// "Conditions générales de vente" (`/terms`).
    Terms,
    /// "Protection de la vie privée" (`/privacy`).
    Privacy,
}

impl LegalPage {
    pub const ALL: [LegalPage; 2] = [Self::Terms, Self::Privacy];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Terms => "terms",
            Self::Privacy => "privacy",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == value)
    }
}

/// The languages a legal text is written in.
pub const LANGUAGES: [&str; 3] = ["fr", "nl", "en"];

/// A legal page in one language, as the public reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalText {
    /// `terms` or `privacy`.
    pub page: String,
    /// `fr`, `nl` or `en`.
    pub language: String,
    /// Blocks separated by a blank line; `## ` starts a heading; links `[label](/path)`.
    pub body: String,
    /// RFC 3339: when it last changed (the shipped text's load, or an admin's edit).
    pub updated_at: String,
    /// The admin who last edited it; `None` for the shipped text.
    pub updated_by: Option<String>,
}

/// The shipped texts (`app/src/legal/content.json`): page → language → text.
#[derive(Debug, Clone, Deserialize)]
pub struct ShippedLegal {
    pub terms: ShippedPage,
    pub privacy: ShippedPage,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShippedPage {
    pub fr: String,
    pub nl: String,
    pub en: String,
}
