//! The bank statement as the payment import reads it, whatever format the bank delivered:
//! ISO 20022 camt.053 ([`super::camt`]) or Febelfin CODA ([`super::coda`]). [`parse`] tells the
//! two apart and reads either.
//!
//! The field documentation below describes where each value comes from in a camt.053 document;
//! [`super::coda`] documents its own mapping.

use std::fmt;

use chrono::NaiveDate;

use super::camt::{self, CamtError, MAX_BYTES};
use super::coda::{self, CodaError};

/// A parsed bank statement (or several statements of one document, merged).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Statement {
    /// `Stmt/Id`. When the document holds several `Stmt` elements: the first one's `Id` joined
    /// with `"+"` to the others' (e.g. `"A+B"`).
    pub statement_id: String,
    /// `Stmt/Acct/Id/IBAN`, if present (whitespace removed). With several statements, the first
    /// one that has an IBAN.
    pub account_iban: Option<String>,
    /// One item per booked bank transaction, in document order (a batch entry contributes one item
    /// per `TxDtls`). Entries whose status (`Ntry/Sts`) is `PDNG`, `INFO` or `FUTR` are skipped.
    pub entries: Vec<StatementEntry>,
}

/// One bank transaction of a statement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StatementEntry {
    /// A key unique per bank transaction, stable across re-imports of the same statement: the
    /// transaction's `TxDtls/Refs/AcctSvcrRef`, else the entry's `Ntry/AcctSvcrRef` (suffixed with
    /// `":<tx index>"` when the entry holds several transactions), else the entry's `Ntry/NtryRef`
    /// (same suffix rule), else `"<statement_id>:<entry index>:<tx index>"`. Indexes are 1-based
    /// positions in the document (`<statement_id>` is the `Id` of the `Stmt` holding the entry).
    pub bank_reference: String,
    /// `Ntry/BookgDt/Dt` (or the date part of `Ntry/BookgDt/DtTm`, as written, without time-zone
    /// conversion); falls back to `Ntry/ValDt` when `BookgDt` is absent.
    pub booked_on: NaiveDate,
    /// Amount in cents of the currency, exact (parsed from the decimal string, never via floats).
    /// For a batch entry with several `TxDtls`, each transaction's own amount (`TxDtls/Amt` or
    /// `TxDtls/AmtDtls/TxAmt/Amt`); for a single transaction, the entry's `Ntry/Amt`.
    /// Always non-negative: the direction is in [`StatementEntry::credit`].
    pub amount_cents: i64,
    /// The `Ccy` attribute of the amount (ISO 4217 code, e.g. `"EUR"`).
    pub currency: String,
    /// `CdtDbtInd == CRDT` (the transaction's own `TxDtls/CdtDbtInd` for a batch when present,
    /// else the entry's). Reversals (`Ntry/RvslInd` = true) count as not credit.
    pub credit: bool,
    /// The remittance information: `RmtInf/Strd/CdtrRefInf/Ref` when present (the structured
    /// communication, e.g. `"123456789012"` or `"+++123/4567/89012+++"`), else the `RmtInf/Ustrd`
    /// lines joined with a space, else `None`. Returned as written (not normalised or validated).
    pub communication: Option<String>,
    /// `TxDtls/RltdPties/Dbtr/Nm` (or `TxDtls/RltdPties/Dbtr/Pty/Nm` in v08).
    pub debtor_name: Option<String>,
    /// `TxDtls/RltdPties/DbtrAcct/Id/IBAN` (whitespace removed).
    pub debtor_iban: Option<String>,
}

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
