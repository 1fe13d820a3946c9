//! Defences that hold for every route, whatever the handler: cross-site requests are refused
//! (CSRF), and every response carries the security headers, pages with a Content Security
//! Policy whose nonce is new for each request.

use app::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::nonce::Nonce;

/// Refuses a state-changing request (anything but GET, HEAD and OPTIONS) that a browser sent
/// from another site: 403, and the handler never runs.
///
/// The browser says where a request comes from in `Sec-Fetch-Site`; only `same-origin` and
/// `none` (typed in, a bookmark) pass, so a sibling subdomain (`same-site`) is refused too.
/// Browsers without it send `Origin` on cross-origin POSTs, and the `Referer` is the last
/// resort. A request with none of the three is no browser's cross-site request (scripts,
/// the tests, partners' servers) and passes: cookies are what CSRF abuses, and only a browser
/// attaches them on its own. The partner API (`/api/v1/`) authenticates with a key in a
/// header, never a cookie, and is left out.
pub async fn refuse_cross_site(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || request.uri().path().starts_with("/api/v1/") {
        return next.run(request).await;
    }
    match cross_site_signal(request.headers(), &state.config.public_url) {
        None => next.run(request).await,
        Some(signal) => {
            tracing::warn!(
                path = request.uri().path(),
                %signal,
                "a cross-site request was refused"
            );
            (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
        }
    }
}

/// Which header showed the request to come from another site, if one did.
fn cross_site_signal(headers: &HeaderMap, public_url: &str) -> Option<&'static str> {
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.as_bytes() {
            b"same-origin" | b"none" => None,
            _ => Some("Sec-Fetch-Site"),
        };
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let ours = |url: &str| origin_of(url).is_some_and(|origin| is_our_origin(origin, public_url, host));
    if let Some(origin) = headers.get(header::ORIGIN) {
        return (!origin.to_str().is_ok_and(ours)).then_some("Origin");
    }
    if let Some(referer) = headers.get(header::REFERER) {
        return (!referer.to_str().is_ok_and(ours)).then_some("Referer");
    }
    None
}

/// `scheme://authority` of a URL, if it has one (`null` and relative URLs do not).
fn origin_of(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty() || rest.is_empty() {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&url[..scheme.len() + 3 + end])
}

/// The portal's own origin: its public URL's, or the host the request was sent to (an
/// instance reached by its own address, behind a proxy that keeps `Host`) with the public
/// URL's scheme: on a deployment served over HTTPS, an `http://` page on the same host is
/// another origin (a network attacker can write one) and is refused.
fn is_our_origin(origin: &str, public_url: &str, host: Option<&str>) -> bool {
    let origin = origin.to_ascii_lowercase();
    if origin_of(public_url).is_some_and(|ours| ours.eq_ignore_ascii_case(&origin)) {
        return true;
    }
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let our_scheme = public_url.split_once("://").map(|(scheme, _)| scheme);
    our_scheme.is_some_and(|ours| ours.eq_ignore_ascii_case(scheme))
        && host.is_some_and(|host| authority.eq_ignore_ascii_case(host))
}

/// Gives a page that needs someone its status from the caller before it renders: a staff
/// page (`/admin`, `/admin/…`) answers 401 to nobody and 403 to someone who is not staff; an
/// organisation's page ([`is_member_page`]) answers 401 to nobody. The page shows its refusal
/// either way; a streamed page cannot take its status from its data (see
/// `app::error::with_status`), so the status is decided here, the same every time.
pub async fn staff_pages_status(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path();
    let is_get = request.method() == Method::GET;
    let staff_page = is_get && (path == "/admin" || path.starts_with("/admin/"));
    let member_page = is_get && is_member_page(path);
    if !staff_page && !member_page {
        return next.run(request).await;
    }
    let refusal = match app::auth::session::user_from_headers(&state, request.headers()).await {
        Ok(None) => Some(StatusCode::UNAUTHORIZED),
        Ok(Some(user)) if staff_page && !user.is_staff() => Some(StatusCode::FORBIDDEN),
        _ => None,
    };
    let mut response = next.run(request).await;
    let is_page = is_html_page(&response);
    // A page that found nothing for this caller (404: a staff page rendered whole, such as an
    // order's) still says first who is refused.
    if let Some(status) = refusal
        && is_page
        && matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND)
    {
        *response.status_mut() = status;
    }
    response
}

/// Whether `response` is a server-rendered page (HTML), as opposed to data or a file.
pub fn is_html_page(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The pages only a logged-in person can use: the cart, "Mes demandes", "Mes dons", the
/// organisation's file and tokens, the person's own settings, an order's confirmation and its
/// invoice.
pub fn is_member_page(path: &str) -> bool {
    matches!(
        path,
        "/cart"
            | "/requests"
            | "/donations"
            | "/account"
            | "/account/tokens"
            | "/account/privacy"
            | "/account/settings"
    ) || ["/checkout/", "/invoices/", "/requests/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// The most a request body may hold on any route but the two uploads below. The largest form
/// a server function takes is staff's CSV import (at most 500 rows of a few hundred bytes,
/// form-encoded); every other form is a few kilobytes. Bodies are refused past this before
/// they are read, so parallel oversized posts cannot make the server hold them.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// `/documents`: a document may be 5 MiB; the multipart envelope needs a little more.
pub const DOCUMENT_BODY_LIMIT: usize = app::org::registration::MAX_DOCUMENT_BYTES + 64 * 1024;

/// `/admin/payments/import`: a camt.053 statement may be 10 MiB, plus its envelope.
pub const STATEMENT_BODY_LIMIT: usize = app::payment::camt::MAX_BYTES + 64 * 1024;

/// `/admin/import/migration`: the migration files, 12 MiB in all, plus their envelope.
pub const MIGRATION_BODY_LIMIT: usize = app::migration::api::MAX_UPLOAD_BYTES + 64 * 1024;

/// The body limit of the route at `path`.
pub fn body_limit_for(path: &str) -> usize {
    match path {
        "/documents" | "/change-requests" => DOCUMENT_BODY_LIMIT,
        "/admin/payments/import" => STATEMENT_BODY_LIMIT,
        "/admin/import/migration" => MIGRATION_BODY_LIMIT,
        // Staff's approval of a join request, with its supporting document.
        _ if path.starts_with("/admin/join-requests/") && path.ends_with("/approve") => DOCUMENT_BODY_LIMIT,
        _ => DEFAULT_BODY_LIMIT,
    }
}

fn too_large() -> Response {
    (StatusCode::PAYLOAD_TOO_LARGE, "the request is too large").into_response()
}

/// Holds every request body to its route's limit ([`body_limit_for`]) before anything reads
/// it: a declared `Content-Length` past the limit is answered 413 at once, unread, and a body
/// without one (chunked) ends in an error when it passes the limit, which whoever reads it
/// answers with 413.
pub async fn limit_request_bodies(request: Request<Body>, next: Next) -> Response {
    let limit = body_limit_for(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Refuses with 400, before any handler, a request that carries the character U+0000 in its
/// address or in a form or JSON body, raw or escaped (`%00`, `\u0000`). No form has a reason
/// to send it, and PostgreSQL cannot store it in text (SQLite can): found by the hostile-input
/// suite, where `token_id=%00` was a 500 on PostgreSQL only. File uploads (multipart) are
/// binary and pass, and so does the partner API (below). It reads at most the route's body
/// limit ([`limit_request_bodies`] holds the body to it already).
pub async fn refuse_nul_characters(request: Request<Body>, next: Next) -> Response {
    let refused = || (StatusCode::BAD_REQUEST, "the request contains a NUL character").into_response();
    // The partner API answers in its own documented JSON and checks its input's shape (a
    // token is 24 letters and digits) before any query: it is left to do so.
    if request.uri().path().starts_with("/api/v1/") {
        return next.run(request).await;
    }
    if carries_nul(request.uri().to_string().as_bytes()) {
        return refused();
    }
    let textual = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| !v.starts_with("multipart/"));
    if !textual || matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let limit = body_limit_for(request.uri().path());
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return too_large();
    };
    if carries_nul(&bytes) {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Whether these bytes hold U+0000: raw, URL-escaped or JSON-escaped.
fn carries_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes.windows(3).any(|w| w == b"%00")
        || bytes.windows(6).any(|w| w[..2] == *b"\\u" && w[2..] == *b"0000")
}

/// The Content Security Policy of a page. Scripts run only from the portal itself or inline
/// with this response's nonce (Leptos puts it on its hydration and streaming scripts);
/// `'wasm-unsafe-eval'` lets the browser compile the portal's WebAssembly and nothing else.
/// Styles come only from the portal's stylesheet: the pages have no inline style.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// How long a browser may keep a page (`Cache-Control`). A page asked for with a session
/// cookie (or the login's kept identifier) may show the person's data: it is never stored, so "back" after logging out, or the
/// next user of a shared computer, cannot bring it up from the cache. Other pages are stored
/// but checked again before each use, so a page is never shown in a language, or with a
/// catalogue, that has since changed. (Assets with hashed names are cached for a year: see
/// `assets`.)
pub fn page_cache_control(with_session: bool) -> &'static str {
    if with_session { "private, no-store" } else { "no-cache" }
}

/// Gives the request a fresh nonce (in its extensions, where the page renderer finds it) and
/// adds the security headers to its response: the page policy and the cache rule for HTML,
/// `nosniff`, no referrer to other sites, no framing, and HSTS when the portal is served over
/// TLS.
pub async fn security_headers(State(state): State<AppState>, mut request: Request<Body>, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    // A session, or the identifier a refused login keeps for the login page: either may put
    // a person's data in the page.
    let with_session = [
        app::auth::session::session_cookie_name(&state),
        app::auth::login_form::IDENTIFIER_COOKIE,
    ]
    .into_iter()
    .any(|name| app::request::cookie_in(request.headers(), name).is_some_and(|value| !value.is_empty()));
    let mut response = next.run(request).await;
    let is_page = is_html_page(&response);
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if is_page {
        set(header::CONTENT_SECURITY_POLICY, &page_policy(&nonce));
        set(header::CACHE_CONTROL, page_cache_control(with_session));
    }
    if app::auth::session::served_over_tls(&state) {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const OURS: &str = "https://dons.example.be";

    #[test]
    fn the_browser_word_decides_first() {
        for (site, refused) in [
            ("same-origin", false),
            ("none", false),
            ("same-site", true),
            ("cross-site", true),
            ("garbage", true),
        ] {
            let signal = cross_site_signal(&headers(&[("sec-fetch-site", site)]), OURS);
            assert_eq!(signal.is_some(), refused, "{site}");
        }
        // It wins over an Origin that would have passed, and over one that would not.
        let h = headers(&[("sec-fetch-site", "cross-site"), ("origin", OURS)]);
        assert_eq!(cross_site_signal(&h, OURS), Some("Sec-Fetch-Site"));
        let h = headers(&[("sec-fetch-site", "same-origin"), ("origin", "https://evil.example")]);
        assert_eq!(cross_site_signal(&h, OURS), None);
    }

    #[test]
    fn origin_then_referer_when_the_browser_is_older() {
        type Headers = &'static [(&'static str, &'static str)];
        let cases: [(Headers, Option<&str>); 9] = [
            (&[("origin", "https://dons.example.be")], None),
            (&[("origin", "HTTPS://DONS.EXAMPLE.BE")], None),
            (&[("origin", "https://evil.example")], Some("Origin")),
            (&[("origin", "https://dons.example.be.evil.example")], Some("Origin")),
            (&[("origin", "http://dons.example.be")], Some("Origin")),
            (&[("origin", "null")], Some("Origin")),
            (&[("referer", "https://dons.example.be/panier?x=1")], None),
            (&[("referer", "https://evil.example/dons.example.be")], Some("Referer")),
            (&[], None),
        ];
        for (pairs, expected) in cases {
            assert_eq!(cross_site_signal(&headers(pairs), OURS), expected, "{pairs:?}");
        }
        // An instance reached at its own address: the Host it was sent to is ours too, with
        // the public URL's scheme.
        let h = headers(&[("origin", "https://10.0.0.7:3000"), ("host", "10.0.0.7:3000")]);
        assert_eq!(cross_site_signal(&h, OURS), None);
        let h = headers(&[("origin", "https://10.0.0.8:3000"), ("host", "10.0.0.7:3000")]);
        assert_eq!(cross_site_signal(&h, OURS), Some("Origin"));
        // An http:// page on our own host, on a deployment served over HTTPS: another origin.
        let h = headers(&[("origin", "http://dons.example.be"), ("host", "dons.example.be")]);
        assert_eq!(cross_site_signal(&h, OURS), Some("Origin"));
        let h = headers(&[("referer", "http://dons.example.be/x"), ("host", "dons.example.be")]);
        assert_eq!(cross_site_signal(&h, OURS), Some("Referer"));
        let h = headers(&[("origin", "http://10.0.0.7:3000"), ("host", "10.0.0.7:3000")]);
        assert_eq!(cross_site_signal(&h, OURS), Some("Origin"));
        // On a plain-HTTP deployment (development), the same request is ours.
        assert_eq!(cross_site_signal(&h, "http://127.0.0.1:3000"), None);
    }

    #[test]
    fn origins_are_scheme_and_authority() {
        assert_eq!(
            origin_of("https://a.example:8443/x?y#z"),
            Some("https://a.example:8443")
        );
        assert_eq!(origin_of("https://a.example"), Some("https://a.example"));
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("/relative"), None);
        assert_eq!(origin_of("://x"), None);
    }

    #[test]
    fn nul_characters_are_found_raw_and_escaped() {
        for carrying in [
            &b"a\0b"[..],
            b"token_id=%00",
            b"x=%00%41",
            b"{\"t\":\"a\\u0000\"}",
            b"/catalogue/%00",
        ] {
            assert!(carries_nul(carrying), "{}", String::from_utf8_lossy(carrying));
        }
        for clean in [&b"token_id=%30%30"[..], b"x=100", b"{\"t\":\"\\u0041\"}", b"%0", b""] {
            assert!(!carries_nul(clean), "{}", String::from_utf8_lossy(clean));
        }
    }

    #[test]
    fn the_page_policy_names_the_nonce_and_closes_the_rest() {
        let policy = page_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
            assert!(policy.contains(directive), "{directive}");
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
    }
}
