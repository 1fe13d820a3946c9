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
    assert_eq!(send(&app, &holder, existing).await, fresh, "the same answer");
    // Trying again while it is pending is refused alike; cancelling and inviting again is
    // accepted, but sends no second notice the same day.
    let fresh_again = send(&app, &holder, "nouvelle@example.org").await;
    for _ in 0..3 {
        assert_eq!(send(&app, &holder, existing).await, fresh_again, "the same answer");
        let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
        let id = file["invitations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["email"] == existing)
            .map(|i| i["invitation_id"].as_str().unwrap().to_owned())
            .unwrap();
        let cancelled = app
            .call_as(&holder, "cancel_invitation", &[("invitation_id", &id)])
            .await;
        assert_eq!(cancelled.0, 200);
        assert_eq!(send(&app, &holder, existing).await, fresh);
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

/// A new address, and one that already has an account (Bibliothèque de Namur's holder).
const NEW: &str = "nouvelle@example.org";
const EXISTING: &str = "marc@bibliotheque-namur.example.org";
const AMIS: &str = "Les Amis du Quartier ASBL";

async fn file_of(app: &common::TestApp, caller: &Caller) -> Value {
    let (status, file) = app.call_as(caller, "my_organisation", &[]).await;
    assert_eq!(status, 200, "{file}");
    file
}

fn pending(file: &Value) -> Vec<Value> {
    file["invitations"].as_array().unwrap().clone()
}

fn pending_emails(file: &Value) -> Vec<String> {
    pending(file)
        .iter()
        .map(|i| i["email"].as_str().unwrap().to_owned())
        .collect()
}

fn member_names(file: &Value) -> Vec<String> {
    file["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["full_name"].as_str().unwrap().to_owned())
        .collect()
}

/// The pending invitation to `email`, with its address and opaque id taken out.
fn invitation_without_address(file: &Value, email: &str) -> Value {
    let mut found = pending(file)
        .into_iter()
        .find(|i| i["email"] == email)
        .unwrap_or_else(|| panic!("{email} pending: {file}"));
    let id = found["invitation_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "a UUID either way: {id}");
    found["email"] = Value::Null;
    found["invitation_id"] = Value::Null;
    found
}

/// The invitation link in the last message to `to`.
async fn link_token(app: &common::TestApp, to: &str) -> String {
    let mail = app.mail_to(to).await;
    let body = &mail.last().unwrap_or_else(|| panic!("no mail to {to}")).1;
    body.split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned()
}

async fn accept(app: &common::TestApp, token: &str, password: &str) -> (u16, Value) {
    app.call_as(
        &Caller::default(),
        "reset_password",
        &[("token", token), ("password", password)],
    )
    .await
}

async fn person_of(app: &common::TestApp, email: &str) -> Option<String> {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, String>(
        "select person_id from person where email = $1"
    )
    .bind(email)
    .fetch_optional(pool)
    .await)
    .unwrap()
}

/// Issue 21, item 7: after inviting a new address and an existing account's, every answer a
/// holder or member can read differs only by the address: the same answer to the invitation,
/// the same pending entry (dates, shape), the same member list and counts, the same answer
/// to a second try and to a cancellation.
#[tokio::test]
async fn a_new_address_and_an_existing_account_look_the_same_to_the_organisation() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let before_holder = file_of(&app, &holder).await;
    let before_member = file_of(&app, &member).await;
    assert_eq!(pending(&before_holder), Vec::<Value>::new());

    let new_answer = send(&app, &holder, NEW).await;
    let after_new = file_of(&app, &holder).await;
    let existing_answer = send(&app, &holder, EXISTING).await;
    assert_eq!(new_answer, existing_answer, "the same answer to the invitation");
    assert_eq!(new_answer.0, 200);
    assert_eq!(
        app.mail_to(EXISTING).await.len(),
        1,
        "the account got its neutral notice"
    );

    for (caller, before) in [(&holder, &before_holder), (&member, &before_member)] {
        let file = file_of(&app, caller).await;
        assert_eq!(pending_emails(&file), [NEW, EXISTING], "both pending, in order sent");
        assert_eq!(
            invitation_without_address(&file, NEW),
            invitation_without_address(&file, EXISTING),
            "the same state, dates and shape"
        );
        assert_eq!(file["members"], before["members"], "nobody joined the member list");
    }
    // The holder's view after the first invitation equals the view after the second, but
    // for the second's entry: the first changed nothing the second did not.
    let mut after_both = file_of(&app, &holder).await;
    let kept: Vec<Value> = pending(&after_both)
        .into_iter()
        .filter(|i| i["email"] != EXISTING)
        .collect();
    after_both["invitations"] = Value::Array(kept);
    assert_eq!(after_both, after_new);

    // A second try at either address answers alike.
    let again_new = send(&app, &holder, NEW).await;
    assert_eq!(again_new, send(&app, &holder, EXISTING).await);
    assert_eq!(again_new.0, 422);
    assert_eq!(again_new.1["Validation"]["fields"]["email"][0], "already_invited");

    // So does a cancellation, and both leave the pending list.
    let file = file_of(&app, &holder).await;
    let id_of = |email: &str| {
        pending(&file)
            .into_iter()
            .find(|i| i["email"] == email)
            .map(|i| i["invitation_id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let cancel_new = app
        .call_as(&holder, "cancel_invitation", &[("invitation_id", &id_of(NEW))])
        .await;
    let cancel_existing = app
        .call_as(&holder, "cancel_invitation", &[("invitation_id", &id_of(EXISTING))])
        .await;
    assert_eq!(cancel_new, cancel_existing);
    assert_eq!(cancel_new.0, 200);
    assert_eq!(file_of(&app, &holder).await, before_holder, "back to where it started");
}

/// Issue 21, item 7: an invitee is not a member until they choose a password through the
/// link; until then no member call reaches them (remove, make holder), and they cannot log in.
#[tokio::test]
async fn a_new_member_appears_only_after_accepting() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let amis = app.organisation_id(AMIS).await;
    assert_eq!(send(&app, &holder, NEW).await.0, 200);
    let file = file_of(&app, &holder).await;
    assert_eq!(
        member_names(&file),
        ["Sophie Lambert", "Karim Benali"].map(String::from)
    );
    let invitee = person_of(&app, NEW).await.expect("the invitee's account is made");

    // Reaching them by id answers as for someone who does not exist.
    let unknown = app.call_as(&holder, "remove_member", &[("person_id", "nobody")]).await;
    assert_eq!(
        app.call_as(&holder, "remove_member", &[("person_id", &invitee)]).await,
        unknown
    );
    let unknown_transfer = app
        .call_as(
            &staff,
            "transfer_holder",
            &[("organisation_id", amis.as_str()), ("person_id", "nobody")],
        )
        .await;
    let invitee_transfer = app
        .call_as(
            &staff,
            "transfer_holder",
            &[("organisation_id", amis.as_str()), ("person_id", invitee.as_str())],
        )
        .await;
    assert_eq!(invitee_transfer, unknown_transfer);
    assert_eq!(
        invitee_transfer.1["Validation"]["fields"]["person_id"][0],
        "not_a_member"
    );

    let token = link_token(&app, NEW).await;
    assert_eq!(accept(&app, &token, "ma phrase de nadia").await.0, 200);
    let file = file_of(&app, &holder).await;
    assert_eq!(
        member_names(&file),
        ["Sophie Lambert", "Karim Benali", "Nadia Benali"].map(String::from)
    );
    assert_eq!(pending(&file), Vec::<Value>::new(), "accepted: no longer pending");
    let nadia = app.login(NEW, "ma phrase de nadia").await;
    assert_eq!(file_of(&app, &nadia).await["legal_name"], AMIS);
    assert_eq!(app.audit_count("organisation.invitation_accepted").await, 1);
}

/// Issue 21, item 7: the holder cancels a pending invitation; for a new address its link
/// stops working and the address is new again.
#[tokio::test]
async fn cancelling_an_invitation_ends_its_link() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    assert_eq!(send(&app, &holder, NEW).await.0, 200);
    let token = link_token(&app, NEW).await;
    let id = pending(&file_of(&app, &holder).await)[0]["invitation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let form = [("invitation_id", id.as_str())];
    assert_eq!(app.call_as(&Caller::default(), "cancel_invitation", &form).await.0, 401);
    assert_eq!(app.call_as(&member, "cancel_invitation", &form).await.0, 403);
    assert_eq!(
        app.call_as(&other, "cancel_invitation", &form).await.0,
        404,
        "another organisation's holder finds nothing"
    );
    assert_eq!(app.call_as(&holder, "cancel_invitation", &form).await.0, 200);
    assert_eq!(
        app.call_as(&holder, "cancel_invitation", &form).await.0,
        404,
        "only once"
    );
    assert_eq!(pending(&file_of(&app, &holder).await), Vec::<Value>::new());
    assert_eq!(person_of(&app, NEW).await, None, "the not-yet-accepted person is gone");
    let (status, body) = accept(&app, &token, "ma phrase de nadia").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["form"][0], "reset_link_invalid");
    assert_eq!(app.audit_count("organisation.invitation_cancelled").await, 1);

    // Invited again, the address gets a fresh invitation that works.
    assert_eq!(send(&app, &holder, NEW).await.0, 200);
    let token = link_token(&app, NEW).await;
    assert_eq!(accept(&app, &token, "ma phrase de nadia").await.0, 200);
    assert_eq!(member_names(&file_of(&app, &holder).await).len(), 3);
}

/// Issue 21, item 7: an invitation left unanswered for `INVITATION_VALIDITY` leaves the
/// pending list, whatever its kind; its invitee can no longer get in by any link, and the
/// address may be invited again.
#[tokio::test]
async fn expired_invitations_leave_the_pending_list() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    assert_eq!(send(&app, &holder, NEW).await.0, 200);
    assert_eq!(send(&app, &holder, EXISTING).await.0, 200);
    let token = link_token(&app, NEW).await;
    assert_eq!(pending(&file_of(&app, &holder).await).len(), 2);
    // Eight days pass (one more than the invitation's validity) for these rows.
    let eight_days_ago = app::db::now() - chrono::Duration::days(8);
    app::on_pool!(app.db(), |pool| sqlx::query("update invitation set created_at = $1")
        .bind(eight_days_ago)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    let file = file_of(&app, &holder).await;
    assert_eq!(pending(&file), Vec::<Value>::new(), "both expired alike");
    assert_eq!(member_names(&file).len(), 2);
    // The invitee asks for a new password instead: the link comes, and lets nobody in.
    let (status, _) = app
        .call_as(&Caller::default(), "request_password_reset", &[("identifier", NEW)])
        .await;
    assert_eq!(status, 200);
    let reset = link_token(&app, NEW).await;
    assert_ne!(reset, token);
    for link in [token, reset] {
        let (status, body) = accept(&app, &link, "ma phrase de nadia").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["Validation"]["fields"]["form"][0], "reset_link_invalid");
    }

    // Invited again, the address is new again: a fresh link that works.
    assert_eq!(send(&app, &holder, NEW).await.0, 200);
    assert_eq!(pending_emails(&file_of(&app, &holder).await), [NEW]);
    let token = link_token(&app, NEW).await;
    assert_eq!(accept(&app, &token, "ma phrase de nadia").await.0, 200);
    assert_eq!(member_names(&file_of(&app, &holder).await).len(), 3);
}
