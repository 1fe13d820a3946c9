//! SQL for credit notes, refunds paid and e-documents.

use crate::db::{DbTx, Timestamp, new_id};
use crate::on_tx;
use crate::order::invoice::{InvoiceTotals, credit_note_number};
use crate::order::model::{CreditNoteSummary, CreditNoteView, InvoiceLine};
use chrono::NaiveDate;

fn date(text: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The next credit note number of `year`: bumped in the caller's transaction, so a rolled-back
/// credit note gives its number back and the series has no gap.
pub async fn next_credit_note_number(tx: &mut DbTx, year: i32) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar::<_, i64>(
        "insert into credit_note_counter (year, last_number) values ($1, 1) \
         on conflict (year) do update set last_number = credit_note_counter.last_number + 1 \
         returning cast(last_number as bigint)"
    )
    .bind(year)
    .fetch_one(conn)
    .await)
}

/// One credited line, as the invoice printed it.
#[derive(Debug, Clone)]
pub struct CreditedLine {
    pub product_name: String,
    pub quantity: u32,
    pub unit_fee_cents: i64,
}

/// A credit note to store.
pub struct NewCreditNote<'a> {
    pub invoice_id: &'a str,
    pub year: i32,
    pub number: i64,
    pub issued_on: NaiveDate,
    /// "cancellation" or "refund".
    pub kind: &'a str,
    pub reason: &'a str,
    pub totals: InvoiceTotals,
    pub lines: &'a [CreditedLine],
}

pub async fn insert_credit_note(
    tx: &mut DbTx,
    note: &NewCreditNote<'_>,
    now: Timestamp,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into credit_note (credit_note_id, invoice_id, net_cents, vat_cents, total_cents, reason, created_at, \
         year, number, issued_on, kind) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )
    .bind(&id)
    .bind(note.invoice_id)
    .bind(note.totals.net_cents)
    .bind(note.totals.vat_cents)
    .bind(note.totals.total_cents)
    .bind(note.reason)
    .bind(now)
    .bind(note.year)
    .bind(note.number)
    .bind(note.issued_on.to_string())
    .bind(note.kind)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    for (position, line) in note.lines.iter().enumerate() {
        let quantity = i64::from(line.quantity);
        on_tx!(tx, |conn| {
            sqlx::query(
            "insert into credit_note_line (credit_note_id, position, product_name, quantity, unit_fee_cents, net_cents) \
             values ($1, $2, $3, $4, $5, $6)"
        )
        .bind(&id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&line.product_name)
        .bind(quantity)
        .bind(line.unit_fee_cents)
        .bind(line.unit_fee_cents * quantity)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
        })?;
    }
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    credit_note_id: String,
    year: Option<i64>,
    number: Option<i64>,
    issued_on: Option<String>,
    total_cents: i64,
    reason: String,
    e_invoice: bool,
}

/// The credit notes of an invoice, oldest first.
pub async fn credit_notes_of(tx: &mut DbTx, invoice_id: &str) -> Result<Vec<CreditNoteSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = on_tx!(tx, |conn| {
        sqlx::query_as(
        "select cn.credit_note_id, cast(cn.year as bigint) as year, cast(cn.number as bigint) as number, cn.issued_on, \
         cn.total_cents, cn.reason, \
         exists (select 1 from e_document e where e.credit_note_id = cn.credit_note_id) as e_invoice \
         from credit_note cn where cn.invoice_id = $1 order by cn.year, cn.number"
    )
    .bind(invoice_id)
    .fetch_all(conn)
    .await
    })?;
    rows.into_iter()
        .map(|r| {
            Ok(CreditNoteSummary {
                credit_note_id: r.credit_note_id,
                number: credit_note_number(i32::try_from(r.year.unwrap_or(0)).unwrap_or(0), r.number.unwrap_or(0)),
                issued_on: date(r.issued_on.as_deref().unwrap_or(""))?,
                total_cents: r.total_cents,
                reason: r.reason,
                e_invoice: r.e_invoice,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct CreditNoteRow {
    credit_note_id: String,
    year: Option<i64>,
    number: Option<i64>,
    issued_on: Option<String>,
    kind: String,
    reason: String,
    invoice_id: String,
    invoice_year: i64,
    invoice_number: i64,
    invoice_issued_on: String,
    reference: String,
    customer_name: String,
    customer_street: String,
    customer_postal_code: String,
    customer_city: String,
    customer_country: String,
    customer_enterprise_number: String,
    customer_vat_number: Option<String>,
    vat_category: String,
    net_cents: i64,
    vat_rate_bps: i64,
    vat_cents: i64,
    total_cents: i64,
    organisation_id: String,
}

/// One credit note with its lines, and the organisation it belongs to (for the caller's check).
pub async fn credit_note(tx: &mut DbTx, credit_note_id: &str) -> Result<Option<(String, CreditNoteView)>, sqlx::Error> {
    let row: Option<CreditNoteRow> = on_tx!(tx, |conn| {
        sqlx::query_as(
        "select cn.credit_note_id, cast(cn.year as bigint) as year, cast(cn.number as bigint) as number, cn.issued_on, \
         cn.kind, cn.reason, i.invoice_id, cast(i.year as bigint) as invoice_year, \
         cast(i.number as bigint) as invoice_number, i.issued_on as invoice_issued_on, o.reference, i.customer_name, \
         i.customer_street, i.customer_postal_code, i.customer_city, i.customer_country, i.customer_enterprise_number, \
         i.customer_vat_number, i.vat_category, cn.net_cents, cast(i.vat_rate_bps as bigint) as vat_rate_bps, \
         cn.vat_cents, cn.total_cents, o.organisation_id \
         from credit_note cn join invoice i on i.invoice_id = cn.invoice_id \
         join purchase_order o on o.order_id = i.order_id where cn.credit_note_id = $1"
    )
    .bind(credit_note_id)
    .fetch_optional(conn)
    .await
    })?;
    let Some(r) = row else { return Ok(None) };
    type LineRow = (String, i64, i64, i64);
    let lines: Vec<LineRow> = on_tx!(tx, |conn| sqlx::query_as(
        "select product_name, cast(quantity as bigint), unit_fee_cents, net_cents from credit_note_line \
         where credit_note_id = $1 order by position"
    )
    .bind(credit_note_id)
    .fetch_all(conn)
    .await)?;
    let year = |y: i64| i32::try_from(y).unwrap_or(0);
    Ok(Some((
        r.organisation_id,
        CreditNoteView {
            credit_note_id: r.credit_note_id,
            number: credit_note_number(year(r.year.unwrap_or(0)), r.number.unwrap_or(0)),
            issued_on: date(r.issued_on.as_deref().unwrap_or(""))?,
            kind: r.kind,
            reason: r.reason,
            invoice_id: r.invoice_id,
            invoice_number: crate::order::model::invoice_number(year(r.invoice_year), r.invoice_number),
            invoice_issued_on: date(&r.invoice_issued_on)?,
            order_reference: r.reference,
            customer_name: r.customer_name,
            customer_street: r.customer_street,
            customer_postal_code: r.customer_postal_code,
            customer_city: r.customer_city,
            customer_country: r.customer_country,
            customer_enterprise_number: r.customer_enterprise_number,
            customer_vat_number: r.customer_vat_number,
            vat_category: r.vat_category,
            lines: lines
                .into_iter()
                .map(|(name, quantity, unit, net)| InvoiceLine {
                    name,
                    quantity: u32::try_from(quantity).unwrap_or(0),
                    unit_fee_cents: unit,
                    amount_cents: net,
                })
                .collect(),
            net_cents: r.net_cents,
            vat_rate_bps: r.vat_rate_bps,
            vat_cents: r.vat_cents,
            total_cents: r.total_cents,
        },
    )))
}

/// Money paid back, as staff record it.
pub struct NewRefundPaid<'a> {
    pub invoice_id: Option<&'a str>,
    pub payment_id: Option<&'a str>,
    pub amount_cents: i64,
    pub iban: &'a str,
    pub paid_on: NaiveDate,
    pub note: &'a str,
    pub recorded_by: &'a str,
}

pub async fn insert_refund(tx: &mut DbTx, refund: &NewRefundPaid<'_>, now: Timestamp) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into refund (refund_id, invoice_id, payment_id, amount_cents, iban, paid_on, note, recorded_by, \
         created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(&id)
    .bind(refund.invoice_id)
    .bind(refund.payment_id)
    .bind(refund.amount_cents)
    .bind(refund.iban)
    .bind(refund.paid_on.to_string())
    .bind(refund.note)
    .bind(refund.recorded_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// An invoice's money, read in the caller's transaction (after its lock on the order).
pub async fn settlement(tx: &mut DbTx, invoice_id: &str) -> Result<crate::order::invoice::Settlement, sqlx::Error> {
    let (total_cents, credited_cents, paid_cents, refunded_cents): (i64, i64, i64, i64) =
        on_tx!(tx, |conn| sqlx::query_as(
            "select i.total_cents, \
             cast(coalesce((select sum(cn.total_cents) from credit_note cn where cn.invoice_id = i.invoice_id), 0) as bigint), \
             cast(coalesce((select sum(p.amount_cents) from payment p where p.invoice_id = i.invoice_id), 0) as bigint), \
             cast(coalesce((select sum(r.amount_cents) from refund r where r.invoice_id = i.invoice_id), 0) as bigint) \
             from invoice i where i.invoice_id = $1"
        )
        .bind(invoice_id)
        .fetch_optional(conn)
        .await)?
        .unwrap_or((0, 0, 0, 0));
    Ok(crate::order::invoice::Settlement {
        total_cents,
        credited_cents,
        paid_cents,
        refunded_cents,
    })
}

/// The last account a payment for the invoice came from, to prefill a refund.
pub async fn payer_iban(tx: &mut DbTx, invoice_id: &str) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar::<_, Option<String>>(
        "select debtor_iban from payment where invoice_id = $1 and debtor_iban is not null \
         order by created_at desc limit 1"
    )
    .bind(invoice_id)
    .fetch_optional(conn)
    .await)
    .map(Option::flatten)
}

#[derive(sqlx::FromRow)]
struct DueRow {
    invoice_id: String,
    order_id: String,
    reference: String,
    organisation_id: String,
    organisation_name: String,
    year: i64,
    number: i64,
    total_cents: i64,
    credited_cents: i64,
    paid_cents: i64,
    refunded_cents: i64,
    payer_iban: Option<String>,
}

/// Invoices that may owe money back: those with a credit note or an excess payment, from
/// their indexes (never every invoice). The refund money queue starts from them too.
pub async fn refund_candidates(tx: &mut DbTx) -> Result<Vec<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select invoice_id from credit_note \
         union select invoice_id from payment where outcome = 'excess' and invoice_id is not null"
    )
    .fetch_all(conn)
    .await)
}

/// Invoices whose money is due back (credited after payment, or overpaid), oldest first. Only
/// invoices with a credit note or an excess payment can owe money back: the query starts from
/// those (indexed), never from every invoice (a scan of all of them made the payments page
/// 100 times slower at scale).
pub async fn refunds_due(tx: &mut DbTx, limit: i64) -> Result<Vec<domain::payment::model::RefundDue>, sqlx::Error> {
    let candidates = refund_candidates(tx).await?;
    let mut rows: Vec<DueRow> = Vec::new();
    for chunk in candidates.chunks(500) {
        // Only numbered placeholders are written into the SQL; every id is bound.
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "select i.invoice_id, o.order_id, o.reference, o.organisation_id, org.legal_name as organisation_name, \
             cast(i.year as bigint) as year, cast(i.number as bigint) as number, i.total_cents, \
             cast(coalesce((select sum(cn.total_cents) from credit_note cn where cn.invoice_id = i.invoice_id), 0) as bigint) as credited_cents, \
             cast(coalesce((select sum(p.amount_cents) from payment p where p.invoice_id = i.invoice_id), 0) as bigint) as paid_cents, \
             cast(coalesce((select sum(r.amount_cents) from refund r where r.invoice_id = i.invoice_id), 0) as bigint) as refunded_cents, \
             (select p.debtor_iban from payment p where p.invoice_id = i.invoice_id and p.debtor_iban is not null \
              order by p.created_at desc limit 1) as payer_iban \
             from invoice i join purchase_order o on o.order_id = i.order_id \
             join organisation org on org.organisation_id = o.organisation_id \
             where i.invoice_id in ({})",
            placeholders.join(", ")
        );
        let found: Vec<DueRow> = on_tx!(tx, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id);
            }
            query.fetch_all(conn).await
        })?;
        rows.extend(
            found
                .into_iter()
                .filter(|d| d.paid_cents - d.refunded_cents > d.total_cents - d.credited_cents),
        );
    }
    rows.sort_by_key(|d| (d.year, d.number));
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(rows
        .into_iter()
        .map(|r| {
            let settlement = crate::order::invoice::Settlement {
                total_cents: r.total_cents,
                credited_cents: r.credited_cents,
                paid_cents: r.paid_cents,
                refunded_cents: r.refunded_cents,
            };
            domain::payment::model::RefundDue {
                invoice_id: r.invoice_id,
                order_id: r.order_id,
                order_reference: r.reference,
                organisation_id: r.organisation_id,
                organisation_name: r.organisation_name,
                invoice_number: crate::order::model::invoice_number(i32::try_from(r.year).unwrap_or(0), r.number),
                amount_cents: settlement.refund_due_cents(),
                payer_iban: r.payer_iban,
            }
        })
        .collect())
}

/// Payments still in the staff queue may be refunded whole (unmatched) — how much is left of one.
pub async fn payment_refundable(
    tx: &mut DbTx,
    payment_id: &str,
) -> Result<Option<(i64, Option<String>, bool)>, sqlx::Error> {
    on_tx!(tx, |conn| {
        sqlx::query_as::<_, (i64, Option<String>, bool)>(
        "select p.amount_cents - cast(coalesce((select sum(r.amount_cents) from refund r where r.payment_id = p.payment_id), 0) as bigint), \
         p.debtor_iban, p.invoice_id is null from payment p where p.payment_id = $1"
    )
    .bind(payment_id)
    .fetch_optional(conn)
    .await
    })
}

/// Gives an unmatched payment to an invoice; `false` if it was matched meanwhile.
pub async fn assign_payment(
    tx: &mut DbTx,
    payment_id: &str,
    invoice_id: &str,
    outcome: crate::payment::model::PaymentOutcome,
) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update payment set invoice_id = $2, outcome = $3 where payment_id = $1 and invoice_id is null \
         and not exists (select 1 from refund r where r.payment_id = $1)"
    )
    .bind(payment_id)
    .bind(invoice_id)
    .bind(outcome.as_str())
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// Stores an e-invoice or e-credit note as issued.
pub async fn insert_e_document(
    tx: &mut DbTx,
    invoice_id: Option<&str>,
    credit_note_id: Option<&str>,
    number: &str,
    issued_on: NaiveDate,
    xml: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into e_document (e_document_id, invoice_id, credit_note_id, number, issued_on, xml, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(new_id())
    .bind(invoice_id)
    .bind(credit_note_id)
    .bind(number)
    .bind(issued_on.to_string())
    .bind(xml)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The stored UBL of an invoice or credit note, with its number and organisation.
pub async fn e_document(
    tx: &mut DbTx,
    invoice_id: Option<&str>,
    credit_note_id: Option<&str>,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as::<_, (String, String, String)>(
        "select e.number, e.xml, o.organisation_id from e_document e \
         left join credit_note cn on cn.credit_note_id = e.credit_note_id \
         join invoice i on i.invoice_id = coalesce(e.invoice_id, cn.invoice_id) \
         join purchase_order o on o.order_id = i.order_id \
         where e.invoice_id = $1 or e.credit_note_id = $2"
    )
    .bind(invoice_id)
    .bind(credit_note_id)
    .fetch_optional(conn)
    .await)
}

/// An issued document of a period, for the accountant's archive.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArchivedDocument {
    pub invoice_id: Option<String>,
    pub credit_note_id: Option<String>,
    pub number: String,
    pub xml: Option<String>,
}

/// One archived document as [`issued_between`] reads it.
type ArchivedRow = (Option<String>, Option<String>, i64, i64, bool, Option<String>);

/// Every invoice and credit note issued from `from` to `to` (inclusive), with its UBL when one
/// was issued, in number order.
pub async fn issued_between(
    tx: &mut DbTx,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<ArchivedDocument>, sqlx::Error> {
    let rows: Vec<ArchivedRow> = on_tx!(tx, |conn| sqlx::query_as(
        "select i.invoice_id, null as credit_note_id, cast(i.year as bigint), cast(i.number as bigint), false, \
         (select e.xml from e_document e where e.invoice_id = i.invoice_id) \
         from invoice i where i.issued_on between $1 and $2 \
         union all \
         select null, cn.credit_note_id, cast(cn.year as bigint), cast(cn.number as bigint), true, \
         (select e.xml from e_document e where e.credit_note_id = cn.credit_note_id) \
         from credit_note cn where cn.issued_on between $1 and $2 \
         order by 5, 3, 4 limit $3"
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(limit)
    .fetch_all(conn)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(invoice_id, credit_note_id, year, number, is_credit, xml)| {
            let year = i32::try_from(year).unwrap_or(0);
            ArchivedDocument {
                invoice_id,
                credit_note_id,
                number: if is_credit {
                    credit_note_number(year, number)
                } else {
                    crate::order::model::invoice_number(year, number)
                },
                xml,
            }
        })
        .collect())
}

/// Claims up to `limit` e-documents not yet handed to the access point: marks them sent in
/// this transaction, so two instances never send one twice. Returns (id, number, xml).
pub async fn claim_unsent(
    tx: &mut DbTx,
    limit: i64,
    now: Timestamp,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = on_tx!(tx, |conn| sqlx::query_as(
        "update e_document set sent_at = $2 where e_document_id in \
         (select e_document_id from e_document where sent_at is null order by created_at limit $1) \
         and sent_at is null returning e_document_id, number, xml"
    )
    .bind(limit)
    .bind(now)
    .fetch_all(conn)
    .await)?;
    Ok(rows)
}

/// Gives a claimed e-document back to the next pass (its hand-over failed).
pub async fn release(tx: &mut DbTx, e_document_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update e_document set sent_at = null where e_document_id = $1"
    )
    .bind(e_document_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The order an invoice belongs to.
pub async fn order_of_invoice(tx: &mut DbTx, invoice_id: &str) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar::<_, String>(
        "select order_id from invoice where invoice_id = $1"
    )
    .bind(invoice_id)
    .fetch_optional(conn)
    .await)
}
