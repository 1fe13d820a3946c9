//! Unpaid orders: a reminder after `ORDER_REMINDER_DAYS`, then expiry after
//! `ORDER_EXPIRY_DAYS` (the order is cancelled, which frees the quota it reserved).
//!
//! Several app instances may run this at once: each order is claimed by one conditional
//! `UPDATE` (`… where reminder_sent_at is null`, `… where status = 'submitted'`) inside the
//! transaction that writes its e-mail, so only the instance whose update changed the row
//! sends anything, and nothing is sent twice.

use crate::db::{DbTx, Timestamp};
use crate::mail::templates::{Email, OrderMail};
use crate::on_tx;
use crate::order::invoice::StructuredCommunication;
use crate::state::AppState;
use std::time::Duration;

/// How often the sweep runs.
pub const INTERVAL: Duration = Duration::from_secs(60);
/// Orders handled per sweep and kind, so one sweep stays short.
const BATCH: i64 = 100;

#[derive(Debug, sqlx::FromRow)]
struct Unpaid {
    order_id: String,
    reference: String,
    invoice_id: String,
    year: i64,
    number: i64,
    communication: String,
    total_cents: i64,
    due_on: String,
    customer_name: String,
    contact_email: String,
    language: String,
}

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub reminded: usize,
    pub expired: usize,
}

async fn unpaid_before(
    state: &AppState,
    cutoff: Timestamp,
    not_reminded_only: bool,
) -> Result<Vec<Unpaid>, sqlx::Error> {
    let reminded = if not_reminded_only {
        "and o.reminder_sent_at is null"
    } else {
        ""
    };
    let sql = format!(
        "select o.order_id, o.reference, i.invoice_id, cast(i.year as bigint) as year, \
         cast(i.number as bigint) as number, i.communication, i.total_cents, i.due_on, i.customer_name, \
         org.contact_email, org.language from purchase_order o join invoice i on i.order_id = o.order_id \
         join organisation org on org.organisation_id = o.organisation_id \
         where o.status = 'submitted' and o.submitted_at < $1 {reminded} \
         order by o.submitted_at limit $2"
    );
    let mut tx = state.db.begin_read().await?;
    let rows = on_tx!(&mut tx, |conn| sqlx::query_as::<_, Unpaid>(sqlx::AssertSqlSafe(sql))
        .bind(cutoff)
        .bind(BATCH)
        .fetch_all(conn)
        .await)?;
    tx.commit().await?;
    Ok(rows)
}

fn mail(state: &AppState, order: &Unpaid) -> OrderMail {
    OrderMail {
        organisation: order.customer_name.clone(),
        reference: order.reference.clone(),
        invoice_number: crate::order::model::invoice_number(i32::try_from(order.year).unwrap_or(0), order.number),
        communication: StructuredCommunication::parse(&order.communication)
            .map(|c| c.to_string())
            .unwrap_or_default(),
        iban: state.config.programme.iban.clone(),
        bic: state.config.programme.bic.clone(),
        link: format!("{}/invoices/{}", state.config.public_url, order.invoice_id),
    }
}

async fn claim(tx: &mut DbTx, sql: &'static str, order_id: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(order_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// Sends the reminders that are due and expires the orders whose delay has run out, as of `now`.
pub async fn sweep(state: &AppState, now: Timestamp) -> Result<Swept, sqlx::Error> {
    let config = &state.config;
    let mut swept = Swept::default();
    let expiry_cutoff = now - chrono::Duration::days(i64::from(config.order_expiry_days));
    for order in unpaid_before(state, expiry_cutoff, false).await? {
        let mut tx = state.db.begin().await?;
        let claimed = claim(
            &mut tx,
            "update purchase_order set status = 'cancelled', cancel_reason = 'expired', updated_at = $2, cancelled_at = $2 \
             where order_id = $1 and status = 'submitted'",
            &order.order_id,
            now,
        )
        .await?;
        if !claimed {
            continue;
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: None,
                action: "order.expired",
                entity_type: "order",
                entity_id: &order.order_id,
                before: Some(serde_json::json!({ "status": "submitted" })),
                after: Some(serde_json::json!({ "status": "cancelled", "reason": "expired" })),
            },
            now,
        )
        .await?;
        crate::order::db::insert_event(
            &mut tx,
            &crate::order::db::NewEvent {
                order_id: &order.order_id,
                kind: "status",
                from_status: Some(crate::order::model::OrderStatus::Submitted),
                to_status: Some(crate::order::model::OrderStatus::Cancelled),
                note: "expired",
                person_id: None,
            },
            now,
        )
        .await?;
        // Cancelled after invoicing: a credit note for the whole invoice.
        if let Some(detail) = crate::order::db::order_detail(&mut tx, &order.order_id, false).await? {
            let open: Vec<&str> = detail
                .lines
                .iter()
                .filter(|l| !l.cancelled && !l.refunded)
                .map(|l| l.order_line_id.as_str())
                .collect();
            let credited = crate::billing::issue::credit(
                &mut tx,
                state,
                &detail,
                &open,
                crate::billing::issue::CreditKind::Cancellation,
                "expired",
                now,
            )
            .await;
            if let Err(error) = credited {
                tracing::error!(order = %order.order_id, ?error, "credit note of an expired order");
                continue;
            }
        }
        let email = Email::OrderExpired {
            order: mail(state, &order),
        };
        let locale = crate::org::api::locale_of(&order.language);
        crate::mail::queue(&mut tx, state, &order.contact_email, &email, locale).await?;
        tx.commit().await?;
        swept.expired += 1;
    }
    let reminder_cutoff = now - chrono::Duration::days(i64::from(config.order_reminder_days));
    for order in unpaid_before(state, reminder_cutoff, true).await? {
        let mut tx = state.db.begin().await?;
        let claimed = claim(
            &mut tx,
            "update purchase_order set reminder_sent_at = $2 \
             where order_id = $1 and status = 'submitted' and reminder_sent_at is null",
            &order.order_id,
            now,
        )
        .await?;
        if !claimed {
            continue;
        }
        let due_on = chrono::NaiveDate::parse_from_str(&order.due_on, "%Y-%m-%d").unwrap_or_default();
        let locale = crate::org::api::locale_of(&order.language);
        let email = Email::PaymentReminder {
            order: mail(state, &order),
            total: crate::money::Money::from_cents(order.total_cents).format(locale, false),
            due_on: crate::ui::dates::long_date(locale, due_on),
        };
        crate::mail::queue(&mut tx, state, &order.contact_email, &email, locale).await?;
        tx.commit().await?;
        swept.reminded += 1;
    }
    Ok(swept)
}

/// Runs [`sweep`], the renewal reminders, the validation token reminders, the staff digests and the
/// retention purge every
/// [`INTERVAL`] until the process stops.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = crate::order::renewal::sweep(&state, crate::db::now()).await {
                tracing::error!(%error, "renewal reminders: database error");
            }
            if let Some(folder) = &state.config.peppol_outbox {
                let sender = crate::billing::sender::FolderDrop { folder: folder.clone() };
                if let Err(error) = crate::billing::sender::send_pending(&state, &sender).await {
                    tracing::error!(%error, "e-documents to the access point: database error");
                }
            }
            if let Err(error) = crate::token::worker::sweep(&state, crate::db::now()).await {
                tracing::error!(%error, "validation token reminders: database error");
            }
            if let Err(error) = crate::deadline::digest::run(&state, crate::db::now()).await {
                tracing::error!(%error, "staff digests: database error");
            }
            match crate::privacy::retention::purge(&state, crate::db::now()).await {
                Ok(purged) if purged.total() > 0 => tracing::info!(?purged, "retention: expired data deleted"),
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "retention purge: database error"),
            }
            match sweep(&state, crate::db::now()).await {
                Ok(swept) if swept != Swept::default() => {
                    tracing::info!(
                        reminded = swept.reminded,
                        expired = swept.expired,
                        "unpaid orders swept"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "unpaid-order sweep: database error"),
            }
            tokio::time::sleep(INTERVAL).await;
        }
    })
}
