//! Configuration from environment variables (`app::config`).
//! Moved from `app/src/config.rs`'s unit tests.

use app::config::{Config, ConfigError, parse_percent_bps};
use std::collections::HashMap;

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Config::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn defaults_are_sqlite_on_port_3000() {
    let c = config(&[]).unwrap();
    assert_eq!(c.database_url, "sqlite://data/portal.db");
    assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
    assert_eq!(c.public_url, "http://127.0.0.1:3000");
    assert_eq!(c.programme.vat_rate_bps, 2100);
    assert_eq!(c.programme.iban, "BE23 0015 1859 2691");
    assert!(!c.demo_data);
    assert!(c.smtp.url.is_none());
}

#[test]
fn the_account_holder_is_the_legal_name_unless_the_bank_writes_it_otherwise() {
    let c = config(&[("PROGRAMME_LEGAL_NAME", "Solidarité Numérique ASBL")]).unwrap();
    assert_eq!(c.programme.account_holder, "Solidarité Numérique ASBL");
    let c = config(&[
        ("PROGRAMME_LEGAL_NAME", "Solidarité Numérique ASBL"),
        ("PROGRAMME_ACCOUNT_HOLDER", "ASBL SOLIDARITE NUMERIQUE"),
    ])
    .unwrap();
    assert_eq!(c.programme.account_holder, "ASBL SOLIDARITE NUMERIQUE");
    assert_eq!(c.programme.legal_name, "Solidarité Numérique ASBL");
}

#[test]
fn rejects_bad_values_with_the_variable_name() {
    let e = config(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
    assert_eq!(e.variable, "DATABASE_URL");
    let e = config(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err();
    assert_eq!(e.variable, "LEPTOS_SITE_ADDR");
    let e = config(&[("REQUEST_TIMEOUT_SECS", "-1")]).unwrap_err();
    assert_eq!(e.variable, "REQUEST_TIMEOUT_SECS");
    let e = config(&[("PROGRAMME_VAT_RATE", "101")]).unwrap_err();
    assert_eq!(e.variable, "PROGRAMME_VAT_RATE");
}

#[test]
fn parses_vat_percentages() {
    assert_eq!(parse_percent_bps("21"), Some(2100));
    assert_eq!(parse_percent_bps("5,5"), Some(550));
    assert_eq!(parse_percent_bps("17.01 %"), Some(1701));
    assert_eq!(parse_percent_bps("0"), Some(0));
    assert_eq!(parse_percent_bps("100"), Some(10_000));
    assert_eq!(parse_percent_bps("100.01"), None);
    assert_eq!(parse_percent_bps("1.234"), None);
    assert_eq!(parse_percent_bps("abc"), None);
    assert_eq!(parse_percent_bps(".5"), None);
}
