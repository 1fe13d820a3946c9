//! The forms' e-mail parser against the mailer's: every address a form accepts is one lettre
//! sends to, unchanged and without a display name (issue 21: `"x,y"@…` passed the forms and
//! stalled the outbox; `x<sophie@…>` passed and was delivered to Sophie).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use app::auth::rules::normalise_email;
use lettre::Address;
use lettre::message::Mailbox;
use proptest::prelude::*;

/// What lettre makes of an accepted address: the same address, with no name.
fn lettre_agrees(email: &str) -> Result<(), String> {
    let address: Address = email.parse().map_err(|e| format!("lettre refuses {email:?}: {e}"))?;
    if address.to_string() != email {
        return Err(format!("lettre reads {email:?} as {address}"));
    }
    let mailbox: Mailbox = email
        .parse()
        .map_err(|e| format!("lettre refuses the mailbox {email:?}: {e}"))?;
    if mailbox.name.is_some() || mailbox.email != address {
        return Err(format!("lettre reads the mailbox {email:?} as {mailbox}"));
    }
    Ok(())
}

#[test]
fn the_issue_s_addresses_are_refused_by_the_forms() {
    for raw in ["\"x,y\"@example.org", "x<sophie@example.org>", "\"x\"@example.org"] {
        assert_eq!(normalise_email(raw), Err("email_invalid"), "{raw:?}");
    }
    // The second is one lettre reads as Sophie's mailbox.
    let mailbox: Mailbox = "x<sophie@example.org>".parse().unwrap();
    assert_eq!(mailbox.email.to_string(), "sophie@example.org");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    /// Random strings over an alphabet rich in what confuses parsers (quotes, commas, angle
    /// brackets, parentheses, dots, blanks, accents): whatever the forms accept, lettre
    /// accepts as the very same plain address.
    #[test]
    fn whatever_the_forms_accept_lettre_sends_unchanged(
        raw in "[a-zA-Z0-9 \"',<>()\\[\\]@.+_~!#$%&*/=?^`{|}é:;\\\\-]{0,40}",
    ) {
        if let Ok(email) = normalise_email(&raw) {
            prop_assert_eq!(lettre_agrees(&email), Ok(()));
        }
    }

    /// Shaped like addresses, so that many are accepted: the same property where it matters.
    #[test]
    fn address_shaped_strings_the_forms_accept_lettre_sends_unchanged(
        local in "[a-zA-Z0-9.+_'\"(),<>-]{1,12}",
        domain in "[a-z0-9.-]{1,12}",
        tld in "[a-z]{2,4}",
    ) {
        let raw = format!("{local}@{domain}.{tld}");
        if let Ok(email) = normalise_email(&raw) {
            prop_assert_eq!(lettre_agrees(&email), Ok(()));
        }
    }
}
