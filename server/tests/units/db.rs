//! Database URL redaction (`app::db`).
//! Moved from `app/src/db/mod.rs`'s unit tests.

use app::db::redact_url;

#[test]
fn redacts_passwords_only() {
    assert_eq!(
        redact_url("postgres://app:s3cret@db:5432/portal"),
        "postgres://app:***@db:5432/portal"
    );
    assert_eq!(redact_url("postgres://app@db/portal"), "postgres://app@db/portal");
    assert_eq!(redact_url("postgres://db"), "postgres://db");
    assert_eq!(redact_url("sqlite://data/portal.db"), "sqlite://data/portal.db");
    assert_eq!(redact_url("nonsense"), "nonsense");
}
