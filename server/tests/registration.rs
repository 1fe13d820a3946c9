//! Registration in two steps (issue 21, item 8): the public form answers the same whatever
//! the database holds, and only the link mailed to the holder creates the organisation —
//! once, even when two confirmations race, and not after the link expired or the number was
//! registered meanwhile. The password-reset request answers alike too.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::accounts::{as_refs, registration};
use crate::common;

use common::{TestApp, spawn_app, urlencode};

/// Sophie, account holder of the demo's Les Amis du Quartier (0412.345.614).
const SOPHIE: &str = "sophie@amisduquartier.example.org";

/// Posts a public form as an anonymous browser would: status, the headers a visitor could
/// compare (cookies, `Retry-After`) and the body, byte for byte.
async fn post_raw(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> (u16, Vec<String>, String) {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let response = app
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let mut headers: Vec<String> = response
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "date" | "content-length" | "x-request-id"))
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("?")))
        .collect();
    headers.sort();
    (status, headers, response.text().await.unwrap())
}

async fn organisations(app: &TestApp) -> i64 {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from organisation"
    )
    .fetch_one(pool)
    .await)
    .unwrap()
}

async fn subjects(app: &TestApp, to: &str) -> Vec<String> {
    app.mail_to(to).await.into_iter().map(|(subject, _)| subject).collect()
}

#[tokio::test]
async fn the_public_answer_is_the_same_whatever_the_database_holds() {
    let app = spawn_app().await.with_demo().await;
    let before = organisations(&app).await;

    let new = registration("0202.239.951", "anne@amisduparc.example.org");
    let email_taken = registration("0207.446.772", SOPHIE);
    let number_taken = registration("BE 0412 345 614", "marc@amisduparc.example.org");
    let answers = [
        post_raw(&app, "register", &as_refs(&new)).await,
        post_raw(&app, "register", &as_refs(&email_taken)).await,
        post_raw(&app, "register", &as_refs(&number_taken)).await,
    ];
    assert_eq!(answers[0].0, 200, "{answers:?}");
    assert_eq!(answers[0], answers[1], "a taken e-mail must not show");
    assert_eq!(answers[0], answers[2], "a taken enterprise number must not show");
    assert!(
        !answers[0].1.iter().any(|h| h.starts_with("set-cookie")),
        "no session before the link"
    );
    assert_eq!(organisations(&app).await, before, "the form creates nothing");

    // Each holder's mailbox learns what the answer did not say.
    let link = app.mail_to("anne@amisduparc.example.org").await;
    assert_eq!(link.len(), 1);
    assert!(link[0].0.contains("Confirmez l'inscription"), "{}", link[0].0);
    assert!(link[0].1.contains("/register/confirm?token="), "{}", link[0].1);
    let notice = app.mail_to(SOPHIE).await;
    assert_eq!(notice.len(), 1);
    assert!(notice[0].0.contains("Vous avez déjà un compte"), "{}", notice[0].0);
    assert!(notice[0].1.contains("/forgot-password") && !notice[0].1.contains("token="));
    let number = app.mail_to("marc@amisduparc.example.org").await;
    assert_eq!(number.len(), 1);
    assert!(number[0].0.contains("Organisation déjà inscrite"), "{}", number[0].0);
    assert!(number[0].1.contains("0412.345.614") && !number[0].1.contains("Amis du Quartier"));

    // A malformed form is still told field by field.
    let (status, _, body) = post_raw(&app, "register", &as_refs(&registration("0412.345.615", "x@y.be"))).await;
    assert_eq!(status, 422);
    assert!(body.contains("enterprise_number_checksum"), "{body}");
}

#[tokio::test]
async fn the_link_creates_the_organisation_once_and_logs_the_holder_in() {
    let app = spawn_app().await.with_demo().await;
    let before = organisations(&app).await;
    let form = registration("0202.239.951", "anne@amisduparc.example.org");
    let (status, _) = app.call("register", &as_refs(&form)).await;
    assert_eq!(status, 200);
    let token = app.registration_token("anne@amisduparc.example.org").await.unwrap();

    // Two confirmations of one link at once: one organisation.
    let (first, second) = tokio::join!(app.confirm_registration(&token), app.confirm_registration(&token));
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422], "{first:?} {second:?}");
    let (won, lost) = if first.0 == 200 {
        (first, second)
    } else {
        (second, first)
    };
    assert_eq!(lost.1["Validation"]["fields"]["form"][0], "registration_link_invalid");
    assert!(lost.2.cookie.is_none());
    assert_eq!(organisations(&app).await, before + 1);
    assert_eq!(app.audit_count("organisation.registered").await, 1);
    assert_eq!(
        subjects(&app, "info@amisduparc.example.org").await.len(),
        1,
        "one \"registration received\""
    );

    let (status, file) = app.call_as(&won.2, "my_organisation", &[]).await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["enterprise_number"], "0202.239.951");
    assert_eq!(file["eligibility_status"], "pending");
    // The password chosen in the form is the account's.
    app.login("anne@amisduparc.example.org", "un long mot de passe").await;

    // Used: refused again, later too.
    let (status, body, _) = app.confirm_registration(&token).await;
    assert_eq!(
        (status, &body["Validation"]["fields"]["form"][0]),
        (422, &"registration_link_invalid".into())
    );
    assert_eq!(organisations(&app).await, before + 1);
}

#[tokio::test]
async fn an_expired_or_unknown_link_is_refused() {
    let app = spawn_app().await.with_demo().await;
    let before = organisations(&app).await;
    let form = registration("0202.239.951", "anne@amisduparc.example.org");
    assert_eq!(app.call("register", &as_refs(&form)).await.0, 200);
    let token = app.registration_token("anne@amisduparc.example.org").await.unwrap();
    // A day and a minute later.
    let past = app::db::now() - chrono::Duration::minutes(1);
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update pending_registration set expires_at = $1"
    )
    .bind(past)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    for token in [token.as_str(), "not-a-link", "   "] {
        let (status, body, caller) = app.confirm_registration(token).await;
        assert_eq!(status, 422, "{token}: {body}");
        assert_eq!(body["Validation"]["fields"]["form"][0], "registration_link_invalid");
        assert!(caller.cookie.is_none());
    }
    assert_eq!(organisations(&app).await, before);
    // The page the link opens says so in the visitor's language (checked in the browser by
    // the end-to-end suite); the page itself opens for anyone.
    assert_eq!(app.get("/register/confirm?token=x").await.status().as_u16(), 200);
}

#[tokio::test]
async fn a_number_registered_meanwhile_is_refused_at_the_link() {
    let app = spawn_app().await.with_demo().await;
    let before = organisations(&app).await;
    // Two people register the same new organisation before either opens their link.
    let first = registration("0202.239.951", "anne@amisduparc.example.org");
    let second = registration("0202.239.951", "marc@amisduparc.example.org");
    assert_eq!(app.call("register", &as_refs(&second)).await.0, 200);
    let second_token = app.registration_token("marc@amisduparc.example.org").await.unwrap();
    // The first sends the form and opens the link while the second waits.
    app.register(&as_refs(&first)).await;

    let (status, body, caller) = app.confirm_registration(&second_token).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["form"][0], "registration_number_taken");
    assert!(caller.cookie.is_none());
    assert_eq!(organisations(&app).await, before + 1);
}

#[tokio::test]
async fn the_form_cannot_mail_bomb_an_address() {
    let app = spawn_app().await.with_demo().await;
    // An address with an account: one notice a day, however often the form names it.
    for seq in 0..4 {
        let number = ["0202.239.951", "0207.446.772", "0403.170.701", "0412.345.614"][seq];
        let (status, _) = app.call("register", &as_refs(&registration(number, SOPHIE))).await;
        assert_eq!(status, 200);
    }
    assert_eq!(subjects(&app, SOPHIE).await.len(), 1, "one notice a day");
    // A new address: three links a day.
    for _ in 0..5 {
        let form = registration("0202.239.951", "anne@amisduparc.example.org");
        assert_eq!(app.call("register", &as_refs(&form)).await.0, 200);
    }
    assert_eq!(subjects(&app, "anne@amisduparc.example.org").await.len(), 3);
    // The newest link works.
    let token = app.registration_token("anne@amisduparc.example.org").await.unwrap();
    assert_eq!(app.confirm_registration(&token).await.0, 200);
}

#[tokio::test]
async fn a_burst_of_registrations_to_one_address_sends_exactly_the_daily_links() {
    let app = common::spawn_app_with(&[("PUBLIC_FORMS_PER_HOUR", "1000")]).await;
    let form = registration("0202.239.951", "anne@amisduparc.example.org");
    let refs = as_refs(&form);
    let calls = (0..20).map(|_| app.call("register", &refs));
    let answers = futures::future::join_all(calls).await;
    assert!(answers.iter().all(|(status, _)| *status == 200), "{answers:?}");
    assert_eq!(
        subjects(&app, "anne@amisduparc.example.org").await.len(),
        3,
        "exact under a burst"
    );
}

#[tokio::test]
async fn the_reset_request_answers_alike_byte_for_byte() {
    let app = spawn_app().await.with_demo().await;
    let answers = [
        post_raw(&app, "request_password_reset", &[("identifier", SOPHIE)]).await,
        post_raw(&app, "request_password_reset", &[("identifier", "amis")]).await,
        post_raw(&app, "request_password_reset", &[("identifier", "personne@nulle.part")]).await,
        post_raw(&app, "request_password_reset", &[("identifier", "personne")]).await,
    ];
    assert_eq!(answers[0].0, 200, "{answers:?}");
    for other in &answers[1..] {
        assert_eq!(
            &answers[0], other,
            "the answer must not tell whether the account exists"
        );
    }
    assert_eq!(
        app.mail_to(SOPHIE).await.len(),
        2,
        "the account's own mailbox gets the links"
    );
}

#[tokio::test]
async fn the_mails_and_the_link_page_speak_the_visitors_language() {
    let app = spawn_app().await.with_demo().await;
    let form = registration("0202.239.951", "anne@amisduparc.example.org");
    let body = as_refs(&form)
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let response = app
        .client
        .post(app.url("/api/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", "i18n_pref_locale=nl")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let mail = app.mail_to("anne@amisduparc.example.org").await;
    assert!(mail[0].0.contains("Bevestig de inschrijving"), "{}", mail[0].0);
    // The "registration received" e-mail and the organisation keep the language of the form.
    let token = app.registration_token("anne@amisduparc.example.org").await.unwrap();
    assert_eq!(app.confirm_registration(&token).await.0, 200);
    let received = app.mail_to("info@amisduparc.example.org").await;
    assert!(received[0].0.contains("Registratie ontvangen"), "{}", received[0].0);

    for (language, title) in [
        ("fr", "Confirmer l'inscription"),
        ("nl", "Inschrijving bevestigen"),
        ("en", "Confirm the registration"),
    ] {
        let page = app
            .client
            .get(app.url("/register/confirm?token=x"))
            .header("cookie", format!("i18n_pref_locale={language}"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status().as_u16(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains(title), "{language}: {title}");
    }
}
