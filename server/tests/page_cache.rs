//! Public pages kept rendered for anonymous visitors (`app::page_cache`, the server's
//! `page_cache` layer): each response has its own nonce, each language its own copy, a
//! session or any other cookie its own render, and a staff change is seen at once.
//!
//! A change written to the database behind the app's back (not through a server function) is
//! what shows whether a page came from the cache: a fresh render has it, a kept copy does not.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::backoffice::product_form;
use crate::common::{Caller, DEMO_PASSWORD, TestApp, spawn_app, spawn_app_with};

const ACROBAT: &str = "adobe-acrobat-pro-2024";
const PRODUCT_PAGE: &str = "/catalogue/adobe-acrobat-pro-2024";

/// The product's name once an admin has renamed it.
const NEW_NAME: &str = "Acrobat Pro, nouvelle édition";

/// Renames the product through the admin's `save_product`, as the catalogue's page does.
async fn rename_as_admin(app: &TestApp, admin: &Caller, name: &str) {
    let mut edit = product_form(ACROBAT, ACROBAT, "25,00", "", true);
    edit.iter_mut().find(|(k, _)| *k == "form[name]").unwrap().1 = name.to_owned();
    let form: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call_as(admin, "save_product", &form).await.0, 200);
}

/// A GET of `path` with these headers: status, the CSP header's nonce, and the body.
async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("GET request");
    let status = response.status().as_u16();
    let policy = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_default()
        .to_owned();
    (status, nonce, response.text().await.expect("page body"))
}

/// Renames the product in the database directly, as no server function would.
async fn rename_behind_the_apps_back(app: &TestApp, slug: &str, name: &str) {
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update product set name = $1 where slug = $2"
    )
    .bind(name)
    .bind(slug)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
}

/// The page with every nonce blanked: what two responses of one kept page share.
fn without_nonce<'a>(body: &'a str, nonce: &str) -> std::borrow::Cow<'a, str> {
    if nonce.is_empty() {
        body.into()
    } else {
        body.replace(nonce, "NONCE").into()
    }
}

#[tokio::test]
async fn an_anonymous_page_is_rendered_once_and_sent_with_each_responses_own_nonce() {
    let app = spawn_app().await.with_demo().await;
    let (status, first_nonce, first) = fetch(&app, PRODUCT_PAGE, &[]).await;
    assert_eq!(status, 200);
    assert!(first.contains("Adobe Acrobat Pro 2024"));
    rename_behind_the_apps_back(&app, ACROBAT, "Acrobat renommé en douce").await;

    let (status, nonce, second) = fetch(&app, PRODUCT_PAGE, &[]).await;
    assert_eq!(status, 200);
    assert!(second.contains("Adobe Acrobat Pro 2024"), "the kept copy was sent");
    assert!(!second.contains("renommé en douce"));
    // Its own nonce, in the header and in every script of the body; none of the first's.
    assert!(!nonce.is_empty() && nonce != first_nonce);
    assert!(second.contains(&format!("nonce=\"{nonce}\"")));
    assert!(!second.contains(&first_nonce));
    assert_eq!(without_nonce(&second, &nonce), without_nonce(&first, &first_nonce));

    // With the cache off, every request renders: the change shows at once.
    let app = spawn_app_with(&[("PAGE_CACHE_SECONDS", "0")]).await.with_demo().await;
    fetch(&app, PRODUCT_PAGE, &[]).await;
    rename_behind_the_apps_back(&app, ACROBAT, "Acrobat renommé en douce").await;
    assert!(fetch(&app, PRODUCT_PAGE, &[]).await.2.contains("renommé en douce"));
}

#[tokio::test]
async fn a_kept_page_expires() {
    let app = spawn_app_with(&[("PAGE_CACHE_SECONDS", "1")]).await.with_demo().await;
    fetch(&app, PRODUCT_PAGE, &[]).await;
    rename_behind_the_apps_back(&app, ACROBAT, "Acrobat renommé en douce").await;
    assert!(!fetch(&app, PRODUCT_PAGE, &[]).await.2.contains("renommé en douce"));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(fetch(&app, PRODUCT_PAGE, &[]).await.2.contains("renommé en douce"));
}

#[tokio::test]
async fn sessions_and_other_cookies_get_their_own_render_and_each_language_its_own_copy() {
    let app = spawn_app().await.with_demo().await;
    let member = app.login("amis", DEMO_PASSWORD).await;
    for path in ["/", "/catalogue", "/help", PRODUCT_PAGE] {
        assert_eq!(fetch(&app, path, &[]).await.0, 200, "{path}");
    }
    let dutch = fetch(&app, PRODUCT_PAGE, &[("accept-language", "nl-BE,nl;q=0.9")])
        .await
        .2;
    assert!(dutch.contains("<html lang=\"nl\""));
    let (kept, _) = app.page_cache_size();
    assert_eq!(kept, 5, "four pages in French, one in Dutch");

    rename_behind_the_apps_back(&app, ACROBAT, "Acrobat renommé en douce").await;
    let fresh = |html: &str| html.contains("renommé en douce");
    // Kept copies: no cookie, or the language cookie alone, in the language asked for.
    assert!(!fresh(&fetch(&app, PRODUCT_PAGE, &[]).await.2));
    let by_cookie = fetch(&app, PRODUCT_PAGE, &[("cookie", "i18n_pref_locale=nl")]).await.2;
    assert!(by_cookie.contains("<html lang=\"nl\"") && !fresh(&by_cookie));
    assert!(!fresh(&app.page_as(&Caller::default(), "/catalogue", &[]).await));
    // Their own render: a session, a login's identifier, the test clock, anything unknown.
    assert!(fresh(&app.page_as(&member, PRODUCT_PAGE, &[]).await));
    let members_catalogue = app.page_as(&member, "/catalogue", &[]).await;
    assert!(fresh(&members_catalogue));
    assert!(members_catalogue.contains("Les Amis du Quartier") && members_catalogue.contains("Se déconnecter"));
    for cookie in ["login_identifier=amis", "test_clock_days=0", "something=else"] {
        let (status, _, html) = fetch(&app, PRODUCT_PAGE, &[("cookie", cookie)]).await;
        assert_eq!(status, 200);
        assert!(fresh(&html), "{cookie}");
    }
    // A language never asked for yet is rendered: English has the new name.
    let english = fetch(&app, PRODUCT_PAGE, &[("accept-language", "en")]).await.2;
    assert!(english.contains("<html lang=\"en\"") && fresh(&english));
    // Had the member's render been kept, the next visitor would get their name: they do not.
    let visitors = fetch(&app, "/catalogue", &[]).await.2;
    assert!(!visitors.contains("Les Amis du Quartier") && !visitors.contains("Se déconnecter"));
    assert!(visitors.contains("Se connecter"));
}

#[tokio::test]
async fn staff_changes_are_seen_at_once_and_a_render_begun_before_one_is_not_kept() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    for path in [PRODUCT_PAGE, "/catalogue", "/help"] {
        fetch(&app, path, &[]).await;
    }
    // A product edited by an admin: its page and the catalogue have it on the next request.
    rename_as_admin(&app, &admin, NEW_NAME).await;
    assert!(fetch(&app, PRODUCT_PAGE, &[]).await.2.contains(NEW_NAME));
    assert!(fetch(&app, "/catalogue", &[]).await.2.contains(NEW_NAME));

    // A partner taken off the catalogue: its products leave the kept catalogue at once.
    let (status, _) = app
        .call_as(
            &admin,
            "save_partner",
            &[("partner_id", "adobe"), ("name", "Adobe"), ("sort_order", "20")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(!fetch(&app, "/catalogue", &[]).await.2.contains(NEW_NAME));

    // A help answer edited by an agent.
    let question_id = crate::help::centre(&app, "", "fr").await["sections"][0]["questions"][0]["question_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!fetch(&app, "/help", &[]).await.2.contains("zygomorphes"));
    let answer = "Les associations zygomorphes à but non lucratif.";
    let (status, body) = app
        .call_as(&agent, "save_help_question", &crate::help::texts(&question_id, answer))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(fetch(&app, "/help", &[]).await.2.contains("zygomorphes"));

    // A render that began before a change is not kept: the cache's generation moved on.
    let cache = &app.pages;
    let generation = cache.generation();
    cache.clear();
    let key = app::page_cache::PageKey::new("/help", app::i18n::Locale::fr).unwrap();
    let nonce = leptos::nonce::Nonce::new();
    let body = format!("<!DOCTYPE html><html lang=\"fr\"><script nonce=\"{nonce}\"></script>");
    assert!(!cache.put(key.clone(), generation, Default::default(), body.as_bytes(), &nonce));
    assert!(cache.put(key, cache.generation(), Default::default(), body.as_bytes(), &nonce));
}

#[tokio::test]
async fn another_instance_shows_a_staff_change_once_its_copy_expires() {
    let app = spawn_app_with(&[("PAGE_CACHE_SECONDS", "2")]).await.with_demo().await;
    let other = app.another_instance(&[("PAGE_CACHE_SECONDS", "2")]).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let on_other = || async {
        let response = app
            .client
            .get(format!("http://{other}{PRODUCT_PAGE}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.text().await.unwrap()
    };
    assert!(on_other().await.contains("Adobe Acrobat Pro 2024"));
    rename_as_admin(&app, &admin, NEW_NAME).await;
    let saved = std::time::Instant::now();
    // The instance that saved it shows it at once; the other once its copy is 2 s old.
    assert!(fetch(&app, PRODUCT_PAGE, &[]).await.2.contains(NEW_NAME));
    loop {
        if on_other().await.contains(NEW_NAME) {
            break;
        }
        assert!(
            saved.elapsed() < std::time::Duration::from_secs(4),
            "still the old page after 4 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn concurrent_visitors_each_get_the_page_with_their_own_nonce() {
    let app = spawn_app().await.with_demo().await;
    let reference = fetch(&app, PRODUCT_PAGE, &[]).await;
    let answers = futures::future::join_all((0..64).map(|i| {
        let app = &app;
        async move {
            let language = if i % 2 == 0 { "fr" } else { "nl" };
            (
                language,
                fetch(app, PRODUCT_PAGE, &[("accept-language", language)]).await,
            )
        }
    }))
    .await;
    let mut nonces = std::collections::HashSet::new();
    let dutch = answers
        .iter()
        .find(|(l, _)| *l == "nl")
        .map(|(_, a)| a.clone())
        .unwrap();
    for (language, (status, nonce, body)) in &answers {
        assert_eq!(*status, 200);
        assert!(nonces.insert(nonce.clone()), "a nonce was sent twice");
        // Every script carries the response's own nonce, and the page is its language's.
        assert!(body.matches("nonce=\"").count() == body.matches(&format!("nonce=\"{nonce}\"")).count());
        let (same_as, other_nonce) = if *language == "fr" {
            (&reference.2, &reference.1)
        } else {
            (&dutch.2, &dutch.1)
        };
        assert_eq!(
            without_nonce(body, nonce),
            without_nonce(same_as, other_nonce),
            "{language}"
        );
    }
}

#[tokio::test]
async fn hostile_addresses_are_rendered_but_bounded() {
    let app = spawn_app().await.with_demo().await;
    // A query longer than a key may be: served, not kept.
    let long = format!("/catalogue?q={}", "a".repeat(600));
    assert_eq!(fetch(&app, &long, &[]).await.0, 200);
    assert_eq!(app.page_cache_size().0, 0);
    // A page that is not a 200 is never kept (a missing product, an unknown address).
    assert_eq!(fetch(&app, "/catalogue/no-such-product", &[]).await.0, 404);
    assert_eq!(fetch(&app, "/catalogue/a/b", &[]).await.0, 404);
    assert_eq!(app.page_cache_size().0, 0);
    // Distinct queries each take a place, within the byte budget.
    for i in 0..40 {
        assert_eq!(fetch(&app, &format!("/catalogue?q=x{i}"), &[]).await.0, 200);
    }
    let (kept, bytes) = app.page_cache_size();
    assert_eq!(kept, 40);
    assert!(bytes <= app::page_cache::BUDGET_BYTES);
}
