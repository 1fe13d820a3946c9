//! Parser for Febelfin **CODA** ("Coded statement of account", version 2.x) bank statements.
//!
//! A CODA file is a sequence of fixed-width records of 128 characters, one per line (CRLF or LF,
//! a trailing newline or blank lines are ignored). Positions below are 1-based and inclusive, as
//! the Febelfin specification writes them. The records read:
//!
//! ```text
//! 0    header        6-11 creation date DDMMYY, 128 version code ("2")
//! 1    old balance   2 account structure (0 Belgian number, 1 foreign number, 2 Belgian IBAN,
//!                    3 foreign IBAN), 3-5 statement sequence number, 6-42 account and currency,
//!                    43 sign (0 credit, 1 debit), 44-58 old balance (3 decimals)
//! 2.1  movement      3-6 movement sequence number, 7-10 detail number, 11-31 bank reference,
//!                    32 sign, 33-47 amount (3 decimals), 54-61 transaction code,
//!                    62 communication type (0 free, 1 structured), 63-115 communication
//!                    (structured: 63-65 type, 101/102 = 66-77 the 12-digit Belgian structured
//!                    communication), 116-121 entry date, 125 globalisation code
//! 2.2  movement      11-63 communication continued, 99-109 counterparty BIC (not kept)
//! 2.3  movement      11-44 counterparty account (IBAN), 48-82 counterparty name,
//!                    83-125 communication continued
//! 3.x  information   counted, otherwise skipped
//! 4    free text     counted, otherwise skipped
//! 8    new balance   42 sign, 43-57 new balance, 58-63 date DDMMYY
//! 9    trailer       17-22 number of records 1 to 8, 23-37 debit total, 38-52 credit total
//! ```
//!
//! A file may hold several statements (0 … 9 blocks, e.g. one per account): their entries are
//! merged as [`super::camt::parse`] merges several `Stmt` elements.
//!
//! **Checks.** Every line must be 128 characters (characters, not bytes); records must come in
//! order (0, 1, 2/3/4, 8, 9); the trailer's record count and debit and credit totals must match
//! the movements, and the new balance must equal the old balance plus the movements, or the file
//! is refused as [`CodaError::Invalid`]. The totals count the booked movements (detail number
//! 0000), not their details, which repeat the booked amount split up.
//!
//! **Amounts** are read as integers. CODA writes three decimals; an amount of a movement whose
//! third decimal is not zero (a tenth of a cent) cannot be a euro transfer and is refused rather
//! than rounded.
//!
//! **Grouped lines.** A bank may book several transfers as one line: the booked ("global")
//! movement, detail number 0000, is followed by its details (same sequence number, detail number
//! 0001, 0002, …). The details are emitted, each with its own amount, communication and
//! counterparty, and the global is not, so each invoice gets its own payment. The details must add
//! up to the global amount; a file where they do not (for instance a multi-level globalisation,
//! whose details are themselves globals) is refused rather than read twice. A movement without
//! details is emitted as itself.
//!
//! **Entries.**
//! - `bank_reference`: `CODA:<account>:<year>-<statement seq>:<movement seq>:<detail>`, followed
//!   by `:<bank reference>` when the movement's bank reference field is not blank. `<year>` is the
//!   year of the new balance date (statement sequence numbers restart every year, and the key
//!   must stay unique in the payments table); the creation date is not used because a duplicate
//!   delivery of the same statement may be created on another day.
//! - `booked_on`: the movement's entry date. `currency`: the account's, from record 1.
//! - `credit`: sign 0. Debits are emitted too, with `credit: false`.
//! - `communication`: the 12 digits of a structured communication of type 101 or 102; `None` for
//!   other structured types; free text otherwise (2.1, 2.2 and 2.3 parts joined, runs of spaces
//!   folded, `None` when blank).
//! - `debtor_name`, `debtor_iban`: the counterparty of record 2.3, for credits only (on a debit,
//!   the counterparty is the payee, not a debtor). The IBAN only when the account looks like one.
//!
//! `statement_id`: `CODA:<account>:<statement seq>:<creation date YYYY-MM-DD>`; `account_iban`:
//! the account of record 1 when its structure is an IBAN (2 or 3).
//!
//! The parser never panics (lines are handled as characters, every lookup is checked) and refuses
//! inputs larger than [`MAX_BYTES`] up front.

use std::collections::HashSet;
use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::camt::MAX_BYTES;
use super::statement::{Statement, StatementEntry};

/// Length of a CODA record, in characters.
pub const RECORD_CHARS: usize = 128;

/// Why a CODA file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodaError {
    /// The input does not start with a CODA header record (`0`), or holds no record at all.
    NotCoda,
    /// A record is malformed, out of order or inconsistent; the string says where and what, always
    /// starting with `"line N"` (1-based physical line), e.g. `"line 3: 127 characters, not 128"`.
    Invalid(String),
    /// The input is larger than [`MAX_BYTES`].
    TooLarge,
}

impl fmt::Display for CodaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodaError::NotCoda => f.write_str("not a CODA statement (no header record)"),
            CodaError::Invalid(what) => write!(f, "invalid CODA statement: {what}"),
            CodaError::TooLarge => write!(f, "CODA file larger than {MAX_BYTES} bytes"),
        }
    }
}

impl std::error::Error for CodaError {}

/// Whether `text` looks like a CODA file: its first non-blank line (after an optional byte order
/// mark) starts with `0` and is [`RECORD_CHARS`] characters long.
pub fn looks_like_coda(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .find(|line| !line.trim().is_empty())
        .is_some_and(|line| line.starts_with('0') && line.chars().count() == RECORD_CHARS)
}

/// Parses a CODA file (one or several statements) into a [`Statement`].
pub fn parse(text: &str) -> Result<Statement, CodaError> {
    if text.len() > MAX_BYTES {
        return Err(CodaError::TooLarge);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut open: Option<Open> = None;
    let mut last_line = 0;
    let mut seen_any = false;
    for (index, raw) in text.split('\n').enumerate() {
        let no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        if !seen_any && !line.starts_with('0') {
            return Err(CodaError::NotCoda);
        }
        seen_any = true;
        last_line = no;
        let chars: Vec<char> = line.chars().collect();
        if chars.len() != RECORD_CHARS {
            return Err(invalid(no, &format!("{} characters, not {RECORD_CHARS}", chars.len())));
        }
        let record = Record { no, chars: &chars };
        match (record.at(1), open.as_mut()) {
            ('0', None) => open = Some(Open::header(&record)?),
            ('0', Some(_)) => return Err(record.err("header record before the trailer (9) of the previous statement")),
            (_, None) => return Err(record.err("record outside a statement (no header record 0 before it)")),
            ('9', Some(statement)) => {
                parsed.push(statement.close(&record)?);
                open = None;
            }
            (_, Some(statement)) => statement.record(&record)?,
        }
    }
    if !seen_any {
        return Err(CodaError::NotCoda);
    }
    if open.is_some() {
        return Err(invalid(last_line, "no trailer record (9) at the end"));
    }
    let mut ids = Vec::with_capacity(parsed.len());
    let mut account_iban = None;
    let mut entries = Vec::new();
    for statement in parsed {
        ids.push(statement.id);
        if account_iban.is_none() {
            account_iban = statement.iban;
        }
        entries.extend(statement.entries);
    }
    Ok(Statement {
        statement_id: ids.join("+"),
        account_iban,
        entries,
    })
}

fn invalid(no: usize, what: &str) -> CodaError {
    CodaError::Invalid(format!("line {no}: {what}"))
}

/// One line of exactly [`RECORD_CHARS`] characters.
struct Record<'a> {
    no: usize,
    chars: &'a [char],
}

impl Record<'_> {
    fn err(&self, what: &str) -> CodaError {
        invalid(self.no, what)
    }

    /// The character at 1-based position `pos` (a space when out of range, which a 128-character
    /// record never is).
    fn at(&self, pos: usize) -> char {
        pos.checked_sub(1)
            .and_then(|i| self.chars.get(i))
            .copied()
            .unwrap_or(' ')
    }

    /// Positions `from..=to` (1-based), as written.
    fn field(&self, from: usize, to: usize) -> String {
        from.checked_sub(1)
            .and_then(|start| self.chars.get(start..to))
            .map(|chars| chars.iter().collect())
            .unwrap_or_default()
    }

    /// Positions `from..=to`, trimmed; `None` when blank.
    fn text(&self, from: usize, to: usize) -> Option<String> {
        let text = self.field(from, to);
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    }

    /// An unsigned number written with digits only at `from..=to`.
    fn number(&self, from: usize, to: usize, what: &str) -> Result<u64, CodaError> {
        let field = self.field(from, to);
        if field.is_empty() || field.len() > 18 || !field.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.err(what));
        }
        field.parse().map_err(|_| self.err(what))
    }

    /// A signed amount in thousandths: sign at `sign` (0 credit, 1 debit), 15 digits from `from`.
    fn signed_amount(&self, sign: usize, from: usize, what: &str) -> Result<i128, CodaError> {
        let milli = i128::from(self.number(from, from + 14, what)?);
        match self.at(sign) {
            '0' => Ok(milli),
            '1' => Ok(-milli),
            _ => Err(self.err(&format!("{what} sign"))),
        }
    }

    /// A DDMMYY date at `from..from+5` (years 2000-2099).
    fn date(&self, from: usize, what: &str) -> Result<NaiveDate, CodaError> {
        let field = self.field(from, from + 5);
        let part = |range: std::ops::Range<usize>| -> Option<u32> {
            let digits = field.get(range)?;
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()
        };
        let date = match (part(0..2), part(2..4), part(4..6)) {
            (Some(day), Some(month), Some(year)) => i32::try_from(year)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(2000 + y, month, day)),
            _ => None,
        };
        date.ok_or_else(|| self.err(what))
    }
}

/// The account of record 1.
struct Account {
    /// Account number or IBAN, whitespace removed.
    number: String,
    is_iban: bool,
    currency: String,
    /// The statement sequence number, 3 digits as written.
    sequence: String,
}

/// The communication of a movement.
enum Communication {
    /// Structured: the 12 digits for types 101/102, `None` for other types.
    Structured(Option<String>),
    /// Free text, the parts of records 2.1, 2.2 and 2.3 concatenated as written.
    Free(String),
}

/// A movement (record 2.1 and its 2.2 / 2.3 continuations).
struct Movement {
    line: usize,
    sequence: String,
    detail: String,
    bank_reference: Option<String>,
    /// Amount in thousandths, negative for a debit.
    milli: i128,
    /// Sign 0 (kept apart from `milli` so that a zero debit stays a debit).
    credit: bool,
    entry_date: NaiveDate,
    communication: Communication,
    counterparty_account: Option<String>,
    counterparty_name: Option<String>,
    /// The article code of the last record read for this movement (1, 2 or 3).
    article: char,
}

impl Movement {
    fn is_detail(&self) -> bool {
        self.detail != "0000"
    }
}

/// A statement being read: header seen, trailer not yet.
struct Open {
    created_on: NaiveDate,
    account: Option<Account>,
    old_balance: i128,
    movements: Vec<Movement>,
    keys: HashSet<(String, String)>,
    new_balance: Option<(i128, NaiveDate)>,
    /// Records between the header and the trailer.
    records: u64,
}

/// A statement read completely.
struct Parsed {
    id: String,
    iban: Option<String>,
    entries: Vec<StatementEntry>,
}

impl Open {
    fn header(record: &Record) -> Result<Self, CodaError> {
        let created_on = record.date(6, "creation date")?;
        if record.at(128) != '2' {
            return Err(record.err("version code (only CODA 2.x is read)"));
        }
        Ok(Open {
            created_on,
            account: None,
            old_balance: 0,
            movements: Vec::new(),
            keys: HashSet::new(),
            new_balance: None,
            records: 0,
        })
    }

    /// A record between the header and the trailer.
    fn record(&mut self, record: &Record) -> Result<(), CodaError> {
        self.records += 1;
        match record.at(1) {
            '1' => self.old_balance(record),
            '2' | '3' | '4' | '8' if self.account.is_none() => {
                Err(record.err("record before the old balance record (1)"))
            }
            '2' | '3' | '4' if self.new_balance.is_some() => Err(record.err("record after the new balance record (8)")),
            '2' => self.movement(record),
            // Information (3.x) and free communication (4): counted, not read.
            '3' | '4' => Ok(()),
            '8' => self.new_balance(record),
            _ => Err(record.err("unknown record type")),
        }
    }

    fn old_balance(&mut self, record: &Record) -> Result<(), CodaError> {
        if self.account.is_some() || !self.movements.is_empty() {
            return Err(record.err("second old balance record (1) in a statement"));
        }
        let sequence = record.field(3, 5);
        if !sequence.bytes().all(|b| b.is_ascii_digit()) {
            return Err(record.err("statement sequence number"));
        }
        let (number, currency, is_iban) = match record.at(2) {
            '0' => (record.field(6, 17), record.field(19, 21), false),
            '1' => (record.field(6, 39), record.field(40, 42), false),
            '2' => (record.field(6, 21), record.field(28, 30), true),
            '3' => (record.field(6, 39), record.field(40, 42), true),
            _ => return Err(record.err("account structure")),
        };
        let number: String = number.chars().filter(|c| !c.is_whitespace()).collect();
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(record.err("account number"));
        }
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(record.err("currency"));
        }
        self.old_balance = record.signed_amount(43, 44, "old balance")?;
        self.account = Some(Account {
            number,
            is_iban,
            currency,
            sequence,
        });
        Ok(())
    }

    fn movement(&mut self, record: &Record) -> Result<(), CodaError> {
        let sequence = record.field(3, 6);
        let detail = record.field(7, 10);
        if !sequence.bytes().chain(detail.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(record.err("movement sequence or detail number"));
        }
        let article = record.at(2);
        if article == '1' {
            return self.movement_start(record, sequence, detail);
        }
        let Some(movement) = self.movements.last_mut() else {
            return Err(record.err("movement continuation without its record 2.1"));
        };
        if movement.sequence != sequence || movement.detail != detail {
            return Err(record.err("movement continuation for another movement than the one before it"));
        }
        match (article, movement.article) {
            ('2', '1') => {
                if let Communication::Free(text) = &mut movement.communication {
                    text.push_str(&record.field(11, 63));
                }
            }
            ('3', '1' | '2') => {
                movement.counterparty_account = record
                    .text(11, 44)
                    .map(|account| account.chars().filter(|c| !c.is_whitespace()).collect());
                movement.counterparty_name = record.text(48, 82);
                if let Communication::Free(text) = &mut movement.communication {
                    text.push_str(&record.field(83, 125));
                }
            }
            ('2' | '3', _) => return Err(record.err("movement records out of order")),
            _ => return Err(record.err("unknown movement record")),
        }
        movement.article = article;
        Ok(())
    }

    fn movement_start(&mut self, record: &Record, sequence: String, detail: String) -> Result<(), CodaError> {
        if !self.keys.insert((sequence.clone(), detail.clone())) {
            return Err(record.err("movement sequence and detail number repeated"));
        }
        let milli = record.signed_amount(32, 33, "amount")?;
        if milli % 10 != 0 {
            return Err(record.err("amount with a non-zero third decimal"));
        }
        let entry_date = record.date(116, "entry date")?;
        let communication = if record.at(62) == '1' {
            match record.field(63, 65).as_str() {
                "101" | "102" => Communication::Structured(record.text(66, 77)),
                _ => Communication::Structured(None),
            }
        } else {
            Communication::Free(record.field(63, 115))
        };
        self.movements.push(Movement {
            line: record.no,
            sequence,
            detail,
            bank_reference: record.text(11, 31),
            milli,
            credit: record.at(32) == '0',
            entry_date,
            communication,
            counterparty_account: None,
            counterparty_name: None,
            article: '1',
        });
        Ok(())
    }

    fn new_balance(&mut self, record: &Record) -> Result<(), CodaError> {
        if self.new_balance.is_some() {
            return Err(record.err("second new balance record (8) in a statement"));
        }
        let amount = record.signed_amount(42, 43, "new balance")?;
        let date = record.date(58, "new balance date")?;
        self.new_balance = Some((amount, date));
        Ok(())
    }

    /// The trailer: checks the statement and turns it into entries.
    fn close(&mut self, record: &Record) -> Result<Parsed, CodaError> {
        let Some(account) = self.account.take() else {
            return Err(record.err("statement without an old balance record (1)"));
        };
        let Some((new_balance, balance_date)) = self.new_balance else {
            return Err(record.err("statement without a new balance record (8)"));
        };
        let count = record.number(17, 22, "number of records")?;
        let debit_total = i128::from(record.number(23, 37, "debit total")?);
        let credit_total = i128::from(record.number(38, 52, "credit total")?);
        if count != self.records {
            return Err(record.err(&format!(
                "the trailer counts {count} records, the statement holds {}",
                self.records
            )));
        }
        let booked = self.movements.iter().filter(|m| !m.is_detail());
        let (credits, debits) = booked.fold((0i128, 0i128), |(c, d), m| {
            if m.milli >= 0 {
                (c + m.milli, d)
            } else {
                (c, d - m.milli)
            }
        });
        if debits != debit_total {
            return Err(record.err("debit total does not match the movements"));
        }
        if credits != credit_total {
            return Err(record.err("credit total does not match the movements"));
        }
        if self.old_balance + credits - debits != new_balance {
            return Err(record.err("new balance is not the old balance plus the movements"));
        }

        let year = balance_date.year();
        let prefix = format!("CODA:{}:{year}-{}", account.number, account.sequence);
        let mut entries = Vec::new();
        let movements = std::mem::take(&mut self.movements);
        let mut index = 0;
        while let Some(global) = movements.get(index) {
            if global.is_detail() {
                return Err(invalid(
                    global.line,
                    "detail movement without its booked movement (detail 0000)",
                ));
            }
            let details: Vec<&Movement> = movements
                .get(index + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|m| m.is_detail() && m.sequence == global.sequence)
                .collect();
            index += 1 + details.len();
            if details.is_empty() {
                entries.push(entry(global, &prefix, &account.currency));
                continue;
            }
            let sum: i128 = details.iter().map(|m| m.milli).sum();
            if sum != global.milli {
                return Err(invalid(
                    global.line,
                    "the details of a grouped movement do not add up to its amount",
                ));
            }
            entries.extend(details.iter().map(|m| entry(m, &prefix, &account.currency)));
        }
        let created = self.created_on.format("%Y-%m-%d");
        Ok(Parsed {
            id: format!("CODA:{}:{}:{created}", account.number, account.sequence),
            iban: account.is_iban.then_some(account.number),
            entries,
        })
    }
}

/// The statement entry of one movement.
fn entry(movement: &Movement, prefix: &str, currency: &str) -> StatementEntry {
    let mut bank_reference = format!("{prefix}:{}:{}", movement.sequence, movement.detail);
    if let Some(reference) = &movement.bank_reference {
        bank_reference.push(':');
        bank_reference.push_str(reference);
    }
    let communication = match &movement.communication {
        Communication::Structured(digits) => digits.clone(),
        Communication::Free(text) => {
            let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
            (!folded.is_empty()).then_some(folded)
        }
    };
    let credit = movement.credit;
    let debtor_iban = movement
        .counterparty_account
        .as_deref()
        .filter(|account| looks_like_iban(account))
        .map(str::to_owned);
    StatementEntry {
        bank_reference,
        booked_on: movement.entry_date,
        // At most 15 digits, a multiple of 10 (checked when read): fits an i64 exactly.
        amount_cents: i64::try_from(movement.milli.unsigned_abs() / 10).unwrap_or(i64::MAX),
        currency: currency.to_owned(),
        credit,
        communication,
        debtor_name: if credit {
            movement.counterparty_name.clone()
        } else {
            None
        },
        debtor_iban: if credit { debtor_iban } else { None },
    }
}

/// Two letters, two digits, then letters and digits: 15 to 34 characters.
fn looks_like_iban(account: &str) -> bool {
    let bytes = account.as_bytes();
    (15..=34).contains(&bytes.len())
        && bytes.iter().take(2).all(u8::is_ascii_uppercase)
        && bytes.iter().skip(2).take(2).all(u8::is_ascii_digit)
        && bytes.iter().all(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    //! The fixture `crates/domain/tests/fixtures/coda/grouped.cod` (CRLF line endings) is statement
    //! 228 of account BE23 0015 1859 2691 (BIC GEBABEBB), created and booked on 28 November 2026:
    //! old balance 1 234,56 EUR, new balance 1 523,51 EUR, 21 records between header and trailer,
    //! debit total 12,50, credit total 301,45. Its movements, in order:
    //!
    //! | movement  | amount    | communication                                  | counterparty                                     |
    //! |-----------|-----------|------------------------------------------------|--------------------------------------------------|
    //! | 0001      | +84,70    | +++202/6000/10195+++ (`202600010195`)          | Les Amis du Quartier ASBL, BE68539007547034      |
    //! | 0002      | +186,50   | grouped line (globalisation code 1), not emitted; its details:                                    |
    //! | 0002/0001 | +121,00   | +++202/6000/10296+++ (`202600010296`)          | Jean-François Lemaître, BE14063123456783         |
    //! | 0002/0002 | +50,00    | +++202/6000/10397+++ (`202600010397`)          | Van den Broeck Pieter, BE09735441298757          |
    //! | 0002/0003 | +15,50    | +++202/6000/10401+++ (`202600010401`)          | Boulangerie Dupont & Fils SRL, BE97143556677849  |
    //! | 0003      | -12,50    | free: "Frais de gestion de compte novembre 2026" (bank fee, a record 3.1 follows) | none |
    //! | 0004      | +30,25    | free, continued in 2.2: "Don pour la fete de quartier du 12 decembre, merci a toute l'equipe des benevoles" | Sophie Janssens, BE21001234567803 |
    //!
    //! The structured communications are bases 2026000101 to 2026000104 with their mod-97 check
    //! digits. A record 4 (free communication) precedes the new balance.

    use super::*;
    use crate::payment::reader;
    use proptest::prelude::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/coda/grouped.cod");
    const CAMT: &str = include_str!("../../../../server/tests/data/camt053_statement.xml");
    const ACCOUNT: &str = "BE23001518592691";

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn entry(
        movement: &str,
        amount_cents: i64,
        credit: bool,
        communication: &str,
        debtor: Option<(&str, &str)>,
    ) -> StatementEntry {
        let bank_reference = format!("CODA:{ACCOUNT}:2026-228:{movement}");
        StatementEntry {
            bank_reference,
            booked_on: date(2026, 11, 28),
            amount_cents,
            currency: "EUR".to_owned(),
            credit,
            communication: Some(communication.to_owned()),
            debtor_name: debtor.map(|(name, _)| name.to_owned()),
            debtor_iban: debtor.map(|(_, iban)| iban.to_owned()),
        }
    }

    fn expected() -> Statement {
        Statement {
            statement_id: format!("CODA:{ACCOUNT}:228:2026-11-28"),
            account_iban: Some(ACCOUNT.to_owned()),
            entries: vec![
                entry(
                    "0001:0000:0113BE2BO00A0001",
                    8470,
                    true,
                    "202600010195",
                    Some(("Les Amis du Quartier ASBL", "BE68539007547034")),
                ),
                entry(
                    "0002:0001:0113BE2BO00A0002",
                    12100,
                    true,
                    "202600010296",
                    Some(("Jean-François Lemaître", "BE14063123456783")),
                ),
                entry(
                    "0002:0002:0113BE2BO00A0002",
                    5000,
                    true,
                    "202600010397",
                    Some(("Van den Broeck Pieter", "BE09735441298757")),
                ),
                entry(
                    "0002:0003:0113BE2BO00A0002",
                    1550,
                    true,
                    "202600010401",
                    Some(("Boulangerie Dupont & Fils SRL", "BE97143556677849")),
                ),
                entry(
                    "0003:0000:0113BE2BO00A0003",
                    1250,
                    false,
                    "Frais de gestion de compte novembre 2026",
                    None,
                ),
                entry(
                    "0004:0000:0113BE2BO00A0004",
                    3025,
                    true,
                    "Don pour la fete de quartier du 12 decembre, merci a toute l'equipe des benevoles",
                    Some(("Sophie Janssens", "BE21001234567803")),
                ),
            ],
        }
    }

    /// The fixture's lines, without line endings.
    fn lines() -> Vec<String> {
        FIXTURE.lines().map(str::to_owned).collect()
    }

    /// Replaces positions `from..` (1-based) of line `no` (1-based) with `text`.
    fn patch(no: usize, from: usize, text: &str) -> String {
        let mut lines = lines();
        let line: Vec<char> = lines[no - 1].chars().collect();
        let mut patched: String = line[..from - 1].iter().collect();
        patched.push_str(text);
        patched.extend(line[from - 1 + text.chars().count()..].iter());
        lines[no - 1] = patched;
        lines.join("\n")
    }

    #[test]
    fn fixture_is_well_formed() {
        let lines = lines();
        assert_eq!(lines.len(), 23);
        assert!(lines.iter().all(|l| l.chars().count() == RECORD_CHARS));
        // The counterparty names hold multibyte characters: bytes and characters differ.
        assert!(lines.iter().any(|l| l.len() > RECORD_CHARS));
        for digits in ["202600010195", "202600010296", "202600010397", "202600010401"] {
            assert!(
                crate::invoice::StructuredCommunication::parse(digits).is_some(),
                "{digits}"
            );
        }
    }

    #[test]
    fn parses_every_field_of_the_fixture() {
        assert_eq!(parse(FIXTURE), Ok(expected()));
    }

    #[test]
    fn line_endings_do_not_matter() {
        let lf = FIXTURE.replace("\r\n", "\n");
        assert_eq!(parse(&lf), Ok(expected()));
        assert_eq!(parse(lf.trim_end()), Ok(expected()));
        assert_eq!(parse(&format!("\u{feff}\n{lf}\n\n")), Ok(expected()));
    }

    #[test]
    fn grouped_line_emits_its_details_not_the_total() {
        let statement = parse(FIXTURE).expect("parses");
        assert!(statement.entries.iter().all(|e| e.amount_cents != 18650));
        let refs: HashSet<&str> = statement.entries.iter().map(|e| e.bank_reference.as_str()).collect();
        assert_eq!(refs.len(), statement.entries.len());
        // Stable: the same file gives the same references.
        assert_eq!(parse(FIXTURE), parse(FIXTURE));
    }

    #[test]
    fn wrong_trailer_is_refused() {
        let credit = patch(23, 38, "000000000301460");
        assert_eq!(
            parse(&credit),
            Err(CodaError::Invalid(
                "line 23: credit total does not match the movements".to_owned()
            ))
        );
        let debit = patch(23, 23, "000000000012510");
        assert_eq!(
            parse(&debit),
            Err(CodaError::Invalid(
                "line 23: debit total does not match the movements".to_owned()
            ))
        );
        let count = patch(23, 17, "000020");
        assert_eq!(
            parse(&count),
            Err(CodaError::Invalid(
                "line 23: the trailer counts 20 records, the statement holds 21".to_owned()
            ))
        );
        let balance = patch(22, 43, "000000001523520");
        assert_eq!(
            parse(&balance),
            Err(CodaError::Invalid(
                "line 23: new balance is not the old balance plus the movements".to_owned()
            ))
        );
    }

    #[test]
    fn short_or_long_lines_are_refused() {
        let mut short = lines();
        short[2].pop();
        assert_eq!(
            parse(&short.join("\r\n")),
            Err(CodaError::Invalid("line 3: 127 characters, not 128".to_owned()))
        );
        let mut long = lines();
        long[8].push('é');
        assert_eq!(
            parse(&long.join("\n")),
            Err(CodaError::Invalid("line 9: 129 characters, not 128".to_owned()))
        );
    }

    #[test]
    fn details_must_add_up_to_the_grouped_amount() {
        let text = patch(7, 33, "000000000121010");
        assert_eq!(
            parse(&text),
            Err(CodaError::Invalid(
                "line 6: the details of a grouped movement do not add up to its amount".to_owned()
            ))
        );
    }

    #[test]
    fn a_tenth_of_a_cent_is_refused() {
        let text = patch(3, 33, "000000000084701");
        assert_eq!(
            parse(&text),
            Err(CodaError::Invalid(
                "line 3: amount with a non-zero third decimal".to_owned()
            ))
        );
    }

    #[test]
    fn structure_errors() {
        let mut no_trailer = lines();
        no_trailer.pop();
        assert_eq!(
            parse(&no_trailer.join("\n")),
            Err(CodaError::Invalid(
                "line 22: no trailer record (9) at the end".to_owned()
            ))
        );
        let mut orphan_detail = lines();
        orphan_detail.remove(5); // The global of movement 0002.
        let err = parse(&orphan_detail.join("\n")).expect_err("refused");
        assert!(
            matches!(err, CodaError::Invalid(ref what) if what.starts_with("line ")),
            "{err:?}"
        );
        let bad_date = patch(3, 116, "311126");
        assert_eq!(
            parse(&bad_date),
            Err(CodaError::Invalid("line 3: entry date".to_owned()))
        );
        let version1 = patch(1, 128, "1");
        assert!(matches!(parse(&version1), Err(CodaError::Invalid(_))));
        let unknown = patch(21, 1, "5");
        assert_eq!(
            parse(&unknown),
            Err(CodaError::Invalid("line 21: unknown record type".to_owned()))
        );
    }

    #[test]
    fn debits_keep_their_counterparty_out_of_the_debtor_fields() {
        // Give the bank fee a 2.3 record: the payee is not a debtor.
        let mut with_payee = lines();
        let payee = format!("2300030000{:<34}EUR{:<35}{:<43}0 0", "BE68539007547034", "Bank", "");
        assert_eq!(payee.chars().count(), RECORD_CHARS);
        with_payee.insert(16, payee);
        let text = patch_count(&with_payee, 22);
        let statement = parse(&text).expect("parses");
        let fee = &statement.entries[4];
        assert!(!fee.credit);
        assert_eq!((fee.debtor_name.as_deref(), fee.debtor_iban.as_deref()), (None, None));
    }

    /// The lines joined, with the trailer's record count set to `count`.
    fn patch_count(lines: &[String], count: u64) -> String {
        let mut lines = lines.to_vec();
        let last = lines.len() - 1;
        let trailer = &lines[last];
        lines[last] = format!("{}{count:06}{}", &trailer[..16], &trailer[22..]);
        lines.join("\n")
    }

    #[test]
    fn several_statements_are_merged() {
        let twice = format!("{FIXTURE}{}", FIXTURE.replace("228", "229"));
        let statement = parse(&twice).expect("parses");
        assert_eq!(
            statement.statement_id,
            format!("CODA:{ACCOUNT}:228:2026-11-28+CODA:{ACCOUNT}:229:2026-11-28")
        );
        assert_eq!(statement.entries.len(), 12);
        let refs: HashSet<&str> = statement.entries.iter().map(|e| e.bank_reference.as_str()).collect();
        assert_eq!(refs.len(), 12);
    }

    #[test]
    fn not_coda_and_too_large() {
        for input in ["", "\n\r\n", "hello", "1 not a header", "%PDF-1.7"] {
            assert_eq!(parse(input), Err(CodaError::NotCoda), "{input:?}");
        }
        let mut big = FIXTURE.to_owned();
        while big.len() <= MAX_BYTES {
            big.push_str(&" ".repeat(4096));
        }
        assert_eq!(parse(&big), Err(CodaError::TooLarge));
        assert_eq!(reader::parse(&big), Err(reader::StatementError::TooLarge));
    }

    #[test]
    fn the_detector_reads_both_formats() {
        assert_eq!(reader::detect(FIXTURE), Some(reader::Format::Coda));
        assert_eq!(reader::parse(FIXTURE), Ok(expected()));
        assert_eq!(reader::detect(CAMT), Some(reader::Format::Camt053));
        let camt = crate::payment::camt::parse(CAMT).expect("the camt sample parses");
        assert_eq!(reader::parse(CAMT), Ok(camt));
        // A byte order mark is dropped; blank lines before an XML declaration are not XML.
        assert_eq!(
            reader::parse(&format!("\u{feff}{CAMT}")).map(|s| s.entries.len()),
            Ok(7)
        );
        assert!(matches!(
            reader::parse(&format!("\n{CAMT}")),
            Err(reader::StatementError::Xml(_))
        ));
        for (input, code) in [
            ("", "not_a_statement"),
            ("date;amount\n2026-11-28;12.00", "not_a_statement"),
            ("0 short header", "not_a_statement"),
            ("<Document>", "statement_invalid"),
            ("<html><body/></html>", "not_a_statement"),
        ] {
            let err = reader::parse(input).expect_err(input);
            assert_eq!(err.code(), code, "{input:?}: {err:?}");
        }
        let short = {
            let mut lines = lines();
            lines[4].pop();
            lines.join("\n")
        };
        let err = reader::parse(&short).expect_err("short line");
        assert_eq!(
            err,
            reader::StatementError::Invalid("line 5: 127 characters, not 128".to_owned())
        );
        assert_eq!(err.code(), "statement_invalid");
        assert_eq!(reader::StatementError::TooLarge.code(), "file_too_large");
    }

    #[test]
    fn error_display() {
        assert!(
            CodaError::Invalid("line 3: x".to_owned())
                .to_string()
                .contains("line 3: x")
        );
        assert!(CodaError::TooLarge.to_string().contains(&MAX_BYTES.to_string()));
        assert!(CodaError::NotCoda.to_string().contains("CODA"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,600}") {
            let _ = parse(&text);
            let _ = reader::parse(&text);
        }

        #[test]
        fn arbitrary_records_never_panic(lines in proptest::collection::vec("[0-9 ]{0,3}.{0,130}", 0..12)) {
            let text = format!("{}\n{}", lines.concat(), lines.join("\n"));
            let _ = parse(&text);
        }

        #[test]
        fn mutated_fixture_never_panics(
            edits in proptest::collection::vec((any::<usize>(), any::<char>(), 0u8..4), 1..6)
        ) {
            let mut chars: Vec<char> = FIXTURE.chars().collect();
            for (at, c, kind) in edits {
                let at = at % (chars.len() + 1);
                match kind {
                    0 if at < chars.len() => chars[at] = c,
                    1 => chars.insert(at, c),
                    2 if at < chars.len() => { chars.remove(at); }
                    _ => chars.truncate(at),
                }
            }
            let text: String = chars.into_iter().collect();
            if let Ok(statement) = parse(&text) {
                for entry in &statement.entries {
                    prop_assert!(entry.amount_cents >= 0);
                    prop_assert!(!entry.bank_reference.is_empty());
                }
            }
            let _ = reader::parse(&text);
        }

        #[test]
        fn mutated_fields_keep_lines_aligned_and_never_panic(
            line in 0usize..23, at in 0usize..128, replacement in "[0-9 A-Zé€]{1,20}"
        ) {
            let mut lines = lines();
            let chars: Vec<char> = lines[line].chars().collect();
            let end = (at + replacement.chars().count()).min(128);
            let mut patched: String = chars[..at].iter().collect();
            patched.extend(replacement.chars().take(end - at));
            patched.extend(chars[end..].iter());
            lines[line] = patched;
            let _ = parse(&lines.join("\r\n"));
        }
    }
}
