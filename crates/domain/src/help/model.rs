//! What the help centre's pages and server functions exchange.

use serde::{Deserialize, Serialize};

/// A question and its answer, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpQuestion {
    pub question_id: String,
    pub section_id: String,
    pub question: String,
    /// Paragraphs separated by a blank line; links written `[label](/path)`.
    pub answer: String,
}

/// A section of the help centre with its questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpSection {
    pub section_id: String,
    pub title: String,
    pub questions: Vec<HelpQuestion>,
}

/// The help centre in one language: every section, and the hits of a search when there was
/// one (best first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpCentre {
    pub sections: Vec<HelpSection>,
    pub hits: Option<Vec<HelpQuestion>>,
}

/// One question in the three languages, as staff edit it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpTexts {
    pub question_fr: String,
    pub question_nl: String,
    pub question_en: String,
    pub answer_fr: String,
    pub answer_nl: String,
    pub answer_en: String,
}

/// A question as staff see it in the editor's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpEntry {
    pub question_id: String,
    pub section_id: String,
    pub section_title: String,
    pub texts: HelpTexts,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The shipped help content (`content.json`): sections with questions in fr, nl and en.
#[derive(Debug, Clone, Deserialize)]
pub struct ShippedHelp {
    pub sections: Vec<ShippedSection>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShippedSection {
    pub slug: String,
    pub position: i32,
    pub title: Translated,
    pub questions: Vec<ShippedQuestion>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShippedQuestion {
    pub slug: String,
    pub position: i32,
    pub question: Translated,
    pub answer: Translated,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Translated {
    pub fr: String,
    pub nl: String,
    pub en: String,
}
