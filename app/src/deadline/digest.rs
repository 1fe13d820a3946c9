//! The daily staff digest ("Résumé quotidien"): once a day, from `STAFF_DIGEST_HOUR` in
//! Brussels, each staff member (agent and admin) receives one e-mail holding the sections they
//! chose: what arrived since their last digest (files, appeals, refund requests, questions,
//! change requests) and what is late, with the oldest items.
//!
//! Claimed once across instances: the row `staff_digest (person_id, day)` is inserted with
//! `on conflict do nothing` in the transaction that queues the e-mail, so of several instances
//! (or several runs) only the one whose insert wrote the row sends anything. A digest with
//! nothing in it is not sent; its day is claimed all the same, so it is not worked out again
//! every minute. Each person is handled on their own: one whose address is unusable or whose
//! stored choice cannot be read is logged and skipped (their day claimed, nothing sent), and
//! the others still get theirs.

use crate::db::{Db, Timestamp};
use crate::deadline::model::{DeadlineKind, DigestChoice, DigestSection, LateGroup, digest_day_due};
use crate::mail::templates::Email;
use crate::state::AppState;
use chrono::NaiveDate;

/// How many of the oldest items of each late kind a digest lists.
pub const DIGEST_ITEMS: u32 = 5;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DigestRun {
    /// E-mails queued.
    pub sent: usize,
    /// Staff whose digest had nothing in it, or who chose "no digest": nothing sent.
    pub empty: usize,
    /// Staff skipped for a fault of their own (address, stored choice); logged.
    pub failed: usize,
}

/// A staff member's choice, or every section if they never chose.
pub async fn choice_of(db: &Db, person_id: &str) -> Result<DigestChoice, crate::error::AppError> {
    match crate::deadline::db::digest_setting(db, person_id).await? {
        None => Ok(DigestChoice::default()),
        Some((enabled, sections)) => DigestChoice::parse(enabled, sections.split(','))
            .map_err(|name| crate::error::AppError::internal(format!("stored digest section {name:?}"))),
    }
}

/// The digest's content: the counts of the "new" sections and the late groups, each only
/// when it holds something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestContent {
    pub new: Vec<(DigestSection, i64)>,
    pub late: Vec<LateGroup>,
}

impl DigestContent {
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.late.is_empty()
    }
}

/// Why one person's digest went no further.
enum Skip {
    /// A fault of this person's row: logged, their day claimed, nothing sent.
    Permanent(String),
    /// The database: tried again at the next run.
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Skip {
    fn from(error: sqlx::Error) -> Self {
        Skip::Database(error)
    }
}

enum Outcome {
    Sent,
    Empty,
    /// Another run or instance claimed it first.
    Taken,
}

/// Queues the digests due at `now`: nothing before the configured hour of the Belgian day,
/// then one per staff member and day.
pub async fn run(state: &AppState, now: Timestamp) -> Result<DigestRun, sqlx::Error> {
    let mut done = DigestRun::default();
    let Some(day) = digest_day_due(now, state.config.digest_hour) else {
        return Ok(done);
    };
    let recipients = crate::deadline::db::unclaimed_staff(&state.db, day).await?;
    if recipients.is_empty() {
        return Ok(done);
    }
    // Late items are the same for everyone: read once per run.
    let mut late = Vec::new();
    for kind in DeadlineKind::ALL {
        late.push(crate::deadline::db::late_group(&state.db, kind, day, DIGEST_ITEMS).await?);
    }
    for recipient in recipients {
        match one(state, &recipient, day, &late, now).await {
            Ok(Outcome::Sent) => done.sent += 1,
            Ok(Outcome::Empty) => done.empty += 1,
            Ok(Outcome::Taken) => {}
            Err(Skip::Permanent(reason)) => {
                tracing::error!(person = %recipient.person_id, %reason, "staff digest skipped");
                // Claimed so that it is not retried every minute; the next day tries again.
                if let Err(error) = claim_only(state, &recipient.person_id, day, now).await {
                    tracing::error!(person = %recipient.person_id, %error, "staff digest: database error");
                }
                done.failed += 1;
            }
            Err(Skip::Database(error)) => {
                tracing::error!(person = %recipient.person_id, %error, "staff digest: database error");
                done.failed += 1;
            }
        }
    }
    if done.sent > 0 {
        crate::mail::wake(state);
    }
    Ok(done)
}

/// Claims the day with nothing sent.
async fn claim_only(state: &AppState, person_id: &str, day: NaiveDate, now: Timestamp) -> Result<bool, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let claimed = crate::deadline::db::claim_digest(&mut tx, person_id, day, false, now).await?;
    tx.commit().await?;
    Ok(claimed)
}

/// What `choice` holds for someone whose last digest was at `since`.
async fn content(
    db: &Db,
    choice: &DigestChoice,
    late: &[LateGroup],
    since: Timestamp,
) -> Result<DigestContent, sqlx::Error> {
    let mut new = Vec::new();
    let mut late_chosen = Vec::new();
    for &section in &choice.sections {
        match section {
            DigestSection::Late(kind) => {
                if let Some(group) = late.iter().find(|g| g.kind == kind && g.count > 0) {
                    late_chosen.push(group.clone());
                }
            }
            _ => {
                let count = crate::deadline::db::new_since(db, section, since).await?;
                if count > 0 {
                    new.push((section, count));
                }
            }
        }
    }
    Ok(DigestContent { new, late: late_chosen })
}

async fn one(
    state: &AppState,
    recipient: &crate::deadline::db::Recipient,
    day: NaiveDate,
    late: &[LateGroup],
    now: Timestamp,
) -> Result<Outcome, Skip> {
    let choice = match (recipient.enabled, recipient.sections.as_deref()) {
        (Some(enabled), Some(sections)) => DigestChoice::parse(enabled, sections.split(','))
            .map_err(|name| Skip::Permanent(format!("unknown section {name:?}")))?,
        _ => DigestChoice::default(),
    };
    if !choice.wants_digest() {
        return Ok(if claim_only(state, &recipient.person_id, day, now).await? {
            Outcome::Empty
        } else {
            Outcome::Taken
        });
    }
    let since = crate::deadline::db::last_digest_at(&state.db, &recipient.person_id)
        .await?
        .unwrap_or(now - chrono::Duration::days(1));
    let content = content(&state.db, &choice, late, since).await?;
    if content.is_empty() {
        return Ok(if claim_only(state, &recipient.person_id, day, now).await? {
            Outcome::Empty
        } else {
            Outcome::Taken
        });
    }
    if recipient.email.parse::<lettre::Address>().is_err() {
        return Err(Skip::Permanent("unusable e-mail address".into()));
    }
    let locale = crate::org::api::locale_of(recipient.language.as_deref().unwrap_or("fr"));
    let email = Email::StaffDigest {
        full_name: recipient.full_name.clone(),
        day,
        new: content.new,
        late: content.late,
        link: format!("{}/admin", state.config.public_url),
        settings_link: format!("{}/admin/digest", state.config.public_url),
    };
    let mut tx = state.db.begin().await?;
    if !crate::deadline::db::claim_digest(&mut tx, &recipient.person_id, day, true, now).await? {
        tx.rollback().await?;
        return Ok(Outcome::Taken);
    }
    crate::mail::queue(&mut tx, state, &recipient.email, &email, locale).await?;
    tx.commit().await?;
    Ok(Outcome::Sent)
}
