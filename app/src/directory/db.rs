//! SQL of the organisation directory and the 360 page.
//!
//! Search: each organisation's terms live in `organisation_search_term` (term, organisation)
//! with the pair as primary key; a query's prefixes are ranges on that index
//! (`term >= $p and term < $upper`), intersected, then the organisation rows are read by id.
//! [`reindex`] rewrites an organisation's terms; every write of the searched data calls it in
//! its own transaction (registration, import, demo, change-request acceptance, members).

use crate::db::{Db, DbTx, Timestamp};
use crate::{on_pool, on_tx};
use domain::directory::rules::{ParsedQuery, Searchable, search_terms, upper_bound};

/// Rewrites the search terms of one organisation from its current data and accepted members.
pub async fn reindex(tx: &mut DbTx, organisation_id: &str) -> Result<(), sqlx::Error> {
    let org: Option<(String, String, String, String, String)> = on_tx!(tx, |conn| sqlx::query_as(
        "select legal_name, enterprise_number, postal_code, city, contact_email from organisation \
         where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)?;
    on_tx!(tx, |conn| sqlx::query(
        "delete from organisation_search_term where organisation_id = $1"
    )
    .bind(organisation_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    let Some((legal_name, enterprise_number, postal_code, city, contact_email)) = org else {
        return Ok(());
    };
    let people: Vec<(String, String)> = on_tx!(tx, |conn| sqlx::query_as(
        "select p.full_name, p.email from membership m join person p on p.person_id = m.person_id \
         where m.organisation_id = $1 and m.accepted_at is not null"
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await)?;
    let terms = search_terms(&Searchable {
        legal_name: &legal_name,
        enterprise_number: &enterprise_number,
        postal_code: &postal_code,
        city: &city,
        contact_email: &contact_email,
        people: people.iter().map(|(n, e)| (n.as_str(), e.as_str())).collect(),
    });
    let terms: Vec<String> = terms.into_iter().collect();
    for chunk in terms.chunks(200) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, $1)", i + 2)).collect();
        let sql = format!(
            "insert into organisation_search_term (term, organisation_id) values {}",
            values.join(", ")
        );
        on_tx!(tx, |conn| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(organisation_id);
            for term in chunk {
                query = query.bind(term);
            }
            query.execute(conn).await.map(|done| done.rows_affected())
        })?;
    }
    Ok(())
}

/// Gives terms to the organisations that have none: those written before the directory
/// existed, or by hand. Every organisation has at least its enterprise number as a term, so
/// once done this finds nothing. Run at startup; batches of 500 organisations a transaction.
pub async fn index_unindexed(db: &Db) -> Result<u64, sqlx::Error> {
    let mut done = 0;
    loop {
        let ids: Vec<String> = on_pool!(db, |pool| sqlx::query_scalar(
            "select o.organisation_id from organisation o where not exists \
             (select 1 from organisation_search_term t where t.organisation_id = o.organisation_id) limit 500"
        )
        .fetch_all(pool)
        .await)?;
        if ids.is_empty() {
            return Ok(done);
        }
        let mut tx = db.begin().await?;
        for id in &ids {
            reindex(&mut tx, id).await?;
        }
        tx.commit().await?;
        done += ids.len() as u64;
    }
}

/// The organisations an identifier names: an order reference, a token code, an invoice
/// number or a structured communication, each read through its own unique index.
pub async fn identified_organisations(db: &Db, query: &ParsedQuery) -> Result<Vec<String>, sqlx::Error> {
    let mut parts = Vec::new();
    let mut params: Vec<Param> = Vec::new();
    if let Some(reference) = &query.reference {
        let p = next(&mut params, Param::Text(reference.clone()));
        parts.push(format!(
            "select organisation_id from purchase_order where reference = {p}"
        ));
    }
    if let Some(code) = &query.token_code {
        let p = next(&mut params, Param::Text(code.clone()));
        parts.push(format!("select organisation_id from validation_token where code = {p}"));
    }
    if let Some((year, number)) = query.invoice {
        let y = next(&mut params, Param::Int(i64::from(year)));
        let n = next(&mut params, Param::Int(number));
        parts.push(format!(
            "select po.organisation_id from invoice i join purchase_order po on po.order_id = i.order_id \
             where i.year = {y} and i.number = {n}"
        ));
    }
    if let Some(communication) = &query.communication {
        let p = next(&mut params, Param::Text(communication.clone()));
        parts.push(format!(
            "select po.organisation_id from invoice i join purchase_order po on po.order_id = i.order_id \
             where i.communication = {p}"
        ));
    }
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let sql = parts.join(" union ");
    on_pool!(db, |pool| bind_all!(
        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)),
        params
    )
    .fetch_all(pool)
    .await)
}

/// A checked directory search.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    /// Organisations named by an identifier; when set, the prefixes are not used.
    pub ids: Option<Vec<String>>,
    /// Term prefixes that must all match.
    pub prefixes: Vec<String>,
    pub status: Option<String>,
    /// Qualified for this partner.
    pub partner: Option<String>,
    pub country: Option<String>,
    pub vat: Option<String>,
    /// Many organisations match (a common word): read the organisations in name order and
    /// test each against the terms, stopping at the page's end, rather than sort every match.
    pub in_name_order: bool,
}

/// From how many matches [`Criteria::in_name_order`] pays: with "asbl" matching most of
/// 100,000 organisations, sorting them all took 400 ms; walking the name index until 25
/// match takes under a millisecond. Under this many, the matches are few enough to sort.
pub const IN_NAME_ORDER_FROM: i64 = 2_000;

enum Param {
    Text(String),
    Int(i64),
}

fn next(params: &mut Vec<Param>, param: Param) -> String {
    params.push(param);
    format!("${}", params.len())
}

macro_rules! bind_all {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                Param::Text(text) => query.bind(text),
                Param::Int(value) => query.bind(value),
            };
        }
        query
    }};
}
use bind_all;

impl Criteria {
    /// The `where` clause over `organisation o` and its parameters, numbered from `$1`. Only
    /// code's text and placeholders: every value typed is a parameter.
    fn clause(&self) -> (String, Vec<Param>) {
        let mut tests = Vec::new();
        let mut params = Vec::new();
        if let Some(ids) = &self.ids {
            let list: Vec<String> = ids
                .iter()
                .map(|id| next(&mut params, Param::Text(id.clone())))
                .collect();
            tests.push(if list.is_empty() {
                "1 = 0".to_owned()
            } else {
                format!("o.organisation_id in ({})", list.join(", "))
            });
        } else if self.in_name_order {
            for prefix in &self.prefixes {
                let lo = next(&mut params, Param::Text(prefix.clone()));
                let hi = next(&mut params, Param::Text(upper_bound(prefix)));
                tests.push(format!(
                    "exists (select 1 from organisation_search_term t where t.organisation_id = o.organisation_id \
                     and t.term >= {lo} and t.term < {hi})"
                ));
            }
        } else if !self.prefixes.is_empty() {
            // The longest prefix first: the likeliest to be rare, so the fewest rows to check
            // against the others.
            let mut prefixes = self.prefixes.clone();
            prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
            let mut nested = String::new();
            for (i, prefix) in prefixes.iter().enumerate().rev() {
                let lo = next(&mut params, Param::Text(prefix.clone()));
                let hi = next(&mut params, Param::Text(upper_bound(prefix)));
                let inner = if nested.is_empty() {
                    String::new()
                } else {
                    format!(" and t{i}.organisation_id in ({nested})")
                };
                nested = format!(
                    "select t{i}.organisation_id from organisation_search_term t{i} \
                     where t{i}.term >= {lo} and t{i}.term < {hi}{inner}"
                );
            }
            tests.push(format!("o.organisation_id in ({nested})"));
        }
        if let Some(status) = &self.status {
            let p = next(&mut params, Param::Text(status.clone()));
            tests.push(format!("o.eligibility_status = {p}"));
        }
        if let Some(country) = &self.country {
            let p = next(&mut params, Param::Text(country.clone()));
            tests.push(format!("o.country = {p}"));
        }
        if let Some(vat) = &self.vat {
            let p = next(&mut params, Param::Text(vat.clone()));
            tests.push(format!("o.vat_status = {p}"));
        }
        if let Some(partner) = &self.partner {
            let p = next(&mut params, Param::Text(partner.clone()));
            tests.push(format!(
                "exists (select 1 from qualification q where q.organisation_id = o.organisation_id \
                 and q.partner_id = {p} and q.status = 'qualified')"
            ));
        }
        if tests.is_empty() {
            (String::new(), params)
        } else {
            (format!("where {}", tests.join(" and ")), params)
        }
    }

    fn page_sql(&self, limit: i64, offset: i64) -> (String, Vec<Param>) {
        let (clause, mut params) = self.clause();
        let limit = next(&mut params, Param::Int(limit));
        let offset = next(&mut params, Param::Int(offset));
        (
            format!(
                "select o.organisation_id, o.legal_name, o.country, o.enterprise_number, o.postal_code, o.city, \
                 o.eligibility_status, o.vat_status, \
                 (select p.full_name from membership m join person p on p.person_id = m.person_id \
                  where m.organisation_id = o.organisation_id and m.role = 'account_holder') as holder_name \
                 from organisation o {clause} order by o.legal_name, o.organisation_id limit {limit} offset {offset}"
            ),
            params,
        )
    }
}

/// One organisation of a directory page, as stored.
#[derive(sqlx::FromRow)]
pub struct DirectoryRow {
    pub organisation_id: String,
    pub legal_name: String,
    pub country: String,
    pub enterprise_number: String,
    pub postal_code: String,
    pub city: String,
    pub eligibility_status: String,
    pub vat_status: String,
    pub holder_name: Option<String>,
}

/// How many organisations match.
pub async fn count(db: &Db, criteria: &Criteria) -> Result<i64, sqlx::Error> {
    let (clause, params) = criteria.clause();
    let sql = format!("select count(*) from organisation o {clause}");
    on_pool!(db, |pool| bind_all!(
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)),
        params
    )
    .fetch_one(pool)
    .await)
}

/// The matching organisations by name, `limit` from `offset`.
pub async fn page(db: &Db, criteria: &Criteria, limit: i64, offset: i64) -> Result<Vec<DirectoryRow>, sqlx::Error> {
    let (sql, params) = criteria.page_sql(limit, offset);
    on_pool!(db, |pool| bind_all!(
        sqlx::query_as::<_, DirectoryRow>(sqlx::AssertSqlSafe(sql)),
        params
    )
    .fetch_all(pool)
    .await)
}

/// The query plan of a directory page, one line a step: SQLite's `EXPLAIN QUERY PLAN`, or
/// PostgreSQL's `EXPLAIN` with sequential scans discouraged (so a plan that still scans has
/// no index to use). For the tests that keep the search index-backed.
pub async fn page_plan(db: &Db, criteria: &Criteria) -> Result<Vec<String>, sqlx::Error> {
    let (sql, params) = criteria.page_sql(25, 0);
    match db {
        Db::Sqlite(pool, _) => {
            let sql = format!("explain query plan {sql}");
            let rows: Vec<(i64, i64, i64, String)> = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), params)
                .fetch_all(pool)
                .await?;
            Ok(rows.into_iter().map(|r| r.3).collect())
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("set local enable_seqscan = off").execute(&mut *tx).await?;
            let sql = format!("explain {sql}");
            let rows: Vec<String> = bind_all!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), params)
                .fetch_all(&mut *tx)
                .await?;
            tx.rollback().await?;
            Ok(rows)
        }
    }
}

/// Every partner (id, name), for the qualification filter.
pub async fn partners(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select partner_id, name from partner order by name"
    )
    .fetch_all(pool)
    .await)
}

/// The organisation's name, `None` if there is none with this id.
pub async fn legal_name(db: &Db, organisation_id: &str) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select legal_name, case when appealed_at is not null then appeal_note end from organisation \
         where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(pool)
    .await)
}

#[derive(sqlx::FromRow)]
pub struct OrderRow {
    pub order_id: String,
    pub reference: String,
    pub category: String,
    pub status: String,
    pub submitted_at: Timestamp,
    pub invoice_id: Option<String>,
    pub year: Option<i32>,
    pub number: Option<i64>,
    pub total_cents: Option<i64>,
}

/// The organisation's newest orders with their invoices, and how many it has.
pub async fn orders(db: &Db, organisation_id: &str, limit: i64) -> Result<(Vec<OrderRow>, i64), sqlx::Error> {
    let rows: Vec<OrderRow> = on_pool!(db, |pool| sqlx::query_as(
        "select po.order_id, po.reference, po.category, po.status, po.submitted_at, i.invoice_id, i.year, \
         cast(i.number as bigint) as number, i.total_cents \
         from purchase_order po left join invoice i on i.order_id = po.order_id \
         where po.organisation_id = $1 order by po.submitted_at desc, po.order_id desc limit $2"
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(pool)
    .await)?;
    let total: i64 = on_pool!(db, |pool| sqlx::query_scalar(
        "select count(*) from purchase_order where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_one(pool)
    .await)?;
    Ok((rows, total))
}

#[derive(sqlx::FromRow)]
pub struct CreditNoteRow {
    pub credit_note_id: String,
    pub year: Option<i32>,
    pub number: Option<i64>,
    pub invoice_id: String,
    pub order_id: String,
    pub kind: String,
    pub issued_on: Option<String>,
}

/// The organisation's newest credit notes.
pub async fn credit_notes(db: &Db, organisation_id: &str, limit: i64) -> Result<Vec<CreditNoteRow>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select cn.credit_note_id, cn.year, cast(cn.number as bigint) as number, cn.invoice_id, po.order_id, cn.kind, \
         cn.issued_on from credit_note cn join invoice i on i.invoice_id = cn.invoice_id \
         join purchase_order po on po.order_id = i.order_id \
         where po.organisation_id = $1 order by cn.created_at desc limit $2"
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

#[derive(sqlx::FromRow)]
pub struct TokenRow {
    pub token_id: String,
    pub code: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub partner_id: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// The organisation's newest validation tokens, and how many it has.
pub async fn tokens(db: &Db, organisation_id: &str, limit: i64) -> Result<(Vec<TokenRow>, i64), sqlx::Error> {
    let rows: Vec<TokenRow> = on_pool!(db, |pool| sqlx::query_as(
        "select token_id, code, recipient_name, recipient_email, partner_id, created_at, expires_at, revoked_at \
         from validation_token where organisation_id = $1 order by created_at desc, token_id desc limit $2"
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(pool)
    .await)?;
    let total: i64 = on_pool!(db, |pool| sqlx::query_scalar(
        "select count(*) from validation_token where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_one(pool)
    .await)?;
    Ok((rows, total))
}

#[derive(sqlx::FromRow)]
pub struct ChangeRow {
    pub change_request_id: String,
    pub status: String,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    pub decision_reason: Option<String>,
}

/// The organisation's change requests, newest first.
pub async fn change_requests(db: &Db, organisation_id: &str, limit: i64) -> Result<Vec<ChangeRow>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select change_request_id, status, created_at, decided_at, decision_reason from change_request \
         where organisation_id = $1 order by created_at desc limit $2"
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub occurred_at: Timestamp,
    pub action: String,
    pub actor_name: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The newest audit entries about the organisation (only `action` when given), and how many
/// there are.
pub async fn events(
    db: &Db,
    organisation_id: &str,
    action: Option<&str>,
    limit: i64,
) -> Result<(Vec<EventRow>, i64), sqlx::Error> {
    let rows: Vec<EventRow> = on_pool!(db, |pool| sqlx::query_as(
        "select e.occurred_at, e.action, p.full_name as actor_name, e.before_json, e.after_json \
         from audit_event e left join person p on p.person_id = e.actor_person_id \
         where e.entity_type = 'organisation' and e.entity_id = $1 and (cast($2 as text) is null or e.action = $2) \
         order by e.occurred_at desc, e.audit_event_id desc limit $3"
    )
    .bind(organisation_id)
    .bind(action)
    .bind(limit)
    .fetch_all(pool)
    .await)?;
    let total: i64 = on_pool!(db, |pool| sqlx::query_scalar(
        "select count(*) from audit_event where entity_type = 'organisation' and entity_id = $1 \
         and (cast($2 as text) is null or action = $2)"
    )
    .bind(organisation_id)
    .bind(action)
    .fetch_one(pool)
    .await)?;
    Ok((rows, total))
}
