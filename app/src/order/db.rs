//! SQL for orders and order lines.

use crate::db::{Db, DbTx, new_id};
use crate::on_pool;
use crate::on_tx;
use crate::order::invoice::{InvoiceTotals, StructuredCommunication};
use crate::order::model::Approval;
use crate::order::model::{
    CANCELLATIONS_DAYS, InvoiceLine, InvoiceView, OrderCategory, OrderDetail, OrderEvent, OrderFilter, OrderLineView,
    OrderList, OrderQueue, OrderSearch, OrderStatus, OrderSummary, RefundRequest, Shipment, invoice_number,
    parse_order_search,
};
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
         where o.status = 'fulfilled' and l.cancelled_at is null and l.refunded_at is null"
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

/// Locks the order's row until the transaction ends (PostgreSQL; SQLite transactions are
/// serialised already), so money recorded for it by two staff at once queues.
pub async fn lock_order(tx: &mut DbTx, order_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = match tx {
        DbTx::Sqlite(tx, _) => {
            sqlx::query_scalar("select order_id from purchase_order where order_id = $1")
                .bind(order_id)
                .fetch_optional(&mut **tx)
                .await?
        }
        DbTx::Postgres(tx) => {
            sqlx::query_scalar("select order_id from purchase_order where order_id = $1 for update")
                .bind(order_id)
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
    /// "none", "exempt", "franchise", "taxable", "mixed".
    pub vat_status: String,
    pub vat_number: Option<String>,
}

pub async fn customer(tx: &mut DbTx, organisation_id: &str) -> Result<Option<Customer>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as::<_, Customer>(
        "select legal_name, street, postal_code, city, country, enterprise_number, contact_email, vat_status, \
         vat_number from organisation where organisation_id = $1"
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
    /// "S", "E" or "AE".
    pub vat_category: &'a str,
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
         net_cents, vat_rate_bps, vat_cents, total_cents, created_at, customer_vat_status, customer_vat_number, \
         vat_category) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
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
    .bind(&c.vat_status)
    .bind(&c.vat_number)
    .bind(invoice.vat_category)
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
    credited_cents: i64,
    refunded_cents: i64,
    communication: String,
    organisation_id: String,
    vat_category: String,
    customer_vat_number: Option<String>,
    e_invoice: bool,
}

const INVOICE_SELECT: &str = "select i.invoice_id, cast(i.year as bigint) as year, cast(i.number as bigint) as number, \
     o.order_id, o.reference, o.category, o.status, i.issued_on, i.due_on, i.customer_name, i.customer_street, \
     i.customer_postal_code, i.customer_city, i.customer_country, i.customer_enterprise_number, i.net_cents, \
     cast(i.vat_rate_bps as bigint) as vat_rate_bps, i.vat_cents, i.total_cents, \
     cast(coalesce((select sum(pm.amount_cents) from payment pm where pm.invoice_id = i.invoice_id), 0) as bigint) \
     as paid_cents, \
     cast(coalesce((select sum(cn.total_cents) from credit_note cn where cn.invoice_id = i.invoice_id), 0) as bigint) \
     as credited_cents, \
     cast(coalesce((select sum(r.amount_cents) from refund r where r.invoice_id = i.invoice_id), 0) as bigint) \
     as refunded_cents, i.communication, o.organisation_id, i.vat_category, i.customer_vat_number, \
     exists (select 1 from e_document e where e.invoice_id = i.invoice_id) as e_invoice \
     from invoice i join purchase_order o on o.order_id = i.order_id";

/// Invoices with their lines, and the organisation each belongs to (for the caller's check).
async fn invoices_where(
    tx: &mut DbTx,
    condition: &'static str,
    value: &str,
) -> Result<Vec<(String, InvoiceView)>, sqlx::Error> {
    let sql = format!("{INVOICE_SELECT} where {condition} order by o.category desc, i.number");
    let rows: Vec<InvoiceRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(value)
        .fetch_all(conn)
        .await)?;
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
        let invoice_id = row.invoice_id;
        out.push((
            row.organisation_id,
            InvoiceView {
                invoice_id: invoice_id.clone(),
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
                credited_cents: row.credited_cents,
                refunded_cents: row.refunded_cents,
                communication: communication.to_string(),
                vat_category: row.vat_category,
                customer_vat_number: row.customer_vat_number,
                credit_notes: crate::billing::db::credit_notes_of(tx, &invoice_id).await?,
                e_invoice: row.e_invoice,
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

// ---- The order lifecycle (issue 6): lists, the order page, status changes, cancellations,
// ---- fulfilment, shipments, refund requests.

/// A value bound to a query built from a filter.
enum Bind {
    Text(String),
    Time(DateTime<Utc>),
    Int(i32),
}

/// Who is listing: an organisation's members (its orders) or staff (every order their scope
/// holds, with the work queues and the search).
#[derive(Clone, Copy)]
pub enum Lister<'a> {
    Organisation(&'a str),
    Staff {
        /// `Some`: an agent limited to these partners (every line of an order must be theirs).
        scope: Option<&'a [String]>,
        now: DateTime<Utc>,
    },
}

/// Collects conditions and their binds; placeholders are numbered from `$1`.
#[derive(Default)]
struct Clause {
    conditions: Vec<String>,
    binds: Vec<Bind>,
}

impl Clause {
    fn param(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.binds.len())
    }

    fn params(&mut self, values: &[String]) -> String {
        let list: Vec<String> = values.iter().map(|v| self.param(Bind::Text(v.clone()))).collect();
        list.join(", ")
    }

    fn sql(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("where {}", self.conditions.join(" and "))
        }
    }

    /// Orders every line of which belongs to `partners` (and that have a line).
    fn scope(&mut self, partners: &[String]) {
        if partners.is_empty() {
            self.conditions.push("1 = 0".into());
            return;
        }
        let list = self.params(partners);
        self.conditions.push(format!(
            "exists (select 1 from order_line sl where sl.order_id = o.order_id) and not exists \
             (select 1 from order_line sl join product sp on sp.product_id = sl.product_id \
             where sl.order_id = o.order_id and sp.partner_id not in ({list}))"
        ));
    }

    fn queue(&mut self, queue: OrderQueue, now: DateTime<Utc>, overpaid: &[String]) {
        let condition = match queue {
            OrderQueue::Refunds => {
                "o.order_id in (select rr.order_id from refund_request rr where rr.status = 'pending')".to_owned()
            }
            OrderQueue::Cancellations => {
                let since = self.param(Bind::Time(now - chrono::Duration::days(CANCELLATIONS_DAYS)));
                format!(
                    "o.status = 'cancelled' and o.cancelled_at >= {since} \
                     and coalesce(o.cancel_reason, '') <> 'expired'"
                )
            }
            OrderQueue::Overpayments if overpaid.is_empty() => "1 = 0".to_owned(),
            OrderQueue::Overpayments => format!("o.order_id in ({})", self.params(overpaid)),
            OrderQueue::Unpaid => "o.status = 'submitted'".to_owned(),
            OrderQueue::AwaitingApproval => {
                "o.partner_approval = 'pending' and o.status in ('submitted', 'paid', 'transmitted')".to_owned()
            }
        };
        self.conditions.push(condition);
    }

    /// Every search form is an equality on a unique index (reference, invoice year and number,
    /// communication, credit note year and number): nothing of the typed text reaches a `like`.
    fn search(&mut self, search: &OrderSearch) {
        let condition = match search {
            OrderSearch::Reference { year, number } => {
                let number = i32::try_from(*number).unwrap_or(0);
                let reference = self.param(Bind::Text(crate::order::model::order_reference(
                    *year,
                    i64::from(number),
                )));
                let (y, n) = (self.param(Bind::Int(*year)), self.param(Bind::Int(number)));
                format!(
                    "(o.reference = {reference} or o.order_id in \
                     (select iv.order_id from invoice iv where iv.year = {y} and iv.number = {n}))"
                )
            }
            OrderSearch::CreditNote { year, number } => {
                let number = i32::try_from(*number).unwrap_or(0);
                let (y, n) = (self.param(Bind::Int(*year)), self.param(Bind::Int(number)));
                format!(
                    "o.order_id in (select iv.order_id from credit_note cn join invoice iv \
                     on iv.invoice_id = cn.invoice_id where cn.year = {y} and cn.number = {n})"
                )
            }
            OrderSearch::Communication(digits) => {
                let c = self.param(Bind::Text(digits.clone()));
                format!("o.order_id in (select iv.order_id from invoice iv where iv.communication = {c})")
            }
        };
        self.conditions.push(condition);
    }
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Text(text) => query.bind(text),
                Bind::Time(time) => query.bind(time),
                Bind::Int(n) => query.bind(n),
            };
        }
        query
    }};
}

/// `where` clause and binds of `filter` for `lister`. The clause holds only code's text and
/// placeholders (every filter value is bound), so the SQL built around it may be passed as
/// `AssertSqlSafe`.
fn filter_clause(lister: Lister<'_>, filter: &OrderFilter, overpaid: &[String]) -> Clause {
    let mut clause = Clause::default();
    match lister {
        Lister::Organisation(organisation_id) => {
            let p = clause.param(Bind::Text(organisation_id.to_owned()));
            clause.conditions.push(format!("o.organisation_id = {p}"));
        }
        Lister::Staff { scope, now } => {
            if let Some(partners) = scope {
                clause.scope(partners);
            }
            if let Some(queue) = filter.queue {
                clause.queue(queue, now, overpaid);
            }
            if let Some(search) = filter.search.as_deref().and_then(parse_order_search) {
                clause.search(&search);
            }
        }
    }
    if let Some(status) = filter.status {
        let p = clause.param(Bind::Text(status.as_str().to_owned()));
        clause.conditions.push(format!("o.status = {p}"));
    }
    if let Some(partner) = &filter.partner {
        let p = clause.param(Bind::Text(partner.clone()));
        clause.conditions.push(format!(
            "exists (select 1 from order_line fl join product fp on fp.product_id = fl.product_id \
             where fl.order_id = o.order_id and fp.partner_id = {p})"
        ));
    }
    if let Some(from) = filter.from {
        let p = clause.param(Bind::Time(domain::calendar::business_day_start(from)));
        clause.conditions.push(format!("o.submitted_at >= {p}"));
    }
    if let Some(to) = filter.to.and_then(|to| to.succ_opt()) {
        let p = clause.param(Bind::Time(domain::calendar::business_day_start(to)));
        clause.conditions.push(format!("o.submitted_at < {p}"));
    }
    clause
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    order_id: String,
    reference: String,
    organisation_id: String,
    organisation_name: String,
    category: String,
    status: String,
    submitted_at: DateTime<Utc>,
    total_cents: Option<i64>,
    invoice_id: Option<String>,
    credited_cents: i64,
    paid_cents: i64,
    refunded_cents: i64,
    imported: bool,
    pending_refunds: i64,
}

fn decode_error(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what}").into())
}

/// A page of an organisation's orders, newest first, with the number matching `filter` and
/// the count per open status.
pub async fn list_orders(
    tx: &mut DbTx,
    organisation_id: Option<&str>,
    filter: &OrderFilter,
    page_size: u32,
) -> Result<OrderList, sqlx::Error> {
    let lister = match organisation_id {
        Some(id) => Lister::Organisation(id),
        None => Lister::Staff {
            scope: None,
            now: crate::db::now(),
        },
    };
    list_for(tx, lister, filter, page_size).await
}

/// A page of orders for `lister`: queues oldest first (cancellations newest first), plain
/// lists newest first; with the number matching `filter`, the count per open status and, for
/// staff, the count of each work queue (all within the staff member's scope).
pub async fn list_for(
    tx: &mut DbTx,
    lister: Lister<'_>,
    filter: &OrderFilter,
    page_size: u32,
) -> Result<OrderList, sqlx::Error> {
    let staff = matches!(lister, Lister::Staff { .. });
    let now = match lister {
        Lister::Staff { now, .. } => now,
        Lister::Organisation(_) => crate::db::now(),
    };
    let overpaid = if staff { overpaid_orders(tx).await? } else { Vec::new() };
    let clause = filter_clause(lister, filter, &overpaid);
    let where_sql = clause.sql();
    let offset = i64::from(filter.page) * i64::from(page_size);
    let order_by = match filter.queue.filter(|_| staff) {
        Some(OrderQueue::Cancellations) => "o.cancelled_at desc, o.order_id desc",
        Some(queue) if queue.oldest_first() => "o.submitted_at, o.order_id",
        _ => "o.submitted_at desc, o.order_id desc",
    };
    let sql = format!(
        "select o.order_id, o.reference, o.organisation_id, org.legal_name as organisation_name, o.category, \
         o.status, o.submitted_at, i.total_cents, i.invoice_id, \
         cast(coalesce((select sum(cn.total_cents) from credit_note cn where cn.invoice_id = i.invoice_id), 0) as bigint) \
         as credited_cents, \
         cast(coalesce((select sum(pm.amount_cents) from payment pm where pm.invoice_id = i.invoice_id), 0) as bigint) \
         as paid_cents, \
         cast(coalesce((select sum(r.amount_cents) from refund r where r.invoice_id = i.invoice_id), 0) as bigint) \
         as refunded_cents, (o.imported_at is not null) as imported, \
         cast((select count(*) from refund_request rq where rq.order_id = o.order_id and rq.status = 'pending') \
         as bigint) as pending_refunds from purchase_order o \
         join organisation org on org.organisation_id = o.organisation_id \
         left join invoice i on i.order_id = o.order_id {where_sql} \
         order by {order_by} limit {page_size} offset {offset}"
    );
    let rows: Vec<SummaryRow> = on_tx!(tx, |conn| {
        bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &clause.binds)
            .fetch_all(conn)
            .await
    })?;
    let total = count_where(tx, &clause).await?;
    let (counts, queues) = match lister {
        Lister::Organisation(_) => (status_counts(tx, lister, &overpaid).await?, Vec::new()),
        Lister::Staff { .. } => counts_for(tx, lister, &overpaid).await?,
    };
    let partners = partners_of(tx, rows.iter().map(|r| r.order_id.as_str())).await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        orders.push(OrderSummary {
            partners: partners.get(&row.order_id).cloned().unwrap_or_default(),
            category: OrderCategory::parse(&row.category).ok_or_else(|| decode_error("category"))?,
            status: OrderStatus::parse(&row.status).ok_or_else(|| decode_error("status"))?,
            order_id: row.order_id,
            reference: row.reference,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            submitted_at: row.submitted_at,
            total_cents: row.total_cents.unwrap_or(0),
            invoice_state: row.total_cents.zip(row.invoice_id.as_ref()).map(|(total_cents, _)| {
                crate::order::invoice::Settlement {
                    total_cents,
                    credited_cents: row.credited_cents,
                    paid_cents: row.paid_cents,
                    refunded_cents: row.refunded_cents,
                }
                .state()
            }),
            invoice_id: row.invoice_id,
            imported: row.imported,
            pending_refunds: row.pending_refunds,
            age_days: (now - row.submitted_at).num_days().max(0),
        });
    }
    Ok(OrderList {
        orders,
        total,
        counts,
        queues,
    })
}

async fn count_where(tx: &mut DbTx, clause: &Clause) -> Result<i64, sqlx::Error> {
    let sql = format!("select count(*) from purchase_order o {}", clause.sql());
    on_tx!(tx, |conn| {
        bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), &clause.binds)
            .fetch_one(conn)
            .await
    })
}

/// The count in each open status for `lister` (closed statuses only grow: not counted).
async fn status_counts(
    tx: &mut DbTx,
    lister: Lister<'_>,
    overpaid: &[String],
) -> Result<Vec<(OrderStatus, i64)>, sqlx::Error> {
    let mut counts = Vec::new();
    for status in OrderStatus::OPEN {
        let filter = OrderFilter {
            status: Some(status),
            ..OrderFilter::default()
        };
        let n = count_where(tx, &filter_clause(lister, &filter, overpaid)).await?;
        if n > 0 {
            counts.push((status, n));
        }
    }
    Ok(counts)
}

/// Staff: the counts of the open statuses and of each work queue, within the scope.
async fn counts_for(
    tx: &mut DbTx,
    lister: Lister<'_>,
    overpaid: &[String],
) -> Result<(Vec<(OrderStatus, i64)>, Vec<(OrderQueue, i64)>), sqlx::Error> {
    let counts = status_counts(tx, lister, overpaid).await?;
    let mut queues = Vec::new();
    for queue in OrderQueue::ALL {
        let filter = OrderFilter {
            queue: Some(queue),
            ..OrderFilter::default()
        };
        queues.push((queue, count_where(tx, &filter_clause(lister, &filter, overpaid)).await?));
    }
    Ok((counts, queues))
}

/// Staff: the counts of the open statuses and of each work queue within `scope`, for the
/// dashboard: the same counts the queues of `/admin/orders` show.
pub async fn staff_counts(
    tx: &mut DbTx,
    scope: Option<&[String]>,
    now: DateTime<Utc>,
) -> Result<(Vec<(OrderStatus, i64)>, Vec<(OrderQueue, i64)>), sqlx::Error> {
    let overpaid = overpaid_orders(tx).await?;
    counts_for(tx, Lister::Staff { scope, now }, &overpaid).await
}

/// Orders whose invoice holds more money than it asks for now (paid twice, or paid and then
/// credited): the money `/admin/refunds` pays back.
pub async fn overpaid_orders(tx: &mut DbTx) -> Result<Vec<String>, sqlx::Error> {
    let candidates = crate::billing::db::refund_candidates(tx).await?;
    let mut out = Vec::new();
    for chunk in candidates.chunks(500) {
        // Only numbered placeholders are written into the SQL; every id is bound.
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "select i.order_id, i.total_cents, \
             cast(coalesce((select sum(cn.total_cents) from credit_note cn where cn.invoice_id = i.invoice_id), 0) as bigint), \
             cast(coalesce((select sum(p.amount_cents) from payment p where p.invoice_id = i.invoice_id), 0) as bigint), \
             cast(coalesce((select sum(r.amount_cents) from refund r where r.invoice_id = i.invoice_id), 0) as bigint) \
             from invoice i where i.invoice_id in ({})",
            placeholders.join(", ")
        );
        let rows: Vec<(String, i64, i64, i64, i64)> = on_tx!(tx, |conn| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id);
            }
            query.fetch_all(conn).await
        })?;
        out.extend(
            rows.into_iter()
                .filter(|(_, total, credited, paid, refunded)| paid - refunded > total - credited)
                .map(|(order_id, ..)| order_id),
        );
    }
    out.sort();
    Ok(out)
}

/// Whether every line of `order_id` belongs to `partners` (a scoped agent's orders).
pub async fn order_in_scope(tx: &mut DbTx, order_id: &str, partners: &[String]) -> Result<bool, sqlx::Error> {
    let mut clause = Clause::default();
    let p = clause.param(Bind::Text(order_id.to_owned()));
    clause.conditions.push(format!("o.order_id = {p}"));
    clause.scope(partners);
    Ok(count_where(tx, &clause).await? == 1)
}

/// The order a refund request (in any state) is about.
pub async fn refund_request_order(tx: &mut DbTx, refund_request_id: &str) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select order_id from refund_request where refund_request_id = $1"
    )
    .bind(refund_request_id)
    .fetch_optional(conn)
    .await)
}

/// The partner names of each order's lines, in one query for a page of orders.
async fn partners_of<'a>(
    tx: &mut DbTx,
    order_ids: impl Iterator<Item = &'a str>,
) -> Result<std::collections::HashMap<String, Vec<String>>, sqlx::Error> {
    let ids: Vec<&str> = order_ids.collect();
    let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select distinct l.order_id, pa.name from order_line l join product p on p.product_id = l.product_id \
         join partner pa on pa.partner_id = p.partner_id where l.order_id in ({}) order by pa.name",
        params.join(", ")
    );
    let rows: Vec<(String, String)> = on_tx!(tx, |conn| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in &ids {
            query = query.bind(*id);
        }
        query.fetch_all(conn).await
    })?;
    for (order_id, name) in rows {
        out.entry(order_id).or_default().push(name);
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    order_id: String,
    reference: String,
    organisation_id: String,
    organisation_name: String,
    contact_email: String,
    category: String,
    status: String,
    partner_approval: Option<String>,
    submitted_at: DateTime<Utc>,
    validated_at: Option<DateTime<Utc>>,
    cancel_reason: Option<String>,
    imported: bool,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    order_line_id: String,
    slug: String,
    name: String,
    partner_id: String,
    partner_name: String,
    quantity: i64,
    admin_fee_cents: i64,
    refundable: bool,
    cancelled: bool,
    refunded: bool,
    named_user: Option<String>,
    aws_account_id: Option<String>,
    fulfilment_code: Option<String>,
    fulfilment_note: Option<String>,
    expires_on: Option<String>,
}

fn parse_date(text: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Everything the order's page shows; `staff`: name the staff behind each step.
pub async fn order_detail(tx: &mut DbTx, order_id: &str, staff: bool) -> Result<Option<OrderDetail>, sqlx::Error> {
    let row: Option<DetailRow> = on_tx!(tx, |conn| {
        sqlx::query_as(
        "select o.order_id, o.reference, o.organisation_id, org.legal_name as organisation_name, org.contact_email, \
         o.category, o.status, o.partner_approval, o.submitted_at, o.validated_at, o.cancel_reason, \
         (o.imported_at is not null) as imported \
         from purchase_order o join organisation org on org.organisation_id = o.organisation_id where o.order_id = $1"
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await
    })?;
    let Some(row) = row else {
        return Ok(None);
    };
    let invoice = invoices_where(tx, "o.order_id = $1", order_id)
        .await?
        .into_iter()
        .next()
        .map(|(_, invoice)| invoice);
    let lines: Vec<LineRow> = on_tx!(tx, |conn| sqlx::query_as(
        "select l.order_line_id, p.slug, p.name, p.partner_id, pa.name as partner_name, \
         cast(l.quantity as bigint) as quantity, l.admin_fee_cents, p.refundable, \
         (l.cancelled_at is not null) as cancelled, (l.refunded_at is not null) as refunded, l.named_user, \
         l.aws_account_id, l.fulfilment_code, l.fulfilment_note, l.expires_on \
         from order_line l join product p on p.product_id = l.product_id \
         join partner pa on pa.partner_id = p.partner_id \
         where l.order_id = $1 order by l.created_at, l.order_line_id"
    )
    .bind(order_id)
    .fetch_all(conn)
    .await)?;
    type EventRow = (String, Option<String>, String, Option<String>, DateTime<Utc>);
    let events: Vec<EventRow> = on_tx!(tx, |conn| sqlx::query_as(
        "select e.kind, e.to_status, e.note, p.full_name, e.created_at from order_event e \
         left join person p on p.person_id = e.person_id \
         where e.order_id = $1 order by e.created_at, e.order_event_id"
    )
    .bind(order_id)
    .fetch_all(conn)
    .await)?;
    type ShipmentRow = (String, String, String, String, String, Option<String>);
    let shipments: Vec<ShipmentRow> = on_tx!(tx, |conn| sqlx::query_as(
        "select shipment_id, shipped_on, carrier, tracking, items, delivered_on from shipment \
         where order_id = $1 order by shipped_on, created_at"
    )
    .bind(order_id)
    .fetch_all(conn)
    .await)?;
    type RefundRow = (String, String, String, String, bool, String, String, DateTime<Utc>);
    let refunds: Vec<RefundRow> = on_tx!(tx, |conn| sqlx::query_as(
        "select r.refund_request_id, r.order_line_id, p.name, r.reason, r.declaration, r.status, r.response, \
         r.created_at from refund_request r join order_line l on l.order_line_id = r.order_line_id \
         join product p on p.product_id = l.product_id where r.order_id = $1 order by r.created_at"
    )
    .bind(order_id)
    .fetch_all(conn)
    .await)?;
    let mut line_views = Vec::with_capacity(lines.len());
    for l in lines {
        line_views.push(OrderLineView {
            order_line_id: l.order_line_id,
            product_slug: l.slug,
            product_name: l.name,
            partner_id: l.partner_id,
            partner_name: l.partner_name,
            quantity: u32::try_from(l.quantity).unwrap_or(0),
            unit_fee_cents: l.admin_fee_cents,
            refundable: l.refundable,
            cancelled: l.cancelled,
            refunded: l.refunded,
            named_user: l.named_user.filter(|s| !s.is_empty()),
            aws_account_id: l.aws_account_id.filter(|s| !s.is_empty()),
            fulfilment_code: l.fulfilment_code.filter(|s| !s.is_empty()),
            fulfilment_note: l.fulfilment_note.filter(|s| !s.is_empty()),
            expires_on: l.expires_on.as_deref().map(parse_date).transpose()?,
        });
    }
    let mut shipment_views = Vec::with_capacity(shipments.len());
    for (shipment_id, shipped_on, carrier, tracking, items, delivered_on) in shipments {
        shipment_views.push(Shipment {
            shipment_id,
            shipped_on: parse_date(&shipped_on)?,
            carrier,
            tracking,
            items,
            delivered_on: delivered_on.as_deref().map(parse_date).transpose()?,
        });
    }
    Ok(Some(OrderDetail {
        category: OrderCategory::parse(&row.category).ok_or_else(|| decode_error("category"))?,
        status: OrderStatus::parse(&row.status).ok_or_else(|| decode_error("status"))?,
        approval: row.partner_approval.as_deref().and_then(Approval::parse),
        order_id: row.order_id,
        reference: row.reference,
        organisation_id: row.organisation_id,
        organisation_name: row.organisation_name,
        contact_email: row.contact_email,
        submitted_at: row.submitted_at,
        validated_at: row.validated_at,
        cancel_reason: row.cancel_reason,
        imported: row.imported,
        invoice,
        lines: line_views,
        events: events
            .into_iter()
            .map(|(kind, to_status, note, by, at)| OrderEvent {
                kind,
                to_status: to_status.as_deref().and_then(OrderStatus::parse),
                note,
                by: if staff { by } else { None },
                at,
            })
            .collect(),
        shipments: shipment_views,
        refunds: refunds
            .into_iter()
            .map(
                |(
                    refund_request_id,
                    order_line_id,
                    product_name,
                    reason,
                    declaration,
                    status,
                    response,
                    created_at,
                )| {
                    RefundRequest {
                        refund_request_id,
                        order_line_id,
                        product_name,
                        reason,
                        declaration,
                        status,
                        response,
                        created_at,
                    }
                },
            )
            .collect(),
    }))
}

/// Moves the order from `from` to `to`, stamping the date the new status stands for;
/// `false` when it was not in `from` any more (another request moved it first).
pub async fn set_status(
    tx: &mut DbTx,
    order_id: &str,
    from: OrderStatus,
    to: OrderStatus,
    cancel_reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    // Every parameter appears in the statement whatever `to` is, as PostgreSQL requires.
    let sql = "update purchase_order set status = $3, updated_at = $4, \
               validated_at = case when $3 = 'paid' then coalesce(validated_at, $4) else validated_at end, \
               transmitted_at = case when $3 = 'transmitted' then $4 else transmitted_at end, \
               fulfilled_at = case when $3 = 'fulfilled' then $4 else fulfilled_at end, \
               cancel_reason = case when $3 = 'cancelled' then $5 else cancel_reason end, \
               cancelled_at = case when $3 = 'cancelled' then $4 else cancelled_at end \
               where order_id = $1 and status = $2";
    let rows = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(order_id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now)
        .bind(cancel_reason)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// A step of the order's timeline.
pub struct NewEvent<'a> {
    pub order_id: &'a str,
    pub kind: &'a str,
    pub from_status: Option<OrderStatus>,
    pub to_status: Option<OrderStatus>,
    pub note: &'a str,
    pub person_id: Option<&'a str>,
}

pub async fn insert_event(tx: &mut DbTx, event: &NewEvent<'_>, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into order_event (order_event_id, order_id, kind, from_status, to_status, note, person_id, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(new_id())
    .bind(event.order_id)
    .bind(event.kind)
    .bind(event.from_status.map(OrderStatus::as_str))
    .bind(event.to_status.map(OrderStatus::as_str))
    .bind(event.note)
    .bind(event.person_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Marks lines of `order_id` cancelled; the number of lines that were still live.
pub async fn cancel_lines(
    tx: &mut DbTx,
    order_id: &str,
    line_ids: &[&str],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let mut done = 0;
    for id in line_ids {
        done += on_tx!(tx, |conn| {
            sqlx::query(
            "update order_line set cancelled_at = $3 where order_line_id = $1 and order_id = $2 and cancelled_at is null"
        )
        .bind(id)
        .bind(order_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
        })?;
    }
    Ok(done)
}

/// Cisco's answer, or `pending` when a Cisco order is placed.
pub async fn set_approval(tx: &mut DbTx, order_id: &str, approval: Approval) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update purchase_order set partner_approval = $2 where order_id = $1"
    )
    .bind(order_id)
    .bind(approval.as_str())
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn insert_shipment(
    tx: &mut DbTx,
    order_id: &str,
    shipment: &Shipment,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into shipment (shipment_id, order_id, shipped_on, carrier, tracking, items, delivered_on, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(new_id())
    .bind(order_id)
    .bind(shipment.shipped_on.to_string())
    .bind(&shipment.carrier)
    .bind(&shipment.tracking)
    .bind(&shipment.items)
    .bind(shipment.delivered_on.map(|d| d.to_string()))
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The day a parcel of `order_id` arrived; `false` when it is not that order's or was
/// already dated.
pub async fn set_delivered(
    tx: &mut DbTx,
    order_id: &str,
    shipment_id: &str,
    delivered_on: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update shipment set delivered_on = $3 where shipment_id = $1 and order_id = $2 and delivered_on is null"
    )
    .bind(shipment_id)
    .bind(order_id)
    .bind(delivered_on.to_string())
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// What staff type in for one line of `order_id`: code, instructions, expiry. `false` when
/// the line is not one of that order's.
pub async fn set_fulfilment(
    tx: &mut DbTx,
    order_id: &str,
    order_line_id: &str,
    code: &str,
    note: &str,
    expires_on: Option<NaiveDate>,
) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update order_line set fulfilment_code = $3, fulfilment_note = $4, expires_on = $5 \
         where order_line_id = $1 and order_id = $2"
    )
    .bind(order_line_id)
    .bind(order_id)
    .bind(code)
    .bind(note)
    .bind(expires_on.map(|d| d.to_string()))
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// Dates the yearly products of a fulfilled order that staff left without an expiry.
pub async fn default_expiry(tx: &mut DbTx, order_id: &str, expires_on: NaiveDate) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update order_line set expires_on = $2 where order_id = $1 and expires_on is null and cancelled_at is null \
         and product_id in (select product_id from product where partner_id in ('zoom', 'autodesk', 'aws'))"
    )
    .bind(order_id)
    .bind(expires_on.to_string())
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// A refund request of one line.
pub struct NewRefund<'a> {
    pub order_id: &'a str,
    pub order_line_id: &'a str,
    pub organisation_id: &'a str,
    pub person_id: &'a str,
    pub reason: &'a str,
    /// Microsoft: the organisation declares the licences unused.
    pub declaration: bool,
}

/// Stores a refund request; `false` when the line already has one waiting.
pub async fn insert_refund_request(
    tx: &mut DbTx,
    refund: &NewRefund<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| {
        sqlx::query(
        "insert into refund_request (refund_request_id, order_id, order_line_id, organisation_id, person_id, reason, \
         declaration, status, created_at) values ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) \
         on conflict do nothing"
    )
    .bind(new_id())
    .bind(refund.order_id)
    .bind(refund.order_line_id)
    .bind(refund.organisation_id)
    .bind(refund.person_id)
    .bind(refund.reason)
    .bind(refund.declaration)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(rows == 1)
}

/// The order and line a pending refund request is about.
pub async fn pending_refund(tx: &mut DbTx, refund_request_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select order_id, order_line_id from refund_request where refund_request_id = $1 and status = 'pending'"
    )
    .bind(refund_request_id)
    .fetch_optional(conn)
    .await)
}

/// Answers a pending refund request; `false` when it was answered already.
pub async fn decide_refund(
    tx: &mut DbTx,
    refund_request_id: &str,
    accepted: bool,
    response: &str,
    person_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "update refund_request set status = $2, response = $3, decided_by = $4, decided_at = $5 \
         where refund_request_id = $1 and status = 'pending'"
    )
    .bind(refund_request_id)
    .bind(if accepted { "accepted" } else { "refused" })
    .bind(response)
    .bind(person_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

pub async fn mark_line_refunded(tx: &mut DbTx, order_line_id: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update order_line set refunded_at = $2 where order_line_id = $1"
    )
    .bind(order_line_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Refund requests waiting for staff, for the dashboard's queue count.
pub async fn pending_refund_count(tx: &mut DbTx) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from refund_request where status = 'pending'"
    )
    .fetch_one(conn)
    .await)
}

/// The organisation an order belongs to, for the caller's check.
pub async fn order_organisation(tx: &mut DbTx, order_id: &str) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select organisation_id from purchase_order where order_id = $1"
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await)
}
