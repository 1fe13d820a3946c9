//! The organisation's VAT status ("Statut TVA") in its file: asked at registration, changed by
//! staff only, and read by checkout to decide whether an invoice goes out as a Peppol
//! e-invoice.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::accounts::{as_refs, registration};
use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;

/// The demo's Les Amis du Quartier ASBL, enterprise number 0412.345.614.
const AMIS: &str = "Les Amis du Quartier ASBL";

/// The stored VAT status and number of an organisation.
async fn vat_of(app: &TestApp, organisation_id: &str) -> (String, Option<String>) {
    app::on_pool!(app.db(), |pool| sqlx::query_as::<_, (String, Option<String>)>(
        "select vat_status, vat_number from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_one(pool)
    .await)
    .unwrap()
}

fn field_error<'a>(body: &'a Value, field: &str) -> &'a Value {
    &body["Validation"]["fields"][field][0]
}

/// A registration form with these VAT answers.
fn with_vat(number: &str, email: &str, status: &str, vat_number: &str) -> Vec<(&'static str, String)> {
    let mut form = registration(number, email);
    form.push(("form[vat_status]", status.into()));
    form.push(("form[vat_number]", vat_number.into()));
    form
}

#[tokio::test]
async fn registration_asks_the_vat_status_and_keeps_it_through_the_link() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();

    // A registered status without its number, or with a number that is not the organisation's.
    let form = with_vat("0202.239.951", "anne@amisduparc.example.org", "taxable", "");
    let (status, body) = app.call_as(&anonymous, "register", &as_refs(&form)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_error(&body, "vat_number"), "vat_number_required");
    let form = with_vat("0202.239.951", "anne@amisduparc.example.org", "mixed", "BE0412345614");
    let (status, body) = app.call_as(&anonymous, "register", &as_refs(&form)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_error(&body, "vat_number"), "vat_number_invalid");
    let form = with_vat("0202.239.951", "anne@amisduparc.example.org", "none", "BE 12");
    let (status, body) = app.call_as(&anonymous, "register", &as_refs(&form)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_error(&body, "vat_number"), "vat_number_invalid");
    assert!(
        app.mail_to("anne@amisduparc.example.org").await.is_empty(),
        "nothing sent"
    );

    // Taxable with its own number, written as people write it: kept until the link is opened.
    let form = with_vat(
        "0202.239.951",
        "anne@amisduparc.example.org",
        "taxable",
        "be 0202.239.951",
    );
    let holder = app.register(&as_refs(&form)).await;
    let (status, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["vat_status"], "taxable");
    assert_eq!(file["vat_number"], "BE0202239951");
    let organisation_id = file["organisation_id"].as_str().unwrap();
    assert_eq!(
        vat_of(&app, organisation_id).await,
        ("taxable".to_owned(), Some("BE0202239951".to_owned()))
    );

    // Not asked (a form as it was before the question): not registered, no number.
    let form = registration("0207.446.772", "marc@amisduparc.example.org");
    let holder = app.register(&as_refs(&form)).await;
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(
        vat_of(&app, file["organisation_id"].as_str().unwrap()).await,
        ("none".to_owned(), None)
    );
}

#[tokio::test]
async fn only_staff_change_the_vat_status_and_it_is_audited() {
    let app = spawn_app().await.with_demo().await;
    let amis = app.organisation_id(AMIS).await;
    let taxable = [
        ("organisation_id", amis.as_str()),
        ("vat_status", "taxable"),
        ("vat_number", "BE 0412.345.614"),
    ];

    let (status, _) = app.call_as(&Caller::default(), "set_vat_status", &taxable).await;
    assert_eq!(status, 401);
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let (status, _) = app.call_as(&holder, "set_vat_status", &taxable).await;
    assert_eq!(status, 403);
    assert_eq!(vat_of(&app, &amis).await, ("none".to_owned(), None));

    let staff = app.login("agent", DEMO_PASSWORD).await;
    let (status, body) = app
        .call_as(
            &staff,
            "set_vat_status",
            &[
                ("organisation_id", &amis),
                ("vat_status", "franchise"),
                ("vat_number", ""),
            ],
        )
        .await;
    assert_eq!(
        (status, field_error(&body, "vat_number")),
        (422, &"vat_number_required".into())
    );
    let (status, body) = app
        .call_as(
            &staff,
            "set_vat_status",
            &[
                ("organisation_id", &amis),
                ("vat_status", "taxable"),
                ("vat_number", "BE0202239951"),
            ],
        )
        .await;
    assert_eq!(
        (status, field_error(&body, "vat_number")),
        (422, &"vat_number_invalid".into())
    );
    let (status, _) = app
        .call_as(
            &staff,
            "set_vat_status",
            &[
                ("organisation_id", "no-such-organisation"),
                ("vat_status", "none"),
                ("vat_number", ""),
            ],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.audit_count("organisation.vat_status_changed").await, 0);

    let (status, body) = app.call_as(&staff, "set_vat_status", &taxable).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        vat_of(&app, &amis).await,
        ("taxable".to_owned(), Some("BE0412345614".to_owned()))
    );
    assert_eq!(app.audit_count("organisation.vat_status_changed").await, 1);
    let (before, after): (String, String) = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select cast(before_json as text), cast(after_json as text) from audit_event \
         where action = 'organisation.vat_status_changed'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert!(before.contains("none"), "{before}");
    assert!(after.contains("taxable") && after.contains("BE0412345614"), "{after}");

    // The members read it in their file; exempt keeps no number.
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(file["vat_status"], "taxable");
    let exempt = [
        ("organisation_id", amis.as_str()),
        ("vat_status", "exempt"),
        ("vat_number", "BE0412345614"),
    ];
    assert_eq!(app.call_as(&staff, "set_vat_status", &exempt).await.0, 200);
    assert_eq!(vat_of(&app, &amis).await, ("exempt".to_owned(), None));
}

/// Checks out one product as `holder`; the first invoice's id.
async fn order(app: &TestApp, holder: &Caller, key: &str, slug: &str) -> String {
    let (status, placed) = app
        .call_as(
            holder,
            "checkout",
            &[
                ("idempotency_key", key),
                ("lines[0][slug]", slug),
                ("lines[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{placed}");
    let checkout_id = placed["Placed"]["checkout_id"].as_str().unwrap().to_owned();
    let (_, invoices) = app
        .call_as(holder, "load_checkout", &[("checkout_id", &checkout_id)])
        .await;
    invoices[0]["invoice_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_taxable_organisation_set_by_staff_receives_a_peppol_e_invoice() {
    let app = spawn_app().await.with_demo().await;
    let amis = app.organisation_id(AMIS).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;

    // Left at "none": a PDF invoice, no e-invoice.
    let invoice_id = order(
        &app,
        &holder,
        "0195f0c2-7d3a-7000-8000-0000000a0001",
        "dell-latitude-5420",
    )
    .await;
    let ubl = app.get_as(&holder, &format!("/invoices/{invoice_id}/ubl")).await;
    assert_eq!(ubl.status().as_u16(), 404);

    let staff = app.login("agent", DEMO_PASSWORD).await;
    let taxable = [
        ("organisation_id", amis.as_str()),
        ("vat_status", "taxable"),
        ("vat_number", "BE0412345614"),
    ];
    assert_eq!(app.call_as(&staff, "set_vat_status", &taxable).await.0, 200);

    let invoice_id = order(
        &app,
        &holder,
        "0195f0c2-7d3a-7000-8000-0000000a0002",
        "office-ltsc-standard-2024",
    )
    .await;
    let ubl = app.get_as(&holder, &format!("/invoices/{invoice_id}/ubl")).await;
    assert_eq!(ubl.status().as_u16(), 200);
    let xml = ubl.text().await.unwrap();
    assert!(xml.contains(r#"schemeID="0208""#), "{xml}");
    assert!(xml.contains("0412345614"), "{xml}");
    if let Some(dir) = std::env::var_os("PEPPOL_OUT").filter(|d| !d.is_empty()) {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("app-invoice-vat-status.xml"), &xml).unwrap();
    }
    // Nobody else's: an anonymous caller gets nothing.
    let anonymous = app
        .get_as(&Caller::default(), &format!("/invoices/{invoice_id}/ubl"))
        .await;
    assert_ne!(anonymous.status().as_u16(), 200);
}
