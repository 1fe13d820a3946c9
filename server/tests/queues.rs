//! Staff at scale (issue 24): the order search by reference, transaction, invoice and
//! credit-note number; the work queues of `/admin/orders` and the dashboard counts that open
//! them; two staff on one refund request; and agents scoped to partners (the "Cisco desk"),
//! whose own authorisation matrix is here (the main one, in `accounts`, keeps its six
//! callers).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;

/// Places `lines` for `caller`: the checkout id and the order ids, software first.
async fn place(app: &TestApp, caller: &Caller, key: &str, lines: &[(&str, u32)]) -> (String, Vec<String>) {
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
    let orders = invoices
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["order_id"].as_str().unwrap().to_owned())
        .collect();
    (checkout_id, orders)
}

async fn order(app: &TestApp, caller: &Caller, order_id: &str) -> Value {
    let (status, order) = app.call_as(caller, "load_order", &[("order_id", order_id)]).await;
    assert_eq!(status, 200, "{order}");
    order
}

async fn step(app: &TestApp, staff: &Caller, order_id: &str, action: &str) -> u16 {
    let (status, answer) = app
        .call_as(
            staff,
            "order_step",
            &[("order_id", order_id), ("action", action), ("note", "Étape de test")],
        )
        .await;
    assert_eq!(status, 200, "{action}: {answer}");
    status
}

fn first_line(order: &Value) -> String {
    order["lines"][0]["order_line_id"].as_str().unwrap().to_owned()
}

/// The staff list for `form` (`filter[...]` fields), which must answer 200.
async fn staff_list(app: &TestApp, staff: &Caller, form: &[(&str, &str)]) -> Value {
    let mut fields = form.to_vec();
    if !form.iter().any(|(k, _)| *k == "filter[page]") {
        fields.push(("filter[page]", "0"));
    }
    let (status, list) = app.call_as(staff, "staff_orders", &fields).await;
    assert_eq!(status, 200, "{form:?}: {list}");
    list
}

fn ids(list: &Value) -> Vec<String> {
    list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap().to_owned())
        .collect()
}

fn queue_count(list: &Value, queue: &str) -> i64 {
    list["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q[0] == queue)
        .map_or(0, |q| q[1].as_i64().unwrap())
}

/// Lumière's demo Cisco order is cancelled out of the way (by hand, so that it is no
/// "recent cancellation"), and Lumière places this fiscal year's Cisco order.
async fn cisco_order(app: &TestApp, lumiere: &Caller, key: &str) -> (String, String) {
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update purchase_order set status = 'cancelled' where reference = 'DEMO-2026-0007'"
    )
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let (checkout, orders) = place(app, lumiere, key, &[("cisco-catalyst-1000-24p-4g-l", 1)]).await;
    (checkout, orders[0].clone())
}

/// A paid and transmitted laptop of Les Amis with a refund request: (order, refund request).
async fn laptop_with_refund_request(app: &TestApp, holder: &Caller, staff: &Caller, key: &str) -> (String, String) {
    let (_, orders) = place(app, holder, key, &[("dell-latitude-5420", 1)]).await;
    let laptop = orders[0].clone();
    step(app, staff, &laptop, "mark_paid").await;
    step(app, staff, &laptop, "transmit").await;
    let line = first_line(&order(app, holder, &laptop).await);
    let (status, answer) = app
        .call_as(
            holder,
            "request_refund",
            &[
                ("order_id", &laptop),
                ("lines[0]", &line),
                ("reason", "Commandé par erreur"),
                ("declaration", "false"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let request = order(app, staff, &laptop).await["refunds"][0]["refund_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    (laptop, request)
}

#[tokio::test]
async fn orders_are_found_by_any_spelling_of_their_numbers_and_hostile_searches_are_refused() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let (_, orders) = place(&app, &holder, "search-key-0000000001", &[("dell-latitude-5420", 1)]).await;
    let laptop = orders[0].clone();
    let (_, others) = place(&app, &holder, "search-key-0000000002", &[("dell-p2419h", 1)]).await;
    let detail = order(&app, &staff, &laptop).await;
    let reference = detail["reference"].as_str().unwrap().to_owned();
    let invoice = detail["invoice"]["number"].as_str().unwrap().to_owned();
    let communication = detail["invoice"]["communication"].as_str().unwrap().to_owned();
    assert!(reference.starts_with("DON-"), "{reference}");
    let (year, number) = invoice.split_once('-').unwrap();
    let short = number.trim_start_matches('0');
    let spellings = [
        reference.clone(),
        reference.to_lowercase(),
        reference.replace('-', ""),
        reference.replace('-', " "),
        format!("  don-{year}-{short}  "),
        invoice.clone(),
        format!("{year}{number}"),
        communication.clone(),
        communication.replace(['+', '/'], ""),
    ];
    for typed in &spellings {
        let found = staff_list(&app, &staff, &[("filter[search]", typed)]).await;
        assert_eq!(ids(&found), std::slice::from_ref(&laptop), "{typed}: {found}");
        assert_eq!(found["total"], 1, "{typed}");
    }
    // The other order is not found by the laptop's number, and is by its own.
    let other_reference = order(&app, &staff, &others[0]).await["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let found = staff_list(&app, &staff, &[("filter[search]", &other_reference)]).await;
    assert_eq!(ids(&found), others);

    // A credit note's number finds the order it credits.
    assert_eq!(step(&app, &staff, &laptop, "cancel").await, 200);
    let note = order(&app, &staff, &laptop).await["invoice"]["credit_notes"][0]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(note.starts_with("NC-"), "{note}");
    for typed in [note.clone(), note.to_lowercase().replace('-', " ")] {
        let found = staff_list(&app, &staff, &[("filter[search]", &typed)]).await;
        assert_eq!(ids(&found), std::slice::from_ref(&laptop), "{typed}");
    }
    // Well-formed but nobody's: an empty list, not an error.
    let found = staff_list(&app, &staff, &[("filter[search]", &format!("DON-{year}-999999"))]).await;
    assert_eq!((found["total"].as_i64(), ids(&found).len()), (Some(0), 0));

    // Hostile or meaningless: a field error that says what to type, never a 500 or a list.
    let long = "%".repeat(10_000);
    for typed in [
        "%",
        "_",
        "%%",
        "' or 1=1 --",
        "DON-%",
        "DON-2026-_",
        "\"; drop table purchase_order",
        &long,
    ] {
        let (status, answer) = app
            .call_as(
                &staff,
                "staff_orders",
                &[("filter[page]", "0"), ("filter[search]", typed)],
            )
            .await;
        assert_eq!(status, 422, "{typed}: {answer}");
        let code = answer["Validation"]["fields"]["search"][0].as_str().unwrap_or_default();
        assert!(
            code == "order_search_invalid" || code == "too_long",
            "{typed}: {answer}"
        );
    }
    // Organisations have no search of all orders.
    let (status, _) = app
        .call_as(
            &holder,
            "staff_orders",
            &[("filter[page]", "0"), ("filter[search]", &reference)],
        )
        .await;
    assert_eq!(status, 403);

    // The page's search is its address: one order found opens it, with a redirect the
    // browser follows with or without JavaScript.
    let as_browser = |caller: &Caller, path: &str| {
        let mut request = app.client.get(app.url(path)).header("accept", "text/html");
        if let Some(cookie) = &caller.cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let page = as_browser(&staff, &format!("/admin/orders?q={}", reference.to_lowercase()))
        .await
        .unwrap();
    assert_eq!(page.status(), 302);
    assert_eq!(page.headers()["location"], format!("/admin/orders/{laptop}").as_str());
    // None found: the list's empty state, the search kept in its field.
    let page = app.get_as(&staff, &format!("/admin/orders?q=DON-{year}-999999")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("data-testid=\"queue-empty\""), "{html}");
    assert!(html.contains(&format!("value=\"DON-{year}-999999\"")));
    // A search that is no number: the field's error, on a page that still answers.
    let page = app.get_as(&staff, "/admin/orders?q=%25%25").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
    assert!(!html.contains("class=\"order-card"));
    // An organisation's member is not redirected to anyone's order.
    let page = as_browser(&holder, &format!("/admin/orders?q={reference}"))
        .await
        .unwrap();
    assert_ne!(page.status(), 302);
    assert!(!page.text().await.unwrap().contains(&laptop));
}

#[tokio::test]
async fn each_queue_counts_what_it_lists_and_the_dashboard_shows_the_same_counts() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let lumiere = app.login("lumiere", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    // Refunds: a laptop with a request waiting.
    let (refunded, _) = laptop_with_refund_request(&app, &holder, &staff, "queues-key-0000000001").await;
    // Cancellations and overpayments: a paid laptop the organisation cancels (its money is
    // due back); an expired order is no cancellation to act on.
    let (_, orders) = place(&app, &holder, "queues-key-0000000002", &[("dell-latitude-5420", 1)]).await;
    let cancelled = orders[0].clone();
    step(&app, &staff, &cancelled, "mark_paid").await;
    let line = first_line(&order(&app, &holder, &cancelled).await);
    let (status, answer) = app
        .call_as(
            &holder,
            "cancel_order",
            &[("order_id", &cancelled), ("lines[0]", &line), ("reason", "Plus besoin")],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, orders) = place(&app, &holder, "queues-key-0000000003", &[("dell-p2419h", 1)]).await;
    let expired = orders[0].clone();
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update purchase_order set status = 'cancelled', cancel_reason = 'expired', cancelled_at = $2 \
         where order_id = $1"
    )
    .bind(&expired)
    .bind(chrono::Utc::now())
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    // Awaiting approval: Lumière's new Cisco order.
    let (_, cisco) = cisco_order(&app, &lumiere, "queues-key-0000000004").await;
    // Unpaid: a laptop left unpaid (with the demo's unpaid order).
    let (_, orders) = place(&app, &holder, "queues-key-0000000005", &[("dell-latitude-5420", 1)]).await;
    let unpaid = orders[0].clone();

    let all = staff_list(&app, &staff, &[]).await;
    let (status, dashboard) = app.call_as(&staff, "staff_dashboard", &[]).await;
    assert_eq!(status, 200, "{dashboard}");
    let expect: [(&str, &str, Option<&String>); 5] = [
        ("refunds", "refund_requests", Some(&refunded)),
        ("cancellations", "", Some(&cancelled)),
        ("overpayments", "", Some(&cancelled)),
        ("unpaid", "orders_awaiting_payment", Some(&unpaid)),
        ("awaiting_approval", "", Some(&cisco)),
    ];
    for (queue, field, member) in expect {
        let list = staff_list(&app, &staff, &[("filter[queue]", queue)]).await;
        let listed = ids(&list);
        let total = list["total"].as_i64().unwrap();
        assert!(total > 0, "{queue} is empty: {list}");
        // The count shown on the tab is the number the list holds, on every page.
        assert_eq!(queue_count(&all, queue), total, "{queue}");
        assert_eq!(queue_count(&list, queue), total, "{queue}");
        assert_eq!(i64::try_from(listed.len()).unwrap(), total.min(20), "{queue}");
        // The dashboard's count of the queue its link opens.
        let on_dashboard = dashboard["order_queues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q[0] == queue)
            .map(|q| q[1].as_i64().unwrap());
        assert_eq!(on_dashboard, Some(total), "{queue}");
        if !field.is_empty() {
            assert_eq!(dashboard[field].as_i64(), Some(total), "{field}");
        }
        assert!(listed.contains(member.unwrap()), "{queue}: {list}");
        assert!(!listed.contains(&expired), "{queue} lists the expired order");
        for summary in list["orders"].as_array().unwrap() {
            let id = summary["order_id"].as_str().unwrap();
            let detail = order(&app, &staff, id).await;
            let holds = match queue {
                "refunds" => summary["pending_refunds"].as_i64().unwrap() > 0,
                "cancellations" => detail["status"] == "cancelled",
                "overpayments" => {
                    let invoice = &detail["invoice"];
                    invoice["paid_cents"].as_i64().unwrap() - invoice["refunded_cents"].as_i64().unwrap()
                        > invoice["total_cents"].as_i64().unwrap() - invoice["credited_cents"].as_i64().unwrap()
                }
                "unpaid" => detail["status"] == "submitted",
                _ => detail["approval"] == "pending",
            };
            assert!(holds, "{queue} lists {id}: {detail}");
        }
        // Past the last page: empty, with the same counts.
        let far = staff_list(&app, &staff, &[("filter[queue]", queue), ("filter[page]", "50")]).await;
        assert_eq!((ids(&far).len(), far["total"].as_i64()), (0, Some(total)), "{queue}");
    }
    // The refund queue marks the order with its waiting request; other orders carry no mark.
    let refunds = staff_list(&app, &staff, &[("filter[queue]", "refunds")]).await;
    let marked = refunds["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order_id"] == refunded.as_str())
        .unwrap();
    assert_eq!(marked["pending_refunds"], 1);
    let unpaid_list = staff_list(&app, &staff, &[("filter[queue]", "unpaid")]).await;
    assert!(
        unpaid_list["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["pending_refunds"] == 0 && o["age_days"].as_i64().unwrap() >= 0)
    );
    // The status counts of the dashboard are the status tabs'.
    for (status, field) in [("paid", "orders_to_transmit"), ("transmitted", "orders_transmitted")] {
        let list = staff_list(&app, &staff, &[("filter[status]", status)]).await;
        assert_eq!(dashboard[field].as_i64(), list["total"].as_i64(), "{status}");
    }
    // A queue combines with the other filters: refunds of Zoom orders are none.
    let none = staff_list(
        &app,
        &staff,
        &[("filter[queue]", "refunds"), ("filter[partner]", "zoom")],
    )
    .await;
    assert_eq!(none["total"], 0);
    // The dashboard page links each count to its queue.
    let page = app.get_as(&staff, "/admin").await.text().await.unwrap();
    for href in [
        "/admin/orders?queue=refunds",
        "/admin/orders?queue=unpaid",
        "/admin/orders?status=paid",
        "/admin/orders?status=transmitted",
        "/admin/orders?queue=awaiting_approval",
    ] {
        assert!(page.contains(href), "the dashboard has no link to {href}");
    }
    // The queue page itself renders on the server, with its tabs.
    let page = app.get_as(&staff, "/admin/orders?queue=refunds").await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("data-queue=\"awaiting_approval\""));
}

#[tokio::test]
async fn two_staff_deciding_one_refund_request_at_once_make_one_decision() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let (laptop, request) = laptop_with_refund_request(&app, &holder, &agent, "race-key-00000000001").await;
    let decide = |caller: &Caller, accepted: &'static str, response: &'static str| {
        let app = &app;
        let caller = caller.clone();
        let request = request.clone();
        async move {
            app.call_as(
                &caller,
                "decide_refund",
                &[
                    ("refund_request_id", &request),
                    ("accepted", accepted),
                    ("response", response),
                ],
            )
            .await
            .0
        }
    };
    let (a, b) = tokio::join!(
        decide(&agent, "true", "Colis reçu"),
        decide(&admin, "false", "Hors délai")
    );
    let mut statuses = [a, b];
    statuses.sort_unstable();
    assert_eq!(statuses[0], 200, "{statuses:?}");
    assert!(matches!(statuses[1], 404 | 409), "{statuses:?}");
    assert_eq!(app.audit_count("order.refund_decided").await, 1);
    let detail = order(&app, &agent, &laptop).await;
    let decided: Vec<&Value> = detail["refunds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "pending")
        .collect();
    assert_eq!(decided.len(), 1);
    let credit_notes = detail["invoice"]["credit_notes"].as_array().unwrap().len();
    assert_eq!(credit_notes, usize::from(decided[0]["status"] == "accepted"));
    // The queue no longer holds it.
    let refunds = staff_list(&app, &agent, &[("filter[queue]", "refunds")]).await;
    assert!(!ids(&refunds).contains(&laptop));
}

#[tokio::test]
async fn a_cisco_desk_sees_and_acts_on_cisco_orders_only() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let lumiere = app.login("lumiere", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let desk = app.login("cisco-desk", DEMO_PASSWORD).await;
    let (cisco_checkout, cisco) = cisco_order(&app, &lumiere, "desk-key-00000000001").await;
    let (laptop, refund_request) = laptop_with_refund_request(&app, &holder, &agent, "desk-key-00000000002").await;
    let (laptop_checkout, orders) = place(&app, &holder, "desk-key-00000000003", &[("dell-latitude-5420", 1)]).await;
    let unpaid_laptop = orders[0].clone();
    // A credit note of a non-Cisco order, for the document routes.
    let (_, orders) = place(&app, &holder, "desk-key-00000000004", &[("dell-p2419h", 1)]).await;
    assert_eq!(step(&app, &agent, &orders[0], "cancel").await, 200);
    let other_note = order(&app, &agent, &orders[0]).await["invoice"]["credit_notes"][0]["credit_note_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let invoice_of = |detail: Value| detail["invoice"]["invoice_id"].as_str().unwrap().to_owned();
    let cisco_invoice = invoice_of(order(&app, &agent, &cisco).await);
    let laptop_invoice = invoice_of(order(&app, &agent, &unpaid_laptop).await);
    let cisco_reference = order(&app, &agent, &cisco).await["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let laptop_reference = order(&app, &agent, &laptop).await["reference"]
        .as_str()
        .unwrap()
        .to_owned();

    // Every order function, on a Cisco order (allowed: the answer is the function's own) and on
    // another partner's (refused as if it did not exist). Checked before any state changes.
    // (endpoint, arguments on the Cisco order, its status, arguments on the other, its status)
    type Row<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16, Vec<(&'a str, &'a str)>, u16);
    let table: Vec<Row> = vec![
        (
            "load_order",
            vec![("order_id", &cisco)],
            200,
            vec![("order_id", &laptop)],
            404,
        ),
        (
            "load_invoice",
            vec![("invoice_id", &cisco_invoice)],
            200,
            vec![("invoice_id", &laptop_invoice)],
            404,
        ),
        (
            "load_checkout",
            vec![("checkout_id", &cisco_checkout)],
            200,
            vec![("checkout_id", &laptop_checkout)],
            404,
        ),
        (
            "order_step",
            vec![("order_id", &cisco), ("action", "nope"), ("note", "")],
            422,
            vec![("order_id", &unpaid_laptop), ("action", "nope"), ("note", "")],
            404,
        ),
        (
            "order_step",
            vec![("order_id", &cisco), ("action", "fulfil"), ("note", "")],
            409,
            vec![("order_id", &unpaid_laptop), ("action", "cancel"), ("note", "Test")],
            404,
        ),
        (
            "cancel_order",
            vec![("order_id", &cisco), ("lines[0]", "nope"), ("reason", "")],
            422,
            vec![("order_id", &unpaid_laptop), ("lines[0]", "nope"), ("reason", "Test")],
            404,
        ),
        (
            "mark_order_paid",
            vec![("order_id", &cisco), ("amount", "abc"), ("paid_on", "")],
            422,
            vec![("order_id", &unpaid_laptop), ("amount", ""), ("paid_on", "")],
            404,
        ),
        (
            "add_shipment",
            vec![
                ("order_id", &cisco),
                ("shipped_on", ""),
                ("carrier", "bpost"),
                ("tracking", "X"),
                ("items", "1"),
                ("delivered_on", ""),
            ],
            422,
            vec![
                ("order_id", &laptop),
                ("shipped_on", "2026-11-27"),
                ("carrier", "bpost"),
                ("tracking", "X"),
                ("items", "1"),
                ("delivered_on", ""),
            ],
            404,
        ),
        (
            "mark_delivered",
            vec![("order_id", &cisco), ("shipment_id", "nope"), ("delivered_on", "")],
            422,
            vec![
                ("order_id", &laptop),
                ("shipment_id", "nope"),
                ("delivered_on", "2026-11-27"),
            ],
            404,
        ),
        (
            "set_fulfilment",
            vec![
                ("order_id", &cisco),
                ("order_line_id", "nope"),
                ("code", "X"),
                ("note", ""),
                ("expires_on", "bad"),
            ],
            422,
            vec![
                ("order_id", &laptop),
                ("order_line_id", "nope"),
                ("code", "X"),
                ("note", ""),
                ("expires_on", ""),
            ],
            404,
        ),
        (
            "decide_refund",
            vec![("refund_request_id", "nope"), ("accepted", "true"), ("response", "")],
            404,
            vec![
                ("refund_request_id", &refund_request),
                ("accepted", "true"),
                ("response", "OK"),
            ],
            404,
        ),
        (
            "record_refund",
            vec![
                ("input[invoice_id]", &cisco_invoice),
                ("input[amount]", "abc"),
                ("input[iban]", "BE68 5390 0754 7034"),
                ("input[paid_on]", ""),
                ("input[note]", ""),
            ],
            422,
            vec![
                ("input[invoice_id]", &laptop_invoice),
                ("input[amount]", "1,00"),
                ("input[iban]", "BE68 5390 0754 7034"),
                ("input[paid_on]", ""),
                ("input[note]", ""),
            ],
            404,
        ),
        // The money desk spans every partner: closed to the desk, open to the agent.
        ("refunds_due", vec![], 403, vec![], 403),
        (
            "list_payments",
            vec![("exceptions_only", "true"), ("page", "0")],
            403,
            vec![("exceptions_only", "false"), ("page", "0")],
            403,
        ),
        (
            "import_statement",
            vec![("xml", "<x/>")],
            403,
            vec![("xml", "<x/>")],
            403,
        ),
        (
            "record_payment",
            vec![("reference", "nope"), ("amount", "1"), ("booked_on", "2026-11-27")],
            403,
            vec![
                ("reference", &laptop_reference),
                ("amount", "1"),
                ("booked_on", "2026-11-27"),
            ],
            403,
        ),
        (
            "resolve_payment",
            vec![("payment_id", "nope")],
            403,
            vec![("payment_id", "nope")],
            403,
        ),
        (
            "assign_payment",
            vec![("payment_id", "nope"), ("reference", "nope")],
            403,
            vec![("payment_id", "nope"), ("reference", "nope")],
            403,
        ),
        (
            "set_staff_scope",
            vec![("person_id", "nobody"), ("partners[0]", "cisco")],
            403,
            vec![("person_id", "nobody")],
            403,
        ),
    ];
    for (endpoint, allowed, allowed_status, refused, refused_status) in &table {
        let (status, answer) = app.call_as(&desk, endpoint, allowed).await;
        assert_eq!(status, *allowed_status, "desk, {endpoint} on a Cisco order: {answer}");
        let (status, answer) = app.call_as(&desk, endpoint, refused).await;
        assert_eq!(status, *refused_status, "desk, {endpoint} on another order: {answer}");
        // Never another partner's data in a refusal.
        assert!(!answer.to_string().contains(&laptop_reference), "{endpoint}: {answer}");
    }
    // Nothing the refusals touched changed.
    assert_eq!(order(&app, &agent, &unpaid_laptop).await["status"], "submitted");
    assert_eq!(order(&app, &agent, &laptop).await["refunds"][0]["status"], "pending");
    assert_eq!(app.audit_count("order.refund_decided").await, 0);
    // The unscoped agent reaches what the desk may not.
    for endpoint in ["refunds_due"] {
        assert_eq!(app.call_as(&agent, endpoint, &[]).await.0, 200);
    }
    // The Cisco decision is the desk's to record.
    let (status, answer) = app
        .call_as(
            &desk,
            "cisco_decision",
            &[("order_id", &cisco), ("approved", "true"), ("note", "")],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = app
        .call_as(
            &desk,
            "cisco_decision",
            &[("order_id", &laptop), ("approved", "true"), ("note", "")],
        )
        .await;
    assert_eq!(status, 404);

    // Document routes: the Cisco invoice opens, the others are missing; the archive of every
    // partner is refused.
    let get = |caller: &Caller, path: String| {
        let app = &app;
        let caller = caller.clone();
        async move { app.get_as(&caller, &path).await.status().as_u16() }
    };
    assert_eq!(get(&desk, format!("/invoices/{cisco_invoice}/pdf")).await, 200);
    for path in [
        format!("/invoices/{laptop_invoice}/pdf"),
        format!("/invoices/{laptop_invoice}/qr.png"),
        format!("/invoices/{laptop_invoice}/ubl"),
        format!("/credit-notes/{other_note}/pdf"),
        format!("/credit-notes/{other_note}/ubl"),
    ] {
        assert_eq!(get(&desk, path.clone()).await, 404, "{path}");
    }
    assert_eq!(get(&agent, format!("/invoices/{laptop_invoice}/pdf")).await, 200);
    assert_eq!(get(&agent, format!("/credit-notes/{other_note}/pdf")).await, 200);
    let archive = "/admin/documents.zip?from=2026-01-01&to=2026-12-31".to_owned();
    assert_eq!(get(&desk, archive.clone()).await, 403);
    assert_eq!(get(&agent, archive).await, 200);

    // Lists, queues, counts and search hold Cisco orders only.
    let desk_all = staff_list(&app, &desk, &[]).await;
    assert!(desk_all["total"].as_i64().unwrap() >= 1);
    for summary in desk_all["orders"].as_array().unwrap() {
        assert_eq!(summary["partners"], serde_json::json!(["Cisco"]), "{summary}");
    }
    let agent_cisco = staff_list(&app, &agent, &[("filter[partner]", "cisco")]).await;
    assert_eq!(desk_all["total"], agent_cisco["total"]);
    let agent_all = staff_list(&app, &agent, &[]).await;
    assert!(ids(&desk_all).contains(&cisco));
    assert!(!ids(&desk_all).contains(&laptop));
    assert_eq!(queue_count(&desk_all, "refunds"), 0);
    assert!(queue_count(&agent_all, "refunds") >= 1);
    let desk_refunds = staff_list(&app, &desk, &[("filter[queue]", "refunds")]).await;
    assert_eq!((desk_refunds["total"].as_i64(), ids(&desk_refunds).len()), (Some(0), 0));
    let found = staff_list(&app, &desk, &[("filter[search]", &laptop_reference)]).await;
    assert_eq!(found["total"], 0);
    let found = staff_list(&app, &desk, &[("filter[search]", &cisco_reference)]).await;
    assert_eq!(ids(&found), std::slice::from_ref(&cisco));
    let (_, desk_board) = app.call_as(&desk, "staff_dashboard", &[]).await;
    let (_, agent_board) = app.call_as(&agent, "staff_dashboard", &[]).await;
    assert_eq!(desk_board["refund_requests"], 0);
    assert!(agent_board["refund_requests"].as_i64().unwrap() >= 1);
    assert_eq!(desk_board["order_queues"], desk_all["queues"]);
    // Work that is not about orders stays open to the desk.
    assert_eq!(app.call_as(&desk, "review_queue", &[]).await.0, 200);
}

#[tokio::test]
async fn admins_scope_agents_audited_and_the_scope_applies_at_once() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let (_, orders) = place(&app, &holder, "scope-key-0000000001", &[("dell-latitude-5420", 1)]).await;
    let laptop = orders[0].clone();
    let (_, members) = app.call_as(&admin, "staff_members", &[]).await;
    let person = |username_email: &str| {
        members
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"].as_str().unwrap().starts_with(username_email))
            .unwrap()
            .clone()
    };
    assert_eq!(person("cisco-desk@")["partners"], serde_json::json!(["cisco"]));
    assert_eq!(person("agent@")["partners"], serde_json::json!([]));
    let agent_id = person("agent@")["person_id"].as_str().unwrap().to_owned();
    let admin_id = person("staff@")["person_id"].as_str().unwrap().to_owned();

    // Refused: an unknown partner, an admin, and anyone but an admin.
    let (status, answer) = app
        .call_as(
            &admin,
            "set_staff_scope",
            &[("person_id", &agent_id), ("partners[0]", "nope")],
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    let (status, _) = app
        .call_as(
            &admin,
            "set_staff_scope",
            &[("person_id", &admin_id), ("partners[0]", "cisco")],
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = app
        .call_as(
            &agent,
            "set_staff_scope",
            &[("person_id", &agent_id), ("partners[0]", "cisco")],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.audit_count("staff.scope_changed").await, 0);

    // The agent limited to Adobe and Microsoft loses the laptop at its next request.
    assert_eq!(order(&app, &agent, &laptop).await["order_id"], laptop.as_str());
    let (status, answer) = app
        .call_as(
            &admin,
            "set_staff_scope",
            &[
                ("person_id", &agent_id),
                ("partners[0]", "microsoft"),
                ("partners[1]", "adobe"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(app.audit_count("staff.scope_changed").await, 1);
    let (status, _) = app.call_as(&agent, "load_order", &[("order_id", &laptop)]).await;
    assert_eq!(status, 404);
    let list = staff_list(&app, &agent, &[]).await;
    for summary in list["orders"].as_array().unwrap() {
        for partner in summary["partners"].as_array().unwrap() {
            assert!(partner == "Microsoft" || partner == "Adobe", "{summary}");
        }
    }
    // The same scope again changes nothing and writes no audit row.
    let (status, _) = app
        .call_as(
            &admin,
            "set_staff_scope",
            &[
                ("person_id", &agent_id),
                ("partners[0]", "adobe"),
                ("partners[1]", "microsoft"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.audit_count("staff.scope_changed").await, 1);
    // No partner: every order again.
    let (status, answer) = app
        .call_as(&admin, "set_staff_scope", &[("person_id", &agent_id)])
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(app.audit_count("staff.scope_changed").await, 2);
    assert_eq!(order(&app, &agent, &laptop).await["order_id"], laptop.as_str());
    // The staff page renders with the partners' checkboxes.
    let page = app.get_as(&admin, "/admin/staff").await;
    assert_eq!(page.status(), 200);
}

/// The demo's order `reference`: its id.
async fn demo_order(app: &TestApp, reference: &str) -> String {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, String>(
        "select order_id from purchase_order where reference = $1"
    )
    .bind(reference)
    .fetch_one(pool)
    .await)
    .unwrap()
}

/// One order's processing page is served as islands: the order and the panel are one island
/// whose props are the order as `load_order` read it for this agent. An order outside a
/// scoped agent's partners answers 404 and its page carries nothing of it.
#[tokio::test]
async fn one_orders_page_is_one_island_holding_only_an_order_the_agent_may_see() {
    let app = spawn_app().await.with_demo().await;
    let desk = app.login("cisco-desk", DEMO_PASSWORD).await;
    // Fondation Lumière's Cisco order (transmitted hardware) and its AWS one.
    let cisco = demo_order(&app, "DEMO-2026-0007").await;
    let aws = demo_order(&app, "DEMO-2026-0006").await;

    let page = app.get_as(&desk, &format!("/admin/orders/{cisco}")).await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    let (props, body) = common::only_island(&html, "StaffOrder");
    assert!(props.contains("DEMO-2026-0007"), "{props}");
    assert!(props.contains("&quot;locale&quot;:&quot;fr&quot;"), "{props}");
    // The server rendered the order and the staff's forms inside it (a transmitted hardware
    // order: its shipments).
    assert!(body.contains("data-testid=\"order-status\""), "{body}");
    assert!(body.contains(">Traitement<"), "{body}");

    // In Dutch, the island's own texts are Dutch: its props carry the language.
    let dutch = app
        .page_as(
            &desk,
            &format!("/admin/orders/{cisco}"),
            &[("accept-language", "nl-BE")],
        )
        .await;
    assert!(dutch.contains("&quot;locale&quot;:&quot;nl&quot;"));
    assert!(!dutch.contains(">Traitement<"));

    // Another partner's order, for the Cisco desk: not found, and nothing of it on the page.
    let page = app.get_as(&desk, &format!("/admin/orders/{aws}")).await;
    assert_eq!(page.status().as_u16(), 404);
    let html = page.text().await.unwrap();
    assert!(!html.contains("StaffOrder_"), "{html}");
    assert!(!html.contains("DEMO-2026-0006"), "{html}");
    assert!(!html.contains("aws-credit-grant"), "{html}");
    // Nor an order that does not exist, nor an address that is no order id.
    for path in [
        "/admin/orders/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11",
        "/admin/orders/%27%3B--",
    ] {
        let page = app.get_as(&desk, path).await;
        assert_eq!(page.status().as_u16(), 404, "{path}");
    }
}
