//! camt.053 bank statements, as staff upload them: never a panic, and what is read keeps its
//! documented promises (amounts exact and non-negative, every entry with a reference).
#![no_main]

use domain::payment::camt::{parse, parse_amount_cents};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(statement) = parse(input) {
        for entry in &statement.entries {
            assert!(entry.amount_cents >= 0, "{entry:?}");
            assert!(!entry.bank_reference.is_empty(), "{entry:?}");
        }
    }
    if let Some(cents) = parse_amount_cents(input) {
        assert!(cents >= 0);
        let written = format!("{}.{:02}", cents / 100, cents % 100);
        assert_eq!(parse_amount_cents(&written), Some(cents), "{written}");
    }
});
