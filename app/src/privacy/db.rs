//! SQL of the privacy module: rows read as JSON for the downloads.

use crate::db::DbTx;
use crate::on_tx;
use serde_json::{Map, Value};
use sqlx::{Column as _, Row as _, TypeInfo as _, ValueRef as _};

/// A row as a JSON object, column by column; binary columns are left out (documents travel as
/// files of their own).
trait RowJson {
    fn to_json(&self) -> Value;
}

impl RowJson for sqlx::sqlite::SqliteRow {
    fn to_json(&self) -> Value {
        let mut object = Map::new();
        for (i, column) in self.columns().iter().enumerate() {
            let kind = match self.try_get_raw(i) {
                Ok(raw) if raw.is_null() => "NULL",
                Ok(raw) => match raw.type_info().name() {
                    "INTEGER" => "INTEGER",
                    "REAL" => "REAL",
                    "BLOB" => "BLOB",
                    _ => "TEXT",
                },
                Err(_) => "NULL",
            };
            let value = match kind {
                "INTEGER" => self.try_get::<i64, _>(i).map(Value::from).unwrap_or(Value::Null),
                "REAL" => self.try_get::<f64, _>(i).map(Value::from).unwrap_or(Value::Null),
                "TEXT" => self.try_get::<String, _>(i).map(Value::from).unwrap_or(Value::Null),
                "BLOB" => continue,
                _ => Value::Null,
            };
            object.insert(column.name().to_owned(), value);
        }
        Value::Object(object)
    }
}

impl RowJson for sqlx::postgres::PgRow {
    fn to_json(&self) -> Value {
        let mut object = Map::new();
        for (i, column) in self.columns().iter().enumerate() {
            let value = match column.type_info().name() {
                "INT2" => self.try_get::<Option<i16>, _>(i).ok().flatten().map(Value::from),
                "INT4" => self.try_get::<Option<i32>, _>(i).ok().flatten().map(Value::from),
                "INT8" => self.try_get::<Option<i64>, _>(i).ok().flatten().map(Value::from),
                "FLOAT4" | "FLOAT8" => self.try_get::<Option<f64>, _>(i).ok().flatten().map(Value::from),
                "BOOL" => self.try_get::<Option<bool>, _>(i).ok().flatten().map(Value::from),
                "TIMESTAMPTZ" => self
                    .try_get::<Option<chrono::DateTime<chrono::Utc>>, _>(i)
                    .ok()
                    .flatten()
                    .map(|t| Value::from(t.to_rfc3339())),
                "DATE" => self
                    .try_get::<Option<chrono::NaiveDate>, _>(i)
                    .ok()
                    .flatten()
                    .map(|d| Value::from(d.to_string())),
                "BYTEA" => continue,
                _ => self.try_get::<Option<String>, _>(i).ok().flatten().map(Value::from),
            };
            object.insert(column.name().to_owned(), value.unwrap_or(Value::Null));
        }
        Value::Object(object)
    }
}

/// The rows of `sql` (placeholders `$1`… bound to `binds`, in order) as JSON objects.
pub async fn rows_json(tx: &mut DbTx, sql: &'static str, binds: &[&str]) -> Result<Vec<Value>, sqlx::Error> {
    on_tx!(tx, |conn| {
        let mut query = sqlx::query(sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        query
            .fetch_all(conn)
            .await
            .map(|rows| rows.iter().map(RowJson::to_json).collect())
    })
}

/// An organisation's uploaded documents with their contents: id, file name, bytes.
pub async fn documents(tx: &mut DbTx, organisation_id: &str) -> Result<Vec<(String, String, Vec<u8>)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as::<_, (String, String, Vec<u8>)>(
        "select document_id, file_name, content from document where organisation_id = $1 order by created_at"
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await)
}

/// The ids of an organisation's invoices and of their credit notes.
pub async fn invoice_ids(tx: &mut DbTx, organisation_id: &str) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let invoices = on_tx!(tx, |conn| sqlx::query_scalar::<_, String>(
        "select i.invoice_id from invoice i join purchase_order o on o.order_id = i.order_id \
         where o.organisation_id = $1 order by i.year, i.number"
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await)?;
    let credit_notes = on_tx!(tx, |conn| sqlx::query_scalar::<_, String>(
        "select c.credit_note_id from credit_note c join invoice i on i.invoice_id = c.invoice_id \
         join purchase_order o on o.order_id = i.order_id where o.organisation_id = $1 order by c.created_at"
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await)?;
    Ok((invoices, credit_notes))
}

/// People whose e-mail or login is `query` (lower-cased), or whose name contains it, with
/// their organisations; erased people left out.
pub async fn find_people(
    db: &crate::db::Db,
    query: &str,
    limit: i64,
) -> Result<Vec<crate::privacy::model::PersonSummary>, sqlx::Error> {
    let escaped = query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    let people: Vec<(String, String, String, String, Option<String>)> = crate::on_pool!(db, |pool| sqlx::query_as(
        "select person_id, full_name, email, username, staff_role from person \
         where anonymised_at is null and (lower(email) = $1 or lower(username) = $1 \
         or lower(full_name) like $2 escape '\\') order by full_name, person_id limit $3"
    )
    .bind(query)
    .bind(&pattern)
    .bind(limit)
    .fetch_all(pool)
    .await)?;
    let mut found = Vec::with_capacity(people.len());
    for (person_id, full_name, email, username, staff_role) in people {
        let organisations: Vec<(String, String)> = crate::on_pool!(db, |pool| {
            sqlx::query_as(
            "select o.legal_name, m.role from membership m join organisation o on o.organisation_id = m.organisation_id \
             where m.person_id = $1 order by o.legal_name"
        )
        .bind(&person_id)
        .fetch_all(pool)
        .await
        })?;
        found.push(crate::privacy::model::PersonSummary {
            person_id,
            full_name,
            email,
            username,
            staff_role,
            organisations,
        });
    }
    Ok(found)
}

/// The stored password hash of a person not erased.
pub async fn password_hash_of(db: &crate::db::Db, person_id: &str) -> Result<Option<String>, sqlx::Error> {
    crate::on_pool!(db, |pool| sqlx::query_scalar(
        "select password_hash from person where person_id = $1 and anonymised_at is null"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)
}
