//! The e-mail templates (`app::mail::templates`): every e-mail, in every branch, in every
//! language. Moved from `app/src/mail/templates.rs`'s unit tests.

use app::i18n::Locale;
use app::mail::templates::*;
use app::order::model::OrderStatus;

const LOCALES: [Locale; 3] = [Locale::fr, Locale::nl, Locale::en];

fn order() -> OrderMail {
    OrderMail {
        organisation: "ASBL X".into(),
        reference: "DON-2026-000001".into(),
        invoice_number: "F-2026-000001".into(),
        communication: "+++123/4567/89012+++".into(),
        iban: "BE68 5390 0754 7034".into(),
        bic: "GKCCBEBB".into(),
        link: "https://x/requests/1/invoice".into(),
    }
}

/// Every variant, and every branch of its text (verdicts, empty or blank reasons, notes
/// and purposes, every piece of order news).
fn every_email() -> Vec<Email> {
    let organisation = || String::from("ASBL X");
    let mut emails = vec![
        Email::RegistrationReceived {
            organisation: organisation(),
        },
        Email::QualificationChanged {
            organisation: organisation(),
            lines: vec!["Microsoft: qualifiée".into(), "Cisco: non qualifiée".into()],
        },
        Email::InformationRequested {
            organisation: organisation(),
            question: "Vos statuts ?".into(),
        },
        Email::PasswordReset {
            full_name: "Marie".into(),
            link: "https://x/reset?token=abc".into(),
        },
        Email::MemberInvited {
            organisation: organisation(),
            inviter: "Jean".into(),
            link: "https://x/invite?token=abc".into(),
        },
        Email::StaffInvited {
            inviter: "Jean".into(),
            link: "https://x/invite?token=abc".into(),
        },
        Email::AlreadyHasAccount,
        Email::RegistrationConfirm {
            organisation: organisation(),
            link: "https://x/register/confirm?token=abc".into(),
        },
        Email::RegistrationEmailTaken,
        Email::InquiryAnswered {
            organisation: "Les Amis du Quartier".into(),
            answer: "Bonjour,\n\nL'organisation dispose déjà d'un compte.".into(),
        },
        Email::RegistrationNumberTaken {
            enterprise_number: "0202.239.951".into(),
        },
        Email::HolderTransferred {
            organisation: organisation(),
            holder: "Marie".into(),
        },
        Email::EmailChangeConfirm {
            full_name: "Marie".into(),
            link: "https://x/account/email/confirm?token=abc".into(),
        },
        Email::EmailChangeNotice {
            full_name: "Marie".into(),
            new_email: "marie@nouveau.example.org".into(),
        },
        Email::JoinRequested {
            organisation: organisation(),
            requester: "Marie".into(),
            email: "marie@example.org".into(),
        },
        Email::JoinRefused {
            organisation: organisation(),
        },
        Email::InvoiceIssued {
            order: order(),
            total: "12,50 €".into(),
            due_on: "4 mars 2028".into(),
        },
        Email::PaymentReminder {
            order: order(),
            total: "12,50 €".into(),
            due_on: "4 mars 2028".into(),
        },
        Email::OrderExpired { order: order() },
        Email::PaymentReceived { order: order() },
        Email::RenewalDue {
            organisation: organisation(),
            product: "Zoom Pro".into(),
            expires_on: "4 mars 2028".into(),
            days_left: 30,
            link: "https://x/requests/1".into(),
        },
    ];
    for eligible in [true, false] {
        for reason in ["", "  ", "Statuts manquants"] {
            emails.push(Email::EligibilityDecided {
                organisation: organisation(),
                eligible,
                reason: reason.into(),
            });
        }
    }
    for accepted in [true, false] {
        for reason in ["", "Pas de preuve"] {
            emails.push(Email::ChangeRequestDecided {
                organisation: organisation(),
                accepted,
                reason: reason.into(),
            });
        }
    }
    let news = [
        OrderNews::Status(OrderStatus::Submitted),
        OrderNews::Status(OrderStatus::Paid),
        OrderNews::Status(OrderStatus::Transmitted),
        OrderNews::Status(OrderStatus::Fulfilled),
        OrderNews::Status(OrderStatus::Cancelled),
        OrderNews::Status(OrderStatus::Refunded),
        OrderNews::LinesCancelled,
        OrderNews::CiscoApproved,
        OrderNews::CiscoRefused,
        OrderNews::Shipped,
        OrderNews::CodesAvailable,
        OrderNews::RefundRequested,
        OrderNews::RefundAccepted,
        OrderNews::RefundRefused,
    ];
    for news in news {
        for note in ["", " ", "  Envoyé par DHL  "] {
            emails.push(Email::OrderUpdated {
                organisation: organisation(),
                reference: "DON-2026-000001".into(),
                news,
                note: note.into(),
                link: "https://x/requests/1".into(),
            });
        }
    }
    for purpose in ["", "Adobe"] {
        emails.push(Email::TokenExpiring {
            organisation: organisation(),
            recipient: "Marie".into(),
            purpose: purpose.into(),
            expires_on: "4 mars 2028".into(),
            days_left: 7,
            link: "https://x/account/tokens".into(),
        });
    }
    emails.push(staff_digest());
    for topic in app::contact::model::Topic::ALL {
        emails.push(Email::ContactReceived { topic });
    }
    emails.push(Email::ContactAnswered {
        name: "Marie".into(),
        subject: "Notre facture".into(),
        answer: "Bonjour,\n\nLa voici.".into(),
    });
    emails
}

/// The daily staff digest with every "new" section and every late kind, one of them holding
/// more items than it lists.
fn staff_digest() -> Email {
    use app::deadline::model::{DeadlineKind, DigestSection, LateGroup, LateItem, LateTarget};
    let day = |d: &str| d.parse::<chrono::NaiveDate>().expect("test date");
    let new = DigestSection::ALL
        .into_iter()
        .filter(|s| !matches!(s, DigestSection::Late(_)))
        .zip(1..)
        .collect();
    let late = DeadlineKind::ALL
        .into_iter()
        .map(|kind| {
            let target = if kind == DeadlineKind::ReviewOverdue {
                LateTarget::Organisation
            } else {
                LateTarget::Order
            };
            LateGroup {
                kind,
                count: 3,
                oldest: vec![LateItem {
                    kind,
                    target,
                    id: "id-1".into(),
                    label: "DON-2026-000001".into(),
                    organisation: "ASBL X".into(),
                    since: day("2026-11-06"),
                    age: 11,
                    late_by: 1,
                }],
            }
        })
        .collect();
    Email::StaffDigest {
        full_name: "Marie".into(),
        day: day("2026-11-24"),
        new,
        late,
        link: "https://x/admin".into(),
        settings_link: "https://x/admin/digest".into(),
    }
}

#[test]
fn the_staff_digest_lists_its_sections_with_links_and_ages() {
    let (subject, body) = render(&staff_digest(), Locale::fr, "Dons", "https://x");
    assert_eq!(subject, "[Dons] Résumé quotidien du 24 novembre 2026 : 27 à traiter");
    assert!(body.contains("- Nouveaux dossiers à examiner : 1\n"), "{body}");
    assert!(body.contains("- Nouvelles demandes de modification : 5\n"), "{body}");
    assert!(
        body.contains("    DON-2026-000001 (ASBL X) — 11 jours ouvrables, 1 de retard — https://x/admin/orders/id-1"),
        "{body}"
    );
    assert!(body.contains("11 jours, 1 de retard"), "Cisco in days: {body}");
    assert!(body.contains("https://x/admin/organisations/id-1"), "{body}");
    assert_eq!(body.matches("et 2 de plus").count(), 4, "{body}");
    assert!(body.contains("https://x/admin/digest"));
}

#[test]
fn every_email_renders_in_every_language() {
    for email in every_email() {
        let rendered = LOCALES.map(|locale| render(&email, locale, "Dons", "https://x"));
        for (subject, body) in &rendered {
            for text in [subject, body] {
                assert!(!text.contains("{{") && !text.contains("}}"), "{email:?}: {text}");
            }
            assert!(subject.len() > "[Dons] ".len(), "{email:?}");
            assert!(body.ends_with("\n\n— Dons\n"), "{email:?}: {body}");
        }
        for (i, first) in rendered.iter().enumerate() {
            for second in &rendered[i + 1..] {
                assert_ne!(first.0, second.0, "{email:?}: subjects");
                assert_ne!(first.1, second.1, "{email:?}: bodies");
            }
        }
    }
}

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
