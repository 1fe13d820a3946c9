//! Every e-mail the programme sends, in French, Dutch and English. The words are in the
//! locale files (`app/locales/{fr,nl,en}.json`, section `mail`), translated by the same
//! system as the interface; here each message supplies its values, amounts and dates
//! already formatted in the reader's language.
//! Plain text only: it reads well in every client and on every phone.

use crate::i18n::{Locale, td_string};

/// A message to write to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Email {
    /// "Inscription reçue": sent to the organisation's contact address.
    RegistrationReceived { organisation: String },
    /// Step 1 of the registration, when neither the holder's e-mail nor the enterprise number
    /// has an account: the link that creates the organisation (valid 24 hours, once).
    RegistrationConfirm { organisation: String, link: String },
    /// Step 1 of the registration, when the holder's e-mail already has an account: sign in or
    /// reset the password. Nothing to click that creates anything.
    RegistrationEmailTaken,
    /// Step 1 of the registration, when the enterprise number is already registered: ask the
    /// account holder for an invitation. Names only the number the sender typed.
    RegistrationNumberTaken { enterprise_number: String },
    /// The programme eligibility decision, with the reason when refused.
    EligibilityDecided {
        organisation: String,
        eligible: bool,
        reason: String,
    },
    /// Per-partner qualification changed: one line per partner ("Microsoft: qualifiée").
    QualificationChanged { organisation: String, lines: Vec<String> },
    /// Staff need more information; the question is shown in the account too.
    InformationRequested { organisation: String, question: String },
    /// "Demander un nouveau mot de passe": a single-use link.
    PasswordReset { full_name: String, link: String },
    /// The account holder added a member: a link to choose a password.
    MemberInvited {
        organisation: String,
        inviter: String,
        link: String,
    },
    /// An admin added a staff member: the link sets their password.
    StaffInvited { inviter: String, link: String },
    /// Someone tried to add an address that already has an account (it is not moved). Neutral:
    /// no name or text of the inviter's, nothing to click.
    AlreadyHasAccount,
    /// Staff made someone the account holder.
    HolderTransferred { organisation: String, holder: String },
    /// "Changer l'adresse e-mail de connexion": the single-use link (24 hours), sent to the
    /// new address; nothing changes until it is used.
    EmailChangeConfirm { full_name: String, link: String },
    /// The same request, told to the address in force, which stays until the link is used.
    EmailChangeNotice { full_name: String, new_email: String },
    /// "Rejoindre mon organisation": someone asks the account holder to join.
    JoinRequested {
        organisation: String,
        requester: String,
        email: String,
    },
    /// The account holder (or staff) refused a request to join.
    JoinRefused { organisation: String },
    /// Staff accepted or refused a change request (with the reason when refused).
    ChangeRequestDecided {
        organisation: String,
        accepted: bool,
        reason: String,
    },
    /// Staff's answer to "Mon organisation est-elle inscrite ?", written from a template in the
    /// inquirer's language and edited: sent to the reply address, it closes the question.
    InquiryAnswered { organisation: String, answer: String },
    /// "Continuer" created an order: its invoice and how to pay it. Amounts and dates come
    /// formatted in the reader's language.
    InvoiceIssued {
        order: OrderMail,
        total: String,
        due_on: String,
    },
    /// An unpaid order will expire soon.
    PaymentReminder {
        order: OrderMail,
        total: String,
        due_on: String,
    },
    /// An unpaid order expired: cancelled, its quota freed.
    OrderExpired { order: OrderMail },
    /// The transfer arrived: the order is paid.
    PaymentReceived { order: OrderMail },
    /// Staff moved an order on, or the organisation cancelled lines or asked for a refund:
    /// what happened, with the note staff wrote.
    OrderUpdated {
        organisation: String,
        reference: String,
        news: OrderNews,
        note: String,
        /// The order's page.
        link: String,
    },
    /// A yearly product (Zoom code, Autodesk subscription, AWS credits) runs out soon.
    RenewalDue {
        organisation: String,
        product: String,
        expires_on: String,
        days_left: i64,
        /// The order's page, with its "Renouveler" button.
        link: String,
    },
    /// A validation token expires in 7 days: to the person it was made for and the holder.
    /// The code itself is not in the message.
    TokenExpiring {
        organisation: String,
        recipient: String,
        purpose: String,
        expires_on: String,
        days_left: i64,
        /// The "Jeton de validation" tab.
        link: String,
    },
    /// "Résumé quotidien" to a staff member: the sections they chose that hold something.
    StaffDigest {
        full_name: String,
        /// The Belgian day it is for.
        day: chrono::NaiveDate,
        /// What arrived since their last digest, with counts.
        new: Vec<(domain::deadline::DigestSection, i64)>,
        /// The late kinds they chose: counts and the oldest items.
        late: Vec<domain::deadline::LateGroup>,
        /// The dashboard.
        link: String,
        /// Where they change what the digest holds.
        settings_link: String,
    },
    /// "Nous avons bien reçu votre message": the contact form's acknowledgement. Names only
    /// the topic chosen, never the text typed (the address may be anyone's).
    ContactReceived { topic: domain::contact::model::Topic },
    /// Staff's answer to a contact message, in the language it was sent in.
    ContactAnswered {
        name: String,
        subject: String,
        answer: String,
    },
}

/// What happened to an order, for [`Email::OrderUpdated`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderNews {
    Status(crate::order::model::OrderStatus),
    LinesCancelled,
    CiscoApproved,
    CiscoRefused,
    Shipped,
    CodesAvailable,
    RefundRequested,
    RefundAccepted,
    RefundRefused,
}

/// What every order message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderMail {
    pub organisation: String,
    pub reference: String,
    pub invoice_number: String,
    pub communication: String,
    pub iban: String,
    pub bic: String,
    /// The invoice page.
    pub link: String,
}

/// Subject and body of `email` in `locale`, signed with the programme's name.
///
/// The words are the `mail` keys of the locale files; each arm supplies a message's values.
pub fn render(email: &Email, locale: Locale, programme: &str, site: &str) -> (String, String) {
    let (subject, body) = match email {
        Email::RegistrationReceived { organisation } => (
            td_string!(locale, mail.registration_received_subject, organisation).to_string(),
            td_string!(locale, mail.registration_received_body, organisation, site).to_string(),
        ),
        Email::RegistrationConfirm { organisation, link } => (
            td_string!(locale, mail.registration_confirm_subject, organisation).to_string(),
            td_string!(locale, mail.registration_confirm_body, organisation, link).to_string(),
        ),
        Email::RegistrationEmailTaken => (
            td_string!(locale, mail.registration_email_taken_subject).to_string(),
            td_string!(locale, mail.registration_email_taken_body, site).to_string(),
        ),
        Email::RegistrationNumberTaken { enterprise_number } => (
            td_string!(locale, mail.registration_number_taken_subject).to_string(),
            td_string!(locale, mail.registration_number_taken_body, enterprise_number).to_string(),
        ),
        Email::EligibilityDecided {
            organisation,
            eligible,
            reason,
        } => {
            // A blank reason is left out (a change request's is only when empty).
            let reason = reason_line(locale, if reason.trim().is_empty() { "" } else { reason });
            if *eligible {
                (
                    td_string!(locale, mail.eligible_subject).to_string(),
                    td_string!(locale, mail.eligible_body, organisation, reason, site).to_string(),
                )
            } else {
                (
                    td_string!(locale, mail.not_eligible_subject).to_string(),
                    td_string!(locale, mail.not_eligible_body, organisation, reason, site).to_string(),
                )
            }
        }
        Email::QualificationChanged { organisation, lines } => (
            td_string!(locale, mail.qualification_changed_subject).to_string(),
            td_string!(
                locale,
                mail.qualification_changed_body,
                organisation,
                lines = lines.join("\n"),
                site
            )
            .to_string(),
        ),
        Email::InformationRequested { organisation, question } => (
            td_string!(locale, mail.information_requested_subject).to_string(),
            td_string!(locale, mail.information_requested_body, organisation, question, site).to_string(),
        ),
        Email::PasswordReset { full_name, link } => (
            td_string!(locale, mail.password_reset_subject).to_string(),
            td_string!(locale, mail.password_reset_body, full_name, link).to_string(),
        ),
        Email::MemberInvited {
            organisation,
            inviter,
            link,
        } => (
            td_string!(locale, mail.member_invited_subject).to_string(),
            td_string!(locale, mail.member_invited_body, inviter, organisation, link).to_string(),
        ),
        Email::StaffInvited { inviter, link } => (
            td_string!(locale, mail.staff_invited_subject).to_string(),
            td_string!(locale, mail.staff_invited_body, inviter, link).to_string(),
        ),
        Email::AlreadyHasAccount => (
            td_string!(locale, mail.already_has_account_subject).to_string(),
            td_string!(locale, mail.already_has_account_body).to_string(),
        ),
        Email::HolderTransferred { organisation, holder } => (
            td_string!(locale, mail.holder_transferred_subject).to_string(),
            td_string!(locale, mail.holder_transferred_body, holder, organisation, site).to_string(),
        ),
        Email::EmailChangeConfirm { full_name, link } => (
            td_string!(locale, mail.email_change_confirm_subject).to_string(),
            td_string!(locale, mail.email_change_confirm_body, full_name, link).to_string(),
        ),
        Email::EmailChangeNotice { full_name, new_email } => (
            td_string!(locale, mail.email_change_notice_subject).to_string(),
            td_string!(locale, mail.email_change_notice_body, full_name, new_email, site).to_string(),
        ),
        Email::JoinRequested {
            organisation,
            requester,
            email,
        } => (
            td_string!(locale, mail.join_requested_subject, organisation).to_string(),
            td_string!(locale, mail.join_requested_body, requester, email, organisation, site).to_string(),
        ),
        Email::JoinRefused { organisation } => (
            td_string!(locale, mail.join_refused_subject).to_string(),
            td_string!(locale, mail.join_refused_body, organisation, site).to_string(),
        ),
        Email::ChangeRequestDecided {
            organisation,
            accepted,
            reason,
        } => {
            let reason = reason_line(locale, reason);
            if *accepted {
                (
                    td_string!(locale, mail.change_accepted_subject).to_string(),
                    td_string!(locale, mail.change_accepted_body, organisation, reason, site).to_string(),
                )
            } else {
                (
                    td_string!(locale, mail.change_refused_subject).to_string(),
                    td_string!(locale, mail.change_refused_body, organisation, reason, site).to_string(),
                )
            }
        }
        Email::InquiryAnswered { organisation, answer } => (
            td_string!(locale, inquiries_admin.mail_subject, organisation).to_string(),
            td_string!(locale, inquiries_admin.mail_body, organisation, answer).to_string(),
        ),
        Email::InvoiceIssued {
            order: o,
            total,
            due_on,
        } => (
            td_string!(
                locale,
                mail.invoice_issued_subject,
                invoice_number = &o.invoice_number,
                reference = &o.reference
            )
            .to_string(),
            td_string!(
                locale,
                mail.invoice_issued_body,
                reference = &o.reference,
                organisation = &o.organisation,
                invoice_number = &o.invoice_number,
                total,
                due_on,
                iban = &o.iban,
                bic = &o.bic,
                communication = &o.communication,
                link = &o.link
            )
            .to_string(),
        ),
        Email::PaymentReminder {
            order: o,
            total,
            due_on,
        } => (
            td_string!(
                locale,
                mail.payment_reminder_subject,
                invoice_number = &o.invoice_number,
                due_on
            )
            .to_string(),
            td_string!(
                locale,
                mail.payment_reminder_body,
                invoice_number = &o.invoice_number,
                total,
                reference = &o.reference,
                due_on,
                iban = &o.iban,
                bic = &o.bic,
                communication = &o.communication,
                link = &o.link
            )
            .to_string(),
        ),
        Email::OrderExpired { order: o } => (
            td_string!(locale, mail.order_expired_subject, reference = &o.reference).to_string(),
            td_string!(
                locale,
                mail.order_expired_body,
                invoice_number = &o.invoice_number,
                reference = &o.reference,
                organisation = &o.organisation,
                link = &o.link
            )
            .to_string(),
        ),
        Email::PaymentReceived { order: o } => (
            td_string!(locale, mail.payment_received_subject, reference = &o.reference).to_string(),
            td_string!(
                locale,
                mail.payment_received_body,
                invoice_number = &o.invoice_number,
                reference = &o.reference,
                organisation = &o.organisation,
                link = &o.link
            )
            .to_string(),
        ),
        Email::OrderUpdated {
            organisation,
            reference,
            news,
            note,
            link,
        } => {
            let headline = order_headline(*news, locale, reference);
            let note = note.trim();
            let note = if note.is_empty() {
                String::new()
            } else {
                format!("\n\n{}", td_string!(locale, mail.order_note, note))
            };
            let body = td_string!(
                locale,
                mail.order_updated_body,
                headline = &headline,
                note,
                organisation,
                link
            );
            (headline.clone(), body.to_string())
        }
        Email::RenewalDue {
            organisation,
            product,
            expires_on,
            days_left,
            link,
        } => (
            td_string!(locale, mail.renewal_due_subject, product, days_left).to_string(),
            td_string!(
                locale,
                mail.renewal_due_body,
                product,
                organisation,
                expires_on,
                days_left,
                link
            )
            .to_string(),
        ),
        Email::TokenExpiring {
            organisation,
            recipient,
            purpose,
            expires_on,
            days_left,
            link,
        } => {
            let purpose = if purpose.is_empty() {
                String::new()
            } else {
                format!(" ({purpose})")
            };
            (
                td_string!(locale, mail.token_expiring_subject, days_left).to_string(),
                td_string!(
                    locale,
                    mail.token_expiring_body,
                    organisation,
                    recipient,
                    purpose,
                    expires_on,
                    days_left,
                    link
                )
                .to_string(),
            )
        }
        Email::StaffDigest {
            full_name,
            day,
            new,
            late,
            link,
            settings_link,
        } => {
            let date = crate::ui::dates::long_date(locale, *day);
            let count: i64 = new.iter().map(|(_, n)| n).sum::<i64>() + late.iter().map(|g| g.count).sum::<i64>();
            let sections = digest_sections(locale, site, new, late);
            (
                td_string!(locale, deadlines.digest_subject, date = &date, count).to_string(),
                td_string!(
                    locale,
                    deadlines.digest_body,
                    full_name,
                    date = &date,
                    sections,
                    link,
                    settings_link
                )
                .to_string(),
            )
        }
        Email::ContactReceived { topic } => (
            td_string!(locale, contact.received_subject).to_string(),
            td_string!(
                locale,
                contact.received_body,
                topic = crate::contact::labels::topic_label(locale, *topic),
                site
            )
            .to_string(),
        ),
        Email::ContactAnswered { name, subject, answer } => (
            td_string!(locale, contact.answered_subject, subject).to_string(),
            td_string!(locale, contact.answered_body, name, answer, site).to_string(),
        ),
    };
    (format!("[{programme}] {subject}"), format!("{body}\n\n— {programme}\n"))
}

/// The digest's sections as text: one line per "new" count, then each late kind with its
/// count and its oldest items (label, organisation, age, link).
fn digest_sections(
    locale: Locale,
    site: &str,
    new: &[(domain::deadline::DigestSection, i64)],
    late: &[domain::deadline::LateGroup],
) -> String {
    use domain::deadline::AgeUnit;
    let mut text = Vec::new();
    for (section, count) in new {
        let label = crate::deadline::labels::section_label(locale, *section);
        text.push(format!("- {}", td_string!(locale, deadlines.digest_line, label, count)));
    }
    for group in late {
        let label = crate::deadline::labels::kind_label(locale, group.kind);
        let mut lines = vec![format!(
            "- {}",
            td_string!(locale, deadlines.digest_line, label, count = group.count)
        )];
        for item in &group.oldest {
            let age = match group.kind.unit() {
                AgeUnit::BusinessDays => {
                    td_string!(locale, deadlines.age_business_days, age = item.age, late = item.late_by).to_string()
                }
                AgeUnit::Days => {
                    td_string!(locale, deadlines.age_days, age = item.age, late = item.late_by).to_string()
                }
            };
            lines.push(format!(
                "    {} ({}) — {age} — {site}{}",
                item.label,
                item.organisation,
                item.href()
            ));
        }
        let shown = group.oldest.len() as i64;
        if group.count > shown {
            lines.push(format!(
                "    {}",
                td_string!(locale, deadlines.more, count = group.count - shown)
            ));
        }
        text.push(lines.join("\n"));
    }
    text.join("\n")
}

/// "\n\nMotif : …", the reason staff gave for a decision; nothing when `reason` is empty.
fn reason_line(locale: Locale, reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!("\n\n{}", td_string!(locale, mail.reason, reason))
    }
}

/// The headline of `news` in `locale`: "La demande DON-2026-000001 est transmise au partenaire".
fn order_headline(news: OrderNews, locale: Locale, reference: &str) -> String {
    use crate::order::model::OrderStatus::*;
    match news {
        OrderNews::Status(Submitted) => td_string!(locale, mail.news_submitted, reference).to_string(),
        OrderNews::Status(Paid) => td_string!(locale, mail.news_paid, reference).to_string(),
        OrderNews::Status(Transmitted) => td_string!(locale, mail.news_transmitted, reference).to_string(),
        OrderNews::Status(Fulfilled) => td_string!(locale, mail.news_fulfilled, reference).to_string(),
        OrderNews::Status(Cancelled) => td_string!(locale, mail.news_cancelled, reference).to_string(),
        OrderNews::Status(Refunded) => td_string!(locale, mail.news_refunded, reference).to_string(),
        OrderNews::LinesCancelled => td_string!(locale, mail.news_lines_cancelled, reference).to_string(),
        OrderNews::CiscoApproved => td_string!(locale, mail.news_cisco_approved, reference).to_string(),
        OrderNews::CiscoRefused => td_string!(locale, mail.news_cisco_refused, reference).to_string(),
        OrderNews::Shipped => td_string!(locale, mail.news_shipped, reference).to_string(),
        OrderNews::CodesAvailable => td_string!(locale, mail.news_codes_available, reference).to_string(),
        OrderNews::RefundRequested => td_string!(locale, mail.news_refund_requested, reference).to_string(),
        OrderNews::RefundAccepted => td_string!(locale, mail.news_refund_accepted, reference).to_string(),
        OrderNews::RefundRefused => td_string!(locale, mail.news_refund_refused, reference).to_string(),
    }
}
