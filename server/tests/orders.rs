//! The order lifecycle over HTTP: "Mes demandes", staff processing, cancellations that free
//! quota, refund rules, the "Mes dons Microsoft" dashboard against the engine, and renewal
//! reminders on an injected clock.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;

const AMIS: &str = "Les Amis du Quartier ASBL";
const AMIS_MAIL: &str = "contact@amisduquartier.example.org";

/// Places the cart `lines` for `caller` and returns the order ids, software first.
async fn place(app: &TestApp, caller: &Caller, key: &str, lines: &[(&str, u32)]) -> Vec<String> {
    let mut form = vec![("idempotency_key".to_owned(), key.to_owned())];
    for (i, (slug, quantity)) in lines.iter().enumerate() {
        form.push((format!("lines[{i}][slug]"), (*slug).to_owned()));
        form.push((format!("lines[{i}][quantity]"), quantity.to_string()));
    }
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, answer) = app.call_as(caller, "checkout", &refs).await;
    assert_eq!(status, 200, "{answer}");
    let checkout_id = answer["Placed"]["checkout_id"]
        .as_str()
        .unwrap_or_else(|| panic!("not placed: {answer}"))
        .to_owned();
    let (_, invoices) = app
        .call_as(caller, "load_checkout", &[("checkout_id", &checkout_id)])
        .await;
    invoices
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["order_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn order(app: &TestApp, caller: &Caller, order_id: &str) -> Value {
    let (status, order) = app.call_as(caller, "load_order", &[("order_id", order_id)]).await;
    assert_eq!(status, 200, "{order}");
    order
}

async fn step(app: &TestApp, staff: &Caller, order_id: &str, action: &str) -> (u16, Value) {
    app.call_as(
        staff,
        "order_step",
        &[("order_id", order_id), ("action", action), ("note", "")],
    )
    .await
}

fn line_id(order: &Value, slug: &str) -> String {
    order["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["product_slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in {order}"))["order_line_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The Microsoft counters of "Mes dons": name → used.
async fn microsoft_used(app: &TestApp, caller: &Caller) -> Vec<(String, i64)> {
    let (status, donations) = app.call_as(caller, "donations", &[]).await;
    assert_eq!(status, 200, "{donations}");
    let microsoft = donations["allowances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["partner_id"] == "microsoft")
        .unwrap()
        .clone();
    microsoft["counters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), c["used"].as_i64().unwrap()))
        .collect()
}

fn used(counters: &[(String, i64)], name: &str) -> i64 {
    counters.iter().find(|(n, _)| n == name).map_or(0, |(_, u)| *u)
}

#[tokio::test]
async fn staff_move_an_order_through_its_life_and_the_organisation_sees_and_hears_each_step() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(
        &app,
        &holder,
        "lifecycle-key-000000001",
        &[("office-ltsc-standard-2024", 2), ("dell-latitude-5420", 1)],
    )
    .await;
    let software = &orders[0];
    let mails_before = app.mail_to(AMIS_MAIL).await.len();

    // Illegal steps are refused by the server, whatever the page offers.
    assert_eq!(step(&app, &staff, software, "fulfil").await.0, 409);
    assert_eq!(step(&app, &staff, software, "transmit").await.0, 409);
    assert_eq!(step(&app, &staff, software, "refund").await.0, 409);
    assert_eq!(step(&app, &holder, software, "mark_paid").await.0, 403);
    assert_eq!(step(&app, &staff, software, "launch").await.0, 422);

    for (action, status) in [
        ("mark_paid", "paid"),
        ("transmit", "transmitted"),
        ("fulfil", "fulfilled"),
    ] {
        let (code, answer) = step(&app, &staff, software, action).await;
        assert_eq!(code, 200, "{action}: {answer}");
        assert_eq!(answer, status);
        // The member sees the new status at once, with the step in the timeline.
        let seen = order(&app, &member, software).await;
        assert_eq!(seen["status"], status);
        assert_eq!(seen["events"].as_array().unwrap().last().unwrap()["to_status"], status);
    }
    let seen = order(&app, &member, software).await;
    let timeline: Vec<&str> = seen["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(timeline, ["submitted", "paid", "transmitted", "fulfilled"]);
    // Organisations do not see which staff member acted; staff do.
    assert!(seen["events"][1]["by"].is_null());
    assert!(order(&app, &staff, software).await["events"][1]["by"].is_string());
    // Paying validated the order.
    assert!(seen["validated_at"].is_string());

    // Each step was e-mailed and audited.
    let mails = app.mail_to(AMIS_MAIL).await;
    let subjects: Vec<&str> = mails[mails_before..].iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    // "Marquer payée" recorded the payment of what was due: the payment's own e-mail.
    assert!(subjects[0].contains("Paiement reçu"), "{subjects:?}");
    assert!(subjects[1].contains("transmise au partenaire"), "{subjects:?}");
    assert!(subjects[2].contains("exécutée"), "{subjects:?}");
    assert!(mails.last().unwrap().1.contains(&format!("/requests/{software}")));
    assert_eq!(app.audit_count("order.fulfilled").await, 1);

    // A fulfilled order can no longer be cancelled, by anyone.
    let office = line_id(&seen, "office-ltsc-standard-2024");
    let (status, _) = app
        .call_as(
            &holder,
            "cancel_order",
            &[("order_id", software), ("lines[0]", &office), ("reason", "Trop tard")],
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(
        step(&app, &staff, software, "cancel").await.0,
        422,
        "a reason is required"
    );

    // The staff queues count orders per status; "Mes demandes" lists and filters.
    let (_, queues) = app
        .call_as(
            &staff,
            "staff_orders",
            &[("filter[status]", "submitted"), ("filter[page]", "0")],
        )
        .await;
    assert!(
        queues["orders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["order_id"] == orders[1])
    );
    assert!(
        queues["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["status"] == "submitted")
    );
    // The badges count the open statuses only, as SQL does; closed ones only grow.
    let sql_counts: Vec<(String, i64)> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select status, count(*) from purchase_order group by status order by status"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let mut badges: Vec<(String, i64)> = queues["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_owned(), c[1].as_i64().unwrap()))
        .collect();
    badges.sort();
    let open: Vec<(String, i64)> = sql_counts
        .iter()
        .filter(|(status, _)| ["submitted", "paid", "transmitted"].contains(&status.as_str()))
        .cloned()
        .collect();
    assert_eq!(badges, open);
    assert!(
        sql_counts.iter().any(|(status, _)| status == "fulfilled"),
        "{sql_counts:?}"
    );
    let (_, mine) = app
        .call_as(
            &member,
            "my_orders",
            &[("filter[partner]", "microsoft"), ("filter[page]", "0")],
        )
        .await;
    let ids: Vec<&str> = mine["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&software.as_str()));
    assert!(
        !ids.contains(&orders[1].as_str()),
        "the hardware order has no Microsoft line"
    );
}

#[tokio::test]
async fn cancelling_one_microsoft_line_cancels_them_all_frees_the_quota_and_credits_the_invoice() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let before = microsoft_used(&app, &holder).await;
    let orders = place(
        &app,
        &holder,
        "cancel-key-0000000001",
        &[
            ("office-ltsc-standard-2024", 5),
            ("visio-ltsc-professional-2024", 2),
            ("adobe-acrobat-pro-2024", 1),
        ],
    )
    .await;
    let software = &orders[0];
    let during = microsoft_used(&app, &holder).await;
    assert_eq!(
        used(&during, "family:desktop:Office"),
        used(&before, "family:desktop:Office") + 5
    );
    assert_eq!(used(&during, "family:desktop:Visio"), 2);
    assert_eq!(used(&during, "families:desktop"), used(&before, "families:desktop") + 1);

    let detail = order(&app, &holder, software).await;
    let visio = line_id(&detail, "visio-ltsc-professional-2024");
    let total = detail["invoice"]["total_cents"].as_i64().unwrap();

    // A reason is required; a line of another order is refused.
    let cancel = |lines: Vec<String>, reason: &'static str| {
        let app = &app;
        let holder = &holder;
        let software = software.clone();
        async move {
            let mut form = vec![
                ("order_id".to_owned(), software),
                ("reason".to_owned(), reason.to_owned()),
            ];
            for (i, line) in lines.iter().enumerate() {
                form.push((format!("lines[{i}]"), line.clone()));
            }
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call_as(holder, "cancel_order", &refs).await
        }
    };
    assert_eq!(cancel(vec![visio.clone()], " ").await.0, 422);
    assert_eq!(cancel(vec!["not-a-line".into()], "Erreur").await.0, 422);

    let (status, answer) = cancel(vec![visio.clone()], "Commandé par erreur").await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, "submitted", "the Adobe line keeps the order alive");
    let detail = order(&app, &holder, software).await;
    let cancelled: Vec<(&str, bool)> = detail["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["product_slug"].as_str().unwrap(), l["cancelled"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        cancelled,
        [
            ("office-ltsc-standard-2024", true),
            ("visio-ltsc-professional-2024", true),
            ("adobe-acrobat-pro-2024", false)
        ]
    );
    // The quota is free at once…
    let after = microsoft_used(&app, &holder).await;
    assert_eq!(after, before);
    // …and the invoice asks only for the Adobe line: its fee plus 21 %.
    let acrobat: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select admin_fee_cents from product where slug = 'adobe-acrobat-pro-2024'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let owed = acrobat + (acrobat * 21 + 50) / 100;
    assert_eq!(detail["invoice"]["credited_cents"].as_i64().unwrap(), total - owed);
    // A transfer of what is left settles it.
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let communication = detail["invoice"]["communication"].as_str().unwrap().to_owned();
    let amount = format!("{},{:02}", owed / 100, owed % 100);
    let (status, outcome) = app
        .call_as(
            &staff,
            "record_payment",
            &[
                ("reference", &communication),
                ("amount", &amount),
                ("booked_on", "2026-11-27"),
            ],
        )
        .await;
    assert_eq!((status, outcome), (200, Value::from("matched")));
    assert_eq!(order(&app, &holder, software).await["status"], "paid");

    // Cancelling the last line cancels the order; its e-mail and audit follow.
    let acrobat_line = line_id(&detail, "adobe-acrobat-pro-2024");
    let (status, answer) = cancel(vec![acrobat_line], "Plus besoin").await;
    assert_eq!((status, answer), (200, Value::from("cancelled")));
    let detail = order(&app, &holder, software).await;
    assert_eq!(detail["cancel_reason"], "Plus besoin");
    assert!(
        app.mail_to(AMIS_MAIL)
            .await
            .iter()
            .any(|(s, _)| s.contains("est annulée"))
    );
    assert_eq!(app.audit_count("order.lines_cancelled").await, 1);
    assert_eq!(app.audit_count("order.cancelled").await, 1);
    // Paid, then cancelled: a credit note for what was paid, and the money is due back. A
    // click alone never makes the order "refunded": recording the transfer does.
    let detail = order(&app, &holder, software).await;
    let notes = detail["invoice"]["credit_notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "the Microsoft lines, then the rest: {notes:?}");
    assert_eq!(
        detail["invoice"]["credited_cents"].as_i64().unwrap(),
        total,
        "wholly credited"
    );
    assert_eq!(step(&app, &staff, software, "refund").await.0, 409);
    let invoice_id = detail["invoice"]["invoice_id"].as_str().unwrap().to_owned();
    let (status, answer) = app
        .call_as(
            &staff,
            "record_refund",
            &[
                ("input[invoice_id]", &invoice_id),
                ("input[amount]", &amount),
                ("input[iban]", "BE68 5390 0754 7034"),
                ("input[paid_on]", "2026-11-28"),
                ("input[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let detail = order(&app, &holder, software).await;
    assert_eq!(detail["status"], "refunded");
}

#[tokio::test]
async fn refund_requests_follow_each_partners_rule() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(
        &app,
        &holder,
        "refund-key-0000000001",
        &[
            ("office-ltsc-standard-2024", 1),
            ("windows-11-pro-get-genuine", 1),
            ("zoom-workplace-pro-1-year-50", 1),
            ("dell-latitude-5420", 1),
        ],
    )
    .await;
    let (software, hardware) = (&orders[0], &orders[1]);
    for order_id in [software, hardware] {
        for action in ["mark_paid", "transmit"] {
            assert_eq!(step(&app, &staff, order_id, action).await.0, 200);
        }
    }
    let ask = |order_id: String, line: String, declaration: &'static str| {
        let app = &app;
        let holder = &holder;
        async move {
            app.call_as(
                holder,
                "request_refund",
                &[
                    ("order_id", &order_id),
                    ("lines[0]", &line),
                    ("reason", "Commandé par erreur"),
                    ("declaration", declaration),
                ],
            )
            .await
        }
    };
    let soft = order(&app, &holder, software).await;
    let hard = order(&app, &holder, hardware).await;
    let refusal = |answer: &Value| {
        answer["Validation"]["fields"]["lines"][0]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };

    // Zoom: never; Get Genuine: never; Microsoft: needs the declaration.
    let (status, answer) = ask(
        software.clone(),
        line_id(&soft, "zoom-workplace-pro-1-year-50"),
        "false",
    )
    .await;
    assert_eq!(
        (status, refusal(&answer).as_str()),
        (422, "refund_not_refundable"),
        "{answer}"
    );
    let (status, answer) = ask(software.clone(), line_id(&soft, "windows-11-pro-get-genuine"), "true").await;
    assert_eq!(
        (status, refusal(&answer).as_str()),
        (422, "refund_never_refunded"),
        "{answer}"
    );
    let office = line_id(&soft, "office-ltsc-standard-2024");
    let (status, answer) = ask(software.clone(), office.clone(), "false").await;
    assert_eq!(
        (status, refusal(&answer).as_str()),
        (422, "refund_declaration_required"),
        "{answer}"
    );
    let (status, answer) = ask(software.clone(), office.clone(), "true").await;
    assert_eq!(status, 200, "{answer}");
    // One open request per line.
    assert_eq!(ask(software.clone(), office.clone(), "true").await.0, 409);

    // Hardware: 14 days after validation, not 15.
    let dell = line_id(&hard, "dell-latitude-5420");
    let validated_days_ago = |days: i64| {
        let app = &app;
        let hardware = hardware.clone();
        async move {
            let at = chrono::Utc::now() - chrono::Duration::days(days);
            app::on_pool!(app.db(), |pool| sqlx::query(
                "update purchase_order set validated_at = $2 where order_id = $1"
            )
            .bind(&hardware)
            .bind(at)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
            .unwrap();
        }
    };
    validated_days_ago(15).await;
    let (status, answer) = ask(hardware.clone(), dell.clone(), "false").await;
    assert_eq!(
        (status, refusal(&answer).as_str()),
        (422, "refund_too_late"),
        "{answer}"
    );
    validated_days_ago(14).await;
    assert_eq!(ask(hardware.clone(), dell.clone(), "false").await.0, 200);

    // Staff answer: a refusal needs a reason; accepting refunds the line, and the order once
    // every live line is.
    let pending: Vec<String> = order(&app, &staff, hardware).await["refunds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["refund_request_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(pending.len(), 1);
    let decide = |accepted: &'static str, response: &'static str| {
        let app = &app;
        let staff = &staff;
        let id = pending[0].clone();
        async move {
            app.call_as(
                staff,
                "decide_refund",
                &[
                    ("refund_request_id", &id),
                    ("accepted", accepted),
                    ("response", response),
                ],
            )
            .await
        }
    };
    assert_eq!(decide("false", "").await.0, 422);
    assert_eq!(decide("true", "Colis reçu").await.0, 200);
    assert_eq!(decide("true", "Encore").await.0, 404, "answered once");
    let hard = order(&app, &holder, hardware).await;
    // Accepted: the line is credited, and the order is refunded once the money is back.
    assert_eq!(hard["status"], "transmitted");
    assert_eq!(hard["lines"][0]["refunded"], true);
    assert_eq!(hard["invoice"]["credit_notes"].as_array().unwrap().len(), 1);
    let invoice_id = hard["invoice"]["invoice_id"].as_str().unwrap().to_owned();
    let total = hard["invoice"]["total_cents"].as_i64().unwrap();
    let amount = format!("{},{:02}", total / 100, total % 100);
    let (status, answer) = app
        .call_as(
            &staff,
            "record_refund",
            &[
                ("input[invoice_id]", &invoice_id),
                ("input[amount]", &amount),
                ("input[iban]", "BE68 5390 0754 7034"),
                ("input[paid_on]", "2026-11-28"),
                ("input[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(order(&app, &holder, hardware).await["status"], "refunded");
    assert!(
        app.mail_to(AMIS_MAIL)
            .await
            .iter()
            .any(|(s, _)| s.contains("Remboursement accepté"))
    );
}

#[tokio::test]
async fn the_donations_dashboard_shows_the_engines_own_figures() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    place(
        &app,
        &holder,
        "dashboard-key-00000001",
        &[
            ("office-ltsc-standard-2024", 3),
            ("windows-server-2025-standard-2-core", 2),
        ],
    )
    .await;
    let (status, donations) = app.call_as(&holder, "donations", &[]).await;
    assert_eq!(status, 200, "{donations}");
    // The engine, as the cart's meter runs it in the browser: its inputs and an empty cart.
    let (_, inputs) = app.call_as(&holder, "engine_inputs", &[]).await;
    let inputs: app::quota::model::EngineInputs = serde_json::from_value(inputs).unwrap();
    let engine = app::quota::rules::judge(&inputs, &[]).unwrap();
    assert_eq!(
        donations["allowances"],
        serde_json::to_value(&engine.allowances).unwrap()
    );
    // And the figures a person counts from the demo's history plus this order: 10 Office
    // licences before, 3 now; two core-server licences in a family of their own.
    let counters = microsoft_used(&app, &holder).await;
    assert_eq!(used(&counters, "family:desktop:Office"), 13);
    assert_eq!(used(&counters, "families:desktop"), 1);
    assert_eq!(used(&counters, "families:core_server"), 1);
    assert_eq!(used(&counters, "family:core_server:Windows Server"), 2);
    let history = donations["microsoft_orders"].as_array().unwrap();
    assert!(!history.is_empty());
    assert!(
        history
            .iter()
            .all(|o| o["partners"].as_array().unwrap().iter().any(|p| p == "Microsoft"))
    );
    // Members only.
    let staff = app.login("agent", DEMO_PASSWORD).await;
    assert_eq!(app.call_as(&staff, "donations", &[]).await.0, 403);
}

#[tokio::test]
async fn an_organisation_never_reaches_another_ones_orders() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let orders = place(&app, &holder, "privacy-key-000000001", &[("dell-latitude-5420", 1)]).await;
    let hardware = &orders[0];
    let detail = order(&app, &holder, hardware).await;
    let line = line_id(&detail, "dell-latitude-5420");
    let invoice_id = detail["invoice"]["invoice_id"].as_str().unwrap().to_owned();
    // Identifiers tried directly: every door answers as if the order did not exist.
    assert_eq!(
        app.call_as(&other, "load_order", &[("order_id", hardware)]).await.0,
        404
    );
    assert_eq!(
        app.call_as(&other, "load_order", &[("order_id", "no-such-order")])
            .await
            .0,
        404
    );
    let (status, _) = app
        .call_as(
            &other,
            "cancel_order",
            &[("order_id", hardware), ("lines[0]", &line), ("reason", "Pas à nous")],
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call_as(
            &other,
            "request_refund",
            &[
                ("order_id", hardware),
                ("lines[0]", &line),
                ("reason", "x"),
                ("declaration", "false"),
            ],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        app.get_as(&other, &format!("/invoices/{invoice_id}/pdf"))
            .await
            .status()
            .as_u16(),
        404
    );
    // Its own list never holds the other's orders.
    let (_, mine) = app.call_as(&other, "my_orders", &[("filter[page]", "0")]).await;
    assert!(
        mine["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["organisation_name"] != AMIS)
    );
    assert_eq!(
        order(&app, &holder, hardware).await["status"],
        "submitted",
        "nothing changed"
    );
}

#[tokio::test]
async fn my_requests_are_paged_and_filtered_by_date() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    for i in 0..21 {
        place(
            &app,
            &holder,
            &format!("paging-key-{i:012}"),
            &[("dell-latitude-5420", 1)],
        )
        .await;
    }
    let page = |n: &'static str| {
        let app = &app;
        let holder = &holder;
        async move { app.call_as(holder, "my_orders", &[("filter[page]", n)]).await.1 }
    };
    let first = page("0").await;
    let total = first["total"].as_i64().unwrap();
    assert!(total >= 21, "{total}");
    assert_eq!(first["orders"].as_array().unwrap().len(), 20);
    let second = page("1").await;
    assert_eq!(second["orders"].as_array().unwrap().len() as i64, total - 20);
    assert_ne!(first["orders"][0]["order_id"], second["orders"][0]["order_id"]);
    // Newest first.
    let dates: Vec<&str> = first["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["submitted_at"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    // A date range that ends before today holds none of today's orders.
    let (_, old) = app
        .call_as(
            &holder,
            "my_orders",
            &[("filter[to]", "2000-01-01"), ("filter[page]", "0")],
        )
        .await;
    assert_eq!(old["total"], 0);
    let (status, _) = app
        .call_as(
            &holder,
            "my_orders",
            &[("filter[status]", "lost"), ("filter[page]", "0")],
        )
        .await;
    assert!(
        (400..500).contains(&status),
        "an unknown status is the caller's mistake: {status}"
    );
}

#[tokio::test]
async fn renewal_reminders_go_thirty_fifteen_and_five_days_before_expiry_once_each() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(
        &app,
        &holder,
        "renewal-key-000000001",
        &[("zoom-workplace-pro-1-year-50", 3)],
    )
    .await;
    let zoom = &orders[0];
    for action in ["mark_paid", "transmit", "fulfil"] {
        assert_eq!(step(&app, &staff, zoom, action).await.0, 200);
    }
    let detail = order(&app, &holder, zoom).await;
    // Fulfilment dated the code: twelve months from today.
    let today = chrono::Utc::now().with_timezone(&app::calendar::BELGIUM).date_naive();
    let expires: chrono::NaiveDate = detail["lines"][0]["expires_on"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires, app::order::rules::yearly_expiry(today));
    // Staff set the partner's own date instead.
    let line = line_id(&detail, "zoom-workplace-pro-1-year-50");
    let (status, answer) = app
        .call_as(
            &staff,
            "set_fulfilment",
            &[
                ("order_id", zoom),
                ("order_line_id", &line),
                ("code", "ZOOM-50-ABCD-1234"),
                ("note", ""),
                ("expires_on", "2027-09-30"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        order(&app, &holder, zoom).await["lines"][0]["fulfilment_code"],
        "ZOOM-50-ABCD-1234"
    );

    let expiry = chrono::NaiveDate::from_ymd_opt(2027, 9, 30).unwrap();
    let at = |days_before: i64| {
        (expiry - chrono::Duration::days(days_before))
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc()
    };
    let reminders = || async {
        app.mail_to(AMIS_MAIL)
            .await
            .into_iter()
            .filter(|(s, _)| s.contains("expire dans"))
            .map(|(s, _)| s)
            .collect::<Vec<_>>()
    };
    let state = server::app_state(common::test_config(&app.test_db.url, &[]), app.db().clone());
    let sweep = |days_before| app::order::renewal::sweep(&state, at(days_before));
    assert_eq!(sweep(31).await.unwrap(), 0);
    assert_eq!(sweep(30).await.unwrap(), 1);
    assert_eq!(sweep(30).await.unwrap(), 0, "once per threshold");
    // A restarted instance (a new state over the same database) sends nothing again.
    let restarted = server::app_state(common::test_config(&app.test_db.url, &[]), app.db().clone());
    assert_eq!(app::order::renewal::sweep(&restarted, at(29)).await.unwrap(), 0);
    assert_eq!(sweep(16).await.unwrap(), 0);
    assert_eq!(sweep(15).await.unwrap(), 1);
    assert_eq!(app::order::renewal::sweep(&restarted, at(15)).await.unwrap(), 0);
    assert_eq!(sweep(5).await.unwrap(), 1);
    assert_eq!(sweep(1).await.unwrap(), 0);
    assert_eq!(sweep(0).await.unwrap(), 0, "nothing once expired");
    let sent = reminders().await;
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(sent[0].contains("expire dans 30 jours"), "{sent:?}");
    assert!(sent[1].contains("expire dans 15 jours"), "{sent:?}");
    assert!(sent[2].contains("expire dans 5 jours"), "{sent:?}");

    // "Renouveler" puts the same product in the cart; once ordered again, no more reminders.
    let (status, _) = app
        .call_as(
            &holder,
            "add_to_cart",
            &[("slug", "zoom-workplace-pro-1-year-50"), ("quantity", "3")],
        )
        .await;
    assert_eq!(status, 200);
    let (_, cart) = app.call_as(&holder, "load_cart", &[]).await;
    assert!(
        cart.as_array()
            .unwrap()
            .iter()
            .any(|l| l["input"]["slug"] == "zoom-workplace-pro-1-year-50")
    );
    // Reset the claims to show that a renewed product is skipped for its own sake.
    app::on_pool!(app.db(), |pool| sqlx::query("delete from renewal_reminder")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    place(
        &app,
        &holder,
        "renewal-key-000000002",
        &[("zoom-workplace-pro-1-year-50", 3)],
    )
    .await;
    assert_eq!(sweep(30).await.unwrap(), 0);
}

#[tokio::test]
async fn cisco_orders_wait_for_approval_ship_in_parts_and_count_from_delivery() {
    let app = spawn_app().await.with_demo().await;
    let lumiere = app.login("lumiere", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    // Lumière's demo Cisco order is of the previous fiscal year's window or cancelled first, so
    // that this one is its one Cisco order of the year.
    let demo: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select order_id from purchase_order where reference = 'DEMO-2026-0007'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update purchase_order set status = 'cancelled' where order_id = $1"
    )
    .bind(&demo)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let orders = place(
        &app,
        &lumiere,
        "cisco-key-000000000001",
        &[("cisco-catalyst-1000-24p-4g-l", 2)],
    )
    .await;
    let cisco = &orders[0];
    let detail = order(&app, &lumiere, cisco).await;
    assert_eq!(detail["approval"], "pending");
    assert_eq!(step(&app, &staff, cisco, "mark_paid").await.0, 200);
    // Not to the partner before Cisco approves; a refusal needs a reason.
    let (status, answer) = step(&app, &staff, cisco, "transmit").await;
    assert_eq!(
        (status, answer),
        (409, serde_json::json!({ "Conflict": "awaiting_approval" }))
    );
    let decide = |approved: &'static str, note: &'static str| {
        let app = &app;
        let staff = &staff;
        let cisco = cisco.clone();
        async move {
            app.call_as(
                staff,
                "cisco_decision",
                &[("order_id", &cisco), ("approved", approved), ("note", note)],
            )
            .await
        }
    };
    assert_eq!(decide("false", "").await.0, 422);
    assert_eq!(decide("true", "").await.0, 200);
    assert_eq!(decide("true", "").await.0, 409, "answered once");
    assert_eq!(step(&app, &staff, cisco, "transmit").await.0, 200);

    // Two parcels; the second arrives first.
    let ship = |items: &'static str| {
        let app = &app;
        let staff = &staff;
        let cisco = cisco.clone();
        async move {
            app.call_as(
                staff,
                "add_shipment",
                &[
                    ("order_id", &cisco),
                    ("shipped_on", "2026-11-02"),
                    ("carrier", "bpost"),
                    ("tracking", "323212345678"),
                    ("items", items),
                    ("delivered_on", ""),
                ],
            )
            .await
        }
    };
    assert_eq!(ship("1 × Catalyst 1000").await.0, 200);
    assert_eq!(ship("1 × Catalyst 1000 (équivalent)").await.0, 200);
    let detail = order(&app, &lumiere, cisco).await;
    let shipments = detail["shipments"].as_array().unwrap();
    assert_eq!(shipments.len(), 2);
    let second = shipments[1]["shipment_id"].as_str().unwrap().to_owned();
    let deliver = |date: &'static str| {
        let app = &app;
        let staff = &staff;
        let cisco = cisco.clone();
        let second = second.clone();
        async move {
            app.call_as(
                staff,
                "mark_delivered",
                &[("order_id", &cisco), ("shipment_id", &second), ("delivered_on", date)],
            )
            .await
        }
    };
    assert_eq!(deliver("2026-11-01").await.0, 422, "before it left");
    assert_eq!(deliver("2999-01-01").await.0, 422, "in the future");
    let today = chrono::Utc::now().date_naive();
    let today_text = today.to_string();
    let (status, answer) = app
        .call_as(
            &staff,
            "mark_delivered",
            &[
                ("order_id", cisco),
                ("shipment_id", &second),
                ("delivered_on", &today_text),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(deliver("2026-11-20").await.0, 409, "dated once");
    let detail = order(&app, &lumiere, cisco).await;
    assert_eq!(detail["shipments"][1]["delivered_on"], today_text);
    // Another organisation's staff door stays shut: members cannot date a parcel.
    let (status, _) = app
        .call_as(
            &lumiere,
            "mark_delivered",
            &[
                ("order_id", cisco),
                ("shipment_id", &second),
                ("delivered_on", &today_text),
            ],
        )
        .await;
    assert_eq!(status, 403);

    // Damaged items: within 60 days of delivery.
    assert_eq!(step(&app, &staff, cisco, "fulfil").await.0, 200);
    let line = line_id(&detail, "cisco-catalyst-1000-24p-4g-l");
    let (status, answer) = app
        .call_as(
            &lumiere,
            "request_refund",
            &[
                ("order_id", cisco),
                ("lines[0]", &line),
                ("reason", "Un switch arrivé cassé"),
                ("declaration", "false"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let kinds: Vec<String> = order(&app, &staff, cisco).await["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "status",
            "status",
            "approval",
            "status",
            "shipment",
            "shipment",
            "delivery",
            "status",
            "refund_requested"
        ]
    );
}

/// Order e-mails are written in the organisation's language: the payment reminder and a
/// staff step of a Dutch-speaking organisation come in Dutch.
#[tokio::test]
async fn order_mail_speaks_the_organisations_language() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let amis = app.organisation_id(AMIS).await;
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update organisation set language = 'nl' where organisation_id = $1"
    )
    .bind(&amis)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let orders = place(&app, &holder, "dutch-mail-key-000001", &[("dell-latitude-5420", 1)]).await;
    let before = app.mail_to(AMIS_MAIL).await.len();

    // The unpaid reminder, 24 days on.
    let state = server::app_state(common::test_config(&app.test_db.url, &[]), app.db().clone());
    let later = app::db::now() + chrono::Duration::days(24);
    let swept = app::order::worker::sweep(&state, later).await.unwrap();
    assert!(swept.reminded >= 1, "{swept:?}");
    let mail = app.mail_to(AMIS_MAIL).await;
    assert!(
        mail[before..]
            .iter()
            .any(|(subject, _)| subject.contains("Herinnering: factuur")),
        "{:?}",
        &mail[before..]
    );

    // A staff step.
    assert_eq!(step(&app, &staff, &orders[0], "mark_paid").await.0, 200);
    let (subject, body) = app.mail_to(AMIS_MAIL).await.last().unwrap().clone();
    assert!(subject.contains("Betaling ontvangen"), "{subject}");
    assert!(!body.contains("Bonjour"), "{body}");
}

/// domain.md, "Ordering", 4: an order holds one fulfilment path. A cart with a Cisco switch,
/// a refurbished laptop and Office becomes three orders, and the laptop's order goes to the
/// partner once paid, without waiting for Cisco's approval (issue 22).
#[tokio::test]
async fn cisco_refurbished_hardware_and_software_become_three_orders() {
    let app = spawn_app().await.with_demo().await;
    let lumiere = app.login("lumiere", DEMO_PASSWORD).await;
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let organisation_id = app.organisation_id("Fondation Lumière pour l'Inclusion").await;
    // Lumière's demo Cisco order would be its one Cisco order of the fiscal year.
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update purchase_order set status = 'cancelled' where reference = 'DEMO-2026-0007'"
    )
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let (status, body) = app
        .call_as(
            &staff,
            "set_qualifications",
            &[
                ("organisation_id", organisation_id.as_str()),
                ("decisions[0][partner_id]", "hardware"),
                ("decisions[0][decision]", "qualified"),
                ("decisions[0][reason]", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let orders = place(
        &app,
        &lumiere,
        "three-paths-key-000001",
        &[
            ("cisco-catalyst-1000-24p-4g-l", 1),
            ("dell-latitude-5420", 1),
            ("office-ltsc-standard-2024", 3),
        ],
    )
    .await;
    assert_eq!(orders.len(), 3);
    let mut details = Vec::new();
    for id in &orders {
        details.push(order(&app, &lumiere, id).await);
    }
    let slugs = |d: &Value| -> Vec<String> {
        d["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["product_slug"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(slugs(&details[0]), ["office-ltsc-standard-2024"]);
    assert_eq!(slugs(&details[1]), ["dell-latitude-5420"]);
    assert_eq!(slugs(&details[2]), ["cisco-catalyst-1000-24p-4g-l"]);
    assert_eq!(details[2]["approval"], "pending");
    assert!(details[1]["approval"].is_null(), "{}", details[1]);
    // Paid, the laptop's order is transmitted at once; Cisco's waits for the approval.
    for id in &orders[1..] {
        assert_eq!(step(&app, &staff, id, "mark_paid").await.0, 200);
    }
    assert_eq!(step(&app, &staff, &orders[1], "transmit").await.0, 200);
    assert_eq!(
        step(&app, &staff, &orders[2], "transmit").await,
        (409, serde_json::json!({ "Conflict": "awaiting_approval" }))
    );
}
