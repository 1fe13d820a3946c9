//! Deadlines as data ("En retard"): what the programme promised and has not done yet, computed
//! from the dates the orders, refund requests and files carry. Pure: `today` (a day in
//! Belgium) is an argument.
//!
//! - refurbished hardware ships within **10 business days** of payment: an order is late from
//!   the 11th business day after the day it became paid, as long as no parcel was recorded;
//! - Cisco's approval takes **up to 8 weeks** (56 days) from its request, made at checkout (the
//!   order is transmitted only once approved): a Cisco order still awaiting it on the 57th day
//!   after it was placed is late;
//! - a refund request is answered within **5 business days** (the programme's own target:
//!   domain.md sets none; a week of work is what an organisation waiting for its money can be
//!   expected to accept): a request still pending on the 6th business day is late;
//! - an eligibility file is decided within **two business days** once complete (the review
//!   clock, [`crate::org::rules::review_deadline`]), as the dashboard's "dossiers en retard".
//!
//! Each late item has its age (business days, or days for Cisco, since its reference date) and
//! how late it is (the same unit, past its deadline).
//!
//! The daily staff digest ("Résumé quotidien") is chosen per staff member from
//! [`DigestSection`]s; [`digest_day_due`] says from when a day's digest may go out.

use crate::calendar::{add_business_days, business_days_between};
use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// Business days within which refurbished hardware ships after payment.
pub const HARDWARE_SHIPPING_BUSINESS_DAYS: u32 = 10;
/// Days (8 weeks) within which Cisco approves or refuses an order, from its request.
pub const CISCO_APPROVAL_DAYS: u64 = 56;
/// Business days within which staff answer a refund request (the programme's target).
pub const REFUND_ANSWER_BUSINESS_DAYS: u32 = 5;

/// A promise with a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeadlineKind {
    /// "Matériel non expédié": refurbished hardware paid, no parcel after 10 business days.
    HardwareNotShipped,
    /// "Approbation Cisco en attente": asked more than 8 weeks ago, no answer.
    CiscoApprovalPending,
    /// "Demande de remboursement sans réponse": pending more than 5 business days.
    RefundUnanswered,
    /// "Dossier en retard": an eligibility file past its two business days.
    ReviewOverdue,
}

/// How an age is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgeUnit {
    BusinessDays,
    Days,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 4] = [
        DeadlineKind::HardwareNotShipped,
        DeadlineKind::CiscoApprovalPending,
        DeadlineKind::RefundUnanswered,
        DeadlineKind::ReviewOverdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::HardwareNotShipped => "hardware_not_shipped",
            DeadlineKind::CiscoApprovalPending => "cisco_approval_pending",
            DeadlineKind::RefundUnanswered => "refund_unanswered",
            DeadlineKind::ReviewOverdue => "review_overdue",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    pub fn unit(self) -> AgeUnit {
        match self {
            DeadlineKind::CiscoApprovalPending => AgeUnit::Days,
            _ => AgeUnit::BusinessDays,
        }
    }

    /// The last day the promise can still be kept for an item whose clock started on `since`.
    pub fn deadline(self, since: NaiveDate) -> NaiveDate {
        match self {
            DeadlineKind::HardwareNotShipped => add_business_days(since, HARDWARE_SHIPPING_BUSINESS_DAYS),
            DeadlineKind::CiscoApprovalPending => since
                .checked_add_days(Days::new(CISCO_APPROVAL_DAYS))
                .unwrap_or(NaiveDate::MAX),
            DeadlineKind::RefundUnanswered => add_business_days(since, REFUND_ANSWER_BUSINESS_DAYS),
            DeadlineKind::ReviewOverdue => crate::org::rules::review_deadline(since),
        }
    }

    /// Whether an item whose clock started on `since` is late on `today`.
    pub fn is_late(self, since: NaiveDate, today: NaiveDate) -> bool {
        today > self.deadline(since)
    }

    /// The first start day whose items are not late `today`: an item is late exactly when its
    /// clock started before this day, which lets SQL count and list the late items in an
    /// index. The deadline never moves back as the start moves forward, so the walk back
    /// stops at the first start already late (at most 56 steps, for Cisco).
    pub fn late_before(self, today: NaiveDate) -> NaiveDate {
        let mut first = today;
        while let Some(earlier) = first.pred_opt() {
            if self.is_late(earlier, today) {
                break;
            }
            first = earlier;
        }
        first
    }

    /// The item's age on `today`, in [`Self::unit`]s since `since`.
    pub fn age(self, since: NaiveDate, today: NaiveDate) -> i64 {
        between(self.unit(), since, today)
    }

    /// How far past its deadline the item is on `today`: 0 while on time, and also on the
    /// weekend or holiday right after a business-day deadline (late, but no business day lost yet).
    pub fn late_by(self, since: NaiveDate, today: NaiveDate) -> i64 {
        between(self.unit(), self.deadline(since), today)
    }
}

fn between(unit: AgeUnit, start: NaiveDate, end: NaiveDate) -> i64 {
    match unit {
        AgeUnit::BusinessDays => business_days_between(start, end),
        AgeUnit::Days => (end - start).num_days().max(0),
    }
}

/// What a late item is about; its page is `/admin/orders/{id}` or `/admin/organisations/{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LateTarget {
    Order,
    Organisation,
}

/// One late item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateItem {
    pub kind: DeadlineKind,
    pub target: LateTarget,
    /// The order's or the organisation's id.
    pub id: String,
    /// The order's reference (DON-2026-000123), or the organisation's name.
    pub label: String,
    /// The organisation's name (also for an order).
    pub organisation: String,
    /// The day its clock started (paid, approval asked, requested, file complete), in Belgium.
    pub since: NaiveDate,
    /// [`DeadlineKind::age`] and [`DeadlineKind::late_by`] on the day of the report.
    pub age: i64,
    pub late_by: i64,
}

impl LateItem {
    /// The staff page of the item.
    pub fn href(&self) -> String {
        match self.target {
            LateTarget::Order => format!("/admin/orders/{}", self.id),
            LateTarget::Organisation => format!("/admin/organisations/{}", self.id),
        }
    }
}

/// The late items of one kind: how many, and the oldest ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateGroup {
    pub kind: DeadlineKind,
    pub count: i64,
    /// Oldest first, at most the report's limit.
    pub oldest: Vec<LateItem>,
}

/// "En retard" on the staff dashboard: every kind, in [`DeadlineKind::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateReport {
    pub today: NaiveDate,
    pub groups: Vec<LateGroup>,
}

impl LateReport {
    pub fn total(&self) -> i64 {
        self.groups.iter().map(|group| group.count).sum()
    }
}

/// A part of the daily digest a staff member may choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DigestSection {
    /// Registrations (files to review) since the last digest.
    NewFiles,
    NewAppeals,
    NewRefundRequests,
    /// "Mon organisation est-elle inscrite ?" questions.
    NewInquiries,
    NewChangeRequests,
    /// The items of one deadline kind that are late.
    Late(DeadlineKind),
}

impl DigestSection {
    pub const ALL: [DigestSection; 9] = [
        DigestSection::NewFiles,
        DigestSection::NewAppeals,
        DigestSection::NewRefundRequests,
        DigestSection::NewInquiries,
        DigestSection::NewChangeRequests,
        DigestSection::Late(DeadlineKind::HardwareNotShipped),
        DigestSection::Late(DeadlineKind::CiscoApprovalPending),
        DigestSection::Late(DeadlineKind::RefundUnanswered),
        DigestSection::Late(DeadlineKind::ReviewOverdue),
    ];

    /// The stored and submitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            DigestSection::NewFiles => "new_files",
            DigestSection::NewAppeals => "new_appeals",
            DigestSection::NewRefundRequests => "new_refund_requests",
            DigestSection::NewInquiries => "new_inquiries",
            DigestSection::NewChangeRequests => "new_change_requests",
            DigestSection::Late(kind) => kind.as_str(),
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|section| section.as_str() == raw)
    }
}

/// A staff member's choice: no digest, or one holding these sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestChoice {
    /// False: "Pas de résumé".
    pub enabled: bool,
    /// In [`DigestSection::ALL`] order, each once.
    pub sections: Vec<DigestSection>,
}

impl Default for DigestChoice {
    /// Staff who never chose get every section: being told is the point of the digest.
    fn default() -> Self {
        DigestChoice {
            enabled: true,
            sections: DigestSection::ALL.to_vec(),
        }
    }
}

impl DigestChoice {
    /// From the submitted or stored names (any order, repeats ignored); `Err` with the first
    /// unknown name.
    pub fn parse<'a>(enabled: bool, names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut chosen = Vec::new();
        for name in names {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            chosen.push(DigestSection::parse(name).ok_or_else(|| name.chars().take(40).collect::<String>())?);
        }
        let sections = DigestSection::ALL
            .into_iter()
            .filter(|section| chosen.contains(section))
            .collect();
        Ok(DigestChoice { enabled, sections })
    }

    /// The stored form: the names joined by commas.
    pub fn sections_text(&self) -> String {
        self.sections.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
    }

    /// Whether a digest goes out at all: enabled with at least one section.
    pub fn wants_digest(&self) -> bool {
        self.enabled && !self.sections.is_empty()
    }
}

/// The Belgian day whose digest may go out at `now`, once its local hour `hour` (0-23) has
/// come; `None` before it.
pub fn digest_day_due(now: DateTime<Utc>, hour: u32) -> Option<NaiveDate> {
    let local = now.with_timezone(&crate::calendar::BELGIUM);
    (local.hour() >= hour).then(|| local.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(text: &str) -> NaiveDate {
        text.parse().expect("ISO date")
    }

    #[test]
    fn hardware_is_late_on_the_eleventh_business_day_across_a_weekend_and_a_holiday() {
        // Paid Friday 2026-11-06: 9, 10 (Sat, Sun), 11 November (Wednesday, Armistice) do
        // not count. Business days: 9, 10(Tue), 12, 13, 16, 17, 18, 19, 20, 23 → deadline 23rd.
        let paid = d("2026-11-06");
        let kind = DeadlineKind::HardwareNotShipped;
        assert_eq!(kind.deadline(paid), d("2026-11-23"));
        assert!(!kind.is_late(paid, d("2026-11-23")));
        assert!(kind.is_late(paid, d("2026-11-24")));
        assert_eq!(kind.age(paid, d("2026-11-24")), 11);
        assert_eq!(kind.late_by(paid, d("2026-11-24")), 1);
        assert_eq!(kind.late_by(paid, d("2026-11-20")), 0);
    }

    #[test]
    fn cisco_is_late_after_eight_weeks_counted_in_days() {
        let transmitted = d("2026-10-01");
        let kind = DeadlineKind::CiscoApprovalPending;
        assert_eq!(kind.deadline(transmitted), d("2026-11-26"));
        assert!(!kind.is_late(transmitted, d("2026-11-26")));
        assert!(kind.is_late(transmitted, d("2026-11-27")));
        assert_eq!(kind.age(transmitted, d("2026-11-27")), 57);
        assert_eq!(kind.late_by(transmitted, d("2026-11-30")), 4);
        assert_eq!(kind.unit(), AgeUnit::Days);
    }

    #[test]
    fn refunds_are_late_on_the_sixth_business_day() {
        // Asked Thursday 2026-12-17: 18, 21, 22, 23, 24 → deadline 24th; late from the 25th
        // (Christmas) as the review clock counts, though no business day has passed yet: the
        // first business day late is Monday 28th (26, 27 are a weekend).
        let asked = d("2026-12-17");
        let kind = DeadlineKind::RefundUnanswered;
        assert_eq!(kind.deadline(asked), d("2026-12-24"));
        assert!(!kind.is_late(asked, d("2026-12-24")));
        assert!(kind.is_late(asked, d("2026-12-25")));
        assert_eq!(kind.late_by(asked, d("2026-12-27")), 0);
        assert_eq!(kind.late_by(asked, d("2026-12-28")), 1);
        assert_eq!(kind.age(asked, d("2026-12-28")), 6);
    }

    #[test]
    fn reviews_follow_the_review_clock() {
        for today in d("2026-01-01").iter_days().take(400) {
            assert_eq!(
                DeadlineKind::ReviewOverdue.late_before(today),
                crate::org::rules::review_overdue_before(today),
                "{today}"
            );
        }
    }

    #[test]
    fn the_cut_off_agrees_with_the_deadline_for_every_kind_on_every_day_of_two_years() {
        for kind in DeadlineKind::ALL {
            for today in d("2026-01-01").iter_days().take(730) {
                let cut_off = kind.late_before(today);
                for start in (today - Days::new(90)).iter_days().take(91) {
                    assert_eq!(
                        kind.is_late(start, today),
                        start < cut_off,
                        "{kind:?} started {start}, today {today}"
                    );
                }
            }
        }
    }

    #[test]
    fn kinds_and_sections_round_trip_their_names() {
        for kind in DeadlineKind::ALL {
            assert_eq!(DeadlineKind::parse(kind.as_str()), Some(kind));
        }
        for section in DigestSection::ALL {
            assert_eq!(DigestSection::parse(section.as_str()), Some(section));
        }
        assert_eq!(DigestSection::parse("everything"), None);
    }

    #[test]
    fn choices_parse_in_a_fixed_order_and_refuse_unknown_names() {
        let choice = DigestChoice::parse(true, ["review_overdue", "new_files", "new_files", ""]).unwrap();
        assert_eq!(
            choice.sections,
            vec![
                DigestSection::NewFiles,
                DigestSection::Late(DeadlineKind::ReviewOverdue)
            ]
        );
        assert_eq!(choice.sections_text(), "new_files,review_overdue");
        assert!(choice.wants_digest());
        assert_eq!(
            DigestChoice::parse(true, ["new_files", "<script>"]),
            Err("<script>".into())
        );
        assert!(!DigestChoice::parse(false, ["new_files"]).unwrap().wants_digest());
        assert!(!DigestChoice::parse(true, Vec::<&str>::new()).unwrap().wants_digest());
        assert_eq!(DigestChoice::default().sections.len(), DigestSection::ALL.len());
    }

    #[test]
    fn the_digest_hour_is_brussels_time() {
        // 05:59 UTC is 06:59 in Brussels in winter (CET); 06:00 UTC is 07:00.
        let at = |h, m| Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap();
        assert_eq!(digest_day_due(at(5, 59), 7), None);
        assert_eq!(digest_day_due(at(6, 0), 7), Some(d("2026-12-07")));
        // 23:30 UTC on 7 December is 00:30 on 8 December in Brussels: the 8th's digest at
        // midnight is due, the one at 7 not yet (and the 7th's was due since 06:00 UTC).
        assert_eq!(digest_day_due(at(23, 30), 0), Some(d("2026-12-08")));
        assert_eq!(digest_day_due(at(23, 30), 7), None);
        assert_eq!(digest_day_due(at(22, 59), 7), Some(d("2026-12-07")));
        // Summer (CEST): 05:00 UTC is 07:00.
        let summer = Utc.with_ymd_and_hms(2026, 7, 7, 5, 0, 0).unwrap();
        assert_eq!(digest_day_due(summer, 7), Some(d("2026-07-07")));
    }
}
