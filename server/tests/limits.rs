//! Rate limits under bursts: every limit is a reservation taken before the work, so 100
//! concurrent calls get exactly the limit's number through, on SQLite and PostgreSQL. A limit
//! that is checked, then recorded after the work (the ~20 ms password hash), let a burst of
//! 60 logins all be verified.

use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app, spawn_app_with};
use std::sync::Arc;

const BURST: usize = 100;

/// Sends every call of `calls` at once (one task each) and returns their statuses in order.
async fn burst(app: &Arc<TestApp>, endpoint: &'static str, calls: Vec<Vec<(&'static str, String)>>) -> Vec<u16> {
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|form| {
            let app = app.clone();
            tokio::spawn(async move {
                let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call_as(&Caller::default(), endpoint, &refs).await.0
            })
        })
        .collect();
    let mut statuses = Vec::with_capacity(tasks.len());
    for task in tasks {
        statuses.push(task.await.expect("a burst call"));
    }
    statuses
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

/// The attempts of `kind` counted against accounts (not client addresses).
async fn account_attempts(app: &TestApp, kind: &str) -> i64 {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from auth_attempt where kind = $1 and subject like 'person:%'"
    )
    .bind(kind)
    .fetch_one(pool)
    .await)
    .expect("count attempts")
}

fn login(identifier: &str, password: &str) -> Vec<(&'static str, String)> {
    vec![("identifier", identifier.to_owned()), ("password", password.to_owned())]
}

#[tokio::test]
async fn a_login_burst_verifies_at_most_five_guesses_whichever_identifier_names_the_account() {
    let app = Arc::new(spawn_app().await.with_demo().await);
    // 99 wrong passwords, by username and by e-mail in turn (one account, one counter), then
    // the right one, all at once.
    let mut calls: Vec<_> = (0..BURST - 1)
        .map(|i| {
            let identifier = if i % 2 == 0 {
                "biblio"
            } else {
                "Marc@Bibliotheque-Namur.example.org"
            };
            login(identifier, &format!("wrong guess {i}"))
        })
        .collect();
    calls.push(login("biblio", DEMO_PASSWORD));
    let statuses = burst(&app, "login", calls).await;
    let (wrong, right) = statuses.split_at(BURST - 1);
    let verified_wrong = count(wrong, 422);
    assert_eq!(verified_wrong + count(wrong, 429), BURST - 1, "{statuses:?}");
    match right[0] {
        // The right password came past the limit: exactly five guesses were verified.
        429 => assert_eq!(verified_wrong, 5, "{statuses:?}"),
        // It came among the first five and gave its place back: still at most five guesses.
        200 => assert!(verified_wrong <= 5, "{statuses:?}"),
        other => panic!("the right password answered {other}: {statuses:?}"),
    }
    assert_eq!(account_attempts(&app, "login").await, verified_wrong as i64);
    // Once five guesses are counted, even the right password waits.
    let (status, _) = app
        .call_as(
            &Caller::default(),
            "login",
            &[("identifier", "biblio"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn a_burst_of_wrong_logins_is_verified_exactly_five_times() {
    let app = Arc::new(spawn_app().await.with_demo().await);
    let calls = (0..BURST).map(|i| login("amis", &format!("wrong {i}"))).collect();
    let statuses = burst(&app, "login", calls).await;
    assert_eq!((count(&statuses, 422), count(&statuses, 429)), (5, 95), "{statuses:?}");
    // An unknown identifier is counted alike: no answer tells whether an account exists.
    let calls = (0..BURST).map(|i| login("personne", &format!("wrong {i}"))).collect();
    let statuses = burst(&app, "login", calls).await;
    assert_eq!((count(&statuses, 422), count(&statuses, 429)), (5, 95), "{statuses:?}");
}

#[tokio::test]
async fn one_client_address_has_its_own_login_limit_whatever_accounts_it_names() {
    let app = Arc::new(
        spawn_app_with(&[("LOGIN_ATTEMPTS_PER_CLIENT", "7")])
            .await
            .with_demo()
            .await,
    );
    // A successful login gives its place back: logging in often is not guessing.
    for _ in 0..10 {
        app.login("amis", DEMO_PASSWORD).await;
    }
    let calls = (0..BURST).map(|i| login(&format!("someone{i}"), "guess")).collect();
    let statuses = burst(&app, "login", calls).await;
    assert_eq!((count(&statuses, 422), count(&statuses, 429)), (7, 93), "{statuses:?}");
    let (status, _) = app
        .call_as(
            &Caller::default(),
            "login",
            &[("identifier", "lumiere"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(status, 429, "the address has used its attempts");
}

#[tokio::test]
async fn a_burst_of_reset_requests_sends_exactly_three_links() {
    let app = Arc::new(spawn_app().await.with_demo().await);
    let calls = (0..BURST)
        .map(|i| {
            let identifier = if i % 2 == 0 {
                "amis"
            } else {
                "sophie@amisduquartier.example.org"
            };
            vec![("identifier", identifier.to_owned())]
        })
        .collect();
    let statuses = burst(&app, "request_password_reset", calls).await;
    assert_eq!((count(&statuses, 200), count(&statuses, 429)), (3, 97), "{statuses:?}");
    assert_eq!(app.mail_to("sophie@amisduquartier.example.org").await.len(), 3);
}

#[tokio::test]
async fn a_burst_of_public_forms_stores_exactly_the_limit() {
    let app = Arc::new(spawn_app().await);
    let calls = (0..BURST)
        .map(|i| {
            vec![
                ("organisation_name", format!("Association {i}")),
                ("enterprise_number", "0202.239.951".to_owned()),
                ("address", "Rue du Parc 1, 1000 Bruxelles".to_owned()),
                ("reply_email", "curieux@example.org".to_owned()),
            ]
        })
        .collect();
    let statuses = burst(&app, "ask_if_registered", calls).await;
    assert_eq!((count(&statuses, 200), count(&statuses, 429)), (20, 80), "{statuses:?}");
    let stored = app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from registration_inquiry"
    )
    .fetch_one(pool)
    .await)
    .expect("count inquiries");
    assert_eq!(stored, 20);
}

/// The reset links in the e-mails sent to `to`, oldest first.
async fn reset_tokens(app: &TestApp, to: &str) -> Vec<String> {
    app.mail_to(to)
        .await
        .iter()
        .filter_map(|(_, body)| {
            body.split("token=")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test]
async fn using_one_reset_link_ends_the_accounts_other_links() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();
    for _ in 0..2 {
        let (status, _) = app
            .call_as(&anonymous, "request_password_reset", &[("identifier", "amis")])
            .await;
        assert_eq!(status, 200);
    }
    let tokens = reset_tokens(&app, "sophie@amisduquartier.example.org").await;
    assert_eq!(tokens.len(), 2);
    let (status, body) = app
        .call_as(
            &anonymous,
            "reset_password",
            &[("token", &tokens[1]), ("password", "une toute nouvelle phrase")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_as(
            &anonymous,
            "reset_password",
            &[("token", &tokens[0]), ("password", "encore une autre phrase")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["form"][0], "reset_link_invalid");
    app.login("amis", "une toute nouvelle phrase").await;
}

#[tokio::test]
async fn junk_reset_tokens_are_limited_per_client_address() {
    let app = Arc::new(
        spawn_app_with(&[("PUBLIC_FORMS_PER_HOUR", "4")])
            .await
            .with_demo()
            .await,
    );
    let calls = (0..BURST)
        .map(|i| {
            vec![
                ("token", format!("junk-token-{i}")),
                ("password", "une phrase assez longue".to_owned()),
            ]
        })
        .collect();
    let statuses = burst(&app, "reset_password", calls).await;
    assert_eq!((count(&statuses, 422), count(&statuses, 429)), (4, 96), "{statuses:?}");
}
