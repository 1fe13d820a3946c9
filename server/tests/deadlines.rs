//! Deadlines as data ("En retard") and the daily staff digest (issue 24): each kind just
//! before and just after its threshold (business days across a weekend and a Belgian public
//! holiday, Brussels midnight), the dashboard's section with its ages, and the digest —
//! chosen sections only, claimed once across instances, again the next day, a bad row never
//! stopping the others, "no digest" honoured.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common::{CatalogueBuilder, DEMO_PASSWORD, OrgBuilder, ProductBuilder, TestApp, spawn_app, test_config};
use app::calendar::{business_day, business_day_start, business_days_between};
use app::db::{Db, Timestamp, new_id, now};
use app::deadline::db::late_report;
use app::deadline::digest::{DigestRun, run};
use app::deadline::model::{DeadlineKind, LateGroup};
use app::on_pool;
use app::order::db::{NewOrder, insert_order, insert_order_line};
use app::order::model::{OrderCategory, OrderStatus};
use chrono::{NaiveDate, TimeZone, Utc};

fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// An order of `org_id` placed with this status and validation (payment) instant.
async fn order(db: &Db, org_id: &str, status: OrderStatus, paid_at: Timestamp) -> (String, String) {
    let reference = format!("DL-{}", new_id());
    let mut tx = db.begin().await.unwrap();
    let id = insert_order(
        &mut tx,
        &NewOrder {
            reference: &reference,
            organisation_id: org_id,
            category: OrderCategory::Hardware,
            status,
            submitted_at: paid_at - chrono::Duration::days(1),
            validated_at: Some(paid_at),
        },
        paid_at,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (id, reference)
}

/// A paid Cisco order placed at `placed_at`, awaiting the partner's approval (or with its
/// answer `approval`): Cisco is asked at checkout, and the order waits for the answer.
async fn cisco(db: &Db, org_id: &str, placed_at: Timestamp, approval: &str) -> String {
    let (id, _) = order(db, org_id, OrderStatus::Paid, placed_at + chrono::Duration::days(3)).await;
    on_pool!(db, |pool| sqlx::query(
        "update purchase_order set partner_approval = $2, submitted_at = $3 where order_id = $1"
    )
    .bind(&id)
    .bind(approval)
    .bind(placed_at)
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();
    id
}

async fn ship(db: &Db, order_id: &str) {
    on_pool!(db, |pool| sqlx::query(
        "insert into shipment (shipment_id, order_id, shipped_on, carrier, tracking, items, created_at) \
         values ($1, $2, '2026-11-01', 'bpost', 'X1', 'laptop', $3)"
    )
    .bind(new_id())
    .bind(order_id)
    .bind(now())
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();
}

/// A refund request for a new line of `order_id`, made at `at`, with `status`.
async fn refund_request(
    db: &Db,
    order_id: &str,
    org_id: &str,
    person_id: &str,
    product_id: &str,
    at: Timestamp,
    status: &str,
) {
    let mut tx = db.begin().await.unwrap();
    let line = insert_order_line(&mut tx, order_id, product_id, 1, None, at)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    on_pool!(db, |pool| sqlx::query(
        "insert into refund_request (refund_request_id, order_id, order_line_id, organisation_id, person_id, \
         reason, status, created_at) values ($1, $2, $3, $4, $5, 'broken', $6, $7)"
    )
    .bind(new_id())
    .bind(order_id)
    .bind(line)
    .bind(org_id)
    .bind(person_id)
    .bind(status)
    .bind(at)
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();
}

/// An organisation whose file is `status` since `submitted_at`.
async fn file(db: &Db, seq: u32, status: &str, submitted_at: Timestamp) -> String {
    let id = OrgBuilder::new(seq).insert(db).await;
    on_pool!(db, |pool| sqlx::query(
        "update organisation set eligibility_status = $2, submitted_at = $3, created_at = $3 where organisation_id = $1"
    )
    .bind(&id)
    .bind(status)
    .bind(submitted_at)
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();
    id
}

async fn person(db: &Db, username: &str, email: &str, staff_role: Option<&str>) -> String {
    let id = new_id();
    on_pool!(db, |pool| sqlx::query(
        "insert into person (person_id, username, email, full_name, password_hash, staff_role, created_at, updated_at) \
         values ($1, $2, $3, $4, 'x', $5, $6, $6)"
    )
    .bind(&id)
    .bind(username)
    .bind(email)
    .bind(format!("Person {username}"))
    .bind(staff_role)
    .bind(now())
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();
    id
}

fn group(groups: &[LateGroup], kind: DeadlineKind) -> &LateGroup {
    groups.iter().find(|g| g.kind == kind).unwrap()
}

fn ids(group: &LateGroup) -> Vec<&str> {
    group.oldest.iter().map(|i| i.id.as_str()).collect()
}

#[tokio::test]
async fn each_kind_is_late_just_after_its_threshold_and_not_before() {
    let app = spawn_app().await;
    let db = app.db();
    CatalogueBuilder::partner(db, "hardware", 1).await;
    let product = ProductBuilder::new("hardware", "laptop").insert(db).await;
    let org = OrgBuilder::new(1).insert(db).await;
    let holder = person(db, "holder", "holder@example.org", None).await;
    // Tuesday 24 November 2026 in Brussels (CET, UTC+1).
    let today = day("2026-11-24");

    // Refurbished hardware: 10 business days; 11 November (Wednesday) is Armistice.
    // Paid Friday 6th: deadline Monday 23rd, late. Paid Monday 9th: deadline the 24th.
    let (late_fri, late_fri_ref) = order(db, &org, OrderStatus::Paid, utc(2026, 11, 6, 10, 0)).await;
    let (on_time_mon, _) = order(db, &org, OrderStatus::Paid, utc(2026, 11, 9, 10, 0)).await;
    // Brussels midnight: 22:30 UTC on Sunday 8th is still Sunday in Brussels (late), 23:30
    // UTC is already Monday 9th there (on time).
    let (late_sunday, _) = order(db, &org, OrderStatus::Transmitted, utc(2026, 11, 8, 22, 30)).await;
    let (monday_brussels, _) = order(db, &org, OrderStatus::Paid, utc(2026, 11, 8, 23, 30)).await;
    // Shipped, fulfilled, or Cisco: never "hardware not shipped".
    let (shipped, _) = order(db, &org, OrderStatus::Transmitted, utc(2026, 10, 1, 10, 0)).await;
    ship(db, &shipped).await;
    order(db, &org, OrderStatus::Fulfilled, utc(2026, 10, 1, 10, 0)).await;
    let cisco_paid = cisco(db, &org, utc(2026, 10, 1, 10, 0), "pending").await;
    on_pool!(db, |pool| sqlx::query(
        "update purchase_order set status = 'paid' where order_id = $1"
    )
    .bind(&cisco_paid)
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();

    // Cisco: 56 days from the order (approval is asked at checkout). Late when placed before 29
    // September (Brussels, CEST, UTC+2): 21:30 UTC on the 28th is 23:30 there (late); 22:30 UTC
    // is the 29th.
    let cisco_late = cisco(db, &org, utc(2026, 9, 28, 21, 30), "pending").await;
    let cisco_on_time = cisco(db, &org, utc(2026, 9, 28, 22, 30), "pending").await;
    let cisco_older = cisco(db, &org, utc(2026, 9, 1, 9, 0), "pending").await;
    cisco(db, &org, utc(2026, 8, 1, 9, 0), "approved").await;

    // Refund requests: 5 business days. Monday 16th: deadline 23rd, late. Tuesday 17th:
    // deadline 24th. Tuesday 10th (across the 11th): deadline 18th, 4 business days late.
    let (refunded_order, refunded_ref) = order(db, &org, OrderStatus::Fulfilled, utc(2026, 10, 1, 10, 0)).await;
    refund_request(
        db,
        &refunded_order,
        &org,
        &holder,
        &product,
        utc(2026, 11, 16, 9, 0),
        "pending",
    )
    .await;
    refund_request(
        db,
        &refunded_order,
        &org,
        &holder,
        &product,
        utc(2026, 11, 17, 9, 0),
        "pending",
    )
    .await;
    refund_request(
        db,
        &refunded_order,
        &org,
        &holder,
        &product,
        utc(2026, 11, 10, 9, 0),
        "pending",
    )
    .await;
    refund_request(
        db,
        &refunded_order,
        &org,
        &holder,
        &product,
        utc(2026, 11, 2, 9, 0),
        "accepted",
    )
    .await;

    // Reviews: 2 business days. Thursday 19th: deadline Monday 23rd, late. Friday 20th:
    // deadline the 24th. Waiting for the organisation's answer: never late.
    let review_late = file(db, 2, "pending", utc(2026, 11, 19, 9, 0)).await;
    let review_on_time = file(db, 3, "pending", utc(2026, 11, 20, 9, 0)).await;
    file(db, 4, "info_requested", utc(2026, 10, 1, 9, 0)).await;

    let report = late_report(db, today, 10).await.unwrap();
    let hardware = group(&report.groups, DeadlineKind::HardwareNotShipped);
    assert_eq!(
        ids(hardware),
        vec![late_fri.as_str(), late_sunday.as_str()],
        "oldest first"
    );
    assert_eq!(hardware.count, 2);
    let first = &hardware.oldest[0];
    assert_eq!(first.label, late_fri_ref);
    assert_eq!(first.organisation, "Organisation 1");
    assert_eq!(first.since, day("2026-11-06"));
    assert_eq!((first.age, first.late_by), (11, 1), "9, 10, 12, 13, 16-20, 23, 24");
    assert_eq!(first.href(), format!("/admin/orders/{late_fri}"));
    assert_eq!(hardware.oldest[1].since, day("2026-11-08"), "Sunday in Brussels");
    assert!(!ids(hardware).contains(&on_time_mon.as_str()));
    assert!(!ids(hardware).contains(&monday_brussels.as_str()));

    let cisco_group = group(&report.groups, DeadlineKind::CiscoApprovalPending);
    assert_eq!(ids(cisco_group), vec![cisco_older.as_str(), cisco_late.as_str()]);
    assert_eq!((cisco_group.oldest[1].age, cisco_group.oldest[1].late_by), (57, 1));
    assert_eq!((cisco_group.oldest[0].age, cisco_group.oldest[0].late_by), (84, 28));
    assert!(!ids(cisco_group).contains(&cisco_on_time.as_str()));

    let refunds = group(&report.groups, DeadlineKind::RefundUnanswered);
    assert_eq!(refunds.count, 2);
    assert_eq!(
        refunds
            .oldest
            .iter()
            .map(|i| (i.since, i.age, i.late_by))
            .collect::<Vec<_>>(),
        vec![(day("2026-11-10"), 9, 4), (day("2026-11-16"), 6, 1)]
    );
    assert!(
        refunds
            .oldest
            .iter()
            .all(|i| i.id == refunded_order && i.label == refunded_ref)
    );

    let reviews = group(&report.groups, DeadlineKind::ReviewOverdue);
    assert_eq!(ids(reviews), vec![review_late.as_str()]);
    assert_eq!((reviews.oldest[0].age, reviews.oldest[0].late_by), (3, 1));
    assert_eq!(reviews.oldest[0].href(), format!("/admin/organisations/{review_late}"));
    assert!(!ids(reviews).contains(&review_on_time.as_str()));
    assert_eq!(report.total(), 2 + 2 + 2 + 1);

    // A day later every "on time" item above is late, and nothing else changed kind.
    let next = late_report(db, day("2026-11-25"), 10).await.unwrap();
    assert_eq!(group(&next.groups, DeadlineKind::HardwareNotShipped).count, 4);
    assert_eq!(group(&next.groups, DeadlineKind::CiscoApprovalPending).count, 3);
    assert_eq!(group(&next.groups, DeadlineKind::RefundUnanswered).count, 3);
    assert_eq!(group(&next.groups, DeadlineKind::ReviewOverdue).count, 2);

    // Across the holiday: a file complete on Monday 9th is due Thursday 12th (the 11th does
    // not count), late on Friday 13th.
    let holiday_file = file(db, 5, "pending", utc(2026, 11, 9, 9, 0)).await;
    let on_12 = late_report(db, day("2026-11-12"), 10).await.unwrap();
    assert!(!ids(group(&on_12.groups, DeadlineKind::ReviewOverdue)).contains(&holiday_file.as_str()));
    let on_13 = late_report(db, day("2026-11-13"), 10).await.unwrap();
    assert!(ids(group(&on_13.groups, DeadlineKind::ReviewOverdue)).contains(&holiday_file.as_str()));

    // The list stops at its limit; the count does not.
    let short = late_report(db, day("2026-11-25"), 1).await.unwrap();
    let hardware = group(&short.groups, DeadlineKind::HardwareNotShipped);
    assert_eq!((hardware.count, hardware.oldest.len()), (4, 1));
}

/// Orders, refund requests and files "neutralised" so that nothing is late.
async fn nothing_late(db: &Db) {
    for sql in [
        "update organisation set eligibility_status = 'eligible', appealed_at = null",
        "update purchase_order set status = 'fulfilled' where status in ('paid', 'transmitted')",
        "update refund_request set status = 'refused'",
    ] {
        on_pool!(db, |pool| sqlx::query(sql)
            .execute(pool)
            .await
            .map(|d| d.rows_affected()))
        .unwrap();
    }
}

#[tokio::test]
async fn the_dashboard_shows_late_items_with_their_ages_and_links() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let db = app.db();
    nothing_late(db).await;

    // Empty state.
    let (status, report) = app.call_as(&agent, "staff_late_items", &[]).await;
    assert_eq!(status, 200, "{report}");
    assert!(
        report["groups"].as_array().unwrap().iter().all(|g| g["count"] == 0),
        "{report}"
    );
    let html = app.get_as(&agent, "/admin").await.text().await.unwrap();
    assert!(html.contains("En retard"), "the section is on the dashboard");
    assert!(html.contains("late-empty"), "empty state: {html}");
    assert!(html.contains("href=\"/admin/digest\""));

    // Late items of two kinds, their ages from today's Belgian date.
    let org = app.organisation_id("Les Amis du Quartier ASBL").await;
    let paid_at = now() - chrono::Duration::days(40);
    let (hardware, reference) = order(db, &org, OrderStatus::Paid, paid_at).await;
    let waiting = file(db, 7, "pending", now() - chrono::Duration::days(9)).await;
    let today = business_day(now());
    let (status, report) = app.call_as(&agent, "staff_late_items", &[]).await;
    assert_eq!(status, 200);
    let groups: Vec<LateGroup> = serde_json::from_value(report["groups"].clone()).unwrap();
    let item = &group(&groups, DeadlineKind::HardwareNotShipped).oldest[0];
    assert_eq!(
        (item.id.as_str(), item.label.as_str()),
        (hardware.as_str(), reference.as_str())
    );
    assert_eq!(item.age, business_days_between(business_day(paid_at), today));
    assert_eq!(
        item.late_by,
        DeadlineKind::HardwareNotShipped.late_by(business_day(paid_at), today)
    );
    assert!(item.late_by > 0);
    let file_item = &group(&groups, DeadlineKind::ReviewOverdue).oldest[0];
    assert_eq!(file_item.id, waiting);
    assert_eq!(file_item.organisation, "Organisation 7");

    let html = app.get_as(&agent, "/admin").await.text().await.unwrap();
    assert!(
        html.contains(&format!("href=\"/admin/orders/{hardware}\"")),
        "links to the order: {html}"
    );
    assert!(html.contains(&format!("href=\"/admin/organisations/{waiting}\"")));
    assert!(
        html.contains(&format!("{} jours ouvrables, {} de retard", item.age, item.late_by)),
        "the age in words"
    );
    assert!(!html.contains("late-empty"));

    // Staff only.
    assert_eq!(app.call_as(&holder, "staff_late_items", &[]).await.0, 403);
}

/// Another "instance": its own state over the same database.
fn instance(app: &TestApp) -> app::state::AppState {
    server::app_state(test_config(&app.test_db.url, &[]), app.db().clone())
}

/// 08:00 in Brussels on `day` (after the default digest hour, 7).
fn morning(day: NaiveDate) -> Timestamp {
    business_day_start(day) + chrono::Duration::hours(8)
}

async fn inquiry(db: &Db, at: Timestamp) {
    on_pool!(db, |pool| sqlx::query(
        "insert into registration_inquiry (inquiry_id, organisation_name, enterprise_number, address, reply_email, created_at) \
         values ($1, 'Question ASBL', '0123456749', 'Rue 1', 'q@example.org', $2)"
    )
    .bind(new_id())
    .bind(at)
    .execute(pool)
    .await.map(|d| d.rows_affected()))
    .unwrap();
}

const AGENT: &str = "agent@dons.example.org";
const ADMIN: &str = "staff@dons.example.org";

/// The demo with only its agent and admin as staff: the digest tests count their readers, and
/// the demo's Cisco desk (an agent scoped to Cisco) would be a third.
async fn demo_with_two_staff() -> TestApp {
    let app = spawn_app().await.with_demo().await;
    on_pool!(app.db(), |pool| sqlx::query(
        "update person set staff_role = null where username = 'cisco-desk'"
    )
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();
    app
}

#[tokio::test]
async fn the_digest_holds_the_chosen_sections_once_a_day_across_instances() {
    let app = demo_with_two_staff().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let db = app.db();
    nothing_late(db).await;

    // Every section until one chooses.
    let (status, settings) = app.call_as(&agent, "digest_settings", &[]).await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["enabled"], true);
    assert_eq!(settings["sections"].as_array().unwrap().len(), 9);
    assert_eq!(settings["hour"], 7);

    // The agent: questions and late reviews; the admin: no digest.
    let choice = [
        ("enabled", "true"),
        ("sections[0]", "review_overdue"),
        ("sections[1]", "new_inquiries"),
    ];
    let (status, body) = app.call_as(&agent, "save_digest_settings", &choice).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_as(&admin, "save_digest_settings", &[("enabled", "false")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.audit_count("person.digest_settings_changed").await, 2);
    let (_, settings) = app.call_as(&agent, "digest_settings", &[]).await;
    assert_eq!(
        settings["sections"],
        serde_json::json!(["new_inquiries", "review_overdue"])
    );

    let today = business_day(now()) + chrono::Days::new(1);
    let at = morning(today);
    inquiry(db, at - chrono::Duration::hours(3)).await;
    inquiry(db, at - chrono::Duration::hours(2)).await;
    // Something the agent did not choose: a new file.
    let late_file = file(db, 8, "pending", at - chrono::Duration::days(10)).await;

    // Before the hour, nothing; then two instances and a second run of each, at once.
    let early = business_day_start(today) + chrono::Duration::minutes(6 * 60 + 59);
    assert_eq!(run(&instance(&app), early).await.unwrap(), DigestRun::default());
    let (one, two) = (instance(&app), instance(&app));
    let results = futures::future::join_all([run(&one, at), run(&two, at), run(&one, at), run(&two, at)]).await;
    let sent: usize = results.iter().map(|r| r.as_ref().unwrap().sent).sum();
    assert_eq!(sent, 1, "the agent's digest, once: {results:?}");
    let empty: usize = results.iter().map(|r| r.as_ref().unwrap().empty).sum();
    assert_eq!(empty, 1, "the admin chose none: {results:?}");
    assert_eq!(
        run(&one, at + chrono::Duration::hours(3)).await.unwrap(),
        DigestRun::default()
    );

    let mails = app.mail_to(AGENT).await;
    let digests: Vec<_> = mails.iter().filter(|(s, _)| s.contains("Résumé quotidien")).collect();
    assert_eq!(digests.len(), 1, "{mails:?}");
    let (subject, body) = digests[0];
    assert!(subject.contains("3 à traiter"), "{subject}");
    assert!(body.contains("Bonjour Pieter Janssens"), "{body}");
    assert!(
        body.contains("Nouvelles questions « Mon organisation est-elle inscrite ? » : 2"),
        "{body}"
    );
    assert!(
        body.contains("Dossiers d'éligibilité non traités dans les 2 jours ouvrables : 1"),
        "{body}"
    );
    assert!(body.contains(&format!("/admin/organisations/{late_file}")), "{body}");
    assert!(!body.contains("Nouveaux dossiers"), "not chosen: {body}");
    assert!(!body.contains("Matériel"), "not chosen: {body}");
    assert!(body.contains("/admin/digest"), "{body}");
    assert!(
        app.mail_to(ADMIN)
            .await
            .iter()
            .all(|(s, _)| !s.contains("Résumé quotidien")),
        "no digest for the admin"
    );

    // The next day: again, with only what is new since the last digest.
    inquiry(db, at + chrono::Duration::hours(5)).await;
    let next = run(&instance(&app), at + chrono::Duration::days(1)).await.unwrap();
    assert_eq!((next.sent, next.empty), (1, 1));
    let mails = app.mail_to(AGENT).await;
    let digests: Vec<_> = mails.iter().filter(|(s, _)| s.contains("Résumé quotidien")).collect();
    assert_eq!(digests.len(), 2);
    assert!(
        digests[1]
            .1
            .contains("Nouvelles questions « Mon organisation est-elle inscrite ? » : 1"),
        "{}",
        digests[1].1
    );

    // In the reader's language.
    on_pool!(db, |pool| sqlx::query(
        "update person set language = 'nl' where email = $1"
    )
    .bind(AGENT)
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();
    run(&instance(&app), at + chrono::Duration::days(2)).await.unwrap();
    let mails = app.mail_to(AGENT).await;
    assert!(mails.last().unwrap().0.contains("Dagelijkse samenvatting"), "{mails:?}");
}

#[tokio::test]
async fn an_empty_digest_is_not_sent_and_a_bad_row_stops_no_one() {
    let app = demo_with_two_staff().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let db = app.db();
    nothing_late(db).await;
    let today = business_day(now()) + chrono::Days::new(1);
    let at = morning(today);

    // The agent chose only change requests, and there are none: nothing is sent.
    let (status, _) = app
        .call_as(
            &agent,
            "save_digest_settings",
            &[("enabled", "true"), ("sections[0]", "new_change_requests")],
        )
        .await;
    assert_eq!(status, 200);
    // A staff member whose address cannot be used, one whose stored choice is unreadable, and
    // one fine colleague after them (ids are time-ordered: the bad rows come first).
    let bad_address = person(db, "bad-address", "not an address", Some("agent")).await;
    let poisoned = person(db, "poisoned", "poisoned@dons.example.org", Some("agent")).await;
    on_pool!(db, |pool| sqlx::query(
        "insert into staff_digest_setting (person_id, enabled, sections, updated_at) values ($1, $2, 'bogus,<x>', $3)"
    )
    .bind(&poisoned)
    .bind(true)
    .bind(now())
    .execute(pool)
    .await
    .map(|d| d.rows_affected()))
    .unwrap();
    person(db, "colleague", "colleague@dons.example.org", Some("agent")).await;
    // Something new for those with every section.
    inquiry(db, at - chrono::Duration::hours(1)).await;

    let state = instance(&app);
    let done = run(&state, at).await.unwrap();
    assert_eq!(done.failed, 2, "{done:?}");
    assert_eq!(done.sent, 2, "the admin and the colleague: {done:?}");
    assert_eq!(done.empty, 1, "the agent: {done:?}");
    assert_eq!(app.mail_to("colleague@dons.example.org").await.len(), 1);
    assert_eq!(
        app.mail_to(ADMIN)
            .await
            .iter()
            .filter(|(s, _)| s.contains("Résumé"))
            .count(),
        1
    );
    assert!(app.mail_to(AGENT).await.iter().all(|(s, _)| !s.contains("Résumé")));
    assert!(app.mail_to("not an address").await.is_empty());
    assert!(app.mail_to("poisoned@dons.example.org").await.is_empty());
    // The bad rows are not retried every minute: their day is claimed.
    assert_eq!(
        run(&state, at + chrono::Duration::minutes(1)).await.unwrap(),
        DigestRun::default()
    );
    let _ = bad_address;

    // Organisation users never get one.
    assert!(
        app.mail_to("contact@amisduquartier.example.org")
            .await
            .iter()
            .all(|(s, _)| !s.contains("Résumé"))
    );
}

#[tokio::test]
async fn digest_settings_refuse_what_is_not_a_choice() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    for form in [
        vec![("enabled", "true")],
        vec![("enabled", "true"), ("sections[0]", "everything")],
        vec![("enabled", "true"), ("sections[0]", "<script>alert(1)</script>")],
    ] {
        let (status, body) = app.call_as(&agent, "save_digest_settings", &form).await;
        assert_eq!(status, 422, "{form:?}: {body}");
    }
    let long = "x".repeat(100_000);
    let (status, _) = app
        .call_as(
            &agent,
            "save_digest_settings",
            &[("enabled", "true"), ("sections[0]", long.as_str())],
        )
        .await;
    assert!(status == 422 || status == 413, "{status}");
    // No "enabled" at all, or too many sections: refused, never a 500.
    let (status, _) = app
        .call_as(&agent, "save_digest_settings", &[("sections[0]", "new_files")])
        .await;
    assert!((400..500).contains(&status), "{status}");
    let many: Vec<(String, &str)> = (0..50).map(|i| (format!("sections[{i}]"), "new_files")).collect();
    let many: Vec<(&str, &str)> = std::iter::once(("enabled", "true"))
        .chain(many.iter().map(|(k, v)| (k.as_str(), *v)))
        .collect();
    assert_eq!(app.call_as(&agent, "save_digest_settings", &many).await.0, 422);
    assert_eq!(app.audit_count("person.digest_settings_changed").await, 0);
    // The page renders for staff.
    let html = app.get_as(&agent, "/admin/digest").await.text().await.unwrap();
    assert!(html.contains("Résumé quotidien"));
}
