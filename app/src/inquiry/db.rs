//! SQL of the staff side of the public questions.

use crate::db::{Db, DbTx, Timestamp};
use crate::inquiry::model::{InquiryAnswer, InquiryStatus, MatchedOrganisation, StaffInquiry};
use crate::org::model::Country;
use crate::org::rules::EnterpriseNumber;
use crate::{on_pool, on_tx};

/// What the staff list asks for: a status, a search text (lower-cased `like` pattern or
/// empty) and the digits of an enterprise number to look for (or empty).
pub struct InquiryFilter {
    pub status: InquiryStatus,
    pub text_pattern: String,
    pub digits_pattern: String,
}

/// `%text%` for `like ... escape '\'`, lower-cased; empty for an empty search.
pub fn like_pattern(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The enterprise number as typed, without its dots, spaces, dashes and country prefix,
/// upper-cased: the SQL twin of the search's digits.
const NUMBER_KEY: &str =
    "replace(replace(replace(replace(upper(i.enterprise_number), '.', ''), ' ', ''), '-', ''), 'BE', '')";

fn where_clause() -> String {
    format!(
        "where i.status = $1 and ($2 = '' or lower(i.organisation_name) like $2 escape '\\' \
         or lower(i.reply_email) like $2 escape '\\' or ($3 <> '' and {NUMBER_KEY} like $3))"
    )
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    Timestamp,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Timestamp>,
);

/// One page of questions, newest first, and how many match over every page.
pub async fn page(
    db: &Db,
    filter: &InquiryFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StaffInquiry>, i64), sqlx::Error> {
    let count_sql = format!("select count(*) from registration_inquiry i {}", where_clause());
    let total: i64 = on_pool!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.clone()))
        .bind(filter.status.as_str())
        .bind(&filter.text_pattern)
        .bind(&filter.digits_pattern)
        .fetch_one(pool)
        .await)?;
    let sql = format!(
        "select i.inquiry_id, i.organisation_name, i.enterprise_number, i.address, i.reply_email, i.language, \
         i.created_at, i.status, i.answer_template, i.answer_text, p.full_name, i.answered_at \
         from registration_inquiry i left join person p on p.person_id = i.answered_by {} \
         order by i.created_at desc, i.inquiry_id desc limit $4 offset $5",
        where_clause()
    );
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(filter.status.as_str())
        .bind(&filter.text_pattern)
        .bind(&filter.digits_pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let matched = matching_organisation(db, &row.2).await?;
        items.push(from_row(row, matched));
    }
    Ok((items, total))
}

/// How many questions wait for an answer.
pub async fn open_count(db: &Db) -> Result<i64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select count(*) from registration_inquiry where status = 'open'"
    )
    .fetch_one(pool)
    .await)
}

fn from_row(row: Row, matched: Option<MatchedOrganisation>) -> StaffInquiry {
    let (
        inquiry_id,
        organisation_name,
        enterprise_number,
        address,
        reply_email,
        language,
        created_at,
        status,
        template,
        text,
        answered_by,
        answered_at,
    ) = row;
    let answer = match (template, text, answered_at) {
        (Some(template), Some(text), Some(at)) => Some(InquiryAnswer {
            template,
            text,
            answered_by: answered_by.unwrap_or_default(),
            answered_at: at.to_rfc3339(),
        }),
        _ => None,
    };
    StaffInquiry {
        inquiry_id,
        organisation_name,
        enterprise_number,
        address,
        reply_email,
        language,
        created_at: created_at.to_rfc3339(),
        status,
        registered_match: matched.as_ref().map(|m| m.legal_name.clone()),
        matched,
        answer,
    }
}

/// The registered organisation whose enterprise number the typed one is, in any spelling.
pub async fn matching_organisation(db: &Db, typed: &str) -> Result<Option<MatchedOrganisation>, sqlx::Error> {
    let Some(number) = [Country::BE, Country::LU]
        .into_iter()
        .find_map(|country| EnterpriseNumber::parse(country, typed).ok())
    else {
        return Ok(None);
    };
    let row: Option<(String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select organisation_id, legal_name from organisation where enterprise_number = $1"
    )
    .bind(number.as_str())
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(organisation_id, legal_name)| MatchedOrganisation {
        organisation_id,
        legal_name,
    }))
}

/// A question's reply address, language and organisation name, inside the answering
/// transaction.
pub async fn for_answer(tx: &mut DbTx, inquiry_id: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select reply_email, language, organisation_name from registration_inquiry where inquiry_id = $1"
    )
    .bind(inquiry_id)
    .fetch_optional(conn)
    .await)
}

/// Closes an open question with its answer. `false` when it was no longer open: the guard
/// in the `where` makes two staff answering at once close it once (PostgreSQL re-reads the
/// row after the first commit; SQLite runs one writer at a time).
pub async fn close(
    tx: &mut DbTx,
    inquiry_id: &str,
    template: &str,
    text: &str,
    answered_by: &str,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = on_tx!(tx, |conn| sqlx::query(
        "update registration_inquiry set status = 'answered', answer_template = $2, answer_text = $3, \
         answered_by = $4, answered_at = $5 where inquiry_id = $1 and status = 'open'"
    )
    .bind(inquiry_id)
    .bind(template)
    .bind(text)
    .bind(answered_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}
