//! "Rejoindre mon organisation" over HTTP: the public form answers alike whether or not the
//! number is registered; the holder approves (an invitation goes out) or refuses; members and
//! other organisations cannot decide; staff approve with a supporting document when the holder
//! is gone, and may make the requester the holder. On both engines.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;
use crate::settings::link_token;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};

const AMIS: &str = "Les Amis du Quartier ASBL";
const AMIS_NUMBER: &str = "0412.345.614";
const SOPHIE: &str = "sophie@amisduquartier.example.org";

async fn ask_to_join(app: &TestApp, name: &str, email: &str, number: &str) -> (u16, serde_json::Value) {
    app.call_as(
        &Caller::default(),
        "request_join",
        &[
            ("form[full_name]", name),
            ("form[email]", email),
            ("form[enterprise_number]", number),
            ("form[message]", "Je coordonne les bénévoles du mercredi."),
        ],
    )
    .await
}

/// The id of the only pending request `caller` sees through `endpoint`.
async fn only_request(app: &TestApp, caller: &Caller, endpoint: &str) -> serde_json::Value {
    let (status, list) = app.call_as(caller, endpoint, &[]).await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    list[0].clone()
}

/// Staff's approval form: `role`, and `file` when given.
fn approval(role: &str, file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----join-test-boundary";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"role\"\r\n\r\n{role}\r\n").into_bytes();
    if let Some((name, content)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn approve_as_staff(app: &TestApp, staff: &Caller, id: &str, form: (String, Vec<u8>)) -> String {
    let response = app
        .client
        .post(app.url(&format!("/admin/join-requests/{id}/approve")))
        .header("cookie", staff.cookie.clone().unwrap())
        .header("content-type", form.0)
        .body(form.1)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The invitee chooses a password through the link mailed to them and logs in.
async fn accept_invitation(app: &TestApp, email: &str) -> Caller {
    let token = link_token(app, email, "/reset-password")
        .await
        .expect("an invitation link");
    let (status, body) = app
        .call_as(
            &Caller::default(),
            "reset_password",
            &[("token", &token), ("password", "ma phrase de passe")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.login(email, "ma phrase de passe").await
}

#[tokio::test]
async fn the_form_answers_alike_and_checks_its_fields() {
    let app = spawn_app().await.with_demo().await;
    let known = ask_to_join(&app, "Nadia El Amrani", "nadia@example.org", AMIS_NUMBER).await;
    let unknown = ask_to_join(&app, "Nadia El Amrani", "nadia@example.org", "0202.239.951").await;
    assert_eq!(known.0, 200, "{known:?}");
    assert_eq!(
        known, unknown,
        "the answer does not tell whether the number is registered"
    );
    let (status, body) = ask_to_join(&app, "", "pas une adresse", "0412.345.615").await;
    assert_eq!(status, 422);
    let fields = &body["Validation"]["fields"];
    assert_eq!(fields["full_name"][0], "required");
    assert_eq!(fields["email"][0], "email_invalid");
    assert_eq!(fields["enterprise_number"][0], "enterprise_number_checksum");
    // Only the registered number made a request, and its holder was told.
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let request = only_request(&app, &holder, "join_requests").await;
    assert_eq!(request["email"], "nadia@example.org");
    assert_eq!(request["message"], "Je coordonne les bénévoles du mercredi.");
    let told = app.mail_to(SOPHIE).await;
    assert!(
        told.iter().any(|(_, body)| body.contains("Nadia El Amrani")),
        "{told:?}"
    );
}

#[tokio::test]
async fn the_form_is_limited_per_client_exactly_under_a_burst() {
    let app = spawn_app().await.with_demo().await;
    let answers = futures::future::join_all((0..30).map(|i| {
        let email = format!("personne{i}@example.org");
        let app = &app;
        async move { ask_to_join(app, "Personne", &email, AMIS_NUMBER).await.0 }
    }))
    .await;
    assert_eq!(answers.iter().filter(|s| **s == 200).count(), 20, "{answers:?}");
    assert_eq!(answers.iter().filter(|s| **s == 429).count(), 10, "{answers:?}");
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let (_, list) = app.call_as(&holder, "join_requests", &[]).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        20,
        "one request per answer that got through"
    );
}

#[tokio::test]
async fn the_holder_approves_and_the_requester_joins_as_member() {
    let app = spawn_app().await.with_demo().await;
    ask_to_join(&app, "Nadia El Amrani", "nadia@example.org", AMIS_NUMBER).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let id = only_request(&app, &holder, "join_requests").await["join_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_id = [("join_request_id", id.as_str())];

    // A member cannot decide, nor see the list; another organisation's holder finds nothing.
    assert_eq!(app.call_as(&member, "approve_join_request", &by_id).await.0, 403);
    assert_eq!(app.call_as(&member, "refuse_join_request", &by_id).await.0, 403);
    assert_eq!(app.call_as(&member, "join_requests", &[]).await.0, 403);
    assert_eq!(app.call_as(&other, "approve_join_request", &by_id).await.0, 404);
    assert_eq!(app.call_as(&other, "refuse_join_request", &by_id).await.0, 404);
    let (_, theirs) = app.call_as(&other, "join_requests", &[]).await;
    assert_eq!(theirs.as_array().unwrap().len(), 0);
    assert!(app.mail_to("nadia@example.org").await.is_empty(), "nothing decided yet");

    let (status, body) = app.call_as(&holder, "approve_join_request", &by_id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.call_as(&holder, "approve_join_request", &by_id).await.0,
        404,
        "decided once"
    );
    let (_, list) = app.call_as(&holder, "join_requests", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 0);
    assert_eq!(app.audit_count("organisation.join_request_decided").await, 1);

    let nadia = accept_invitation(&app, "nadia@example.org").await;
    let (_, user) = app.call_as(&nadia, "current_user", &[]).await;
    assert_eq!(user["membership"]["legal_name"], AMIS);
    assert_eq!(user["membership"]["role"], "member");
}

#[tokio::test]
async fn a_refused_request_tells_the_requester_and_cannot_be_approved_after() {
    let app = spawn_app().await.with_demo().await;
    ask_to_join(&app, "Tom Peeters", "tom@example.org", AMIS_NUMBER).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let id = only_request(&app, &holder, "join_requests").await["join_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_id = [("join_request_id", id.as_str())];
    assert_eq!(app.call_as(&holder, "refuse_join_request", &by_id).await.0, 200);
    let mail = app.mail_to("tom@example.org").await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].1.contains(AMIS) && !mail[0].1.contains("token="),
        "{}",
        mail[0].1
    );
    assert_eq!(app.call_as(&holder, "approve_join_request", &by_id).await.0, 404);
    assert!(link_token(&app, "tom@example.org", "/reset-password").await.is_none());
}

#[tokio::test]
async fn staff_approve_with_a_document_when_the_holder_is_gone() {
    let app = spawn_app().await.with_demo().await;
    let amis = app.organisation_id(AMIS).await;
    // The holder left: the organisation has members but no holder.
    app::on_pool!(app.db(), |pool| sqlx::query(
        "delete from membership where organisation_id = $1 and role = 'account_holder'"
    )
    .bind(&amis)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let outbox_before = app.mail_to(SOPHIE).await.len();
    ask_to_join(&app, "Nadia El Amrani", "nadia@example.org", AMIS_NUMBER).await;
    assert_eq!(app.mail_to(SOPHIE).await.len(), outbox_before, "no holder to tell");
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let request = only_request(&app, &staff, "staff_join_requests").await;
    assert_eq!(request["has_holder"], false);
    let id = request["join_request_id"].as_str().unwrap().to_owned();

    // Without a document, or with one that is not a PDF or image: refused, nothing moves.
    let location = approve_as_staff(&app, &staff, &id, approval("account_holder", None)).await;
    assert_eq!(location, "/admin/join-requests?join=file_missing");
    let location = approve_as_staff(
        &app,
        &staff,
        &id,
        approval("account_holder", Some(("mandat.txt", b"just text"))),
    )
    .await;
    assert_eq!(location, "/admin/join-requests?join=file_type");
    only_request(&app, &staff, "staff_join_requests").await;
    assert!(app.mail_to("nadia@example.org").await.is_empty());
    // The document route has nothing yet.
    assert_eq!(
        app.get_as(&staff, &format!("/admin/join-requests/{id}/document"))
            .await
            .status()
            .as_u16(),
        404
    );

    let pdf: &[u8] = b"%PDF-1.7\n% proces-verbal de l'assemblee generale\n%%EOF\n";
    let location = approve_as_staff(&app, &staff, &id, approval("account_holder", Some(("pv-ag.pdf", pdf)))).await;
    assert_eq!(location, "/admin/join-requests?join=ok");
    let (_, list) = app.call_as(&staff, "staff_join_requests", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 0);

    // The document stays with the request, for staff only.
    let document = app.get_as(&staff, &format!("/admin/join-requests/{id}/document")).await;
    assert_eq!(document.status().as_u16(), 200);
    assert_eq!(document.headers()["content-type"], "application/pdf");
    // Served as every stored document is: saved, sandboxed, for this origin only.
    assert!(
        document.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        document.headers()["content-security-policy"],
        "sandbox; default-src 'none'"
    );
    assert_eq!(document.headers()["cross-origin-resource-policy"], "same-origin");
    assert_eq!(document.bytes().await.unwrap().as_ref(), pdf);
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    assert_eq!(
        app.get_as(&member, &format!("/admin/join-requests/{id}/document"))
            .await
            .status()
            .as_u16(),
        403
    );

    // The requester accepts and is the holder.
    let nadia = accept_invitation(&app, "nadia@example.org").await;
    let (_, user) = app.call_as(&nadia, "current_user", &[]).await;
    assert_eq!(user["membership"]["legal_name"], AMIS);
    assert_eq!(user["membership"]["role"], "account_holder");
    assert_eq!(app.audit_count("organisation.join_request_decided").await, 1);

    // Now that there is a holder, staff cannot make a second one.
    ask_to_join(&app, "Tom Peeters", "tom@example.org", AMIS_NUMBER).await;
    let second = only_request(&app, &staff, "staff_join_requests").await;
    assert_eq!(second["has_holder"], true);
    let second = second["join_request_id"].as_str().unwrap().to_owned();
    let location = approve_as_staff(
        &app,
        &staff,
        &second,
        approval("account_holder", Some(("pv-ag.pdf", pdf))),
    )
    .await;
    assert_eq!(location, "/admin/join-requests?join=holder_present");
    // The new holder decides it themself.
    assert_eq!(
        app.call_as(&nadia, "approve_join_request", &[("join_request_id", &second)])
            .await
            .0,
        200
    );
}
