//! "Vérifier la qualification" over HTTP: the server loads the rules in force, the
//! organisation's standing and history from the database and judges the cart.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{Caller, DEMO_PASSWORD, spawn_app};
use serde_json::Value;

/// The demo's Amis du Quartier used 10 Office desktop licences and 5 Windows Server CALs
/// (non-core) in the Microsoft cycle that started on 4 March 2026.
fn office(quantity: &str) -> [(&'static str, String); 2] {
    [
        ("lines[0][slug]", "office-ltsc-standard-2024".into()),
        ("lines[0][quantity]", quantity.into()),
    ]
}

fn refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn rule(verdict: &Value, line: usize) -> Value {
    verdict["lines"][line]["Refused"]["rule"].clone()
}

#[tokio::test]
async fn the_verdict_uses_the_history_the_rules_in_force_and_the_qualifications() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;

    assert_eq!(
        app.call_as(&Caller::default(), "verify_qualification", &refs(&office("1")))
            .await
            .0,
        401
    );
    assert_eq!(
        app.call_as(&staff, "verify_qualification", &refs(&office("1"))).await.0,
        403
    );

    // The meter's inputs: members only, and only their own organisation's history.
    assert_eq!(app.call_as(&Caller::default(), "engine_inputs", &[]).await.0, 401);
    assert_eq!(app.call_as(&staff, "engine_inputs", &[]).await.0, 403);
    let (status, inputs) = app.call_as(&holder, "engine_inputs", &[]).await;
    assert_eq!(status, 200, "{inputs}");
    let amis = app.organisation_id("Les Amis du Quartier ASBL").await;
    let own: Vec<String> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select order_id from purchase_order where organisation_id = $1"
    )
    .bind(&amis)
    .fetch_all(pool)
    .await)
    .unwrap();
    let history = inputs["history"].as_array().unwrap();
    assert_eq!(
        history.len(),
        3,
        "Office and CAL in the running cycle, Acrobat waiting for payment: {history:?}"
    );
    assert!(
        history
            .iter()
            .all(|l| own.contains(&l["order_id"].as_str().unwrap().to_owned()))
    );
    assert!(inputs["products"].as_array().unwrap().len() > 40);

    let (status, verdict) = app.call_as(&holder, "verify_qualification", &refs(&office("40"))).await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["lines"][0], "Accepted", "10 used + 40 = 50");
    let microsoft = verdict["allowances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["partner_id"] == "microsoft")
        .unwrap();
    assert_eq!(microsoft["window_start"], "2026-03-04");
    assert_eq!(microsoft["window_end"], "2028-03-04");
    let counter = |name: &str| {
        microsoft["counters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(counter("family:desktop:Office")["used"], 10);
    assert_eq!(counter("non_core")["used"], 5);

    let (_, verdict) = app.call_as(&holder, "verify_qualification", &refs(&office("41"))).await;
    assert_eq!(rule(&verdict, 0), "microsoft_per_family");
    assert_eq!(verdict["lines"][0]["Refused"]["allowed_from"], "2028-03-04");

    // The demo's Amis du Quartier is not qualified for Autodesk; unknown products are refused.
    let mixed = [
        ("lines[0][slug]", "autodesk-autocad-2026".to_owned()),
        ("lines[0][quantity]", "1".to_owned()),
    ];
    let (status, verdict) = app.call_as(&holder, "verify_qualification", &refs(&mixed)).await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(rule(&verdict, 0), "not_qualified");
    let unknown = [
        ("lines[0][slug]", "no-such-product".to_owned()),
        ("lines[0][quantity]", "1".to_owned()),
    ];
    let (status, body) = app.call_as(&holder, "verify_qualification", &refs(&unknown)).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["lines[0]"][0], "unknown_product");
}

#[tokio::test]
async fn a_new_rule_version_applies_from_its_date_and_only_admins_add_one() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let today = chrono::Utc::now().with_timezone(&app::calendar::BELGIUM).date_naive();
    let version = |from: chrono::NaiveDate| {
        vec![
            ("partner_id", "microsoft".to_owned()),
            ("country", "BE".to_owned()),
            ("effective_from", from.to_string()),
            ("params_json", r#"{"microsoft_max_per_family": 11}"#.to_owned()),
        ]
    };
    let tomorrow = version(today + chrono::Days::new(1));
    assert_eq!(app.call_as(&holder, "add_rule_version", &refs(&tomorrow)).await.0, 403);
    assert_eq!(
        app.call_as(&agent, "add_rule_version", &refs(&tomorrow)).await.0,
        403,
        "admins only"
    );
    assert_eq!(app.call_as(&admin, "add_rule_version", &refs(&tomorrow)).await.0, 200);
    assert_eq!(
        app.call_as(&admin, "add_rule_version", &refs(&tomorrow)).await.0,
        409,
        "one version per day"
    );
    let (_, verdict) = app.call_as(&holder, "verify_qualification", &refs(&office("2"))).await;
    assert_eq!(
        verdict["lines"][0], "Accepted",
        "tomorrow's limit of 11 is not in force yet"
    );

    let (status, _) = app.call_as(&admin, "add_rule_version", &refs(&version(today))).await;
    assert_eq!(status, 200);
    let (_, verdict) = app.call_as(&holder, "verify_qualification", &refs(&office("2"))).await;
    assert_eq!(rule(&verdict, 0), "microsoft_per_family", "10 used + 2 > 11: {verdict}");

    let mut bad = version(today + chrono::Days::new(2));
    bad[3].1 = r#"{"adobe_max_per_year": 1}"#.to_owned();
    let (status, body) = app.call_as(&admin, "add_rule_version", &refs(&bad)).await;
    assert_eq!(status, 422, "another partner's key: {body}");
    assert_eq!(app.audit_count("partner.rules_versioned").await, 2);
}

const CREATIVE_CLOUD: &str = "adobe-creative-cloud-all-apps-discount";

/// The history query loads only the lines the engine can count on the day: the running
/// Microsoft cycle (chained from the validation dates), the US fiscal year for Adobe, Autodesk
/// and Cisco, and every order not yet validated; never cancelled orders or other partners.
#[tokio::test]
async fn the_history_holds_exactly_the_lines_that_can_count() {
    use app::order::db::{NewOrder, insert_order, insert_order_line};
    use app::order::model::{OrderCategory, OrderStatus};
    use app::quota::model::RuleSet;

    let app = spawn_app().await.with_demo().await;
    let organisation_id = app.organisation_id("Jeugdhuis De Brug vzw").await;
    let products: Vec<(String, String)> =
        app::on_pool!(app.db(), |pool| sqlx::query_as("select slug, product_id from product")
            .fetch_all(pool)
            .await)
        .unwrap();
    let product = |slug: &str| products.iter().find(|(s, _)| s == slug).unwrap().1.clone();
    let at = |date: &str| {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            .and_utc()
    };
    // (reference, product, status, submitted, validated, expected in the history)
    let office = "office-ltsc-standard-2024";
    let seeds = [
        (
            "ms-old-cycle",
            office,
            OrderStatus::Fulfilled,
            "2023-01-05",
            Some("2023-01-10"),
            false,
        ),
        (
            "ms-cycle-start",
            office,
            OrderStatus::Fulfilled,
            "2025-02-20",
            Some("2025-03-01"),
            true,
        ),
        (
            "ms-in-cycle",
            "windows-server-2025-user-cal",
            OrderStatus::Paid,
            "2026-02-01",
            Some("2026-02-02"),
            true,
        ),
        ("ms-waiting", office, OrderStatus::Submitted, "2022-05-01", None, true),
        (
            "ms-cancelled",
            office,
            OrderStatus::Cancelled,
            "2026-01-01",
            Some("2026-01-02"),
            false,
        ),
        (
            "adobe-last-year",
            "adobe-acrobat-pro-2024",
            OrderStatus::Fulfilled,
            "2026-06-20",
            Some("2026-06-30"),
            false,
        ),
        (
            "adobe-this-year",
            "adobe-acrobat-pro-2024",
            OrderStatus::Fulfilled,
            "2026-06-25",
            Some("2026-07-01"),
            true,
        ),
        (
            "cisco-waiting",
            "cisco-isr-1111-8p",
            OrderStatus::Submitted,
            "2024-01-01",
            None,
            true,
        ),
        (
            "laptop",
            "dell-latitude-5420",
            OrderStatus::Fulfilled,
            "2026-10-01",
            Some("2026-10-02"),
            false,
        ),
        // Zoom counts over the last 12 months, AWS grants forever (a renewal needs one).
        (
            "zoom",
            "zoom-workplace-pro-1-year-50",
            OrderStatus::Fulfilled,
            "2026-10-01",
            Some("2026-10-02"),
            true,
        ),
        (
            "creative-cloud",
            CREATIVE_CLOUD,
            OrderStatus::Fulfilled,
            "2019-01-01",
            Some("2019-01-02"),
            true,
        ),
        (
            "zoom-a-year-ago",
            "zoom-workplace-pro-1-year-50",
            OrderStatus::Fulfilled,
            "2025-11-20",
            Some("2025-11-20"),
            false,
        ),
        (
            "aws-long-ago",
            "aws-credit-grant-2000-usd",
            OrderStatus::Fulfilled,
            "2019-03-01",
            Some("2019-03-02"),
            true,
        ),
    ];
    let mut tx = app.db().begin().await.unwrap();
    let mut ids = Vec::new();
    for (reference, slug, status, submitted, validated, expected) in seeds {
        let named_user = (slug == CREATIVE_CLOUD).then_some("ana@asbl.be");
        let order_id = insert_order(
            &mut tx,
            &NewOrder {
                reference,
                organisation_id: &organisation_id,
                category: OrderCategory::Software,
                status,
                submitted_at: at(submitted),
                validated_at: validated.map(at),
            },
            at("2026-11-27"),
        )
        .await
        .unwrap();
        insert_order_line(&mut tx, &order_id, &product(slug), 3, named_user, at("2026-11-27"))
            .await
            .unwrap();
        ids.push((reference, order_id, expected));
    }
    tx.commit().await.unwrap();

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let mut read = app.db().begin_read().await.unwrap();
    let products = app::quota::db::all_products(&mut read).await.unwrap();
    let history = app::quota::db::history(&mut read, &organisation_id, &RuleSet::default(), today, &products)
        .await
        .unwrap();
    for (reference, order_id, expected) in &ids {
        let loaded = history.iter().filter(|l| &l.order_id == order_id).count();
        assert_eq!(loaded, usize::from(*expected), "{reference}");
    }
    assert_eq!(history.len(), ids.iter().filter(|(_, _, e)| *e).count(), "nothing else");
    let waiting = history.iter().find(|l| l.order_id == ids[3].1).unwrap();
    assert!(!waiting.validated);
    assert_eq!(waiting.date.to_string(), "2022-05-01", "dated by submission");
    let subscription = history.iter().find(|l| l.order_id == ids[10].1).unwrap();
    assert_eq!(subscription.named_user.as_deref(), Some("ana@asbl.be"), "kept forever");
}

/// The windowed, summed history gives the same verdicts as every non-cancelled line of the
/// organisation, for carts touching every counted rule, on days around each boundary.
#[tokio::test]
async fn the_windowed_history_judges_like_the_whole_history() {
    use app::order::db::{NewOrder, insert_order, insert_order_line};
    use app::order::model::{OrderCategory, OrderStatus};
    use app::quota::model::{CartLine, PastLine, RuleSet, Standing};
    use app::quota::rules::check;

    let app = spawn_app().await.with_demo().await;
    let organisation_id = app.organisation_id("Jeugdhuis De Brug vzw").await;
    let mut read = app.db().begin_read().await.unwrap();
    let catalogue = app::quota::db::all_products(&mut read).await.unwrap();
    read.commit().await.unwrap();
    let slugs = [
        "office-ltsc-standard-2024",
        "visio-ltsc-professional-2024",
        "windows-server-2025-standard-2-core",
        "windows-server-2025-user-cal",
        "adobe-acrobat-pro-2024",
        CREATIVE_CLOUD,
        "autodesk-autocad-2026",
        "cisco-isr-1111-8p",
        "dell-latitude-5420",
        "zoom-workplace-pro-1-year-50",
        "zoom-workplace-business-1-year-50",
        "aws-credit-grant-2000-usd",
        "aws-credit-grant-2000-usd-renewal",
    ];
    let product = |slug: &str| catalogue.iter().find(|(_, p)| p.slug == slug).unwrap().1.clone();
    // 90 orders over seven years, from a fixed xorshift sequence.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let first = chrono::NaiveDate::from_ymd_opt(2019, 11, 1).unwrap();
    let mut tx = app.db().begin().await.unwrap();
    for n in 0..90 {
        let submitted = first + chrono::Days::new(next(2_550));
        let status = match next(6) {
            0 => OrderStatus::Cancelled,
            1 => OrderStatus::Submitted,
            _ => OrderStatus::Fulfilled,
        };
        let validated = (status != OrderStatus::Submitted).then(|| submitted + chrono::Days::new(next(5)));
        let at = |d: chrono::NaiveDate| d.and_hms_opt(9, 30, 0).unwrap().and_utc();
        let order_id = insert_order(
            &mut tx,
            &NewOrder {
                reference: &format!("EQ-{n:03}"),
                organisation_id: &organisation_id,
                category: OrderCategory::Software,
                status,
                submitted_at: at(submitted),
                validated_at: validated.map(at),
            },
            at(submitted),
        )
        .await
        .unwrap();
        for _ in 0..1 + next(3) {
            let slug = slugs[usize::try_from(next(slugs.len() as u64)).unwrap()];
            let person = format!("p{}@brug.example.org", next(6));
            let named = (slug == CREATIVE_CLOUD).then_some(person.as_str());
            let quantity = 1 + i32::try_from(next(4)).unwrap();
            insert_order_line(
                &mut tx,
                &order_id,
                &product(slug).product.product_id,
                quantity,
                named,
                at(submitted),
            )
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();

    type Row = (
        String,
        String,
        i64,
        chrono::DateTime<chrono::Utc>,
        Option<chrono::DateTime<chrono::Utc>>,
        Option<String>,
    );
    let rows: Vec<Row> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select l.product_id, o.order_id, cast(l.quantity as bigint), o.submitted_at, o.validated_at, l.named_user \
         from order_line l join purchase_order o on o.order_id = l.order_id \
         where o.organisation_id = $1 and o.status <> 'cancelled'"
    )
    .bind(&organisation_id)
    .fetch_all(pool)
    .await)
    .unwrap();
    let whole: Vec<PastLine> = rows
        .into_iter()
        .map(
            |(product_id, order_id, quantity, submitted, validated, named_user)| PastLine {
                order_id,
                product: catalogue
                    .iter()
                    .find(|(_, p)| p.product.product_id == product_id)
                    .unwrap()
                    .1
                    .product
                    .clone(),
                quantity: u32::try_from(quantity).unwrap(),
                date: validated.unwrap_or(submitted).date_naive(),
                validated: validated.is_some(),
                named_user,
            },
        )
        .collect();
    let everyone = Standing {
        qualified: ["microsoft", "adobe", "autodesk", "cisco", "hardware", "zoom", "aws"]
            .map(String::from)
            .to_vec(),
        ..Standing::default()
    };
    let rules = RuleSet::default();
    let carts: Vec<Vec<CartLine>> = [
        vec![
            ("office-ltsc-standard-2024", 20, None),
            ("windows-server-2025-user-cal", 2, None),
        ],
        vec![
            ("visio-ltsc-professional-2024", 45, None),
            ("windows-server-2025-standard-2-core", 10, None),
        ],
        vec![
            ("adobe-acrobat-pro-2024", 2, None),
            (CREATIVE_CLOUD, 1, Some("p1@brug.example.org")),
        ],
        vec![
            (CREATIVE_CLOUD, 1, Some("new@brug.example.org")),
            ("autodesk-autocad-2026", 1, None),
        ],
        vec![("cisco-isr-1111-8p", 3, None), ("dell-latitude-5420", 4, None)],
        vec![
            ("zoom-workplace-pro-1-year-50", 3, None),
            ("zoom-workplace-business-1-year-50", 40, None),
        ],
        vec![("aws-credit-grant-2000-usd-renewal", 1, None)],
        vec![("aws-credit-grant-2000-usd", 1, None)],
    ]
    .into_iter()
    .map(|lines| {
        lines
            .into_iter()
            .map(|(slug, quantity, named_user)| CartLine {
                product: product(slug).product,
                quantity,
                aws_account: Some(("123456789012".into(), "De Brug".into())),
                named_user: named_user.map(String::from),
            })
            .collect()
    })
    .collect();
    let mut compared = 0;
    for today in ["2026-11-27", "2026-06-30", "2026-07-01", "2027-03-01", "2028-01-15"] {
        let today = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        // Only what had happened by that day: the engine is never asked about the future.
        let known: Vec<PastLine> = whole.iter().filter(|l| l.date <= today).cloned().collect();
        let mut read = app.db().begin_read().await.unwrap();
        let windowed = app::quota::db::history(&mut read, &organisation_id, &rules, today, &catalogue)
            .await
            .unwrap();
        read.commit().await.unwrap();
        assert!(windowed.len() < known.len(), "{today}: the window must trim");
        for cart in &carts {
            assert_eq!(
                check(&everyone, &rules, &windowed, cart, today),
                check(&everyone, &rules, &known, cart, today),
                "{today}: {cart:?}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 40);
}

/// What the rules engine knows of the caller's organisation.
async fn standing(app: &common::TestApp, holder: &Caller) -> Value {
    let (status, inputs) = app.call_as(holder, "engine_inputs", &[]).await;
    assert_eq!(status, 200, "{inputs}");
    inputs["standing"].clone()
}

#[tokio::test]
async fn staff_record_certificates_and_waivers_that_the_rules_read() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let amis = app.organisation_id("Les Amis du Quartier ASBL").await;
    let record = |certificate: &str, purchase: &str, waiver: &str| {
        vec![
            ("organisation_id".to_owned(), amis.clone()),
            ("certificate_issued".to_owned(), certificate.to_owned()),
            ("autodesk_direct_purchase".to_owned(), purchase.to_owned()),
            ("autodesk_waiver_on".to_owned(), waiver.to_owned()),
        ]
    };
    let call = |form: &Vec<(String, String)>| form.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    assert!(standing(&app, &holder).await["discount_certificate_issued"].is_null());

    // Refused: not a day, a day to come. Nothing is stored or audited.
    let tomorrow = (chrono::Utc::now().with_timezone(&app::calendar::BELGIUM).date_naive() + chrono::Duration::days(1))
        .to_string();
    let form = call(&record("2026-02-30", "", &tomorrow));
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = app.call_as(&agent, "record_partner_documents", &refs).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["certificate_issued"][0], "date_invalid");
    assert_eq!(body["Validation"]["fields"]["autodesk_waiver_on"][0], "date_in_future");
    assert_eq!(app.audit_count("organisation.partner_documents_recorded").await, 0);

    // A certificate, a recent direct Autodesk purchase, no waiver yet.
    let form = call(&record("2026-09-01", "2025-05-10", ""));
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = app.call_as(&agent, "record_partner_documents", &refs).await;
    assert_eq!(status, 200, "{body}");
    let now = standing(&app, &holder).await;
    assert_eq!(now["discount_certificate_issued"], "2026-09-01");
    assert_eq!(now["autodesk_direct_purchase"], "2025-05-10");
    assert_eq!(now["autodesk_waiver"], false);
    let (_, documents) = app
        .call_as(&agent, "partner_documents", &[("organisation_id", &amis)])
        .await;
    // The last valid day: the day before the anniversary (domain.md).
    assert_eq!(documents["discount_certificate_until"], "2027-08-31");

    // The waiver arrives: the engine's flag follows.
    let form = call(&record("2026-09-01", "2025-05-10", "2026-11-02"));
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(app.call_as(&agent, "record_partner_documents", &refs).await.0, 200);
    assert_eq!(standing(&app, &holder).await["autodesk_waiver"], true);
    // The same record again changes nothing and records nothing.
    assert_eq!(app.call_as(&agent, "record_partner_documents", &refs).await.0, 200);
    assert_eq!(app.audit_count("organisation.partner_documents_recorded").await, 2);
    // Members cannot record their own documents.
    assert_eq!(app.call_as(&holder, "record_partner_documents", &refs).await.0, 403);
    let (status, _) = app
        .call_as(&agent, "partner_documents", &[("organisation_id", "nobody")])
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_verdict_and_checkout_take_the_same_quantity_bounds() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    for (i, quantity) in ["0", "1000", "4294967295"].into_iter().enumerate() {
        let (status, body) = app
            .call_as(&holder, "verify_qualification", &refs(&office(quantity)))
            .await;
        assert_eq!(status, 422, "{quantity}: {body}");
        assert_eq!(body["Validation"]["fields"]["lines[0].quantity"][0], "quantity_invalid");
        let key = format!("bounds-check-key-{i:04}");
        let line = office(quantity);
        let mut form = refs(&line);
        form.push(("idempotency_key", &key));
        let (status, body) = app.call_as(&holder, "checkout", &form).await;
        assert_eq!(status, 422, "{quantity}: {body}");
        assert_eq!(body["Validation"]["fields"]["lines[0].quantity"][0], "quantity_invalid");
    }
    // The largest quantity a cart holds is judged (and refused by the rules, not the bound).
    let (status, verdict) = app
        .call_as(&holder, "verify_qualification", &refs(&office("999")))
        .await;
    assert_eq!(status, 200, "{verdict}");
}

/// Business dates are days in Brussels (domain.md, "Partner rules"): an Adobe order validated
/// at 00:30 on 1 July, Brussels time (22:30 UTC on 30 June), is in the new US fiscal year, one
/// validated at 23:30 on 30 June is not; the engine dates each line by its Belgian day.
#[tokio::test]
async fn an_order_validated_after_midnight_in_brussels_is_in_the_new_fiscal_year() {
    use app::order::db::{NewOrder, insert_order, insert_order_line};
    use app::order::model::{OrderCategory, OrderStatus};
    use app::quota::model::RuleSet;

    let app = spawn_app().await.with_demo().await;
    let organisation_id = app.organisation_id("Jeugdhuis De Brug vzw").await;
    let mut read = app.db().begin_read().await.unwrap();
    let catalogue = app::quota::db::all_products(&mut read).await.unwrap();
    read.commit().await.unwrap();
    let acrobat = catalogue
        .iter()
        .find(|(_, p)| p.slug == "adobe-acrobat-pro-2024")
        .unwrap()
        .1
        .product
        .product_id
        .clone();
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let mut tx = app.db().begin().await.unwrap();
    let mut ids = Vec::new();
    for (reference, validated) in [
        ("before-midnight", "2026-06-30T21:30:00Z"),
        ("after-midnight", "2026-06-30T22:30:00Z"),
    ] {
        let order_id = insert_order(
            &mut tx,
            &NewOrder {
                reference,
                organisation_id: &organisation_id,
                category: OrderCategory::Software,
                status: OrderStatus::Fulfilled,
                submitted_at: at("2026-06-29T10:00:00Z"),
                validated_at: Some(at(validated)),
            },
            at(validated),
        )
        .await
        .unwrap();
        insert_order_line(&mut tx, &order_id, &acrobat, 1, None, at(validated))
            .await
            .unwrap();
        ids.push(order_id);
    }
    tx.commit().await.unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let mut read = app.db().begin_read().await.unwrap();
    let history = app::quota::db::history(&mut read, &organisation_id, &RuleSet::default(), today, &catalogue)
        .await
        .unwrap();
    read.commit().await.unwrap();
    assert!(
        history.iter().all(|l| l.order_id != ids[0]),
        "23:30 on 30 June: last year"
    );
    let after = history
        .iter()
        .find(|l| l.order_id == ids[1])
        .expect("00:30 on 1 July: this year");
    assert_eq!(after.date.to_string(), "2026-07-01");
}
