//! The rules of an order's life after "Continuer", without I/O: which status changes who may
//! make, which lines a cancellation takes, whether a refund request is within its partner's
//! rule, and when a yearly product's renewal reminders fall due. `order::process` (in the app) applies
//! them in transactions; the browser uses them to offer only what the server would accept.

use crate::calendar::add_months;
use crate::catalog::rules::form_encode;
use crate::order::model::{Approval, OrderDetail, OrderFilter, OrderQueue, OrderStatus};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// A step staff (or, for cancellation, the organisation) ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// "Marquer payée": the transfer arrived (payments usually do this themselves).
    MarkPaid,
    /// "Transmise au partenaire".
    Transmit,
    /// "Exécutée": keys available, code e-mailed, hardware shipped.
    Fulfil,
    /// "Annuler".
    Cancel,
    /// "Remboursée": the fee went back to the organisation.
    Refund,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::MarkPaid,
        Action::Transmit,
        Action::Fulfil,
        Action::Cancel,
        Action::Refund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::MarkPaid => "mark_paid",
            Action::Transmit => "transmit",
            Action::Fulfil => "fulfil",
            Action::Cancel => "cancel",
            Action::Refund => "refund",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Action::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// Who asks for a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Organisation,
    Staff,
}

/// What a step needs to know of the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderFacts {
    pub status: OrderStatus,
    pub approval: Option<Approval>,
    /// Money has come in for it (so a cancelled order may still owe a refund).
    pub paid: bool,
}

impl OrderDetail {
    /// What the lifecycle rules need to know.
    pub fn facts(&self) -> OrderFacts {
        OrderFacts {
            status: self.status,
            approval: self.approval,
            paid: self.invoice.as_ref().is_some_and(|i| i.paid_cents > 0),
        }
    }
}

/// Why a step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRefusal {
    /// Not from this status (cancelling a transmitted order, fulfilling a submitted one…).
    NotFromStatus,
    /// Only staff move orders forward.
    StaffOnly,
    /// A Cisco order goes to the partner once Cisco has approved it.
    AwaitingApproval,
}

impl StepRefusal {
    pub fn code(self) -> &'static str {
        match self {
            StepRefusal::NotFromStatus => "transition_not_allowed",
            StepRefusal::StaffOnly => "staff_only",
            StepRefusal::AwaitingApproval => "awaiting_approval",
        }
    }
}

/// The status `action` leads to from `order`, or why it may not be taken.
///
/// submitted → paid → transmitted → fulfilled; submitted or paid → cancelled (by the
/// organisation too: "until the order is transmitted"); transmitted, fulfilled, or cancelled
/// after payment → refunded.
pub fn next_status(order: OrderFacts, action: Action, actor: Actor) -> Result<OrderStatus, StepRefusal> {
    use OrderStatus::*;
    if actor == Actor::Organisation && action != Action::Cancel {
        return Err(StepRefusal::StaffOnly);
    }
    match (action, order.status) {
        (Action::MarkPaid, Submitted) => Ok(Paid),
        (Action::Transmit, Paid) => match order.approval {
            Some(Approval::Pending | Approval::Refused) => Err(StepRefusal::AwaitingApproval),
            Some(Approval::Approved) | None => Ok(Transmitted),
        },
        (Action::Fulfil, Transmitted) => Ok(Fulfilled),
        (Action::Cancel, Submitted | Paid) => Ok(Cancelled),
        (Action::Refund, Transmitted | Fulfilled) => Ok(Refunded),
        (Action::Refund, Cancelled) if order.paid => Ok(Refunded),
        _ => Err(StepRefusal::NotFromStatus),
    }
}

/// The steps staff may take on `order` now, for the buttons of the processing page.
pub fn staff_actions(order: OrderFacts) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|&action| next_status(order, action, Actor::Staff).is_ok())
        .collect()
}

/// Whether the organisation may still cancel (all or part of) the order.
pub fn cancellable(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Submitted | OrderStatus::Paid)
}

/// An order line as cancellation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelLine<'a> {
    pub id: &'a str,
    pub partner_id: &'a str,
    pub cancelled: bool,
}

/// Why a cancellation is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelRefusal {
    /// No line chosen, or a chosen line that is not a live line of this order.
    NoSuchLine,
}

/// The lines a cancellation of `chosen` takes: the chosen ones and, when any of them is a
/// Microsoft line, every live Microsoft line of the order ("all its Microsoft lines are
/// cancelled"). In order-line order.
pub fn lines_to_cancel<'a>(lines: &[CancelLine<'a>], chosen: &[String]) -> Result<Vec<&'a str>, CancelRefusal> {
    if chosen.is_empty() {
        return Err(CancelRefusal::NoSuchLine);
    }
    let live = |id: &str| lines.iter().any(|l| l.id == id && !l.cancelled);
    if !chosen.iter().all(|id| live(id)) {
        return Err(CancelRefusal::NoSuchLine);
    }
    let microsoft = lines
        .iter()
        .any(|l| l.partner_id == "microsoft" && chosen.iter().any(|c| c == l.id));
    Ok(lines
        .iter()
        .filter(|l| !l.cancelled && (chosen.iter().any(|c| c == l.id) || (microsoft && l.partner_id == "microsoft")))
        .map(|l| l.id)
        .collect())
}

/// Which refund rule of domain.md applies to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundRule {
    /// Refurbished hardware: within 14 days of validation, return shipping at the
    /// organisation's cost.
    Hardware14Days,
    /// Microsoft: within two months of validation, licences unused (declaration), never
    /// Windows Get Genuine.
    Microsoft2Months,
    /// Cisco: damaged items, within 60 days of delivery.
    CiscoDamaged60Days,
    /// Zoom fees and other software: not refundable.
    NotRefundable,
}

impl RefundRule {
    pub fn for_line(partner_id: &str) -> Self {
        match partner_id {
            "hardware" => RefundRule::Hardware14Days,
            "microsoft" => RefundRule::Microsoft2Months,
            "cisco" => RefundRule::CiscoDamaged60Days,
            _ => RefundRule::NotRefundable,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RefundRule::Hardware14Days => "hardware_14_days",
            RefundRule::Microsoft2Months => "microsoft_2_months",
            RefundRule::CiscoDamaged60Days => "cisco_damaged_60_days",
            RefundRule::NotRefundable => "not_refundable",
        }
    }
}

/// A line as a refund request sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundLine<'a> {
    pub partner_id: &'a str,
    /// `false` for Windows Get Genuine.
    pub refundable: bool,
    pub status: OrderStatus,
    pub validated_on: Option<NaiveDate>,
    /// Cisco: the day the (last) parcel arrived.
    pub delivered_on: Option<NaiveDate>,
    pub cancelled: bool,
    pub refunded: bool,
}

/// Why a refund request is refused; `last_day` is the rule's deadline when one passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum RefundRefusal {
    /// Zoom fees and other software.
    NotRefundable,
    /// Windows Get Genuine.
    NeverRefunded,
    /// Before transmission the order is cancelled instead; cancelled or refunded lines have
    /// nothing left to refund.
    NotNow,
    /// Microsoft: the declaration that the licences are unused is missing.
    DeclarationRequired,
    /// Cisco: nothing delivered yet.
    NotDelivered,
    TooLate {
        last_day: NaiveDate,
    },
}

impl RefundRefusal {
    pub fn code(self) -> &'static str {
        match self {
            RefundRefusal::NotRefundable => "refund_not_refundable",
            RefundRefusal::NeverRefunded => "refund_never_refunded",
            RefundRefusal::NotNow => "refund_not_now",
            RefundRefusal::DeclarationRequired => "refund_declaration_required",
            RefundRefusal::NotDelivered => "refund_not_delivered",
            RefundRefusal::TooLate { .. } => "refund_too_late",
        }
    }
}

/// The last day a refund may be asked for under `rule`, if the dates it counts from are known.
pub fn refund_deadline(
    rule: RefundRule,
    validated_on: Option<NaiveDate>,
    delivered_on: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match rule {
        RefundRule::Hardware14Days => validated_on.map(|d| d + Days::new(14)),
        RefundRule::Microsoft2Months => validated_on.map(|d| add_months(d, 2)),
        RefundRule::CiscoDamaged60Days => delivered_on.map(|d| d + Days::new(60)),
        RefundRule::NotRefundable => None,
    }
}

/// Whether a refund of `line` may be asked for on `today`; `declaration`: the organisation
/// declares the licences unused (Microsoft).
pub fn check_refund(line: &RefundLine<'_>, today: NaiveDate, declaration: bool) -> Result<RefundRule, RefundRefusal> {
    let rule = RefundRule::for_line(line.partner_id);
    if rule == RefundRule::NotRefundable {
        return Err(RefundRefusal::NotRefundable);
    }
    if !line.refundable {
        return Err(RefundRefusal::NeverRefunded);
    }
    if line.cancelled || line.refunded || !matches!(line.status, OrderStatus::Transmitted | OrderStatus::Fulfilled) {
        return Err(RefundRefusal::NotNow);
    }
    if rule == RefundRule::CiscoDamaged60Days && line.delivered_on.is_none() {
        return Err(RefundRefusal::NotDelivered);
    }
    // A transmitted order has been validated; an order from before validation dates were
    // kept counts from today, which never refuses wrongly.
    let last_day = refund_deadline(rule, line.validated_on.or(Some(today)), line.delivered_on).unwrap_or(today);
    if today > last_day {
        return Err(RefundRefusal::TooLate { last_day });
    }
    if rule == RefundRule::Microsoft2Months && !declaration {
        return Err(RefundRefusal::DeclarationRequired);
    }
    Ok(rule)
}

/// Products bought for a year and renewed by ordering them again: Zoom codes, Autodesk
/// subscriptions, AWS credits.
pub fn is_yearly(partner_id: &str) -> bool {
    matches!(partner_id, "zoom" | "autodesk" | "aws")
}

/// How long a yearly product lasts from fulfilment.
pub const YEARLY_MONTHS: u32 = 12;

/// When a yearly product fulfilled on `fulfilled_on` runs out.
pub fn yearly_expiry(fulfilled_on: NaiveDate) -> NaiveDate {
    add_months(fulfilled_on, YEARLY_MONTHS)
}

/// Renewal reminders go this many days before expiry.
pub const RENEWAL_DAYS: [i64; 3] = [30, 15, 5];

/// The reminder due on `today` for a product expiring on `expires_on`: the nearest threshold
/// not yet passed (30 days left → 30; 14 left → 15; 3 left → 5), none before 30 days or once
/// expired. A sweep that missed a threshold (a stopped server) sends the current one only.
pub fn renewal_threshold(expires_on: NaiveDate, today: NaiveDate) -> Option<i64> {
    let left = (expires_on - today).num_days();
    if left <= 0 {
        return None;
    }
    RENEWAL_DAYS.into_iter().rev().find(|&days| left <= days)
}

/// The filter an order list's address names, as its GET form and its pager write it:
/// `?status=paid&partner=microsoft&from=2026-01-01&to=2026-03-31&page=2` ("Mes demandes" and
/// the staff queues), and for staff `queue=refunds` and `q=DON-2026-000123` (the search).
/// `get` reads one parameter; what does not parse is left out. When the address names no
/// status, queue nor search, the list shows `unfiltered`: staff open on the paid orders,
/// which wait to be transmitted; an empty `status=` means every status.
pub fn order_filter_from_query(get: impl Fn(&str) -> Option<String>, unfiltered: Option<OrderStatus>) -> OrderFilter {
    let text = |key: &str| {
        get(key)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let date = |key: &str| text(key).and_then(|value| NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok());
    let queue = text("queue").and_then(|queue| OrderQueue::parse(&queue));
    let search = text("q");
    let named = queue.is_some() || search.is_some() || get("status").is_some();
    OrderFilter {
        status: if named {
            text("status").and_then(|status| OrderStatus::parse(&status))
        } else {
            unfiltered
        },
        partner: text("partner"),
        from: date("from"),
        to: date("to"),
        page: text("page")
            .and_then(|page| page.parse::<u32>().ok())
            .map_or(0, |page| page.saturating_sub(1)),
        queue,
        search,
    }
}

/// The address query of `filter` at `page` (from 0), as [`order_filter_from_query`] reads it:
/// the pager's links. `status` is always written, empty for every status, so that a page of
/// staff's "Toutes" stays "Toutes".
pub fn order_filter_query(filter: &OrderFilter, page: u32) -> String {
    let date = |date: Option<NaiveDate>| date.map(|date| date.format("%Y-%m-%d").to_string());
    let pairs = [
        ("queue", filter.queue.map(|queue| queue.as_str().to_owned())),
        ("q", filter.search.clone()),
        (
            "status",
            Some(filter.status.map(OrderStatus::as_str).unwrap_or_default().to_owned()),
        ),
        ("partner", filter.partner.clone()),
        ("from", date(filter.from)),
        ("to", date(filter.to)),
        ("page", (page > 0).then(|| (page + 1).to_string())),
    ];
    let query = pairs
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| format!("{key}={}", form_encode(&value))))
        .collect::<Vec<_>>()
        .join("&");
    format!("?{query}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    fn facts(status: OrderStatus) -> OrderFacts {
        OrderFacts {
            status,
            approval: None,
            paid: false,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn staff_move_orders_along_the_documented_path_only() {
        let all = [Submitted, Paid, Transmitted, Fulfilled, Cancelled, Refunded];
        let mut allowed = Vec::new();
        for from in all {
            for action in Action::ALL {
                if let Ok(to) = next_status(facts(from), action, Actor::Staff) {
                    allowed.push((from, to));
                }
            }
        }
        assert_eq!(
            allowed,
            vec![
                (Submitted, Paid),
                (Submitted, Cancelled),
                (Paid, Transmitted),
                (Paid, Cancelled),
                (Transmitted, Fulfilled),
                (Transmitted, Refunded),
                (Fulfilled, Refunded),
            ]
        );
        let paid_then_cancelled = OrderFacts {
            paid: true,
            ..facts(Cancelled)
        };
        assert_eq!(
            next_status(paid_then_cancelled, Action::Refund, Actor::Staff),
            Ok(Refunded)
        );
        assert_eq!(
            next_status(facts(Fulfilled), Action::Cancel, Actor::Staff),
            Err(StepRefusal::NotFromStatus)
        );
    }

    #[test]
    fn organisations_only_cancel_and_only_before_transmission() {
        for action in [Action::MarkPaid, Action::Transmit, Action::Fulfil, Action::Refund] {
            assert_eq!(
                next_status(facts(Paid), action, Actor::Organisation),
                Err(StepRefusal::StaffOnly)
            );
        }
        assert_eq!(
            next_status(facts(Submitted), Action::Cancel, Actor::Organisation),
            Ok(Cancelled)
        );
        assert_eq!(
            next_status(facts(Paid), Action::Cancel, Actor::Organisation),
            Ok(Cancelled)
        );
        assert_eq!(
            next_status(facts(Transmitted), Action::Cancel, Actor::Organisation),
            Err(StepRefusal::NotFromStatus)
        );
        assert!(cancellable(Paid) && !cancellable(Transmitted));
    }

    #[test]
    fn cisco_orders_wait_for_approval() {
        let mut order = facts(Paid);
        order.approval = Some(Approval::Pending);
        assert_eq!(
            next_status(order, Action::Transmit, Actor::Staff),
            Err(StepRefusal::AwaitingApproval)
        );
        assert_eq!(staff_actions(order), vec![Action::Cancel]);
        order.approval = Some(Approval::Refused);
        assert!(next_status(order, Action::Transmit, Actor::Staff).is_err());
        order.approval = Some(Approval::Approved);
        assert_eq!(next_status(order, Action::Transmit, Actor::Staff), Ok(Transmitted));
    }

    #[test]
    fn cancelling_one_microsoft_line_takes_every_microsoft_line() {
        let lines = [
            CancelLine {
                id: "office",
                partner_id: "microsoft",
                cancelled: false,
            },
            CancelLine {
                id: "acrobat",
                partner_id: "adobe",
                cancelled: false,
            },
            CancelLine {
                id: "visio",
                partner_id: "microsoft",
                cancelled: false,
            },
            CancelLine {
                id: "old",
                partner_id: "microsoft",
                cancelled: true,
            },
        ];
        assert_eq!(lines_to_cancel(&lines, &["visio".into()]), Ok(vec!["office", "visio"]));
        assert_eq!(lines_to_cancel(&lines, &["acrobat".into()]), Ok(vec!["acrobat"]));
        assert_eq!(lines_to_cancel(&lines, &[]), Err(CancelRefusal::NoSuchLine));
        assert_eq!(lines_to_cancel(&lines, &["old".into()]), Err(CancelRefusal::NoSuchLine));
        assert_eq!(
            lines_to_cancel(&lines, &["acrobat".into(), "another-order".into()]),
            Err(CancelRefusal::NoSuchLine)
        );
    }

    fn line(partner_id: &str, validated_on: NaiveDate) -> RefundLine<'_> {
        RefundLine {
            partner_id,
            refundable: true,
            status: Fulfilled,
            validated_on: Some(validated_on),
            delivered_on: None,
            cancelled: false,
            refunded: false,
        }
    }

    #[test]
    fn hardware_refunds_end_fourteen_days_after_validation() {
        let hw = line("hardware", date(2026, 3, 1));
        assert_eq!(
            check_refund(&hw, date(2026, 3, 15), false),
            Ok(RefundRule::Hardware14Days)
        );
        assert_eq!(
            check_refund(&hw, date(2026, 3, 16), false),
            Err(RefundRefusal::TooLate {
                last_day: date(2026, 3, 15)
            })
        );
    }

    #[test]
    fn microsoft_refunds_need_two_months_a_declaration_and_no_get_genuine() {
        let ms = line("microsoft", date(2026, 1, 31));
        // Two months after 31 January is the last day of March.
        assert_eq!(
            check_refund(&ms, date(2026, 3, 31), true),
            Ok(RefundRule::Microsoft2Months)
        );
        assert_eq!(
            check_refund(&ms, date(2026, 4, 1), true),
            Err(RefundRefusal::TooLate {
                last_day: date(2026, 3, 31)
            })
        );
        assert_eq!(
            check_refund(&ms, date(2026, 2, 10), false),
            Err(RefundRefusal::DeclarationRequired)
        );
        let genuine = RefundLine {
            refundable: false,
            ..ms
        };
        assert_eq!(
            check_refund(&genuine, date(2026, 2, 10), true),
            Err(RefundRefusal::NeverRefunded)
        );
    }

    #[test]
    fn cisco_refunds_count_from_delivery() {
        let mut cisco = line("cisco", date(2026, 1, 10));
        assert_eq!(
            check_refund(&cisco, date(2026, 2, 1), false),
            Err(RefundRefusal::NotDelivered)
        );
        cisco.delivered_on = Some(date(2026, 2, 1));
        assert_eq!(
            check_refund(&cisco, date(2026, 4, 2), false),
            Ok(RefundRule::CiscoDamaged60Days)
        );
        assert_eq!(
            check_refund(&cisco, date(2026, 4, 3), false),
            Err(RefundRefusal::TooLate {
                last_day: date(2026, 4, 2)
            })
        );
    }

    #[test]
    fn zoom_and_other_software_are_never_refunded_and_nothing_before_transmission() {
        for partner in ["zoom", "adobe", "autodesk", "aws"] {
            assert_eq!(
                check_refund(&line(partner, date(2026, 3, 1)), date(2026, 3, 2), true),
                Err(RefundRefusal::NotRefundable)
            );
        }
        let paid = RefundLine {
            status: Paid,
            ..line("hardware", date(2026, 3, 1))
        };
        assert_eq!(check_refund(&paid, date(2026, 3, 2), false), Err(RefundRefusal::NotNow));
        let done = RefundLine {
            refunded: true,
            ..line("hardware", date(2026, 3, 1))
        };
        assert_eq!(check_refund(&done, date(2026, 3, 2), false), Err(RefundRefusal::NotNow));
    }

    #[test]
    fn renewal_reminders_fall_thirty_fifteen_and_five_days_before_expiry() {
        let expires = date(2027, 6, 30);
        let due: Vec<(i64, Option<i64>)> = [31, 30, 16, 15, 6, 5, 1, 0, -3]
            .into_iter()
            .map(|left| (left, renewal_threshold(expires, expires - chrono::Duration::days(left))))
            .collect();
        assert_eq!(
            due,
            vec![
                (31, None),
                (30, Some(30)),
                (16, Some(30)),
                (15, Some(15)),
                (6, Some(15)),
                (5, Some(5)),
                (1, Some(5)),
                (0, None),
                (-3, None),
            ]
        );
        assert_eq!(yearly_expiry(date(2026, 2, 28)), date(2027, 2, 28));
        assert!(is_yearly("zoom") && is_yearly("aws") && is_yearly("autodesk") && !is_yearly("adobe"));
    }

    #[test]
    fn an_order_lists_address_gives_its_filter_and_the_pager_writes_it_back() {
        let query = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned())
        };
        // Nothing named: staff see the paid orders, an organisation everything.
        assert_eq!(order_filter_from_query(query(&[]), Some(Paid)).status, Some(Paid));
        assert_eq!(order_filter_from_query(query(&[]), None), OrderFilter::default());
        // An empty status is every status; a queue or a search also lifts the default.
        assert_eq!(
            order_filter_from_query(query(&[("status", "")]), Some(Paid)).status,
            None
        );
        let queue = order_filter_from_query(query(&[("queue", "refunds")]), Some(Paid));
        assert_eq!((queue.queue, queue.status), (Some(OrderQueue::Refunds), None));
        let search = order_filter_from_query(query(&[("q", "  DON-2026-000123 ")]), Some(Paid));
        assert_eq!(
            (search.search.as_deref(), search.status),
            (Some("DON-2026-000123"), None)
        );
        // Every field, the page counted from 1 in the address and from 0 in the filter.
        let full = order_filter_from_query(
            query(&[
                ("status", "transmitted"),
                ("partner", "microsoft"),
                ("from", "2026-01-01"),
                ("to", "2026-03-31"),
                ("page", "3"),
            ]),
            None,
        );
        assert_eq!(
            full,
            OrderFilter {
                status: Some(Transmitted),
                partner: Some("microsoft".into()),
                from: Some(date(2026, 1, 1)),
                to: Some(date(2026, 3, 31)),
                page: 2,
                queue: None,
                search: None,
            }
        );
        assert_eq!(
            order_filter_query(&full, 3),
            "?status=transmitted&partner=microsoft&from=2026-01-01&to=2026-03-31&page=4"
        );
        // What does not parse is left out; page 0 and page 1 are the first.
        let hostile = order_filter_from_query(
            query(&[
                ("status", "shipped"),
                ("queue", "everything"),
                ("from", "2026-02-30"),
                ("to", "yesterday"),
                ("page", "-1"),
                ("partner", "   "),
            ]),
            Some(Paid),
        );
        assert_eq!(hostile, OrderFilter::default());
        assert_eq!(order_filter_from_query(query(&[("page", "0")]), None).page, 0);
        // The search is encoded as a browser encodes it, and read back the same.
        let typed = OrderFilter {
            search: Some("+++202/6000/12345+++ é&x".into()),
            queue: Some(OrderQueue::AwaitingApproval),
            ..OrderFilter::default()
        };
        let written = order_filter_query(&typed, 1);
        assert_eq!(
            written,
            "?queue=awaiting_approval&q=%2B%2B%2B202%2F6000%2F12345%2B%2B%2B+%C3%A9%26x&status=&page=2"
        );
        // Staff's "Toutes": the next page keeps every status.
        let all = order_filter_from_query(query(&[("status", "")]), Some(Paid));
        assert!(order_filter_query(&all, 1).contains("status=&"));
    }
}
