//! The injected clock of the end-to-end suite: with `TEST_CLOCK=1` a request may move its own
//! "today" with the `test_clock_days` cookie; without it the cookie does nothing. Its own test
//! binary, because turning the test clock on is process-wide.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{Caller, DEMO_PASSWORD, spawn_app, spawn_app_with};

/// "today" as the engine sees it for `caller`, moved by `days` with the cookie.
async fn engine_today(app: &common::TestApp, caller: &Caller, days: i64) -> chrono::NaiveDate {
    let moved = Caller {
        cookie: Some(format!("{}; test_clock_days={days}", caller.cookie.clone().unwrap())),
    };
    let (status, inputs) = app.call_as(&moved, "engine_inputs", &[]).await;
    assert_eq!(status, 200, "{inputs}");
    inputs["today"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn only_a_test_server_lets_a_request_move_its_clock() {
    let today = chrono::Utc::now().with_timezone(&app::calendar::BELGIUM).date_naive();
    let production = spawn_app().await.with_demo().await;
    let holder = production.login("amis", DEMO_PASSWORD).await;
    assert_eq!(
        engine_today(&production, &holder, 1).await,
        today,
        "the cookie is ignored"
    );

    let test = spawn_app_with(&[("TEST_CLOCK", "1")]).await.with_demo().await;
    let holder = test.login("amis", DEMO_PASSWORD).await;
    assert_eq!(engine_today(&test, &holder, 1).await, today + chrono::Days::new(1));
    assert_eq!(engine_today(&test, &holder, 0).await, today);
    // Out of range (over ten years) or not a number: the real clock.
    assert_eq!(engine_today(&test, &holder, 4000).await, today);
    let plain = test.call_as(&holder, "engine_inputs", &[]).await.1;
    assert_eq!(plain["today"], today.to_string());

    // A rule version dated tomorrow: refused today, in force for tomorrow's requests.
    let admin = test.login("staff", DEMO_PASSWORD).await;
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let (status, body) = test
        .call_as(
            &admin,
            "add_rule_version",
            &[
                ("partner_id", "adobe"),
                ("country", "BE"),
                ("effective_from", &tomorrow),
                ("params_json", r#"{"adobe_max_per_year": 1}"#),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let limit = |days: i64| {
        let moved = Caller {
            cookie: Some(format!("{}; test_clock_days={days}", holder.cookie.clone().unwrap())),
        };
        let test = &test;
        async move { test.call_as(&moved, "engine_inputs", &[]).await.1["rules"]["adobe_max_per_year"].clone() }
    };
    assert_eq!(limit(0).await, 4);
    assert_eq!(limit(1).await, 1);
}
