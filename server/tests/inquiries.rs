//! "Mon organisation est-elle inscrite ?" answered and closed by staff, and change requests
//! with their supporting document. Both engines (`TEST_DATABASE_URL` for PostgreSQL).

use crate::common;
use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app, urlencode};

const AMIS: &str = "Les Amis du Quartier ASBL";
pub(crate) const PDF: &[u8] = b"%PDF-1.7\n% statuts modifies\n%%EOF\n";

/// Files a question as the public form does, in the language chosen by the cookie.
async fn ask(app: &TestApp, name: &str, number: &str, email: &str, language: &str) {
    let body = [
        ("organisation_name", name),
        ("enterprise_number", number),
        ("address", "Rue Haute 112, 1000 Bruxelles"),
        ("reply_email", email),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", urlencode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let response = app
        .client
        .post(app.url("/api/ask_if_registered"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", format!("i18n_pref_locale={language}"))
        .body(body)
        .send()
        .await
        .expect("as the test set it up");
    assert_eq!(response.status().as_u16(), 200);
}

/// Files `count` questions straight into the database (the public form is rate-limited per
/// client), one second apart: `Question n`, `asker-n@example.org`.
async fn seed_questions(app: &TestApp, count: u32) {
    let start = app::db::now() - chrono::Duration::hours(1);
    for n in 0..count {
        let mut tx = app.db().begin().await.expect("a write transaction");
        app::org::db::insert_inquiry(
            &mut tx,
            &format!("Question {n}"),
            "0202.239.951",
            "Place 1, 5000 Namur",
            &format!("asker-{n}@example.org"),
            "fr",
            start + chrono::Duration::seconds(i64::from(n)),
        )
        .await
        .expect("as the test set it up");
        tx.commit().await.expect("commit");
    }
}

async fn list(app: &TestApp, staff: &Caller, form: &[(&str, &str)]) -> serde_json::Value {
    let (status, body) = app.call_as(staff, "list_inquiries", form).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn names(listing: &serde_json::Value) -> Vec<String> {
    listing["items"]
        .as_array()
        .expect("as the test set it up")
        .iter()
        .map(|q| q["organisation_name"].as_str().expect("a name").to_owned())
        .collect()
}

#[tokio::test]
async fn the_staff_list_pages_filters_and_searches() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    seed_questions(&app, 30).await;
    ask(
        &app,
        "Les Amis du Quartier",
        "BE 0412 345 614",
        "Curieux@Example.org",
        "fr",
    )
    .await;

    let first = list(&app, &staff, &[]).await;
    assert_eq!(first["total"], 31);
    assert_eq!(first["open_total"], 31);
    assert_eq!(first["page_size"], 25);
    let first_names = names(&first);
    assert_eq!(first_names.len(), 25);
    assert_eq!(first_names[0], "Les Amis du Quartier", "newest first");
    assert_eq!(first_names[1], "Question 29");
    let second = list(&app, &staff, &[("page", "2")]).await;
    assert_eq!(
        names(&second),
        [
            "Question 5",
            "Question 4",
            "Question 3",
            "Question 2",
            "Question 1",
            "Question 0"
        ]
    );
    let beyond = list(&app, &staff, &[("page", "9")]).await;
    assert_eq!(names(&beyond).len(), 0);
    assert_eq!(beyond["total"], 31);

    // By name (any case), by the asker's e-mail, by the number in another spelling.
    for search in [
        "amis du",
        "AMIS",
        "curieux@example",
        "0412.345.614",
        "BE0412345614",
        "412345",
    ] {
        let found = list(&app, &staff, &[("search", search)]).await;
        assert_eq!(names(&found), ["Les Amis du Quartier"], "search {search:?}");
        assert_eq!(found["total"], 1);
    }
    let found = list(&app, &staff, &[("search", "asker-1")]).await;
    assert_eq!(found["total"], 11, "asker-1 and asker-10 to asker-19");
    // Wildcards are searched for as typed.
    for search in ["%", "_", "\\"] {
        assert_eq!(
            list(&app, &staff, &[("search", search)]).await["total"],
            0,
            "{search:?}"
        );
    }
    let (status, body) = app
        .call_as(&staff, "list_inquiries", &[("search", &"x".repeat(201))])
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["search"][0], "too_long");

    // The match is for staff: the organisation's page is linked by id.
    let amis = app.organisation_id(AMIS).await;
    let found = list(&app, &staff, &[("search", "amis")]).await;
    assert_eq!(found["items"][0]["matched"]["organisation_id"], amis.as_str());
    assert_eq!(found["items"][0]["matched"]["legal_name"], AMIS);
    assert_eq!(found["items"][1], serde_json::Value::Null);

    // Answered ones leave the open view for the answered one.
    let id = found["items"][0]["inquiry_id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .call_as(
            &staff,
            "answer_inquiry",
            &[
                ("inquiry_id", &id),
                ("template", "registered"),
                ("text", "Bonjour,\n\nInscrite."),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let open = list(&app, &staff, &[("status", "open")]).await;
    assert_eq!(open["total"], 30);
    assert_eq!(open["open_total"], 30);
    let answered = list(&app, &staff, &[("status", "answered")]).await;
    assert_eq!(names(&answered), ["Les Amis du Quartier"]);
    assert_eq!(answered["items"][0]["answer"]["text"], "Bonjour,\n\nInscrite.");
    assert_eq!(answered["items"][0]["answer"]["template"], "registered");
    assert!(
        !answered["items"][0]["answer"]["answered_by"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        list(&app, &staff, &[("status", "answered"), ("search", "question")]).await["total"],
        0
    );
}

#[tokio::test]
async fn an_answer_goes_out_in_the_inquirers_language_and_closes_the_question() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("staff", DEMO_PASSWORD).await;
    ask(&app, "Les Amis du Quartier", "0412.345.614", "vraag@example.org", "nl").await;
    ask(&app, "Onbekend", "0202.239.951", "question@example.org", "fr").await;
    let listing = list(&app, &staff, &[]).await;
    let items = listing["items"].as_array().unwrap();
    let dutch = items.iter().find(|q| q["reply_email"] == "vraag@example.org").unwrap();
    assert_eq!(dutch["language"], "nl");
    let french = items
        .iter()
        .find(|q| q["reply_email"] == "question@example.org")
        .unwrap();
    assert_eq!(french["language"], "fr");
    let id = dutch["inquiry_id"].as_str().unwrap().to_owned();

    // The template staff start from, in the inquirer's language, names no one of the account.
    let site = listing["site"].as_str().unwrap();
    let holder: (String, String) = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select p.full_name, p.email from person p join membership m on m.person_id = p.person_id \
         join organisation o on o.organisation_id = m.organisation_id \
         where o.legal_name = $1 and m.role = 'account_holder'"
    )
    .bind(AMIS)
    .fetch_one(pool)
    .await)
    .unwrap();
    use app::i18n::Locale;
    use app::inquiry::model::AnswerTemplate;
    use app::inquiry::ui::template_text;
    for locale in [Locale::fr, Locale::nl, Locale::en] {
        for template in AnswerTemplate::ALL {
            let text = template_text(template, locale, "Les Amis du Quartier", site);
            assert!(!text.contains(&holder.0) && !text.contains(&holder.1), "{text}");
            assert!(!text.contains("contact@amisduquartier"), "{text}");
        }
    }
    let registered = template_text(AnswerTemplate::Registered, Locale::nl, "Les Amis du Quartier", site);
    assert!(
        registered.contains("accounthouder") && registered.contains("/forgot-password"),
        "{registered}"
    );
    let not_registered = template_text(AnswerTemplate::NotRegistered, Locale::fr, "Onbekend", site);
    assert!(not_registered.contains(&format!("{site}/register")), "{not_registered}");

    let edited = format!("{registered}\n\nMet vriendelijke groeten,\nHet team");
    let (status, body) = app
        .call_as(
            &staff,
            "answer_inquiry",
            &[("inquiry_id", &id), ("template", "registered"), ("text", &edited)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let mail = app.mail_to("vraag@example.org").await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    let (subject, text) = &mail[0];
    assert!(
        subject.contains("Uw vraag: is « Les Amis du Quartier » ingeschreven?"),
        "{subject}"
    );
    assert!(text.contains("Met vriendelijke groeten,\nHet team"), "{text}");
    assert!(!text.contains(&holder.1), "{text}");
    assert_eq!(app.audit_count("inquiry.answered").await, 1);
    let (who, template, answer): (Option<String>, Option<String>, Option<String>) =
        app::on_pool!(app.db(), |pool| sqlx::query_as(
            "select answered_by, answer_template, answer_text from registration_inquiry where inquiry_id = $1"
        )
        .bind(&id)
        .fetch_one(pool)
        .await)
        .unwrap();
    assert!(who.is_some());
    assert_eq!(template.as_deref(), Some("registered"));
    assert_eq!(answer.as_deref(), Some(edited.trim()));

    // Answered again: refused, nothing sent.
    let (status, body) = app
        .call_as(
            &staff,
            "answer_inquiry",
            &[("inquiry_id", &id), ("template", "free"), ("text", "Encore")],
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(body["Conflict"], "inquiry_answered");
    assert_eq!(app.mail_to("vraag@example.org").await.len(), 1);

    // The French question gets its answer in French.
    let french_id = french["inquiry_id"].as_str().unwrap();
    let (status, _) = app
        .call_as(
            &staff,
            "answer_inquiry",
            &[
                ("inquiry_id", french_id),
                ("template", "not_registered"),
                ("text", &not_registered),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let mail = app.mail_to("question@example.org").await;
    assert!(
        mail[0].0.contains("Votre question : « Onbekend » est-elle inscrite ?"),
        "{mail:?}"
    );
}

#[tokio::test]
async fn two_agents_answering_at_once_send_one_email() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    ask(&app, "Club de lecture", "0202.239.951", "club@example.org", "fr").await;
    let listing = list(&app, &agent, &[]).await;
    let id = listing["items"][0]["inquiry_id"].as_str().unwrap().to_owned();
    let calls = (0..10).map(|n| {
        let caller = if n % 2 == 0 { agent.clone() } else { admin.clone() };
        let text = format!("Réponse numéro {n}");
        let id = id.clone();
        let app = &app;
        async move {
            app.call_as(
                &caller,
                "answer_inquiry",
                &[("inquiry_id", &id), ("template", "free"), ("text", &text)],
            )
            .await
        }
    });
    let results = futures::future::join_all(calls).await;
    let ok = results.iter().filter(|(status, _)| *status == 200).count();
    let conflicts: Vec<_> = results.iter().filter(|(status, _)| *status == 409).collect();
    assert_eq!(ok, 1, "{results:?}");
    assert_eq!(conflicts.len(), 9, "{results:?}");
    assert!(conflicts.iter().all(|(_, body)| body["Conflict"] == "inquiry_answered"));
    let mail = app.mail_to("club@example.org").await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(app.audit_count("inquiry.answered").await, 1);
    let answered = list(&app, &agent, &[("status", "answered")]).await;
    let text = answered["items"][0]["answer"]["text"].as_str().unwrap();
    assert!(mail[0].1.contains(text), "the e-mail is the answer recorded");
}

#[tokio::test]
async fn hostile_answers_get_a_reason_and_close_nothing() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    ask(&app, "Club", "0202.239.951", "club@example.org", "en").await;
    let id = list(&app, &staff, &[]).await["items"][0]["inquiry_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let long = "é".repeat(5001);
    for (template, text, field, code) in [
        ("free", "", "text", "required"),
        ("free", "   \n  ", "text", "required"),
        ("free", long.as_str(), "text", "too_long"),
        ("free", "Bonjour\u{7}", "text", "invalid_characters"),
        ("<script>", "Bonjour", "template", "choose_one"),
    ] {
        let (status, body) = app
            .call_as(
                &staff,
                "answer_inquiry",
                &[("inquiry_id", &id), ("template", template), ("text", text)],
            )
            .await;
        assert_eq!(status, 422, "{template} {text:.20}: {body}");
        assert_eq!(body["Validation"]["fields"][field][0], code, "{body}");
    }
    let (status, _) = app
        .call_as(
            &staff,
            "answer_inquiry",
            &[("inquiry_id", "nope"), ("template", "free"), ("text", "Hi")],
        )
        .await;
    assert_eq!(status, 404);
    let exactly = "é".repeat(5000);
    let (status, _) = app
        .call_as(
            &staff,
            "answer_inquiry",
            &[("inquiry_id", &id), ("template", "free"), ("text", &exactly)],
        )
        .await;
    assert_eq!(status, 200, "5,000 characters are accepted");
    assert_eq!(app.mail_to("club@example.org").await.len(), 1);
    // A name typed with line breaks (a header injection attempt) stays on the subject's line.
    ask(
        &app,
        "Club\r\nBcc: victim@example.org\n",
        "0202.239.951",
        "evil@example.org",
        "fr",
    )
    .await;
    let evil = list(&app, &staff, &[("search", "evil@")]).await["items"][0]["inquiry_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = app
        .call_as(
            &staff,
            "answer_inquiry",
            &[("inquiry_id", &evil), ("template", "free"), ("text", "Non.")],
        )
        .await;
    assert_eq!(status, 200);
    let mail = app.mail_to("evil@example.org").await;
    assert_eq!(
        mail[0].0,
        "[Dons technologiques] Votre question : « Club Bcc: victim@example.org » est-elle inscrite ?"
    );
    assert!(app.mail_to("victim@example.org").await.is_empty());

    // The page shows the answer in the answered view.
    let page = app.get_as(&staff, "/admin/inquiries?status=answered&q=club").await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&"é".repeat(100)), "the answer text is shown");
    // The filter form is the server's HTML: it shows the filter it was sent with.
    assert!(
        html.contains("name=\"q\" type=\"search\" maxlength=\"200\" value=\"club\""),
        "{html}"
    );
    assert!(html.contains("<option value=\"answered\" selected"), "{html}");
}

#[tokio::test]
async fn the_staff_page_links_the_matching_organisation_and_offers_the_answer_form() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    ask(&app, "Les Amis du Quartier", "0412345614", "curieux@example.org", "en").await;
    let html = app.get_as(&staff, "/admin/inquiries").await.text().await.unwrap();
    // The questions and their answer forms are one island (its own module).
    let (props, _) = common::only_island(&html, "Inquiries");
    assert!(
        props.contains("&quot;status&quot;:&quot;open&quot;"),
        "the filter in its props"
    );
    let amis = app.organisation_id(AMIS).await;
    assert!(
        html.contains(&format!("href=\"/admin/organisations/{amis}\"")),
        "the organisation link"
    );
    assert!(html.contains("Envoyer et clore"));
    assert!(html.contains("Modèle de réponse"));
    // Prefilled in the inquirer's language (English), with the registered template.
    assert!(html.contains("already has an account"), "the English template");
    assert!(
        !html.contains("contact@amisduquartier"),
        "no account address on the page's template"
    );
    // Not for organisations.
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let (status, _) = app.call_as(&holder, "list_inquiries", &[]).await;
    assert_eq!(status, 403);
}

// ---- Change requests and their supporting document ----

/// A multipart body of text `fields` and one `file` part with raw `file_name` bytes.
fn change_form(fields: &[(&str, &str)], file: Option<(&[u8], &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----inquiries-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((file_name, content)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"").as_bytes(),
        );
        body.extend_from_slice(file_name);
        body.extend_from_slice(b"\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts the account page's change-request form as `caller`: (status, location or body).
pub(crate) async fn post_change(
    app: &TestApp,
    caller: &Caller,
    fields: &[(&str, &str)],
    file: Option<(&[u8], &[u8])>,
    json: bool,
) -> (u16, String) {
    let (content_type, body) = change_form(fields, file);
    let mut request = app
        .client
        .post(app.url("/change-requests"))
        .header("content-type", content_type)
        .body(body);
    if json {
        request = request.header("accept", "application/json");
    }
    if let Some(cookie) = &caller.cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("change request post");
    let status = response.status().as_u16();
    match response.headers().get("location") {
        Some(location) => (status, location.to_str().expect("as the test set it up").to_owned()),
        None => (status, response.text().await.unwrap_or_default()),
    }
}

const NEW_NAME: &[(&str, &str)] = &[
    ("form[legal_name]", "Les Amis du Quartier et Environs ASBL"),
    ("form[note]", "Changement de nom voté en assemblée générale"),
];

async fn change_documents(app: &TestApp) -> i64 {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from document where kind = 'change_request'"
    )
    .fetch_one(pool)
    .await)
    .expect("as the test set it up")
}

#[tokio::test]
async fn a_change_request_carries_its_document_to_staff_and_its_organisation_only() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;

    let (status, location) = post_change(&app, &holder, NEW_NAME, Some((b"statuts-2026.pdf", PDF)), false).await;
    assert_eq!((status, location.as_str()), (303, "/account?change=ok#change-title"));
    assert_eq!(app.audit_count("organisation.change_requested").await, 1);

    let (_, pending) = app.call_as(&agent, "pending_change_requests", &[]).await;
    let request = &pending[0];
    assert_eq!(request["legal_name"], "Les Amis du Quartier et Environs ASBL");
    assert_eq!(request["organisation_id"], app.organisation_id(AMIS).await.as_str());
    let document = &request["document"];
    assert_eq!(document["file_name"], "statuts-2026.pdf");
    assert_eq!(document["content_type"], "application/pdf");
    assert_eq!(document["size_bytes"], PDF.len());
    let path = format!("/documents/{}", document["document_id"].as_str().unwrap());

    // Staff and the organisation's own people open it; nobody else.
    for (caller, name, want) in [
        (&agent, "agent", 200),
        (&holder, "holder", 200),
        (&member, "member", 200),
        (&other, "another organisation", 404),
        (&Caller::default(), "visitor", 401),
    ] {
        let response = app.get_as(caller, &path).await;
        assert_eq!(response.status().as_u16(), want, "{name}");
        if want == 200 {
            assert_eq!(response.bytes().await.unwrap().as_ref(), PDF, "{name}");
        }
    }
    let (_, mine) = app.call_as(&member, "my_change_requests", &[]).await;
    assert_eq!(mine[0]["document"]["file_name"], "statuts-2026.pdf");
    let (_, theirs) = app.call_as(&other, "my_change_requests", &[]).await;
    assert_eq!(theirs, serde_json::json!([]));

    // Another organisation's holder files its own: it is theirs, Les Amis never see it.
    let biblio_change = [
        ("form[enterprise_number]", "0202.239.951"),
        ("form[note]", "Nouveau numéro après la fusion"),
    ];
    let (status, body) = post_change(&app, &other, &biblio_change, Some((b"fusion.pdf", PDF)), true).await;
    assert_eq!(status, 200, "{body}");
    let (_, theirs) = app.call_as(&other, "my_change_requests", &[]).await;
    let biblio_document = theirs[0]["document"]["document_id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get_as(&holder, &format!("/documents/{biblio_document}"))
            .await
            .status()
            .as_u16(),
        404
    );
    let (_, mine) = app.call_as(&holder, "my_change_requests", &[]).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let (_, pending) = app.call_as(&agent, "pending_change_requests", &[]).await;
    assert_eq!(pending.as_array().unwrap().len(), 2);

    // Members, staff and visitors cannot file.
    for (caller, name, want) in [(&member, "member", 403), (&agent, "agent", 403)] {
        let (status, _) = post_change(&app, caller, NEW_NAME, Some((b"s.pdf", PDF)), false).await;
        assert_eq!(status, want, "{name}");
    }
    assert_eq!(
        post_change(&app, &Caller::default(), NEW_NAME, Some((b"s.pdf", PDF)), false).await,
        (303, "/login".to_owned())
    );
    // One open request at a time; the second document is not kept.
    let (status, location) = post_change(&app, &holder, NEW_NAME, Some((b"s.pdf", PDF)), false).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/account?change=change_pending#change-title")
    );
    assert_eq!(change_documents(&app).await, 2);

    // Accepted: the staff page's document stays with the request's history.
    let id = pending
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["organisation_name"] == AMIS)
        .unwrap()["change_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = app
        .call_as(
            &agent,
            "decide_change_request",
            &[("change_request_id", &id), ("decision", "accepted"), ("reason", "")],
        )
        .await;
    assert_eq!(status, 200);
    let (_, mine) = app.call_as(&holder, "my_change_requests", &[]).await;
    assert_eq!(mine[0]["status"], "accepted");
    assert_eq!(mine[0]["document"]["file_name"], "statuts-2026.pdf");
    let staff_page = app.get_as(&agent, "/admin/changes").await;
    assert_eq!(staff_page.status().as_u16(), 200);
    // The other request waits: its document and organisation are linked on the staff page.
    let html = staff_page.text().await.unwrap();
    // The list and its decisions are one island (its own module), its props the list.
    let (props, _) = common::only_island(&html, "ChangeRequests");
    assert!(props.contains("fusion.pdf&quot;"), "the list is in the island's props");
    assert!(
        html.contains(&format!("/documents/{biblio_document}")),
        "the document link"
    );
    assert!(html.contains("fusion.pdf"));
    let biblio = pending
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["organisation_name"] != AMIS)
        .unwrap()["organisation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        html.contains(&format!("/admin/organisations/{biblio}")),
        "the organisation link"
    );
    // The account page says what happened to a post made without the WASM.
    let account = app.get_as(&holder, "/account?change=document_required").await;
    let html = account.text().await.unwrap();
    assert!(html.contains("n'a pas été envoyée"), "the refusal is explained");
    assert!(html.contains("obligatoire pour changer le nom"), "with its reason");
    assert!(
        html.contains("statuts-2026.pdf"),
        "the organisation sees its own document"
    );
}

#[tokio::test]
async fn a_new_name_or_number_needs_its_document_an_address_does_not() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    // Without a file, by the form or by the server function.
    let (status, location) = post_change(&app, &holder, NEW_NAME, None, false).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/account?change=document_required#change-title")
    );
    // The browser's empty file input sends a nameless, empty part: no document either.
    let (_, location) = post_change(&app, &holder, NEW_NAME, Some((b"", b"")), false).await;
    assert_eq!(location, "/account?change=document_required#change-title");
    let (status, body) = app.call_as(&holder, "request_change", NEW_NAME).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["document"][0], "document_required");
    let number = [("form[enterprise_number]", "0202.239.951"), ("form[note]", "Fusion")];
    let (status, body) = post_change(&app, &holder, &number, None, true).await;
    assert_eq!(status, 422);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["Validation"]["fields"]["document"][0], "document_required");
    // Field errors and the document's come back together.
    let (status, body) = post_change(
        &app,
        &holder,
        &[
            ("form[legal_name]", "Nouveau"),
            ("form[postal_code]", "12"),
            ("form[note]", ""),
        ],
        None,
        true,
    )
    .await;
    assert_eq!(status, 422);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    let fields = &body["Validation"]["fields"];
    assert_eq!(fields["document"][0], "document_required");
    assert_eq!(fields["postal_code"][0], "postal_code_invalid");
    assert_eq!(fields["note"][0], "required");
    assert_eq!(app.audit_count("organisation.change_requested").await, 0);

    // A new address needs none.
    let address = [
        ("form[street]", "Rue Neuve 5"),
        ("form[postal_code]", "1000"),
        ("form[city]", "Bruxelles"),
        ("form[note]", "Déménagement"),
    ];
    let (status, location) = post_change(&app, &holder, &address, None, false).await;
    assert_eq!((status, location.as_str()), (303, "/account?change=ok#change-title"));
    let (_, mine) = app.call_as(&holder, "my_change_requests", &[]).await;
    assert_eq!(mine[0]["document"], serde_json::Value::Null);
}

#[tokio::test]
async fn hostile_documents_are_refused_and_nothing_is_filed() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let limit = app::org::registration::MAX_DOCUMENT_BYTES;
    let mut oversized = PDF.to_vec();
    oversized.resize(limit + 1, b' ');
    let mut far_too_large = PDF.to_vec();
    far_too_large.resize(limit * 2, b' ');
    let html = b"<html><script>alert(1)</script></html>".as_slice();
    let polyglot = b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n".as_slice();
    for (name, content, want) in [
        (b"s.pdf".as_slice(), oversized.as_slice(), "file_too_large"),
        (b"s.pdf".as_slice(), b"".as_slice(), "file_missing"),
        (b"statuts.pdf".as_slice(), html, "file_type"),
        (b"statuts.pdf".as_slice(), polyglot, "file_type"),
        (b"statuts.exe".as_slice(), b"MZ\x90\x00".as_slice(), "file_type"),
    ] {
        let (status, location) = post_change(&app, &holder, NEW_NAME, Some((name, content)), false).await;
        assert_eq!(
            (status, location),
            (303, format!("/account?change={want}#change-title")),
            "{}",
            String::from_utf8_lossy(name)
        );
        let (status, body) = post_change(&app, &holder, NEW_NAME, Some((name, content)), true).await;
        assert_eq!(status, 422, "{body}");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["Validation"]["fields"]["document"][0], want);
    }
    // Past the route's body limit: refused before it is read.
    let (status, _) = post_change(&app, &holder, NEW_NAME, Some((b"s.pdf", &far_too_large)), false).await;
    assert_eq!(status, 413);
    assert_eq!(change_documents(&app).await, 0);
    assert_eq!(app.audit_count("organisation.change_requested").await, 0);

    // Hostile names are cut down to a safe base name; the request is filed.
    let long = format!("{}.pdf", "a".repeat(5000));
    let mut non_utf8 = b"statuts-\xff\xfe-".to_vec();
    non_utf8.extend_from_slice(b".pdf");
    let staff = app.login("agent", DEMO_PASSWORD).await;
    // A name that is not UTF-8 is not read as a name at all: the file is kept as "document".
    let names = [
        (b"../../../etc/passwd.pdf".as_slice(), "passwd.pdf".to_owned()),
        (long.as_bytes(), "a".repeat(100)),
        (non_utf8.as_slice(), "document".to_owned()),
    ];
    for (name, expected) in names {
        let (status, location) = post_change(&app, &holder, NEW_NAME, Some((name, PDF)), false).await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/account?change=ok#change-title"),
            "{}",
            String::from_utf8_lossy(name)
        );
        let (_, pending) = app.call_as(&staff, "pending_change_requests", &[]).await;
        let stored = pending[0]["document"]["file_name"].as_str().unwrap().to_owned();
        assert_eq!(stored, expected);
        let id = pending[0]["change_request_id"].as_str().unwrap().to_owned();
        let (status, _) = app
            .call_as(
                &staff,
                "decide_change_request",
                &[("change_request_id", &id), ("decision", "refused"), ("reason", "Test")],
            )
            .await;
        assert_eq!(status, 200);
        let download = app
            .get_as(
                &holder,
                &format!("/documents/{}", pending[0]["document"]["document_id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(download.status().as_u16(), 200);
        assert!(download.headers()["content-disposition"].to_str().is_ok());
    }
}

#[tokio::test]
async fn a_change_document_counts_in_the_organisations_storage() {
    let app = common::spawn_app_with(&[("DOCUMENT_STORAGE_PER_ORGANISATION_MIB", "1")])
        .await
        .with_demo()
        .await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(600 * 1024, b' ');
    big.extend_from_slice(b"\n%%EOF\n");
    let (_, location) = post_change(&app, &holder, NEW_NAME, Some((b"a.pdf", &big)), false).await;
    assert_eq!(location, "/account?change=ok#change-title");
    let (_, pending) = app.call_as(&staff, "pending_change_requests", &[]).await;
    let id = pending[0]["change_request_id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .call_as(
            &staff,
            "decide_change_request",
            &[
                ("change_request_id", &id),
                ("decision", "refused"),
                ("reason", "Illisible"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    // The refused request keeps its document: a second one no longer fits.
    let (status, body) = post_change(&app, &holder, NEW_NAME, Some((b"b.pdf", &big)), true).await;
    assert_eq!(status, 422, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["Validation"]["fields"]["document"][0], "storage_full");
    assert_eq!(change_documents(&app).await, 1);
    assert_eq!(app.audit_count("organisation.change_requested").await, 1);
}
