//! The defences every route shares, over HTTP: cross-site requests refused before any handler
//! runs, the security headers and the page's CSP nonce, and the session's life (rotation,
//! idle and absolute timeouts, logout, rights changes, the `__Host-` cookie over TLS).

use crate::common;

use common::{Caller, DEMO_PASSWORD, TestApp, spawn_app, spawn_app_with};

/// A server function call as `caller` with extra request headers; returns the status.
async fn call_with(app: &TestApp, caller: &Caller, endpoint: &str, form: &str, headers: &[(&str, &str)]) -> u16 {
    let mut request = app
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(form.to_owned());
    if let Some(cookie) = &caller.cookie {
        request = request.header("cookie", cookie);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request").status().as_u16()
}

async fn cart_lines(app: &TestApp, holder: &Caller) -> usize {
    let (status, cart) = app.call_as(holder, "load_cart", &[]).await;
    assert_eq!(status, 200, "{cart}");
    cart.as_array().expect("cart lines").len()
}

#[tokio::test]
async fn requests_from_another_site_are_refused_and_change_nothing() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let add = "slug=office-ltsc-standard-2024&quantity=1";
    let before = cart_lines(&app, &holder).await;
    let foreign_origin = format!("https://evil.example/{}", app.addr);
    let refused: [&[(&str, &str)]; 5] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
        &[("referer", &foreign_origin)],
    ];
    for headers in refused {
        assert_eq!(
            call_with(&app, &holder, "add_to_cart", add, headers).await,
            403,
            "{headers:?}"
        );
        // A cross-site logout would be a nuisance: it is refused too, and the session lives.
        assert_eq!(
            call_with(&app, &holder, "logout", "", headers).await,
            403,
            "{headers:?}"
        );
    }
    assert_eq!(cart_lines(&app, &holder).await, before, "nothing was added");
    assert_eq!(app.call_as(&holder, "current_user", &[]).await.1["username"], "amis");

    // The portal's own pages: same-origin, or an Origin that is this server.
    let own_origin = format!("http://{}", app.addr);
    let accepted: [&[(&str, &str)]; 3] = [
        &[("sec-fetch-site", "same-origin")],
        &[("origin", &own_origin)],
        &[("referer", &format!("{own_origin}/catalogue"))],
    ];
    for headers in accepted {
        assert_eq!(
            call_with(&app, &holder, "add_to_cart", add, headers).await,
            200,
            "{headers:?}"
        );
    }
    assert_eq!(cart_lines(&app, &holder).await, before + 1);
}

#[tokio::test]
async fn an_http_origin_on_an_https_deployment_is_refused_even_on_our_host() {
    let app = spawn_app_with(&[("PUBLIC_URL", "https://dons.example.be")]).await;
    let nobody = Caller::default();
    // The request's Host is this server's address; only the scheme differs from the
    // deployment's: a page served over plain HTTP (which a network attacker can write).
    let plain = format!("http://{}", app.addr);
    for headers in [
        [("origin", plain.clone())],
        [("referer", format!("{plain}/login"))],
        [("origin", "http://dons.example.be".to_owned())],
    ] {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            call_with(&app, &nobody, "logout", "", &headers).await,
            403,
            "{headers:?}"
        );
    }
    // The deployment's own origin, and this host over the deployment's scheme, pass.
    for origin in ["https://dons.example.be".to_owned(), format!("https://{}", app.addr)] {
        let status = call_with(&app, &nobody, "logout", "", &[("origin", &origin)]).await;
        assert_ne!(status, 403, "{origin}");
    }
}

#[tokio::test]
async fn a_refused_page_answers_the_same_status_every_time() {
    let app = spawn_app().await.with_demo().await;
    let member = app.login("amis", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let nobody = Caller::default();
    let missing = "00000000-0000-0000-0000-000000000000";
    let cases = [
        // Staff pages: the status says who is refused.
        (&member, "/admin/orders".to_owned(), 403),
        (&member, "/admin/staff".to_owned(), 403),
        (&nobody, "/admin".to_owned(), 401),
        (&nobody, "/admin/audit".to_owned(), 401),
        (&staff, "/admin/orders".to_owned(), 200),
        // Staff pages served as islands, rendered whole: a missing order is a 404 for staff,
        // and still the refusal for anyone else.
        (&staff, format!("/admin/orders/{missing}"), 404),
        (&member, format!("/admin/orders/{missing}"), 403),
        (&nobody, format!("/admin/orders/{missing}"), 401),
        (&nobody, format!("/admin/organisations/{missing}"), 401),
        (&member, "/admin/changes".to_owned(), 403),
        (&member, "/admin/inquiries".to_owned(), 403),
        (&staff, "/admin/changes".to_owned(), 200),
        (&member, "/admin/payments".to_owned(), 403),
        (&nobody, format!("/admin/contact/{missing}"), 401),
        // The configuration pages, each one island too.
        (&member, "/admin/requalify".to_owned(), 403),
        (&nobody, "/admin/digest".to_owned(), 401),
        (&member, "/admin/join-requests".to_owned(), 403),
        (&nobody, "/admin/partner-clients".to_owned(), 401),
        (&member, "/admin/rules".to_owned(), 403),
        (&nobody, "/admin/catalogue".to_owned(), 401),
        (&staff, "/admin/requalify".to_owned(), 200),
        (&member, "/admin/help".to_owned(), 403),
        (&nobody, "/admin/legal".to_owned(), 401),
        (&member, "/admin/privacy".to_owned(), 403),
        (&nobody, "/admin/import".to_owned(), 401),
        (&member, format!("/admin/import/migration/{missing}"), 403),
        (&member, "/admin/catalogue/new".to_owned(), 403),
        // An organisation's pages: 401 to nobody.
        (&nobody, "/account".to_owned(), 401),
        (&nobody, "/cart".to_owned(), 401),
        (&nobody, "/requests".to_owned(), 401),
        (&nobody, format!("/invoices/{missing}"), 401),
        (&member, "/account".to_owned(), 200),
        // Other refusals (not found, not yours) show in a 200.
        (&member, format!("/requests/{missing}"), 200),
        (&member, format!("/invoices/{missing}"), 200),
    ];
    for (caller, path, want) in &cases {
        // Several at once: a streamed page's status depended on whether its data arrived
        // before its first bytes were sent.
        let answers = futures::future::join_all((0..12).map(|_| app.get_as(caller, path))).await;
        let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
        assert!(statuses.iter().all(|s| s == want), "{path}: {statuses:?}, want {want}");
    }
}

/// A server function's whole answer, asked for as the app's own calls ask (JSON).
async fn current_user(app: &TestApp) -> reqwest::Response {
    app.client
        .post(app.url("/api/current_user"))
        .header("accept", "application/json")
        .send()
        .await
        .expect("a call of current_user")
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_a_fresh_nonce_on_every_script() {
    let app = spawn_app().await.with_demo().await;
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let response = app.get("/catalogue").await;
        assert_eq!(response.status().as_u16(), 200);
        let headers = response.headers().clone();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "same-origin");
        assert_eq!(header("x-frame-options"), "DENY");
        assert!(
            header("strict-transport-security").is_empty(),
            "no HSTS over plain HTTP"
        );
        let policy = header("content-security-policy");
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "'wasm-unsafe-eval'",
        ] {
            assert!(policy.contains(directive), "{directive} in {policy}");
        }
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce in the policy")
            .to_owned();
        assert!(nonce.len() >= 22, "at least 128 bits: {nonce}");
        let html = response.text().await.unwrap();
        // leptos_i18n renders an empty `<script></script>` to keep one DOM shape in all its
        // modes; a browser never runs (nor checks) an empty inline script.
        let scripts = html.matches("<script").count() - html.matches("<script></script>").count();
        let tags: Vec<&str> = html
            .match_indices("<script")
            .map(|(i, _)| html.get(i..i + 60).unwrap_or(&html[i..]))
            .collect();
        assert!(scripts > 0, "the page hydrates with scripts");
        assert_eq!(
            html.matches(&format!("<script nonce=\"{nonce}\"")).count()
                + html
                    .matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
                    .count(),
            scripts,
            "every script carries this response's nonce: {tags:?}"
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a new nonce for each response");

    // Server functions and files get the headers too, without a page policy.
    let response = current_user(&app).await;
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers().get("content-security-policy").is_none());
}

#[tokio::test]
async fn pages_seen_with_a_session_are_never_stored_and_the_others_are_checked_again() {
    let app = spawn_app().await.with_demo().await;
    let cache = |response: &reqwest::Response| {
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    // Anonymous: the same page for everyone, stored but revalidated (a language or a
    // catalogue that changed is never shown from the cache).
    for path in ["/", "/catalogue", "/login", "/contact", "/nulle-part"] {
        let response = app.get(path).await;
        assert_eq!(cache(&response), "no-cache", "{path}");
    }
    // With a session, every page, public ones too (their header names the person): never
    // stored, so "back" after logging out brings nothing private back from the cache.
    let member = app.login("amis", DEMO_PASSWORD).await;
    for path in ["/account", "/cart", "/requests", "/catalogue", "/"] {
        let response = app.get_as(&member, path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(cache(&response), "private, no-store", "{path}");
    }
    // Data answers get no page rule.
    assert_eq!(cache(&current_user(&app).await), "", "no page rule on a data answer");
}

/// The hash the database keeps for a `portal_session=…` cookie.
fn session_id(caller: &Caller) -> String {
    let token = caller
        .cookie
        .as_deref()
        .and_then(|cookie| cookie.split_once('='))
        .expect("a session cookie")
        .1;
    app::auth::session::hash_token(token)
}

async fn set_session_time(app: &TestApp, caller: &Caller, column: &str, at: chrono::DateTime<chrono::Utc>) {
    let sql = format!("update session set {column} = $2 where session_id = $1");
    let changed = app::on_pool!(app.db(), |pool| sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(session_id(caller))
        .bind(at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
    .expect("update the session");
    assert_eq!(changed, 1);
}

async fn who(app: &TestApp, caller: &Caller) -> serde_json::Value {
    app.call_as(caller, "current_user", &[]).await.1["username"].clone()
}

#[tokio::test]
async fn sessions_rotate_at_login_and_end_when_idle_expired_or_logged_out() {
    let app = spawn_app().await.with_demo().await;
    let now = chrono::Utc::now();

    // A new login brings a new id, and the id the browser brought ends.
    let first = app.login("amis", DEMO_PASSWORD).await;
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", first.cookie.clone().unwrap())
        .body(format!("identifier=amis&password={DEMO_PASSWORD}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    let second = Caller {
        cookie: Some(set_cookie.split(';').next().unwrap().to_owned()),
    };
    assert_ne!(second.cookie, first.cookie);
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(flag), "{flag} in {set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "not Secure over plain HTTP: {set_cookie}"
    );
    assert_eq!(who(&app, &first).await, serde_json::Value::Null, "the old id is dead");
    assert_eq!(who(&app, &second).await, "amis");

    // Used 59 minutes ago: alive, and its use is recorded.
    set_session_time(&app, &second, "last_seen_at", now - chrono::Duration::minutes(59)).await;
    assert_eq!(who(&app, &second).await, "amis");
    let seen: chrono::DateTime<chrono::Utc> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select last_seen_at from session where session_id = $1"
    )
    .bind(session_id(&second))
    .fetch_one(pool)
    .await)
    .unwrap();
    assert!(seen >= now, "last use moved to now: {seen}");
    // Unused for 61 minutes: ended.
    set_session_time(&app, &second, "last_seen_at", now - chrono::Duration::minutes(61)).await;
    assert_eq!(who(&app, &second).await, serde_json::Value::Null);
    assert_eq!(app.call_as(&second, "my_organisation", &[]).await.0, 401);

    // Active, but past its absolute end.
    let third = app.login("amis", DEMO_PASSWORD).await;
    set_session_time(&app, &third, "expires_at", now - chrono::Duration::seconds(1)).await;
    assert_eq!(who(&app, &third).await, serde_json::Value::Null);

    // Logout ends the session on the server: replaying the cookie gets nothing.
    let fourth = app.login("amis", DEMO_PASSWORD).await;
    assert_eq!(app.call_as(&fourth, "logout", &[]).await.0, 200);
    assert_eq!(who(&app, &fourth).await, serde_json::Value::Null);
    let left: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select count(*) from session where session_id = $1"
    )
    .bind(session_id(&fourth))
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_change_of_rights_ends_the_sessions_of_the_people_concerned() {
    let app = spawn_app().await.with_demo().await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let agent_id: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select person_id from person where username = 'agent'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let (status, body) = app
        .call_as(&admin, "set_staff_role", &[("person_id", &agent_id), ("role", "admin")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        who(&app, &agent).await,
        serde_json::Value::Null,
        "promoted: log in again"
    );
    assert_eq!(who(&app, &admin).await, "staff", "the admin who did it stays logged in");
    let again = app.login("agent", DEMO_PASSWORD).await;
    assert_eq!(app.call_as(&again, "current_user", &[]).await.1["staff_role"], "admin");
}

#[tokio::test]
async fn over_tls_the_cookie_is_host_prefixed_and_secure_and_hsts_is_sent() {
    let app = spawn_app_with(&[("PUBLIC_URL", "https://dons.example.be")])
        .await
        .with_demo()
        .await;
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(format!("identifier=amis&password={DEMO_PASSWORD}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with("__Host-portal_session="), "{set_cookie}");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(flag), "{flag} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    // The prefixed cookie is the one read; the plain name means nothing here.
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let holder = Caller {
        cookie: Some(cookie.clone()),
    };
    assert_eq!(who(&app, &holder).await, "amis");
    let plain = Caller {
        cookie: Some(cookie.trim_start_matches("__Host-").to_owned()),
    };
    assert_eq!(who(&app, &plain).await, serde_json::Value::Null);
}

/// A valid Belgian enterprise number for `seq` (mod-97 check digits).
fn enterprise_number(seq: u32) -> String {
    let base = 2_000_000 + seq;
    let digits = format!("0{base:07}{:02}", 97 - base % 97);
    format!("{}.{}.{}", &digits[..4], &digits[4..7], &digits[7..])
}

/// A public form posted with extra headers: status and `Retry-After`.
async fn post_public(
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> (u16, Option<u64>) {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", common::urlencode(k), common::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut request = app
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (response.status().as_u16(), retry_after)
}

async fn inquiries(app: &TestApp) -> i64 {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from registration_inquiry"
    )
    .fetch_one(pool)
    .await)
    .expect("count inquiries")
}

fn inquiry(number: &str) -> [(&'static str, String); 4] {
    [
        ("organisation_name", "Les Amis du Parc".to_owned()),
        ("enterprise_number", number.to_owned()),
        ("address", "Rue du Parc 1, 1000 Bruxelles".to_owned()),
        ("reply_email", "curieux@example.org".to_owned()),
    ]
}

fn refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn public_forms_are_limited_per_client_address_and_a_forged_header_does_not_help() {
    // The default source: the TCP peer. Headers a client writes itself are not believed.
    let app = spawn_app_with(&[("PUBLIC_FORMS_PER_HOUR", "3")]).await;
    for seq in 0..3 {
        let form = inquiry(&enterprise_number(seq));
        assert_eq!(post_public(&app, "ask_if_registered", &refs(&form), &[]).await.0, 200);
    }
    let form = inquiry(&enterprise_number(3));
    let (status, retry_after) = post_public(&app, "ask_if_registered", &refs(&form), &[]).await;
    assert_eq!(status, 429);
    let wait = retry_after.expect("Retry-After on a 429");
    assert!(
        (3_500..=3_600).contains(&wait),
        "Retry-After {wait}: the oldest call leaves the hour"
    );
    let forged = [("x-forwarded-for", "203.0.113.7"), ("x-real-ip", "203.0.113.8")];
    assert_eq!(
        post_public(&app, "ask_if_registered", &refs(&form), &forged).await.0,
        429
    );
    assert_eq!(inquiries(&app).await, 3, "a refused question is not stored");

    // Registration has its own count; a refused one creates nothing.
    let first = crate::accounts::registration(&enterprise_number(10), "anne@parc.example.org");
    assert_eq!(
        post_public(&app, "register", &crate::accounts::as_refs(&first), &[])
            .await
            .0,
        200
    );
    for seq in 11..13 {
        let form = crate::accounts::registration(&enterprise_number(seq), &format!("p{seq}@parc.example.org"));
        assert_eq!(
            post_public(&app, "register", &crate::accounts::as_refs(&form), &[])
                .await
                .0,
            200
        );
    }
    let late = crate::accounts::registration(&enterprise_number(13), "late@parc.example.org");
    let (status, retry_after) = post_public(&app, "register", &crate::accounts::as_refs(&late), &forged).await;
    assert_eq!((status, retry_after.is_some()), (429, true));
    assert!(
        app.mail_to("late@parc.example.org").await.is_empty(),
        "a refused registration sends nothing"
    );
    assert_eq!(app.mail_to("anne@parc.example.org").await.len(), 1);
    // An invalid form is answered (422) before the count is looked at: a typo is told as such.
    let mut typo = crate::accounts::registration(&enterprise_number(14), "typo@parc.example.org");
    typo[5].1 = "10".into(); // postal code
    assert_eq!(
        post_public(&app, "register", &crate::accounts::as_refs(&typo), &[])
            .await
            .0,
        422
    );
}

#[tokio::test]
async fn behind_a_load_balancer_the_header_it_sets_names_the_client() {
    let app = spawn_app_with(&[
        ("PUBLIC_FORMS_PER_HOUR", "2"),
        ("CLIENT_IP_SOURCE", "RightmostXForwardedFor"),
    ])
    .await;
    let form = inquiry(&enterprise_number(20));
    let first = [("x-forwarded-for", "198.51.100.1")];
    for _ in 0..2 {
        assert_eq!(
            post_public(&app, "ask_if_registered", &refs(&form), &first).await.0,
            200
        );
    }
    assert_eq!(
        post_public(&app, "ask_if_registered", &refs(&form), &first).await.0,
        429
    );
    // The balancer appends the address it saw: an address the client put in front of it
    // does not make a new client.
    let prefixed = [("x-forwarded-for", "192.0.2.99, 198.51.100.1")];
    assert_eq!(
        post_public(&app, "ask_if_registered", &refs(&form), &prefixed).await.0,
        429
    );
    // Another client behind the same balancer has its own count.
    let second = [("x-forwarded-for", "198.51.100.2")];
    assert_eq!(
        post_public(&app, "ask_if_registered", &refs(&form), &second).await.0,
        200
    );
    assert_eq!(inquiries(&app).await, 3);
}

/// No state change on GET: every server function registered for POST, called with GET and
/// plausible arguments in the query string by a holder and by an admin, is refused, and no
/// table changes. (A link or an image on another site makes such GETs with the cookie.)
#[tokio::test]
async fn no_server_function_changes_anything_when_called_with_get() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let before = crate::hostile::counts(&app).await;
    let query = "slug=office-ltsc-standard-2024&quantity=1&language=nl&lines[0][slug]=dell-latitude-5420\
                 &lines[0][quantity]=1&idempotency_key=get-is-not-a-checkout-01";
    let posts: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(_, method)| *method == axum::http::Method::POST)
        .map(|(path, _)| path.to_owned())
        .collect();
    assert!(posts.len() >= 60, "{} server functions", posts.len());
    for caller in [&holder, &admin] {
        for path in &posts {
            let status = app.get_as(caller, &format!("{path}?{query}")).await.status();
            // Not a 422 either: that would mean the function ran and judged the arguments.
            assert!(
                matches!(status.as_u16(), 400 | 404 | 405),
                "GET {path} answered {status}: only POST may reach it"
            );
        }
    }
    assert_eq!(crate::hostile::counts(&app).await, before, "no table changed");
    // GET /api/logout ended nothing either.
    assert_eq!(app.call_as(&holder, "current_user", &[]).await.1["username"], "amis");
    assert_eq!(app.call_as(&admin, "current_user", &[]).await.1["username"], "staff");
}
