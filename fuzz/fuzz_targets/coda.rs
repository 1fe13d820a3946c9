//! CODA bank statements, as staff upload them, and the entry point that tells camt.053 and CODA
//! apart: never a panic, and what is read keeps its documented promises (amounts exact and
//! non-negative, every entry with a reference, unique within the statement).
#![no_main]

use domain::payment::{coda, reader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(parsed) = coda::parse(input) {
        let mut references = std::collections::HashSet::new();
        for entry in &parsed.entries {
            assert!(entry.amount_cents >= 0, "{entry:?}");
            assert!(!entry.bank_reference.is_empty(), "{entry:?}");
            // Several statements of one file may repeat a reference only if the file repeats
            // a statement; within the first statement the references are distinct.
            if parsed.statement_id.contains('+') {
                continue;
            }
            assert!(references.insert(entry.bank_reference.clone()), "{entry:?}");
        }
    }
    let _ = reader::parse(input);
});
