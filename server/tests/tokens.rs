//! Validation tokens over HTTP: the "Jeton de validation" tab (who may create, see, refresh
//! and revoke), the partner verification API with every answer it gives, its rate limit,
//! the check by hand, the 7-day reminders on an injected clock, the OpenAPI document, and
//! that no code or key reaches a log line.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;

const AMIS: &str = "Les Amis du Quartier ASBL";
const BIBLIO: &str = "Bibliothèque publique de Namur";
const HOLDER_MAIL: &str = "sophie@amisduquartier.example.org";
const MEMBER_MAIL: &str = "karim@amisduquartier.example.org";

/// "Créer un jeton" as `caller`: for themself when `other` is `None`.
async fn create(
    app: &TestApp,
    caller: &Caller,
    other: Option<(&str, &str)>,
    purpose: &str,
    partner: &str,
) -> (u16, Value) {
    let (for_whom, name, email) = match other {
        Some((name, email)) => ("other", name, email),
        None => ("self", "", ""),
    };
    app.call_as(
        caller,
        "create_token",
        &[
            ("form[for_whom]", for_whom),
            ("form[recipient_name]", name),
            ("form[recipient_email]", email),
            ("form[purpose]", purpose),
            ("form[partner_id]", partner),
        ],
    )
    .await
}

async fn tokens(app: &TestApp, caller: &Caller) -> Value {
    let (status, page) = app.call_as(caller, "my_tokens", &[("page", "0")]).await;
    assert_eq!(status, 200, "{page}");
    page
}

/// The newest token of `caller`'s list whose purpose is `purpose`.
async fn token(app: &TestApp, caller: &Caller, purpose: &str) -> Value {
    tokens(app, caller).await["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["purpose"] == purpose)
        .unwrap_or_else(|| panic!("no token for {purpose}"))
        .clone()
}

/// Creates a token for `caller` themself and returns (id, code).
async fn new_token(app: &TestApp, caller: &Caller, purpose: &str) -> (String, String) {
    let (status, body) = create(app, caller, None, purpose, "").await;
    assert_eq!(status, 200, "{body}");
    let token = token(app, caller, purpose).await;
    (
        token["token_id"].as_str().unwrap().to_owned(),
        token["code"].as_str().unwrap().to_owned(),
    )
}

/// A partner API client made by staff; returns its key.
async fn client(app: &TestApp, staff: &Caller, name: &str, partner: &str, rate: &str) -> String {
    let (status, created) = app
        .call_as(
            staff,
            "create_partner_client",
            &[("name", name), ("partner_id", partner), ("rate_per_minute", rate)],
        )
        .await;
    assert_eq!(status, 200, "{created}");
    created["key"].as_str().unwrap().to_owned()
}

/// `POST /api/v1/tokens/verify` with `key` (if any) and a raw body: status, Retry-After,
/// JSON body.
async fn verify_raw(app: &TestApp, key: Option<&str>, body: &str) -> (u16, Option<String>, Value) {
    let mut request = app
        .client
        .post(app.url("/api/v1/tokens/verify"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(key) = key {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    if status == 401 {
        assert_eq!(
            response.headers().get("www-authenticate").unwrap(),
            "Bearer realm=\"partner-api\""
        );
    }
    let json = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    (status, retry_after, json)
}

async fn verify(app: &TestApp, key: &str, code: &str) -> Value {
    let (status, _, verdict) = verify_raw(app, Some(key), &serde_json::json!({ "token": code }).to_string()).await;
    assert_eq!(status, 200, "{verdict}");
    verdict
}

async fn set_expired(app: &TestApp, token_id: &str) {
    let past = app::db::now() - chrono::Duration::days(1);
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update validation_token set expires_at = $1 where token_id = $2"
    )
    .bind(past)
    .bind(token_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
}

async fn client_checks(app: &TestApp) -> i64 {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from token_check"
    )
    .fetch_one(pool)
    .await)
    .unwrap()
}

#[tokio::test]
async fn the_holder_manages_tokens_and_members_see_only_theirs() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let pending = app.login("debrug", DEMO_PASSWORD).await;

    let (status, body) = create(&app, &holder, None, "Google Ad Grants", "google").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = create(
        &app,
        &holder,
        Some(("Karim Benali", " KARIM@amisduquartier.example.org ")),
        "Zoom",
        "",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Refused forms keep nothing and say which field is wrong.
    let (status, body) = create(&app, &holder, Some(("", "not-an-address")), "", "").await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["recipient_name"][0], "required");
    assert_eq!(body["Validation"]["fields"]["recipient_email"][0], "email_invalid");
    let (status, body) = create(&app, &holder, None, "", "no-such-partner").await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["partner_id"][0], "choose_one");
    // Only the holder creates; an organisation that is not validated cannot.
    let (status, _) = create(&app, &member, None, "Mine", "").await;
    assert_eq!(status, 403);
    let (status, body) = create(&app, &pending, None, "Too early", "").await;
    assert_eq!(
        (status, body),
        (409, serde_json::json!({ "Conflict": "organisation_not_validated" }))
    );

    let list = tokens(&app, &holder).await;
    assert_eq!(list["is_holder"], true);
    assert_eq!(list["validated"], true);
    assert_eq!(list["total"], 2);
    let all = list["tokens"].as_array().unwrap();
    assert_eq!(all[0]["purpose"], "Zoom", "newest first");
    assert_eq!(all[0]["recipient_email"], MEMBER_MAIL, "trimmed and lower-cased");
    assert_eq!(all[1]["recipient_email"], HOLDER_MAIL);
    assert_eq!(all[1]["partner_name"], "Google");
    for token in all {
        let code = token["code"].as_str().unwrap();
        assert!(app::token::rules::TokenCode::parse(code).is_some(), "{code}");
        assert_eq!(token["status"], "active");
        assert_eq!(token["days_left"], 60);
        assert_eq!(token["creator_email"], HOLDER_MAIL);
    }
    assert_ne!(all[0]["code"], all[1]["code"]);

    // The member sees the token made for them, and nothing else; another organisation
    // sees none of Les Amis' tokens.
    let theirs = tokens(&app, &member).await;
    assert_eq!(theirs["is_holder"], false);
    assert_eq!(theirs["total"], 1);
    assert_eq!(theirs["tokens"][0]["recipient_name"], "Karim Benali");
    assert_eq!(tokens(&app, &other).await["total"], 0);

    let zoom = all[0]["token_id"].as_str().unwrap().to_owned();
    let old_code = all[0]["code"].as_str().unwrap().to_owned();
    // A live token is not refreshed; another organisation is told it does not exist; a
    // member may not touch it.
    let id = [("token_id", zoom.as_str())];
    assert_eq!(
        app.call_as(&holder, "refresh_token", &id).await,
        (409, serde_json::json!({ "Conflict": "token_not_expired" }))
    );
    assert_eq!(app.call_as(&other, "refresh_token", &id).await.0, 404);
    assert_eq!(app.call_as(&other, "revoke_token", &id).await.0, 404);
    assert_eq!(app.call_as(&member, "revoke_token", &id).await.0, 403);

    // Expired: "Mettre à jour" gives a new code and 60 new days; the old code is dead.
    set_expired(&app, &zoom).await;
    assert_eq!(token(&app, &holder, "Zoom").await["status"], "expired");
    assert_eq!(app.call_as(&holder, "refresh_token", &id).await.0, 200);
    let refreshed = token(&app, &holder, "Zoom").await;
    assert_eq!(refreshed["status"], "active");
    assert_eq!(refreshed["days_left"], 60);
    assert_ne!(refreshed["code"], old_code);
    assert_eq!(app.audit_count("token.refreshed").await, 1);

    // Revoked once; then neither revoked again nor refreshed.
    assert_eq!(app.call_as(&holder, "revoke_token", &id).await.0, 200);
    assert_eq!(token(&app, &holder, "Zoom").await["status"], "revoked");
    assert_eq!(
        app.call_as(&holder, "revoke_token", &id).await,
        (409, serde_json::json!({ "Conflict": "token_revoked" }))
    );
    set_expired(&app, &zoom).await;
    assert_eq!(
        app.call_as(&holder, "refresh_token", &id).await,
        (409, serde_json::json!({ "Conflict": "token_revoked" }))
    );
    assert_eq!(app.audit_count("token.created").await, 2);
    assert_eq!(app.audit_count("token.revoked").await, 1);
    // The audit trail names tokens, never their codes.
    let audit: Vec<String> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select coalesce(after_json, '') from audit_event where entity_type = 'validation_token'"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let codes = [old_code, refreshed["code"].as_str().unwrap().to_owned()];
    assert!(
        audit
            .iter()
            .all(|row| codes.iter().all(|code| !row.contains(code.as_str())))
    );
}

#[tokio::test]
async fn the_partner_api_answers_every_case() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let amis = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let biblio = app.login("biblio", DEMO_PASSWORD).await;
    let lumiere = app.login("lumiere", DEMO_PASSWORD).await;
    let google = client(&app, &staff, "Google – vérification", "google", "").await;
    assert!(google.starts_with("vk_") && google.len() == 43, "{google}");
    assert_eq!(
        app.call_as(
            &amis,
            "create_partner_client",
            &[("name", "X"), ("partner_id", "google"), ("rate_per_minute", "")]
        )
        .await
        .0,
        403
    );

    let (_, valid) = new_token(&app, &amis, "valid").await;
    let (revoked_id, revoked) = new_token(&app, &amis, "revoked").await;
    let (expired_id, expired) = new_token(&app, &amis, "expired").await;
    let (_, not_qualified) = new_token(&app, &lumiere, "lumiere").await;
    let (_, unvalidated) = new_token(&app, &biblio, "biblio").await;
    assert_eq!(
        app.call_as(&amis, "revoke_token", &[("token_id", &revoked_id)]).await.0,
        200
    );
    set_expired(&app, &expired_id).await;
    // Staff later find Biblio not eligible after all.
    let biblio_id = app.organisation_id(BIBLIO).await;
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update organisation set eligibility_status = 'rejected' where organisation_id = $1"
    )
    .bind(&biblio_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();

    let ok = verify(&app, &google, &valid).await;
    assert_eq!(ok["valid"], true);
    assert_eq!(ok["reason"], Value::Null);
    assert_eq!(ok["partner"], "google");
    assert_eq!(ok["organisation"]["name"], AMIS);
    assert_eq!(ok["organisation"]["country"], "BE");
    assert_eq!(ok["organisation"]["legal_form"], "asbl");
    assert_eq!(ok["organisation"]["enterprise_number"].as_str().unwrap().len(), 10);
    // Only the calling partner: Amis is qualified for four others too, which is not Google's
    // business.
    assert_eq!(ok["qualified_partners"], serde_json::json!(["google"]));
    assert!(ok["expires_at"].as_str().is_some());

    let cases = [
        (expired.as_str(), "expired"),
        (revoked.as_str(), "revoked"),
        ("abcdefgh@0123456789abcdef", "unknown"),
        (unvalidated.as_str(), "organisation_not_validated"),
    ];
    for (code, reason) in cases {
        let verdict = verify(&app, &google, code).await;
        assert_eq!(verdict["valid"], false, "{reason}");
        assert_eq!(verdict["reason"], reason);
        assert_eq!(verdict["organisation"], Value::Null, "a {reason} token names nobody");
        assert_eq!(verdict["qualified_partners"], serde_json::json!([]));
    }
    assert_eq!(
        verify(&app, &google, "abcdefgh@0123456789abcdef").await["expires_at"],
        Value::Null
    );

    // Lumière is validated but not qualified for Google: Google learns who, and that it is
    // not qualified for Google, but not for which partners it is (Microsoft, Cisco, AWS).
    // The same token is valid for a Microsoft client, which sees only itself.
    let verdict = verify(&app, &google, &not_qualified).await;
    assert_eq!(verdict["valid"], false);
    assert_eq!(verdict["reason"], "not_qualified");
    assert_eq!(verdict["organisation"]["name"], "Fondation Lumière pour l'Inclusion");
    assert_eq!(verdict["qualified_partners"], serde_json::json!([]));
    let microsoft = client(&app, &staff, "Microsoft", "microsoft", "60").await;
    let verdict = verify(&app, &microsoft, &not_qualified).await;
    assert_eq!(verdict["valid"], true);
    assert_eq!(verdict["qualified_partners"], serde_json::json!(["microsoft"]));

    // Keys: none, wrong, revoked → 401. Bodies: not JSON or no string token → 400; not of
    // the token shape → 422.
    let body = serde_json::json!({ "token": valid }).to_string();
    assert_eq!(verify_raw(&app, None, &body).await.0, 401);
    assert_eq!(verify_raw(&app, Some("vk_wrong"), &body).await.0, 401);
    let (status, _, error) = verify_raw(&app, Some(&google), "{").await;
    assert_eq!((status, error["error"].as_str()), (400, Some("invalid_body")));
    assert_eq!(verify_raw(&app, Some(&google), r#"{"token": 5}"#).await.0, 400);
    let (status, _, error) = verify_raw(&app, Some(&google), r#"{"token": "ABCDEFGH@0123456789abcdef"}"#).await;
    assert_eq!((status, error["error"].as_str()), (422, Some("malformed_token")));
    let (_, clients) = app.call_as(&staff, "partner_clients", &[]).await;
    let google_id = clients["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["partner_id"] == "google")
        .unwrap()["partner_client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.call_as(&staff, "revoke_partner_client", &[("partner_client_id", &google_id)])
            .await
            .0,
        200
    );
    assert_eq!(verify_raw(&app, Some(&google), &body).await.0, 401);

    // The holder reads each check in the token's usage log; the member does not.
    let logged = token(&app, &amis, "valid").await;
    assert_eq!(logged["checks"], 1);
    assert_eq!(logged["log"][0]["outcome"], "valid");
    assert_eq!(logged["log"][0]["client_name"], "Google – vérification");
    assert_eq!(logged["log"][0]["partner_name"], "Google");
    assert_eq!(token(&app, &amis, "expired").await["log"][0]["outcome"], "expired");
    let (_, list) = app.call_as(&member, "my_tokens", &[("page", "0")]).await;
    assert_eq!(list["total"], 0, "no token was made for the member");
    // 9 checks logged (the malformed one without a token); the 401s and 400s are not.
    assert_eq!(client_checks(&app).await, 9);
}

#[tokio::test]
async fn each_client_is_held_to_its_checks_per_minute() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let amis = app.login("amis", DEMO_PASSWORD).await;
    let (_, code) = new_token(&app, &amis, "rate").await;
    let slow = client(&app, &staff, "Slow", "google", "5").await;
    let other = client(&app, &staff, "Other", "google", "5").await;
    for _ in 0..5 {
        assert_eq!(verify(&app, &slow, &code).await["valid"], true);
    }
    let body = serde_json::json!({ "token": code }).to_string();
    let (status, retry_after, error) = verify_raw(&app, Some(&slow), &body).await;
    assert_eq!(status, 429, "{error}");
    assert_eq!(error["error"], "rate_limited");
    let seconds: u64 = retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&seconds), "{seconds}");
    // The check by hand with the same key is held to the same limit.
    let (status, _) = app
        .call_as(&Caller::default(), "check_token", &[("key", &slow), ("token", &code)])
        .await;
    assert_eq!(status, 429);
    // Another client is not affected, and refused calls are not logged.
    assert_eq!(verify(&app, &other, &code).await["valid"], true);
    assert_eq!(client_checks(&app).await, 6);
}

#[tokio::test]
async fn racing_checks_never_exceed_the_limit() {
    let app = std::sync::Arc::new(spawn_app().await.with_demo().await);
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let amis = app.login("amis", DEMO_PASSWORD).await;
    let (_, code) = new_token(&app, &amis, "race").await;
    // 20 checks at once by a client allowed 5 a minute: exactly 5 get through, on either
    // database (the client's row is locked while its last minute is counted).
    let key = std::sync::Arc::new(client(&app, &staff, "Racing", "google", "5").await);
    let body = std::sync::Arc::new(serde_json::json!({ "token": code }).to_string());
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (app, key, body) = (app.clone(), key.clone(), body.clone());
        tasks.push(tokio::spawn(async move { verify_raw(&app, Some(&key), &body).await.0 }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 15, "{statuses:?}");
    assert_eq!(client_checks(&app).await, 5);
}

#[tokio::test]
async fn a_partner_checks_by_hand() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let amis = app.login("amis", DEMO_PASSWORD).await;
    let anonymous = Caller::default();
    let (_, code) = new_token(&app, &amis, "by hand").await;
    let key = client(&app, &staff, "Adobe desk", "adobe", "").await;
    // Pasted with blanks and capitals: still found.
    let pasted = format!("  {}\n", code.to_uppercase());
    let (status, verdict) = app
        .call_as(&anonymous, "check_token", &[("key", &key), ("token", &pasted)])
        .await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["valid"], true);
    assert_eq!(verdict["organisation"]["name"], AMIS);
    let field = |body: &Value, name: &str| body["Validation"]["fields"][name][0].as_str().map(str::to_owned);
    let (status, body) = app
        .call_as(&anonymous, "check_token", &[("key", "vk_nope"), ("token", &code)])
        .await;
    assert_eq!((status, field(&body, "key").as_deref()), (422, Some("api_key_invalid")));
    let (status, body) = app
        .call_as(&anonymous, "check_token", &[("key", ""), ("token", &code)])
        .await;
    assert_eq!((status, field(&body, "key").as_deref()), (422, Some("required")));
    let (status, body) = app
        .call_as(&anonymous, "check_token", &[("key", &key), ("token", "123")])
        .await;
    assert_eq!(
        (status, field(&body, "token").as_deref()),
        (422, Some("token_malformed"))
    );
    assert_eq!(
        token(&app, &amis, "by hand").await["log"][0]["client_name"],
        "Adobe desk"
    );
}

#[tokio::test]
async fn reminders_go_out_seven_days_before_expiry_once() {
    let app = spawn_app().await.with_demo().await;
    let amis = app.login("amis", DEMO_PASSWORD).await;
    let (status, body) = create(&app, &amis, Some(("Karim Benali", MEMBER_MAIL)), "Reminder", "").await;
    assert_eq!(status, 200, "{body}");
    let created = token(&app, &amis, "Reminder").await;
    let expires_at: chrono::DateTime<chrono::Utc> = created["expires_at"].as_str().unwrap().parse().unwrap();
    let state = server::app_state(common::test_config(&app.test_db.url, &[]), app.db().clone());
    let at = |days_before: i64, extra_seconds: i64| {
        expires_at - chrono::Duration::days(days_before) + chrono::Duration::seconds(extra_seconds)
    };
    let sweep = |now| app::token::worker::sweep(&state, now);
    assert_eq!(sweep(at(7, -1)).await.unwrap(), 0, "8 days before: not yet");
    assert_eq!(sweep(at(7, 0)).await.unwrap(), 1);
    assert_eq!(sweep(at(6, 0)).await.unwrap(), 0, "once");
    let restarted = server::app_state(common::test_config(&app.test_db.url, &[]), app.db().clone());
    assert_eq!(
        app::token::worker::sweep(&restarted, at(5, 0)).await.unwrap(),
        0,
        "once per database"
    );
    let to_member = app.mail_to(MEMBER_MAIL).await;
    let to_holder = app.mail_to(HOLDER_MAIL).await;
    assert_eq!(to_member.len(), 1);
    assert_eq!(to_holder.len(), 1);
    assert!(to_member[0].0.contains("expire dans 7 jours"), "{}", to_member[0].0);
    assert!(to_member[0].1.contains("Karim Benali (Reminder)"));
    assert!(
        !to_member[0].1.contains(created["code"].as_str().unwrap()),
        "the code is not e-mailed"
    );
    // A revoked token is not reminded; a token for the holder themself gets one e-mail.
    let (revoked_id, _) = new_token(&app, &amis, "Revoked soon").await;
    assert_eq!(
        app.call_as(&amis, "revoke_token", &[("token_id", &revoked_id)]).await.0,
        200
    );
    let (_, _) = new_token(&app, &amis, "Mine").await;
    let later = expires_at + chrono::Duration::minutes(5);
    assert_eq!(sweep(later - chrono::Duration::days(7)).await.unwrap(), 1);
    assert_eq!(app.mail_to(HOLDER_MAIL).await.len(), 2);
    // Expired tokens are not reminded any more.
    assert_eq!(sweep(later + chrono::Duration::days(1)).await.unwrap(), 0);
}

#[tokio::test]
async fn the_openapi_document_describes_the_verification() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status().as_u16(), 200);
    let document: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(document["openapi"], "3.0.3");
    let operation = &document["paths"]["/api/v1/tokens/verify"]["post"];
    for status in ["200", "400", "401", "422", "429"] {
        assert!(operation["responses"][status].is_object(), "{status} is described");
    }
    assert_eq!(
        document["components"]["schemas"]["VerifyRequest"]["properties"]["token"]["pattern"],
        app::token::rules::PATTERN
    );
    assert_eq!(
        document["components"]["securitySchemes"]["partnerKey"]["scheme"],
        "bearer"
    );
    let reasons = &document["components"]["schemas"]["Verdict"]["properties"]["reason"]["enum"];
    assert_eq!(reasons.as_array().unwrap().len(), 6, "5 reasons and null");
}

/// Captures every log line of this test binary at TRACE level.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn codes_and_keys_never_reach_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .expect("the only subscriber of this test binary");
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("staff", DEMO_PASSWORD).await;
    let amis = app.login("amis", DEMO_PASSWORD).await;
    let key = client(&app, &staff, "Logs", "google", "").await;
    let (id, code) = new_token(&app, &amis, "logs").await;
    verify(&app, &key, &code).await;
    verify_raw(&app, Some(&key), r#"{"token": "zzzzzzzz@zzzzzzzzzzzzzzzz"}"#).await;
    let (status, _) = app
        .call_as(&Caller::default(), "check_token", &[("key", &key), ("token", &code)])
        .await;
    assert_eq!(status, 200);
    set_expired(&app, &id).await;
    assert_eq!(app.call_as(&amis, "refresh_token", &[("token_id", &id)]).await.0, 200);
    let refreshed = token(&app, &amis, "logs").await["code"].as_str().unwrap().to_owned();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("/api/v1/tokens/verify"), "the capture holds the requests");
    for secret in [&code, &refreshed, &key] {
        assert!(!logs.contains(secret.as_str()), "a secret reached the log");
    }
    // Nor their halves (a code split around the `@`).
    for secret in [&code, &refreshed] {
        let (head, tail) = secret.split_once('@').unwrap();
        assert!(!logs.contains(tail) && !logs.contains(&format!("{head}@")));
    }
}
