//! The staff's organisation directory (`search_organisations`) and the 360 page's data
//! (`organisation_overview`): every kind of search and filter, pages, hostile input, who may
//! call them, that the search terms follow every write, and that a search reads an index,
//! not every organisation.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::accounts::{as_refs, registration};
use crate::common;

use app::directory::db::{Criteria, page_plan};
use common::{Caller, DEMO_PASSWORD, OrgBuilder, TestApp, spawn_app};
use serde_json::Value;

const AMIS: &str = "Les Amis du Quartier ASBL";
const BIBLIO: &str = "Bibliothèque publique de Namur";

/// The legal names a search as `caller` lists on its first page, and its total.
async fn names(app: &TestApp, caller: &Caller, form: &[(&str, &str)]) -> (Vec<String>, i64) {
    let (status, body) = app.call_as(caller, "search_organisations", form).await;
    assert_eq!(status, 200, "{form:?}: {body}");
    let names = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["legal_name"].as_str().unwrap().to_owned())
        .collect();
    (names, body["total"].as_i64().unwrap())
}

/// The names found by the query `q` alone.
async fn found(app: &TestApp, caller: &Caller, q: &str) -> Vec<String> {
    names(app, caller, &[("query[q]", q)]).await.0
}

#[tokio::test]
async fn staff_find_an_organisation_by_every_kind_of_search() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    // Names: accents and case ignored, a misspelt accent too, words in any order, prefixes.
    for q in [
        "Bibliotheque publique",
        "bibliothèque PUBLIQUE",
        "Bibliothéque",
        "namur publique",
        "bibl pub",
    ] {
        assert_eq!(found(&app, &agent, q).await, vec![BIBLIO], "{q}");
    }
    // The enterprise number (0876.543.270) in any spelling.
    for q in [
        "0876.543.270",
        "0876543270",
        "BE 0876 543 270",
        "BE0876.543.270",
        "876543270",
        "0876.543",
    ] {
        assert_eq!(found(&app, &agent, q).await, vec![BIBLIO], "{q}");
    }
    // A person's name or e-mail (account holder and members), the contact e-mail.
    for q in [
        "Lemaire",
        "marc lemaire",
        "marc@bibliotheque-namur.example.org",
        "MARC@BIBLIOTHEQUE",
        "info@bibliotheque",
    ] {
        assert_eq!(found(&app, &agent, q).await, vec![BIBLIO], "{q}");
    }
    assert_eq!(
        found(&app, &agent, "karim@amisduquartier.example.org").await,
        vec![AMIS]
    );
    assert_eq!(found(&app, &agent, "Benali").await, vec![AMIS]);
    // City and postal code.
    assert_eq!(found(&app, &agent, "gent").await, vec!["Jeugdhuis De Brug vzw"]);
    assert_eq!(found(&app, &agent, "liege").await, vec!["École Les Tournesols"]);
    // A demo order reference, whatever its case.
    assert_eq!(found(&app, &agent, "DEMO-2026-0004").await, vec![BIBLIO]);
    assert_eq!(found(&app, &agent, " demo-2026-0001 ").await, vec![AMIS]);

    // An invoice number, its structured communication and a token code of a new order/token.
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let (status, placed) = app
        .call_as(
            &holder,
            "checkout",
            &[
                ("idempotency_key", "directory-key-000000001"),
                ("lines[0][slug]", "dell-latitude-5420"),
                ("lines[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{placed}");
    let (year, number, communication, reference): (i32, i64, String, String) = app::on_pool!(app.db(), |pool| {
        sqlx::query_as(
            "select i.year, cast(i.number as bigint), i.communication, po.reference from invoice i \
             join purchase_order po on po.order_id = i.order_id order by i.created_at desc limit 1",
        )
        .fetch_one(pool)
        .await
    })
    .unwrap();
    assert_eq!(found(&app, &agent, &format!("{year}-{number:06}")).await, vec![AMIS]);
    assert_eq!(found(&app, &agent, &reference.to_lowercase()).await, vec![AMIS]);
    let structured = format!(
        "+++{}/{}/{}+++",
        &communication[0..3],
        &communication[3..7],
        &communication[7..12]
    );
    assert_eq!(found(&app, &agent, &structured).await, vec![AMIS]);
    let token_form = [
        ("form[for_whom]", "self"),
        ("form[recipient_name]", ""),
        ("form[recipient_email]", ""),
        ("form[purpose]", "Directory"),
        ("form[partner_id]", ""),
    ];
    assert_eq!(app.call_as(&holder, "create_token", &token_form).await.0, 200);
    let code: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select code from validation_token order by created_at desc limit 1"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(found(&app, &agent, &code.to_uppercase()).await, vec![AMIS]);

    // Nothing found: the empty state, not an error.
    let (none, total) = names(&app, &agent, &[("query[q]", "Zzyzx inexistante")]).await;
    assert!(none.is_empty());
    assert_eq!(total, 0);
}

#[tokio::test]
async fn filters_narrow_the_directory_and_bad_ones_are_refused_on_their_field() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let (all, total) = names(&app, &admin, &[]).await;
    assert_eq!(total as usize, all.len());
    let (lu, _) = names(&app, &admin, &[("query[country]", "LU")]).await;
    assert_eq!(lu, vec!["Fondation Lumière pour l'Inclusion"]);
    let (be, _) = names(&app, &admin, &[("query[country]", "BE")]).await;
    assert_eq!(be.len() + lu.len(), all.len());

    // Qualified for a partner: each listed organisation is, and only those.
    let qualified: Vec<String> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select o.legal_name from organisation o join qualification q on q.organisation_id = o.organisation_id \
         where q.partner_id = 'cisco' and q.status = 'qualified' order by o.legal_name"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let (cisco, _) = names(&app, &admin, &[("query[partner]", "cisco")]).await;
    let mut sorted = cisco.clone();
    sorted.sort();
    assert_eq!(sorted, qualified);
    assert!(
        cisco.len() < all.len(),
        "the demo has organisations not qualified for Cisco"
    );

    // Eligibility state and VAT status, combined with a search.
    let statuses: Vec<(String, String, String)> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select legal_name, eligibility_status, vat_status from organisation"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    for status in ["pending", "eligible", "rejected", "info_requested"] {
        let (listed, _) = names(&app, &admin, &[("query[status]", status)]).await;
        let want = statuses.iter().filter(|s| s.1 == status).count();
        assert_eq!(listed.len(), want, "{status}");
    }
    let amis_vat = &statuses.iter().find(|s| s.0 == AMIS).unwrap().2;
    let (listed, _) = names(&app, &admin, &[("query[vat]", amis_vat), ("query[q]", "amis")]).await;
    assert_eq!(listed, vec![AMIS]);
    let other_vat = if amis_vat == "taxable" { "exempt" } else { "taxable" };
    let (listed, _) = names(&app, &admin, &[("query[vat]", other_vat), ("query[q]", "amis")]).await;
    assert!(listed.is_empty());

    for (field, value) in [
        ("status", "late"),
        ("country", "FR"),
        ("vat", "maybe"),
        ("partner", "x' or '1"),
    ] {
        let (status, body) = app
            .call_as(&admin, "search_organisations", &[(&format!("query[{field}]"), value)])
            .await;
        assert_eq!(status, 422, "{field}: {body}");
        assert_eq!(body["Validation"]["fields"][field][0], "invalid", "{body}");
    }
}

#[tokio::test]
async fn the_directory_comes_in_pages_of_twenty_five() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    for seq in 0..60 {
        OrgBuilder::new(seq).insert(app.db()).await;
    }
    let page = |n: &'static str| {
        let agent = agent.clone();
        let app = &app;
        async move {
            let (status, body) = app
                .call_as(
                    &agent,
                    "search_organisations",
                    &[("query[q]", "organisation"), ("query[page]", n)],
                )
                .await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let ids = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["organisation_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = page("1").await;
    assert_eq!(first["total"], 60);
    assert_eq!(first["per_page"], 25);
    let second = page("2").await;
    let third = page("3").await;
    assert_eq!((ids(&first).len(), ids(&second).len(), ids(&third).len()), (25, 25, 10));
    let mut all: Vec<String> = [ids(&first), ids(&second), ids(&third)].concat();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 60, "no organisation twice, none missing");
    // Sorted by name across the pages.
    let names: Vec<String> = [&first, &second, &third]
        .iter()
        .flat_map(|b| {
            b["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["legal_name"].as_str().unwrap().to_owned())
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    // Many matches are read in name order instead (see IN_NAME_ORDER_FROM): the same pages.
    for offset in [0, 25, 50] {
        let mut criteria = Criteria {
            prefixes: vec!["organisation".into()],
            ..Criteria::default()
        };
        let sorted: Vec<String> = app::directory::db::page(app.db(), &criteria, 25, offset)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.organisation_id)
            .collect();
        criteria.in_name_order = true;
        let walked: Vec<String> = app::directory::db::page(app.db(), &criteria, 25, offset)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.organisation_id)
            .collect();
        assert_eq!(sorted, walked, "offset {offset}");
        assert_eq!(app::directory::db::count(app.db(), &criteria).await.unwrap(), 60);
        if app.db().backend() == app::db::Backend::Sqlite {
            let plan = page_plan(app.db(), &criteria).await.unwrap().join("\n");
            assert!(
                plan.contains("organisation_legal_name_idx"),
                "walks the name index:\n{plan}"
            );
        }
    }
    assert!(ids(&page("9").await).is_empty(), "past the end: an empty page");
    assert_eq!(ids(&page("0").await), ids(&first), "page 0 is the first");
}

#[tokio::test]
async fn hostile_queries_get_an_answer_not_an_error() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let (_, everyone) = names(&app, &agent, &[]).await;
    for q in [
        "%",
        "_",
        "%%%",
        "___",
        "'",
        "\"",
        "' or 1=1 --",
        "🎉",
        "🎉🎉 🙂",
        "\\",
        "a%b_c",
        "a\u{7}@b",
    ] {
        let (status, body) = app.call_as(&agent, "search_organisations", &[("query[q]", q)]).await;
        assert_eq!(status, 200, "{q:?}: {body}");
        assert!(
            body["total"].as_i64().unwrap() < everyone,
            "{q:?} must not list everyone: {body}"
        );
    }
    assert_eq!(found(&app, &agent, "Bibliothèque 🎉 publique").await, vec![BIBLIO]);
    // Just under and over the limit.
    let (status, _) = app
        .call_as(&agent, "search_organisations", &[("query[q]", &"é".repeat(200))])
        .await;
    assert_eq!(status, 200);
    let (status, body) = app
        .call_as(&agent, "search_organisations", &[("query[q]", &"x".repeat(201))])
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["q"][0], "too_long");
    let (status, body) = app
        .call_as(&agent, "search_organisations", &[("query[q]", &"a ".repeat(100_000))])
        .await;
    assert!(status == 422 || status == 413, "{status}: {body}");
    let (status, _) = app
        .call_as(&agent, "search_organisations", &[("query[page]", "99999999999")])
        .await;
    assert!(
        status == 400 || status == 422,
        "a page that is not a number is refused: {status}"
    );
}

#[tokio::test]
async fn only_staff_search_and_open_the_360_page() {
    let app = spawn_app().await.with_demo().await;
    let amis = app.organisation_id(AMIS).await;
    let callers = [
        (Caller::default(), 401),
        (app.login("amis", DEMO_PASSWORD).await, 403),
        (app.login("amis-membre", DEMO_PASSWORD).await, 403),
        (app.login("biblio", DEMO_PASSWORD).await, 403),
        (app.login("agent", DEMO_PASSWORD).await, 200),
        (app.login("staff", DEMO_PASSWORD).await, 200),
    ];
    for (caller, want) in &callers {
        let (status, body) = app
            .call_as(caller, "search_organisations", &[("query[q]", "amis")])
            .await;
        assert_eq!(status, *want, "search_organisations: {body}");
        let (status, body) = app
            .call_as(caller, "organisation_overview", &[("organisation_id", &amis)])
            .await;
        assert_eq!(status, *want, "organisation_overview: {body}");
        if *want != 200 {
            assert!(!body.to_string().contains("DEMO-2026"), "nothing leaks: {body}");
        }
        let page = app.get_as(caller, "/admin/organisations?q=lumiere").await;
        let page_status = page.status().as_u16();
        let html = page.text().await.unwrap();
        // The page's whole text in the message: a failure says what was served instead.
        if *want == 200 {
            assert!(
                html.contains("Fondation Lumière"),
                "staff see the result in the server-rendered page ({page_status}): {html}"
            );
        } else {
            assert!(
                !html.contains("G245") && !html.contains("Schmit"),
                "nothing of another organisation for {want} ({page_status}): {html}"
            );
        }
    }
    let agent = &callers[4].0;
    let (status, _) = app
        .call_as(
            agent,
            "organisation_overview",
            &[("organisation_id", "no-such-organisation")],
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_360_page_gathers_orders_invoices_tokens_changes_and_history() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let amis = app.organisation_id(AMIS).await;
    let (status, placed) = app
        .call_as(
            &holder,
            "checkout",
            &[
                ("idempotency_key", "directory-key-000000002"),
                ("lines[0][slug]", "dell-latitude-5420"),
                ("lines[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{placed}");
    let token_form = [
        ("form[for_whom]", "self"),
        ("form[recipient_name]", ""),
        ("form[recipient_email]", ""),
        ("form[purpose]", "360"),
        ("form[partner_id]", ""),
    ];
    assert_eq!(app.call_as(&holder, "create_token", &token_form).await.0, 200);
    let change = [
        ("form[legal_name]", ""),
        ("form[enterprise_number]", ""),
        ("form[street]", "Rue Neuve 5"),
        ("form[postal_code]", ""),
        ("form[city]", ""),
        ("form[contact_email]", ""),
        ("form[note]", "Déménagement"),
    ];
    assert_eq!(app.call_as(&holder, "request_change", &change).await.0, 200);
    let decisions = [
        ("decisions[0][partner_id]", "adobe"),
        ("decisions[0][decision]", "not_qualified"),
        ("decisions[0][reason]", "Pas de mission culturelle"),
    ];
    let (status, body) = app
        .call_as(
            &agent,
            "set_qualifications",
            &[[("organisation_id", amis.as_str())].as_slice(), &decisions].concat(),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (status, overview) = app
        .call_as(&agent, "organisation_overview", &[("organisation_id", &amis)])
        .await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(overview["legal_name"], AMIS);
    let orders = overview["orders"].as_array().unwrap();
    let in_db: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select count(*) from purchase_order where organisation_id = $1"
    )
    .bind(&amis)
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(overview["orders_total"], in_db);
    assert_eq!(orders.len() as i64, in_db.min(50));
    assert!(orders.iter().any(|o| o["reference"] == "DEMO-2026-0001"));
    let newest = &orders[0];
    assert!(
        newest["invoice_id"].is_string(),
        "the new order has its invoice: {newest}"
    );
    assert!(newest["invoice_number"].as_str().unwrap().contains('-'));
    assert_eq!(overview["tokens_total"], 1);
    assert_eq!(overview["tokens"][0]["code_start"].as_str().unwrap().len(), 8);
    assert!(
        !overview
            .to_string()
            .contains(&format!("{}@", overview["tokens"][0]["code_start"].as_str().unwrap()))
    );
    assert_eq!(overview["change_requests"][0]["status"], "pending");
    let history = overview["qualification_history"].as_array().unwrap();
    assert_eq!(history[0]["action"], "organisation.qualification_changed");
    assert!(
        history[0]["after"]
            .as_str()
            .unwrap()
            .contains("Pas de mission culturelle")
    );
    assert!(overview["audit_total"].as_i64().unwrap() >= 1);
    // Other organisations' rows stay out.
    let biblio_orders: Vec<String> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select reference from purchase_order po join organisation o on o.organisation_id = po.organisation_id \
         where o.legal_name = $1"
    )
    .bind(BIBLIO)
    .fetch_all(pool)
    .await)
    .unwrap();
    for reference in biblio_orders {
        assert!(!overview.to_string().contains(&reference), "{reference}");
    }

    // The page itself: the review sections and the 360 sections, linked to orders and invoices.
    let html = app
        .get_as(&agent, &format!("/admin/organisations/{amis}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("/admin/orders/"), "orders link to their page");
    assert!(html.contains("/invoices/"), "invoices link to theirs");
    assert!(
        html.contains("Enregistrer la décision"),
        "the review actions stay on the page"
    );
    // The file and the decisions are one island (its own module), whose props carry the
    // file and the partner documents; the 360 sections are the server's HTML around it.
    let (props, inside) = common::only_island(&html, "OrganisationReview");
    assert!(
        props.contains(&format!("&quot;organisation_id&quot;:&quot;{amis}&quot;")),
        "{props}"
    );
    assert!(props.contains("&quot;locale&quot;:&quot;fr&quot;"), "{props}");
    let documents = inside.find("id=\"documents-title\"");
    let history = inside.find("id=\"overview-history\"");
    assert!(documents.is_some(), "the partner documents in the island");
    assert!(history > documents, "the 360 sections follow them");
}

#[tokio::test]
async fn the_search_terms_follow_every_write() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    // Registration: the new organisation is found by its name and its holder.
    let form = registration("0202.239.951", "anne@amisduparc.example.org");
    app.register(&as_refs(&form)).await;
    assert_eq!(found(&app, &agent, "amis du parc").await, vec!["Les Amis du Parc ASBL"]);
    assert_eq!(
        found(&app, &agent, "anne@amisduparc").await,
        vec!["Les Amis du Parc ASBL"]
    );
    assert_eq!(found(&app, &agent, "0202239951").await, vec!["Les Amis du Parc ASBL"]);

    // A removed member no longer finds the organisation.
    assert_eq!(found(&app, &agent, "karim").await, vec![AMIS]);
    let karim: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select person_id from person where email = 'karim@amisduquartier.example.org'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let (status, body) = app.call_as(&holder, "remove_member", &[("person_id", &karim)]).await;
    assert_eq!(status, 200, "{body}");
    assert!(found(&app, &agent, "karim").await.is_empty());

    // An accepted change request: the new name and city find it, the old name no longer does.
    let change = [
        ("form[legal_name]", "Les Voisins Solidaires ASBL"),
        ("form[enterprise_number]", ""),
        ("form[street]", "Place Saint-Aubain 1"),
        ("form[postal_code]", "5000"),
        ("form[city]", "Namur"),
        ("form[contact_email]", ""),
        ("form[note]", "Nouveau nom et déménagement"),
    ];
    // A new name comes with its document (amended statutes), through the account page's form.
    let (status, body) = crate::inquiries::post_change(
        &app,
        &holder,
        &change,
        Some((b"statuts.pdf", crate::inquiries::PDF)),
        true,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, pending) = app.call_as(&agent, "pending_change_requests", &[]).await;
    let id = pending[0]["change_request_id"].as_str().unwrap().to_owned();
    let (status, body) = app
        .call_as(
            &agent,
            "decide_change_request",
            &[("change_request_id", &id), ("decision", "accepted"), ("reason", "")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        found(&app, &agent, "voisins solidaires").await,
        vec!["Les Voisins Solidaires ASBL"]
    );
    assert!(found(&app, &agent, "quartier").await.is_empty());
    let mut in_namur = found(&app, &agent, "namur").await;
    in_namur.sort();
    assert_eq!(in_namur, vec![BIBLIO, "Les Voisins Solidaires ASBL"]);

    // Organisations written before the terms existed get theirs at startup.
    app::on_pool!(app.db(), |pool| sqlx::query("delete from organisation_search_term")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    assert!(found(&app, &agent, "bibliotheque").await.is_empty());
    let indexed = app::directory::db::index_unindexed(app.db()).await.unwrap();
    assert!(indexed >= 6, "{indexed}");
    assert_eq!(found(&app, &agent, "bibliotheque").await, vec![BIBLIO]);
    assert_eq!(app::directory::db::index_unindexed(app.db()).await.unwrap(), 0);
}

/// A search reads the term index and the organisations by id: never every organisation.
#[tokio::test]
async fn a_search_is_read_from_an_index_not_a_scan() {
    let app = spawn_app().await.with_demo().await;
    let searches = [
        Criteria {
            prefixes: vec!["bibliotheque".into(), "publique".into()],
            ..Criteria::default()
        },
        Criteria {
            prefixes: vec!["0876543270".into()],
            status: Some("eligible".into()),
            country: Some("BE".into()),
            vat: Some("none".into()),
            partner: Some("microsoft".into()),
            ..Criteria::default()
        },
        Criteria {
            ids: Some(vec!["a".into(), "b".into()]),
            ..Criteria::default()
        },
    ];
    for criteria in &searches {
        let plan = page_plan(app.db(), criteria).await.unwrap();
        let text = plan.join("\n");
        if app.db().backend() == app::db::Backend::Postgres {
            assert!(!text.contains("Seq Scan"), "{criteria:?}:\n{text}");
        } else {
            assert!(
                !plan
                    .iter()
                    .any(|step| step.starts_with("SCAN ") && !step.contains("CONSTANT")),
                "{criteria:?}:\n{text}"
            );
            assert!(
                text.contains("SEARCH o USING INDEX") || text.contains("SEARCH o USING INTEGER PRIMARY KEY"),
                "{text}"
            );
        }
        if !criteria.prefixes.is_empty() {
            assert!(
                text.contains("organisation_search_term"),
                "the terms are read from their index:\n{text}"
            );
        }
    }
}
