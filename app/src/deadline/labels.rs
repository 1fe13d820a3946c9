//! The words of the deadline kinds and digest sections, for the dashboard and the e-mail
//! alike (the mail templates use these; they depend on nothing but the translations).

use crate::deadline::model::{DeadlineKind, DigestSection};
use crate::i18n::*;

/// The label of a deadline kind ("Matériel reconditionné non expédié…").
pub fn kind_label(locale: Locale, kind: DeadlineKind) -> String {
    match kind {
        DeadlineKind::HardwareNotShipped => td_string!(locale, deadlines.kind_hardware_not_shipped),
        DeadlineKind::CiscoApprovalPending => td_string!(locale, deadlines.kind_cisco_approval_pending),
        DeadlineKind::RefundUnanswered => td_string!(locale, deadlines.kind_refund_unanswered),
        DeadlineKind::ReviewOverdue => td_string!(locale, deadlines.kind_review_overdue),
    }
    .to_string()
}

/// The label of a digest section.
pub fn section_label(locale: Locale, section: DigestSection) -> String {
    match section {
        DigestSection::NewFiles => td_string!(locale, deadlines.section_new_files).to_string(),
        DigestSection::NewAppeals => td_string!(locale, deadlines.section_new_appeals).to_string(),
        DigestSection::NewRefundRequests => td_string!(locale, deadlines.section_new_refund_requests).to_string(),
        DigestSection::NewInquiries => td_string!(locale, deadlines.section_new_inquiries).to_string(),
        DigestSection::NewChangeRequests => td_string!(locale, deadlines.section_new_change_requests).to_string(),
        DigestSection::Late(kind) => kind_label(locale, kind),
    }
}
