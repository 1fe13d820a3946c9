//! The bank statement as the payment import reads it, whatever format the bank delivered:
//! ISO 20022 camt.053 ([`super::camt`]) or Febelfin CODA ([`super::coda`]);
//! [`super::reader::parse`] tells the two apart and reads either.
//!
//! The field documentation below describes where each value comes from in a camt.053 document;
//! [`super::coda`] documents its own mapping.

use chrono::NaiveDate;

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
