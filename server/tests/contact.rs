//! "Contact": the public form (anonymous and logged in, its per-client limit under bursts),
//! the staff inbox (list, search, assign, answer by e-mail, close, reopen), and the terms of
//! sale and privacy pages that admins edit. Both engines (`TEST_DATABASE_URL` for PostgreSQL).

use crate::common;
use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app, spawn_app_with, urlencode};
use serde_json::Value;
use std::sync::Arc;

const AMIS: &str = "Les Amis du Quartier ASBL";

/// The contact form as a visitor fills it.
fn visitor_form<'a>(name: &'a str, email: &'a str, subject: &'a str, message: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[name]", name),
        ("form[email]", email),
        ("form[topic]", "invoice"),
        ("form[subject]", subject),
        ("form[message]", message),
    ]
}

/// Sends the form as `caller` with the page's language in the cookie, as the browser does.
async fn send_in(app: &TestApp, caller: &Caller, form: &[(&str, &str)], language: &str) -> (u16, Value) {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut cookie = format!("i18n_pref_locale={language}");
    if let Some(session) = &caller.cookie {
        cookie = format!("{session}; {cookie}");
    }
    let response = app
        .client
        .post(app.url("/api/send_contact_message"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", cookie)
        .body(body)
        .send()
        .await
        .expect("contact request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("response body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn inbox(app: &TestApp, staff: &Caller, form: &[(&str, &str)]) -> Value {
    let (status, body) = app.call_as(staff, "list_conversations", form).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn conversation(app: &TestApp, staff: &Caller, id: &str) -> Value {
    let (status, body) = app
        .call_as(staff, "load_conversation", &[("conversation_id", id)])
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn stored_conversations(app: &TestApp) -> i64 {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from contact_conversation"
    )
    .fetch_one(pool)
    .await)
    .expect("count conversations")
}

#[tokio::test]
async fn a_visitors_message_reaches_the_inbox_and_the_acknowledgement_quotes_nothing_typed() {
    let app = spawn_app().await.with_demo().await;
    let form = visitor_form(
        "Jeanne Visiteuse",
        " Jeanne@Example.org ",
        "Facture introuvable",
        "Bonjour,\r\nje ne retrouve pas la facture de notre commande.",
    );
    let (status, body) = send_in(&app, &Caller::default(), &form, "fr").await;
    assert_eq!(status, 200, "{body}");

    let mail = app.mail_to("jeanne@example.org").await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(mail[0].0.contains("Nous avons bien reçu votre message"), "{mail:?}");
    assert!(
        mail[0].1.contains("Facture ou paiement"),
        "the topic is named: {mail:?}"
    );
    for typed in ["Jeanne", "Facture introuvable", "retrouve pas"] {
        assert!(
            !mail[0].1.contains(typed),
            "the acknowledgement repeats {typed:?}: {mail:?}"
        );
    }

    let agent = app.login("agent", DEMO_PASSWORD).await;
    let listing = inbox(&app, &agent, &[]).await;
    assert_eq!(listing["total"], 1);
    assert_eq!(listing["open_total"], 1);
    let item = &listing["items"][0];
    assert_eq!(item["subject"], "Facture introuvable");
    assert_eq!(item["sender_email"], "jeanne@example.org");
    assert_eq!(item["organisation"], Value::Null);
    assert_eq!(item["topic"], "invoice");
    assert_eq!(item["messages"], 1);
    let id = item["conversation_id"].as_str().unwrap().to_owned();
    let full = conversation(&app, &agent, &id).await;
    assert_eq!(full["language"], "fr");
    assert_eq!(full["status"], "open");
    assert_eq!(
        full["messages"][0]["body"],
        "Bonjour,\nje ne retrouve pas la facture de notre commande."
    );
    assert_eq!(full["messages"][0]["direction"], "incoming");
    assert_eq!(full["messages"][0]["author"], "Jeanne Visiteuse");
    // Who it can be assigned to: the three demo staff members, by name.
    let staff: Vec<&str> = full["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(staff, ["Claire Dubois", "Pieter Janssens", "Sofie Maes"]);
}

#[tokio::test]
async fn a_refused_message_names_every_field_and_stores_nothing() {
    let app = spawn_app().await;
    let (status, body) = send_in(
        &app,
        &Caller::default(),
        &visitor_form("", "pas-une-adresse", "", ""),
        "fr",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields = &body["Validation"]["fields"];
    assert_eq!(fields["name"][0], "required");
    assert_eq!(fields["email"][0], "email_invalid");
    assert_eq!(fields["subject"][0], "required");
    assert_eq!(fields["message"][0], "required");
    // A topic that is not one of the list.
    let mut form = visitor_form("Jeanne", "jeanne@example.org", "Objet", "Texte");
    form[2].1 = "billing";
    let (status, body) = send_in(&app, &Caller::default(), &form, "fr").await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["topic"][0], "choose_one");
    // Size limits: 5,000 characters of message and 200 of subject are the most.
    let long_message = "é".repeat(5_001);
    let long_subject = "s".repeat(201);
    let form = visitor_form("Jeanne", "jeanne@example.org", &long_subject, &long_message);
    let (status, body) = send_in(&app, &Caller::default(), &form, "fr").await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["message"][0], "too_long");
    assert_eq!(body["Validation"]["fields"]["subject"][0], "too_long");
    let form = visitor_form("Jeanne", "jeanne@example.org", "Objet\u{7}", "Texte");
    let (status, body) = send_in(&app, &Caller::default(), &form, "fr").await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["subject"][0], "invalid_characters");
    assert_eq!(stored_conversations(&app).await, 0);
    assert!(app.mail_to("jeanne@example.org").await.is_empty());
    // The most the limits allow goes through.
    let message = "é".repeat(5_000);
    let subject = "s".repeat(200);
    let form = visitor_form("Jeanne", "jeanne@example.org", &subject, &message);
    assert_eq!(send_in(&app, &Caller::default(), &form, "fr").await.0, 200);
    assert_eq!(stored_conversations(&app).await, 1);
}

#[tokio::test]
async fn a_client_address_sends_exactly_its_limit_one_after_the_other() {
    let app = spawn_app_with(&[("PUBLIC_FORMS_PER_HOUR", "3")])
        .await
        .with_demo()
        .await;
    let anonymous = Caller::default();
    for n in 0..3 {
        let subject = format!("Question {n}");
        let form = visitor_form("Jeanne", "jeanne@example.org", &subject, "Texte");
        assert_eq!(send_in(&app, &anonymous, &form, "fr").await.0, 200, "message {n}");
    }
    let form = visitor_form("Jeanne", "jeanne@example.org", "Encore", "Texte");
    let (status, body) = send_in(&app, &anonymous, &form, "fr").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(stored_conversations(&app).await, 3);
    assert_eq!(app.mail_to("jeanne@example.org").await.len(), 3);
    // The contact form has its own counter: the registered-organisation question still works.
    let (status, body) = app
        .call_as(
            &anonymous,
            "ask_if_registered",
            &[
                ("organisation_name", "Club"),
                ("enterprise_number", "0202.239.951"),
                ("address", "Rue Haute 1, 1000 Bruxelles"),
                ("reply_email", "club@example.org"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // A logged-in person is known: their messages are not counted against the address.
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let form = visitor_form("", "", "Depuis mon compte", "Texte");
    assert_eq!(send_in(&app, &holder, &form, "fr").await.0, 200);
    assert_eq!(stored_conversations(&app).await, 4);
}

#[tokio::test]
async fn a_burst_of_visitor_messages_stores_exactly_the_limit() {
    let app = Arc::new(spawn_app_with(&[("PUBLIC_FORMS_PER_HOUR", "5")]).await);
    let tasks: Vec<_> = (0..60)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move {
                let subject = format!("Question {n}");
                let form = visitor_form("Jeanne", "jeanne@example.org", &subject, "Texte");
                send_in(&app, &Caller::default(), &form, "fr").await.0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("a burst call"));
    }
    let ok = statuses.iter().filter(|s| **s == 200).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((ok, refused), (5, 55), "{statuses:?}");
    assert_eq!(stored_conversations(&app).await, 5);
    assert_eq!(app.mail_to("jeanne@example.org").await.len(), 5);
}

#[tokio::test]
async fn a_logged_in_message_carries_the_account_and_its_organisation() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    // Whatever name and address the form carries, the account's are used.
    let form = visitor_form(
        "Quelqu'un d'autre",
        "autre@example.org",
        "Notre commande",
        "Où en est-elle ?",
    );
    let (status, body) = send_in(&app, &holder, &form, "fr").await;
    assert_eq!(status, 200, "{body}");
    assert!(app.mail_to("autre@example.org").await.is_empty());
    assert_eq!(app.mail_to("sophie@amisduquartier.example.org").await.len(), 1);

    let agent = app.login("agent", DEMO_PASSWORD).await;
    let listing = inbox(&app, &agent, &[]).await;
    let item = &listing["items"][0];
    assert_eq!(item["sender_name"], "Sophie Lambert");
    assert_eq!(item["sender_email"], "sophie@amisduquartier.example.org");
    assert_eq!(item["organisation"], AMIS);
    let id = item["conversation_id"].as_str().unwrap().to_owned();
    let full = conversation(&app, &agent, &id).await;
    assert_eq!(full["organisation_id"], app.organisation_id(AMIS).await.as_str());
    assert!(full["person_id"].is_string());
    // Search finds it by the organisation's name, in any case.
    assert_eq!(inbox(&app, &agent, &[("search", "amis du quartier")]).await["total"], 1);
    assert_eq!(inbox(&app, &agent, &[("search", "bibliothèque")]).await["total"], 0);
}

#[tokio::test]
async fn staff_assign_answer_by_email_close_and_reopen() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let form = visitor_form(
        "Joris",
        "joris@example.org",
        "Vraag over Zoom",
        "Kan ik mijn Zoom-code verlengen?",
    );
    assert_eq!(send_in(&app, &Caller::default(), &form, "nl").await.0, 200);
    let id = inbox(&app, &agent, &[]).await["items"][0]["conversation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let full = conversation(&app, &agent, &id).await;
    assert_eq!(full["language"], "nl");
    let claire = full["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["full_name"] == "Claire Dubois")
        .unwrap()["person_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Assigned to the admin: "mine" shows it to her, not to the agent.
    let (status, body) = app
        .call_as(
            &agent,
            "assign_conversation",
            &[("conversation_id", &id), ("assignee", &claire)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(inbox(&app, &admin, &[("mine", "true")]).await["total"], 1);
    assert_eq!(inbox(&app, &agent, &[("mine", "true")]).await["total"], 0);
    assert_eq!(conversation(&app, &agent, &id).await["assigned_to"], "Claire Dubois");
    // Nobody outside the staff can be given a conversation.
    let holder_id = app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, String>(
        "select person_id from person where username = 'amis'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let (status, body) = app
        .call_as(
            &agent,
            "assign_conversation",
            &[("conversation_id", &id), ("assignee", &holder_id)],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["assignee"][0], "choose_one");
    assert_eq!(app.audit_count("contact.assigned").await, 1);

    // The answer: stored, e-mailed in Dutch to the sender, audited.
    let answer = "Ja, bestel hetzelfde product opnieuw.\nDe code loopt dan twaalf maanden.";
    let (status, body) = app
        .call_as(
            &agent,
            "answer_conversation",
            &[("conversation_id", &id), ("text", answer)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let mail = app.mail_to("joris@example.org").await;
    assert_eq!(mail.len(), 2, "acknowledgement and answer: {mail:?}");
    assert!(mail[0].0.contains("We hebben uw bericht goed ontvangen"), "{mail:?}");
    assert!(mail[1].0.contains("Antwoord: Vraag over Zoom"), "{mail:?}");
    assert!(mail[1].1.contains("Hallo Joris"), "{mail:?}");
    assert!(mail[1].1.contains(answer), "{mail:?}");
    assert!(mail[1].1.contains("/contact"), "{mail:?}");
    let full = conversation(&app, &agent, &id).await;
    let messages = full["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1]["direction"], "outgoing");
    assert_eq!(messages[1]["author"], "Pieter Janssens");
    assert_eq!(messages[1]["body"], answer);
    assert_eq!(app.audit_count("contact.answered").await, 1);
    // Search looks in the messages too.
    assert_eq!(inbox(&app, &agent, &[("search", "TWAALF")]).await["total"], 1);

    // Closed: it leaves the open list, answers are refused until it is reopened.
    let (status, _) = app
        .call_as(
            &admin,
            "set_conversation_status",
            &[("conversation_id", &id), ("status", "closed")],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(inbox(&app, &agent, &[]).await["total"], 0);
    assert_eq!(inbox(&app, &agent, &[("status", "closed")]).await["total"], 1);
    assert_eq!(inbox(&app, &agent, &[("status", "all")]).await["total"], 1);
    let full = conversation(&app, &agent, &id).await;
    assert_eq!(full["status"], "closed");
    assert!(full["closed_at"].is_string());
    let (status, body) = app
        .call_as(
            &agent,
            "answer_conversation",
            &[("conversation_id", &id), ("text", "Nog iets")],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["Conflict"], "conversation_closed");
    assert_eq!(app.mail_to("joris@example.org").await.len(), 2, "nothing sent");
    // Closing twice changes nothing and records nothing more.
    let (status, _) = app
        .call_as(
            &admin,
            "set_conversation_status",
            &[("conversation_id", &id), ("status", "closed")],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.audit_count("contact.closed").await, 1);

    let (status, _) = app
        .call_as(
            &agent,
            "set_conversation_status",
            &[("conversation_id", &id), ("status", "open")],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.audit_count("contact.reopened").await, 1);
    let (status, _) = app
        .call_as(
            &agent,
            "answer_conversation",
            &[("conversation_id", &id), ("text", "Nog iets")],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.mail_to("joris@example.org").await.len(), 3);
    let full = conversation(&app, &agent, &id).await;
    assert_eq!(full["status"], "open");
    assert_eq!(full["closed_at"], Value::Null);

    // An empty answer, an unknown conversation, a status that is not one.
    let (status, body) = app
        .call_as(
            &agent,
            "answer_conversation",
            &[("conversation_id", &id), ("text", "  ")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["text"][0], "required");
    let (status, _) = app
        .call_as(
            &agent,
            "answer_conversation",
            &[("conversation_id", "nobody"), ("text", "Bonjour")],
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call_as(
            &agent,
            "set_conversation_status",
            &[("conversation_id", &id), ("status", "archived")],
        )
        .await;
    assert_eq!(status, 422);

    // The conversation's page shows the messages to staff.
    let html = app
        .get_as(&agent, &format!("/admin/contact/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Kan ik mijn Zoom-code verlengen?"),
        "the message is shown"
    );
    assert!(
        html.contains("De code loopt dan twaalf maanden."),
        "the answer is shown"
    );
    // One island (its own module) holds the conversation and its forms.
    let (props, _) = common::only_island(&html, "StaffConversation");
    assert!(props.contains(&format!("&quot;conversation_id&quot;:&quot;{id}&quot;")));
    // Organisations are refused the page, and it carries nothing of the conversation.
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let page = app.get_as(&holder, &format!("/admin/contact/{id}")).await;
    assert_eq!(page.status().as_u16(), 403);
    assert!(!page.text().await.unwrap().contains("Zoom-code"));
}

#[tokio::test]
async fn an_answer_racing_a_close_never_goes_out_after_the_close() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let form = visitor_form("Jeanne", "jeanne@example.org", "Objet", "Texte");
    assert_eq!(send_in(&app, &Caller::default(), &form, "fr").await.0, 200);
    let id = inbox(&app, &agent, &[]).await["items"][0]["conversation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let answers = (0..8).map(|n| {
        let (app, agent, id) = (&app, agent.clone(), id.clone());
        async move {
            let text = format!("Réponse {n}");
            app.call_as(
                &agent,
                "answer_conversation",
                &[("conversation_id", &id), ("text", &text)],
            )
            .await
            .0
        }
    });
    let close_form = [("conversation_id", id.as_str()), ("status", "closed")];
    let close = app.call_as(&admin, "set_conversation_status", &close_form);
    let (statuses, (closed, _)) = futures::join!(futures::future::join_all(answers), close);
    assert_eq!(closed, 200);
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let answered = statuses.iter().filter(|s| **s == 200).count();
    // Every answer that was accepted is stored and e-mailed once; none after the close.
    let full = conversation(&app, &agent, &id).await;
    assert_eq!(full["messages"].as_array().unwrap().len(), 1 + answered);
    assert_eq!(app.mail_to("jeanne@example.org").await.len(), 1 + answered);
    assert_eq!(full["status"], "closed");
}

#[tokio::test]
async fn organisations_never_read_or_act_on_the_inbox() {
    let app = spawn_app().await.with_demo().await;
    let form = visitor_form("Jeanne", "jeanne@example.org", "Objet", "Texte privé");
    assert_eq!(send_in(&app, &Caller::default(), &form, "fr").await.0, 200);
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let id = inbox(&app, &agent, &[]).await["items"][0]["conversation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let callers = [
        (Caller::default(), 401),
        (app.login("amis", DEMO_PASSWORD).await, 403),
        (app.login("amis-membre", DEMO_PASSWORD).await, 403),
        (app.login("biblio", DEMO_PASSWORD).await, 403),
    ];
    for (caller, expected) in &callers {
        for (endpoint, args) in [
            ("list_conversations", vec![]),
            ("load_conversation", vec![("conversation_id", id.as_str())]),
            (
                "assign_conversation",
                vec![("conversation_id", id.as_str()), ("assignee", "")],
            ),
            (
                "answer_conversation",
                vec![("conversation_id", id.as_str()), ("text", "Bonjour")],
            ),
            (
                "set_conversation_status",
                vec![("conversation_id", id.as_str()), ("status", "closed")],
            ),
        ] {
            let (status, body) = app.call_as(caller, endpoint, &args).await;
            assert_eq!(status, *expected, "{endpoint}: {body}");
            assert!(!body.to_string().contains("Texte privé"));
        }
    }
    assert!(
        !app.get_as(&callers[1].0, "/admin/contact")
            .await
            .text()
            .await
            .unwrap()
            .contains("jeanne@example.org")
    );
    assert_eq!(conversation(&app, &agent, &id).await["status"], "open");
    assert_eq!(app.mail_to("jeanne@example.org").await.len(), 1);
}

/// The inbox is served as islands: no code of its own in the browser, so its filter form is
/// written by the server with the filter the page was asked for, and the list is its HTML.
#[tokio::test]
async fn the_inbox_page_writes_its_filter_and_list_in_html() {
    let app = spawn_app().await.with_demo().await;
    let form = visitor_form(
        "Jeanne Visiteuse",
        "jeanne@example.org",
        "Facture introuvable",
        "Bonjour.",
    );
    assert_eq!(send_in(&app, &Caller::default(), &form, "fr").await.0, 200);
    let agent = app.login("agent", DEMO_PASSWORD).await;

    let page = app.get_as(&agent, "/admin/contact?status=all&q=facture&page=1").await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<option value=\"all\" selected"), "{html}");
    assert!(!html.contains("<option value=\"open\" selected"), "{html}");
    assert!(html.contains("value=\"facture\""), "the search stays in its field");
    assert!(!html.contains("checked"), "not only mine");
    assert!(
        html.contains(">Facture introuvable<!></a>"),
        "the conversation is listed: {html}"
    );
    // Only the header's islands: the list needs no code.
    assert_eq!(common::island_names(&html), ["MenuToggle", "LanguageSwitch"], "{html}");

    let mine = app
        .get_as(&agent, "/admin/contact?mine=true")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        mine.contains("id=\"inbox-mine\" name=\"mine\" type=\"checkbox\" value=\"true\" checked"),
        "{mine}"
    );
    assert!(mine.contains("<option value=\"open\" selected"), "open by default");
    assert!(!mine.contains("Facture introuvable"), "nobody is assigned to it yet");
}

#[tokio::test]
async fn the_shipped_legal_pages_state_the_rules_in_three_languages() {
    let app = spawn_app().await;
    let anonymous = Caller::default();
    for (language, two_months, retention) in [
        ("fr", "deux mois", "2 ans après leur clôture"),
        ("nl", "twee maanden", "2 jaar na het afsluiten"),
        ("en", "two months", "2 years after they are closed"),
    ] {
        let (status, terms) = app
            .call_as(&anonymous, "legal_text", &[("page", "terms"), ("locale", language)])
            .await;
        assert_eq!(status, 200, "{terms}");
        assert_eq!(terms["language"], language);
        let body = terms["body"].as_str().unwrap();
        for needle in [
            "21 %",
            "14",
            "60",
            "Zoom",
            "Windows Get Genuine",
            two_months,
            "(/contact)",
        ] {
            let needle = if language == "fr" {
                needle.to_owned()
            } else {
                needle.replace("21 %", "21")
            };
            assert!(body.contains(&needle), "{language} terms lack {needle:?}");
        }
        let (status, privacy) = app
            .call_as(&anonymous, "legal_text", &[("page", "privacy"), ("locale", language)])
            .await;
        assert_eq!(status, 200);
        let body = privacy["body"].as_str().unwrap();
        assert!(body.contains(retention), "{language} privacy lacks {retention:?}");
        for period in ["1 ", "30 ", "7 ", "90 ", "10 "] {
            assert!(body.contains(period), "{language} privacy lacks {period:?}");
        }
        assert!(body.contains("(/contact)"), "rights are used through the contact form");
        assert!(
            app::legal::rules::check_text(body).is_ok(),
            "{language} privacy text is valid"
        );
    }
    // Any other language reads as French; an unknown page is 404.
    let (_, other) = app
        .call_as(&anonymous, "legal_text", &[("page", "privacy"), ("locale", "de")])
        .await;
    assert_eq!(other["language"], "fr");
    let (status, _) = app
        .call_as(&anonymous, "legal_text", &[("page", "cookies"), ("locale", "fr")])
        .await;
    assert_eq!(status, 404);
    // The pages render the text, with the links of the footer.
    for (path, title) in [
        ("/terms", "Conditions générales de vente"),
        ("/privacy", "Protection de la vie privée"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains(title), "{path}");
        assert!(html.contains("href=\"/contact\""), "{path} links the contact form");
        assert!(
            html.contains("href=\"/terms\"") && html.contains("href=\"/privacy\""),
            "footer links"
        );
    }
    let html = app.get("/contact").await.text().await.unwrap();
    assert!(html.contains("Nous contacter"));
    assert!(html.contains("name=\"form[email]\""), "a visitor types an e-mail");
}

#[tokio::test]
async fn admins_edit_a_legal_text_in_one_language_and_agents_are_refused() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let anonymous = Caller::default();
    let (_, french_before) = app
        .call_as(&anonymous, "legal_text", &[("page", "terms"), ("locale", "fr")])
        .await;
    let text = "## Voorwerp\n\nNieuwe voorwaarden. Vragen? Gebruik het [contactformulier](/contact).";
    let save = [("page", "terms"), ("language", "nl"), ("body", text)];

    assert_eq!(app.call_as(&agent, "save_legal_text", &save).await.0, 403);
    assert_eq!(app.call_as(&agent, "legal_texts", &[]).await.0, 403);
    assert_eq!(app.audit_count("legal.text_edited").await, 0);

    let (status, texts) = app.call_as(&admin, "legal_texts", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(texts.as_array().unwrap().len(), 6);
    assert!(texts.as_array().unwrap().iter().all(|t| t["updated_by"].is_null()));
    let (status, body) = app.call_as(&admin, "save_legal_text", &save).await;
    assert_eq!(status, 200, "{body}");
    let (_, dutch) = app
        .call_as(&anonymous, "legal_text", &[("page", "terms"), ("locale", "nl")])
        .await;
    assert_eq!(dutch["body"], text);
    assert_eq!(dutch["updated_by"], "Claire Dubois");
    let (_, french) = app
        .call_as(&anonymous, "legal_text", &[("page", "terms"), ("locale", "fr")])
        .await;
    assert_eq!(french, french_before, "the other languages are untouched");
    assert_eq!(app.audit_count("legal.text_edited").await, 1);
    // The same text again changes nothing.
    assert_eq!(app.call_as(&admin, "save_legal_text", &save).await.0, 200);
    assert_eq!(app.audit_count("legal.text_edited").await, 1);
    // The page in Dutch shows it.
    let html = app
        .page_as(&Caller::default(), "/terms", &[("cookie", "i18n_pref_locale=nl")])
        .await;
    assert!(
        html.contains("Nieuwe voorwaarden."),
        "the edited text is served in Dutch"
    );

    // Refused texts keep the old one.
    for (body, code) in [
        ("", "required"),
        ("Voir [ailleurs](https://example.org)", "link_external"),
        ("Voir [cassé](/contact", "link_broken"),
    ] {
        let (status, answer) = app
            .call_as(
                &admin,
                "save_legal_text",
                &[("page", "terms"), ("language", "nl"), ("body", body)],
            )
            .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["Validation"]["fields"]["body"][0], code);
    }
    let (status, _) = app
        .call_as(
            &admin,
            "save_legal_text",
            &[("page", "terms"), ("language", "de"), ("body", "Text")],
        )
        .await;
    assert_eq!(status, 422);
    let (_, dutch) = app
        .call_as(&anonymous, "legal_text", &[("page", "terms"), ("locale", "nl")])
        .await;
    assert_eq!(dutch["body"], text);

    // Starting again never overwrites an edit with the shipped text.
    app::setup::prepare_database(app.db()).await.unwrap();
    let (_, dutch) = app
        .call_as(&anonymous, "legal_text", &[("page", "terms"), ("locale", "nl")])
        .await;
    assert_eq!(dutch["body"], text);
}
