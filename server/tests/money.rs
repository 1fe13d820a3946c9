//! The money trail over HTTP (issue 23), on both engines: partial payments, overpayments paid
//! back, cancellations after payment and accepted refunds with numbered credit notes, the
//! refund ledger, unmatched payments, CODA statements with grouped lines, and the Peppol
//! documents of a VAT-registered Belgian organisation (written to `$PEPPOL_OUT`, where the
//! test command validates them with the official rules).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;

/// Places `lines` for `caller`: (order id, invoice id, total cents, communication digits) per
/// order, software first.
async fn place(app: &TestApp, caller: &Caller, key: &str, lines: &[(&str, u32)]) -> Vec<(String, String, i64, String)> {
    let mut form = vec![("idempotency_key".to_owned(), key.to_owned())];
    for (i, (slug, quantity)) in lines.iter().enumerate() {
        form.push((format!("lines[{i}][slug]"), (*slug).to_owned()));
        form.push((format!("lines[{i}][quantity]"), quantity.to_string()));
    }
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, answer) = app.call_as(caller, "checkout", &refs).await;
    assert_eq!(status, 200, "{answer}");
    let checkout_id = answer["Placed"]["checkout_id"].as_str().unwrap().to_owned();
    let (_, invoices) = app
        .call_as(caller, "load_checkout", &[("checkout_id", &checkout_id)])
        .await;
    invoices
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let digits: String = i["communication"]
                .as_str()
                .unwrap()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            (
                i["order_id"].as_str().unwrap().to_owned(),
                i["invoice_id"].as_str().unwrap().to_owned(),
                i["total_cents"].as_i64().unwrap(),
                digits,
            )
        })
        .collect()
}

fn euros(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

async fn invoice(app: &TestApp, caller: &Caller, invoice_id: &str) -> Value {
    let (status, answer) = app.call_as(caller, "load_invoice", &[("invoice_id", invoice_id)]).await;
    assert_eq!(status, 200, "{answer}");
    answer[0].clone()
}

async fn order_status(app: &TestApp, caller: &Caller, order_id: &str) -> String {
    let (status, order) = app.call_as(caller, "load_order", &[("order_id", order_id)]).await;
    assert_eq!(status, 200, "{order}");
    order["status"].as_str().unwrap().to_owned()
}

async fn pay(app: &TestApp, staff: &Caller, reference: &str, cents: i64) -> (u16, Value) {
    app.call_as(
        staff,
        "record_payment",
        &[
            ("reference", reference),
            ("amount", &euros(cents)),
            ("booked_on", "2026-11-27"),
        ],
    )
    .await
}

async fn refund(
    app: &TestApp,
    staff: &Caller,
    invoice_id: Option<&str>,
    payment_id: Option<&str>,
    cents: i64,
) -> (u16, Value) {
    let mut form = vec![
        ("input[amount]", euros(cents)),
        ("input[iban]", "BE68 5390 0754 7034".to_owned()),
        ("input[paid_on]", "2026-11-28".to_owned()),
        ("input[note]", String::new()),
    ];
    if let Some(id) = invoice_id {
        form.push(("input[invoice_id]", id.to_owned()));
    }
    if let Some(id) = payment_id {
        form.push(("input[payment_id]", id.to_owned()));
    }
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(staff, "record_refund", &refs).await
}

async fn refunds_due(app: &TestApp, staff: &Caller) -> Vec<(String, i64)> {
    let (status, due) = app.call_as(staff, "refunds_due", &[]).await;
    assert_eq!(status, 200, "{due}");
    due.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["invoice_id"].as_str().unwrap().to_owned(),
                d["amount_cents"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The money of an invoice as its page shows it: (paid, credited, refunded).
fn money(invoice: &Value) -> (i64, i64, i64) {
    (
        invoice["paid_cents"].as_i64().unwrap(),
        invoice["credited_cents"].as_i64().unwrap(),
        invoice["refunded_cents"].as_i64().unwrap(),
    )
}

/// The PDF's text is WinAnsi, uncompressed: a line of ASCII is a literal string, a line with
/// other characters a hex string (`<C9746174>` for "État"). `needle` is in one or the other.
fn pdf_says(pdf: &[u8], needle: &str) -> bool {
    let latin1: Vec<u8> = needle
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let hex: String = latin1.iter().map(|b| format!("{b:02X}")).collect();
    let found = |bytes: &[u8]| pdf.windows(bytes.len()).any(|w| w == bytes);
    found(&latin1) || found(hex.as_bytes())
}

/// Keeps a UBL document for the test command's validation with the official Peppol rules.
fn keep_for_peppol(name: &str, xml: &str) {
    if let Some(dir) = std::env::var_os("PEPPOL_OUT") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), xml).unwrap();
    }
}

#[tokio::test]
async fn partial_payments_settle_an_invoice_and_an_overpayment_is_paid_back_from_the_queue() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(&app, &holder, "money-key-000000001", &[("adobe-acrobat-pro-2024", 1)]).await;
    let (order_id, invoice_id, total, communication) = orders[0].clone();

    // Part of it: "payée en partie", the order waits for the rest.
    assert_eq!(
        pay(&app, &staff, &communication, 5_000).await,
        (200, Value::from("partial"))
    );
    assert_eq!(money(&invoice(&app, &holder, &invoice_id).await), (5_000, 0, 0));
    assert_eq!(order_status(&app, &holder, &order_id).await, "submitted");
    let pdf = app
        .get_as(&holder, &format!("/invoices/{invoice_id}/pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(pdf_says(&pdf, "Payée en partie"), "the PDF shows the state");
    assert!(pdf_says(&pdf, &euros(total - 5_000)), "and what is left to pay");

    // "Marquer payée" records the rest as a payment of the amount due: paid.
    let (status, answer) = app
        .call_as(
            &staff,
            "mark_order_paid",
            &[("order_id", &order_id), ("amount", ""), ("paid_on", "2026-11-28")],
        )
        .await;
    assert_eq!((status, answer), (200, Value::from("paid")));
    assert_eq!(money(&invoice(&app, &holder, &invoice_id).await), (total, 0, 0));
    let recorded: Vec<(String, i64)> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select source, amount_cents from payment where invoice_id = $1 order by created_at"
    )
    .bind(&invoice_id)
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(
        recorded,
        [("manual".to_owned(), 5_000), ("manual".to_owned(), total - 5_000)]
    );
    // A member cannot record money, and a future date is refused.
    let (status, _) = app
        .call_as(
            &holder,
            "mark_order_paid",
            &[("order_id", &order_id), ("amount", ""), ("paid_on", "")],
        )
        .await;
    assert_eq!(status, 403);

    // The payer sends it again by mistake: excess, in the refund queue for exactly that.
    assert_eq!(
        pay(&app, &staff, &communication, 2_500).await,
        (200, Value::from("excess"))
    );
    assert_eq!(refunds_due(&app, &staff).await, [(invoice_id.clone(), 2_500)]);
    // Never more than is due back, never to a wrong IBAN, never by a member.
    assert_eq!(refund(&app, &staff, Some(&invoice_id), None, 2_501).await.0, 422);
    let (status, answer) = app
        .call_as(
            &staff,
            "record_refund",
            &[
                ("input[invoice_id]", invoice_id.as_str()),
                ("input[amount]", "25,00"),
                ("input[iban]", "BE68 5390 0754 7035"),
                ("input[paid_on]", "2026-11-28"),
                ("input[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(refund(&app, &holder, Some(&invoice_id), None, 2_500).await.0, 403);
    // A date in the future is refused; an empty one is today (the form says so).
    let dated = |paid_on: &'static str| {
        let (app, staff, invoice_id) = (&app, &staff, invoice_id.clone());
        async move {
            app.call_as(
                staff,
                "record_refund",
                &[
                    ("input[invoice_id]", invoice_id.as_str()),
                    ("input[amount]", "1,00"),
                    ("input[iban]", "BE68 5390 0754 7034"),
                    ("input[paid_on]", paid_on),
                    ("input[note]", ""),
                ],
            )
            .await
        }
    };
    assert_eq!(dated("2999-01-01").await.0, 422);
    assert_eq!(dated("").await.0, 200);
    assert_eq!(refund(&app, &staff, Some(&invoice_id), None, 2_400).await.0, 200);
    assert!(refunds_due(&app, &staff).await.is_empty());
    assert_eq!(
        money(&invoice(&app, &holder, &invoice_id).await),
        (total + 2_500, 0, 2_500)
    );
    // Overpayment paid back: the invoice is still simply paid, the order too.
    assert_eq!(order_status(&app, &holder, &order_id).await, "paid");
    let ledger: Vec<(i64, String, String)> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select amount_cents, iban, paid_on from refund where invoice_id = $1"
    )
    .bind(&invoice_id)
    .fetch_all(pool)
    .await)
    .unwrap();
    // The one left undated is dated today in Belgium: today or tomorrow in UTC terms.
    let utc_today = chrono::Utc::now().date_naive();
    let around_today = [utc_today.to_string(), utc_today.succ_opt().unwrap().to_string()];
    assert_eq!(ledger.len(), 2);
    assert!(
        ledger
            .iter()
            .any(|(cents, iban, day)| *cents == 100 && iban == "BE68539007547034" && around_today.contains(day)),
        "{ledger:?}"
    );
    assert!(ledger.contains(&(2_400, "BE68539007547034".to_owned(), "2026-11-28".to_owned())));
}

#[tokio::test]
async fn a_paid_order_cancelled_or_refunded_gets_numbered_credit_notes_and_is_refunded_once_the_money_is_back() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(
        &app,
        &holder,
        "money-key-000000002",
        &[("adobe-acrobat-pro-2024", 1), ("dell-latitude-5420", 1)],
    )
    .await;
    let (software, software_invoice, software_total, software_comm) = orders[0].clone();
    let (hardware, hardware_invoice, hardware_total, _) = orders[1].clone();
    assert_eq!(pay(&app, &staff, &software_comm, software_total).await.1, "matched");
    let step = |order_id: String, action: &'static str, note: &'static str| {
        let (app, staff) = (&app, &staff);
        async move {
            app.call_as(
                staff,
                "order_step",
                &[("order_id", &order_id), ("action", action), ("note", note)],
            )
            .await
        }
    };

    // Cancelled after payment: a credit note for the whole invoice, and the refund is due.
    let (status, answer) = app
        .call_as(
            &holder,
            "cancel_order",
            &[
                ("order_id", software.as_str()),
                ("lines[0]", line_of(&app, &software).await.as_str()),
                ("reason", "Plus besoin"),
            ],
        )
        .await;
    assert_eq!((status, answer), (200, Value::from("cancelled")));
    let page = invoice(&app, &holder, &software_invoice).await;
    assert_eq!(money(&page), (software_total, software_total, 0));
    let notes = page["credit_notes"].as_array().unwrap().clone();
    assert_eq!(notes.len(), 1);
    let first_number = notes[0]["number"].as_str().unwrap().to_owned();
    assert!(
        first_number.starts_with("NC-2026-") || first_number.starts_with("NC-20"),
        "{first_number}"
    );
    assert_eq!(
        refunds_due(&app, &staff).await,
        [(software_invoice.clone(), software_total)]
    );

    // The credit note's PDF: to its organisation and staff only.
    let note_id = notes[0]["credit_note_id"].as_str().unwrap().to_owned();
    let pdf_path = format!("/credit-notes/{note_id}/pdf");
    let pdf = app.get_as(&holder, &pdf_path).await;
    assert_eq!(pdf.status(), 200);
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(pdf_says(&bytes, &format!("Note de crédit {first_number}")));
    assert!(pdf_says(&bytes, "Corrige la facture"));
    assert_eq!(app.get_as(&staff, &pdf_path).await.status(), 200);
    assert_eq!(app.get_as(&other, &pdf_path).await.status(), 404);
    assert_eq!(app.get(&pdf_path).await.status(), 401);
    // No Peppol document for an organisation that is not VAT-registered.
    assert_eq!(
        app.get_as(&holder, &format!("/credit-notes/{note_id}/ubl"))
            .await
            .status(),
        404
    );

    // Recording the money back makes the order "refunded"; the invoice too.
    assert_eq!(
        step(software.clone(), "refund", "").await.0,
        409,
        "never by a click alone"
    );
    assert_eq!(
        refund(&app, &staff, Some(&software_invoice), None, software_total)
            .await
            .0,
        200
    );
    assert_eq!(order_status(&app, &holder, &software).await, "refunded");
    assert_eq!(
        money(&invoice(&app, &holder, &software_invoice).await),
        (software_total, software_total, software_total)
    );
    // "Mes demandes" lists it with its invoice's state.
    let (status, list) = app.call_as(&holder, "my_orders", &[("filter[page]", "0")]).await;
    assert_eq!(status, 200, "{list}");
    let listed = list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order_id"] == software.as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["invoice_state"], "refunded", "{listed}");

    // The hardware order: paid, shipped, then an accepted refund request.
    for action in ["mark_paid", "transmit"] {
        assert_eq!(step(hardware.clone(), action, "").await.0, 200, "{action}");
    }
    let dell = line_of(&app, &hardware).await;
    let (status, answer) = app
        .call_as(
            &holder,
            "request_refund",
            &[
                ("order_id", hardware.as_str()),
                ("lines[0]", dell.as_str()),
                ("reason", "Écran cassé"),
                ("declaration", "false"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let request_id: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select refund_request_id from refund_request where order_id = $1"
    )
    .bind(&hardware)
    .fetch_one(pool)
    .await)
    .unwrap();
    let (status, answer) = app
        .call_as(
            &staff,
            "decide_refund",
            &[
                ("refund_request_id", request_id.as_str()),
                ("accepted", "true"),
                ("response", "Colis reçu"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let page = invoice(&app, &holder, &hardware_invoice).await;
    let second_number = page["credit_notes"][0]["number"].as_str().unwrap().to_owned();
    // Gap-free: the next number of the year's series.
    let n = |number: &str| number.rsplit('-').next().unwrap().parse::<i64>().unwrap();
    assert_eq!(
        n(&second_number),
        n(&first_number) + 1,
        "{first_number} then {second_number}"
    );
    assert_eq!(
        order_status(&app, &holder, &hardware).await,
        "transmitted",
        "until the money is back"
    );
    assert_eq!(
        refunds_due(&app, &staff).await,
        [(hardware_invoice.clone(), hardware_total)]
    );
    // Paid back in two transfers: refunded only after the second.
    assert_eq!(refund(&app, &staff, Some(&hardware_invoice), None, 1_000).await.0, 200);
    assert_eq!(order_status(&app, &holder, &hardware).await, "transmitted");
    assert_eq!(
        refund(&app, &staff, Some(&hardware_invoice), None, hardware_total - 1_000)
            .await
            .0,
        200
    );
    assert_eq!(order_status(&app, &holder, &hardware).await, "refunded");
    assert!(refunds_due(&app, &staff).await.is_empty());
    assert_eq!(app.audit_count("refund.paid").await, 3);
}

/// The first line of an order.
async fn line_of(app: &TestApp, order_id: &str) -> String {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select order_line_id from order_line where order_id = $1 order by created_at, order_line_id limit 1"
    )
    .bind(order_id)
    .fetch_one(pool)
    .await)
    .unwrap()
}

#[tokio::test]
async fn unmatched_payments_are_given_to_their_invoice_or_paid_back() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(&app, &holder, "money-key-000000003", &[("adobe-acrobat-pro-2024", 1)]).await;
    let (order_id, invoice_id, total, _) = orders[0].clone();
    // Two transfers whose communication names no invoice (a valid one, of no invoice).
    let stray = "+++999/9999/99948+++";
    for cents in [total, 4_200] {
        assert_eq!(pay(&app, &staff, stray, cents).await, (200, Value::from("unmatched")));
    }
    let ids: Vec<(String, i64)> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select payment_id, amount_cents from payment where invoice_id is null order by amount_cents"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let (small, large) = (ids[0].0.clone(), ids[1].0.clone());
    // The first is the payer's invoice: given to it, the order is paid.
    let number = invoice(&app, &holder, &invoice_id).await["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, outcome) = app
        .call_as(
            &staff,
            "assign_payment",
            &[("payment_id", large.as_str()), ("reference", number.as_str())],
        )
        .await;
    assert_eq!((status, outcome), (200, Value::from("matched")));
    assert_eq!(order_status(&app, &holder, &order_id).await, "paid");
    let (status, _) = app
        .call_as(
            &staff,
            "assign_payment",
            &[("payment_id", large.as_str()), ("reference", number.as_str())],
        )
        .await;
    assert_eq!(status, 409, "once");
    assert_eq!(
        app.call_as(
            &holder,
            "assign_payment",
            &[("payment_id", small.as_str()), ("reference", number.as_str())]
        )
        .await
        .0,
        403
    );
    // The other is nobody's: paid back whole, and out of the exceptions.
    assert_eq!(refund(&app, &staff, None, Some(&small), 4_201).await.0, 422);
    assert_eq!(refund(&app, &staff, None, Some(&small), 4_200).await.0, 200);
    assert_eq!(
        refund(&app, &staff, None, Some(&large), 100).await.0,
        409,
        "matched now"
    );
    let (status, open) = app
        .call_as(&staff, "list_payments", &[("exceptions_only", "true"), ("page", "0")])
        .await;
    assert_eq!(status, 200);
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .all(|p| p["payment_id"] != small.as_str()),
        "{open}"
    );
}

#[tokio::test]
async fn a_coda_statement_with_a_grouped_line_pays_each_invoice_once() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let first = place(&app, &holder, "money-key-000000004", &[("adobe-acrobat-pro-2024", 1)]).await;
    let second = place(&app, &holder, "money-key-000000005", &[("adobe-acrobat-pro-2024", 1)]).await;
    // The Febelfin-shaped statement of the domain's tests, whose single credit (84,70) and
    // first grouped detail (121,00) now name these two invoices.
    let coda = include_str!("../../crates/domain/tests/fixtures/coda/grouped.cod")
        .replace("202600010195", &first[0].3)
        .replace("202600010296", &second[0].3);
    let (status, report) = app.call_as(&staff, "import_statement", &[("xml", coda.as_str())]).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        report["credits"], 5,
        "the grouped line counts as its three details: {report}"
    );
    assert_eq!(report["debits"], 1);
    assert_eq!(report["unmatched"], 3);
    assert_eq!(report["already_imported"], 0);
    assert_eq!(money(&invoice(&app, &holder, &first[0].1).await).0, 8_470);
    assert_eq!(money(&invoice(&app, &holder, &second[0].1).await).0, 12_100);
    let sources: Vec<String> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select distinct source from payment where statement_id like 'CODA:%'"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(sources, ["coda"]);
    // Imported again: nothing changes.
    let (status, again) = app.call_as(&staff, "import_statement", &[("xml", coda.as_str())]).await;
    assert_eq!(status, 200);
    assert_eq!(again["already_imported"], 5, "{again}");
    assert_eq!(money(&invoice(&app, &holder, &first[0].1).await).0, 8_470);
    // A file that is neither camt.053 nor CODA says so.
    let (status, refused) = app.call_as(&staff, "import_statement", &[("xml", "hello")]).await;
    assert_eq!(status, 422, "{refused}");
}

#[tokio::test]
async fn a_vat_registered_belgian_organisation_gets_peppol_documents_stored_as_issued() {
    let app = spawn_app().await.with_demo().await;
    // Les Amis du Quartier registers for VAT (a taxable ASBL).
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update organisation set vat_status = 'taxable', vat_number = 'BE0412345614' where legal_name = $1"
    )
    .bind("Les Amis du Quartier ASBL")
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(
        &app,
        &holder,
        "money-key-000000006",
        &[("office-ltsc-standard-2024", 3), ("adobe-acrobat-pro-2024", 2)],
    )
    .await;
    let (order_id, invoice_id, total, _) = orders[0].clone();
    let path = format!("/invoices/{invoice_id}/ubl");
    let response = app.get_as(&holder, &path).await;
    assert_eq!(response.status(), 200);
    let xml = response.text().await.unwrap();
    assert!(
        xml.contains(r#"<cbc:EndpointID schemeID="0208">0412345614</cbc:EndpointID>"#),
        "{xml}"
    );
    assert!(xml.contains("BE0412345614"));
    assert!(
        xml.contains(&format!("{}.{:02}", total / 100, total % 100)),
        "the total"
    );
    keep_for_peppol("app-invoice-taxable.xml", &xml);
    assert_eq!(app.get_as(&other, &path).await.status(), 404);
    assert_eq!(app.get(&path).await.status(), 401);

    // Cancelling the Microsoft line, then the rest: two e-credit notes referencing it.
    let office = line_of(&app, &order_id).await;
    let cancel = |line: String, reason: &'static str| {
        let (app, holder, order_id) = (&app, &holder, order_id.clone());
        async move {
            app.call_as(
                holder,
                "cancel_order",
                &[
                    ("order_id", order_id.as_str()),
                    ("lines[0]", line.as_str()),
                    ("reason", reason),
                ],
            )
            .await
        }
    };
    assert_eq!(cancel(office, "Commandé par erreur").await.0, 200);
    let rest: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select order_line_id from order_line where order_id = $1 and cancelled_at is null"
    )
    .bind(&order_id)
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(cancel(rest, "Plus besoin").await.0, 200);
    let page = invoice(&app, &holder, &invoice_id).await;
    let notes = page["credit_notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    let mut credited = 0;
    for (note, name) in notes
        .iter()
        .zip(["app-creditnote-partial.xml", "app-creditnote-rest.xml"])
    {
        assert_eq!(note["e_invoice"], true);
        let id = note["credit_note_id"].as_str().unwrap();
        let xml = app
            .get_as(&holder, &format!("/credit-notes/{id}/ubl"))
            .await
            .text()
            .await
            .unwrap();
        assert!(xml.contains("<CreditNote"), "{xml}");
        assert!(xml.contains(page["number"].as_str().unwrap()), "references its invoice");
        keep_for_peppol(name, &xml);
        credited += note["total_cents"].as_i64().unwrap();
    }
    assert_eq!(
        credited, total,
        "the two credit notes add up to the invoice, to the cent"
    );

    // Stored as issued: the stored text is served, never regenerated.
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update organisation set legal_name = 'Renamed ASBL' where legal_name = 'Les Amis du Quartier ASBL'"
    )
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    assert_eq!(app.get_as(&holder, &path).await.text().await.unwrap(), xml);
    // And the database refuses to change or delete what was issued.
    let changed = app::on_pool!(app.db(), |pool| sqlx::query("update e_document set xml = 'changed'")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()));
    assert!(changed.is_err(), "an issued document was changed");
    let deleted = app::on_pool!(app.db(), |pool| sqlx::query("delete from e_document")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()));
    assert!(deleted.is_err(), "an issued document was deleted");

    // The sender seam: each document handed once to the access point's folder, by number.
    let folder = std::env::temp_dir().join(format!("peppol-drop-{}", app::db::new_id()));
    let state = server::app_state(common::test_config(&app.test_db.url, &[]), app.db().clone());
    let sender = app::billing::sender::FolderDrop { folder: folder.clone() };
    assert_eq!(app::billing::sender::send_pending(&state, &sender).await.unwrap(), 3);
    assert_eq!(
        app::billing::sender::send_pending(&state, &sender).await.unwrap(),
        0,
        "sent once"
    );
    let dropped = std::fs::read_to_string(folder.join(format!("{}.xml", page["number"].as_str().unwrap()))).unwrap();
    assert_eq!(dropped, xml);
    std::fs::remove_dir_all(&folder).unwrap();

    // The accountant's archive: PDFs and UBL of the period, staff only.
    let today = chrono::Utc::now().date_naive();
    let archive = format!(
        "/admin/documents.zip?from={}&to={}",
        today.pred_opt().unwrap(),
        today.succ_opt().unwrap()
    );
    assert_eq!(app.get_as(&holder, &archive).await.status(), 403);
    let response = app.get_as(&staff, &archive).await;
    assert_eq!(response.status(), 200);
    let zip = response.bytes().await.unwrap();
    assert!(zip.starts_with(b"PK"));
    let number = page["number"].as_str().unwrap();
    for name in [format!("{number}.pdf"), format!("{number}.xml")] {
        assert!(
            zip.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} in the archive"
        );
    }
    assert_eq!(
        app.get_as(&staff, "/admin/documents.zip?from=2026-01-01&to=2025-01-01")
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn money_recorded_twice_at_once_counts_once() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(&app, &holder, "money-key-000000007", &[("adobe-acrobat-pro-2024", 1)]).await;
    let (order_id, invoice_id, total, _) = orders[0].clone();

    // "Marquer payée" clicked ten times at once (two tabs, two staff): one payment.
    let form = [("order_id", order_id.as_str()), ("amount", ""), ("paid_on", "")];
    let clicks = (0..10).map(|_| app.call_as(&staff, "mark_order_paid", &form));
    let mut answers: Vec<u16> = futures::future::join_all(clicks)
        .await
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    answers.sort_unstable();
    assert_eq!(answers, [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    assert_eq!(money(&invoice(&app, &holder, &invoice_id).await), (total, 0, 0));

    // Cancelled, then its refund recorded ten times at once: paid back once.
    let line = line_of(&app, &order_id).await;
    let (status, _) = app
        .call_as(
            &holder,
            "cancel_order",
            &[
                ("order_id", order_id.as_str()),
                ("lines[0]", line.as_str()),
                ("reason", "Erreur"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let transfers = (0..10).map(|_| refund(&app, &staff, Some(&invoice_id), None, total));
    let mut answers: Vec<u16> = futures::future::join_all(transfers)
        .await
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    answers.sort_unstable();
    assert_eq!(answers, [200, 422, 422, 422, 422, 422, 422, 422, 422, 422]);
    assert_eq!(money(&invoice(&app, &holder, &invoice_id).await), (total, total, total));
    assert_eq!(order_status(&app, &holder, &order_id).await, "refunded");
}

/// "Paiements" is served as islands: one island, whose props carry the payments and the
/// refunds due as `list_payments` and `refunds_due` read them for this caller, and the import's
/// report, written from the address the import redirected to. A desk scoped to partners gets
/// none of the money.
#[tokio::test]
async fn the_payments_page_is_one_island_holding_the_refunds_due_and_the_imports_report() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let orders = place(&app, &holder, "money-key-000000091", &[("adobe-acrobat-pro-2024", 1)]).await;
    let (_, invoice_id, total, communication) = orders[0].clone();
    assert_eq!(pay(&app, &staff, &communication, total + 700).await.0, 200);

    let page = app
        .get_as(
            &staff,
            "/admin/payments?import=ok&credits=6&matched=1&partial=0&excess=1&unmatched=4&already=0",
        )
        .await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    let (props, body) = common::only_island(&html, "Payments");
    assert!(props.contains(&invoice_id), "the refund due in its props: {props}");
    assert!(props.contains("Extrait importé : 6 crédits"), "{props}");
    assert!(body.contains("refund-due-item"), "the queue is rendered in it");
    assert!(body.contains("Extrait importé : 6 crédits"), "and the report");
    // The archive's GET form follows, outside the island.
    assert!(html.contains("action=\"/admin/documents.zip\""));

    let desk = app.login("cisco-desk", DEMO_PASSWORD).await;
    let html = app.get_as(&desk, "/admin/payments").await.text().await.unwrap();
    assert!(!html.contains(&invoice_id), "no money of other partners");
    assert!(!html.contains(&communication));
}
