//! Member invitations under abuse (issue 21, item 7): only holders of validated organisations
//! invite, a limited number a day, with no text of theirs in the subject, and an address that
//! already has an account cannot be told apart nor mail-bombed.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common::{self, Caller, DEMO_PASSWORD, spawn_app, spawn_app_with};
use serde_json::Value;

fn invite(email: &str) -> [(&'static str, String); 2] {
    [("full_name", "Nadia Benali".to_owned()), ("email", email.to_owned())]
}

async fn send(app: &common::TestApp, holder: &Caller, email: &str) -> (u16, Value) {
    let form = invite(email);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(holder, "invite_member", &form).await
}

async fn outbox_size(app: &common::TestApp) -> i64 {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from outgoing_email"
    )
    .fetch_one(pool)
    .await)
    .unwrap()
}

#[tokio::test]
async fn only_holders_of_validated_organisations_invite() {
    let app = spawn_app().await.with_demo().await;
    // De Brug registered itself and is still waiting for review.
    let pending_holder = app.login("debrug", DEMO_PASSWORD).await;
    let before = outbox_size(&app).await;
    let (status, body) = send(&app, &pending_holder, "victime@example.org").await;
    assert_eq!(
        (status, body),
        (409, serde_json::json!({ "Conflict": "organisation_not_validated" }))
    );
    assert_eq!(outbox_size(&app).await, before, "no e-mail left the programme");
    let holder = app.login("amis", DEMO_PASSWORD).await;
    assert_eq!(send(&app, &holder, "nadia@example.org").await.0, 200);
}

#[tokio::test]
async fn invitations_are_limited_per_holder_per_day_exactly_under_a_burst() {
    let app = spawn_app_with(&[("INVITATIONS_PER_DAY", "5")]).await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let answers = futures::future::join_all((0..30).map(|i| {
        let (app, holder) = (&app, &holder);
        async move { send(app, holder, &format!("invite{i}@example.org")).await.0 }
    }))
    .await;
    let accepted = answers.iter().filter(|s| **s == 200).count();
    let refused = answers.iter().filter(|s| **s == 429).count();
    assert_eq!((accepted, refused), (5, 25), "{answers:?}");
    // Addresses that already have an account count too: no way around the limit.
    assert_eq!(send(&app, &holder, "sophie@amisduquartier.example.org").await.0, 429);
    // Another holder has their own allowance.
    let other = app.login("biblio", DEMO_PASSWORD).await;
    assert_eq!(send(&app, &other, "lecteur@example.org").await.0, 200);
}

#[tokio::test]
async fn an_existing_account_answers_alike_and_gets_one_neutral_notice_a_day() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let existing = "sophie@amisduquartier.example.org";
    let fresh = send(&app, &holder, "nouvelle@example.org").await;
    for _ in 0..3 {
        assert_eq!(send(&app, &holder, existing).await, fresh, "the same answer");
    }
    let notices = app.mail_to(existing).await;
    assert_eq!(notices.len(), 1, "one notice a day, however many tries");
    let (subject, body) = &notices[0];
    assert!(
        !body.contains("token=") && !body.contains("http"),
        "nothing to click: {body}"
    );
    for holder_text in ["Amis", "Quartier"] {
        assert!(
            !subject.contains(holder_text) && !body.contains(holder_text),
            "{subject} / {body}"
        );
    }
    // The invitation itself names no text of the holder's in its subject.
    let invitation = app.mail_to("nouvelle@example.org").await;
    assert_eq!(invitation.len(), 1);
    assert!(!invitation[0].0.contains("Amis"), "{}", invitation[0].0);
    assert!(invitation[0].1.contains("token="));
}

/// Issue 21, items 3 and 8: addresses the mailer refuses or reads as someone else's are
/// refused by the forms, with the field named.
#[tokio::test]
async fn forms_refuse_addresses_the_mailer_would_misread() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    for bad in ["\"x,y\"@example.org", "x<sophie@amisduquartier.example.org>"] {
        let (status, body) = send(&app, &holder, bad).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["Validation"]["fields"]["email"][0], "email_invalid");
        let form = crate::accounts::registration("0202.239.951", bad);
        let (status, body) = app
            .call_as(&Caller::default(), "register", &crate::accounts::as_refs(&form))
            .await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["Validation"]["fields"]["holder_email"][0], "email_invalid");
        let (status, body) = app
            .call_as(
                &Caller::default(),
                "ask_if_registered",
                &[
                    ("organisation_name", "Les Amis"),
                    ("enterprise_number", "0202.239.951"),
                    ("address", "Rue Haute 1, 1000 Bruxelles"),
                    ("reply_email", bad),
                ],
            )
            .await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["Validation"]["fields"]["reply_email"][0], "email_invalid");
    }
    assert!(app.mail_to("sophie@amisduquartier.example.org").await.is_empty());
}
