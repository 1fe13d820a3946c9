//! The two migration folders must stay in lock-step: same files, same tables, same columns.
//! Moved from `app/src/db/mod.rs`.
#![expect(
    clippy::unwrap_used,
    reason = "test helper (it was inside a #[cfg(test)] module): an unreadable migration must fail the test"
)]

use std::collections::BTreeMap;
use std::path::Path;

fn schema(backend: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(backend);
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let sql = std::fs::read_to_string(&path).unwrap();
        let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut current: Option<String> = None;
        for line in sql.lines().map(|l| l.split("--").next().unwrap_or("").trim()) {
            if let Some(rest) = line.strip_prefix("create table ") {
                let table = rest.split_whitespace().next().unwrap().to_owned();
                tables.insert(table.clone(), Vec::new());
                current = Some(table);
            } else if line.starts_with(");") {
                current = None;
            } else if let Some(table) = &current {
                let first = line.split_whitespace().next().unwrap_or("");
                if !first.is_empty() && !["primary", "unique", "foreign", "check", "constraint"].contains(&first) {
                    tables.get_mut(table).unwrap().push(first.to_owned());
                }
            } else if let Some(rest) = line.strip_prefix("alter table ") {
                // "alter table t add column c <type>": the type is backend-specific.
                let head: Vec<&str> = rest.split_whitespace().take(4).collect();
                tables.entry(format!("alter {}", head.join(" "))).or_default();
            }
        }
        files.insert(name, tables);
    }
    files
}

#[test]
fn sqlite_and_postgres_migrations_define_the_same_schema() {
    let sqlite = schema("sqlite");
    let postgres = schema("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        postgres.keys().collect::<Vec<_>>(),
        "migration files differ"
    );
    assert_eq!(sqlite, postgres);
}
