//! The e-mail templates (`app::mail::templates`).
//! Moved from `app/src/mail/templates.rs`'s unit tests.

use app::i18n::Locale;
use app::mail::templates::{Email, render};

#[test]
fn every_message_is_signed_and_names_its_subject() {
    let email = Email::PasswordReset {
        full_name: "Marie".into(),
        link: "https://x/reset?token=abc".into(),
    };
    for locale in [Locale::fr, Locale::nl, Locale::en] {
        let (subject, body) = render(&email, locale, "Dons", "https://x");
        assert!(subject.starts_with("[Dons] "));
        assert!(body.contains("https://x/reset?token=abc"));
        assert!(body.ends_with("— Dons\n"));
    }
}

#[test]
fn a_refusal_carries_its_reason() {
    let email = Email::EligibilityDecided {
        organisation: "ASBL X".into(),
        eligible: false,
        reason: "Statuts manquants".into(),
    };
    let (subject, body) = render(&email, Locale::fr, "Dons", "https://x");
    assert!(subject.contains("n'est pas éligible"));
    assert!(body.contains("Motif : Statuts manquants"));
}
