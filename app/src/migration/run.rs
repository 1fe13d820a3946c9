//! The migration import's run: each organisation of the plan (with its people,
//! qualifications, documents and past orders) in its own transaction, so a bad organisation
//! never leaves half a record and never stops the good ones. A dry run takes the very same
//! path and rolls each transaction back, so its report is what the import would do.

use crate::db::{DbTx, Timestamp};
use crate::migration::db;
use crate::migration::model::{
    Limits, MigrationFiles, MigrationReport, OrderRecord, OrganisationPlan, Outcome, RowOutcome, RowRef,
};
use crate::org::model::MemberRole;
use crate::state::AppState;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How a run goes.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Check and report without writing.
    pub dry_run: bool,
    /// The staff member running it; `None` from the command line.
    pub actor: Option<&'a str>,
    /// Queue each new person's invitation to choose a password (as the bulk import does).
    pub invite: bool,
    pub limits: Limits,
}

fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why an organisation was not written: a row's error (file, line, code), or a database
/// failure.
enum Refusal {
    Row(RowRef, String),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        Refusal::Db(error)
    }
}

/// What the organisation's transaction did: its own outcome and each order's.
struct Written {
    organisation: Outcome,
    orders: Vec<Outcome>,
}

/// What one run shares between organisations.
struct Context<'a> {
    state: &'a AppState,
    options: Options<'a>,
    values: HashMap<String, i64>,
    password_hash: String,
    now: Timestamp,
}

/// How long each phase of a run took (the command line prints them).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading the CSV texts into rows.
    pub read: std::time::Duration,
    /// Loading the catalogue and checking every row.
    pub check: std::time::Duration,
    /// The organisations' transactions and the counters.
    pub write: std::time::Duration,
}

/// Runs the migration of `files`: reads, checks, then writes (or, in a dry run, rolls back)
/// organisation by organisation, and the counter offsets; one audit entry for a real run.
pub async fn run(
    state: &AppState,
    files: &MigrationFiles,
    options: Options<'_>,
) -> Result<MigrationReport, crate::error::AppError> {
    run_timed(state, files, options).await.map(|(report, _)| report)
}

/// [`run`], saying how long each phase took.
pub async fn run_timed(
    state: &AppState,
    files: &MigrationFiles,
    options: Options<'_>,
) -> Result<(MigrationReport, Timings), crate::error::AppError> {
    let mut timings = Timings::default();
    let started = std::time::Instant::now();
    let (tables, file_errors) = domain::migration::read_files(files, options.limits);
    timings.read = started.elapsed();
    let started = std::time::Instant::now();
    let now = crate::db::now();
    let today = now.with_timezone(&domain::calendar::BELGIUM).date_naive();
    let mut tx = state.db.begin_read().await?;
    let catalogue: domain::migration::parse::Catalogue = crate::quota::db::all_products(&mut tx)
        .await?
        .into_iter()
        .map(|(_, p)| (p.slug, p.product))
        .collect();
    let partners = db::partner_ids(&mut tx).await?;
    let values = db::commercial_values(&mut tx).await?;
    tx.commit().await?;
    let plan = domain::migration::plan(&tables, &catalogue, &partners, today);
    drop(tables);
    // One unusable password for every new person: they choose theirs through the link.
    let password_hash = crate::auth::session::unusable_password().await?;
    let context = Context {
        state,
        options,
        values,
        password_hash,
        now,
    };
    timings.check = started.elapsed();
    let started = std::time::Instant::now();
    let mut report = MigrationReport {
        dry_run: options.dry_run,
        file_errors,
        rows: plan.refused,
        ..MigrationReport::default()
    };
    for organisation in &plan.organisations {
        let written = write_organisation(&context, organisation).await;
        record_outcome(&mut report, organisation, written);
    }
    write_counters(&context, &plan.counters, &mut report).await?;
    report.finish();
    timings.write = started.elapsed();
    if !options.dry_run {
        let mut tx = state.db.begin().await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: options.actor,
                action: "migration.imported",
                entity_type: "migration",
                entity_id: "migration",
                before: None,
                after: Some(serde_json::json!({
                    "counts": report.counts,
                    "file_errors": report.file_errors.len(),
                    "source": if options.actor.is_some() { "staff page" } else { "command line" },
                })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
    }
    Ok((report, timings))
}

/// Adds the organisation's rows to the report with what its transaction did.
fn record_outcome(report: &mut MigrationReport, plan: &OrganisationPlan, written: Result<Written, Refusal>) {
    let row = |r: &RowRef, outcome: Outcome, errors: Vec<String>| RowOutcome {
        file: r.file.clone(),
        line: r.line,
        key: plan.key.clone(),
        outcome,
        errors,
    };
    match written {
        Ok(written) => {
            match written.organisation {
                Outcome::Create => report.counts.organisations_created += 1,
                Outcome::Update => report.counts.organisations_updated += 1,
                _ => {}
            }
            report
                .rows
                .extend(plan.rows.iter().map(|r| row(r, written.organisation, Vec::new())));
            for ((order, rows), outcome) in plan.orders.iter().zip(&plan.order_rows).zip(written.orders) {
                match outcome {
                    Outcome::Create => report.counts.orders_created += 1,
                    Outcome::Update => report.counts.orders_updated += 1,
                    _ => {}
                }
                report.rows.extend(rows.iter().map(|r| RowOutcome {
                    key: order.reference.clone(),
                    ..row(r, outcome, Vec::new())
                }));
            }
        }
        Err(refusal) => {
            let (failed, code) = match refusal {
                Refusal::Row(at, code) => (Some(at), code),
                Refusal::Db(error) => {
                    tracing::warn!(%error, organisation = %plan.key, "a migrated organisation was not saved");
                    (None, "legacy_id:not_saved".to_owned())
                }
            };
            let first = plan.rows.first().cloned();
            let failed = failed.or(first);
            let all = plan.rows.iter().chain(plan.order_rows.iter().flatten());
            for r in all {
                if Some(r) == failed.as_ref() {
                    report.rows.push(row(r, Outcome::Error, vec![code.clone()]));
                } else {
                    report.rows.push(row(
                        r,
                        Outcome::Skipped,
                        vec!["organisation_legacy_id:organisation_has_errors".into()],
                    ));
                }
            }
        }
    }
}

/// One organisation's transaction: committed in a real run, rolled back in a dry run.
async fn write_organisation(context: &Context<'_>, plan: &OrganisationPlan) -> Result<Written, Refusal> {
    let mut tx = context.state.db.begin().await?;
    let result = write_in(context, &mut tx, plan).await;
    match result {
        Ok(written) if !context.options.dry_run => {
            tx.commit().await?;
            Ok(written)
        }
        other => {
            tx.rollback().await?;
            other
        }
    }
}

async fn write_in(context: &Context<'_>, tx: &mut DbTx, plan: &OrganisationPlan) -> Result<Written, Refusal> {
    let now = context.now;
    let org_row = plan.rows.first().cloned().unwrap_or(RowRef {
        file: "organisations".into(),
        line: 0,
    });
    let org_digest = digest(&plan.digest_text());
    let record = &plan.organisation;
    let existing = db::record(tx, "organisation", &plan.key).await?;
    let (organisation_id, outcome) = match existing {
        Some((id, stored)) if stored == org_digest => (id, Outcome::Unchanged),
        Some((id, _)) => {
            if db::organisation_with_number(tx, record.enterprise_number.as_str())
                .await?
                .is_some_and(|other| other != id)
            {
                return Err(Refusal::Row(
                    org_row,
                    "enterprise_number:enterprise_number_taken".into(),
                ));
            }
            db::update_organisation(tx, &id, record, now).await?;
            write_standing(context, tx, &id, plan).await?;
            (id, Outcome::Update)
        }
        None => {
            if db::organisation_with_number(tx, record.enterprise_number.as_str())
                .await?
                .is_some()
            {
                return Err(Refusal::Row(
                    org_row,
                    "enterprise_number:enterprise_number_taken".into(),
                ));
            }
            let registered = record.registered_on.map_or(now, db::day_start);
            let id = crate::org::db::insert_organisation(
                tx,
                &crate::org::db::NewOrganisation {
                    legal_name: &record.legal_name,
                    legal_form: record.legal_form,
                    enterprise_number: &record.enterprise_number,
                    street: &record.street,
                    postal_code: &record.postal_code,
                    city: &record.city,
                    contact_email: &record.contact_email,
                    mission_category: &record.mission_category,
                    eligibility_status: record.eligibility,
                    submitted_at: Some(registered),
                    language: &record.language,
                    vat_status: record.vat_status,
                    vat_number: record.vat_number.as_deref(),
                },
                now,
            )
            .await?;
            write_standing(context, tx, &id, plan).await?;
            crate::audit::record(
                tx,
                crate::audit::AuditEvent {
                    actor: context.options.actor,
                    action: "organisation.migrated",
                    entity_type: "organisation",
                    entity_id: &id,
                    before: None,
                    after: Some(serde_json::json!({
                        "legacy_id": plan.key,
                        "legal_name": record.legal_name,
                        "enterprise_number": record.enterprise_number.as_str(),
                        "people": plan.people.len(),
                        "orders": plan.orders.len(),
                    })),
                },
                now,
            )
            .await?;
            (id, Outcome::Create)
        }
    };
    if outcome != Outcome::Unchanged {
        db::save_record(tx, "organisation", &plan.key, &organisation_id, &org_digest, now).await?;
    }
    let mut orders = Vec::with_capacity(plan.orders.len());
    for (order, rows) in plan.orders.iter().zip(&plan.order_rows) {
        let at = rows.first().cloned().unwrap_or_else(|| org_row.clone());
        orders.push(write_order(context, tx, &organisation_id, &plan.key, order, at).await?);
    }
    Ok(Written {
        organisation: outcome,
        orders,
    })
}

/// People, qualifications and partner documents of a created or changed organisation. People
/// are only added (a person the files no longer list keeps their access until staff remove
/// them); a new person gets an invitation to choose a password.
async fn write_standing(
    context: &Context<'_>,
    tx: &mut DbTx,
    organisation_id: &str,
    plan: &OrganisationPlan,
) -> Result<(), Refusal> {
    use crate::auth::rules::{INVITATION_VALIDITY, username_from_email};
    let now = context.now;
    for person in &plan.people {
        let (person_id, new) = match db::person_with_email(tx, &person.email).await? {
            Some(id) => (id, false),
            None => {
                let username = db::free_username(tx, &username_from_email(&person.email)).await?;
                let id = crate::org::db::insert_person(
                    tx,
                    &crate::org::db::NewPerson {
                        username: &username,
                        email: &person.email,
                        full_name: &person.full_name,
                        password_hash: &context.password_hash,
                        staff_role: None,
                    },
                    now,
                )
                .await?;
                (id, true)
            }
        };
        if db::is_member(tx, organisation_id, &person_id).await? {
            continue;
        }
        let role = if person.role == MemberRole::AccountHolder && !db::has_holder(tx, organisation_id).await? {
            MemberRole::AccountHolder
        } else {
            MemberRole::Member
        };
        crate::org::db::insert_membership(tx, organisation_id, &person_id, role, now).await?;
        if new && context.options.invite {
            let link = crate::auth::session::new_password_link(tx, context.state, &person_id, now, INVITATION_VALIDITY)
                .await?;
            let invitation = crate::mail::templates::Email::MemberInvited {
                organisation: plan.organisation.legal_name.clone(),
                inviter: context.state.config.programme.name.clone(),
                link,
            };
            let locale = crate::org::api::locale_of(person.language.as_deref().unwrap_or(&plan.organisation.language));
            crate::mail::queue(tx, context.state, &person.email, &invitation, locale).await?;
        }
    }
    for q in &plan.qualifications {
        crate::org::db::upsert_qualification(
            tx,
            organisation_id,
            &crate::org::db::QualificationDecision {
                partner_id: &q.partner_id,
                qualified: q.qualified,
                reason: None,
                decided_by: context.options.actor,
            },
            q.decided_on.map_or(now, db::day_start),
        )
        .await?;
    }
    let d = &plan.documents;
    let text = |day: Option<chrono::NaiveDate>| day.map(|d| d.format("%Y-%m-%d").to_string());
    crate::quota::db::set_partner_documents(
        tx,
        organisation_id,
        &(
            text(d.discount_certificate_issued),
            text(d.autodesk_direct_purchase),
            text(d.autodesk_waiver_on),
        ),
    )
    .await?;
    Ok(())
}

/// One past order: created, rewritten when the files changed it, or left as it is.
async fn write_order(
    context: &Context<'_>,
    tx: &mut DbTx,
    organisation_id: &str,
    organisation_key: &str,
    order: &OrderRecord,
    at: RowRef,
) -> Result<Outcome, Refusal> {
    let now = context.now;
    let order_digest = digest(&order.digest_text(organisation_key));
    let outcome = match db::record(tx, "order", &order.reference).await? {
        Some((_, stored)) if stored == order_digest => return Ok(Outcome::Unchanged),
        Some((order_id, _)) => {
            match db::order_with_reference(tx, &order.reference).await? {
                Some((id, owner, true)) if id == order_id && owner == organisation_id => {}
                _ => return Err(Refusal::Row(at, "legacy_reference:reference_taken".into())),
            }
            db::update_order(tx, &order_id, order, now).await?;
            db::delete_lines(tx, &order_id).await?;
            db::insert_lines(tx, organisation_id, &order_id, order, &context.values, now).await?;
            db::save_record(tx, "order", &order.reference, &order_id, &order_digest, now).await?;
            Outcome::Update
        }
        None => {
            if db::order_with_reference(tx, &order.reference).await?.is_some() {
                return Err(Refusal::Row(at, "legacy_reference:reference_taken".into()));
            }
            let order_id = db::insert_order(tx, organisation_id, order, now).await?;
            db::insert_lines(tx, organisation_id, &order_id, order, &context.values, now).await?;
            db::save_record(tx, "order", &order.reference, &order_id, &order_digest, now).await?;
            Outcome::Create
        }
    };
    Ok(outcome)
}

/// The home counters' offsets, in one transaction.
async fn write_counters(
    context: &Context<'_>,
    counters: &[(String, i64, RowRef)],
    report: &mut MigrationReport,
) -> Result<(), sqlx::Error> {
    if counters.is_empty() {
        return Ok(());
    }
    let mut tx = context.state.db.begin().await?;
    for (name, value, at) in counters {
        let outcome = match db::counter_offset(&mut tx, name).await? {
            Some(stored) if stored == *value => Outcome::Unchanged,
            stored => {
                db::set_counter_offset(&mut tx, name, *value, context.now).await?;
                if stored.is_some() {
                    Outcome::Update
                } else {
                    Outcome::Create
                }
            }
        };
        report.rows.push(RowOutcome {
            file: at.file.clone(),
            line: at.line,
            key: name.clone(),
            outcome,
            errors: Vec::new(),
        });
    }
    if context.options.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(())
}
