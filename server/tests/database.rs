//! Database tests: migrations, the demo data and the portable queries, on the backend
//! `TEST_DATABASE_URL` selects.

use crate::common;

use app::db::{Backend, now};
use app::on_pool;
use app::testing::TestDb;

#[tokio::test]
async fn migrations_are_idempotent() {
    let test_db = TestDb::new().await;
    // A second instance starting against the same database must not fail.
    app::setup::prepare_database(&test_db.db)
        .await
        .expect("second migration run and seeding");
    let backend = test_db.db.backend();
    let expected = if std::env::var("TEST_DATABASE_URL")
        .unwrap_or_default()
        .starts_with("postgres")
    {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    assert_eq!(backend, expected);
}

#[tokio::test]
async fn demo_data_loads_once_into_an_empty_database() {
    let test_db = TestDb::new().await;
    let db = &test_db.db;
    let logins = app::demo::load_if_empty(db, now())
        .await
        .expect("load demo data")
        .expect("logins");
    assert!(
        logins
            .iter()
            .any(|l| l.username == "staff" && l.description.contains("admin"))
    );
    assert!(logins.iter().any(|l| l.description.contains("account_holder")));

    let count = |sql: &'static str| async move {
        on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await).expect(sql)
    };
    assert_eq!(count("select count(*) from partner").await, 8);
    let products = count("select count(*) from product").await;
    assert!(products >= 40, "{products} products");
    for kind in [
        "software_licence",
        "subscription",
        "cloud_credit",
        "hardware",
        "validation_only",
    ] {
        let n = on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(
            "select count(*) from product where kind = $1"
        )
        .bind(kind)
        .fetch_one(pool)
        .await)
        .unwrap();
        assert!(n > 0, "no product of kind {kind}");
    }
    for licence in ["desktop", "core_server", "non_core_server"] {
        let n = on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(
            "select count(*) from product where partner_id = 'microsoft' and licence_type = $1"
        )
        .bind(licence)
        .fetch_one(pool)
        .await)
        .unwrap();
        assert!(n > 0, "no Microsoft {licence} licence");
    }
    assert_eq!(
        count("select count(*) from person where staff_role is not null").await,
        3,
        "an agent, an admin and the Cisco desk (an agent scoped to Cisco)"
    );
    let states = count("select count(distinct eligibility_status) from organisation").await;
    assert!(states >= 3, "organisations in only {states} states");
    let hash: String = on_pool!(db, |pool| sqlx::query_scalar(
        "select password_hash from person limit 1"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    // Starting again with DEMO_DATA set must not duplicate anything.
    app::demo::load_if_empty(db, now()).await.expect("second load");
    assert_eq!(count("select count(*) from product").await, products);

    let totals = app::order::db::fulfilled_totals(db).await.unwrap();
    assert_eq!(totals.products, 22);
    assert_eq!(totals.saved_cents, 766_000);

    // A line cancelled before its order went out was never given: it leaves the counters.
    let cancelled = on_pool!(db, |pool| sqlx::query(
        "update order_line set cancelled_at = $1 where product_id = \
         (select product_id from product where slug = 'lenovo-thinkpad-t14-gen-2')"
    )
    .bind(now())
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_eq!(cancelled, 1);
    let after = app::order::db::fulfilled_totals(db).await.unwrap();
    assert_eq!(after.products, 20, "the demo's two ThinkPads are gone");
    assert!(after.saved_cents < totals.saved_cents);
}

#[tokio::test]
async fn one_account_holder_per_organisation_and_unique_enterprise_numbers() {
    use app::org::db::{NewPerson, insert_membership, insert_person};
    use app::org::model::MemberRole;
    let test_db = TestDb::new().await;
    let db = &test_db.db;
    let org = common::OrgBuilder::new(7).insert(db).await;
    // The same enterprise number again is a unique violation, classified the same on both backends.
    let mut tx = db.begin().await.unwrap();
    let number = app::org::rules::EnterpriseNumber::parse(app::org::model::Country::BE, "0123.456.749").unwrap();
    let new_org = app::org::db::NewOrganisation {
        legal_name: "A",
        legal_form: app::org::model::LegalForm::Asbl,
        enterprise_number: &number,
        street: "s",
        postal_code: "1000",
        city: "c",
        contact_email: "a@example.org",
        mission_category: "m",
        eligibility_status: app::org::model::EligibilityStatus::Pending,
        submitted_at: None,
        language: "fr",
        vat_status: app::order::invoice::VatStatus::None,
        vat_number: None,
    };
    app::org::db::insert_organisation(&mut tx, &new_org, now())
        .await
        .unwrap();
    let err = app::org::db::insert_organisation(&mut tx, &new_org, now())
        .await
        .unwrap_err();
    assert_eq!(
        err.as_database_error().map(|e| e.kind()),
        Some(sqlx::error::ErrorKind::UniqueViolation)
    );
    drop(tx);

    let mut tx = db.begin().await.unwrap();
    let mut people = Vec::new();
    for name in ["a", "b"] {
        let person = NewPerson {
            username: name,
            email: &format!("{name}@example.org"),
            full_name: name,
            password_hash: "x",
            staff_role: None,
        };
        people.push(insert_person(&mut tx, &person, now()).await.unwrap());
    }
    insert_membership(&mut tx, &org, &people[0], MemberRole::AccountHolder, now())
        .await
        .unwrap();
    let err = insert_membership(&mut tx, &org, &people[1], MemberRole::AccountHolder, now())
        .await
        .unwrap_err();
    assert_eq!(
        err.as_database_error().map(|e| e.kind()),
        Some(sqlx::error::ErrorKind::UniqueViolation)
    );
}

/// Issue 21: instances started together on an empty database with demo data exited on a
/// duplicate key (1–2 of 3). Each "instance" here has its own pool; every load succeeds and
/// the data is there once.
#[tokio::test]
async fn instances_loading_the_demo_data_together_all_succeed_once() {
    let test_db = TestDb::new().await;
    let mut instances = Vec::new();
    for _ in 0..4 {
        instances.push(
            app::db::Db::connect(&test_db.url, 4)
                .await
                .expect("another instance's pool"),
        );
    }
    let loads = futures::future::join_all(instances.iter().map(|db| app::demo::load_if_empty(db, now()))).await;
    for load in loads {
        let logins = load.expect("no instance fails").expect("each one prints the logins");
        assert!(logins.iter().any(|l| l.username == "staff"));
    }
    let db = &test_db.db;
    let partners = on_pool!(db, |pool| sqlx::query_scalar::<_, i64>("select count(*) from partner")
        .fetch_one(pool)
        .await)
    .unwrap();
    let staff = on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from person where staff_role is not null"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(
        (partners, staff),
        (8, 3),
        "eight partners; an agent, an admin and the Cisco desk"
    );
    for instance in instances {
        instance.close().await;
    }
}
