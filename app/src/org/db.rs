//! SQL for organisations, people, memberships and qualifications.

use crate::auth::rules::INVITATION_VALIDITY;
use crate::db::{Db, DbTx, new_id};
use crate::org::model::{
    Country, DocumentInfo, EligibilityStatus, LegalForm, MemberInfo, MemberRole, OrganisationFile,
    PartnerQualification, PendingInvitation, StaffRole,
};
use crate::org::rules::EnterpriseNumber;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};
use domain::invoice::VatStatus;

/// A new organisation, already validated.
pub struct NewOrganisation<'a> {
    pub legal_name: &'a str,
    pub legal_form: LegalForm,
    pub enterprise_number: &'a EnterpriseNumber,
    pub street: &'a str,
    pub postal_code: &'a str,
    pub city: &'a str,
    pub contact_email: &'a str,
    pub mission_category: &'a str,
    pub eligibility_status: EligibilityStatus,
    /// When the file was complete (statutes in); `None` until then.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The language of its e-mails (`fr`, `nl`, `en`).
    pub language: &'a str,
    /// "Statut TVA" and its number (only for a registered status).
    pub vat_status: VatStatus,
    pub vat_number: Option<&'a str>,
}

/// Inserts an organisation and returns its id.
pub async fn insert_organisation(
    tx: &mut DbTx,
    org: &NewOrganisation<'_>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let country: Country = org.enterprise_number.country();
    on_tx!(tx, |conn| {
        sqlx::query(
        "insert into organisation (organisation_id, legal_name, legal_form, country, enterprise_number, street, \
         postal_code, city, contact_email, mission_category, eligibility_status, submitted_at, language, created_at, updated_at, \
         vat_status, vat_number) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16)"
    )
    .bind(&id)
    .bind(org.legal_name)
    .bind(org.legal_form.as_str())
    .bind(country.as_str())
    .bind(org.enterprise_number.as_str())
    .bind(org.street)
    .bind(org.postal_code)
    .bind(org.city)
    .bind(org.contact_email)
    .bind(org.mission_category)
    .bind(org.eligibility_status.as_str())
    .bind(org.submitted_at)
    .bind(org.language)
    .bind(now)
    .bind(org.vat_status.as_str())
    .bind(org.vat_number)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    crate::directory::db::reindex(tx, &id).await?;
    Ok(id)
}

/// An organisation's VAT status and number, with what they are checked against.
#[derive(sqlx::FromRow)]
pub struct VatRow {
    pub country: String,
    pub enterprise_number: String,
    pub vat_status: String,
    pub vat_number: Option<String>,
}

/// The VAT status and number of an organisation, `None` if there is no such organisation.
pub async fn vat_of(tx: &mut DbTx, organisation_id: &str) -> Result<Option<VatRow>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as::<_, VatRow>(
        "select country, enterprise_number, vat_status, vat_number from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)
}

/// Sets an organisation's VAT status and number (already checked).
pub async fn set_vat(
    tx: &mut DbTx,
    organisation_id: &str,
    status: VatStatus,
    number: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update organisation set vat_status = $2, vat_number = $3, updated_at = $4 where organisation_id = $1"
    )
    .bind(organisation_id)
    .bind(status.as_str())
    .bind(number)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// A person who can log in.
pub struct NewPerson<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub full_name: &'a str,
    /// An argon2id PHC string, never a password.
    pub password_hash: &'a str,
    pub staff_role: Option<StaffRole>,
}

pub async fn insert_person(tx: &mut DbTx, person: &NewPerson<'_>, now: DateTime<Utc>) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into person (person_id, username, email, full_name, password_hash, staff_role, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $7)"
    )
    .bind(&id)
    .bind(person.username)
    .bind(person.email)
    .bind(person.full_name)
    .bind(person.password_hash)
    .bind(person.staff_role.map(StaffRole::as_str))
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// A membership in force at once (registration, import, demo).
pub async fn insert_membership(
    tx: &mut DbTx,
    organisation_id: &str,
    person_id: &str,
    role: MemberRole,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into membership (organisation_id, person_id, role, created_at, accepted_at) values ($1, $2, $3, $4, $4)"
    )
    .bind(organisation_id)
    .bind(person_id)
    .bind(role.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    // The person's name and e-mail find the organisation in the staff directory.
    crate::directory::db::reindex(tx, organisation_id).await?;
    Ok(())
}

/// The membership of an invited member, in force only once they accept ([`accept_invitation`]).
pub async fn insert_pending_membership(
    tx: &mut DbTx,
    organisation_id: &str,
    person_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into membership (organisation_id, person_id, role, created_at) values ($1, $2, 'member', $3)"
    )
    .bind(organisation_id)
    .bind(person_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Staff's decision on one partner for one organisation.
pub struct QualificationDecision<'a> {
    pub partner_id: &'a str,
    pub qualified: bool,
    /// Shown to the organisation; required when not qualified.
    pub reason: Option<&'a str>,
    pub decided_by: Option<&'a str>,
}

/// Records a decision on one partner for one organisation (replacing an earlier one).
pub async fn upsert_qualification(
    tx: &mut DbTx,
    organisation_id: &str,
    decision: &QualificationDecision<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let status = if decision.qualified {
        "qualified"
    } else {
        "not_qualified"
    };
    on_tx!(tx, |conn| {
        sqlx::query(
            "insert into qualification (organisation_id, partner_id, status, reason, decided_by, decided_at) \
         values ($1, $2, $3, $4, $5, $6) \
         on conflict (organisation_id, partner_id) do update set status = excluded.status, reason = excluded.reason, \
         decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        )
        .bind(organisation_id)
        .bind(decision.partner_id)
        .bind(status)
        .bind(decision.reason)
        .bind(decision.decided_by)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// "Organisations inscrites": every registered organisation, whatever its review state.
pub async fn count_organisations(db: &Db) -> Result<i64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from organisation"
    )
    .fetch_one(pool)
    .await)
}

/// Whether a login name is taken.
pub async fn username_exists(db: &Db, username: &str) -> Result<bool, sqlx::Error> {
    let count = on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from person where username = $1"
    )
    .bind(username)
    .fetch_one(pool)
    .await)?;
    Ok(count > 0)
}

/// Whether an organisation already has this (normalised) enterprise number.
pub async fn enterprise_number_taken(tx: &mut DbTx, number: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from organisation where enterprise_number = $1"
    )
    .bind(number)
    .fetch_one(conn)
    .await)?;
    Ok(count > 0)
}

/// Whether a person already logs in with this e-mail (lower-cased).
pub async fn email_taken(tx: &mut DbTx, email: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from person where lower(email) = $1"
    )
    .bind(email)
    .fetch_one(conn)
    .await)?;
    Ok(count > 0)
}

/// A free username built on `base` (`base`, `base2`, `base3`…).
pub async fn free_username(tx: &mut DbTx, base: &str) -> Result<String, sqlx::Error> {
    let taken: Vec<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select username from person where username = $1 or username like $2"
    )
    .bind(base)
    .bind(format!("{base}%"))
    .fetch_all(conn)
    .await)?;
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}{n}");
        n += 1;
    }
    Ok(candidate)
}

/// A new uploaded file.
pub struct NewDocument<'a> {
    pub organisation_id: &'a str,
    pub kind: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Option<&'a str>,
}

/// Bytes of documents `organisation_id` has stored, counted in the write transaction that is
/// about to add one. The organisation's row is locked first on PostgreSQL (SQLite's
/// `BEGIN IMMEDIATE` already serialises writers), so two concurrent uploads cannot both fit
/// in the last megabytes.
pub async fn stored_document_bytes(tx: &mut DbTx, organisation_id: &str) -> Result<i64, sqlx::Error> {
    crate::order::db::lock_organisation(tx, organisation_id).await?;
    let total: Option<i64> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select cast(sum(size_bytes) as bigint) from document where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_one(conn)
    .await)?;
    Ok(total.unwrap_or(0))
}

pub async fn insert_document(tx: &mut DbTx, doc: &NewDocument<'_>, now: DateTime<Utc>) -> Result<String, sqlx::Error> {
    let id = new_id();
    let size = i64::try_from(doc.content.len()).unwrap_or(i64::MAX);
    on_tx!(tx, |conn| sqlx::query(
        "insert into document (document_id, organisation_id, kind, file_name, content_type, size_bytes, content, \
         uploaded_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(&id)
    .bind(doc.organisation_id)
    .bind(doc.kind)
    .bind(doc.file_name)
    .bind(doc.content_type)
    .bind(size)
    .bind(doc.content)
    .bind(doc.uploaded_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// A stored file with its owner, for the download route.
pub struct StoredDocument {
    pub organisation_id: String,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn find_document(db: &Db, document_id: &str) -> Result<Option<StoredDocument>, sqlx::Error> {
    let row: Option<(String, String, String, Vec<u8>)> = on_pool!(db, |pool| sqlx::query_as(
        "select organisation_id, file_name, content_type, content from document where document_id = $1"
    )
    .bind(document_id)
    .fetch_optional(pool)
    .await)?;
    Ok(
        row.map(|(organisation_id, file_name, content_type, content)| StoredDocument {
            organisation_id,
            file_name,
            content_type,
            content,
        }),
    )
}

type FileRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<DateTime<Utc>>,
);

/// An organisation's whole file: data, qualifications per active partner, documents, holder.
pub async fn organisation_file(db: &Db, organisation_id: &str) -> Result<Option<OrganisationFile>, sqlx::Error> {
    let row: Option<FileRow> = on_pool!(db, |pool| sqlx::query_as(
        "select organisation_id, legal_name, legal_form, country, enterprise_number, street, postal_code, city, \
         contact_email, mission_category, eligibility_status, eligibility_reason, info_request, info_response, \
         submitted_at from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(pool)
    .await)?;
    let Some(row) = row else { return Ok(None) };
    let (
        organisation_id,
        legal_name,
        legal_form,
        country,
        enterprise_number,
        street,
        postal_code,
        city,
        contact_email,
        mission_category,
        eligibility_status,
        eligibility_reason,
        info_request,
        info_response,
        submitted_at,
    ) = row;
    let (appeal_note, appealed_at, vat_status, vat_number): (
        Option<String>,
        Option<DateTime<Utc>>,
        String,
        Option<String>,
    ) = on_pool!(db, |pool| sqlx::query_as(
        "select appeal_note, appealed_at, vat_status, vat_number from organisation where organisation_id = $1"
    )
    .bind(&organisation_id)
    .fetch_one(pool)
    .await)?;
    let country = Country::parse(&country).unwrap_or(Country::BE);
    let enterprise_number = EnterpriseNumber::parse(country, &enterprise_number)
        .map(|n| n.to_string())
        .unwrap_or(enterprise_number);
    let qualifications: Vec<(String, String, Option<String>, Option<String>)> = on_pool!(db, |pool| sqlx::query_as(
        "select p.partner_id, p.name, q.status, q.reason from partner p \
         left join qualification q on q.partner_id = p.partner_id and q.organisation_id = $1 \
         where p.active order by p.sort_order, p.name"
    )
    .bind(&organisation_id)
    .fetch_all(pool)
    .await)?;
    let documents: Vec<(String, String, String, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "select document_id, kind, file_name, size_bytes from document where organisation_id = $1 \
         order by created_at, document_id"
    )
    .bind(&organisation_id)
    .fetch_all(pool)
    .await)?;
    let holder: Option<(String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select p.full_name, p.email from membership m join person p on p.person_id = m.person_id \
         where m.organisation_id = $1 and m.role = 'account_holder'"
    )
    .bind(&organisation_id)
    .fetch_optional(pool)
    .await)?;
    let members = members_of(db, &organisation_id).await?;
    let invitations = pending_invitations(db, &organisation_id, crate::db::now()).await?;
    Ok(Some(OrganisationFile {
        organisation_id,
        legal_name,
        legal_form: LegalForm::parse(&legal_form).unwrap_or(LegalForm::Asbl),
        country,
        enterprise_number,
        street,
        postal_code,
        city,
        contact_email,
        mission_category,
        eligibility_status: EligibilityStatus::parse(&eligibility_status).unwrap_or(EligibilityStatus::Pending),
        eligibility_reason,
        info_request,
        info_response,
        submitted_at: submitted_at.map(|at| at.to_rfc3339()),
        vat_status: VatStatus::parse(&vat_status).unwrap_or(VatStatus::None),
        vat_number,
        qualifications: qualifications
            .into_iter()
            .map(|(partner_id, partner_name, status, reason)| PartnerQualification {
                partner_id,
                partner_name,
                qualified: status.map(|s| s == "qualified"),
                reason,
            })
            .collect(),
        documents: documents
            .into_iter()
            .map(|(document_id, kind, file_name, size_bytes)| DocumentInfo {
                document_id,
                kind,
                file_name,
                size_bytes,
            })
            .collect(),
        holder_name: holder.as_ref().map(|h| h.0.clone()),
        holder_email: holder.map(|h| h.1),
        members,
        invitations,
        appeal_note,
        appeal_open: appealed_at.is_some(),
    }))
}

/// An organisation waiting for staff, before the clock is applied.
pub struct Waiting {
    pub organisation_id: String,
    pub legal_name: String,
    pub legal_form: String,
    pub country: String,
    pub enterprise_number: String,
    pub city: String,
    pub eligibility_status: String,
    pub submitted_at: DateTime<Utc>,
    pub appeal: bool,
}

/// The files in the review queue: pending, waiting for the organisation's answer, or appealed.
/// Word for word the condition of the partial index `organisation_review_queue_idx`
/// (migration 21), which SQLite uses only when the query repeats it.
const WAITING: &str = "(eligibility_status in ('pending', 'info_requested') or appealed_at is not null)";
/// When a waiting file's clock started: an appeal restarts it, the last complete answer
/// otherwise, registration for files that never were complete.
const CLOCK_STARTED: &str = "coalesce(appealed_at, submitted_at, created_at)";
/// Whether the file is overdue, `$1` being the first day that is not overdue
/// ([`crate::org::rules::review_overdue_before`]): only while the clock is on staff, that is
/// unless staff are waiting for the organisation's answer.
fn overdue_sql() -> String {
    format!("((eligibility_status = 'pending' or appealed_at is not null) and {CLOCK_STARTED} < $1)")
}

/// How many files wait for review, and how many of them are overdue (started before
/// `overdue_before`). Both are counted in the queue's index.
pub async fn review_queue_counts(db: &Db, overdue_before: DateTime<Utc>) -> Result<(i64, i64), sqlx::Error> {
    let sql = format!(
        "select count(*), coalesce(sum(case when {overdue} then 1 else 0 end), 0) from organisation where {WAITING}",
        overdue = overdue_sql()
    );
    on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(overdue_before)
        .fetch_one(pool)
        .await)
}

/// A page of the review queue: the `overdue` overdue files first (as counted by
/// [`review_queue_counts`] with the same `overdue_before`), then the rest, each part oldest
/// first (the deadline follows the start date). Each part is read in the order of the queue's
/// index, so no query sorts the whole queue (1.7 ms for the sort, 0.1-0.5 ms for a part, in
/// sqlite3 at 5,002 waiting files).
pub async fn review_queue_page(
    db: &Db,
    overdue_before: DateTime<Utc>,
    overdue: u64,
    limit: u32,
    offset: u64,
) -> Result<Vec<Waiting>, sqlx::Error> {
    let mut rows = Vec::new();
    if offset < overdue {
        rows = queue_part(db, true, overdue_before, limit, offset).await?;
    }
    let missing = u64::from(limit).saturating_sub(rows.len() as u64);
    if missing > 0 {
        let skip = offset.saturating_sub(overdue);
        let missing = u32::try_from(missing).unwrap_or(limit);
        rows.extend(queue_part(db, false, overdue_before, missing, skip).await?);
    }
    Ok(rows)
}

/// The overdue files of the queue (`overdue`), or the others, oldest first.
async fn queue_part(
    db: &Db,
    overdue: bool,
    overdue_before: DateTime<Utc>,
    limit: u32,
    offset: u64,
) -> Result<Vec<Waiting>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<DateTime<Utc>>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    );
    // A page far past the end reads nothing; SQL's integers stop at i64::MAX.
    let offset = offset.min(i64::MAX as u64);
    let part = if overdue { "" } else { "not" };
    let sql = format!(
        "select organisation_id, legal_name, legal_form, country, enterprise_number, city, eligibility_status, \
         submitted_at, created_at, appealed_at from organisation where {WAITING} and {part} {overdue_sql} \
         order by {CLOCK_STARTED}, organisation_id limit {limit} offset {offset}",
        overdue_sql = overdue_sql()
    );
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(overdue_before)
        .fetch_all(pool)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (id, legal_name, legal_form, country, enterprise_number, city, status, submitted, created, appealed) =
                row;
            Waiting {
                organisation_id: id,
                legal_name,
                legal_form,
                country,
                enterprise_number,
                city,
                eligibility_status: status,
                // An appeal restarts the clock: the file is complete again from that moment.
                submitted_at: appealed.or(submitted).unwrap_or(created),
                appeal: appealed.is_some(),
            }
        })
        .collect())
}

/// Sets the programme eligibility decision; returns the previous status (for the audit).
pub async fn set_eligibility(
    tx: &mut DbTx,
    organisation_id: &str,
    status: EligibilityStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    let before: Option<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select eligibility_status from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)?;
    if before.is_some() {
        on_tx!(tx, |conn| sqlx::query(
            "update organisation set eligibility_status = $2, eligibility_reason = $3, reviewed_at = $4, \
             info_request = null, updated_at = $4 where organisation_id = $1"
        )
        .bind(organisation_id)
        .bind(status.as_str())
        .bind(reason)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    }
    Ok(before)
}

/// Staff ask a question: the status becomes `info_requested`; returns the previous status.
pub async fn set_info_request(
    tx: &mut DbTx,
    organisation_id: &str,
    question: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    let before: Option<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select eligibility_status from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)?;
    if before.is_some() {
        on_tx!(tx, |conn| sqlx::query(
            "update organisation set eligibility_status = 'info_requested', info_request = $2, info_response = null, \
             updated_at = $3 where organisation_id = $1"
        )
        .bind(organisation_id)
        .bind(question)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    }
    Ok(before)
}

/// The organisation answers: back to `pending`, and the review clock restarts now that all
/// information is in. Returns false when no question was open.
pub async fn answer_info_request(
    tx: &mut DbTx,
    organisation_id: &str,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = on_tx!(tx, |conn| sqlx::query(
        "update organisation set eligibility_status = 'pending', info_response = $2, submitted_at = $3, \
         updated_at = $3 where organisation_id = $1 and eligibility_status = 'info_requested'"
    )
    .bind(organisation_id)
    .bind(answer)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(changed == 1)
}

/// The name, contact address and e-mail language of an organisation.
pub async fn contact(tx: &mut DbTx, organisation_id: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select legal_name, contact_email, language from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)
}

/// The current qualification of an organisation: partner id → (qualified, reason).
pub async fn qualifications_in(
    tx: &mut DbTx,
    organisation_id: &str,
) -> Result<Vec<(String, bool, Option<String>)>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>)> = on_tx!(tx, |conn| sqlx::query_as(
        "select partner_id, status, reason from qualification where organisation_id = $1 order by partner_id"
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await)?;
    Ok(rows.into_iter().map(|(p, s, r)| (p, s == "qualified", r)).collect())
}

/// Active partners: id and name, in display order.
pub async fn active_partners(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select partner_id, name from partner where active order by sort_order, name"
    )
    .fetch_all(pool)
    .await)
}

/// Marks the file complete (statutes received) if it was not yet: the review clock starts.
pub async fn mark_submitted(tx: &mut DbTx, organisation_id: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update organisation set submitted_at = $2, updated_at = $2 where organisation_id = $1 and submitted_at is null"
    )
    .bind(organisation_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The people of an organisation, account holder first.
pub async fn members_of(db: &Db, organisation_id: &str) -> Result<Vec<MemberInfo>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> = on_pool!(db, |pool| {
        sqlx::query_as(
        "select p.person_id, p.full_name, p.email, m.role from membership m join person p on p.person_id = m.person_id \
         where m.organisation_id = $1 and m.accepted_at is not null order by case m.role when 'account_holder' then 0 else 1 end, p.full_name"
    )
    .bind(organisation_id)
    .fetch_all(pool)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(person_id, full_name, email, role)| MemberInfo {
            person_id,
            full_name,
            email,
            role: if role == "account_holder" {
                MemberRole::AccountHolder
            } else {
                MemberRole::Member
            },
        })
        .collect())
}

/// Removes a member (never the account holder); returns whether one was removed.
pub async fn remove_member(tx: &mut DbTx, organisation_id: &str, person_id: &str) -> Result<bool, sqlx::Error> {
    let removed = on_tx!(tx, |conn| sqlx::query(
        "delete from membership where organisation_id = $1 and person_id = $2 and role = 'member' \
         and accepted_at is not null"
    )
    .bind(organisation_id)
    .bind(person_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    if removed == 1 {
        // A member belongs to one organisation: without it the person cannot log in to anything.
        crate::auth::db::end_sessions_of(tx, person_id).await?;
        crate::directory::db::reindex(tx, organisation_id).await?;
    }
    Ok(removed == 1)
}

/// Makes `person_id` (already a member) the account holder and the old holder a member, and
/// ends both people's sessions.
/// Returns the previous holder's id, or `None` when `person_id` is not a member.
pub async fn transfer_holder(
    tx: &mut DbTx,
    organisation_id: &str,
    person_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let is_member: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from membership where organisation_id = $1 and person_id = $2 and role = 'member' \
         and accepted_at is not null"
    )
    .bind(organisation_id)
    .bind(person_id)
    .fetch_one(conn)
    .await)?;
    if is_member == 0 {
        return Ok(None);
    }
    let previous: Option<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select person_id from membership where organisation_id = $1 and role = 'account_holder'"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)?;
    // Demote first: the partial unique index allows one holder at a time.
    on_tx!(tx, |conn| sqlx::query(
        "update membership set role = 'member' where organisation_id = $1 and role = 'account_holder'"
    )
    .bind(organisation_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    on_tx!(tx, |conn| sqlx::query(
        "update membership set role = 'account_holder' where organisation_id = $1 and person_id = $2"
    )
    .bind(organisation_id)
    .bind(person_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    // Both people's rights changed: they log in again, with new session ids.
    crate::auth::db::end_sessions_of(tx, person_id).await?;
    if let Some(previous) = &previous {
        crate::auth::db::end_sessions_of(tx, previous).await?;
    }
    Ok(previous)
}

/// Files a public "is it registered?" question.
pub async fn insert_inquiry(
    tx: &mut DbTx,
    organisation_name: &str,
    enterprise_number: &str,
    address: &str,
    reply_email: &str,
    language: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into registration_inquiry (inquiry_id, organisation_name, enterprise_number, address, reply_email, \
         language, created_at) values ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(new_id())
    .bind(organisation_name)
    .bind(enterprise_number)
    .bind(address)
    .bind(reply_email)
    .bind(language)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Records an appeal: the organisation goes back into the review queue.
pub async fn set_appeal(
    tx: &mut DbTx,
    organisation_id: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update organisation set appeal_note = $2, appealed_at = $3, updated_at = $3 where organisation_id = $1"
    )
    .bind(organisation_id)
    .bind(note)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// A staff decision answers any open appeal.
pub async fn close_appeal(tx: &mut DbTx, organisation_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update organisation set appealed_at = null where organisation_id = $1"
    )
    .bind(organisation_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Eligible organisations and where they stand with one partner, by name.
pub async fn partner_standing(db: &Db, partner_id: &str) -> Result<Vec<(String, String, Option<bool>)>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>)> = on_pool!(db, |pool| sqlx::query_as(
        "select o.organisation_id, o.legal_name, q.status from organisation o \
         left join qualification q on q.organisation_id = o.organisation_id and q.partner_id = $1 \
         where o.eligibility_status = 'eligible' order by o.legal_name, o.organisation_id"
    )
    .bind(partner_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, status)| (id, name, status.map(|s| s == "qualified")))
        .collect())
}

/// Locks the inviting holder's row on PostgreSQL, so that two invitations from one holder
/// count one after the other (SQLite's `BEGIN IMMEDIATE` already serialises writers).
pub async fn lock_inviter(tx: &mut DbTx, person_id: &str) -> Result<(), sqlx::Error> {
    let lock = if tx.is_postgres() { " for update" } else { "" };
    let sql = format!("select person_id from person where person_id = $1{lock}");
    on_tx!(tx, |conn| sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql))
        .bind(person_id)
        .fetch_optional(conn)
        .await)?;
    Ok(())
}

/// Invitations (and notices) `person_id` sent since `since`.
pub async fn invitations_sent_since(tx: &mut DbTx, person_id: &str, since: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from invitation where invited_by = $1 and created_at > $2"
    )
    .bind(person_id)
    .bind(since)
    .fetch_one(conn)
    .await)
}

/// Whether `email` was sent an already-has-an-account notice since `since`.
pub async fn notice_sent_since(tx: &mut DbTx, email: &str, since: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from invitation where email = $1 and kind = 'notice' and created_at > $2"
    )
    .bind(email)
    .bind(since)
    .fetch_one(conn)
    .await)?;
    Ok(count > 0)
}

/// Records an invitation: `kind` `invitation` with the `person` it created for a new address,
/// or `notice` (the address already had an account) with none.
pub async fn insert_invitation(
    tx: &mut DbTx,
    organisation_id: &str,
    invited_by: &str,
    email: &str,
    kind: &str,
    person: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into invitation (invitation_id, organisation_id, invited_by, email, kind, person_id, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(new_id())
    .bind(organisation_id)
    .bind(invited_by)
    .bind(email)
    .bind(kind)
    .bind(person)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Pending: neither accepted nor cancelled, and sent after `$since` (its expiry not reached).
/// The queries below are built from this constant and literals only (every value is bound),
/// hence their `AssertSqlSafe`.
const PENDING: &str = "i.accepted_at is null and i.cancelled_at is null and i.created_at > $2";

/// The organisation's pending invitations, oldest first, of either kind alike.
pub async fn pending_invitations(
    db: &Db,
    organisation_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<PendingInvitation>, sqlx::Error> {
    let sql = format!(
        "select i.invitation_id, i.email, i.created_at from invitation i \
         where i.organisation_id = $1 and {PENDING} order by i.created_at, i.invitation_id"
    );
    let rows: Vec<(String, String, DateTime<Utc>)> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(organisation_id)
        .bind(now - INVITATION_VALIDITY)
        .fetch_all(pool)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(invitation_id, email, sent_at)| PendingInvitation {
            invitation_id,
            email,
            sent_on: sent_at
                .with_timezone(&domain::calendar::BELGIUM)
                .date_naive()
                .to_string(),
            expires_on: (sent_at + INVITATION_VALIDITY)
                .with_timezone(&domain::calendar::BELGIUM)
                .date_naive()
                .to_string(),
        })
        .collect())
}

/// Whether the organisation already has a pending invitation to `email`.
pub async fn invitation_pending(
    tx: &mut DbTx,
    organisation_id: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql =
        format!("select count(*) from invitation i where i.organisation_id = $1 and {PENDING} and lower(i.email) = $3");
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(organisation_id)
        .bind(now - INVITATION_VALIDITY)
        .bind(email)
        .fetch_one(conn)
        .await)?;
    Ok(count > 0)
}

/// Cancels a pending invitation of the organisation; returns the person it created, if any
/// (`Some(None)` for a notice), or `None` when there is no such pending invitation.
pub async fn cancel_invitation(
    tx: &mut DbTx,
    organisation_id: &str,
    invitation_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let sql = format!(
        "update invitation set cancelled_at = $4 where invitation_id = $3 and organisation_id = $1 and \
         invitation_id in (select i.invitation_id from invitation i where i.organisation_id = $1 and {PENDING}) \
         returning person_id"
    );
    on_tx!(tx, |conn| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(organisation_id)
        .bind(now - INVITATION_VALIDITY)
        .bind(invitation_id)
        .bind(now)
        .fetch_optional(conn)
        .await)
}

/// A person an invitation created who never accepted it and can no longer: every invitation
/// naming them expired or was cancelled. Such an address is new again for the next invitation.
const LAPSED_INVITEE: &str = "p.staff_role is null \
     and exists (select 1 from invitation i where i.person_id = p.person_id) \
     and not exists (select 1 from invitation i where i.person_id = p.person_id \
         and (i.accepted_at is not null or (i.cancelled_at is null and i.created_at > $2))) \
     and not exists (select 1 from membership m where m.person_id = p.person_id and m.accepted_at is not null)";

/// The lapsed invitee (see [`LAPSED_INVITEE`]) whose address is `email`, if any.
pub async fn lapsed_invitee(tx: &mut DbTx, email: &str, now: DateTime<Utc>) -> Result<Option<String>, sqlx::Error> {
    let sql = format!("select p.person_id from person p where lower(p.email) = $1 and {LAPSED_INVITEE}");
    on_tx!(tx, |conn| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(email)
        .bind(now - INVITATION_VALIDITY)
        .fetch_optional(conn)
        .await)
}

/// Whether `person_id` is a lapsed invitee: their links no longer let them in.
pub async fn is_lapsed_invitee(tx: &mut DbTx, person_id: &str, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let sql = format!("select count(*) from person p where p.person_id = $1 and {LAPSED_INVITEE}");
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(person_id)
        .bind(now - INVITATION_VALIDITY)
        .fetch_one(conn)
        .await)?;
    Ok(count > 0)
}

/// Deletes a person an invitation created, as long as they never accepted one: with them go
/// their pending membership, their links and sessions (`on delete cascade`).
pub async fn delete_unaccepted_invitee(tx: &mut DbTx, person_id: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "delete from person where person_id = $1 and staff_role is null \
         and not exists (select 1 from membership m where m.person_id = $1 and m.accepted_at is not null) \
         and not exists (select 1 from invitation i where i.person_id = $1 and i.accepted_at is not null)"
    )
    .bind(person_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// `person_id` chose a password through a link: their pending invitation, if still pending,
/// is accepted with its membership, and the organisation's other pending invitations to the
/// same address end with it. Returns the organisations joined.
pub async fn accept_invitation(tx: &mut DbTx, person_id: &str, now: DateTime<Utc>) -> Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "update invitation set accepted_at = $3 where person_id = $1 and invitation_id in \
         (select i.invitation_id from invitation i where i.person_id = $1 and {PENDING}) returning organisation_id"
    );
    let joined: Vec<String> = on_tx!(tx, |conn| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(person_id)
        .bind(now - INVITATION_VALIDITY)
        .bind(now)
        .fetch_all(conn)
        .await)?;
    for organisation_id in &joined {
        on_tx!(tx, |conn| sqlx::query(
            "update membership set accepted_at = $3 where person_id = $1 and organisation_id = $2 \
             and accepted_at is null"
        )
        .bind(person_id)
        .bind(organisation_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
        on_tx!(tx, |conn| sqlx::query(
            "update invitation set accepted_at = $3 where organisation_id = $2 and accepted_at is null \
             and cancelled_at is null and lower(email) = (select lower(email) from person where person_id = $1)"
        )
        .bind(person_id)
        .bind(organisation_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
        crate::directory::db::reindex(tx, organisation_id).await?;
    }
    Ok(joined)
}

/// A registration sent through the public form, waiting for its link (`kind` `confirm`), or
/// the record of a notice sent instead (`email_taken`, `number_taken`).
pub struct NewPendingRegistration<'a> {
    pub kind: &'a str,
    pub token_hash: Option<&'a str>,
    pub legal_name: &'a str,
    pub legal_form: LegalForm,
    pub enterprise_number: &'a EnterpriseNumber,
    pub street: &'a str,
    pub postal_code: &'a str,
    pub city: &'a str,
    pub contact_email: &'a str,
    pub mission_category: &'a str,
    pub holder_name: &'a str,
    pub holder_email: &'a str,
    pub password_hash: Option<&'a str>,
    pub language: &'a str,
    pub expires_at: DateTime<Utc>,
    pub vat_status: VatStatus,
    pub vat_number: Option<&'a str>,
}

/// A confirmed registration's data, as the form sent it (the password already hashed).
#[derive(sqlx::FromRow)]
pub struct PendingRegistrationRow {
    pub legal_name: String,
    pub legal_form: String,
    pub country: String,
    pub enterprise_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_email: String,
    pub mission_category: String,
    pub holder_name: String,
    pub holder_email: String,
    pub password_hash: String,
    pub language: String,
    pub vat_status: String,
    pub vat_number: Option<String>,
}

/// Serialises the registration mails of one holder address until `tx` ends, so that the
/// count of [`registration_mails_since`] and the insert after it are exact under bursts.
/// PostgreSQL: a transaction-scoped advisory lock on the address; SQLite: `Db::begin` already
/// holds the single write lock.
pub async fn lock_registration_mails(tx: &mut DbTx, holder_email: &str) -> Result<(), sqlx::Error> {
    if let DbTx::Postgres(tx) = tx {
        sqlx::query("select pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(format!("pending_registration\n{holder_email}"))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Registration mails of one sort sent to `holder_email` since `since`: links (`notice`
/// false) or notices (`notice` true, either kind).
pub async fn registration_mails_since(
    tx: &mut DbTx,
    holder_email: &str,
    notice: bool,
    since: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let sql = if notice {
        "select count(*) from pending_registration where holder_email = $1 and created_at > $2 and kind <> 'confirm'"
    } else {
        "select count(*) from pending_registration where holder_email = $1 and created_at > $2 and kind = 'confirm'"
    };
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(holder_email)
        .bind(since)
        .fetch_one(conn)
        .await)
}

/// Deletes the pending registrations whose link expired before `now` (used or not): they
/// are past the day over which [`registration_mails_since`] counts.
pub async fn delete_expired_registrations(tx: &mut DbTx, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "delete from pending_registration where expires_at < $1"
    )
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Stores a pending registration (or the record of a notice).
pub async fn insert_pending_registration(
    tx: &mut DbTx,
    pending: &NewPendingRegistration<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into pending_registration (pending_registration_id, kind, token_hash, legal_name, legal_form, \
         country, enterprise_number, street, postal_code, city, contact_email, mission_category, holder_name, \
         holder_email, password_hash, language, created_at, expires_at, vat_status, vat_number) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
    )
    .bind(new_id())
    .bind(pending.kind)
    .bind(pending.token_hash)
    .bind(pending.legal_name)
    .bind(pending.legal_form.as_str())
    .bind(pending.enterprise_number.country().as_str())
    .bind(pending.enterprise_number.as_str())
    .bind(pending.street)
    .bind(pending.postal_code)
    .bind(pending.city)
    .bind(pending.contact_email)
    .bind(pending.mission_category)
    .bind(pending.holder_name)
    .bind(pending.holder_email)
    .bind(pending.password_hash)
    .bind(pending.language)
    .bind(now)
    .bind(pending.expires_at)
    .bind(pending.vat_status.as_str())
    .bind(pending.vat_number)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Marks the link of `token_hash` used and returns its registration, if the link exists, is
/// a confirmation link, was not used and has not expired at `now`. Two confirmations of one
/// link racing: the second finds it used (SQLite's write lock; PostgreSQL's row lock, the
/// condition checked again once the first commits).
pub async fn claim_pending_registration(
    tx: &mut DbTx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<PendingRegistrationRow>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as::<_, PendingRegistrationRow>(
        "update pending_registration set confirmed_at = $2 \
         where token_hash = $1 and kind = 'confirm' and confirmed_at is null and expires_at > $2 \
           and password_hash is not null \
         returning legal_name, legal_form, country, enterprise_number, street, postal_code, city, \
           contact_email, mission_category, holder_name, holder_email, password_hash, language, vat_status, vat_number"
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await)
}
