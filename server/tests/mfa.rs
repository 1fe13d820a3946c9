//! The second factor at login (TOTP): staff enrol at their first login and give a code at
//! every login after; the pending state between the password and the code authorises
//! nothing; codes work once, within one step of drift, and their attempts are limited;
//! recovery codes work once; a password reset never skips the code; an admin resets a lost
//! factor; organisation accounts opt in and out; logins and these events are audited.

use crate::common::{Caller, DEMO_PASSWORD, spawn_app};
use app::auth::mfa::{code_for_step, rules};
use serde_json::Value;

/// The TOTP step of the wall clock now.
fn step_now() -> i64 {
    rules::time_step(chrono::Utc::now().timestamp())
}

/// RFC 6238's SHA-1 test vectors (appendix B), last six digits: the codes are the ones every
/// authenticator app computes.
#[test]
fn codes_match_the_rfc_6238_test_vectors() {
    // "12345678901234567890" in base32.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    for (time, code) in [
        (59, "287082"),
        (1_111_111_109, "081804"),
        (1_111_111_111, "050471"),
        (1_234_567_890, "005924"),
        (2_000_000_000, "279037"),
    ] {
        assert_eq!(
            code_for_step(secret, rules::time_step(time)).as_deref(),
            Some(code),
            "at {time}"
        );
    }
}

/// A well-formed code that no step near now gives for `secret`.
fn wrong_code(secret: &str) -> String {
    let near: Vec<String> = (-3..=3).filter_map(|d| code_for_step(secret, step_now() + d)).collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !near.contains(c))
        .unwrap_or_default()
}

async fn invite_staff(app: &crate::common::TestApp, admin: &Caller, email: &str, password: &str) {
    let invite = [("full_name", "Inès Martin"), ("email", email), ("role", "agent")];
    assert_eq!(app.call_as(admin, "invite_staff", &invite).await.0, 200);
    let mail = app.mail_to(email).await;
    let token = mail[0]
        .1
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the invitation's link")
        .to_owned();
    let (status, body) = app
        .call("reset_password", &[("token", &token), ("password", password)])
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_new_staff_member_enrols_at_the_first_login_then_signs_in_with_a_code() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let email = "ines@dons.example.org";
    invite_staff(&app, &admin, email, "une phrase assez longue").await;

    // The password is right, and enrolment comes next: no session yet.
    let (status, body, pending) = app.login_step(email, "une phrase assez longue").await;
    assert_eq!((status, body), (200, serde_json::json!({ "mfa": "enrol" })));
    assert!(pending.cookie.as_deref().unwrap().starts_with("portal_mfa="));
    assert_eq!(app.call_as(&pending, "mfa_pending", &[]).await.1, "enrol");
    assert_eq!(app.call_as(&pending, "staff_dashboard", &[]).await.0, 401);

    let (status, enrolment) = app.call_as(&pending, "begin_mfa_enrolment", &[]).await;
    assert_eq!(status, 200, "{enrolment}");
    let secret = enrolment["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32, "160 bits in base32");
    assert!(
        enrolment["uri"]
            .as_str()
            .unwrap()
            .starts_with(&format!("otpauth://totp/Dons:ines?secret={secret}&issuer=Dons"))
    );
    assert!(
        enrolment["qr_png"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,")
    );

    // Asked again (the page rendered twice, reloaded, or open in two tabs, some at once): the
    // same secret, the one a code is checked against.
    let again = futures::future::join_all((0..6).map(|_| app.call_as(&pending, "begin_mfa_enrolment", &[]))).await;
    for (status, enrolment) in again {
        assert_eq!((status, enrolment["secret"].as_str()), (200, Some(secret.as_str())));
    }
    // Past the second step's validity, a new enrolment gets a new secret.
    let long_ago = chrono::Utc::now() - rules::MFA_CHALLENGE_VALIDITY - chrono::Duration::seconds(1);
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update person_mfa set updated_at = $1 where secret = $2"
    )
    .bind(long_ago)
    .bind(&secret)
    .execute(pool)
    .await
    .map(|_| ()))
    .unwrap();
    let (status, renewed) = app.call_as(&pending, "begin_mfa_enrolment", &[]).await;
    assert_eq!(status, 200);
    let secret = renewed["secret"].as_str().unwrap().to_owned();
    assert_ne!(
        secret,
        enrolment["secret"].as_str().unwrap(),
        "a new secret after the window"
    );

    // A wrong first code is refused and enrols nothing.
    let wrong = wrong_code(&secret);
    let (status, body, _) = app
        .call_for_session(&pending, "confirm_mfa_enrolment", &[("code", &wrong)])
        .await;
    assert_eq!(
        (status, &body["Validation"]["fields"]["code"][0]),
        (422, &Value::from("mfa_code_wrong"))
    );

    let code = code_for_step(&secret, step_now()).unwrap();
    let (status, enrolled, ines) = app
        .call_for_session(&pending, "confirm_mfa_enrolment", &[("code", &code)])
        .await;
    assert_eq!(status, 200, "{enrolled}");
    let codes = enrolled["recovery_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    let distinct: std::collections::BTreeSet<_> = codes.iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(distinct.len(), 10);
    assert_eq!(enrolled["logged_in"]["username"], "ines");
    assert_eq!(app.call_as(&ines, "staff_dashboard", &[]).await.0, 200);
    // The pending state was used up with the enrolment.
    assert_eq!(app.call_as(&pending, "mfa_pending", &[]).await.1, Value::Null);
    // Only hashes are stored.
    let stored: Vec<String> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select code_hash from mfa_recovery_code"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert!(codes.iter().all(|c| !stored.contains(&c.as_str().unwrap().to_owned())));

    // The next login asks for the code.
    let (status, body, pending) = app.login_step(email, "une phrase assez longue").await;
    assert_eq!((status, body), (200, serde_json::json!({ "mfa": "verify" })));
    let ines = app.verify_mfa(&pending, email).await;
    assert_eq!(app.call_as(&ines, "staff_dashboard", &[]).await.0, 200);
    assert_eq!(app.audit_count("mfa.enrolled").await, 1);
    assert_eq!(app.audit_count("mfa.code_refused").await, 1);
}

#[tokio::test]
async fn a_code_works_once_within_one_step_of_drift() {
    let app = spawn_app().await.with_demo().await;
    let secret = app::demo::DEMO_MFA_SECRET;
    let (_, body, pending) = app.login_step("staff", DEMO_PASSWORD).await;
    assert_eq!(body, serde_json::json!({ "mfa": "verify" }));

    // Two steps old: out of the drift allowed.
    let stale = code_for_step(secret, step_now() - 2).unwrap();
    let current = code_for_step(secret, step_now()).unwrap();
    if stale != current {
        let (status, body) = app.call_as(&pending, "verify_mfa", &[("code", &stale)]).await;
        assert_eq!(
            (status, &body["Validation"]["fields"]["code"][0]),
            (422, &Value::from("mfa_code_wrong"))
        );
    }
    let (status, body) = app.call_as(&pending, "verify_mfa", &[("code", "12 34")]).await;
    assert_eq!(
        (status, &body["Validation"]["fields"]["code"][0]),
        (422, &Value::from("mfa_code_invalid"))
    );

    // Typed with a space, as apps show it.
    let code = code_for_step(secret, step_now() + 1).unwrap();
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let (status, body, staff) = app.call_for_session(&pending, "verify_mfa", &[("code", &spaced)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["username"], "staff");
    assert_eq!(app.call_as(&staff, "staff_members", &[]).await.0, 200);

    // The same code again, from another browser that knows the password: refused.
    let (_, _, again) = app.login_step("staff", DEMO_PASSWORD).await;
    let (status, _) = app.call_as(&again, "verify_mfa", &[("code", &code)]).await;
    assert_eq!(status, 422);
    // And an older step than the one used, though within the drift: refused too.
    let (status, _) = app
        .call_as(
            &again,
            "verify_mfa",
            &[("code", &code_for_step(secret, step_now()).unwrap())],
        )
        .await;
    assert_eq!(status, 422);
    // The used pending state of the first browser is gone.
    assert_eq!(app.call_as(&pending, "verify_mfa", &[("code", &code)]).await.0, 401);
}

#[tokio::test]
async fn the_pending_state_authorises_nothing_but_the_code_step() {
    let app = spawn_app().await.with_demo().await;
    let (_, _, pending) = app.login_step("staff", DEMO_PASSWORD).await;
    for (endpoint, form) in [
        ("staff_dashboard", vec![]),
        ("staff_members", vec![]),
        ("mfa_settings", vec![]),
        ("reset_mfa", vec![("person_id", "nobody")]),
        ("audit_trail", vec![("filter[page]", "1")]),
    ] {
        assert_eq!(app.call_as(&pending, endpoint, &form).await.0, 401, "{endpoint}");
    }
    assert_eq!(app.call_as(&pending, "current_user", &[]).await.1, Value::Null);
    assert_eq!(app.get_as(&pending, "/admin/audit/export").await.status().as_u16(), 401);
    // Its token does not open a session if sent as a session cookie.
    let token = pending.cookie.as_deref().unwrap().trim_start_matches("portal_mfa=");
    let forged = Caller {
        cookie: Some(format!("portal_session={token}")),
    };
    assert_eq!(app.call_as(&forged, "staff_dashboard", &[]).await.0, 401);
    // A staff member's session ends at a new password step: a password alone is no login.
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", staff.cookie.clone().unwrap())
        .body(format!("identifier=staff&password={DEMO_PASSWORD}"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_eq!(status, 200);
    assert_eq!(app.call_as(&staff, "staff_dashboard", &[]).await.0, 401);
    // Logging out ends the pending state.
    app.call_as(&pending, "logout", &[]).await;
    assert_eq!(app.call_as(&pending, "mfa_pending", &[]).await.1, Value::Null);
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let email = "ines@dons.example.org";
    invite_staff(&app, &admin, email, "une phrase assez longue").await;
    let (_, _, pending) = app.login_step(email, "une phrase assez longue").await;
    let (_, codes) = app.enrol_mfa(&pending).await;

    let (_, _, pending) = app.login_step(email, "une phrase assez longue").await;
    let (status, body, ines) = app
        .call_for_session(&pending, "verify_mfa", &[("code", &codes[0])])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(ines.cookie.is_some());
    assert_eq!(app.audit_count("mfa.recovery_code_used").await, 1);

    let (_, _, pending) = app.login_step(email, "une phrase assez longue").await;
    let (status, _) = app.call_as(&pending, "verify_mfa", &[("code", &codes[0])]).await;
    assert_eq!(status, 422, "a used recovery code");
    // Another one, typed in capitals without its dash.
    let typed = codes[1].replace('-', "").to_uppercase();
    let (status, _, ines) = app.call_for_session(&pending, "verify_mfa", &[("code", &typed)]).await;
    assert_eq!(status, 200);
    let (_, settings) = app.call_as(&ines, "mfa_settings", &[]).await;
    assert_eq!(
        settings,
        serde_json::json!({ "enabled": true, "required": true, "recovery_codes_left": 8 })
    );
}

#[tokio::test]
async fn a_password_reset_never_skips_the_code() {
    let app = spawn_app().await.with_demo().await;
    let (status, _) = app.call("request_password_reset", &[("identifier", "agent")]).await;
    assert_eq!(status, 200);
    let mail = app.mail_to("agent@dons.example.org").await;
    let token = mail
        .last()
        .unwrap()
        .1
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let (status, body, session) = app
        .call_for_session(
            &Caller::default(),
            "reset_password",
            &[("token", &token), ("password", "un nouveau mot de passe")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(session.cookie.is_none(), "a reset logs nobody in");
    let (status, body, pending) = app.login_step("agent", "un nouveau mot de passe").await;
    assert_eq!((status, body), (200, serde_json::json!({ "mfa": "verify" })));
    assert_eq!(app.call_as(&pending, "staff_dashboard", &[]).await.0, 401);
    let agent = app.verify_mfa(&pending, "agent").await;
    assert_eq!(app.call_as(&agent, "staff_dashboard", &[]).await.0, 200);
}

#[tokio::test]
async fn an_admin_resets_a_lost_factor_and_an_agent_cannot() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let desk = app.login("cisco-desk", DEMO_PASSWORD).await;
    let (_, desk_user) = app.call_as(&desk, "current_user", &[]).await;
    let desk_id = desk_user["person_id"].as_str().unwrap().to_owned();
    let (_, admin_user) = app.call_as(&admin, "current_user", &[]).await;
    let admin_id = admin_user["person_id"].as_str().unwrap().to_owned();

    assert_eq!(
        app.call_as(&agent, "reset_mfa", &[("person_id", &desk_id)]).await.0,
        403
    );
    let (status, body) = app.call_as(&admin, "reset_mfa", &[("person_id", &admin_id)]).await;
    assert_eq!(
        (status, body),
        (409, serde_json::json!({ "Conflict": "mfa_own_reset" }))
    );
    assert_eq!(app.audit_count("mfa.reset").await, 0);

    assert_eq!(
        app.call_as(&admin, "reset_mfa", &[("person_id", &desk_id)]).await.0,
        200
    );
    assert_eq!(app.audit_count("mfa.reset").await, 1);
    // Their session ended, and the next login enrols again.
    assert_eq!(app.call_as(&desk, "staff_dashboard", &[]).await.0, 401);
    let (_, body, pending) = app.login_step("cisco-desk", DEMO_PASSWORD).await;
    assert_eq!(body, serde_json::json!({ "mfa": "enrol" }));
    let (desk, _) = app.enrol_mfa(&pending).await;
    assert_eq!(app.call_as(&desk, "staff_dashboard", &[]).await.0, 200);
    // Nothing left to reset twice in a row? There is: the new factor. A person without one: 404.
    let (_, holder) = app
        .call_as(&app.login("amis", DEMO_PASSWORD).await, "current_user", &[])
        .await;
    let holder_id = holder["person_id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.call_as(&admin, "reset_mfa", &[("person_id", &holder_id)]).await.0,
        404
    );
}

#[tokio::test]
async fn code_attempts_are_limited_per_account_exactly_under_a_burst() {
    let app = spawn_app().await.with_demo().await;
    let (_, _, pending) = app.login_step("agent", DEMO_PASSWORD).await;
    let wrong = wrong_code(app::demo::DEMO_MFA_SECRET);
    let form = [("code", wrong.as_str())];
    let calls = (0..30).map(|_| app.call_as(&pending, "verify_mfa", &form));
    let statuses: Vec<u16> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let count = |want: u16| statuses.iter().filter(|s| **s == want).count();
    assert_eq!((count(422), count(429)), (5, 25), "{statuses:?}");
    assert_eq!(app.audit_count("mfa.code_refused").await, 5);
    // Once five are counted, even the right code waits; another browser too.
    let right = app.fresh_code("agent").await;
    assert_eq!(app.call_as(&pending, "verify_mfa", &[("code", &right)]).await.0, 429);
    let (_, _, other) = app.login_step("agent", DEMO_PASSWORD).await;
    assert_eq!(app.call_as(&other, "verify_mfa", &[("code", &right)]).await.0, 429);
    // Another account is not affected.
    app.login("staff", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn an_organisation_account_opts_in_and_turns_it_off_with_a_code() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let (_, settings) = app.call_as(&holder, "mfa_settings", &[]).await;
    assert_eq!(
        settings,
        serde_json::json!({ "enabled": false, "required": false, "recovery_codes_left": 0 })
    );
    let (status, enrolment) = app.call_as(&holder, "begin_mfa_enrolment", &[]).await;
    assert_eq!(status, 200);
    // Not confirmed yet: the login is still a password alone.
    let (_, body, _) = app.login_step("amis", DEMO_PASSWORD).await;
    assert!(body["person_id"].is_string(), "{body}");
    let secret = enrolment["secret"].as_str().unwrap();
    let code = code_for_step(secret, step_now()).unwrap();
    let (status, enrolled) = app.call_as(&holder, "confirm_mfa_enrolment", &[("code", &code)]).await;
    assert_eq!(status, 200, "{enrolled}");
    assert_eq!(enrolled["logged_in"], Value::Null);
    assert_eq!(app.call_as(&holder, "begin_mfa_enrolment", &[]).await.0, 409);

    // From now on the login asks for the code.
    let (_, body, _) = app.login_step("amis", DEMO_PASSWORD).await;
    assert_eq!(body, serde_json::json!({ "mfa": "verify" }));
    let holder = app.login("amis", DEMO_PASSWORD).await;

    // Turning it off needs a current code.
    let (status, _) = app.call_as(&holder, "disable_mfa", &[("code", "abcde-fghjk")]).await;
    assert_eq!(status, 422);
    let wrong = wrong_code(secret);
    assert_eq!(app.call_as(&holder, "disable_mfa", &[("code", &wrong)]).await.0, 422);
    let code = app.fresh_code("amis").await;
    assert_eq!(app.call_as(&holder, "disable_mfa", &[("code", &code)]).await.0, 200);
    assert_eq!(app.audit_count("mfa.turned_off").await, 1);
    let (_, body, _) = app.login_step("amis", DEMO_PASSWORD).await;
    assert!(body["person_id"].is_string(), "{body}");
    // Staff cannot turn it off.
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let code = app.fresh_code("staff").await;
    assert_eq!(app.call_as(&staff, "disable_mfa", &[("code", &code)]).await.0, 403);
}

#[tokio::test]
async fn logins_join_the_audit_trail_without_what_was_typed() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();
    app.call_as(
        &anonymous,
        "login",
        &[("identifier", "amis"), ("password", "typed-secret-1")],
    )
    .await;
    app.call_as(
        &anonymous,
        "login",
        &[
            ("identifier", "my-password-in-the-wrong-field"),
            ("password", "typed-secret-2"),
        ],
    )
    .await;
    app.login("amis", DEMO_PASSWORD).await;
    app.login("staff", DEMO_PASSWORD).await;

    type Row = (Option<String>, String, String, Option<String>);
    let rows: Vec<Row> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select a.actor_person_id, a.entity_type, coalesce(p.username, a.entity_id), cast(a.after_json as text) \
         from audit_event a left join person p on p.person_id = a.entity_id \
         where a.action = 'auth.login_failed' order by a.occurred_at, a.audit_event_id"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(
        rows,
        vec![
            (None, "person".to_owned(), "amis".to_owned(), None),
            (None, "login".to_owned(), "unknown".to_owned(), None),
        ]
    );
    let rows: Vec<(String, Option<String>)> = app::on_pool!(app.db(), |pool| {
        sqlx::query_as(
        "select p.username, cast(a.after_json as text) from audit_event a join person p on p.person_id = a.entity_id \
         where a.action = 'auth.login_succeeded' order by a.occurred_at, a.audit_event_id"
    )
    .fetch_all(pool)
    .await
    })
    .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, "amis");
    assert!(rows[0].1.as_deref().unwrap().contains("password"));
    assert_eq!(rows[1].0, "staff");
    assert!(rows[1].1.as_deref().unwrap().contains("totp"));
    // Nothing typed is anywhere in the trail.
    let leaked: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select count(*) from audit_event where entity_id like '%wrong-field%' \
         or coalesce(cast(after_json as text), '') like '%typed-secret%' \
         or coalesce(cast(after_json as text), '') like '%wrong-field%' \
         or coalesce(cast(before_json as text), '') like '%typed-secret%'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(leaked, 0);
}
