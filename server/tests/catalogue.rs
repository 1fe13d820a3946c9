//! The public catalogue: filters carried by the address and rendered by the server (so the
//! form works without WASM), texts in the visitor's language only, and a product page that
//! reads one product.

use crate::common::{TestApp, spawn_app, spawn_app_with};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

/// A product of each language's text that no other language shares.
const SWITCH: &str = "cisco-catalyst-1000-24p-4g-l";
const SWITCH_FR: &str = "Commutateur administrable de 24 ports Gigabit Ethernet";
const SWITCH_NL: &str = "Beheerbare switch met 24 Gigabit Ethernet-poorten";
const SWITCH_EN: &str = "Managed switch with 24 Gigabit Ethernet PoE+ ports";

/// The page at `path` as a browser asking for `language` gets it; its status and HTML.
async fn page(app: &TestApp, path: &str, language: &str) -> (u16, String) {
    let response = app
        .client
        .get(app.url(path))
        .header("accept-language", language)
        .send()
        .await
        .expect("GET request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("page body"))
}

/// The page's `<main>`, what a failed assertion shows.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").map_or(html.len(), |end| end + "</main>".len());
    &html[start..end.max(start)]
}

/// The opening tags of the elements `<{name} …>` whose class is `class`, and whether each
/// is shown (has no `hidden` attribute).
fn tags<'a>(html: &'a str, name: &str, class: &str) -> Vec<(&'a str, bool)> {
    let class = format!("class=\"{class}\"");
    html.split(&format!("<{name} "))
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            let shown = !tag.split([' ', '=']).any(|word| word == "hidden");
            tag.contains(&class).then_some((tag, shown))
        })
        .collect()
}

/// The slugs of the product cards in the page, and whether each is shown.
fn card_tags(html: &str) -> Vec<(String, bool)> {
    tags(html, "li", "product-card")
        .into_iter()
        .filter_map(|(tag, shown)| Some((tag.split("data-slug=\"").nth(1)?.split('"').next()?.to_owned(), shown)))
        .collect()
}

/// The slugs of the product cards the page shows.
fn cards(html: &str) -> BTreeSet<String> {
    card_tags(html)
        .into_iter()
        .filter_map(|(slug, shown)| shown.then_some(slug))
        .collect()
}

/// Whether "Aucun produit ne correspond à votre recherche." is shown (it is always in the page,
/// `hidden` while something matches, for the filters' island to show).
fn no_results_shown(html: &str) -> bool {
    match tags(html, "p", "empty").as_slice() {
        [(_, shown)] => *shown,
        other => panic!("one no-results notice, not {}", other.len()),
    }
}

/// The values of the options marked `selected` in the `<select>` with this id.
fn selected(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("<select id=\"{id}\""))
        .unwrap_or_else(|| panic!("no select #{id}"));
    let select = &html[start..];
    let select = &select[..select.find("</select>").expect("a closed select")];
    select
        .split("<option")
        .skip(1)
        .filter_map(|option| {
            let tag = &option[..option.find('>')?];
            let value = tag.split("value=\"").nth(1)?.split('"').next()?;
            tag.contains(" selected").then(|| value.to_owned())
        })
        .collect()
}

/// The slugs of the active catalogue, as its server function lists them, that `keep` keeps.
async fn listed(app: &TestApp, keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    let (status, list) = app.call("list_catalogue", &[("language", "fr")]).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .expect("a list")
        .iter()
        .filter(|p| keep(p))
        .map(|p| p["slug"].as_str().expect("a slug").to_owned())
        .collect()
}

#[tokio::test]
async fn the_address_filters_the_server_rendered_catalogue() {
    let app = spawn_app().await.with_demo().await;
    let everything = listed(&app, |_| true).await;
    assert!(everything.len() >= 40, "{everything:?}");

    // A partner: its products only, rendered in place (not in a `<template>` that only
    // JavaScript shows), and the select shows the choice.
    let (status, html) = page(&app, "/catalogue?partner=zoom", "fr").await;
    assert_eq!(status, 200, "{}", main_of(&html));
    let zoom = listed(&app, |p| p["partner_id"] == "zoom").await;
    assert_eq!(zoom.len(), 2);
    assert_eq!(cards(&html), zoom);
    // Every product is in the page, the others `hidden`, for the filters' island to show
    // when the visitor changes the filters; so is each partner's group.
    let in_page: BTreeSet<String> = card_tags(&html).into_iter().map(|(slug, _)| slug).collect();
    assert_eq!(in_page, everything);
    let groups = tags(&html, "section", "partner-group");
    assert_eq!(groups.len(), 8, "{}", main_of(&html));
    assert_eq!(
        groups.iter().filter(|(_, shown)| *shown).count(),
        1,
        "only Zoom's group shown"
    );
    assert!(!no_results_shown(&html));
    assert!(
        !html.contains("<template"),
        "the page is rendered in order, readable without JavaScript"
    );
    assert_eq!(selected(&html, "filter-partner"), ["zoom"]);
    assert_eq!(selected(&html, "filter-kind"), Vec::<String>::new());
    assert!(html.contains(r#"action="/catalogue""#) && html.contains(r#"method="get""#));
    assert!(
        html.contains(r#"<button type="submit" class="button secondary">Filtrer"#),
        "a submit button for browsers without WASM"
    );

    // A word typed without its accent finds the accented one ("Écran reconditionné…"),
    // and the box shows what was searched.
    let (status, html) = page(&app, "/catalogue?q=ECRAN", "fr").await;
    assert_eq!(status, 200);
    let found = cards(&html);
    assert!(
        found.contains("dell-p2419h") && found.contains("lenovo-thinkvision-t24i-20"),
        "{found:?}"
    );
    assert!(!found.contains("zoom-workplace-pro-1-year-50"), "{found:?}");
    assert!(html.contains(r#"value="ECRAN""#));

    // A kind, alone and with a partner and a word.
    let (_, html) = page(&app, "/catalogue?kind=hardware", "fr").await;
    assert_eq!(cards(&html), listed(&app, |p| p["kind"] == "hardware").await);
    assert_eq!(selected(&html, "filter-kind"), ["hardware"]);
    let (_, html) = page(&app, "/catalogue?q=pare-feu&partner=cisco&kind=hardware", "fr").await;
    assert_eq!(cards(&html), BTreeSet::from(["cisco-secure-firewall-1010".to_owned()]));
    let (_, html) = page(&app, "/catalogue?partner=zoom&kind=hardware", "fr").await;
    assert!(cards(&html).is_empty());
    assert!(
        html.contains("Aucun produit ne correspond à votre recherche.") && no_results_shown(&html),
        "{}",
        main_of(&html)
    );

    // What the form never sends filters nothing, and nothing is a server error.
    let long = format!("/catalogue?q={}", "a".repeat(10_000));
    for path in [
        "/catalogue?partner=nobody&kind=licence",
        "/catalogue?partner=&kind=&q=",
        "/catalogue?kind=HARDWARE&partner=ZOOM",
        long.as_str(),
    ] {
        let (status, html) = page(&app, path, "fr").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(cards(&html), everything, "{path}");
        assert_eq!(selected(&html, "filter-partner"), Vec::<String>::new(), "{path}");
    }
    for path in [
        "/catalogue?q=%FF%FE&partner=%C3",
        "/catalogue?q=<script>alert(1)</script>",
        "/catalogue?q[]=x&partner[a]=b&kind=1",
        "/catalogue?q=%25%26%3D",
    ] {
        let (status, html) = page(&app, path, "fr").await;
        assert!(status < 500, "{path}: {status}");
        assert!(!html.contains("<script>alert(1)"), "{path}");
    }
}

#[tokio::test]
async fn the_catalogue_carries_the_visitors_language_only() {
    let app = spawn_app().await.with_demo().await;
    // The whole page, hydration data included: one language's texts.
    let (status, html) = page(&app, "/catalogue", "fr-BE,fr;q=0.9").await;
    assert_eq!(status, 200);
    assert!(html.contains(SWITCH_FR));
    assert!(
        !html.contains(SWITCH_NL) && !html.contains(SWITCH_EN),
        "only French on a French page"
    );
    let (status, html) = page(&app, "/catalogue", "nl-BE,nl;q=0.9").await;
    assert_eq!(status, 200);
    assert!(html.contains(SWITCH_NL));
    assert!(
        !html.contains(SWITCH_FR) && !html.contains(SWITCH_EN),
        "only Dutch on a Dutch page"
    );
    let (_, html) = page(&app, &format!("/catalogue/{SWITCH}"), "en").await;
    assert!(html.contains(SWITCH_EN));
    assert!(
        !html.contains(SWITCH_FR) && !html.contains(SWITCH_NL),
        "only English on an English page"
    );

    // The server function: texts as plain strings in the language asked for.
    let (status, list) = app.call("list_catalogue", &[("language", "nl")]).await;
    assert_eq!(status, 200);
    let switch = list.as_array().unwrap().iter().find(|p| p["slug"] == SWITCH).unwrap();
    assert!(
        switch["description"].as_str().unwrap().starts_with(SWITCH_NL),
        "{switch}"
    );
    assert!(switch["conditions"].is_string(), "{switch}");
    // A language the portal does not speak is refused by name, not served as a 500.
    for language in ["de", "", "FR", &"x".repeat(10_000)] {
        let (status, body) = app.call("list_catalogue", &[("language", language)]).await;
        assert_eq!(status, 422, "{body}");
        assert!(!body["Validation"]["fields"]["language"].is_null(), "{body}");
    }
    let (status, _) = app.call("list_catalogue", &[]).await;
    assert!((400..500).contains(&status), "no language at all: {status}");
}

#[tokio::test]
async fn a_product_page_reads_one_active_product() {
    let app = spawn_app().await.with_demo().await;
    let (status, product) = app
        .call("catalogue_product", &[("slug", SWITCH), ("language", "en")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(product["slug"], SWITCH);
    assert_eq!(product["partner_id"], "cisco");
    assert!(
        product["description"].as_str().unwrap().starts_with(SWITCH_EN),
        "{product}"
    );

    // No such product, an inactive one, and slugs no product has: nothing, never an error.
    let long = "a".repeat(10_000);
    for slug in [
        "no-such-product",
        "hp-elitedesk-800-g6-sff",
        "",
        "../../etc/passwd",
        "x' or '1'='1",
        "%",
        long.as_str(),
    ] {
        let (status, product) = app
            .call("catalogue_product", &[("slug", slug), ("language", "fr")])
            .await;
        assert_eq!((status, product), (200, Value::Null), "{slug:.40}");
    }
    let (status, _) = app
        .call("catalogue_product", &[("slug", SWITCH), ("language", "es")])
        .await;
    assert_eq!(status, 422);

    // The pages: the product, and the "not found" view for an unknown slug.
    let (status, html) = page(&app, &format!("/catalogue/{SWITCH}"), "fr").await;
    assert_eq!(status, 200);
    assert!(html.contains("Cisco Catalyst 1000"), "the product is server-rendered");
    for path in [
        "/catalogue/no-such-product",
        "/catalogue/hp-elitedesk-800-g6-sff",
        "/catalogue/%C3%28",
    ] {
        let (status, html) = page(&app, path, "fr").await;
        assert_eq!(status, 404, "{path}");
        assert!(
            html.contains("Ce produit n&#x27;existe pas") || html.contains("Ce produit n'existe pas"),
            "{path}"
        );
    }
}

/// The catalogue in Dutch, filtered on Zoom, while every connection of the test database's
/// pool (5) is held until `dropped` renders have been dropped for missing their 300 ms
/// deadline, then for `then` more: the renders wait for a connection, not for Leptos.
async fn render_while_connections_are_held(dropped: u64, then: std::time::Duration) -> (TestApp, u16, String) {
    let app = spawn_app_with(&[("HTTP_WHOLE_PAGE_RENDER_MS", "300")])
        .await
        .with_demo()
        .await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(app.db().begin_read().await.expect("a connection"));
    }
    let release = async {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while app.whole_pages_rendered_again.load(Ordering::Relaxed) < dropped {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{dropped} renders were never dropped"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        tokio::time::sleep(then).await;
        for tx in held {
            tx.rollback().await.expect("give the connection back");
        }
    };
    let ((status, html), ()) = tokio::join!(page(&app, "/catalogue?partner=zoom", "nl-BE"), release);
    (app, status, html)
}

#[tokio::test]
async fn a_page_rendered_whole_that_misses_its_deadline_is_rendered_again() {
    let (app, status, html) = render_while_connections_are_held(1, std::time::Duration::ZERO).await;
    let zoom = listed(&app, |p| p["partner_id"] == "zoom").await;
    assert_eq!(status, 200, "{}", main_of(&html));
    assert_eq!(cards(&html), zoom, "the second render is whole");
    assert!(html.contains(r#"<html lang="nl""#), "and answers the same request");
    // The second render has its connections: it answers unless it misses the deadline too
    // (a slow machine, a stall), and then a third does.
    let dropped = app.whole_pages_rendered_again.load(Ordering::Relaxed);
    assert!(
        (1..server::whole_pages::RENDERS_PER_REQUEST as u64).contains(&dropped),
        "{dropped} dropped"
    );
}

#[tokio::test]
async fn the_last_render_a_request_may_have_is_waited_for() {
    // Connections held past two deadlines and then past a third: the first two renders are
    // dropped, the third (the last) is not, and answers once the connections are back.
    let last = server::whole_pages::RENDERS_PER_REQUEST as u64 - 1;
    let (app, status, html) = render_while_connections_are_held(last, std::time::Duration::from_millis(600)).await;
    let zoom = listed(&app, |p| p["partner_id"] == "zoom").await;
    assert_eq!(status, 200, "{}", main_of(&html));
    assert_eq!(cards(&html), zoom, "the last render is whole");
    assert_eq!(app.whole_pages_rendered_again.load(Ordering::Relaxed), last);
}

#[tokio::test]
async fn past_the_second_renders_allowed_at_once_a_slow_render_is_waited_for() {
    let app = spawn_app_with(&[("HTTP_WHOLE_PAGE_RENDER_MS", "300")])
        .await
        .with_demo()
        .await;
    let zoom = listed(&app, |p| p["partner_id"] == "zoom").await;
    // Every second render taken (an overloaded server), every connection held past the
    // deadline: the first render is not dropped, and answers once the connections come back.
    let permits = app
        .whole_page_second_renders
        .clone()
        .acquire_many_owned(server::whole_pages::SECOND_RENDERS_AT_ONCE as u32)
        .await
        .expect("the permits");
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(app.db().begin_read().await.expect("a connection"));
    }
    let release = async {
        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        for tx in held {
            tx.rollback().await.expect("give the connection back");
        }
    };
    let ((status, html), ()) = tokio::join!(page(&app, "/catalogue?partner=zoom", "fr"), release);
    assert_eq!(status, 200, "{}", main_of(&html));
    assert_eq!(cards(&html), zoom, "the first render, whole");
    assert_eq!(
        app.whole_pages_rendered_again.load(Ordering::Relaxed),
        0,
        "nothing rendered twice"
    );
    drop(permits);
}
