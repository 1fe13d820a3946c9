//! SQL of "En retard" and of the daily digest. Each late list is read in an index, oldest
//! first: the refurbished orders and the Cisco orders in the partial indexes of migration
//! 20261206040000 (their conditions repeated word for word, as SQLite requires to use them),
//! the refund requests in `refund_request_status_idx`, the files in the review queue's index
//! (through `org::db`, the dashboard's own definition of "overdue").

use crate::db::{Db, DbTx, Timestamp};
use crate::deadline::model::{DeadlineKind, LateGroup, LateItem, LateReport, LateTarget};
use crate::{on_pool, on_tx};
use chrono::NaiveDate;
use domain::calendar::{business_day, business_day_start};

/// Paid refurbished hardware not shipped yet: the condition of
/// `purchase_order_unshipped_hardware_idx`, then "no parcel recorded".
const UNSHIPPED_HARDWARE: &str = "o.category = 'hardware' and o.partner_approval is null \
     and o.status in ('paid', 'transmitted') and o.validated_at < $1 \
     and not exists (select 1 from shipment s where s.order_id = o.order_id)";
/// Open Cisco orders awaiting the partner's approval, asked at checkout (an order is
/// transmitted only once approved): the condition of `purchase_order_cisco_pending_idx`.
const CISCO_PENDING: &str = "o.partner_approval = 'pending' and o.status in ('submitted', 'paid', 'transmitted') \
     and o.submitted_at < $1";
/// Refund requests not answered.
const REFUND_PENDING: &str = "r.status = 'pending' and r.created_at < $1";

type Row = (String, String, String, Timestamp);

/// (count, oldest rows) of one order-based kind whose clock started before `cut_off`.
async fn late_rows(
    db: &Db,
    kind: DeadlineKind,
    cut_off: Timestamp,
    limit: u32,
) -> Result<(i64, Vec<Row>), sqlx::Error> {
    let (from, condition, order) = match kind {
        DeadlineKind::HardwareNotShipped => ("purchase_order o", UNSHIPPED_HARDWARE, "o.validated_at, o.order_id"),
        DeadlineKind::CiscoApprovalPending => ("purchase_order o", CISCO_PENDING, "o.submitted_at, o.order_id"),
        DeadlineKind::RefundUnanswered => (
            "refund_request r join purchase_order o on o.order_id = r.order_id",
            REFUND_PENDING,
            "r.created_at, r.refund_request_id",
        ),
        DeadlineKind::ReviewOverdue => return Ok((0, Vec::new())),
    };
    let started = match kind {
        DeadlineKind::HardwareNotShipped => "o.validated_at",
        DeadlineKind::CiscoApprovalPending => "o.submitted_at",
        _ => "r.created_at",
    };
    let count_sql = format!("select count(*) from {from} where {condition}");
    let count: i64 = on_pool!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
        .bind(cut_off)
        .fetch_one(pool)
        .await)?;
    if count == 0 || limit == 0 {
        return Ok((count, Vec::new()));
    }
    // The page first, in the index; the organisation's name for those rows only.
    let list_sql = format!(
        "select o.order_id, o.reference, g.legal_name, {started} from {from} \
         join organisation g on g.organisation_id = o.organisation_id \
         where {condition} order by {order} limit {limit}"
    );
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
        .bind(cut_off)
        .fetch_all(pool)
        .await)?;
    Ok((count, rows))
}

/// The late items of `kind` on `today`: how many, and the `limit` oldest.
pub async fn late_group(db: &Db, kind: DeadlineKind, today: NaiveDate, limit: u32) -> Result<LateGroup, sqlx::Error> {
    let cut_off = business_day_start(kind.late_before(today));
    let item = |target, id: String, label: String, organisation: String, at: Timestamp| {
        let since = business_day(at);
        LateItem {
            kind,
            target,
            id,
            label,
            organisation,
            since,
            age: kind.age(since, today),
            late_by: kind.late_by(since, today),
        }
    };
    if kind == DeadlineKind::ReviewOverdue {
        // The dashboard's "dossiers en retard", counted and listed as the review queue does.
        let (_, count) = crate::org::db::review_queue_counts(db, cut_off).await?;
        let take = u32::try_from(count.max(0)).unwrap_or(u32::MAX).min(limit);
        let rows = if take == 0 {
            Vec::new()
        } else {
            crate::org::db::review_queue_page(db, cut_off, count.max(0) as u64, take, 0).await?
        };
        let oldest = rows
            .into_iter()
            .map(|w| {
                item(
                    LateTarget::Organisation,
                    w.organisation_id,
                    w.legal_name.clone(),
                    w.legal_name,
                    w.submitted_at,
                )
            })
            .collect();
        return Ok(LateGroup { kind, count, oldest });
    }
    let (count, rows) = late_rows(db, kind, cut_off, limit).await?;
    let oldest = rows
        .into_iter()
        .map(|(id, reference, name, at)| item(LateTarget::Order, id, reference, name, at))
        .collect();
    Ok(LateGroup { kind, count, oldest })
}

/// Every kind of [`DeadlineKind::ALL`] on `today`, each with its `limit` oldest items.
pub async fn late_report(db: &Db, today: NaiveDate, limit: u32) -> Result<LateReport, sqlx::Error> {
    let mut groups = Vec::with_capacity(DeadlineKind::ALL.len());
    for kind in DeadlineKind::ALL {
        groups.push(late_group(db, kind, today, limit).await?);
    }
    Ok(LateReport { today, groups })
}

/// A staff member's stored digest choice: (enabled, sections as stored), if they chose.
pub async fn digest_setting(db: &Db, person_id: &str) -> Result<Option<(bool, String)>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as::<_, (bool, String)>(
        "select enabled, sections from staff_digest_setting where person_id = $1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)
}

/// Saves a staff member's choice.
pub async fn save_digest_setting(
    tx: &mut DbTx,
    person_id: &str,
    enabled: bool,
    sections: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into staff_digest_setting (person_id, enabled, sections, updated_at) values ($1, $2, $3, $4) \
         on conflict (person_id) do update set enabled = excluded.enabled, sections = excluded.sections, \
         updated_at = excluded.updated_at"
    )
    .bind(person_id)
    .bind(enabled)
    .bind(sections)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// A staff member whose digest of the day is not claimed yet.
#[derive(Debug, sqlx::FromRow)]
pub struct Recipient {
    pub person_id: String,
    pub full_name: String,
    pub email: String,
    pub language: Option<String>,
    pub enabled: Option<bool>,
    pub sections: Option<String>,
}

/// Staff (agents and admins) with no digest claimed for `day`.
pub async fn unclaimed_staff(db: &Db, day: NaiveDate) -> Result<Vec<Recipient>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as::<_, Recipient>(
        "select p.person_id, p.full_name, p.email, p.language, s.enabled, s.sections from person p \
         left join staff_digest_setting s on s.person_id = p.person_id \
         where p.staff_role is not null \
         and not exists (select 1 from staff_digest d where d.person_id = p.person_id and d.day = $1) \
         order by p.person_id"
    )
    .bind(day.to_string())
    .fetch_all(pool)
    .await)
}

/// When the person's last digest was claimed (where the "new since" sections start).
pub async fn last_digest_at(db: &Db, person_id: &str) -> Result<Option<Timestamp>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar::<_, Timestamp>(
        "select created_at from staff_digest where person_id = $1 order by day desc limit 1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)
}

/// Claims the digest of (`person_id`, `day`): `false` when another run or instance claimed
/// it first. Inserted in the transaction that queues the e-mail, so the claim and the message
/// are written together or not at all.
pub async fn claim_digest(
    tx: &mut DbTx,
    person_id: &str,
    day: NaiveDate,
    emailed: bool,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let rows = on_tx!(tx, |conn| sqlx::query(
        "insert into staff_digest (person_id, day, emailed, created_at) values ($1, $2, $3, $4) \
         on conflict (person_id, day) do nothing"
    )
    .bind(person_id)
    .bind(day.to_string())
    .bind(emailed)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(rows == 1)
}

/// The files in the review queue (word for word `org::db`'s condition, for its partial index).
const WAITING: &str = "(eligibility_status in ('pending', 'info_requested') or appealed_at is not null)";

/// How many of what a "new since" section counts arrived at or after `since`.
pub async fn new_since(
    db: &Db,
    section: domain::deadline::DigestSection,
    since: Timestamp,
) -> Result<i64, sqlx::Error> {
    use domain::deadline::DigestSection;
    let sql = match section {
        // Files waiting for review whose clock started since (read in the queue's index).
        DigestSection::NewFiles => format!(
            "select count(*) from organisation where {WAITING} and appealed_at is null \
             and coalesce(appealed_at, submitted_at, created_at) >= $1"
        ),
        DigestSection::NewAppeals => format!(
            "select count(*) from organisation where {WAITING} and appealed_at is not null \
             and coalesce(appealed_at, submitted_at, created_at) >= $1"
        ),
        DigestSection::NewRefundRequests => {
            "select count(*) from refund_request where status = 'pending' and created_at >= $1".to_owned()
        }
        DigestSection::NewInquiries => "select count(*) from registration_inquiry where created_at >= $1".to_owned(),
        DigestSection::NewChangeRequests => {
            "select count(*) from change_request where status = 'pending' and created_at >= $1".to_owned()
        }
        DigestSection::Late(_) => return Ok(0),
    };
    on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
        .bind(since)
        .fetch_one(pool)
        .await)
}
