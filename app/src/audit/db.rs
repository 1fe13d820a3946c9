//! Reading the audit trail (writing is [`crate::audit::record`], and only that). The
//! filter becomes a `where` clause with one numbered parameter per value, portable between
//! SQLite and PostgreSQL.

use crate::audit::model::AuditEntry;
use crate::db::{Db, Timestamp};
use crate::on_pool;

/// A checked filter: what the `where` clause tests.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    /// Lower-cased words, each found in the entity id or the data before or after.
    pub words: Vec<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    /// Lower-cased part of the actor's name or e-mail.
    pub actor: Option<String>,
    /// `occurred_at >= since`.
    pub since: Option<Timestamp>,
    /// `occurred_at < until`.
    pub until: Option<Timestamp>,
}

enum Param {
    Text(String),
    Time(Timestamp),
}

/// `%…%` around `text`, with LIKE's own wildcards escaped (`\` is the escape character).
fn contains(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

impl Criteria {
    /// The `where` clause (empty when nothing is filtered) and its parameters, numbered
    /// from `$1`. The clause holds only code's text and placeholders: every value the user
    /// typed is a parameter, so the SQL around it may be passed as `AssertSqlSafe`.
    fn clause(&self) -> (String, Vec<Param>) {
        let mut tests = Vec::new();
        let mut params = Vec::new();
        fn next(params: &mut Vec<Param>, param: Param) -> String {
            params.push(param);
            format!("${}", params.len())
        }
        for word in &self.words {
            let pattern = contains(word);
            let a = next(&mut params, Param::Text(pattern.clone()));
            let b = next(&mut params, Param::Text(pattern.clone()));
            let c = next(&mut params, Param::Text(pattern));
            tests.push(format!(
                "(lower(e.entity_id) like {a} escape '\\' or lower(coalesce(e.before_json, '')) like {b} escape '\\' \
                 or lower(coalesce(e.after_json, '')) like {c} escape '\\')"
            ));
        }
        if let Some(action) = &self.action {
            let p = next(&mut params, Param::Text(action.clone()));
            tests.push(format!("e.action = {p}"));
        }
        if let Some(entity_type) = &self.entity_type {
            let p = next(&mut params, Param::Text(entity_type.clone()));
            tests.push(format!("e.entity_type = {p}"));
        }
        if let Some(actor) = &self.actor {
            let p = next(&mut params, Param::Text(contains(actor)));
            tests.push(format!(
                "lower(coalesce(p.full_name, '') || ' ' || coalesce(p.email, '')) like {p} escape '\\'"
            ));
        }
        if let Some(since) = self.since {
            let p = next(&mut params, Param::Time(since));
            tests.push(format!("e.occurred_at >= {p}"));
        }
        if let Some(until) = self.until {
            let p = next(&mut params, Param::Time(until));
            tests.push(format!("e.occurred_at < {p}"));
        }
        let clause = if tests.is_empty() {
            String::new()
        } else {
            format!("where {}", tests.join(" and "))
        };
        (clause, params)
    }
}

const FROM: &str = "from audit_event e left join person p on p.person_id = e.actor_person_id";

#[derive(sqlx::FromRow)]
struct EntryRow {
    audit_event_id: String,
    occurred_at: Timestamp,
    actor_name: Option<String>,
    actor_email: Option<String>,
    action: String,
    entity_type: String,
    entity_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
}

impl From<EntryRow> for AuditEntry {
    fn from(row: EntryRow) -> Self {
        AuditEntry {
            audit_event_id: row.audit_event_id,
            occurred_at: row.occurred_at,
            actor_name: row.actor_name,
            actor_email: row.actor_email,
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            before: row.before_json,
            after: row.after_json,
        }
    }
}

macro_rules! bind_all {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                Param::Text(text) => query.bind(text),
                Param::Time(time) => query.bind(time),
            };
        }
        query
    }};
}

/// How many events match.
pub async fn count(db: &Db, criteria: &Criteria) -> Result<i64, sqlx::Error> {
    let (clause, params) = criteria.clause();
    let sql = format!("select count(*) {FROM} {clause}");
    on_pool!(db, |pool| bind_all!(
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)),
        params
    )
    .fetch_one(pool)
    .await)
}

/// The matching events, newest first (`oldest_first` for the export), `limit` from `offset`.
pub async fn entries(
    db: &Db,
    criteria: &Criteria,
    limit: i64,
    offset: i64,
    oldest_first: bool,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let (clause, params) = criteria.clause();
    let order = if oldest_first { "asc" } else { "desc" };
    let limit_at = params.len() + 1;
    let offset_at = params.len() + 2;
    let sql = format!(
        "select e.audit_event_id, e.occurred_at, p.full_name as actor_name, p.email as actor_email, e.action, \
         e.entity_type, e.entity_id, e.before_json, e.after_json {FROM} {clause} \
         order by e.occurred_at {order}, e.audit_event_id {order} limit ${limit_at} offset ${offset_at}"
    );
    let rows: Vec<EntryRow> = on_pool!(db, |pool| {
        let query = bind_all!(sqlx::query_as::<_, EntryRow>(sqlx::AssertSqlSafe(sql)), params);
        query.bind(limit).bind(offset).fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Every action and every entity type recorded so far, sorted.
pub async fn vocabulary(db: &Db) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let actions: Vec<String> = on_pool!(db, |pool| sqlx::query_scalar(
        "select distinct action from audit_event order by action"
    )
    .fetch_all(pool)
    .await)?;
    let types: Vec<String> = on_pool!(db, |pool| sqlx::query_scalar(
        "select distinct entity_type from audit_event order by entity_type"
    )
    .fetch_all(pool)
    .await)?;
    Ok((actions, types))
}
