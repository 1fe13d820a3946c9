//! The audit trail over HTTP: append-only in the database, searchable and filterable by
//! staff, exported as CSV; on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;

async fn trail(app: &TestApp, caller: &Caller, filter: &[(&str, &str)]) -> (u16, Value) {
    let form: Vec<(String, &str)> = filter.iter().map(|(k, v)| (format!("filter[{k}]"), *v)).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    app.call_as(caller, "audit_trail", &form).await
}

/// Edits a help answer as `caller`: one audited staff action with known before and after.
async fn edit_help(app: &TestApp, caller: &Caller, answer: &str) {
    let (status, body) = app
        .call_as(
            caller,
            "save_help_question",
            &[
                ("question_id", "what-is-the-programme"),
                ("texts[question_fr]", "Qu'est-ce que le programme ?"),
                ("texts[question_nl]", "Wat is het programma?"),
                ("texts[question_en]", "What is the programme?"),
                ("texts[answer_fr]", answer),
                ("texts[answer_nl]", "Een programma. Zie [de catalogus](/catalogue)."),
                ("texts[answer_en]", "A programme. See [the catalogue](/catalogue)."),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_database_refuses_to_change_or_erase_the_trail() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    edit_help(&app, &agent, "Un programme de dons. Voir [le catalogue](/catalogue).").await;
    let before = app.audit_count("help.question_edited").await;
    assert_eq!(before, 1);

    let update = app::on_pool!(app.db(), |pool| sqlx::query(
        "update audit_event set action = 'nothing.happened' where action = 'help.question_edited'"
    )
    .execute(pool)
    .await
    .map(|d| d.rows_affected()));
    assert!(update.is_err(), "an update must be refused: {update:?}");
    let delete = app::on_pool!(app.db(), |pool| sqlx::query("delete from audit_event")
        .execute(pool)
        .await
        .map(|d| d.rows_affected()));
    assert!(delete.is_err(), "a delete must be refused: {delete:?}");
    assert_eq!(app.audit_count("help.question_edited").await, 1);

    // An erasure's redaction may rewrite the payloads only, stamped with a new instant; the
    // rest of the event never changes, and an unstamped rewrite is refused.
    let unstamped = app::on_pool!(app.db(), |pool| sqlx::query(
        "update audit_event set after_json = '{}' where action = 'help.question_edited'"
    )
    .execute(pool)
    .await
    .map(|d| d.rows_affected()));
    assert!(unstamped.is_err(), "{unstamped:?}");
    let stamped_action = app::on_pool!(app.db(), |pool| sqlx::query(
        "update audit_event set action = 'x', redacted_at = $1 where action = 'help.question_edited'"
    )
    .bind(app::db::now())
    .execute(pool)
    .await
    .map(|d| d.rows_affected()));
    assert!(stamped_action.is_err(), "{stamped_action:?}");
    let redaction = app::on_pool!(app.db(), |pool| sqlx::query(
        "update audit_event set after_json = '{}', redacted_at = $1 where action = 'help.question_edited'"
    )
    .bind(app::db::now())
    .execute(pool)
    .await
    .map(|d| d.rows_affected()));
    assert_eq!(redaction.unwrap(), 1);
}

#[test]
fn the_code_has_no_path_that_changes_the_trail() {
    // Every SQL statement of the app lives under app/src: none may update or delete audit
    // events (the migrations' triggers refuse it anyway), but for the one redaction of an
    // erasure (privacy/erase.rs), which rewrites the payloads and stamps them, nothing else.
    fn scan(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                scan(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let redaction = "update audit_event set before_json = replace(before_json, $1, $2), \
                                 after_json = replace(after_json, $1, $2), \\ redacted_at = $3";
                let redaction = redaction.split_whitespace().collect::<Vec<_>>().join(" ");
                let is_erasure = path.ends_with("privacy/erase.rs");
                for forbidden in ["update audit_event", "delete from audit_event", "truncate audit_event"] {
                    let uses = text.matches(forbidden).count();
                    let allowed = if is_erasure && forbidden == "update audit_event" {
                        text.matches(redaction.as_str()).count()
                    } else {
                        0
                    };
                    if uses != allowed {
                        found.push(format!("{}: {forbidden}", path.display()));
                    }
                }
                if is_erasure {
                    assert_eq!(
                        text.matches(redaction.as_str()).count(),
                        1,
                        "the redaction's statement changed"
                    );
                }
            }
        }
    }
    let mut found = Vec::new();
    scan(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src"),
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");
}

#[tokio::test]
async fn staff_search_filter_page_and_export_the_trail() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    edit_help(
        &app,
        &agent,
        "Premier texte, avec le mot quetzal. Voir [le catalogue](/catalogue).",
    )
    .await;
    edit_help(&app, &admin, "=Second texte. Voir [le catalogue](/catalogue).").await;

    // Everything, newest first; the filter lists offer the recorded actions.
    let (status, all) = trail(&app, &agent, &[("page", "1")]).await;
    assert_eq!(status, 200, "{all}");
    let total = all["total"].as_i64().unwrap();
    assert!(total >= 2);
    assert!(
        all["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "help.question_edited")
    );
    assert_eq!(all["entries"][0]["action"], "help.question_edited");
    // The newest is the admin's edit, named with the person's name and e-mail.
    assert_eq!(all["entries"][0]["actor_email"], "staff@dons.example.org");
    assert_eq!(all["entries"][0]["actor_name"], "Claire Dubois");

    // By action: exactly the two edits.
    let (_, edits) = trail(&app, &agent, &[("action", "help.question_edited")]).await;
    assert_eq!(edits["total"], 2);
    // By actor, in any case.
    let (_, by_admin) = trail(
        &app,
        &agent,
        &[("action", "help.question_edited"), ("actor", "claire DUBOIS")],
    )
    .await;
    assert_eq!(by_admin["total"], 1, "{by_admin}");
    // By a word in the data before or after, in any case.
    let (_, found) = trail(&app, &agent, &[("q", "QUETZAL")]).await;
    assert_eq!(
        found["total"], 2,
        "the first edit's after and the second's before: {found}"
    );
    let (_, none) = trail(&app, &agent, &[("q", "100%_sure")]).await;
    assert_eq!(none["total"], 0, "LIKE's wildcards are plain characters");
    // By day: today holds them, a day in the future nothing.
    // Days in Belgium, as the trail's filter reads them (between 23:00 and 24:00 UTC in winter
    // the UTC date is a day behind).
    let belgian_today = chrono::Utc::now().with_timezone(&app::calendar::BELGIUM).date_naive();
    let today = belgian_today.to_string();
    let tomorrow = (belgian_today + chrono::Duration::days(1)).to_string();
    let (_, days) = trail(
        &app,
        &agent,
        &[("action", "help.question_edited"), ("from", &today), ("to", &today)],
    )
    .await;
    assert_eq!(days["total"], 2);
    let (_, later) = trail(&app, &agent, &[("from", &tomorrow)]).await;
    assert_eq!(later["total"], 0);
    // Refused filters name their field.
    let (status, body) = trail(&app, &agent, &[("from", &tomorrow), ("to", &today)]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["to"][0], "date_before_start");
    let (status, body) = trail(&app, &agent, &[("q", &"x".repeat(201))]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["q"][0], "too_long");
    // Pages of 50.
    let (_, second) = trail(&app, &agent, &[("page", "2")]).await;
    assert_eq!(second["page"], 2);
    assert_eq!(
        second["entries"].as_array().unwrap().len() as i64,
        (total - 50).clamp(0, 50)
    );

    // The CSV export: staff only, the same filter.
    let export = "/admin/audit/export?action=help.question_edited";
    assert_eq!(app.get_as(&Caller::default(), export).await.status(), 401);
    assert_eq!(app.get_as(&holder, export).await.status(), 403);
    let response = app.get_as(&agent, export).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].ends_with(
            r#""occurred_at";"actor_name";"actor_email";"action";"entity_type";"entity_id";"before";"after""#
        )
    );
    let rows: Vec<&&str> = lines
        .iter()
        .skip(1)
        .filter(|l| l.contains("help.question_edited"))
        .collect();
    assert_eq!(rows.len(), 2, "{csv}");
    // The data before and after travel as JSON in one quoted cell each (formula cells are
    // neutralised: see `formulas_are_neutralised_and_quotes_escaped`).
    assert!(csv.contains(r#""{""answer_fr"":""=Second texte."#), "{csv}");
    let bad = app.get_as(&agent, "/admin/audit/export?from=hier").await;
    assert_eq!(bad.status(), 422);
    // The export is itself recorded, with its filter and size; refused ones are not.
    assert_eq!(app.audit_count("audit.exported").await, 1);
}

#[tokio::test]
async fn the_audit_page_renders_for_staff() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    edit_help(&app, &agent, "Texte révisé. Voir [le catalogue](/catalogue).").await;
    let response = app.get_as(&agent, "/admin/audit?action=help.question_edited").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Journal d&#x27;audit") || html.contains("Journal d'audit"));
    assert!(
        html.contains("data-action=\"help.question_edited\""),
        "the entry is listed"
    );
    assert!(html.contains("/admin/audit/export?action=help.question_edited"));
}
