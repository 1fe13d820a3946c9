//! SQL for payments.

use crate::db::{DbTx, Timestamp, new_id};
use crate::on_tx;
use crate::payment::model::{PaymentOutcome, PaymentRow};
use chrono::NaiveDate;

/// What an invoice still awaits, found by its structured communication.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    pub invoice_id: String,
    pub order_id: String,
    pub order_status: String,
    pub reference: String,
    pub year: i64,
    pub number: i64,
    /// The invoice's total less its credit notes.
    pub total_cents: i64,
    /// Received less paid back.
    pub paid_cents: i64,
    pub customer_name: String,
    pub contact_email: String,
    /// The organisation's language ("fr", "nl", "en"), for its e-mails.
    pub language: String,
    /// The 12 digits of its structured communication.
    pub communication: String,
}

pub async fn due_for_communication(tx: &mut DbTx, digits: &str) -> Result<Option<Due>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as::<_, Due>(
        "select i.invoice_id, o.order_id, o.status as order_status, o.reference, cast(i.year as bigint) as year, \
         cast(i.number as bigint) as number, \
         i.total_cents - cast(coalesce((select sum(cn.total_cents) from credit_note cn \
                                        where cn.invoice_id = i.invoice_id), 0) as bigint) as total_cents, \
         cast(coalesce((select sum(p.amount_cents) from payment p where p.invoice_id = i.invoice_id), 0) as bigint) \
         - cast(coalesce((select sum(r.amount_cents) from refund r where r.invoice_id = i.invoice_id), 0) as bigint) \
         as paid_cents, i.customer_name, org.contact_email, org.language, i.communication \
         from invoice i join purchase_order o on o.order_id = i.order_id \
         join organisation org on org.organisation_id = o.organisation_id \
         where i.communication = $1"
    )
    .bind(digits)
    .fetch_optional(conn)
    .await)
}

/// A payment to store.
pub struct NewPayment<'a> {
    pub source: &'a str,
    pub bank_reference: Option<&'a str>,
    pub statement_id: Option<&'a str>,
    pub invoice_id: Option<&'a str>,
    pub amount_cents: i64,
    pub currency: &'a str,
    pub communication: Option<&'a str>,
    pub debtor_name: Option<&'a str>,
    pub debtor_iban: Option<&'a str>,
    pub booked_on: NaiveDate,
    pub outcome: PaymentOutcome,
    pub recorded_by: Option<&'a str>,
}

/// Stores the payment; `false` when a payment with the same bank reference is already there
/// (the statement was imported before), and nothing changes.
pub async fn insert_payment(tx: &mut DbTx, payment: &NewPayment<'_>, now: Timestamp) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| {
        sqlx::query(
        "insert into payment (payment_id, source, bank_reference, statement_id, invoice_id, amount_cents, currency, \
         communication, debtor_name, booked_on, outcome, recorded_by, created_at, debtor_iban) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) on conflict (bank_reference) do nothing"
    )
    .bind(new_id())
    .bind(payment.source)
    .bind(payment.bank_reference)
    .bind(payment.statement_id)
    .bind(payment.invoice_id)
    .bind(payment.amount_cents)
    .bind(payment.currency)
    .bind(payment.communication)
    .bind(payment.debtor_name)
    .bind(payment.booked_on.to_string())
    .bind(payment.outcome.as_str())
    .bind(payment.recorded_by)
    .bind(now)
    .bind(payment.debtor_iban)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(rows == 1)
}

/// Moves a submitted order to "paid", which validates it: from then on its quota window is
/// that of this day. `false` if it was not submitted any more.
pub async fn mark_paid(tx: &mut DbTx, order_id: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update purchase_order set status = 'paid', validated_at = coalesce(validated_at, $2), updated_at = $2 \
         where order_id = $1 and status = 'submitted'"
    )
    .bind(order_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

#[derive(sqlx::FromRow)]
struct Row {
    payment_id: String,
    source: String,
    booked_on: String,
    amount_cents: i64,
    communication: Option<String>,
    debtor_name: Option<String>,
    invoice_id: Option<String>,
    year: Option<i64>,
    number: Option<i64>,
    outcome: String,
    resolved: bool,
}

/// Payments, newest first; `exceptions_only`: the partial, excess and unmatched ones staff
/// have not dealt with yet.
pub async fn list(
    tx: &mut DbTx,
    exceptions_only: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<PaymentRow>, sqlx::Error> {
    let filter = if exceptions_only {
        "where p.outcome <> 'matched' and p.resolved_at is null"
    } else {
        ""
    };
    let sql = format!(
        "select p.payment_id, p.source, p.booked_on, p.amount_cents, p.communication, p.debtor_name, p.invoice_id, \
         cast(i.year as bigint) as year, cast(i.number as bigint) as number, p.outcome, \
         p.resolved_at is not null as resolved \
         from payment p left join invoice i on i.invoice_id = p.invoice_id {filter} \
         order by p.created_at desc, p.payment_id limit $1 offset $2"
    );
    let rows: Vec<Row> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await)?;
    rows.into_iter()
        .map(|r| {
            Ok(PaymentRow {
                payment_id: r.payment_id,
                source: r.source,
                booked_on: NaiveDate::parse_from_str(&r.booked_on, "%Y-%m-%d")
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                amount_cents: r.amount_cents,
                communication: r.communication,
                debtor_name: r.debtor_name,
                invoice_number: r
                    .year
                    .zip(r.number)
                    .map(|(y, n)| crate::order::model::invoice_number(i32::try_from(y).unwrap_or(0), n)),
                invoice_id: r.invoice_id,
                outcome: PaymentOutcome::parse(&r.outcome)
                    .ok_or_else(|| sqlx::Error::Decode(format!("unknown outcome {}", r.outcome).into()))?,
                resolved: r.resolved,
            })
        })
        .collect()
}

/// Marks an exception as dealt with; `false` if there is no such open exception.
pub async fn resolve(tx: &mut DbTx, payment_id: &str, now: Timestamp) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update payment set resolved_at = $2 where payment_id = $1 and outcome <> 'matched' and resolved_at is null"
    )
    .bind(payment_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}
