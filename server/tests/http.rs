//! Black-box HTTP tests: the whole app on a random port over a fresh database
//! (SQLite or PostgreSQL, as `TEST_DATABASE_URL` selects).

use crate::common;

use app::order::model::OrderStatus;
use common::{CatalogueBuilder, OrgBuilder, ProductBuilder, spawn_app, spawn_app_with};

#[tokio::test]
async fn healthz_reports_the_database() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");

    app.db().close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
}

/// The site's files go out as the build wrote them: the brotli or gzip copy the browser
/// accepts, untouched by the on-the-fly compression, and cached for a year when their name
/// carries their content's hash.
#[tokio::test]
async fn site_files_are_sent_precompressed_and_hashed_names_cached_for_a_year() {
    let site = std::env::temp_dir().join(format!("portal-site-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let hashed = "portal.3hTnXb2kQ9nB1f0fZJ6gNw.wasm";
    // Distinct contents, so the body tells which copy was sent.
    let raw = vec![7u8; 50_000];
    std::fs::write(site.join("pkg").join(hashed), &raw).unwrap();
    std::fs::write(site.join("pkg").join(format!("{hashed}.br")), b"brotli copy").unwrap();
    std::fs::write(site.join("pkg").join(format!("{hashed}.gz")), b"gzip copy").unwrap();
    std::fs::write(site.join("favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let app = spawn_app_with(&[("LEPTOS_SITE_ROOT", site.to_str().unwrap())]).await;
    let fetch = |path: &'static str, encoding: &'static str| {
        let request = app.client.get(app.url(path)).header("accept-encoding", encoding);
        async move { request.send().await.unwrap() }
    };
    let header = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let path = "/pkg/portal.3hTnXb2kQ9nB1f0fZJ6gNw.wasm";
    for (accepted, encoding, body) in [
        ("br, gzip, deflate", "br", b"brotli copy".to_vec()),
        ("gzip, deflate", "gzip", b"gzip copy".to_vec()),
        ("identity", "", raw.clone()),
    ] {
        let response = fetch(path, accepted).await;
        assert_eq!(response.status(), 200, "{accepted}");
        assert_eq!(header(&response, "content-encoding"), encoding, "{accepted}");
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header(&response, "vary"), "accept-encoding");
        assert_eq!(
            header(&response, "content-length"),
            body.len().to_string(),
            "{accepted}"
        );
        assert_eq!(response.bytes().await.unwrap().to_vec(), body, "{accepted}");
    }
    // A name without a hash may change: kept, but revalidated.
    let response = fetch("/favicon.svg", "br").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    // A hashed name that does not exist is the 404 page, never cached for a year.
    let response = fetch("/pkg/portal.AAAAAAAAAAAAAAAAAAAAAA.wasm", "br").await;
    assert_eq!(response.status(), 404);
    assert_ne!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    std::fs::remove_dir_all(&site).unwrap();
}

#[tokio::test]
async fn home_page_is_french_by_default_and_follows_the_language_choice() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("lang=\"fr\""), "html lang: {html}");
    assert!(html.contains("Le programme en chiffres"));
    assert!(html.contains("/pkg/portal.js"), "hydration script missing");
    assert!(html.contains(r#"href="/pkg/portal.css""#), "stylesheet missing");
    // The programme's identity comes from the configuration (header and footer).
    assert!(
        html.contains("Dons technologiques ASBL"),
        "footer missing the programme's name"
    );
    assert!(html.contains("BE23 0015 1859 2691"), "footer missing the IBAN");

    // The language cookie set by the switch.
    let html = app
        .page_as(&common::Caller::default(), "/", &[("cookie", "i18n_pref_locale=en")])
        .await;
    assert!(html.contains("lang=\"en\""));
    assert!(html.contains("The programme in figures"));

    // A Dutch browser without a cookie.
    let html = app
        .client
        .get(app.url("/"))
        .header("accept-language", "nl-BE,nl;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Het programma in cijfers"));
}

#[tokio::test]
async fn unknown_routes_get_the_404_page() {
    let app = spawn_app().await;
    let response = app.get("/this/does/not/exist").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page introuvable"));
    assert!(html.contains("Retour à l&#x27;accueil") || html.contains("Retour à l'accueil"));
}

#[tokio::test]
async fn counters_are_computed_from_fulfilled_orders_only() {
    // Computed on every request, so the second call sees the orders inserted after the first.
    let app = spawn_app_with(&[("AGGREGATE_CACHE_SECONDS", "0")]).await;
    let db = app.db();

    let (status, empty) = app.call("home_counters", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(empty["organisations"], 0);
    assert_eq!(empty["saved"], 0);
    assert_eq!(empty["products_distributed"], 0);

    CatalogueBuilder::partner(db, "microsoft", 1).await;
    let office = ProductBuilder::new("microsoft", "office")
        .prices(4_500, 46_900)
        .insert(db)
        .await;
    let cal = ProductBuilder::new("microsoft", "cal")
        .prices(600, 5_900)
        .insert(db)
        .await;
    OrgBuilder::new(1)
        .with_order(OrderStatus::Fulfilled, &[(&office, 10), (&cal, 5)])
        .insert(db)
        .await;
    // Not fulfilled: counts as an organisation, not as savings or products.
    OrgBuilder::new(2)
        .with_order(OrderStatus::Paid, &[(&office, 7)])
        .insert(db)
        .await;
    OrgBuilder::new(3)
        .with_order(OrderStatus::Cancelled, &[(&cal, 3)])
        .insert(db)
        .await;

    let (status, counters) = app.call("home_counters", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(counters["organisations"], 3);
    assert_eq!(counters["saved"], (46_900 - 4_500) * 10 + (5_900 - 600) * 5);
    assert_eq!(counters["products_distributed"], 15);
}

/// The counters are kept for a cache period (aligned on the clock and shared by every
/// instance, see `units::cache`), then refreshed in the background: the old figures are
/// answered until the new ones are computed, then the new ones.
#[tokio::test]
async fn counters_are_kept_for_the_cache_time_then_refreshed_in_the_background() {
    let app = spawn_app_with(&[("AGGREGATE_CACHE_SECONDS", "1")]).await;
    let db = app.db();
    CatalogueBuilder::partner(db, "microsoft", 1).await;
    let office = ProductBuilder::new("microsoft", "office")
        .prices(4_500, 46_900)
        .insert(db)
        .await;
    let organisations = |v: serde_json::Value| v["organisations"].as_i64().unwrap();
    assert_eq!(organisations(app.call("home_counters", &[]).await.1), 0);

    OrgBuilder::new(1)
        .with_order(OrderStatus::Fulfilled, &[(&office, 2)])
        .insert(db)
        .await;
    // Within the period, or at the start of the next one while it is computed: the figures
    // computed first.
    assert_eq!(organisations(app.call("home_counters", &[]).await.1), 0);

    // Once a new period has begun and its figures are computed: the new ones.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let mut seen = 0;
    for _ in 0..50 {
        seen = organisations(app.call("home_counters", &[]).await.1);
        if seen == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(seen, 1);
    let (_, counters) = app.call("home_counters", &[]).await;
    assert_eq!(counters["saved"], (46_900 - 4_500) * 2);
}

#[tokio::test]
async fn catalogue_lists_active_products_by_partner_order_then_name() {
    let app = spawn_app().await;
    let db = app.db();
    CatalogueBuilder::partner(db, "adobe", 2).await;
    CatalogueBuilder::partner(db, "microsoft", 1).await;
    ProductBuilder::new("adobe", "acrobat").name("Acrobat").insert(db).await;
    ProductBuilder::new("microsoft", "word").name("Word").insert(db).await;
    ProductBuilder::new("microsoft", "excel").name("Excel").insert(db).await;
    ProductBuilder::new("microsoft", "old")
        .name("Access 2010")
        .inactive()
        .insert(db)
        .await;

    let (status, list) = app.call("list_catalogue", &[("language", "fr")]).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Excel", "Word", "Acrobat"]);
    assert_eq!(list[0]["admin_fee"], 1_000);
    assert_eq!(list[0]["kind"], "software_licence");
}

#[tokio::test]
async fn responses_are_compressed_and_carry_a_request_id() {
    let app = spawn_app().await;
    for encoding in ["br", "gzip"] {
        let response = app
            .client
            .get(app.url("/"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], encoding);
        assert!(response.headers().contains_key("x-request-id"));
    }
    // A request id sent by a proxy is kept.
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn an_unknown_server_function_is_a_client_error_not_a_500() {
    let app = spawn_app().await;
    let response = app.client.post(app.url("/api/no_such_function")).send().await.unwrap();
    assert!(response.status().is_client_error(), "{}", response.status());
}

/// Streaming SSR must finish every response. Leptos 0.8 has lost-wake-up races in
/// `<Suspense>` (leptos issues 4851, 4578, pull request 4698) where a response stops after
/// the shell and never ends; the CI once saw our home page hang that way, and this test,
/// without the server's watchdog, saw 1 to 3 of these 400 renders hang in 5 runs of 6. With
/// it, every response ends: complete, or cut after 8 s of silence with its whole shell.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_page_renders_all_complete() {
    use std::sync::Arc;
    use std::time::Duration;
    let app = Arc::new(spawn_app().await.with_demo().await);
    let holder = app.login("amis", "demo-dons-2026").await;
    let staff = app.login("staff", "demo-dons-2026").await;
    let visits: Vec<(common::Caller, &str)> = vec![
        (common::Caller::default(), "/"),
        (common::Caller::default(), "/catalogue"),
        (common::Caller::default(), "/login"),
        (holder.clone(), "/"),
        (holder.clone(), "/account"),
        (holder.clone(), "/account/tokens"),
        (holder.clone(), "/requests"),
        (holder, "/donations"),
        (staff.clone(), "/admin/reviews"),
        (staff, "/admin/orders"),
    ];
    let limit = Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..40 {
        for (caller, path) in &visits {
            let (app, caller, path, limit) = (Arc::clone(&app), caller.clone(), *path, Arc::clone(&limit));
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await.expect("semaphore");
                let language = ["fr", "nl-BE,nl;q=0.9", "en"][round % 3];
                let mut request = app.client.get(app.url(path)).header("accept-language", language);
                if let Some(cookie) = &caller.cookie {
                    request = request.header("cookie", cookie);
                }
                // Read the stream chunk by chunk, so a stalled answer shows where it stopped.
                let mut body = Vec::new();
                let visit = async {
                    let mut response = request.send().await.ok()?;
                    let status = response.status().as_u16();
                    while let Some(chunk) = response.chunk().await.ok()? {
                        body.extend_from_slice(&chunk);
                    }
                    Some(status)
                };
                let outcome = tokio::time::timeout(Duration::from_secs(15), visit).await;
                let body = String::from_utf8_lossy(&body);
                // A complete out-of-order stream ends with the list of chunks left incomplete;
                // one the watchdog cut has at least the whole shell.
                let complete = body.contains("__INCOMPLETE_CHUNKS=");
                let shell = body.contains("</html>");
                match outcome {
                    Ok(Some(200)) if complete => Ok(false),
                    Ok(Some(200)) if shell => {
                        eprintln!("{path}: ended by the watchdog, ends with {:?}", tail(&body));
                        Ok(true)
                    }
                    Ok(Some(status)) => Err(format!("{path}: {status}, ends with {:?}", tail(&body))),
                    Ok(None) => Err(format!("{path}: the request failed")),
                    // A page rendered whole before it is sent (the catalogue's) has no stream
                    // for the watchdog to end: a stalled render is rendered again after 8 s
                    // (counted below), and one that still has no answer is counted here.
                    Err(_) => {
                        eprintln!("{path}: stalled after {} bytes, at {:?}", body.len(), tail(&body));
                        Ok(true)
                    }
                }
            });
        }
    }
    let mut failures = Vec::new();
    let (mut done, mut cut) = (0, 0);
    while let Some(result) = tasks.join_next().await {
        done += 1;
        match result.expect("visit task") {
            Ok(was_cut) => cut += usize::from(was_cut),
            Err(failure) => failures.push(failure),
        }
    }
    assert_eq!(done, 400);
    assert!(
        failures.is_empty(),
        "{} of 400 renders failed: {failures:#?}",
        failures.len()
    );
    let rendered_again = app
        .whole_pages_rendered_again
        .load(std::sync::atomic::Ordering::Relaxed) as usize;
    let cut = cut + rendered_again;
    eprintln!(
        "400 renders: {} complete, {cut} stalled ({rendered_again} of them rendered again)",
        400 - cut
    );
    // Leptos 0.8 can lose a `<Suspense>` wake-up under load, in every rendering mode (SECURITY.md):
    // in this debug build, beside the other tests, 0 to 2 of 400 renders per run (2026-12-06);
    // in the release build 0 of 4,000 on each engine (`bench/renders.py`, budget 0). More than
    // 1 % here means something of ours made it worse.
    assert!(cut <= 4, "{cut} of 400 renders stalled");
}

fn tail(body: &str) -> &str {
    let start = body.char_indices().rev().nth(400).map_or(0, |(i, _)| i);
    &body[start..]
}
