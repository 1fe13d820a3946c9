//! The help centre over HTTP: the shipped questions in three languages, a search that ignores
//! accents and case on both engines, staff's audited edits, answers that lead to pages the
//! portal serves, and a new version's questions reaching an existing installation.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use app::help::rules::{Span, paragraphs};
use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;

pub(crate) async fn centre(app: &TestApp, query: &str, locale: &str) -> Value {
    let (status, body) = app
        .call_as(
            &Caller::default(),
            "help_centre",
            &[("query", query), ("locale", locale)],
        )
        .await;
    assert_eq!(status, 200, "{query:?}: {body}");
    body
}

fn hit_ids(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .expect("a search answers with hits")
        .iter()
        .map(|h| h["question_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_shipped_help_centre_answers_in_three_languages() {
    let app = spawn_app().await;
    let mut counts = Vec::new();
    for locale in ["fr", "nl", "en"] {
        let body = centre(&app, "", locale).await;
        assert!(body["hits"].is_null(), "no search, no hits");
        let sections = body["sections"].as_array().unwrap();
        let ids: Vec<&str> = sections.iter().map(|s| s["section_id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "programme",
                "eligibility",
                "ordering",
                "payment",
                "tokens",
                "account",
                "microsoft",
                "adobe",
                "autodesk",
                "cisco",
                "aws",
                "google",
                "zoom",
                "hardware"
            ]
        );
        let questions: Vec<&Value> = sections
            .iter()
            .flat_map(|s| s["questions"].as_array().unwrap())
            .collect();
        for q in &questions {
            assert!(!q["question"].as_str().unwrap().trim().is_empty());
            assert!(!q["answer"].as_str().unwrap().trim().is_empty());
        }
        counts.push(questions.len());
    }
    assert!(counts[0] >= 140, "at least 140 questions, found {}", counts[0]);
    assert_eq!(counts[0], counts[1]);
    assert_eq!(counts[0], counts[2]);
    // The French and Dutch texts differ (each language is really there).
    let fr = centre(&app, "", "fr").await;
    let nl = centre(&app, "", "nl").await;
    assert_ne!(fr["sections"][1]["questions"][0], nl["sections"][1]["questions"][0]);
}

#[tokio::test]
async fn search_ignores_accents_and_case() {
    let app = spawn_app().await;
    let plain = hit_ids(&centre(&app, "eligibilite", "fr").await);
    assert!(!plain.is_empty(), "'eligibilite' finds the answers about 'éligibilité'");
    assert_eq!(plain, hit_ids(&centre(&app, "ÉLIGIBILITÉ", "fr").await));
    assert_eq!(plain, hit_ids(&centre(&app, "Éligibilité ?", "fr").await));
    // The best hit is about eligibility, and says so in its own accented words.
    let body = centre(&app, "eligibilite", "fr").await;
    let first = &body["hits"][0];
    let text = format!("{} {}", first["question"], first["answer"]).to_lowercase();
    assert!(text.contains("éligib"), "{text}");
    // A word's beginning is enough; every word must be there.
    assert!(!hit_ids(&centre(&app, "qualif", "fr").await).is_empty());
    assert!(hit_ids(&centre(&app, "eligibilite zzzzqx", "fr").await).is_empty());
    // Each language searches its own texts.
    assert!(!hit_ids(&centre(&app, "validatietoken", "nl").await).is_empty());
    assert!(hit_ids(&centre(&app, "validatietoken", "fr").await).is_empty());
    assert!(!hit_ids(&centre(&app, "token", "en").await).is_empty());
}

#[tokio::test]
async fn search_syntax_and_hostile_queries_are_plain_words() {
    let app = spawn_app().await;
    for query in [
        "\"",
        "*",
        "' OR 1=1 --",
        "eligib* NEAR(x)",
        "a & b | !c",
        "<script>alert(1)</script>",
        "):*",
        "\u{202e}\u{0301}",
        &"é".repeat(5_000),
    ] {
        let body = centre(&app, query, "fr").await;
        assert!(body["hits"].is_array(), "{query:?}");
    }
    // A language the portal does not speak reads as French.
    let body = centre(&app, "eligibilite", "xx").await;
    assert!(!hit_ids(&body).is_empty());
}

pub(crate) fn texts<'a>(question: &'a str, answer_fr: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("question_id", question),
        ("texts[question_fr]", "Qui peut s'inscrire au programme ?"),
        ("texts[question_nl]", "Wie kan zich inschrijven?"),
        ("texts[question_en]", "Who can register?"),
        ("texts[answer_fr]", answer_fr),
        (
            "texts[answer_nl]",
            "Verenigingen zonder winstoogmerk. Zie [inschrijven](/register).",
        ),
        ("texts[answer_en]", "Nonprofits. See [register](/register)."),
    ]
}

#[tokio::test]
async fn staff_edit_an_answer_and_search_and_audit_follow() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let before = centre(&app, "", "fr").await;
    let question_id = before["sections"][0]["questions"][0]["question_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Refused: a link out of the portal, an empty question. Nothing changes.
    let mut bad = texts(&question_id, "Voir [ailleurs](https://example.org/zygomorphe).");
    bad[1].1 = "  ";
    let (status, body) = app.call_as(&agent, "save_help_question", &bad).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["texts[answer_fr]"][0], "link_external");
    assert_eq!(body["Validation"]["fields"]["texts[question_fr]"][0], "required");
    assert!(hit_ids(&centre(&app, "zygomorphe", "fr").await).is_empty());
    assert_eq!(app.audit_count("help.question_edited").await, 0);

    // Saved: the page and the search show the new answer at once.
    let answer = "Les associations zygomorphes à but non lucratif. Voir [l'inscription](/register).";
    let (status, body) = app
        .call_as(&agent, "save_help_question", &texts(&question_id, answer))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        hit_ids(&centre(&app, "ZYGOMORPHES", "fr").await),
        vec![question_id.clone()]
    );
    let after = centre(&app, "", "fr").await;
    assert_eq!(after["sections"][0]["questions"][0]["answer"], answer);
    assert!(hit_ids(&centre(&app, "zygomorphes", "en").await).is_empty());
    assert_eq!(app.audit_count("help.question_edited").await, 1);
    let (old, new): (String, String) = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select before_json, after_json from audit_event where action = 'help.question_edited'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let old: Value = serde_json::from_str(&old).unwrap();
    let new: Value = serde_json::from_str(&new).unwrap();
    assert_eq!(new["answer_fr"], answer);
    assert_eq!(old["answer_fr"], before["sections"][0]["questions"][0]["answer"]);

    // The same texts again: nothing to record.
    let (status, _) = app
        .call_as(&agent, "save_help_question", &texts(&question_id, answer))
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.audit_count("help.question_edited").await, 1);

    let (status, _) = app
        .call_as(&agent, "save_help_question", &texts("no-such-question", answer))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_help_page_renders_hits_for_an_accentless_query() {
    let app = spawn_app().await;
    let response = app.get("/help?q=eligibilite").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("En quoi pouvons-nous vous aider ?"));
    assert!(
        html.contains("data-testid=\"help-hits-title\""),
        "the hits are rendered"
    );
    assert!(html.contains("ligibilit"));
    // The answers link to the pages where things are done.
    assert!(html.contains("href=\"/register\""));
}

/// The question `question_id` as the help centre shows it in `locale`.
async fn shown(app: &TestApp, question_id: &str, locale: &str) -> Value {
    let body = centre(app, "", locale).await;
    body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap())
        .find(|q| q["question_id"] == question_id)
        .unwrap_or_else(|| panic!("{question_id} is in the help centre ({locale})"))
        .clone()
}

#[tokio::test]
async fn a_search_for_vlsc_finds_its_answers_in_every_language() {
    let app = spawn_app().await;
    for locale in ["fr", "nl", "en"] {
        let body = centre(&app, "VLSC", locale).await;
        let hits = body["hits"].as_array().unwrap();
        assert!(hits.len() >= 6, "{locale}: {} answers about VLSC", hits.len());
        for hit in hits {
            let text = format!("{} {}", hit["question"], hit["answer"]);
            assert!(text.contains("VLSC"), "{locale}: {text}");
        }
        // Each of the subjects people ask about has its answer.
        let activation = if locale == "nl" { "activering" } else { "activation" };
        for words in ["VLSC MAK KMS", "VLSC e-mail", &format!("VLSC {activation}")] {
            assert!(
                !hit_ids(&centre(&app, words, locale).await).is_empty(),
                "{locale}: {words}"
            );
        }
    }
}

#[tokio::test]
async fn the_zoom_answer_says_an_expired_code_is_issued_again() {
    let app = spawn_app().await;
    for (locale, lost, reissued) in [
        ("fr", "ne peut plus être utilisé", "nouveau code"),
        ("nl", "kan niet meer gebruikt", "nieuwe code"),
        ("en", "can no longer be used", "new code"),
    ] {
        let answer = shown(&app, "zoom-code-validity", locale).await["answer"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!answer.contains(lost), "{locale}: {answer}");
        assert!(answer.contains(reissued), "{locale}: {answer}");
    }
}

#[tokio::test]
async fn every_link_in_the_help_centre_leads_to_a_page_the_portal_serves() {
    let app = spawn_app().await;
    let help = app::help::shipped().unwrap();
    let mut targets: Vec<String> = help
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .flat_map(|q| [&q.answer.fr, &q.answer.nl, &q.answer.en])
        .flat_map(|answer| paragraphs(answer).into_iter().flatten())
        .filter_map(|span| match span {
            Span::Link { href, .. } => Some(href),
            Span::Text(_) => None,
        })
        .collect();
    targets.sort_unstable();
    targets.dedup();
    assert!(targets.len() >= 15, "the answers link to many pages: {targets:?}");
    // The check can fail: an address the portal does not serve is a 404.
    assert_eq!(app.get("/no-such-page-in-the-portal").await.status(), 404);
    let mut missing = Vec::new();
    for target in &targets {
        let status = app.get(target).await.status();
        if status == 404 || status.is_server_error() {
            missing.push(format!("{target} ({status})"));
        }
    }
    assert!(
        missing.is_empty(),
        "answers link to pages the portal does not serve: {missing:?}"
    );
}

#[tokio::test]
async fn a_new_version_adds_its_questions_and_keeps_what_staff_edited() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let help = app::help::shipped().unwrap();
    let shipped = |slug: &str| {
        help.sections
            .iter()
            .flat_map(|s| &s.questions)
            .find(|q| q.slug == slug)
            .unwrap()
            .clone()
    };

    // Staff edit one answer.
    let edited = "Notre texte à nous, quinquagénaire. Voir [le catalogue](/catalogue).";
    let (status, body) = app
        .call_as(&agent, "save_help_question", &texts("what-is-the-programme", edited))
        .await;
    assert_eq!(status, 200, "{body}");
    // The installation predates the VLSC answers, and still has the old Zoom answer.
    let old_zoom = "Le code expire après 12 mois ; un code expiré est perdu, obsolescent.";
    app::on_pool!(app.db(), |pool| async {
        for sql in [
            "delete from help_text where question_id = 'vlsc-what-is-it'",
            "delete from help_question where question_id = 'vlsc-what-is-it'",
        ] {
            sqlx::query(sql).execute(pool).await?;
        }
        sqlx::query("update help_question set answer_fr = $1 where question_id = 'zoom-code-validity'")
            .bind(old_zoom)
            .execute(pool)
            .await?;
        sqlx::query("update help_text set content = $1 where question_id = 'zoom-code-validity' and locale = 'fr'")
            .bind(app::help::rules::fold(old_zoom))
            .execute(pool)
            .await?;
        Ok::<(), sqlx::Error>(())
    }
    .await)
    .unwrap();
    if let app::db::Db::Sqlite(pool, _) = app.db() {
        sqlx::query("insert into help_fts (help_fts) values ('rebuild')")
            .execute(pool)
            .await
            .unwrap();
    }
    assert_eq!(shown(&app, "zoom-code-validity", "fr").await["answer"], old_zoom);
    assert_eq!(
        hit_ids(&centre(&app, "obsolescent", "fr").await),
        vec!["zoom-code-validity".to_owned()]
    );
    let count = |body: &Value| {
        body["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["questions"].as_array().unwrap().len())
            .sum::<usize>()
    };
    let before = count(&centre(&app, "", "fr").await);

    // The new version starts.
    app::setup::prepare_database(app.db()).await.unwrap();

    // The missing question is there, in every language, and search finds it.
    assert_eq!(count(&centre(&app, "", "fr").await), before + 1);
    let vlsc = shipped("vlsc-what-is-it");
    assert_eq!(shown(&app, "vlsc-what-is-it", "nl").await["answer"], vlsc.answer.nl);
    assert!(hit_ids(&centre(&app, "VLSC", "en").await).contains(&"vlsc-what-is-it".to_owned()));
    // The answer nobody edited follows the shipped correction, in the index too.
    let zoom = shipped("zoom-code-validity");
    assert_eq!(shown(&app, "zoom-code-validity", "fr").await["answer"], zoom.answer.fr);
    assert!(hit_ids(&centre(&app, "obsolescent", "fr").await).is_empty());
    // Staff's answer stays theirs.
    assert_eq!(shown(&app, "what-is-the-programme", "fr").await["answer"], edited);
    assert_eq!(
        hit_ids(&centre(&app, "quinquagenaire", "fr").await),
        vec!["what-is-the-programme".to_owned()]
    );

    // Once up to date, a start changes nothing.
    let report = app::help::db::sync_shipped(app.db(), &help).await.unwrap();
    assert_eq!(report, app::help::db::SyncReport::default());
}
