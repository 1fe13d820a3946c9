//! Reads a bank statement file whatever its format: camt.053 or CODA. A module of its own,
//! above both parsers, so that they share [`super::statement`]'s types without a circle.

use std::fmt;

use super::camt::{self, CamtError, MAX_BYTES};
use super::coda::{self, CodaError};
use super::statement::Statement;

/// Why an uploaded statement could not be read, whatever its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementError {
    /// The input is larger than [`MAX_BYTES`].
    TooLarge,
    /// Neither a camt.053 document nor a CODA file (e.g. a PDF, a CSV, another camt message).
    NotAStatement,
    /// A camt.053 or CODA statement with a missing, malformed or inconsistent part; the string
    /// says which (a camt path such as `"Ntry[3]/Amt"`, or `"line N: …"` for CODA).
    Invalid(String),
    /// Looked like camt.053 but is not well-formed XML (or uses a refused feature such as a DTD).
    Xml(String),
}

impl StatementError {
    /// The error code shown to the person who uploaded the file: `file_too_large`,
    /// `not_a_statement` or `statement_invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            StatementError::TooLarge => "file_too_large",
            StatementError::NotAStatement => "not_a_statement",
            StatementError::Invalid(_) | StatementError::Xml(_) => "statement_invalid",
        }
    }
}

impl fmt::Display for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatementError::TooLarge => write!(f, "statement larger than {MAX_BYTES} bytes"),
            StatementError::NotAStatement => f.write_str("neither a camt.053 nor a CODA statement"),
            StatementError::Invalid(what) => write!(f, "invalid statement: {what}"),
            StatementError::Xml(msg) => write!(f, "not well-formed XML: {msg}"),
        }
    }
}

impl std::error::Error for StatementError {}

impl From<CamtError> for StatementError {
    fn from(error: CamtError) -> Self {
        match error {
            CamtError::TooLarge => StatementError::TooLarge,
            CamtError::NotCamt053 => StatementError::NotAStatement,
            CamtError::Invalid(what) => StatementError::Invalid(what),
            CamtError::Xml(msg) => StatementError::Xml(msg),
        }
    }
}

impl From<CodaError> for StatementError {
    fn from(error: CodaError) -> Self {
        match error {
            CodaError::TooLarge => StatementError::TooLarge,
            CodaError::NotCoda => StatementError::NotAStatement,
            CodaError::Invalid(what) => StatementError::Invalid(what),
        }
    }
}

/// The formats [`parse`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Camt053,
    Coda,
}

/// Which format `text` is in: camt.053 when its first non-blank character (after an optional byte
/// order mark) is `<`, CODA when its first non-blank line starts with `0` and is 128 characters
/// long ([`coda::looks_like_coda`]), else `None`.
pub fn detect(text: &str) -> Option<Format> {
    let trimmed = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    if trimmed.starts_with('<') {
        Some(Format::Camt053)
    } else if coda::looks_like_coda(text) {
        Some(Format::Coda)
    } else {
        None
    }
}

/// Reads a bank statement in either format ([`detect`]). Inputs larger than [`MAX_BYTES`] are
/// refused before anything else.
pub fn parse(text: &str) -> Result<Statement, StatementError> {
    if text.len() > MAX_BYTES {
        return Err(StatementError::TooLarge);
    }
    match detect(text) {
        Some(Format::Camt053) => Ok(camt::parse(text.strip_prefix('\u{feff}').unwrap_or(text))?),
        Some(Format::Coda) => Ok(coda::parse(text)?),
        None => Err(StatementError::NotAStatement),
    }
}
