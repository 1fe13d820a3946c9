//! The migration import (`app::migration`): dry run, import, idempotent re-runs, hostile
//! files, the staff page's upload and "Importer", and the equivalence the issue asks for —
//! a history imported is judged by the partner rules exactly as the same history placed
//! through real orders.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use app::migration::model::{MigrationFiles, MigrationReport, Outcome, WEB_LIMITS};
use app::quota::model::CartInput;
use chrono::{Datelike, Days, NaiveDate};
use common::{DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;

/// The sample set of docs/migration-sample.
fn sample() -> MigrationFiles {
    MigrationFiles {
        organisations: include_str!("../../docs/migration-sample/organisations.csv").into(),
        people: include_str!("../../docs/migration-sample/people.csv").into(),
        qualifications: include_str!("../../docs/migration-sample/qualifications.csv").into(),
        documents: include_str!("../../docs/migration-sample/documents.csv").into(),
        orders: include_str!("../../docs/migration-sample/orders.csv").into(),
        order_lines: include_str!("../../docs/migration-sample/order_lines.csv").into(),
        counters: include_str!("../../docs/migration-sample/counters.csv").into(),
    }
}

fn state(app: &TestApp) -> app::state::AppState {
    server::app_state(common::test_config(&app.test_db.url, &[]), app.db().clone())
}

async fn migrate(app: &TestApp, files: &MigrationFiles, dry_run: bool) -> MigrationReport {
    let options = app::migration::run::Options {
        dry_run,
        actor: None,
        invite: true,
        limits: WEB_LIMITS,
    };
    app::migration::run::run(&state(app), files, options).await.unwrap()
}

async fn scalar(app: &TestApp, sql: &'static str) -> i64 {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await).unwrap()
}

fn problems(report: &MigrationReport) -> Vec<String> {
    report
        .rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Error | Outcome::Skipped))
        .map(|r| format!("{}:{} {:?} {:?}", r.file, r.line, r.outcome, r.errors))
        .collect()
}

fn data_rows(files: &MigrationFiles) -> u64 {
    app::migration::model::FILES
        .iter()
        .map(|f| files.get(f).lines().skip(1).filter(|l| !l.trim().is_empty()).count() as u64)
        .sum()
}

#[tokio::test]
async fn a_dry_run_writes_nothing_the_import_writes_all_and_a_rerun_changes_nothing() {
    let app = spawn_app().await.with_demo().await;
    let files = sample();
    let rows = data_rows(&files);
    let organisations = scalar(&app, "select count(*) from organisation").await;
    let orders = scalar(&app, "select count(*) from purchase_order").await;
    let invoices = scalar(&app, "select count(*) from invoice").await;
    let outbox = scalar(&app, "select count(*) from outgoing_email").await;
    let audit = scalar(&app, "select count(*) from audit_event").await;
    let counters_before = app::home::api::counters(app.db()).await.unwrap();

    let dry = migrate(&app, &files, true).await;
    assert!(dry.dry_run);
    assert!(dry.file_errors.is_empty(), "{:?}", dry.file_errors);
    assert!(problems(&dry).is_empty(), "{:?}", problems(&dry));
    assert_eq!(dry.rows.len() as u64, rows, "every row has its outcome");
    assert_eq!(dry.counts.create, rows);
    assert_eq!((dry.counts.organisations_created, dry.counts.orders_created), (3, 8));
    assert_eq!(scalar(&app, "select count(*) from organisation").await, organisations);
    assert_eq!(scalar(&app, "select count(*) from purchase_order").await, orders);
    assert_eq!(scalar(&app, "select count(*) from outgoing_email").await, outbox);
    assert_eq!(scalar(&app, "select count(*) from audit_event").await, audit);
    assert_eq!(scalar(&app, "select count(*) from migration_record").await, 0);
    assert_eq!(scalar(&app, "select count(*) from counter_offset").await, 0);

    let import = migrate(&app, &files, false).await;
    assert!(problems(&import).is_empty(), "{:?}", problems(&import));
    assert_eq!(import.counts, dry.counts, "the dry run said what the import does");
    assert_eq!(
        scalar(&app, "select count(*) from organisation").await,
        organisations + 3
    );
    assert_eq!(scalar(&app, "select count(*) from purchase_order").await, orders + 8);
    assert_eq!(
        scalar(
            &app,
            "select count(*) from purchase_order where imported_at is not null and checkout_id is null"
        )
        .await,
        8
    );
    assert_eq!(
        scalar(&app, "select count(*) from invoice").await,
        invoices,
        "no invoice number consumed"
    );
    assert_eq!(app.audit_count("migration.imported").await, 1);
    assert_eq!(app.audit_count("organisation.migrated").await, 3);
    // Four people, each invited to choose a password.
    assert_eq!(scalar(&app, "select count(*) from outgoing_email").await, outbox + 4);
    assert_eq!(app.mail_to("els.peeters@delinde.example.org").await.len(), 1);
    let mj = app.organisation_id("Maison des Jeunes du Parc ASBL").await;
    let holder: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select p.email from membership m join person p on p.person_id = m.person_id \
         where m.organisation_id = $1 and m.role = 'account_holder'"
    )
    .bind(&mj)
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(holder, "nadia.lambert@mjparc.example.org");
    let (reference, status, lines): (String, String, i64) = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select o.reference, o.status, cast((select count(*) from order_line l where l.order_id = o.order_id) as bigint) \
         from purchase_order o where o.reference = 'ANC-2025-00342'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(
        (reference.as_str(), status.as_str(), lines),
        ("ANC-2025-00342", "fulfilled", 3)
    );
    // Staff see it as imported, with its legacy reference and no invoice.
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let order_id: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select order_id from purchase_order where reference = 'ANC-2025-00342'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let (status, order) = app.call_as(&staff, "load_order", &[("order_id", &order_id)]).await;
    assert_eq!(status, 200, "{order}");
    assert_eq!(
        (order["imported"].clone(), order["invoice"].clone()),
        (Value::Bool(true), Value::Null)
    );
    let page = app.get_as(&staff, &format!("/admin/orders/{order_id}")).await;
    assert_eq!(page.status().as_u16(), 200);
    // The home counters carry the offsets and the imported fulfilled orders.
    let counters = app::home::api::counters(app.db()).await.unwrap();
    assert_eq!(counters.organisations, counters_before.organisations + 3 + 15_597);
    assert!(counters.products_distributed >= counters_before.products_distributed + 594_950 + 20);

    let again = migrate(&app, &files, false).await;
    assert!(problems(&again).is_empty(), "{:?}", problems(&again));
    assert_eq!(again.counts.unchanged, rows, "{:?}", again.counts);
    assert_eq!(
        scalar(&app, "select count(*) from organisation").await,
        organisations + 3
    );
    assert_eq!(scalar(&app, "select count(*) from purchase_order").await, orders + 8);
    assert_eq!(scalar(&app, "select count(*) from outgoing_email").await, outbox + 4);
    assert_eq!(app.audit_count("migration.imported").await, 2, "every run is audited");
    assert_eq!(app.audit_count("organisation.migrated").await, 3);

    // One changed line: its order is rewritten, the rest stays.
    let mut changed = files.clone();
    changed.order_lines = changed.order_lines.replace(
        "ANC-2024-00017;office-ltsc-standard-2024;20;",
        "ANC-2024-00017;office-ltsc-standard-2024;25;",
    );
    let updated = migrate(&app, &changed, false).await;
    let updated_rows: Vec<(String, u32)> = updated
        .rows
        .iter()
        .filter(|r| r.outcome == Outcome::Update)
        .map(|r| (r.file.clone(), r.line))
        .collect();
    assert_eq!(
        updated_rows,
        [
            ("orders".to_owned(), 2),
            ("order_lines".to_owned(), 2),
            ("order_lines".to_owned(), 3)
        ]
    );
    assert_eq!(updated.counts.orders_updated, 1);
    let quantity: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select cast(sum(l.quantity) as bigint) from order_line l join purchase_order o on o.order_id = l.order_id \
         where o.reference = 'ANC-2024-00017'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(quantity, 28);
}

#[tokio::test]
async fn hostile_files_give_row_errors_and_the_good_organisations_still_come_in() {
    let app = spawn_app().await.with_demo().await;
    let mut files = sample();
    // ANC-0001: an order of an unknown organisation is refused; one of its own lines names
    // an unknown product, another has a negative quantity, an order is dated in the future.
    files
        .orders
        .push_str("X-1;ANC-9999;fulfilled;2026-01-01;2026-01-02;\nANC-2099-1;ANC-0002;paid;2099-01-01;2099-01-02;\n");
    files.order_lines.push_str("X-1;office-ltsc-standard-2024;1;;;;\nANC-2024-00017;no-such-product;1;;;;\nANC-2024-00017;dell-p2419h;-2;;;;\nANC-2099-1;office-ltsc-standard-2024;1;;;;\n");
    // A person of an organisation the files do not have; a second holder-less organisation
    // in a file with a BOM and Windows line ends, an Amis enterprise number already registered.
    files.people.push_str("ANC-7777;Ghost;ghost@example.org;member;\n");
    files.organisations = format!(
        "\u{feff}{}ANC-0004;Les Amis bis;asbl;BE;0412.345.614;Rue 1;1000;Bruxelles;x@example.org;youth;eligible;none;;fr;\r\n",
        files.organisations.replace('\n', "\r\n")
    );
    files
        .people
        .push_str("ANC-0004;Xavier;xavier@example.org;account_holder;\n");
    // A qualification file with the wrong columns is refused whole.
    files.documents = "org;certificate\nANC-0001;2026-01-01\n".into();
    let report = migrate(&app, &files, false).await;
    assert_eq!(report.file_errors.len(), 1, "{:?}", report.file_errors);
    assert_eq!(report.file_errors[0].file, "documents");
    assert!(report.file_errors[0].code.starts_with("csv_missing_columns:"));
    let errors = |file: &str| -> Vec<String> {
        report
            .rows
            .iter()
            .filter(|r| r.file == file && r.outcome == Outcome::Error)
            .flat_map(|r| r.errors.clone())
            .collect()
    };
    let orders = errors("orders");
    assert!(
        orders.contains(&"organisation_legacy_id:unknown_organisation".to_owned()),
        "{orders:?}"
    );
    assert!(orders.contains(&"submitted_on:date_in_future".to_owned()), "{orders:?}");
    let lines = errors("order_lines");
    assert!(lines.contains(&"product:unknown_product".to_owned()), "{lines:?}");
    assert!(lines.contains(&"quantity:quantity_invalid".to_owned()), "{lines:?}");
    assert!(errors("people").contains(&"organisation_legacy_id:unknown_organisation".to_owned()));
    assert_eq!(errors("organisations"), ["enterprise_number:enterprise_number_taken"]);
    // ANC-0001 and ANC-0002 have bad rows: nothing of them; ANC-0003 comes in whole.
    let created: Vec<String> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select legacy_key from migration_record where kind = 'organisation' order by legacy_key"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(created, ["ANC-0003"]);
    assert_eq!(
        scalar(&app, "select count(*) from purchase_order where reference like 'ANC-%'").await,
        0,
        "no half organisation"
    );
    assert_eq!(
        scalar(&app, "select count(*) from person where email like '%mjparc%'").await,
        0
    );

    // Garbage: binary bytes, a lone header, a wrong delimiter — reported, never a failure.
    let garbage = MigrationFiles {
        organisations: app::migration::decode(&[0xFF, 0x00, 0xFE, 0x81, b';', b'\n', 0x00]),
        people: "organisation_legacy_id|full_name|email|role\nA|B|c@d.e|member\n".into(),
        orders: "legacy_reference;organisation_legacy_id;status;submitted_on\n".into(),
        ..MigrationFiles::default()
    };
    let report = migrate(&app, &garbage, true).await;
    assert!(
        report.file_errors.iter().any(|e| e.file == "organisations"),
        "{:?}",
        report.file_errors
    );
    assert!(
        report.file_errors.iter().any(|e| e.file == "people"),
        "{:?}",
        report.file_errors
    );
}

#[tokio::test]
async fn two_imports_at_once_write_each_organisation_once() {
    let app = spawn_app().await.with_demo().await;
    let files = sample();
    let (a, b) = tokio::join!(migrate(&app, &files, false), migrate(&app, &files, false));
    let organisations = scalar(
        &app,
        "select count(*) from organisation where enterprise_number in ('0412000075', '0413000066', 'F1234')",
    )
    .await;
    assert_eq!(organisations, 3);
    assert_eq!(
        scalar(
            &app,
            "select count(*) from purchase_order where imported_at is not null"
        )
        .await,
        8
    );
    assert_eq!(a.counts.organisations_created + b.counts.organisations_created, 3);
    // Whatever the second found, a third run finds everything unchanged.
    let third = migrate(&app, &files, false).await;
    assert!(problems(&third).is_empty(), "{:?}", problems(&third));
    assert_eq!(third.counts.unchanged, data_rows(&files));
}

/// A multipart body with one file field per (name, content).
fn multipart(files: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----migration-test-boundary";
    let mut body = Vec::new();
    for (name, content) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.csv\"\r\n\
                 Content-Type: text/csv\r\n\r\n{content}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &TestApp, caller: &common::Caller, body: (String, Vec<u8>)) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/admin/import/migration"))
        .header("content-type", body.0)
        .body(body.1);
    if let Some(cookie) = &caller.cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn staff_upload_the_files_read_the_dry_run_and_import_it_once() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let files = sample();
    let fields: Vec<(&str, &str)> = app::migration::model::FILES
        .iter()
        .map(|f| (*f, files.get(f)))
        .collect();
    assert_eq!(upload(&app, &holder, multipart(&fields)).await.status().as_u16(), 403);
    let response = upload(&app, &agent, multipart(&fields)).await;
    assert_eq!(response.status().as_u16(), 303);
    let run_id = location(&response)
        .strip_prefix("/admin/import/migration/")
        .unwrap()
        .to_owned();
    assert_eq!(
        scalar(&app, "select count(*) from migration_record").await,
        0,
        "a dry run"
    );
    let page = |page: &'static str, problems: &'static str| {
        let run_id = run_id.clone();
        let agent = agent.clone();
        let app = &app;
        async move {
            app.call_as(
                &agent,
                "load_migration_run",
                &[("run_id", &run_id), ("page", page), ("problems", problems)],
            )
            .await
        }
    };
    let (status, view) = page("0", "false").await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["dry_run"], true);
    assert_eq!(view["total"], data_rows(&files));
    let rows = data_rows(&files) as usize;
    assert_eq!(view["rows"].as_array().unwrap().len(), rows.min(50));
    assert_eq!(view["rows"][0]["file"], "organisations");
    assert_eq!(view["rows"][0]["outcome"], "create");
    let (_, second) = page("1", "false").await;
    assert_eq!(second["rows"].as_array().unwrap().len(), rows.saturating_sub(50));
    let (_, none) = page("0", "true").await;
    assert_eq!(none["total"], 0);
    assert_eq!(
        app.call_as(
            &holder,
            "load_migration_run",
            &[("run_id", &run_id), ("page", "0"), ("problems", "false")]
        )
        .await
        .0,
        403
    );
    // The dry run's report is the server's HTML; "Importer" is its one island, which names
    // the run in its props.
    let report = app.get_as(&agent, &format!("/admin/import/migration/{run_id}")).await;
    assert_eq!(report.status().as_u16(), 200);
    let report = report.text().await.unwrap();
    let (props, _) = common::only_island(&report, "ImportRun");
    assert!(props.contains(&run_id), "{props}");
    assert!(report.contains(&format!("/admin/import/migration/{run_id}?problems=1")));

    let (status, import_id) = app
        .call_as(&agent, "import_migration_run", &[("run_id", &run_id)])
        .await;
    assert_eq!(status, 200, "{import_id}");
    let import_id = import_id.as_str().unwrap().to_owned();
    assert_ne!(import_id, run_id);
    let (status, again) = app
        .call_as(&agent, "import_migration_run", &[("run_id", &run_id)])
        .await;
    assert_eq!(
        (status, again.as_str().unwrap()),
        (200, import_id.as_str()),
        "pressed twice: one import"
    );
    assert_eq!(app.audit_count("migration.imported").await, 1);
    assert_eq!(
        scalar(
            &app,
            "select count(*) from purchase_order where imported_at is not null"
        )
        .await,
        8
    );
    let (_, view) = app
        .call_as(
            &agent,
            "load_migration_run",
            &[("run_id", &import_id), ("page", "0"), ("problems", "false")],
        )
        .await;
    assert_eq!(view["dry_run"], false);
    assert_eq!(view["counts"]["organisations_created"], 3);
    let (_, dry) = page("0", "false").await;
    assert_eq!(dry["imported_as"], import_id.as_str());
    // An import run is not imported again.
    assert_eq!(
        app.call_as(&agent, "import_migration_run", &[("run_id", &import_id)])
            .await
            .0,
        422
    );
    // The report's page renders for staff; an imported dry run offers no "Importer".
    let html = app.get_as(&agent, &format!("/admin/import/migration/{run_id}")).await;
    assert_eq!(html.status().as_u16(), 200);
    let html = html.text().await.unwrap();
    assert!(
        html.contains(&format!("/admin/import/migration/{import_id}")),
        "the import's link"
    );
    assert!(!common::island_names(&html).contains(&"ImportRun"), "{html}");
    let import_page = app.get_as(&agent, "/admin/import").await.text().await.unwrap();
    assert!(import_page.contains("action=\"/admin/import/migration\""));

    // Nothing uploaded, or a file over 8 MiB: back to the form with the reason.
    let response = upload(&app, &agent, multipart(&[("organisations", "")])).await;
    assert_eq!(location(&response), "/admin/import?migration=file_missing#migration");
    let big = "x".repeat(app::migration::api::MAX_FILE_BYTES + 1);
    let response = upload(&app, &agent, multipart(&[("orders", &big)])).await;
    assert_eq!(location(&response), "/admin/import?migration=file_too_large#migration");
}

// ---------------------------------------------------------------------------------------
// Equivalence: the same history through checkout and through the migration import.

/// Brussels' today: the UTC day, or the next one once Brussels' next day has begun.
fn today() -> NaiveDate {
    let now = app::db::now();
    let next = now.date_naive() + Days::new(1);
    if now >= app::migration::db::day_start(next) {
        next
    } else {
        now.date_naive()
    }
}

fn fiscal_year_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 7 { day.year() } else { day.year() - 1 };
    NaiveDate::from_ymd_opt(year, 7, 1).unwrap()
}

/// A past order: its lines (slug, quantity, named user, AWS account), status and days.
struct Past {
    lines: Vec<(&'static str, u32, &'static str, &'static str)>,
    status: &'static str,
    submitted: NaiveDate,
    validated: Option<NaiveDate>,
}

fn history() -> Vec<Past> {
    let today = today();
    let ago = |days: u64| today - Days::new(days);
    let fy = fiscal_year_start(today);
    let this_fy = |days: u64| (fy + Days::new(days)).min(today);
    let last_fy = |days: u64| fy - Days::new(days);
    let done = |lines, validated: NaiveDate| Past {
        lines,
        status: "fulfilled",
        submitted: validated - Days::new(2),
        validated: Some(validated),
    };
    let aws = "123456789012";
    vec![
        // The first Microsoft cycle (long over), then the running one from 100 days ago.
        done(
            vec![
                ("office-ltsc-standard-2024", 30, "", ""),
                ("windows-server-2025-standard-2-core", 16, "", ""),
            ],
            ago(900),
        ),
        done(vec![("aws-credit-grant-2000-usd", 1, "", aws)], ago(400)),
        done(vec![("cisco-catalyst-1000-24p-4g-l", 1, "", "")], last_fy(30)),
        done(vec![("adobe-acrobat-pro-2024", 1, "", "")], last_fy(20)),
        done(vec![("zoom-workplace-pro-1-year-50", 5, "", "")], ago(200)),
        done(
            vec![
                ("office-ltsc-standard-2024", 20, "", ""),
                ("windows-server-2025-standard-2-core", 10, "", ""),
            ],
            ago(100),
        ),
        done(
            vec![
                ("adobe-photoshop-elements-2025", 1, "", ""),
                ("adobe-premiere-elements-2025", 1, "", ""),
            ],
            this_fy(2),
        ),
        Past {
            status: "paid",
            ..done(vec![("autodesk-autocad-2026", 1, "", "")], this_fy(3))
        },
        Past {
            status: "transmitted",
            ..done(
                vec![
                    ("cisco-catalyst-9115axi-e", 2, "", ""),
                    ("cisco-secure-firewall-1010", 1, "", ""),
                ],
                this_fy(5),
            )
        },
        done(
            vec![(
                "adobe-creative-cloud-all-apps-discount",
                1,
                "anne@equivalence.example.org",
                "",
            )],
            ago(60),
        ),
        done(
            vec![
                ("windows-server-2025-user-cal", 4, "", ""),
                ("visio-ltsc-professional-2024", 3, "", ""),
            ],
            ago(50),
        ),
        done(vec![("dell-latitude-5420", 3, "", "")], ago(40)),
        Past {
            status: "paid",
            ..done(vec![("zoom-workplace-business-1-year-50", 3, "", "")], ago(30))
        },
        Past {
            status: "paid",
            ..done(vec![("aws-credit-grant-2000-usd-renewal", 1, "", aws)], ago(30))
        },
        done(
            vec![("office-ltsc-professional-plus-2024-discount", 5, "", "")],
            ago(20),
        ),
        Past {
            lines: vec![("office-ltsc-standard-2024", 5, "", "")],
            status: "submitted",
            submitted: ago(3),
            validated: None,
        },
        Past {
            lines: vec![("visio-ltsc-professional-2024", 10, "", "")],
            status: "cancelled",
            submitted: ago(10),
            validated: None,
        },
    ]
}

/// The organisation's files (no orders): qualified for every partner, a discount
/// certificate, an Autodesk direct purchase with its waiver.
fn organisation_files(legacy_id: &str, number: &str, email: &str) -> MigrationFiles {
    let today = today();
    MigrationFiles {
        organisations: format!(
            "legacy_id;legal_name;legal_form;country;enterprise_number;street;postal_code;city;contact_email;mission_category;eligibility_status\n\
             {legacy_id};Equivalence {legacy_id} ASBL;asbl;BE;{number};Rue 1;1000;Bruxelles;{email};youth;eligible\n"
        ),
        people: format!(
            "organisation_legacy_id;full_name;email;role\n{legacy_id};Holder {legacy_id};{email};account_holder\n"
        ),
        qualifications: format!(
            "organisation_legacy_id;partner;status\n{}",
            ["microsoft", "adobe", "autodesk", "cisco", "zoom", "aws", "hardware"]
                .map(|p| format!("{legacy_id};{p};qualified\n"))
                .concat()
        ),
        documents: format!(
            "organisation_legacy_id;discount_certificate_issued;autodesk_direct_purchase;autodesk_waiver_on\n{legacy_id};{};{};{}\n",
            today - Days::new(30),
            today - Days::new(700),
            today - Days::new(650)
        ),
        ..MigrationFiles::default()
    }
}

/// The history as orders.csv and order_lines.csv.
fn history_files(legacy_id: &str, files: &mut MigrationFiles) {
    files.orders = "legacy_reference;organisation_legacy_id;status;submitted_on;validated_on\n".into();
    files.order_lines = "legacy_reference;product;quantity;named_user;aws_account_id\n".into();
    for (i, past) in history().iter().enumerate() {
        let reference = format!("{legacy_id}-{i:03}");
        files.orders.push_str(&format!(
            "{reference};{legacy_id};{};{};{}\n",
            past.status,
            past.submitted,
            past.validated.map(|d| d.to_string()).unwrap_or_default()
        ));
        for (slug, quantity, named_user, aws) in &past.lines {
            files
                .order_lines
                .push_str(&format!("{reference};{slug};{quantity};{named_user};{aws}\n"));
        }
    }
}

/// Noon in Brussels on `day`: real orders are placed at some hour of the day.
fn noon(day: NaiveDate) -> app::db::Timestamp {
    app::migration::db::day_start(day) + chrono::Duration::hours(12)
}

/// Places the history through "Continuer" as the holder, then moves each order's status and
/// days as staff (and the passing of time) would have.
async fn place_history(app: &TestApp, holder: &common::Caller) {
    for (i, past) in history().iter().enumerate() {
        let mut form: Vec<(String, String)> = vec![("idempotency_key".into(), format!("equivalence-key-{i:06}"))];
        for (n, (slug, quantity, named_user, aws)) in past.lines.iter().enumerate() {
            form.push((format!("lines[{n}][slug]"), (*slug).into()));
            form.push((format!("lines[{n}][quantity]"), quantity.to_string()));
            form.push((format!("lines[{n}][named_user]"), (*named_user).into()));
            form.push((format!("lines[{n}][aws_account_id]"), (*aws).into()));
            form.push((
                format!("lines[{n}][aws_account_name]"),
                if aws.is_empty() { "" } else { "Equivalence" }.into(),
            ));
        }
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (status, answer) = app.call_as(holder, "checkout", &refs).await;
        assert_eq!(status, 200, "order {i}: {answer}");
        let checkout_id = answer["Placed"]["checkout_id"]
            .as_str()
            .unwrap_or_else(|| panic!("order {i} not placed: {answer}"))
            .to_owned();
        let moved = app::on_pool!(app.db(), |pool| sqlx::query(
            "update purchase_order set status = $2, submitted_at = $3, validated_at = $4, \
             fulfilled_at = case when $2 = 'fulfilled' then $4 else null end where checkout_id = $1"
        )
        .bind(&checkout_id)
        .bind(past.status)
        .bind(noon(past.submitted))
        .bind(past.validated.map(noon))
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .unwrap();
        assert_eq!(moved, 1, "order {i} is one order");
    }
}

fn cart(lines: &[(&str, u32, &str)]) -> Vec<CartInput> {
    lines
        .iter()
        .map(|(slug, quantity, named_user)| CartInput {
            slug: (*slug).into(),
            quantity: *quantity,
            named_user: (*named_user).into(),
            aws_account_id: if slug.starts_with("aws") {
                "123456789012".into()
            } else {
                String::new()
            },
            aws_account_name: if slug.starts_with("aws") {
                "Equivalence".into()
            } else {
                String::new()
            },
            zoom_addons: Vec::new(),
        })
        .collect()
}

/// The candidate carts, at the limits of every partner's rules.
fn candidates() -> Vec<Vec<CartInput>> {
    [
        vec![("office-ltsc-standard-2024", 25, "")],
        vec![("office-ltsc-standard-2024", 26, "")],
        vec![("office-ltsc-standard-2024", 45, "")],
        vec![("windows-server-2025-standard-2-core", 40, "")],
        vec![("windows-server-2025-standard-2-core", 41, "")],
        vec![("windows-server-2025-user-cal", 1, "")],
        vec![("windows-server-2025-user-cal", 2, "")],
        vec![("sql-server-2022-standard-server", 1, "")],
        vec![
            ("visio-ltsc-professional-2024", 47, ""),
            ("project-professional-2024", 1, ""),
        ],
        vec![("office-ltsc-professional-plus-2024-discount", 5, "")],
        vec![("office-ltsc-professional-plus-2024-discount", 4, "")],
        vec![
            ("adobe-acrobat-pro-2024", 1, ""),
            ("adobe-photoshop-premiere-elements-2025", 1, ""),
        ],
        vec![
            ("adobe-acrobat-pro-2024", 1, ""),
            ("adobe-photoshop-premiere-elements-2025", 1, ""),
            ("adobe-photoshop-elements-2025", 1, ""),
        ],
        vec![(
            "adobe-creative-cloud-all-apps-discount",
            1,
            "anne@equivalence.example.org",
        )],
        vec![(
            "adobe-creative-cloud-all-apps-discount",
            1,
            "new@equivalence.example.org",
        )],
        vec![("autodesk-revit-2026", 1, "")],
        vec![("autodesk-revit-2026", 1, ""), ("autodesk-3ds-max-2026", 1, "")],
        vec![("cisco-catalyst-1000-24p-4g-l", 1, "")],
        vec![("zoom-workplace-pro-1-year-50", 4, "")],
        vec![("zoom-workplace-pro-1-year-50", 5, "")],
        vec![("zoom-workplace-business-1-year-50", 91, "")],
        vec![("zoom-workplace-business-1-year-50", 92, "")],
        vec![("aws-credit-grant-2000-usd", 1, "")],
        vec![("aws-credit-grant-2000-usd-renewal", 1, "")],
        vec![("dell-latitude-5420", 10, ""), ("hp-elitebook-840-g8", 2, "")],
    ]
    .iter()
    .map(|lines| cart(lines))
    .collect()
}

/// The engine's verdicts (with the allowance summaries) on every candidate cart, on `day`.
async fn verdicts(app: &TestApp, organisation_id: &str, day: NaiveDate) -> Vec<Value> {
    let inputs = app::quota::db::engine_inputs(app.db(), organisation_id, day)
        .await
        .unwrap()
        .unwrap();
    candidates()
        .iter()
        .map(|cart| serde_json::to_value(app::quota::rules::judge(&inputs, cart).unwrap()).unwrap())
        .collect()
}

#[tokio::test]
async fn an_imported_history_is_judged_like_the_same_history_placed_through_checkout() {
    let today = today();
    // App A: the organisation (imported without orders), then its history through checkout.
    let placed = spawn_app().await.with_demo().await;
    let report = migrate(
        &placed,
        &organisation_files("EQ-1", "0412000075", "holder@equivalence.example.org"),
        false,
    )
    .await;
    assert!(problems(&report).is_empty(), "{:?}", problems(&report));
    app::on_pool!(placed.db(), |pool| sqlx::query(
        "update person set password_hash = (select password_hash from person where username = 'amis') \
         where email = 'holder@equivalence.example.org'"
    )
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let username: String = app::on_pool!(placed.db(), |pool| sqlx::query_scalar(
        "select username from person where email = 'holder@equivalence.example.org'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let holder = placed.login(&username, DEMO_PASSWORD).await;
    place_history(&placed, &holder).await;
    let invoices = scalar(&placed, "select count(*) from invoice").await;

    // App B: the same organisation and history through the migration import, and a control
    // organisation without the history.
    let imported = spawn_app().await.with_demo().await;
    let mut files = organisation_files("EQ-1", "0412000075", "holder@equivalence.example.org");
    history_files("EQ-1", &mut files);
    let report = migrate(&imported, &files, false).await;
    assert!(problems(&report).is_empty(), "{:?}", problems(&report));
    assert_eq!(report.counts.orders_created, history().len() as u64);
    let control = migrate(
        &imported,
        &organisation_files("EQ-2", "0413000066", "control@equivalence.example.org"),
        false,
    )
    .await;
    assert!(problems(&control).is_empty());
    assert_eq!(
        scalar(&imported, "select count(*) from invoice").await,
        invoices - history().len() as i64
    );

    let a = placed.organisation_id("Equivalence EQ-1 ASBL").await;
    let b = imported.organisation_id("Equivalence EQ-1 ASBL").await;
    let c = imported.organisation_id("Equivalence EQ-2 ASBL").await;
    let fy_end = fiscal_year_start(today) + chrono::Months::new(12);
    let days = [
        today,
        today + Days::new(30),
        today + Days::new(170),
        fy_end,
        today + Days::new(400),
        today + Days::new(640),
    ];
    let mut differs_from_control = 0;
    for day in days {
        let (va, vb, vc) = (
            verdicts(&placed, &a, day).await,
            verdicts(&imported, &b, day).await,
            verdicts(&imported, &c, day).await,
        );
        for (i, (x, y)) in va.iter().zip(&vb).enumerate() {
            assert_eq!(x, y, "cart {i} on {day}: placed vs imported");
        }
        differs_from_control += va.iter().zip(&vc).filter(|(x, y)| x != y).count();
        if day == today {
            // The history bites: the office family is at 25 of 50 in the running cycle, the
            // non-core servers at 4 of 5, Adobe at 2 of 4, Cisco's yearly order is used…
            let accepted = |v: &Value| v["lines"].as_array().unwrap().iter().all(|l| l == "Accepted");
            let expected = [
                true, false, false, true, false, true, false, true, true, true, false, true, false, false, true, true,
                false, false, true, false, true, false, false, false, true,
            ];
            let got: Vec<bool> = va.iter().map(accepted).collect();
            assert_eq!(got, expected, "{va:#?}");
        }
    }
    assert!(
        differs_from_control > 10,
        "the history changes the verdicts ({differs_from_control})"
    );
}

/// `server import-migration DIR`: the same import from files on disk, with its report as CSV.
#[tokio::test]
async fn the_command_line_imports_a_directory_and_writes_its_report() {
    let app = spawn_app().await.with_demo().await;
    let dir = std::env::temp_dir().join(format!("migration-cli-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = sample();
    for name in app::migration::model::FILES {
        // Windows-1252 on disk, as a spreadsheet saves it: "Liège" comes back intact.
        let bytes: Vec<u8> = files
            .get(name)
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect();
        std::fs::write(dir.join(format!("{name}.csv")), bytes).unwrap();
    }
    let config = || common::test_config(&app.test_db.url, &[]);
    let report = dir.join("report.csv");
    let (summary, clean) = server::import_migration(config(), &dir, true, false, Some(&report))
        .await
        .unwrap();
    assert!(clean, "{summary}");
    assert!(summary.starts_with("dry run: read files"), "{summary}");
    assert!(
        summary.contains(&format!("rows: {} create", data_rows(&files))),
        "{summary}"
    );
    let written = std::fs::read_to_string(&report).unwrap();
    assert_eq!(written.lines().count() as u64, data_rows(&files) + 1);
    assert!(written.starts_with("file,line,key,outcome,errors\norganisations,2,ANC-0001,create,"));
    assert_eq!(scalar(&app, "select count(*) from migration_record").await, 0);

    let outbox = scalar(&app, "select count(*) from outgoing_email").await;
    let (summary, clean) = server::import_migration(config(), &dir, false, false, None)
        .await
        .unwrap();
    assert!(clean, "{summary}");
    assert!(summary.contains("organisations: 3 created"), "{summary}");
    assert_eq!(
        scalar(&app, "select count(*) from outgoing_email").await,
        outbox,
        "--no-invitations"
    );
    let city: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select city from organisation where enterprise_number = '0412000075'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(city, "Liège");
    // A person already known by e-mail in another organisation is attached, not duplicated;
    // a new one whose username is taken gets the next free one.
    let more = MigrationFiles {
        organisations: files.organisations.lines().next().unwrap().to_owned()
            + "\nANC-0005;Autre ASBL;asbl;BE;0203.201.340;Rue 5;1000;Bruxelles;autre@example.org;youth;eligible;none;;fr;\n",
        people: "organisation_legacy_id;full_name;email;role\nANC-0005;Nadia Lambert;nadia.lambert@mjparc.example.org;account_holder\nANC-0005;Nadia L.;nadia.lambert@autre.example.org;member\n".into(),
        ..MigrationFiles::default()
    };
    let report = migrate(&app, &more, false).await;
    assert!(problems(&report).is_empty(), "{:?}", problems(&report));
    let people: Vec<(String, String)> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select username, email from person where email like 'nadia.lambert@%' order by email"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(people.len(), 2, "{people:?}");
    assert_ne!(people[0].0, people[1].0);
    std::fs::remove_dir_all(&dir).unwrap();
}
