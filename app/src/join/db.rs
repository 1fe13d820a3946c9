//! SQL of join requests.

use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::join::model::JoinRequestInfo;
use crate::{on_pool, on_tx};

/// The organisation registered under `enterprise_number` (normalised).
pub async fn organisation_by_number(db: &Db, enterprise_number: &str) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select organisation_id from organisation where enterprise_number = $1"
    )
    .bind(enterprise_number)
    .fetch_optional(pool)
    .await)
}

/// A new request to join `organisation_id`.
pub struct NewJoinRequest<'a> {
    pub organisation_id: &'a str,
    pub full_name: &'a str,
    pub email: &'a str,
    pub message: &'a str,
    pub language: &'a str,
}

pub async fn insert_join_request(
    tx: &mut DbTx,
    request: &NewJoinRequest<'_>,
    now: Timestamp,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into join_request (join_request_id, organisation_id, full_name, email, message, language, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(&id)
    .bind(request.organisation_id)
    .bind(request.full_name)
    .bind(request.email)
    .bind(request.message)
    .bind(request.language)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// The account holder's name and e-mail, if the organisation has one.
pub async fn holder_of(tx: &mut DbTx, organisation_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select p.person_id, p.email from membership m join person p on p.person_id = m.person_id \
         where m.organisation_id = $1 and m.role = 'account_holder'"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)
}

type Row = (String, String, String, String, String, String, Timestamp, i64);

const SELECT: &str = "select j.join_request_id, j.organisation_id, o.legal_name, j.full_name, j.email, j.message, \
     j.created_at, (select count(*) from membership m where m.organisation_id = j.organisation_id \
     and m.role = 'account_holder') from join_request j join organisation o on o.organisation_id = j.organisation_id";

fn info(row: Row) -> JoinRequestInfo {
    let (join_request_id, organisation_id, legal_name, full_name, email, message, created_at, holders) = row;
    JoinRequestInfo {
        join_request_id,
        organisation_id,
        legal_name,
        full_name,
        email,
        message,
        requested_on: created_at
            .with_timezone(&domain::calendar::BELGIUM)
            .date_naive()
            .to_string(),
        has_holder: holders > 0,
    }
}

/// The pending requests to join one organisation, oldest first.
pub async fn pending_of(db: &Db, organisation_id: &str) -> Result<Vec<JoinRequestInfo>, sqlx::Error> {
    let sql = format!(
        "{SELECT} where j.organisation_id = $1 and j.status = 'pending' order by j.created_at, j.join_request_id"
    );
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(organisation_id)
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(info).collect())
}

/// Every pending request, organisations without a holder first, then oldest first (at most 200).
pub async fn all_pending(db: &Db) -> Result<Vec<JoinRequestInfo>, sqlx::Error> {
    let sql = format!("{SELECT} where j.status = 'pending' order by j.created_at, j.join_request_id limit 200");
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await)?;
    let mut requests: Vec<JoinRequestInfo> = rows.into_iter().map(info).collect();
    requests.sort_by_key(|r| r.has_holder);
    Ok(requests)
}

/// A pending request, locked for its decision on PostgreSQL: its organisation, the
/// requester's name and e-mail, and the language they wrote in.
pub struct PendingRequest {
    pub organisation_id: String,
    pub full_name: String,
    pub email: String,
    pub language: String,
}

pub async fn pending_for_update(tx: &mut DbTx, join_request_id: &str) -> Result<Option<PendingRequest>, sqlx::Error> {
    let lock = if tx.is_postgres() { " for update" } else { "" };
    let sql = format!(
        "select organisation_id, full_name, email, language from join_request \
         where join_request_id = $1 and status = 'pending'{lock}"
    );
    let row: Option<(String, String, String, String)> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(join_request_id)
        .fetch_optional(conn)
        .await)?;
    Ok(row.map(|(organisation_id, full_name, email, language)| PendingRequest {
        organisation_id,
        full_name,
        email,
        language,
    }))
}

/// Staff's supporting document.
pub struct Evidence<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
}

/// Records the decision (and staff's document) on a pending request.
pub async fn decide(
    tx: &mut DbTx,
    join_request_id: &str,
    status: &str,
    role: Option<&str>,
    decided_by: &str,
    evidence: Option<&Evidence<'_>>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let size = evidence.map(|e| i64::try_from(e.content.len()).unwrap_or(i64::MAX));
    on_tx!(tx, |conn| {
        sqlx::query(
        "update join_request set status = $2, role = $3, decided_by = $4, decided_at = $5, document_name = $6, \
         document_type = $7, document_size = $8, document_content = $9 where join_request_id = $1 and status = 'pending'"
    )
    .bind(join_request_id)
    .bind(status)
    .bind(role)
    .bind(decided_by)
    .bind(now)
    .bind(evidence.map(|e| e.file_name))
    .bind(evidence.map(|e| e.content_type))
    .bind(size)
    .bind(evidence.map(|e| e.content))
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Makes an invitee, not yet accepted, the organisation's account holder once they accept.
pub async fn make_pending_holder(tx: &mut DbTx, organisation_id: &str, person_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update membership set role = 'account_holder' where organisation_id = $1 and person_id = $2"
    )
    .bind(organisation_id)
    .bind(person_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Staff's document of a decided request: file name, type and bytes.
pub async fn evidence_of(db: &Db, join_request_id: &str) -> Result<Option<(String, String, Vec<u8>)>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select document_name, document_type, document_content from join_request \
         where join_request_id = $1 and document_content is not null"
    )
    .bind(join_request_id)
    .fetch_optional(pool)
    .await)
}
