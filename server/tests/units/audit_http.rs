//! The audit log's CSV export (`app::audit::http`).
//! Moved from `app/src/audit/http.rs`'s unit tests.

use app::audit::http::to_csv;
use app::audit::model::AuditEntry;

#[test]
fn formulas_are_neutralised_and_every_cell_is_quoted_with_semicolons() {
    let entry = AuditEntry {
        audit_event_id: "e1".into(),
        occurred_at: chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default(),
        actor_name: Some("=HYPERLINK(\"x\")".into()),
        actor_email: Some("Jean;=1+1;".into()),
        action: "help.question_edited".into(),
        entity_type: "help_question".into(),
        entity_id: "-1".into(),
        before: Some("{\"a\":\"b,c\"}".into()),
        after: Some("\t@SUM(A1)".into()),
    };
    let csv = String::from_utf8(to_csv(&[entry]).unwrap_or_default()).unwrap_or_default();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "\u{feff}\"occurred_at\";\"actor_name\";\"actor_email\";\"action\";\"entity_type\";\"entity_id\";\"before\";\"after\""
        )
    );
    let row = lines.next().unwrap_or_default();
    assert!(row.contains(";\"'=HYPERLINK(\"\"x\"\")\";"), "{row}");
    // A semicolon inside a value stays inside its quoted cell: no cell starts with `=`.
    assert!(row.contains(";\"Jean;=1+1;\";"), "{row}");
    assert!(row.contains(";\"'-1\";"), "{row}");
    assert!(row.contains(";\"{\"\"a\"\":\"\"b,c\"\"}\";"), "{row}");
    assert!(row.ends_with(";\"'\t@SUM(A1)\""), "{row}");
    // Read back as a spreadsheet splitting on `;` would: eight cells, none a formula.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let record = reader.records().next().and_then(Result::ok).unwrap_or_default();
    assert_eq!(record.len(), 8);
    assert!(
        record
            .iter()
            .all(|cell| !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])),
        "{record:?}"
    );
}
