//! SQL for orders and order lines.

use crate::db::{Db, DbTx, new_id};
use crate::on_pool;
use crate::on_tx;
use crate::order::invoice::{InvoiceTotals, StructuredCommunication};
use crate::order::model::{InvoiceLine, InvoiceView, OrderCategory, OrderStatus, invoice_number};
use chrono::{DateTime, NaiveDate, Utc};

/// A new order header.
pub struct NewOrder<'a> {
    pub reference: &'a str,
    pub organisation_id: &'a str,
    pub category: OrderCategory,
    pub status: OrderStatus,
    pub submitted_at: DateTime<Utc>,
    pub validated_at: Option<DateTime<Utc>>,
}

pub async fn insert_order(tx: &mut DbTx, order: &NewOrder<'_>, now: DateTime<Utc>) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into purchase_order (order_id, reference, organisation_id, category, status, submitted_at, \
         validated_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
    )
    .bind(&id)
    .bind(order.reference)
    .bind(order.organisation_id)
    .bind(order.category.as_str())
    .bind(order.status.as_str())
    .bind(order.submitted_at)
    .bind(order.validated_at)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// Adds a line, copying the product's current fee and value and the order's organisation onto it. `named_user`: the
/// person a Creative Cloud subscription is for.
pub async fn insert_order_line(
    tx: &mut DbTx,
    order_id: &str,
    product_id: &str,
    quantity: i32,
    named_user: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into order_line (order_line_id, order_id, product_id, quantity, admin_fee_cents, \
         commercial_value_cents, named_user, organisation_id, created_at) \
         select $1, o.order_id, p.product_id, $4, p.admin_fee_cents, p.commercial_value_cents, $5, \
         o.organisation_id, $6 from product p join purchase_order o on o.order_id = $2 \
         where p.product_id = $3"
    )
    .bind(&id)
    .bind(order_id)
    .bind(product_id)
    .bind(quantity)
    .bind(named_user)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))
    .and_then(|rows| {
        if rows == 1 {
            Ok(())
        } else {
            Err(sqlx::Error::RowNotFound)
        }
    })?;
    Ok(id)
}

/// Totals over fulfilled orders, for the home page counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct FulfilledTotals {
    /// Σ (commercial value − administrative fee) × quantity.
    pub saved_cents: i64,
    /// Σ quantity.
    pub products: i64,
}

pub async fn fulfilled_totals(db: &Db) -> Result<FulfilledTotals, sqlx::Error> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both backends return a 64-bit integer.
    on_pool!(db, |pool| {
        sqlx::query_as::<_, FulfilledTotals>(
        "select cast(coalesce(sum((l.commercial_value_cents - l.admin_fee_cents) * l.quantity), 0) as bigint) as saved_cents, \
                cast(coalesce(sum(l.quantity), 0) as bigint) as products \
         from order_line l join purchase_order o on o.order_id = l.order_id \
         where o.status = 'fulfilled'"
    )
    .fetch_one(pool)
    .await
    })
}

/// Serialises checkouts of one organisation. PostgreSQL: the organisation's row is locked
/// until the transaction ends, so a second checkout waits and then reads what the first
/// committed. SQLite: `BEGIN IMMEDIATE` (see [`Db::begin`]) already holds the database's
/// single write lock, so this only checks that the organisation exists.
pub async fn lock_organisation(tx: &mut DbTx, organisation_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = match tx {
        DbTx::Sqlite(tx, _) => {
            sqlx::query_scalar("select organisation_id from organisation where organisation_id = $1")
                .bind(organisation_id)
                .fetch_optional(&mut **tx)
                .await?
        }
        DbTx::Postgres(tx) => {
            sqlx::query_scalar("select organisation_id from organisation where organisation_id = $1 for update")
                .bind(organisation_id)
                .fetch_optional(&mut **tx)
                .await?
        }
    };
    Ok(found.is_some())
}

/// The checkout an earlier "Continuer" with this key created, if any.
pub async fn find_checkout(tx: &mut DbTx, organisation_id: &str, key: &str) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select checkout_id from checkout where organisation_id = $1 and idempotency_key = $2"
    )
    .bind(organisation_id)
    .bind(key)
    .fetch_optional(conn)
    .await)
}

pub async fn insert_checkout(
    tx: &mut DbTx,
    organisation_id: &str,
    key: &str,
    person_id: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into checkout (checkout_id, organisation_id, idempotency_key, person_id, created_at) \
         values ($1, $2, $3, $4, $5)"
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(key)
    .bind(person_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// Ties an order to the checkout that created it.
pub async fn attach_checkout(tx: &mut DbTx, order_id: &str, checkout_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update purchase_order set checkout_id = $2 where order_id = $1"
    )
    .bind(order_id)
    .bind(checkout_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Copies what fulfilment needs of a cart line onto an order line (AWS account, add-ons).
pub async fn set_line_details(
    tx: &mut DbTx,
    order_line_id: &str,
    aws_account: Option<(&str, &str)>,
    zoom_addons: Option<&str>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update order_line set aws_account_id = $2, aws_account_name = $3, zoom_addons = $4 where order_line_id = $1"
    )
    .bind(order_line_id)
    .bind(aws_account.map(|a| a.0))
    .bind(aws_account.map(|a| a.1))
    .bind(zoom_addons)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The next invoice number of `year`: 1, 2, 3… without gaps, since the counter moves inside
/// the checkout's transaction and goes back with it on rollback.
pub async fn next_invoice_number(tx: &mut DbTx, year: i32) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar::<_, i64>(
        "insert into invoice_counter (year, last_number) values ($1, 1) \
         on conflict (year) do update set last_number = invoice_counter.last_number + 1 \
         returning cast(last_number as bigint)"
    )
    .bind(year)
    .fetch_one(conn)
    .await)
}

/// The organisation's registered identity, as invoices print it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Customer {
    pub legal_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub enterprise_number: String,
    pub contact_email: String,
}

pub async fn customer(tx: &mut DbTx, organisation_id: &str) -> Result<Option<Customer>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as::<_, Customer>(
        "select legal_name, street, postal_code, city, country, enterprise_number, contact_email \
         from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)
}

/// A new invoice, its customer copied from [`Customer`].
pub struct NewInvoice<'a> {
    pub order_id: &'a str,
    pub year: i32,
    pub number: i64,
    pub communication: &'a str,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub customer: &'a Customer,
    pub totals: InvoiceTotals,
    pub vat_rate_bps: i64,
}

pub async fn insert_invoice(
    tx: &mut DbTx,
    invoice: &NewInvoice<'_>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let c = invoice.customer;
    on_tx!(tx, |conn| sqlx::query(
        "insert into invoice (invoice_id, order_id, year, number, communication, issued_on, due_on, customer_name, \
         customer_street, customer_postal_code, customer_city, customer_country, customer_enterprise_number, \
         net_cents, vat_rate_bps, vat_cents, total_cents, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    )
    .bind(&id)
    .bind(invoice.order_id)
    .bind(invoice.year)
    .bind(invoice.number)
    .bind(invoice.communication)
    .bind(invoice.issued_on.to_string())
    .bind(invoice.due_on.to_string())
    .bind(&c.legal_name)
    .bind(&c.street)
    .bind(&c.postal_code)
    .bind(&c.city)
    .bind(&c.country)
    .bind(&c.enterprise_number)
    .bind(invoice.totals.net_cents)
    .bind(invoice.vat_rate_bps)
    .bind(invoice.totals.vat_cents)
    .bind(invoice.totals.total_cents)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    invoice_id: String,
    year: i64,
    number: i64,
    order_id: String,
    reference: String,
    category: String,
    status: String,
    issued_on: String,
    due_on: String,
    customer_name: String,
    customer_street: String,
    customer_postal_code: String,
    customer_city: String,
    customer_country: String,
    customer_enterprise_number: String,
    net_cents: i64,
    vat_rate_bps: i64,
    vat_cents: i64,
    total_cents: i64,
    paid_cents: i64,
    communication: String,
    organisation_id: String,
}

const INVOICE_SELECT: &str = "select i.invoice_id, cast(i.year as bigint) as year, cast(i.number as bigint) as number, \
     o.order_id, o.reference, o.category, o.status, i.issued_on, i.due_on, i.customer_name, i.customer_street, \
     i.customer_postal_code, i.customer_city, i.customer_country, i.customer_enterprise_number, i.net_cents, \
     cast(i.vat_rate_bps as bigint) as vat_rate_bps, i.vat_cents, i.total_cents, \
     cast(coalesce((select sum(pm.amount_cents) from payment pm where pm.invoice_id = i.invoice_id), 0) as bigint) \
     as paid_cents, i.communication, o.organisation_id \
     from invoice i join purchase_order o on o.order_id = i.order_id";

/// Invoices with their lines, and the organisation each belongs to (for the caller's check).
async fn invoices_where(
    tx: &mut DbTx,
    condition: &str,
    value: &str,
) -> Result<Vec<(String, InvoiceView)>, sqlx::Error> {
    let sql = format!("{INVOICE_SELECT} where {condition} order by o.category desc, i.number");
    let rows: Vec<InvoiceRow> = on_tx!(tx, |conn| sqlx::query_as(&sql).bind(value).fetch_all(conn).await)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        type LineRow = (String, i64, i64);
        let lines: Vec<LineRow> = on_tx!(tx, |conn| sqlx::query_as(
            "select p.name, cast(l.quantity as bigint), l.admin_fee_cents from order_line l \
             join product p on p.product_id = l.product_id where l.order_id = $1 order by l.created_at, l.order_line_id"
        )
        .bind(&row.order_id)
        .fetch_all(conn)
        .await)?;
        let date =
            |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)));
        let decode = |what: &str| sqlx::Error::Decode(format!("unknown {what}").into());
        let year = i32::try_from(row.year).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let communication =
            StructuredCommunication::parse(&row.communication).ok_or_else(|| decode("communication"))?;
        out.push((
            row.organisation_id,
            InvoiceView {
                invoice_id: row.invoice_id,
                number: invoice_number(year, row.number),
                order_id: row.order_id,
                order_reference: row.reference,
                category: OrderCategory::parse(&row.category).ok_or_else(|| decode("category"))?,
                status: OrderStatus::parse(&row.status).ok_or_else(|| decode("status"))?,
                issued_on: date(&row.issued_on)?,
                due_on: date(&row.due_on)?,
                customer_name: row.customer_name,
                customer_street: row.customer_street,
                customer_postal_code: row.customer_postal_code,
                customer_city: row.customer_city,
                customer_country: row.customer_country,
                customer_enterprise_number: row.customer_enterprise_number,
                lines: lines
                    .into_iter()
                    .map(|(name, quantity, fee)| InvoiceLine {
                        name,
                        quantity: u32::try_from(quantity).unwrap_or(0),
                        unit_fee_cents: fee,
                        amount_cents: fee * quantity,
                    })
                    .collect(),
                net_cents: row.net_cents,
                vat_rate_bps: row.vat_rate_bps,
                vat_cents: row.vat_cents,
                total_cents: row.total_cents,
                paid_cents: row.paid_cents,
                communication: communication.to_string(),
            },
        ));
    }
    Ok(out)
}

/// One invoice and its organisation's id.
pub async fn invoice(tx: &mut DbTx, invoice_id: &str) -> Result<Option<(String, InvoiceView)>, sqlx::Error> {
    Ok(invoices_where(tx, "i.invoice_id = $1", invoice_id)
        .await?
        .into_iter()
        .next())
}

/// The invoices of the orders one checkout created (software first), with their organisation.
pub async fn checkout_invoices(tx: &mut DbTx, checkout_id: &str) -> Result<Vec<(String, InvoiceView)>, sqlx::Error> {
    invoices_where(tx, "o.checkout_id = $1", checkout_id).await
}
