//! Parser for ISO 20022 **camt.053** "Bank-to-Customer Statement" documents.
//!
//! Supports camt.053.001.02 up to camt.053.001.08. Elements are matched by their local name only,
//! so the namespace URI (and therefore the message version) and any namespace prefix are ignored.
//!
//! The parser turns each booked transaction of a statement into a flat [`StatementEntry`] holding
//! just what a payment-reconciliation feature needs: a stable bank reference, the booking date, the
//! exact amount in cents, the credit/debit direction, the remittance information (Belgian structured
//! communication or free text) and the debtor's name and IBAN.
//!
//! Layout of the elements read (paths relative to `Document`):
//!
//! ```text
//! BkToCstmrStmt
//! └─ Stmt                       (1..n)  one statement per account and period
//!    ├─ Id                              statement identifier
//!    ├─ Acct/Id/IBAN                    the statement account
//!    └─ Ntry                    (0..n)  one booking on the account
//!       ├─ NtryRef, AcctSvcrRef         entry references
//!       ├─ Amt @Ccy                     booked amount, always positive
//!       ├─ CdtDbtInd                    CRDT or DBIT
//!       ├─ RvslInd                      true when the entry reverses an earlier booking
//!       ├─ Sts                          BOOK (v02-v07: text; v08: Sts/Cd)
//!       ├─ BookgDt/Dt | BookgDt/DtTm    booking date
//!       ├─ ValDt/Dt | ValDt/DtTm        value date (fallback)
//!       └─ NtryDtls/TxDtls      (0..n)  the transactions of the entry (several for a batch)
//!          ├─ Refs/AcctSvcrRef
//!          ├─ Amt @Ccy (v05+) | AmtDtls/TxAmt/Amt @Ccy
//!          ├─ CdtDbtInd (v05+, optional)
//!          ├─ RltdPties/Dbtr/Nm | RltdPties/Dbtr/Pty/Nm (v08)
//!          ├─ RltdPties/DbtrAcct/Id/IBAN
//!          └─ RmtInf/Strd/CdtrRefInf/Ref | RmtInf/Ustrd
//! ```
//!
//! Balances (`Bal`) and the transaction summary (`TxsSummry`) are not read and not required.
//!
//! The parser never panics: all input-dependent lookups are checked, documents with a DTD are
//! rejected (so no entity expansion), and inputs larger than [`MAX_BYTES`] are refused up front.

use std::fmt;

use chrono::NaiveDate;
use roxmltree::{Document, Node, ParsingOptions};

/// Largest accepted input, in bytes. Larger inputs yield [`CamtError::TooLarge`].
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The statement types are shared with the CODA parser; they live in `payment::statement`.
pub use super::statement::{Statement, StatementEntry};

/// Why a document could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CamtError {
    /// Not well-formed XML (or an XML feature that is refused, such as a DTD).
    Xml(String),
    /// Well-formed XML but no `BkToCstmrStmt/Stmt` element (e.g. a camt.054 or camt.052 message).
    NotCamt053,
    /// A required element is missing or malformed; the string says which (e.g. `"Ntry[3]/Amt"`).
    /// Paths are 1-based and relative to the `Stmt`; they start with `"Stmt[n]/"` when the document
    /// holds several statements.
    Invalid(String),
    /// The input is larger than [`MAX_BYTES`].
    TooLarge,
}

impl fmt::Display for CamtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CamtError::Xml(msg) => write!(f, "not well-formed XML: {msg}"),
            CamtError::NotCamt053 => f.write_str("not a camt.053 statement (no BkToCstmrStmt/Stmt element)"),
            CamtError::Invalid(what) => write!(f, "invalid camt.053 statement: missing or malformed {what}"),
            CamtError::TooLarge => write!(f, "camt.053 document larger than {MAX_BYTES} bytes"),
        }
    }
}

impl std::error::Error for CamtError {}

/// Parses a camt.053 document. Several `Stmt` elements: entries of all of them, `statement_id` of
/// the first joined with `"+"` of the others.
///
/// The document's root may be wrapped (e.g. in a business-message envelope): the first
/// `BkToCstmrStmt` element anywhere in the document is used.
pub fn parse(xml: &str) -> Result<Statement, CamtError> {
    if xml.len() > MAX_BYTES {
        return Err(CamtError::TooLarge);
    }
    // roxmltree's tokenizer recurses once per element level and has no depth limit: refuse deep
    // nesting before handing the text over, so hostile input cannot overflow the thread's stack.
    check_nesting(xml)?;
    // `allow_dtd: false` (the default, spelled out on purpose): any DOCTYPE is an error, so no
    // entity expansion ("billion laughs") can happen.
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(xml, options).map_err(|e| CamtError::Xml(e.to_string()))?;
    let bk_to_cstmr_stmt = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "BkToCstmrStmt")
        .ok_or(CamtError::NotCamt053)?;
    let stmts: Vec<Node> = children(bk_to_cstmr_stmt, "Stmt").collect();
    if stmts.is_empty() {
        return Err(CamtError::NotCamt053);
    }
    let several = stmts.len() > 1;

    let mut ids: Vec<String> = Vec::with_capacity(stmts.len());
    let mut account_iban = None;
    let mut entries = Vec::new();
    for (stmt_index, stmt) in stmts.iter().enumerate() {
        let stmt_no = stmt_index + 1;
        let id = path_text(*stmt, &["Id"]).ok_or_else(|| CamtError::Invalid(format!("Stmt[{stmt_no}]/Id")))?;
        if account_iban.is_none() {
            account_iban = path_text(*stmt, &["Acct", "Id", "IBAN"]).map(|s| remove_whitespace(&s));
        }
        let prefix = if several {
            format!("Stmt[{stmt_no}]/")
        } else {
            String::new()
        };
        for (entry_index, ntry) in children(*stmt, "Ntry").enumerate() {
            parse_entry(ntry, &id, entry_index + 1, &prefix, &mut entries)?;
        }
        ids.push(id);
    }
    Ok(Statement {
        statement_id: ids.join("+"),
        account_iban,
        entries,
    })
}

/// Parses a decimal amount such as `"1234.5"`, `"0.01"`, `"12"` into cents; `None` for negatives,
/// more than 2 decimals, non-digits, overflow, empty.
///
/// Surrounding whitespace is trimmed first. Decimals beyond the second are accepted only when they
/// are zeros (`"12.500"` is exactly 1250 cents, and ISO 20022 amounts allow up to 5 fraction
/// digits); `"0.001"` is `None`. `".5"` and `"5."` (valid `xs:decimal`) are accepted; signs (`+`,
/// `-`), exponents, thousands separators and inner spaces are not.
pub fn parse_amount_cents(text: &str) -> Option<i64> {
    let text = text.trim();
    let (int_part, frac_part) = text.split_once('.').unwrap_or((text, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let split = frac_part.len().min(2);
    let (cents_part, extra) = (frac_part.get(..split)?, frac_part.get(split..)?);
    if extra.bytes().any(|b| b != b'0') {
        return None;
    }
    let mut units: i64 = 0;
    for b in int_part.bytes() {
        units = units.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    let cents = match cents_part.as_bytes() {
        [] => 0,
        [tens] => i64::from(tens - b'0') * 10,
        [tens, ones] => i64::from(tens - b'0') * 10 + i64::from(ones - b'0'),
        _ => return None,
    };
    units.checked_mul(100)?.checked_add(cents)
}

/// Deepest element nesting accepted. Real camt.053 documents nest about 12 levels deep
/// (`Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/RltdPties/Dbtr/Pty/PstlAdr/...`).
const MAX_DEPTH: usize = 64;

/// Rejects documents nesting elements deeper than [`MAX_DEPTH`], with a linear pre-scan.
///
/// The scan skips comments, CDATA sections, processing instructions, declarations and quoted
/// attribute values the way an XML parser does, so it never counts fewer open elements than
/// roxmltree has open at the same point (where the two could disagree, the input is not
/// well-formed and roxmltree stops with an error there).
fn check_nesting(xml: &str) -> Result<(), CamtError> {
    let bytes = xml.as_bytes();
    let len = bytes.len();
    let mut pos = 0;
    let mut depth = 0usize;
    while let Some(start) = find(bytes, pos, b"<") {
        let rest = bytes.get(start..).unwrap_or_default();
        pos = if rest.starts_with(b"<!--") {
            find(bytes, start + 4, b"-->").map_or(len, |p| p + 3)
        } else if rest.starts_with(b"<![CDATA[") {
            find(bytes, start + 9, b"]]>").map_or(len, |p| p + 3)
        } else if rest.starts_with(b"<?") {
            find(bytes, start + 2, b"?>").map_or(len, |p| p + 2)
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            find(bytes, start + 2, b">").map_or(len, |p| p + 1)
        } else if rest.starts_with(b"<!") {
            find(bytes, start + 2, b">").map_or(len, |p| p + 1)
        } else {
            // A start tag: its end is the first '>' outside a quoted attribute value.
            let mut quote: Option<u8> = None;
            let mut end = None;
            for (offset, &c) in rest.iter().enumerate().skip(1) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => {
                        end = Some(start + offset);
                        break;
                    }
                    None => {}
                }
            }
            let Some(end) = end else {
                break; // Unterminated tag: not well-formed, roxmltree reports it.
            };
            let self_closing = end > 0 && bytes.get(end - 1) == Some(&b'/');
            if !self_closing {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(CamtError::Xml(format!(
                        "elements nested deeper than {MAX_DEPTH} levels"
                    )));
                }
            }
            end + 1
        };
    }
    Ok(())
}

/// Position of the first occurrence of `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Turns one `Ntry` into one [`StatementEntry`] per transaction, appended to `out`.
fn parse_entry(
    ntry: Node,
    stmt_id: &str,
    entry_no: usize,
    prefix: &str,
    out: &mut Vec<StatementEntry>,
) -> Result<(), CamtError> {
    let here = format!("{prefix}Ntry[{entry_no}]");

    // Ntry/Sts: "BOOK" as text in v02-v07, Sts/Cd in v08+. A statement should hold booked entries
    // only; pending, informational or future entries must not be reconciled as payments.
    if let Some(sts) = child(ntry, "Sts") {
        let status = child(sts, "Cd").map(all_text).unwrap_or_else(|| all_text(sts));
        if matches!(status.as_str(), "PDNG" | "INFO" | "FUTR") {
            return Ok(());
        }
    }

    let (entry_amount, entry_currency) = amount(child(ntry, "Amt"), &format!("{here}/Amt"))?;
    let entry_credit = credit_debit(ntry, &here)?.ok_or_else(|| CamtError::Invalid(format!("{here}/CdtDbtInd")))?;
    let reversal = match path_text(ntry, &["RvslInd"]).as_deref() {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => return Err(CamtError::Invalid(format!("{here}/RvslInd"))),
    };
    let booked_on = match (date_choice(ntry, "BookgDt"), date_choice(ntry, "ValDt")) {
        (Some(Some(date)), _) | (None, Some(Some(date))) => date,
        (None, Some(None)) => return Err(CamtError::Invalid(format!("{here}/ValDt"))),
        _ => return Err(CamtError::Invalid(format!("{here}/BookgDt"))),
    };
    let entry_acct_svcr_ref = path_text(ntry, &["AcctSvcrRef"]);
    let entry_ref = path_text(ntry, &["NtryRef"]);

    // NtryDtls may repeat (0..n); transactions are numbered across all of them.
    let txs: Vec<Node> = children(ntry, "NtryDtls").flat_map(|d| children(d, "TxDtls")).collect();

    if txs.is_empty() {
        out.push(StatementEntry {
            bank_reference: entry_acct_svcr_ref
                .or(entry_ref)
                .unwrap_or_else(|| format!("{stmt_id}:{entry_no}:1")),
            booked_on,
            amount_cents: entry_amount,
            currency: entry_currency,
            credit: entry_credit && !reversal,
            communication: None,
            debtor_name: None,
            debtor_iban: None,
        });
        return Ok(());
    }

    let several = txs.len() > 1;
    for (tx_index, tx) in txs.iter().enumerate() {
        let tx = *tx;
        let tx_no = tx_index + 1;
        let (amount_cents, currency, credit) = if several {
            let tx_here = format!("{here}/NtryDtls/TxDtls[{tx_no}]");
            let amt = child(tx, "Amt").or_else(|| path(tx, &["AmtDtls", "TxAmt", "Amt"]));
            let (cents, ccy) = amount(amt, &format!("{tx_here}/Amt"))?;
            let credit = credit_debit(tx, &tx_here)?.unwrap_or(entry_credit);
            (cents, ccy, credit)
        } else {
            (entry_amount, entry_currency.clone(), entry_credit)
        };
        let suffixed = |r: &String| if several { format!("{r}:{tx_no}") } else { r.clone() };
        let bank_reference = path_text(tx, &["Refs", "AcctSvcrRef"])
            .or_else(|| entry_acct_svcr_ref.as_ref().map(suffixed))
            .or_else(|| entry_ref.as_ref().map(suffixed))
            .unwrap_or_else(|| format!("{stmt_id}:{entry_no}:{tx_no}"));
        let debtor_name =
            path_text(tx, &["RltdPties", "Dbtr", "Nm"]).or_else(|| path_text(tx, &["RltdPties", "Dbtr", "Pty", "Nm"]));
        let debtor_iban = path_text(tx, &["RltdPties", "DbtrAcct", "Id", "IBAN"]).map(|s| remove_whitespace(&s));
        out.push(StatementEntry {
            bank_reference,
            booked_on,
            amount_cents,
            currency,
            credit: credit && !reversal,
            communication: communication(tx),
            debtor_name,
            debtor_iban,
        });
    }
    Ok(())
}

/// `RmtInf/Strd/CdtrRefInf/Ref` (first non-empty one), else all `RmtInf/Ustrd` joined by a space.
fn communication(tx: Node) -> Option<String> {
    let rmt_inf = child(tx, "RmtInf")?;
    if let Some(reference) = children(rmt_inf, "Strd").find_map(|s| path_text(s, &["CdtrRefInf", "Ref"])) {
        return Some(reference);
    }
    let lines: Vec<String> = children(rmt_inf, "Ustrd").filter_map(text).collect();
    if lines.is_empty() { None } else { Some(lines.join(" ")) }
}

/// Reads an amount element (`<Amt Ccy="EUR">12.34</Amt>`) into (cents, currency).
fn amount(node: Option<Node>, what: &str) -> Result<(i64, String), CamtError> {
    let node = node.ok_or_else(|| CamtError::Invalid(what.to_owned()))?;
    let cents = parse_amount_cents(&all_text(node)).ok_or_else(|| CamtError::Invalid(what.to_owned()))?;
    let currency = node
        .attribute("Ccy")
        .map(str::trim)
        .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        .ok_or_else(|| CamtError::Invalid(format!("{what}/@Ccy")))?;
    Ok((cents, currency.to_owned()))
}

/// The `CdtDbtInd` child of `node`: `Some(true)` for CRDT, `Some(false)` for DBIT, `None` if absent.
fn credit_debit(node: Node, here: &str) -> Result<Option<bool>, CamtError> {
    match path_text(node, &["CdtDbtInd"]).as_deref() {
        None => Ok(None),
        Some("CRDT") => Ok(Some(true)),
        Some("DBIT") => Ok(Some(false)),
        Some(_) => Err(CamtError::Invalid(format!("{here}/CdtDbtInd"))),
    }
}

/// A `DateAndDateTimeChoice` element (`<X><Dt>…</Dt></X>` or `<X><DtTm>…</DtTm></X>`).
/// `None`: no such element (or neither `Dt` nor `DtTm` in it); `Some(None)`: malformed date.
fn date_choice(parent: Node, name: &'static str) -> Option<Option<NaiveDate>> {
    let element = child(parent, name)?;
    let value = child(element, "Dt").or_else(|| child(element, "DtTm"))?;
    Some(date_prefix(&all_text(value)))
}

/// Parses the leading `YYYY-MM-DD` of an `xs:date` / `xs:dateTime` value. What follows must be
/// nothing, a time (`T…`) or a time-zone (`Z`, `+hh:mm`, `-hh:mm`); it is ignored (no conversion).
fn date_prefix(value: &str) -> Option<NaiveDate> {
    let head = value.get(..10)?;
    let rest = value.get(10..)?;
    if !(rest.is_empty() || rest.starts_with(['T', 'Z', '+', '-'])) {
        return None;
    }
    if head.get(4..5)? != "-" || head.get(7..8)? != "-" {
        return None;
    }
    let year: i32 = digits(head.get(..4)?)?;
    let month: u32 = digits(head.get(5..7)?)?;
    let day: u32 = digits(head.get(8..)?)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Child elements of `node` with the given local name (namespace ignored).
fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// First child element of `node` with the given local name.
fn child<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> Option<Node<'a, 'i>> {
    children(node, name).next()
}

/// Follows a path of local names, taking the first matching child at each step.
fn path<'a, 'i>(node: Node<'a, 'i>, names: &[&'static str]) -> Option<Node<'a, 'i>> {
    names.iter().try_fold(node, |n, name| child(n, name))
}

/// Trimmed text of the element at `names` below `node`; `None` if absent or blank.
fn path_text(node: Node, names: &[&'static str]) -> Option<String> {
    path(node, names).and_then(text)
}

/// Trimmed text content of an element; `None` if blank.
fn text(node: Node) -> Option<String> {
    let t = all_text(node);
    if t.is_empty() { None } else { Some(t) }
}

/// The element's direct text (all text / CDATA children concatenated, so a comment inside the
/// value does not cut it), trimmed.
fn all_text(node: Node) -> String {
    let joined: String = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    joined.trim().to_owned()
}

fn remove_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../../server/tests/data/camt053_statement.xml");

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn entry(
        bank_reference: &str,
        amount_cents: i64,
        credit: bool,
        communication: Option<&str>,
        debtor_name: Option<&str>,
        debtor_iban: Option<&str>,
    ) -> StatementEntry {
        StatementEntry {
            bank_reference: bank_reference.to_owned(),
            booked_on: date(2026, 11, 27),
            amount_cents,
            currency: "EUR".to_owned(),
            credit,
            communication: communication.map(str::to_owned),
            debtor_name: debtor_name.map(str::to_owned),
            debtor_iban: debtor_iban.map(str::to_owned),
        }
    }

    fn expected_sample() -> Statement {
        Statement {
            statement_id: "BE23001518592691-2026-227".to_owned(),
            account_iban: Some("BE23001518592691".to_owned()),
            entries: vec![
                entry(
                    "2026112700001",
                    8470,
                    true,
                    Some("202600000192"),
                    Some("Les Amis du Quartier ASBL"),
                    Some("BE68539007547034"),
                ),
                entry(
                    "2026112700002",
                    12100,
                    true,
                    Some("+++202/6000/00293+++"),
                    Some("Jean-François Lemaître"),
                    Some("BE14063123456783"),
                ),
                entry(
                    "2026112700003",
                    5000,
                    true,
                    Some("202600000394"),
                    Some("Van den Broeck Pieter"),
                    Some("BE09735441298757"),
                ),
                entry(
                    "2026112700004",
                    3025,
                    true,
                    Some("don pour la fete de quartier"),
                    Some("Sophie Janssens"),
                    Some("BE21001234567803"),
                ),
                entry("2026112700005", 1250, false, None, None, None),
                entry(
                    "2026112700006-1",
                    1000,
                    true,
                    Some("202600000495"),
                    Some("Marc Peeters"),
                    Some("BE96068901234505"),
                ),
                entry(
                    "2026112700006-2",
                    1550,
                    true,
                    Some("202600000596"),
                    Some("Boulangerie Dupont & Fils SRL"),
                    Some("BE97143556677849"),
                ),
            ],
        }
    }

    /// Wraps `Ntry` elements into a minimal statement of the given camt.053 version.
    fn doc(version: &str, stmt_id: &str, entries: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-28T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{stmt_id}</Id>
      <CreDtTm>2026-11-28T06:00:00</CreDtTm>
      <Acct><Id><IBAN>BE23 0015 1859 2691</IBAN></Id></Acct>
      {entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>"#
        )
    }

    /// Belgian structured communication check: 10 digits + (first 10 mod 97, 97 for 0).
    fn valid_ogm(communication: &str) -> bool {
        let digits: String = communication.chars().filter(char::is_ascii_digit).collect();
        let (Some(base), Some(check)) = (digits.get(..10), digits.get(10..)) else {
            return false;
        };
        let (Ok(base), Ok(check)) = (base.parse::<u64>(), check.parse::<u64>()) else {
            return false;
        };
        digits.len() == 12 && (if base % 97 == 0 { 97 } else { base % 97 }) == check
    }

    #[test]
    fn sample_file_parses_exactly() {
        assert_eq!(parse(SAMPLE), Ok(expected_sample()));
    }

    #[test]
    fn sample_structured_communications_have_valid_check_digits() {
        let statement = parse(SAMPLE).expect("sample parses");
        let structured: Vec<&str> = statement
            .entries
            .iter()
            .filter_map(|e| e.communication.as_deref())
            .filter(|c| c.chars().any(|ch| ch.is_ascii_digit()))
            .collect();
        assert_eq!(structured.len(), 5);
        for c in structured {
            assert!(valid_ogm(c), "{c}");
        }
        assert!(!valid_ogm("202600000195"));
    }

    #[test]
    fn balances_and_summary_are_not_needed() {
        let start = SAMPLE.find("<Bal>").expect("sample has Bal");
        let end_tag = "</TxsSummry>";
        let end = SAMPLE.find(end_tag).expect("sample has TxsSummry") + end_tag.len();
        let stripped = format!("{}{}", &SAMPLE[..start], &SAMPLE[end..]);
        assert!(!stripped.contains("<Bal>") && !stripped.contains("TxsSummry"));
        assert_eq!(parse(&stripped), Ok(expected_sample()));
    }

    #[test]
    fn amount_parsing_table() {
        let table: &[(&str, Option<i64>)] = &[
            ("25.41", Some(2541)),
            ("25.4", Some(2540)),
            ("25", Some(2500)),
            ("0.01", Some(1)),
            ("0", Some(0)),
            ("1234.5", Some(123450)),
            (" 12.00 ", Some(1200)),
            ("\n\t7.05\n", Some(705)),
            ("007.10", Some(710)),
            ("12.500", Some(1250)),
            (".5", Some(50)),
            ("5.", Some(500)),
            ("92233720368547758.07", Some(i64::MAX)),
            ("92233720368547758.08", None),
            ("99999999999999999999", None),
            ("0.001", None),
            ("1.234", None),
            ("-5", None),
            ("-0", None),
            ("+5", None),
            ("1e3", None),
            ("1,50", None),
            ("1 000", None),
            ("1.2.3", None),
            ("12.", Some(1200)),
            (".", None),
            ("", None),
            ("   ", None),
            ("abc", None),
            ("١٢", None),
            ("NaN", None),
        ];
        for (input, expected) in table {
            assert_eq!(parse_amount_cents(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn camt053_v08_snippet() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<camt:Document xmlns:camt="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <camt:BkToCstmrStmt>
  <camt:GrpHdr><camt:MsgId>KBC-1</camt:MsgId><camt:CreDtTm>2026-11-28T07:00:00+01:00</camt:CreDtTm></camt:GrpHdr>
  <camt:Stmt>
   <camt:Id>KBC-STMT-0042</camt:Id>
   <camt:Acct><camt:Id><camt:IBAN>BE23001518592691</camt:IBAN></camt:Id></camt:Acct>
   <camt:Ntry>
    <camt:Amt Ccy="EUR">40.00</camt:Amt>
    <camt:CdtDbtInd>CRDT</camt:CdtDbtInd>
    <camt:Sts><camt:Cd>BOOK</camt:Cd></camt:Sts>
    <camt:BookgDt><camt:DtTm>2026-11-27T14:05:00.000+01:00</camt:DtTm></camt:BookgDt>
    <camt:ValDt><camt:Dt>2026-11-28</camt:Dt></camt:ValDt>
    <camt:AcctSvcrRef>KBC-E-1</camt:AcctSvcrRef>
    <camt:BkTxCd><camt:Domn><camt:Cd>PMNT</camt:Cd></camt:Domn></camt:BkTxCd>
    <camt:NtryDtls>
     <camt:TxDtls>
      <camt:Refs><camt:AcctSvcrRef>KBC-T-1</camt:AcctSvcrRef></camt:Refs>
      <camt:Amt Ccy="EUR">40.00</camt:Amt>
      <camt:CdtDbtInd>CRDT</camt:CdtDbtInd>
      <camt:RltdPties>
       <camt:Dbtr><camt:Pty><camt:Nm> Famille Claes </camt:Nm></camt:Pty></camt:Dbtr>
       <camt:DbtrAcct><camt:Id><camt:IBAN>BE68539007547034</camt:IBAN></camt:Id></camt:DbtrAcct>
      </camt:RltdPties>
      <camt:RmtInf>
       <camt:Strd><camt:CdtrRefInf>
        <camt:Tp><camt:CdOrPrtry><camt:Cd>SCOR</camt:Cd></camt:CdOrPrtry><camt:Issr>BBA</camt:Issr></camt:Tp>
        <camt:Ref>+++202/6000/00192+++</camt:Ref>
       </camt:CdtrRefInf></camt:Strd>
      </camt:RmtInf>
     </camt:TxDtls>
    </camt:NtryDtls>
   </camt:Ntry>
   <camt:Ntry>
    <camt:Amt Ccy="EUR">9.99</camt:Amt>
    <camt:CdtDbtInd>CRDT</camt:CdtDbtInd>
    <camt:Sts><camt:Cd>PDNG</camt:Cd></camt:Sts>
    <camt:BookgDt><camt:Dt>2026-11-29</camt:Dt></camt:BookgDt>
    <camt:AcctSvcrRef>KBC-E-PENDING</camt:AcctSvcrRef>
   </camt:Ntry>
  </camt:Stmt>
 </camt:BkToCstmrStmt>
</camt:Document>"#;
        let statement = parse(xml).expect("v08 parses");
        assert_eq!(statement.statement_id, "KBC-STMT-0042");
        assert_eq!(statement.account_iban.as_deref(), Some("BE23001518592691"));
        // The pending entry is skipped.
        assert_eq!(
            statement.entries,
            vec![StatementEntry {
                bank_reference: "KBC-T-1".to_owned(),
                booked_on: date(2026, 11, 27),
                amount_cents: 4000,
                currency: "EUR".to_owned(),
                credit: true,
                communication: Some("+++202/6000/00192+++".to_owned()),
                debtor_name: Some("Famille Claes".to_owned()),
                debtor_iban: Some("BE68539007547034".to_owned()),
            }]
        );
    }

    #[test]
    fn value_date_is_the_fallback_for_booking_date() {
        let xml = doc(
            "04",
            "S",
            r#"<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><ValDt><DtTm>2026-02-28T23:30:00Z</DtTm></ValDt></Ntry>"#,
        );
        let statement = parse(&xml).expect("parses");
        assert_eq!(statement.entries[0].booked_on, date(2026, 2, 28));
        assert_eq!(statement.account_iban.as_deref(), Some("BE23001518592691"));
    }

    #[test]
    fn reversal_is_not_a_credit() {
        let xml = doc(
            "02",
            "S",
            r#"<Ntry><Amt Ccy="EUR">84.70</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>
                <BookgDt><Dt>2026-11-27</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef>
                <NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>202600000192</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>
              </Ntry>
              <Ntry><Amt Ccy="EUR">84.70</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>false</RvslInd>
                <BookgDt><Dt>2026-11-27</Dt></BookgDt><AcctSvcrRef>R2</AcctSvcrRef></Ntry>"#,
        );
        let statement = parse(&xml).expect("parses");
        assert_eq!(statement.entries.len(), 2);
        assert!(!statement.entries[0].credit);
        assert_eq!(statement.entries[0].amount_cents, 8470);
        assert_eq!(statement.entries[0].communication.as_deref(), Some("202600000192"));
        assert!(statement.entries[1].credit);

        let bad = doc(
            "02",
            "S",
            r#"<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>maybe</RvslInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>"#,
        );
        assert_eq!(parse(&bad), Err(CamtError::Invalid("Ntry[1]/RvslInd".to_owned())));
    }

    #[test]
    fn missing_or_malformed_required_elements_are_invalid() {
        let ok = r#"<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>"#;
        let cases: &[(&str, &str)] = &[
            (
                r#"<Ntry><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>"#,
                "Ntry[2]/Amt",
            ),
            (
                r#"<Ntry><Amt Ccy="EUR">-1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>"#,
                "Ntry[2]/Amt",
            ),
            (
                r#"<Ntry><Amt>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>"#,
                "Ntry[2]/Amt/@Ccy",
            ),
            (
                r#"<Ntry><Amt Ccy="EUR">1.00</Amt><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>"#,
                "Ntry[2]/CdtDbtInd",
            ),
            (
                r#"<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CREDIT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>"#,
                "Ntry[2]/CdtDbtInd",
            ),
            (
                r#"<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>"#,
                "Ntry[2]/BookgDt",
            ),
            (
                r#"<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry>"#,
                "Ntry[2]/BookgDt",
            ),
            (
                r#"<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><ValDt><Dt>27/11/2026</Dt></ValDt></Ntry>"#,
                "Ntry[2]/ValDt",
            ),
            (
                r#"<Ntry><Amt Ccy="EUR">25.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt>
                   <NtryDtls><TxDtls><Amt Ccy="EUR">10.00</Amt></TxDtls><TxDtls><Refs><AcctSvcrRef>X</AcctSvcrRef></Refs></TxDtls></NtryDtls></Ntry>"#,
                "Ntry[2]/NtryDtls/TxDtls[2]/Amt",
            ),
        ];
        for (bad_entry, path) in cases {
            let xml = doc("02", "S", &format!("{ok}{bad_entry}"));
            assert_eq!(parse(&xml), Err(CamtError::Invalid((*path).to_owned())), "{bad_entry}");
        }
        let no_id = doc("02", "", ok);
        assert_eq!(parse(&no_id), Err(CamtError::Invalid("Stmt[1]/Id".to_owned())));
    }

    #[test]
    fn not_xml_is_an_xml_error() {
        for input in [
            "",
            "this is not xml",
            "<Document><BkToCstmrStmt>",
            "{\"json\": true}",
            "<a></b>",
        ] {
            assert!(matches!(parse(input), Err(CamtError::Xml(_))), "{input:?}");
        }
        let err = parse("not xml").expect_err("error");
        assert!(err.to_string().starts_with("not well-formed XML"));
    }

    #[test]
    fn other_xml_is_not_camt053() {
        let camt054 = r#"<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>N1</MsgId><CreDtTm>2026-11-27T10:00:00</CreDtTm></GrpHdr>
    <Ntfctn><Id>N1</Id><Acct><Id><IBAN>BE23001518592691</IBAN></Id></Acct>
      <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>"#;
        assert_eq!(parse(camt054), Err(CamtError::NotCamt053));
        assert_eq!(parse("<html><body>hello</body></html>"), Err(CamtError::NotCamt053));
        assert_eq!(
            parse("<Document><BkToCstmrStmt/></Document>"),
            Err(CamtError::NotCamt053)
        );
    }

    #[test]
    fn dtd_and_entities_are_rejected_without_panic() {
        let entity = r#"<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY id "ENTITY-ID">]>
<Document><BkToCstmrStmt><Stmt><Id>&id;</Id></Stmt></BkToCstmrStmt></Document>"#;
        assert!(matches!(parse(entity), Err(CamtError::Xml(_))));
        let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Document><BkToCstmrStmt><Stmt><Id>&lol3;</Id></Stmt></BkToCstmrStmt></Document>"#;
        assert!(matches!(parse(laughs), Err(CamtError::Xml(_))));
        let external = r#"<?xml version="1.0"?><!DOCTYPE d SYSTEM "file:///etc/passwd"><d/>"#;
        assert!(matches!(parse(external), Err(CamtError::Xml(_))));
    }

    #[test]
    fn input_over_max_bytes_is_too_large() {
        let mut big = String::with_capacity(MAX_BYTES + 1);
        big.push_str(SAMPLE);
        while big.len() <= MAX_BYTES {
            big.push(' ');
        }
        assert_eq!(parse(&big), Err(CamtError::TooLarge));
        // Exactly MAX_BYTES is still accepted (trailing whitespace after the root is fine).
        big.truncate(MAX_BYTES);
        assert_eq!(parse(&big), Ok(expected_sample()));
    }

    #[test]
    fn fallback_references_are_distinct_and_stable() {
        let entries = r#"
            <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>
            <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt>
              <NtryDtls><TxDtls><RmtInf><Ustrd>same</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
            <Ntry><Amt Ccy="EUR">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt>
              <NtryDtls><TxDtls><Amt Ccy="EUR">1.00</Amt></TxDtls></NtryDtls>
              <NtryDtls><TxDtls><Amt Ccy="EUR">2.00</Amt></TxDtls></NtryDtls></Ntry>
            <Ntry><NtryRef>NR7</NtryRef><Amt Ccy="EUR">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt>
              <NtryDtls><TxDtls><Amt Ccy="EUR">1.00</Amt></TxDtls><TxDtls><Amt Ccy="EUR">2.00</Amt></TxDtls></NtryDtls></Ntry>
            <Ntry><NtryRef>NR8</NtryRef><Amt Ccy="EUR">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>
            <Ntry><Amt Ccy="EUR">3.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt><AcctSvcrRef>AS9</AcctSvcrRef>
              <NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">1.00</Amt></TxAmt></AmtDtls></TxDtls>
                <TxDtls><Refs><AcctSvcrRef>TX-OWN</AcctSvcrRef></Refs><Amt Ccy="EUR">2.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls></NtryDtls></Ntry>"#;
        let xml = doc("05", "STMT-77", entries);
        let first = parse(&xml).expect("parses");
        let second = parse(&xml).expect("parses again");
        assert_eq!(first, second);
        let refs: Vec<&str> = first.entries.iter().map(|e| e.bank_reference.as_str()).collect();
        assert_eq!(
            refs,
            [
                "STMT-77:1:1",
                "STMT-77:2:1",
                "STMT-77:3:1",
                "STMT-77:3:2",
                "NR7:1",
                "NR7:2",
                "NR8",
                "AS9:1",
                "TX-OWN"
            ]
        );
        let mut unique = refs.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), refs.len());
        // Batch amounts come from each transaction; the tx-level CdtDbtInd overrides the entry's.
        let amounts: Vec<i64> = first.entries.iter().map(|e| e.amount_cents).collect();
        assert_eq!(amounts, [100, 100, 100, 200, 100, 200, 300, 100, 200]);
        assert!(!first.entries[7].credit);
        assert!(first.entries[8].credit);
        assert_eq!(first.entries[1].communication.as_deref(), Some("same"));
    }

    #[test]
    fn several_statements_are_merged() {
        let one = r#"<Stmt><Id>A</Id><Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry></Stmt>"#;
        let two = r#"<Stmt><Id>B</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id></Acct>
            <Ntry><Amt Ccy="USD">2</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-28</Dt></BookgDt></Ntry></Stmt>"#;
        let three = r#"<Stmt><Id>C</Id></Stmt>"#;
        let xml = format!("<Document><BkToCstmrStmt><GrpHdr/>{one}{two}{three}</BkToCstmrStmt></Document>");
        let statement = parse(&xml).expect("parses");
        assert_eq!(statement.statement_id, "A+B+C");
        assert_eq!(statement.account_iban.as_deref(), Some("BE68539007547034"));
        let refs: Vec<&str> = statement.entries.iter().map(|e| e.bank_reference.as_str()).collect();
        assert_eq!(refs, ["A:1:1", "B:1:1"]);
        assert_eq!(statement.entries[1].currency, "USD");

        let bad = format!(
            "<Document><BkToCstmrStmt>{one}<Stmt><Id>B</Id><Ntry><CdtDbtInd>CRDT</CdtDbtInd></Ntry></Stmt></BkToCstmrStmt></Document>"
        );
        assert_eq!(parse(&bad), Err(CamtError::Invalid("Stmt[2]/Ntry[1]/Amt".to_owned())));
    }

    #[test]
    fn remittance_and_text_details() {
        let entries = r#"
            <Ntry><Amt Ccy="EUR"> 5.00 </Amt><CdtDbtInd> CRDT </CdtDbtInd><BookgDt><Dt>2026-11-27+01:00</Dt></BookgDt>
              <NtryDtls><TxDtls><RmtInf>
                <Ustrd>ignored because Strd wins</Ustrd>
                <Strd><RfrdDocInf><Nb>INV-1</Nb></RfrdDocInf></Strd>
                <Strd><CdtrRefInf><Ref>  <![CDATA[202600000192]]>  </Ref></CdtrRefInf></Strd>
              </RmtInf>
              <RltdPties><Dbtr><Nm>Caf<!-- c -->é &lt;Chez Léon&gt;</Nm></Dbtr><DbtrAcct><Id><IBAN> BE68 5390 0754 7034 </IBAN></Id></DbtrAcct></RltdPties>
              </TxDtls></NtryDtls></Ntry>
            <Ntry><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-27</Dt></BookgDt>
              <NtryDtls><TxDtls><RmtInf><Ustrd>   </Ustrd><Strd><CdtrRefInf><Ref/></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>"#;
        let statement = parse(&doc("03", "S", entries)).expect("parses");
        let first = &statement.entries[0];
        assert_eq!(first.amount_cents, 500);
        assert!(first.credit);
        assert_eq!(first.booked_on, date(2026, 11, 27));
        assert_eq!(first.communication.as_deref(), Some("202600000192"));
        assert_eq!(first.debtor_name.as_deref(), Some("Café <Chez Léon>"));
        assert_eq!(first.debtor_iban.as_deref(), Some("BE68539007547034"));
        let second = &statement.entries[1];
        assert_eq!(second.communication, None);
        assert_eq!(second.debtor_name, None);
        assert_eq!(second.debtor_iban, None);
    }

    #[test]
    fn nesting_limit() {
        let nested = |depth: usize| {
            let inner = 3; // Document, BkToCstmrStmt, Stmt
            format!(
                "<Document><BkToCstmrStmt><Stmt><Id>S</Id>{}{}<!-- <x> --><![CDATA[<y>]]><?pi <z>?><e a='>' b=\"<\"/></Stmt></BkToCstmrStmt></Document>",
                "<a x='1'>".repeat(depth - inner),
                "</a>".repeat(depth - inner)
            )
        };
        // At the limit: parsed (the attribute value with '<' is then refused by roxmltree itself).
        let at_limit = nested(MAX_DEPTH).replace(" b=\"<\"", "");
        assert_eq!(parse(&at_limit).map(|s| s.statement_id), Ok("S".to_owned()));
        assert!(matches!(parse(&nested(MAX_DEPTH)), Err(CamtError::Xml(_))));
        let over = nested(MAX_DEPTH + 1).replace(" b=\"<\"", "");
        assert_eq!(
            parse(&over),
            Err(CamtError::Xml(format!(
                "elements nested deeper than {MAX_DEPTH} levels"
            )))
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 300_000;
        let xml = format!(
            "<Document><BkToCstmrStmt><Stmt><Id>{}x{}</Id></Stmt></BkToCstmrStmt></Document>",
            "<a>".repeat(depth),
            "</a>".repeat(depth)
        );
        assert!(xml.len() < MAX_BYTES);
        assert!(matches!(parse(&xml), Err(CamtError::Xml(_))));
        let open_only = "<Document><BkToCstmrStmt>".to_owned() + &"<Stmt>".repeat(depth);
        assert!(matches!(parse(&open_only), Err(CamtError::Xml(_))));
    }

    #[test]
    fn error_display_and_trait() {
        let err: Box<dyn std::error::Error> = Box::new(CamtError::Invalid("Ntry[3]/Amt".to_owned()));
        assert!(err.to_string().contains("Ntry[3]/Amt"));
        assert!(CamtError::TooLarge.to_string().contains(&MAX_BYTES.to_string()));
        assert!(CamtError::NotCamt053.to_string().contains("camt.053"));
    }

    /// xorshift64: a tiny deterministic PRNG, good enough to pick mutation positions.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: usize) -> usize {
            if n == 0 { 0 } else { (self.next() % n as u64) as usize }
        }
    }

    #[test]
    fn random_truncations_and_mutations_never_panic() {
        const SNIPPETS: &[&str] = &[
            "<",
            ">",
            "/",
            "&",
            "&amp;",
            "&#0;",
            "&#x10FFFF;",
            "<!--",
            "]]>",
            "<![CDATA[",
            "\"",
            "'",
            "-1",
            ".",
            "999999999999999999999",
            "é",
            "\u{0}",
            "</Ntry>",
            "<Ntry>",
            "<TxDtls>",
            "</TxDtls>",
            "<Amt Ccy=\"EUR\">",
            "</Stmt>",
            "<Stmt>",
            "<!DOCTYPE x>",
            "xmlns:a=\"u\"",
            "<a:Ntry>",
            "2026-13-45",
            "T",
        ];
        const TEXT_SNIPPETS: &[&str] = &["-", "x", ".", "9", "0.001", " ", "T", "+", "99999999999999999999", "é"];
        let original = SAMPLE.as_bytes();
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut outcomes = [0usize; 5];
        for _ in 0..2_000 {
            let mut bytes = original.to_vec();
            let mutations = 1 + rng.below(3);
            for _ in 0..mutations {
                let len = bytes.len();
                match rng.below(8) {
                    0 => bytes.truncate(rng.below(len + 1)),
                    1 => {
                        let start = rng.below(len + 1);
                        let end = (start + rng.below(64)).min(len);
                        bytes.drain(start..end);
                    }
                    2 => {
                        let at = rng.below(len + 1);
                        let snippet = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
                        bytes.splice(at..at, snippet.iter().copied());
                    }
                    3 => {
                        if len > 0 {
                            let at = rng.below(len);
                            bytes[at] = b' ' + (rng.below(95) as u8);
                        }
                    }
                    4 => {
                        let start = rng.below(len + 1);
                        let end = (start + rng.below(2_000)).min(len);
                        let copy = bytes[start..end].to_vec();
                        let at = rng.below(len + 1);
                        bytes.splice(at..at, copy);
                    }
                    5 => {
                        if len > 0 {
                            let at = rng.below(len);
                            bytes[at] = rng.next() as u8;
                        }
                    }
                    _ => {
                        // Edit text content right after a '>' (keeps the XML well-formed), so that
                        // the camt-level checks (amounts, dates, codes) are exercised too.
                        let from = rng.below(len + 1);
                        if let Some(offset) = bytes.get(from..).and_then(|rest| rest.iter().position(|&b| b == b'>')) {
                            let at = from + offset + 1;
                            let snippet = TEXT_SNIPPETS[rng.below(TEXT_SNIPPETS.len())].as_bytes();
                            bytes.splice(at..at, snippet.iter().copied());
                        }
                    }
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            let slot = match parse(&text) {
                Ok(_) => 0,
                Err(CamtError::Xml(_)) => 1,
                Err(CamtError::NotCamt053) => 2,
                Err(CamtError::Invalid(_)) => 3,
                Err(CamtError::TooLarge) => 4,
            };
            outcomes[slot] += 1;
        }
        // The mutations exercise both the XML layer and the camt layer.
        assert!(outcomes[0] > 0 && outcomes[1] > 0 && outcomes[3] > 0, "{outcomes:?}");
    }
}
