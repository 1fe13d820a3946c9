//! SQL of the legal pages.

use crate::db::{Db, DbTx, Timestamp};
use crate::legal::model::{LegalPage, LegalText, ShippedLegal};
use crate::{on_pool, on_tx};

/// Loads each shipped text that the database does not hold yet (a new installation, or a
/// language added later). An admin's edit is never overwritten. Returns how many it added.
/// Two instances starting together insert nothing twice.
pub async fn seed_missing(db: &Db, shipped: &ShippedLegal, now: Timestamp) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut added = 0;
    for (page, texts) in [
        (LegalPage::Terms, &shipped.terms),
        (LegalPage::Privacy, &shipped.privacy),
    ] {
        for (language, body) in [("fr", &texts.fr), ("nl", &texts.nl), ("en", &texts.en)] {
            added += on_tx!(&mut tx, |conn| sqlx::query(
                "insert into legal_text (page, language, body, updated_at) values ($1, $2, $3, $4) \
                 on conflict do nothing"
            )
            .bind(page.as_str())
            .bind(language)
            .bind(body)
            .bind(now)
            .execute(conn)
            .await
            .map(|d| d.rows_affected()))?;
        }
    }
    tx.commit().await?;
    Ok(added)
}

#[derive(sqlx::FromRow)]
struct TextRow {
    page: String,
    language: String,
    body: String,
    updated_at: Timestamp,
    updated_by: Option<String>,
}

impl From<TextRow> for LegalText {
    fn from(row: TextRow) -> Self {
        LegalText {
            page: row.page,
            language: row.language,
            body: row.body,
            updated_at: row.updated_at.to_rfc3339(),
            updated_by: row.updated_by,
        }
    }
}

const COLUMNS: &str = "t.page, t.language, t.body, t.updated_at, p.full_name as updated_by \
     from legal_text t left join person p on p.person_id = t.updated_by";

/// One page in one language.
pub async fn text(db: &Db, page: LegalPage, language: &str) -> Result<Option<LegalText>, sqlx::Error> {
    let row: Option<TextRow> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} where t.page = $1 and t.language = $2"
    )))
    .bind(page.as_str())
    .bind(language)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(Into::into))
}

/// Every page in every language, for the editor (terms first, then fr, nl, en).
pub async fn texts(db: &Db) -> Result<Vec<LegalText>, sqlx::Error> {
    let rows: Vec<TextRow> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} order by case t.page when 'terms' then 0 else 1 end, \
         case t.language when 'fr' then 0 when 'nl' then 1 else 2 end"
    )))
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The body of one text inside the saving transaction.
pub async fn body_for_update(tx: &mut DbTx, page: LegalPage, language: &str) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select body from legal_text where page = $1 and language = $2"
    )
    .bind(page.as_str())
    .bind(language)
    .fetch_optional(conn)
    .await)
}

/// Saves an admin's new text.
pub async fn save(
    tx: &mut DbTx,
    page: LegalPage,
    language: &str,
    body: &str,
    by: &str,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into legal_text (page, language, body, updated_at, updated_by) values ($1, $2, $3, $4, $5) \
         on conflict (page, language) do update set body = excluded.body, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by"
    )
    .bind(page.as_str())
    .bind(language)
    .bind(body)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}
