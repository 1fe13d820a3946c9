//! Applies `order::rules` in transactions: every step changes the order, writes its
//! timeline event, its audit row and the organisation's e-mail together, or none of them.
//! Callers have checked who may act on the order; these functions check what may happen to it.

use crate::billing::issue::{CreditKind, credit};
use crate::db::{DbTx, Timestamp};
use crate::error::AppError;
use crate::mail::templates::{Email, OrderNews};
use crate::order::db::{self, NewEvent};
use crate::order::model::Approval;
use crate::order::model::{OrderDetail, OrderStatus, Shipment};
use crate::order::rules::{self, Action, Actor, CancelLine, RefundLine};
use crate::state::AppState;

/// Notes and reasons are kept to this many characters.
pub const MAX_NOTE: usize = 2000;

/// Who acts: a member of the order's organisation or staff.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub person_id: &'a str,
    pub actor: Actor,
}

fn note_ok(field: &str, note: &str, required: bool) -> Result<String, AppError> {
    let note = note.trim();
    if required && note.is_empty() {
        return Err(AppError::field(field, "required"));
    }
    if note.chars().count() > MAX_NOTE {
        return Err(AppError::field(field, "too_long"));
    }
    Ok(note.to_owned())
}

async fn load(tx: &mut DbTx, order_id: &str) -> Result<OrderDetail, AppError> {
    db::order_detail(tx, order_id, false).await?.ok_or(AppError::NotFound)
}

/// What one step leaves behind besides its own change: a timeline event, an audit row and,
/// with `news`, the e-mail that tells the organisation (with `mail_note`).
struct Trace<'a> {
    /// The event's kind: status, approval, shipment, delivery, fulfilment, lines_cancelled…
    kind: &'a str,
    from: Option<OrderStatus>,
    to: Option<OrderStatus>,
    /// The timeline's note.
    note: &'a str,
    /// The audit action, `order.<verb>`.
    action: &'a str,
    before: serde_json::Value,
    after: serde_json::Value,
    news: Option<OrderNews>,
    mail_note: &'a str,
}

async fn trace(
    tx: &mut DbTx,
    state: &AppState,
    order: &OrderDetail,
    who: Who<'_>,
    trace: Trace<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    db::insert_event(
        tx,
        &NewEvent {
            order_id: &order.order_id,
            kind: trace.kind,
            from_status: trace.from,
            to_status: trace.to,
            note: trace.note,
            person_id: Some(who.person_id),
        },
        now,
    )
    .await?;
    crate::audit::record(
        tx,
        crate::audit::AuditEvent {
            actor: Some(who.person_id),
            action: trace.action,
            entity_type: "order",
            entity_id: &order.order_id,
            before: Some(trace.before),
            after: Some(trace.after),
        },
        now,
    )
    .await?;
    if let Some(news) = trace.news {
        let email = Email::OrderUpdated {
            organisation: order.organisation_name.clone(),
            reference: order.reference.clone(),
            news,
            note: trace.mail_note.to_owned(),
            link: format!("{}/requests/{}", state.config.public_url, order.order_id),
        };
        let language = crate::org::db::contact(tx, &order.organisation_id)
            .await?
            .map(|(_, _, language)| language)
            .unwrap_or_default();
        let locale = crate::org::api::locale_of(&language);
        crate::mail::queue(tx, state, &order.contact_email, &email, locale).await?;
    }
    Ok(())
}

/// Moves `order` on by `action` inside `tx`.
async fn apply_step(
    tx: &mut DbTx,
    state: &AppState,
    order: &OrderDetail,
    action: Action,
    who: Who<'_>,
    note: &str,
    now: Timestamp,
) -> Result<OrderStatus, AppError> {
    let to = rules::next_status(order.facts(), action, who.actor).map_err(|r| AppError::Conflict(r.code().into()))?;
    let reason = (action == Action::Cancel).then_some(note);
    if !db::set_status(tx, &order.order_id, order.status, to, reason, now).await? {
        return Err(AppError::Conflict("order_changed".into()));
    }
    if to == OrderStatus::Cancelled {
        // Every cancellation after invoicing issues a credit note for what was still invoiced.
        let open: Vec<&str> = order
            .lines
            .iter()
            .filter(|l| !l.cancelled && !l.refunded)
            .map(|l| l.order_line_id.as_str())
            .collect();
        let reason = if note.is_empty() { "cancelled" } else { note };
        credit(tx, state, order, &open, CreditKind::Cancellation, reason, now).await?;
    }
    if to == OrderStatus::Fulfilled {
        db::default_expiry(
            tx,
            &order.order_id,
            rules::yearly_expiry(now.with_timezone(&domain::calendar::BELGIUM).date_naive()),
        )
        .await?;
    }
    let action = format!("order.{}", to.as_str());
    let trace_of_step = Trace {
        kind: "status",
        from: Some(order.status),
        to: Some(to),
        note,
        action: &action,
        before: serde_json::json!({ "status": order.status.as_str() }),
        after: serde_json::json!({ "status": to.as_str(), "note": note }),
        news: Some(OrderNews::Status(to)),
        mail_note: note,
    };
    trace(tx, state, order, who, trace_of_step, now).await?;
    Ok(to)
}

/// One status change. A cancellation needs a reason.
pub async fn step(
    state: &AppState,
    order_id: &str,
    action: Action,
    who: Who<'_>,
    note: &str,
) -> Result<OrderStatus, AppError> {
    let note = note_ok("note", note, action == Action::Cancel)?;
    match action {
        // "Marquer payée" records the payment of what is due, today.
        Action::MarkPaid => {
            let today = crate::db::now().with_timezone(&domain::calendar::BELGIUM).date_naive();
            return mark_paid(state, order_id, None, today, who).await;
        }
        // An order is refunded once the money paid back is recorded, never by a click alone.
        Action::Refund => return Err(AppError::Conflict("refund_not_recorded".into())),
        _ => {}
    }
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let order = load(&mut tx, order_id).await?;
    let to = apply_step(&mut tx, state, &order, action, who, &note, now).await?;
    tx.commit().await?;
    Ok(to)
}

/// The organisation (or staff) cancels `line_ids` of an order that is not transmitted yet,
/// with every Microsoft line when one is chosen. All its live lines: the order is cancelled.
/// Some: those lines are, and a credit note lowers what the invoice asks for. Either way the
/// quota they held is free at once.
pub async fn cancel(
    state: &AppState,
    order_id: &str,
    line_ids: &[String],
    reason: &str,
    who: Who<'_>,
) -> Result<OrderStatus, AppError> {
    let reason = note_ok("reason", reason, true)?;
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let order = load(&mut tx, order_id).await?;
    if !rules::cancellable(order.status) {
        return Err(AppError::Conflict("transition_not_allowed".into()));
    }
    let lines: Vec<CancelLine<'_>> = order
        .lines
        .iter()
        .map(|l| CancelLine {
            id: &l.order_line_id,
            partner_id: &l.partner_id,
            cancelled: l.cancelled,
        })
        .collect();
    let taken = rules::lines_to_cancel(&lines, line_ids).map_err(|_| AppError::field("lines", "choose_one"))?;
    let live = order.lines.iter().filter(|l| !l.cancelled).count();
    if taken.len() == live {
        let to = apply_step(&mut tx, state, &order, Action::Cancel, who, &reason, now).await?;
        tx.commit().await?;
        return Ok(to);
    }
    db::cancel_lines(&mut tx, order_id, &taken, now).await?;
    credit(&mut tx, state, &order, &taken, CreditKind::Cancellation, &reason, now).await?;
    let names: Vec<&str> = order
        .lines
        .iter()
        .filter(|l| taken.contains(&l.order_line_id.as_str()))
        .map(|l| l.product_name.as_str())
        .collect();
    let note = format!("{} — {reason}", names.join(", "));
    let cancelled = Trace {
        kind: "lines_cancelled",
        from: None,
        to: None,
        note: &note,
        action: "order.lines_cancelled",
        before: serde_json::json!({ "lines": live }),
        after: serde_json::json!({ "cancelled": taken, "reason": reason }),
        news: Some(OrderNews::LinesCancelled),
        mail_note: &note,
    };
    trace(&mut tx, state, &order, who, cancelled, now).await?;
    tx.commit().await?;
    Ok(order.status)
}

/// A refund request for `line_ids`, each judged by its partner's rule on `today`; all are
/// refused with the first rule that refuses one.
pub async fn request_refund(
    state: &AppState,
    order_id: &str,
    line_ids: &[String],
    reason: &str,
    declaration: bool,
    who: Who<'_>,
) -> Result<(), AppError> {
    let reason = note_ok("reason", reason, true)?;
    if line_ids.is_empty() {
        return Err(AppError::field("lines", "choose_one"));
    }
    let now = crate::db::now();
    let today = now.with_timezone(&domain::calendar::BELGIUM).date_naive();
    let mut tx = state.db.begin().await?;
    let order = load(&mut tx, order_id).await?;
    let delivered_on = order.delivered_on();
    for id in line_ids {
        let line = order
            .lines
            .iter()
            .find(|l| &l.order_line_id == id)
            .ok_or_else(|| AppError::field("lines", "choose_one"))?;
        let refund = RefundLine {
            partner_id: &line.partner_id,
            refundable: line.refundable,
            status: order.status,
            validated_on: order
                .validated_at
                .map(|d| d.with_timezone(&domain::calendar::BELGIUM).date_naive()),
            delivered_on,
            cancelled: line.cancelled,
            refunded: line.refunded,
        };
        rules::check_refund(&refund, today, declaration).map_err(|refusal| AppError::field("lines", refusal.code()))?;
        let refund = db::NewRefund {
            order_id,
            order_line_id: id,
            organisation_id: &order.organisation_id,
            person_id: who.person_id,
            reason: &reason,
            declaration,
        };
        if !db::insert_refund_request(&mut tx, &refund, now).await? {
            return Err(AppError::Conflict("refund_pending".into()));
        }
    }
    let requested = Trace {
        kind: "refund_requested",
        from: None,
        to: None,
        note: &reason,
        action: "order.refund_requested",
        before: serde_json::json!({}),
        after: serde_json::json!({ "lines": line_ids, "reason": reason, "declaration": declaration }),
        news: Some(OrderNews::RefundRequested),
        mail_note: &reason,
    };
    trace(&mut tx, state, &order, who, requested, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Staff answer a refund request. Accepted: the line is refunded, and the order too once
/// every live line is. A refusal needs a reason.
pub async fn decide_refund(
    state: &AppState,
    refund_request_id: &str,
    accepted: bool,
    response: &str,
    who: Who<'_>,
) -> Result<(), AppError> {
    let response = note_ok("response", response, !accepted)?;
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let (order_id, line_id) = db::pending_refund(&mut tx, refund_request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !db::decide_refund(&mut tx, refund_request_id, accepted, &response, who.person_id, now).await? {
        return Err(AppError::Conflict("order_changed".into()));
    }
    if accepted {
        // The accepted line is credited; the money goes back once staff record the transfer.
        let before = load(&mut tx, &order_id).await?;
        credit(
            &mut tx,
            state,
            &before,
            &[line_id.as_str()],
            CreditKind::Refund,
            &response,
            now,
        )
        .await?;
        db::mark_line_refunded(&mut tx, &line_id, now).await?;
    }
    let order = load(&mut tx, &order_id).await?;
    let decided = Trace {
        kind: "refund_decided",
        from: None,
        to: None,
        note: &response,
        action: "order.refund_decided",
        before: serde_json::json!({ "refund_request": refund_request_id, "status": "pending" }),
        after: serde_json::json!({ "accepted": accepted, "response": response }),
        news: Some(if accepted {
            OrderNews::RefundAccepted
        } else {
            OrderNews::RefundRefused
        }),
        mail_note: &response,
    };
    trace(&mut tx, state, &order, who, decided, now).await?;
    if accepted {
        settle_refunded(&mut tx, state, &order_id, who, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Cisco approved or refused a pending order.
pub async fn cisco_decision(
    state: &AppState,
    order_id: &str,
    approved: bool,
    note: &str,
    who: Who<'_>,
) -> Result<(), AppError> {
    let note = note_ok("note", note, !approved)?;
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let order = load(&mut tx, order_id).await?;
    if order.approval != Some(Approval::Pending) {
        return Err(AppError::Conflict("transition_not_allowed".into()));
    }
    let approval = if approved {
        Approval::Approved
    } else {
        Approval::Refused
    };
    db::set_approval(&mut tx, order_id, approval).await?;
    let event_note = format!(
        "{}{}{note}",
        approval.as_str(),
        if note.is_empty() { "" } else { " — " }
    );
    let decided = Trace {
        kind: "approval",
        from: None,
        to: None,
        note: &event_note,
        action: "order.partner_approval",
        before: serde_json::json!({ "approval": "pending" }),
        after: serde_json::json!({ "approval": approval.as_str(), "note": note }),
        news: Some(if approved {
            OrderNews::CiscoApproved
        } else {
            OrderNews::CiscoRefused
        }),
        mail_note: &note,
    };
    trace(&mut tx, state, &order, who, decided, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A parcel of a transmitted or fulfilled hardware order (Cisco may ship in parts).
pub async fn add_shipment(state: &AppState, order_id: &str, shipment: Shipment, who: Who<'_>) -> Result<(), AppError> {
    let carrier = note_ok("carrier", &shipment.carrier, true)?;
    let tracking = note_ok("tracking", &shipment.tracking, true)?;
    let items = note_ok("items", &shipment.items, true)?;
    if shipment.delivered_on.is_some_and(|d| d < shipment.shipped_on) {
        return Err(AppError::field("delivered_on", "before_shipping"));
    }
    let shipment = Shipment {
        carrier,
        tracking,
        items,
        ..shipment
    };
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let order = load(&mut tx, order_id).await?;
    if order.category != crate::order::model::OrderCategory::Hardware
        || !matches!(order.status, OrderStatus::Transmitted | OrderStatus::Fulfilled)
    {
        return Err(AppError::Conflict("transition_not_allowed".into()));
    }
    db::insert_shipment(&mut tx, order_id, &shipment, now).await?;
    let note = format!("{} {} — {}", shipment.carrier, shipment.tracking, shipment.items);
    let shipped = Trace {
        kind: "shipment",
        from: None,
        to: None,
        note: &note,
        action: "order.shipped",
        before: serde_json::json!({ "shipments": order.shipments.len() }),
        after: serde_json::json!({
            "shipped_on": shipment.shipped_on.to_string(),
            "carrier": shipment.carrier,
            "tracking": shipment.tracking,
            "items": shipment.items,
            "delivered_on": shipment.delivered_on.map(|d| d.to_string()),
        }),
        news: Some(OrderNews::Shipped),
        mail_note: &note,
    };
    trace(&mut tx, state, &order, who, shipped, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The day a parcel arrived: never before it left, never in the future, once.
pub async fn mark_delivered(
    state: &AppState,
    order_id: &str,
    shipment_id: &str,
    delivered_on: chrono::NaiveDate,
    who: Who<'_>,
) -> Result<(), AppError> {
    let now = crate::db::now();
    if delivered_on > now.with_timezone(&domain::calendar::BELGIUM).date_naive() {
        return Err(AppError::field("delivered_on", "date_in_future"));
    }
    let mut tx = state.db.begin().await?;
    let order = load(&mut tx, order_id).await?;
    let shipment = order
        .shipments
        .iter()
        .find(|s| s.shipment_id == shipment_id)
        .ok_or(AppError::NotFound)?;
    if delivered_on < shipment.shipped_on {
        return Err(AppError::field("delivered_on", "before_shipping"));
    }
    if !db::set_delivered(&mut tx, order_id, shipment_id, delivered_on).await? {
        return Err(AppError::Conflict("order_changed".into()));
    }
    let note = format!("{} {} — {delivered_on}", shipment.carrier, shipment.tracking);
    let delivered = Trace {
        kind: "delivery",
        from: None,
        to: None,
        note: &note,
        action: "order.delivered",
        before: serde_json::json!({ "shipment": shipment_id, "delivered_on": null }),
        after: serde_json::json!({ "shipment": shipment_id, "delivered_on": delivered_on.to_string() }),
        news: None,
        mail_note: "",
    };
    trace(&mut tx, state, &order, who, delivered, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Staff record what the partner gave for one line: a PIN, redemption or discount code,
/// instructions, and for yearly products the expiry.
pub async fn set_fulfilment(
    state: &AppState,
    order_id: &str,
    order_line_id: &str,
    code: &str,
    note: &str,
    expires_on: Option<chrono::NaiveDate>,
    who: Who<'_>,
) -> Result<(), AppError> {
    let code = note_ok("code", code, false)?;
    let note = note_ok("note", note, false)?;
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let order = load(&mut tx, order_id).await?;
    if !matches!(
        order.status,
        OrderStatus::Paid | OrderStatus::Transmitted | OrderStatus::Fulfilled
    ) {
        return Err(AppError::Conflict("transition_not_allowed".into()));
    }
    let line = order
        .lines
        .iter()
        .find(|l| l.order_line_id == order_line_id && !l.cancelled)
        .ok_or(AppError::NotFound)?;
    db::set_fulfilment(&mut tx, order_id, order_line_id, &code, &note, expires_on).await?;
    // The code itself stays on the order's page, behind the login, out of e-mails.
    let recorded = Trace {
        kind: "fulfilment",
        from: None,
        to: None,
        note: &line.product_name,
        action: "order.fulfilment_recorded",
        before: serde_json::json!({
            "line": order_line_id,
            "code": line.fulfilment_code,
            "expires_on": line.expires_on.map(|d| d.to_string()),
        }),
        after: serde_json::json!({
            "line": order_line_id,
            "code": code,
            "note": note,
            "expires_on": expires_on.map(|d| d.to_string()),
        }),
        news: Some(OrderNews::CodesAvailable),
        mail_note: &line.product_name,
    };
    trace(&mut tx, state, &order, who, recorded, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the order to "refunded" once nothing is left to pay back and everything the
/// organisation paid for was credited: every live line refunded, or the order cancelled.
/// Called after a refund is accepted and after money paid back is recorded.
pub async fn settle_refunded(
    tx: &mut DbTx,
    state: &AppState,
    order_id: &str,
    who: Who<'_>,
    now: Timestamp,
) -> Result<bool, AppError> {
    let order = load(tx, order_id).await?;
    let Some(invoice) = &order.invoice else {
        return Ok(false);
    };
    let money = crate::billing::db::settlement(tx, &invoice.invoice_id).await?;
    let all_credited =
        order.status == OrderStatus::Cancelled || order.lines.iter().filter(|l| !l.cancelled).all(|l| l.refunded);
    let paid_back = money.refunded_cents > 0 && money.refund_due_cents() == 0;
    if !(all_credited && paid_back) || rules::next_status(order.facts(), Action::Refund, Actor::Staff).is_err() {
        return Ok(false);
    }
    apply_step(tx, state, &order, Action::Refund, who, "", now).await?;
    Ok(true)
}

/// "Marquer payée": staff record a transfer for the order's invoice — `amount_cents` (the
/// amount due when `None`) received on `paid_on`. A payment short of the amount due leaves the
/// order waiting for the rest.
pub async fn mark_paid(
    state: &AppState,
    order_id: &str,
    amount_cents: Option<i64>,
    paid_on: chrono::NaiveDate,
    who: Who<'_>,
) -> Result<OrderStatus, AppError> {
    let mut tx = state.db.begin().await?;
    // Two clicks (or two staff) at once: the second waits, then finds the order paid.
    db::lock_order(&mut tx, order_id).await?;
    let order = load(&mut tx, order_id).await?;
    let invoice = match (&order.invoice, order.status) {
        (Some(invoice), OrderStatus::Submitted) => invoice,
        _ => return Err(AppError::Conflict("transition_not_allowed".into())),
    };
    let amount_cents = amount_cents.unwrap_or_else(|| invoice.due_cents());
    if amount_cents <= 0 {
        return Err(AppError::field("amount", "amount_invalid"));
    }
    let communication = crate::order::invoice::StructuredCommunication::parse(&invoice.communication)
        .ok_or_else(|| AppError::internal("stored communication unreadable"))?;
    crate::payment::api::receive(
        &mut tx,
        state,
        crate::payment::api::Received {
            source: "manual",
            bank_reference: None,
            statement_id: None,
            amount_cents,
            currency: "EUR",
            communication: Some(communication.digits()),
            debtor_name: None,
            debtor_iban: None,
            booked_on: paid_on,
            recorded_by: Some(who.person_id),
        },
    )
    .await?;
    let status = load(&mut tx, order_id).await?.status;
    tx.commit().await?;
    Ok(status)
}
