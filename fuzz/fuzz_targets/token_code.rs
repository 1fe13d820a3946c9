//! Validation token codes, as partners send them (exact) and as people paste them (lenient):
//! never a panic; an accepted code has the documented shape and reads back as itself.
#![no_main]

use domain::token::rules::TokenCode;
use libfuzzer_sys::fuzz_target;

fn has_the_shape(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 25
        && bytes[8] == b'@'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 8 || b.is_ascii_lowercase() || b.is_ascii_digit())
}

fuzz_target!(|input: &str| {
    let exact = TokenCode::parse(input);
    if let Some(code) = &exact {
        assert_eq!(code.as_str(), input);
        assert!(has_the_shape(code.as_str()));
    }
    if let Some(code) = TokenCode::parse_lenient(input) {
        assert!(has_the_shape(code.as_str()));
        assert_eq!(TokenCode::parse(code.as_str()).as_ref(), Some(&code));
    }
    if let Some(code) = exact {
        assert_eq!(
            TokenCode::parse_lenient(input),
            Some(code),
            "what is exact is also accepted leniently"
        );
    }
});
