//! "Vérifier la qualification" over HTTP: the server loads the rules in force, the
//! organisation's standing and history from the database and judges the cart.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::{Caller, DEMO_PASSWORD, spawn_app};
use serde_json::Value;

/// The demo's Amis du Quartier used 10 Office desktop licences and 5 Windows Server CALs
/// (non-core) in the Microsoft cycle that started on 4 March 2026.
fn office(quantity: &str) -> [(&'static str, String); 2] {
    [
        ("lines[0][slug]", "office-ltsc-standard-2024".into()),
        ("lines[0][quantity]", quantity.into()),
    ]
}

fn refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn rule(verdict: &Value, line: usize) -> Value {
    verdict["lines"][line]["Refused"]["rule"].clone()
}

#[tokio::test]
async fn the_verdict_uses_the_history_the_rules_in_force_and_the_qualifications() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;

    assert_eq!(
        app.call_as(&Caller::default(), "verify_qualification", &refs(&office("1")))
            .await
            .0,
        401
    );
    assert_eq!(
        app.call_as(&staff, "verify_qualification", &refs(&office("1"))).await.0,
        403
    );

    let (status, verdict) = app.call_as(&holder, "verify_qualification", &refs(&office("40"))).await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["lines"][0], "Accepted", "10 used + 40 = 50");
    let microsoft = verdict["allowances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["partner_id"] == "microsoft")
        .unwrap();
    assert_eq!(microsoft["window_start"], "2026-03-04");
    assert_eq!(microsoft["window_end"], "2028-03-04");
    let counter = |name: &str| {
        microsoft["counters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(counter("family:desktop:Office")["used"], 10);
    assert_eq!(counter("non_core")["used"], 5);

    let (_, verdict) = app.call_as(&holder, "verify_qualification", &refs(&office("41"))).await;
    assert_eq!(rule(&verdict, 0), "microsoft_per_family");
    assert_eq!(verdict["lines"][0]["Refused"]["allowed_from"], "2028-03-04");

    // The demo's Amis du Quartier is not qualified for Autodesk; unknown products are refused.
    let mixed = [
        ("lines[0][slug]", "autodesk-autocad-2026".to_owned()),
        ("lines[0][quantity]", "1".to_owned()),
    ];
    let (status, verdict) = app.call_as(&holder, "verify_qualification", &refs(&mixed)).await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(rule(&verdict, 0), "not_qualified");
    let unknown = [
        ("lines[0][slug]", "no-such-product".to_owned()),
        ("lines[0][quantity]", "1".to_owned()),
    ];
    let (status, body) = app.call_as(&holder, "verify_qualification", &refs(&unknown)).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["lines[0]"][0], "unknown_product");
}

#[tokio::test]
async fn a_new_rule_version_applies_from_its_date_and_only_admins_add_one() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let today = chrono::Utc::now().date_naive();
    let version = |from: chrono::NaiveDate| {
        vec![
            ("partner_id", "microsoft".to_owned()),
            ("country", "BE".to_owned()),
            ("effective_from", from.to_string()),
            ("params_json", r#"{"microsoft_max_per_family": 11}"#.to_owned()),
        ]
    };
    let tomorrow = version(today + chrono::Days::new(1));
    assert_eq!(app.call_as(&holder, "add_rule_version", &refs(&tomorrow)).await.0, 403);
    assert_eq!(
        app.call_as(&agent, "add_rule_version", &refs(&tomorrow)).await.0,
        403,
        "admins only"
    );
    assert_eq!(app.call_as(&admin, "add_rule_version", &refs(&tomorrow)).await.0, 200);
    assert_eq!(
        app.call_as(&admin, "add_rule_version", &refs(&tomorrow)).await.0,
        409,
        "one version per day"
    );
    let (_, verdict) = app.call_as(&holder, "verify_qualification", &refs(&office("2"))).await;
    assert_eq!(
        verdict["lines"][0], "Accepted",
        "tomorrow's limit of 11 is not in force yet"
    );

    let (status, _) = app.call_as(&admin, "add_rule_version", &refs(&version(today))).await;
    assert_eq!(status, 200);
    let (_, verdict) = app.call_as(&holder, "verify_qualification", &refs(&office("2"))).await;
    assert_eq!(rule(&verdict, 0), "microsoft_per_family", "10 used + 2 > 11: {verdict}");

    let mut bad = version(today + chrono::Days::new(2));
    bad[3].1 = r#"{"adobe_max_per_year": 1}"#.to_owned();
    let (status, body) = app.call_as(&admin, "add_rule_version", &refs(&bad)).await;
    assert_eq!(status, 422, "another partner's key: {body}");
    assert_eq!(app.audit_count("partner.rules_versioned").await, 2);
}
