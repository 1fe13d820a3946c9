//! The staff back office over HTTP: catalogue management, the rules page's preview, the
//! dashboard and the remembered language.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{DEMO_PASSWORD, spawn_app};
use serde_json::Value;

fn refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The product form for `slug` with every field filled in.
pub(crate) fn product_form(
    original_slug: &str,
    slug: &str,
    fee: &str,
    conditions_fr: &str,
    active: bool,
) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("original_slug", original_slug.to_owned()),
        ("form[slug]", slug.to_owned()),
        ("form[name]", "Adobe Acrobat Pro 2024".to_owned()),
        ("form[partner_id]", "adobe".to_owned()),
        ("form[kind]", "software_licence".to_owned()),
        ("form[family_id]", String::new()),
        ("form[licence_type]", String::new()),
        ("form[offer]", "standard".to_owned()),
        ("form[admin_fee]", fee.to_owned()),
        ("form[commercial_value]", "299,00".to_owned()),
        ("form[description_fr]", "Créer, modifier et signer des PDF.".to_owned()),
        (
            "form[description_nl]",
            "PDF's maken, bewerken en ondertekenen.".to_owned(),
        ),
        ("form[description_en]", "Create, edit and sign PDFs.".to_owned()),
        ("form[conditions_fr]", conditions_fr.to_owned()),
        ("form[conditions_nl]", String::new()),
        ("form[conditions_en]", String::new()),
    ];
    if active {
        form.push(("form[active]", "on".to_owned()));
    }
    form
}

/// The product as its public page reads it (`None`: not shown), after checking that the
/// catalogue's list agrees.
async fn catalogue_product(app: &common::TestApp, slug: &str) -> Option<Value> {
    let (status, list) = app.call("list_catalogue", &[("language", "fr")]).await;
    assert_eq!(status, 200);
    let listed = list.as_array().unwrap().iter().find(|p| p["slug"] == slug).cloned();
    let (status, product) = app
        .call("catalogue_product", &[("slug", slug), ("language", "fr")])
        .await;
    assert_eq!(status, 200, "{product}");
    let product = (!product.is_null()).then_some(product);
    assert_eq!(product, listed, "the product page and the list agree on {slug}");
    product
}

#[tokio::test]
async fn admins_edit_the_catalogue_and_organisations_see_it() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let acrobat = "adobe-acrobat-pro-2024";

    // An edit: a new fee and conditions of its own, seen by everyone reading the catalogue.
    let edit = product_form(acrobat, "ignored-on-edit", "55,50", "Une licence par poste.", true);
    assert_eq!(app.call_as(&agent, "save_product", &refs(&edit)).await.0, 403);
    let (status, body) = app.call_as(&admin, "save_product", &refs(&edit)).await;
    assert_eq!((status, body.clone()), (200, Value::from(acrobat)), "{body}");
    let seen = catalogue_product(&app, acrobat).await.unwrap();
    assert_eq!(seen["admin_fee"], 5550);
    assert_eq!(seen["conditions"], "Une licence par poste.");
    assert_eq!(app.audit_count("product.updated").await, 1);
    // Saving the same form again changes nothing and records nothing.
    assert_eq!(app.call_as(&admin, "save_product", &refs(&edit)).await.0, 200);
    assert_eq!(app.audit_count("product.updated").await, 1);

    // Bad input: every reason at once, by the form's field names; nothing saved.
    let mut bad = product_form(acrobat, "", "douze", "", true);
    bad[2].1 = String::new();
    bad[3].1 = "nobody".to_owned();
    let (status, body) = app.call_as(&admin, "save_product", &refs(&bad)).await;
    assert_eq!(status, 422, "{body}");
    let fields = &body["Validation"]["fields"];
    assert_eq!(fields["form[name]"][0], "required");
    assert_eq!(fields["form[partner_id]"][0], "unknown_partner");
    assert_eq!(fields["form[admin_fee]"][0], "amount_invalid");
    assert_eq!(catalogue_product(&app, acrobat).await.unwrap()["admin_fee"], 5550);

    // A new product, then its slug again.
    let create = product_form("", "adobe-acrobat-standard-2024", "40", "", true);
    assert_eq!(app.call_as(&admin, "save_product", &refs(&create)).await.0, 200);
    assert!(catalogue_product(&app, "adobe-acrobat-standard-2024").await.is_some());
    let (status, body) = app.call_as(&admin, "save_product", &refs(&create)).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["form[slug]"][0], "slug_taken");
    assert_eq!(app.audit_count("product.created").await, 1);

    // Deactivated: it leaves the catalogue, staff still see it.
    let off = product_form(acrobat, "", "55,50", "Une licence par poste.", false);
    assert_eq!(app.call_as(&admin, "save_product", &refs(&off)).await.0, 200);
    assert!(catalogue_product(&app, acrobat).await.is_none());
    assert_eq!(app.audit_count("product.deactivated").await, 1);
    let (_, managed) = app.call_as(&admin, "managed_catalogue", &[]).await;
    let kept = managed["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["summary"]["slug"] == acrobat);
    assert_eq!(kept.unwrap()["active"], false);
    assert_eq!(kept.unwrap()["refundable"], true);

    // "Jamais remboursé": ticked, the product is never refunded (a new Get Genuine product
    // would otherwise be refundable, issue 22); unticked on the next save, it is again. The
    // refund rules read the same flag (`orders::refund_requests_follow_each_partners_rule`).
    let refundable = |managed: &Value| {
        managed["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["summary"]["slug"] == acrobat)
            .unwrap()["refundable"]
            .clone()
    };
    let mut never = product_form(acrobat, "", "55,50", "Une licence par poste.", false);
    never.push(("form[never_refunded]", "on".to_owned()));
    assert_eq!(app.call_as(&admin, "save_product", &refs(&never)).await.0, 200);
    assert_eq!(
        refundable(&app.call_as(&admin, "managed_catalogue", &[]).await.1),
        false
    );
    assert_eq!(app.call_as(&admin, "save_product", &refs(&off)).await.0, 200);
    assert_eq!(refundable(&app.call_as(&admin, "managed_catalogue", &[]).await.1), true);

    // A partner switched off hides all its offers; renamed, the catalogue shows the new name.
    let partner = |name: &str, active: bool| {
        let mut form = vec![
            ("partner_id", "autodesk".to_owned()),
            ("name", name.to_owned()),
            ("sort_order", "3".to_owned()),
        ];
        if active {
            form.push(("active", "on".to_owned()));
        }
        form
    };
    assert_eq!(
        app.call_as(&admin, "save_partner", &refs(&partner("Autodesk", false)))
            .await
            .0,
        200
    );
    assert!(catalogue_product(&app, "autodesk-revit-2026").await.is_none());
    assert_eq!(
        app.call_as(&admin, "save_partner", &refs(&partner("Autodesk Inc.", true)))
            .await
            .0,
        200
    );
    assert_eq!(
        catalogue_product(&app, "autodesk-revit-2026").await.unwrap()["partner_name"],
        "Autodesk Inc."
    );
    let (status, body) = app.call_as(&admin, "save_partner", &refs(&partner(" ", true))).await;
    assert_eq!(
        (status, body["Validation"]["fields"]["name"][0].clone()),
        (422, Value::from("required"))
    );
    assert_eq!(app.audit_count("partner.updated").await, 2);

    // Families: a new one gets an id from its name; a product may then belong to it.
    let family = |id: &str, name: &str| {
        vec![
            ("family_id", id.to_owned()),
            ("partner_id", "microsoft".to_owned()),
            ("name", name.to_owned()),
        ]
    };
    assert_eq!(
        app.call_as(&admin, "save_family", &refs(&family("", "Dynamics 365")))
            .await
            .0,
        200
    );
    let (status, body) = app
        .call_as(&admin, "save_family", &refs(&family("", "dynamics 365")))
        .await;
    assert_eq!(
        (status, body["Validation"]["fields"]["name"][0].clone()),
        (422, Value::from("family_taken"))
    );
    assert_eq!(
        app.call_as(&admin, "save_family", &refs(&family("dynamics-365", "Dynamics")))
            .await
            .0,
        200
    );
    let (_, managed) = app.call_as(&admin, "managed_catalogue", &[]).await;
    let dynamics = managed["families"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["family_id"] == "dynamics-365");
    assert_eq!(dynamics.unwrap()["name"], "Dynamics");
    // An Adobe product cannot join a Microsoft family.
    let mut wrong = product_form(acrobat, "", "55,50", "", true);
    wrong[5].1 = "dynamics-365".to_owned();
    let (status, body) = app.call_as(&admin, "save_product", &refs(&wrong)).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["Validation"]["fields"]["form[family_id]"][0],
        "family_other_partner"
    );
    assert_eq!(app.audit_count("family.created").await, 1);
    assert_eq!(app.audit_count("family.renamed").await, 1);
}

#[tokio::test]
async fn the_rules_preview_counts_moved_allowances_and_refused_carts_and_writes_nothing() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    // Les Amis (Brussels, qualified for Adobe) has Acrobat in its cart.
    let (status, body) = app
        .call_as(
            &holder,
            "add_to_cart",
            &[("slug", "adobe-acrobat-pro-2024"), ("quantity", "1")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, before) = app.call_as(&admin, "rules_overview", &[]).await;
    let versions = before["versions"].as_array().unwrap().len();

    let day = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let version = |country: &str, params: &str| {
        vec![
            ("partner_id", "adobe".to_owned()),
            ("country", country.to_owned()),
            ("effective_from", day.clone()),
            ("params_json", params.to_owned()),
        ]
    };
    let (status, preview) = app
        .call_as(
            &admin,
            "preview_rule_version",
            &refs(&version("BE", r#"{"adobe_max_per_year": 0}"#)),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    let moved: Vec<&str> = preview["allowances_moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(moved.contains(&"Les Amis du Quartier ASBL"), "{preview}");
    assert_eq!(preview["refused_carts"][0]["organisation"], "Les Amis du Quartier ASBL");
    assert_eq!(preview["refused_carts"][0]["products"][0], "Adobe Acrobat Pro 2024");
    // Four Belgian demo organisations were looked at; Luxembourg's rules are another matter.
    assert_eq!(preview["organisations"], 4);
    let (_, lu) = app
        .call_as(
            &admin,
            "preview_rule_version",
            &refs(&version("LU", r#"{"adobe_max_per_year": 0}"#)),
        )
        .await;
    assert_eq!(lu["refused_carts"].as_array().unwrap().len(), 0, "{lu}");
    // The same parameters as in force move nothing.
    let (_, same) = app
        .call_as(
            &admin,
            "preview_rule_version",
            &refs(&version("BE", r#"{"adobe_max_per_year": 4}"#)),
        )
        .await;
    assert_eq!(
        (
            same["allowances_moved"].as_array().unwrap().len(),
            same["refused_carts"].as_array().unwrap().len()
        ),
        (0, 0)
    );
    // Nothing was written by the previews, and a bad one says why.
    let (_, after) = app.call_as(&admin, "rules_overview", &[]).await;
    assert_eq!(after["versions"].as_array().unwrap().len(), versions);
    let (status, body) = app
        .call_as(
            &admin,
            "preview_rule_version",
            &refs(&version("BE", r#"{"zoom_max_licences": 3}"#)),
        )
        .await;
    assert_eq!(
        (status, body["Validation"]["fields"]["params_json"][0].clone()),
        (422, Value::from("invalid"))
    );
    let (status, body) = app
        .call_as(&admin, "preview_rule_version", &refs(&version("BE", "four")))
        .await;
    assert_eq!(
        (status, body["Validation"]["fields"]["params_json"][0].clone()),
        (422, Value::from("json_invalid"))
    );
}

#[tokio::test]
async fn the_dashboard_counts_the_queues_and_twelve_months() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let (status, dashboard) = app.call_as(&agent, "staff_dashboard", &[]).await;
    assert_eq!(status, 200, "{dashboard}");
    assert_eq!(dashboard["is_admin"], false);
    let count = |sql: &'static str| {
        let db = app.db().clone();
        async move { app::on_pool!(&db, |pool| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await).unwrap() }
    };
    let by_status = |status: &'static str| match status {
        "submitted" => "select count(*) from purchase_order where status = 'submitted'",
        "paid" => "select count(*) from purchase_order where status = 'paid'",
        _ => "select count(*) from purchase_order where status = 'transmitted'",
    };
    assert_eq!(
        dashboard["orders_awaiting_payment"],
        count(by_status("submitted")).await
    );
    assert_eq!(dashboard["orders_to_transmit"], count(by_status("paid")).await);
    assert_eq!(dashboard["orders_transmitted"], count(by_status("transmitted")).await);
    assert_eq!(
        dashboard["reviews_pending"],
        count("select count(*) from organisation where eligibility_status in ('pending', 'info_requested') or appealed_at is not null").await
    );
    let months = dashboard["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    // The demo registered its five organisations today: all in the last month.
    assert_eq!(
        months[11]["registrations"],
        count("select count(*) from organisation").await
    );
    let total_orders: i64 = months.iter().map(|m| m["orders"].as_i64().unwrap()).sum();
    let recent_orders = count("select count(*) from purchase_order").await;
    assert!(
        total_orders <= recent_orders && total_orders > 0,
        "{total_orders} of {recent_orders}"
    );
    // The savings of the twelve months never exceed the programme's total.
    let saved: i64 = months.iter().map(|m| m["saved_cents"].as_i64().unwrap()).sum();
    assert!(saved <= dashboard["counters"]["saved"].as_i64().unwrap());

    let admin = app.login("staff", DEMO_PASSWORD).await;
    assert_eq!(app.call_as(&admin, "staff_dashboard", &[]).await.1["is_admin"], true);
}

#[tokio::test]
async fn the_chosen_language_is_remembered_for_the_next_login() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    assert_eq!(
        app.call_as(&holder, "remember_language", &[("language", "nl")]).await.0,
        200
    );
    let (status, body) = app.call_as(&holder, "remember_language", &[("language", "de")]).await;
    assert_eq!(
        (status, body["Validation"]["fields"]["language"][0].clone()),
        (422, Value::from("choose_one"))
    );

    // Another device: the login answers with the language cookie and the person's language.
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body("identifier=amis&password=demo-dons-2026")
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("i18n_pref_locale=nl;") && c.contains("SameSite=Lax")),
        "{cookies:?}"
    );
    let user: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(user["language"], "nl");

    // Somebody who never chose gets no cookie: Accept-Language decides for them.
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body("identifier=biblio&password=demo-dons-2026")
        .send()
        .await
        .unwrap();
    assert!(
        !response
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap_or_default().starts_with("i18n_pref_locale"))
    );
}

#[tokio::test]
async fn admins_manage_the_team_and_agents_cannot() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let invite = [
        ("full_name", "Inès Martin"),
        ("email", "ines@dons.example.org"),
        ("role", "agent"),
    ];
    assert_eq!(app.call_as(&agent, "invite_staff", &invite).await.0, 403);
    assert_eq!(app.call_as(&agent, "staff_members", &[]).await.0, 403);

    // Invited: the e-mail's link sets the password, then the new agent works.
    assert_eq!(app.call_as(&admin, "invite_staff", &invite).await.0, 200);
    let mail = app.mail_to("ines@dons.example.org").await;
    assert_eq!(mail.len(), 1);
    let token = mail[0]
        .1
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let (status, body) = app
        .call(
            "reset_password",
            &[("token", &token), ("password", "une phrase assez longue")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let ines = app.login("ines@dons.example.org", "une phrase assez longue").await;
    assert_eq!(app.call_as(&ines, "staff_dashboard", &[]).await.0, 200);
    assert_eq!(app.call_as(&ines, "managed_catalogue", &[]).await.0, 403, "an agent");

    // The same address again, or a role that does not exist: refused with the field.
    let (status, body) = app.call_as(&admin, "invite_staff", &invite).await;
    assert_eq!(
        (status, body["Validation"]["fields"]["email"][0].clone()),
        (422, Value::from("email_taken"))
    );
    let (status, body) = app
        .call_as(
            &admin,
            "invite_staff",
            &[("full_name", "X"), ("email", "x@dons.example.org"), ("role", "owner")],
        )
        .await;
    assert_eq!(
        (status, body["Validation"]["fields"]["role"][0].clone()),
        (422, Value::from("choose_one"))
    );

    let (_, members) = app.call_as(&admin, "staff_members", &[]).await;
    let members = members.as_array().unwrap();
    let id_of = |name: &str| {
        members.iter().find(|m| m["full_name"] == name).unwrap()["person_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (ines_id, admin_id) = (id_of("Inès Martin"), id_of("Claire Dubois"));
    assert_eq!(members.iter().filter(|m| m["is_you"] == true).count(), 1);

    // Promoted, she manages the catalogue; an admin never changes their own role.
    assert_eq!(
        app.call_as(&admin, "set_staff_role", &[("person_id", &ines_id), ("role", "admin")])
            .await
            .0,
        200
    );
    // Her rights changed: her session ended, and she logs in again.
    assert_eq!(app.call_as(&ines, "managed_catalogue", &[]).await.0, 401);
    let ines = app.login("ines@dons.example.org", "une phrase assez longue").await;
    assert_eq!(app.call_as(&ines, "managed_catalogue", &[]).await.0, 200);
    let (status, body) = app
        .call_as(&admin, "set_staff_role", &[("person_id", &admin_id), ("role", "agent")])
        .await;
    assert_eq!((status, body), (409, serde_json::json!({ "Conflict": "own_role" })));
    // An organisation's member is not staff: nothing to change.
    let (_, holder_user) = app
        .call_as(&app.login("amis", DEMO_PASSWORD).await, "current_user", &[])
        .await;
    let holder_id = holder_user["person_id"].as_str().unwrap_or("nobody").to_owned();
    assert_eq!(
        app.call_as(
            &admin,
            "set_staff_role",
            &[("person_id", &holder_id), ("role", "admin")]
        )
        .await
        .0,
        404
    );

    // Access taken away: her session ends at once.
    assert_eq!(
        app.call_as(&admin, "set_staff_role", &[("person_id", &ines_id), ("role", "none")])
            .await
            .0,
        200
    );
    assert_eq!(app.call_as(&ines, "staff_dashboard", &[]).await.0, 401);
    assert_eq!(app.audit_count("staff.invited").await, 1);
    assert_eq!(app.audit_count("staff.role_changed").await, 2);
}

/// The staff's configuration pages are each one island (`app::ui::islands::MODULES`) holding
/// what the page read, in its props: the browser loads that page's module, not the whole app.
/// An agent gets the admins' pages with the refusal and none of what admins see there.
#[tokio::test]
async fn each_configuration_page_is_one_island_holding_what_it_read() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    // The page, its island, something of what it read (`'` for the props' `&quot;`), and whether
    // agents may see it.
    let pages = [
        ("/admin/requalify", "Requalify", "['microsoft','Microsoft']", true),
        ("/admin/digest", "DigestForm", "'sections':[", true),
        ("/admin/join-requests", "JoinRequests", "'list':{'Ok':[", true),
        ("/admin/partner-clients", "PartnerClients", "'partners':[", true),
        ("/admin/help", "HelpEditor", "'question_id':", true),
        ("/admin/import", "CsvImport", "'locale':", true),
        ("/admin/rules", "RulesEditor", "microsoft_cycle_months", false),
        ("/admin/staff", "StaffTeam", "'role':'agent'", false),
        ("/admin/catalogue", "CatalogueAdmin", "office-ltsc-standard-2024", false),
        (
            "/admin/catalogue/office-ltsc-standard-2024",
            "ProductEditor",
            "'slug':'office",
            false,
        ),
        ("/admin/privacy?q=amis", "PeopleFound", "'people':{'Ok':[{", false),
    ];
    for (page, island, read, agents_too) in pages {
        let response = app.get_as(&admin, page).await;
        assert_eq!(response.status().as_u16(), 200, "{page}");
        let html = response.text().await.unwrap();
        let read = read.replace('\'', "&quot;");
        let (props, _) = common::only_island(&html, island);
        assert!(props.contains(&read), "{page}: {props}");

        let html = app.get_as(&agent, page).await.text().await.unwrap();
        if agents_too {
            let (props, _) = common::only_island(&html, island);
            assert!(props.contains(&read), "{page} for an agent: {props}");
        } else {
            // The refusal, in the island's props or on the page without the island.
            assert!(!html.contains(&read), "{page} for an agent: {html}");
            if common::island_names(&html).contains(&island) {
                let (props, _) = common::only_island(&html, island);
                assert!(props.contains("&quot;Err&quot;"), "{page}: {props}");
            }
        }
    }

    // The legal texts: one island per page and language, each its own form.
    let html = app.get_as(&admin, "/admin/legal").await.text().await.unwrap();
    let forms = common::island_names(&html)
        .iter()
        .filter(|name| **name == "LegalTextForm")
        .count();
    assert_eq!(forms, 6, "terms and privacy in three languages");
    let html = app.get_as(&agent, "/admin/legal").await.text().await.unwrap();
    assert!(!common::island_names(&html).contains(&"LegalTextForm"), "{html}");

    // A product that does not exist: 404, and no form.
    let response = app.get_as(&admin, "/admin/catalogue/nulle-part").await;
    assert_eq!(response.status().as_u16(), 404);
    let html = response.text().await.unwrap();
    assert!(!common::island_names(&html).contains(&"ProductEditor"), "{html}");
    // The empty form for a new product.
    let html = app.get_as(&admin, "/admin/catalogue/new").await.text().await.unwrap();
    let (props, _) = common::only_island(&html, "ProductEditor");
    assert!(props.contains("&quot;product&quot;:null"), "{props}");
}
