//! The structured communication ("communication structurée") read from bank statements and
//! payment forms: never a panic; an accepted one reads back as itself from every form it is
//! written in, and its base gives it again.
#![no_main]

use domain::invoice::StructuredCommunication;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u64)| {
    let (text, base) = input;
    if let Some(communication) = StructuredCommunication::parse(text) {
        assert_eq!(
            StructuredCommunication::parse(&communication.to_string()),
            Some(communication)
        );
        assert_eq!(
            StructuredCommunication::parse(&communication.digits()),
            Some(communication)
        );
        assert_eq!(
            StructuredCommunication::from_base(communication.base()),
            Some(communication)
        );
    }
    match StructuredCommunication::from_base(base) {
        Some(communication) => {
            assert_eq!(communication.base(), base);
            assert_eq!(
                StructuredCommunication::parse(&communication.to_string()),
                Some(communication)
            );
        }
        None => assert!(base >= 10_000_000_000),
    }
});
