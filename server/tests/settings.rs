//! "Paramètres du compte" over HTTP: the password (current one required, other sessions end),
//! the name, the login e-mail through a link to the new address, and password resets by the
//! organisation's registered e-mail. Each flow with its refusals, on both engines.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};

const SOPHIE: &str = "sophie@amisduquartier.example.org";

/// The token of the newest link to `path` mailed to `to`.
pub(crate) async fn link_token(app: &TestApp, to: &str, path: &str) -> Option<String> {
    let marker = format!("{path}?token=");
    app.mail_to(to).await.iter().rev().find_map(|(_, body)| {
        body.split(marker.as_str())
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
    })
}

/// Asks for a new login e-mail with the demo password.
async fn ask_email_change(app: &TestApp, caller: &Caller, email: &str) -> (u16, serde_json::Value) {
    app.call_as(
        caller,
        "request_email_change",
        &[("new_email", email), ("current_password", DEMO_PASSWORD)],
    )
    .await
}

async fn login_status(app: &TestApp, identifier: &str, password: &str) -> u16 {
    app.call_as(
        &Caller::default(),
        "login",
        &[("identifier", identifier), ("password", password)],
    )
    .await
    .0
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_only_the_other_sessions() {
    let app = spawn_app().await.with_demo().await;
    let here = app.login("amis", DEMO_PASSWORD).await;
    let elsewhere = app.login("amis", DEMO_PASSWORD).await;
    let new_password = "une phrase de passe toute neuve";

    let (status, body) = app
        .call_as(
            &here,
            "change_password",
            &[("current_password", "pas le bon"), ("new_password", new_password)],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["Validation"]["fields"]["current_password"][0],
        "current_password_wrong"
    );
    assert_eq!(
        app.call_as(&elsewhere, "account_settings", &[]).await.0,
        200,
        "nothing changed"
    );
    let (status, body) = app
        .call_as(
            &here,
            "change_password",
            &[("current_password", DEMO_PASSWORD), ("new_password", "court")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["new_password"][0], "password_too_short");
    assert_eq!(app.audit_count("person.password_changed").await, 0);

    let (status, body) = app
        .call_as(
            &here,
            "change_password",
            &[("current_password", DEMO_PASSWORD), ("new_password", new_password)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.call_as(&here, "account_settings", &[]).await.0,
        200,
        "this session lives"
    );
    assert_eq!(
        app.call_as(&elsewhere, "account_settings", &[]).await.0,
        401,
        "the other session ended"
    );
    assert_eq!(
        login_status(&app, "amis", DEMO_PASSWORD).await,
        422,
        "the old password is gone"
    );
    app.login("amis", new_password).await;
    assert_eq!(app.audit_count("person.password_changed").await, 1);
}

#[tokio::test]
async fn guessing_the_current_password_is_limited_like_a_login() {
    let app = spawn_app().await.with_demo().await;
    let here = app.login("biblio", DEMO_PASSWORD).await;
    let guess = [
        ("current_password", "pas le bon"),
        ("new_password", "une phrase assez longue"),
    ];
    // Five wrong guesses at once: all answered as wrong, none gets more than its place.
    let answers = futures::future::join_all((0..8).map(|_| app.call_as(&here, "change_password", &guess))).await;
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 3, "{statuses:?}");
    // Even the right password waits now: the account's login counter is full.
    let right = [
        ("current_password", DEMO_PASSWORD),
        ("new_password", "une phrase assez longue"),
    ];
    assert_eq!(app.call_as(&here, "change_password", &right).await.0, 429);
}

#[tokio::test]
async fn staff_change_their_own_name_and_password_too() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let (status, body) = app
        .call_as(&agent, "change_name", &[("full_name", "  Pieter J. ")])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, settings) = app.call_as(&agent, "account_settings", &[]).await;
    assert_eq!(settings["full_name"], "Pieter J.");
    assert_eq!(settings["email"], "agent@dons.example.org");
    let (_, user) = app.call_as(&agent, "current_user", &[]).await;
    assert_eq!(user["full_name"], "Pieter J.");
    let (status, body) = app
        .call_as(&agent, "change_name", &[("full_name", &"x".repeat(201))])
        .await;
    assert_eq!(
        (status, body["Validation"]["fields"]["full_name"][0].clone()),
        (422, "too_long".into())
    );
    assert_eq!(app.audit_count("person.name_changed").await, 1);
    let (status, _) = app
        .call_as(
            &agent,
            "change_password",
            &[
                ("current_password", DEMO_PASSWORD),
                ("new_password", "le nouveau mot de passe"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    app.login("agent", "le nouveau mot de passe").await;
}

#[tokio::test]
async fn a_new_login_email_waits_for_its_link_which_works_once() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let new_email = "sophie.lambert@nouveau.example.org";

    let (status, body) = app
        .call_as(
            &holder,
            "request_email_change",
            &[("new_email", new_email), ("current_password", "pas le bon")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["Validation"]["fields"]["current_password"][0],
        "current_password_wrong"
    );
    assert!(
        app.mail_to(new_email).await.is_empty(),
        "nothing sent without the password"
    );
    let (status, body) = app
        .call_as(
            &holder,
            "request_email_change",
            &[
                ("new_email", "Sophie@AmisDuQuartier.example.org"),
                ("current_password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        body["Validation"]["fields"]["new_email"][0], "email_unchanged",
        "{status}"
    );

    let (status, body) = app
        .call_as(
            &holder,
            "request_email_change",
            &[
                ("new_email", " Sophie.Lambert@Nouveau.example.org "),
                ("current_password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let token = link_token(&app, new_email, "/account/email/confirm")
        .await
        .expect("a confirmation link to the new address");
    let notice = app.mail_to(SOPHIE).await;
    assert_eq!(notice.len(), 1, "a notice to the address in force");
    assert!(
        notice[0].1.contains(new_email) && !notice[0].1.contains(&token),
        "{}",
        notice[0].1
    );

    // Nothing changes until the link is used.
    let (_, settings) = app.call_as(&holder, "account_settings", &[]).await;
    assert_eq!(settings["email"], SOPHIE);
    assert_eq!(settings["pending_email"], new_email);
    assert_eq!(login_status(&app, new_email, DEMO_PASSWORD).await, 422);

    // The link works from a browser where nobody is logged in.
    let anonymous = Caller::default();
    let (status, body) = app
        .call_as(&anonymous, "confirm_email_change", &[("token", &token)])
        .await;
    assert_eq!(status, 200, "{body}");
    app.login(new_email, DEMO_PASSWORD).await;
    assert_eq!(
        login_status(&app, SOPHIE, DEMO_PASSWORD).await,
        422,
        "the old address no longer logs in"
    );
    let (_, settings) = app.call_as(&holder, "account_settings", &[]).await;
    assert_eq!(settings["email"], new_email, "the session that asked lives on");
    assert_eq!(settings["pending_email"], serde_json::Value::Null);

    // Once only.
    let (status, body) = app
        .call_as(&anonymous, "confirm_email_change", &[("token", &token)])
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["form"][0], "email_link_invalid");
    assert_eq!(app.audit_count("person.email_change_requested").await, 1);
    assert_eq!(app.audit_count("person.email_changed").await, 1);
}

#[tokio::test]
async fn an_expired_or_replaced_email_link_changes_nothing() {
    let app = spawn_app().await.with_demo().await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    assert_eq!(
        ask_email_change(&app, &member, "karim@premier.example.org").await.0,
        200
    );
    let first = link_token(&app, "karim@premier.example.org", "/account/email/confirm")
        .await
        .unwrap();
    assert_eq!(ask_email_change(&app, &member, "karim@second.example.org").await.0, 200);
    let second = link_token(&app, "karim@second.example.org", "/account/email/confirm")
        .await
        .unwrap();
    let anonymous = Caller::default();
    let (status, body) = app
        .call_as(&anonymous, "confirm_email_change", &[("token", &first)])
        .await;
    assert_eq!(
        (status, body["Validation"]["fields"]["form"][0].as_str()),
        (422, Some("email_link_invalid")),
        "a newer request replaced this link"
    );

    // 24 hours later the second one has expired too.
    let yesterday = chrono::Utc::now() - chrono::Duration::hours(24) - chrono::Duration::seconds(1);
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update email_change set created_at = $1, expires_at = $2 where used_at is null"
    )
    .bind(yesterday - chrono::Duration::hours(24))
    .bind(yesterday)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let (status, body) = app
        .call_as(&anonymous, "confirm_email_change", &[("token", &second)])
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["form"][0], "email_link_invalid");
    let (_, settings) = app.call_as(&member, "account_settings", &[]).await;
    assert_eq!(settings["email"], "karim@amisduquartier.example.org");
    assert_eq!(app.audit_count("person.email_changed").await, 0);
}

#[tokio::test]
async fn an_address_another_account_uses_is_refused_at_confirmation_without_saying_whose() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let taken = "marc@bibliotheque-namur.example.org";
    let free = "quelquun@libre.example.org";
    // The same answer at request time.
    assert_eq!(
        ask_email_change(&app, &holder, free).await,
        ask_email_change(&app, &holder, taken).await
    );
    let token = link_token(&app, taken, "/account/email/confirm").await.unwrap();
    let (status, body) = app
        .call_as(&Caller::default(), "confirm_email_change", &[("token", &token)])
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["form"][0], "email_unavailable");
    let text = body.to_string().to_lowercase();
    assert!(!text.contains("marc") && !text.contains("biblio"), "{text}");
    let (_, settings) = app.call_as(&holder, "account_settings", &[]).await;
    assert_eq!(settings["email"], SOPHIE);
    // The library's holder still logs in with their address.
    app.login(taken, DEMO_PASSWORD).await;
}

#[tokio::test]
async fn a_reset_by_the_organisation_email_goes_to_the_holder_only() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();
    let contact = "contact@amisduquartier.example.org";
    let before_contact = app.mail_to(contact).await.len();
    let by_contact = app
        .call_as(
            &anonymous,
            "request_password_reset",
            &[("identifier", "Contact@AmisDuQuartier.example.org")],
        )
        .await;
    let unknown = app
        .call_as(
            &anonymous,
            "request_password_reset",
            &[("identifier", "contact@nulle.part")],
        )
        .await;
    assert_eq!(by_contact.0, 200);
    assert_eq!(by_contact, unknown, "the same answer whether or not anything matched");
    assert_eq!(
        app.mail_to(contact).await.len(),
        before_contact,
        "never to the typed address"
    );
    let token = link_token(&app, SOPHIE, "/reset-password")
        .await
        .expect("a link to the holder");
    assert_eq!(
        app.audit_count("person.password_reset_requested").await,
        1,
        "only the request that matched someone"
    );
    let new_password = "un mot de passe retrouvé";
    let (status, body) = app
        .call_as(
            &anonymous,
            "reset_password",
            &[("token", &token), ("password", new_password)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.login("amis", new_password).await;
    assert_eq!(app.audit_count("person.password_reset").await, 1);
    // The member is never the one an organisation's address names.
    assert!(
        link_token(&app, "karim@amisduquartier.example.org", "/reset-password")
            .await
            .is_none()
    );
}
