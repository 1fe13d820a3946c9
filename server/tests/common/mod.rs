//! Test harness shared by the HTTP and database tests: a fresh database per test on the
//! backend selected by `TEST_DATABASE_URL`, the whole app on port 0, request helpers and
//! builders for test data.

use app::catalog::db::{NewProduct, insert_partner, insert_product};
use app::catalog::model::{LocalizedText, ProductKind};
use app::config::Config;
use app::db::{Db, now};
use app::money::Money;
use app::order::db::{NewOrder, insert_order, insert_order_line};
use app::order::model::{OrderCategory, OrderStatus};
use app::org::db::{NewOrganisation, insert_organisation};
use app::org::model::{Country, EligibilityStatus, LegalForm};
use app::org::rules::EnterpriseNumber;
use app::testing::TestDb;
use std::collections::HashMap;
use std::net::SocketAddr;

/// A running app on a random local port with its own database.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub test_db: TestDb,
    /// What the server's requests notify once they have queued mail; a test's outbox worker
    /// waits on it ([`app::mail::wake`]).
    pub outbox_wake: std::sync::Arc<tokio::sync::Notify>,
    /// How many pages rendered whole the server rendered a second time (`AppState`'s).
    pub whole_pages_rendered_again: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The permits for those second renders (`AppState`'s).
    pub whole_page_second_renders: std::sync::Arc<tokio::sync::Semaphore>,
    /// The public pages kept rendered (`AppState::pages`).
    pub pages: std::sync::Arc<app::page_cache::PageCache>,
    server: tokio::task::JoinHandle<()>,
}

/// Configuration for tests: defaults plus the given variables.
pub fn test_config(database_url: &str, vars: &[(&str, &str)]) -> Config {
    let mut map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    map.insert("DATABASE_URL".into(), database_url.into());
    map.entry("LEPTOS_SITE_ADDR".into())
        .or_insert_with(|| "127.0.0.1:0".into());
    Config::from_lookup(|name| map.get(name).cloned()).expect("valid test configuration")
}

/// Starts the app on port 0 over a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// [`spawn_app`] with these configuration variables set.
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let test_db = TestDb::new().await;
    let config = test_config(&test_db.url, vars);
    let limits = config.http.clone();
    let state = server::app_state(config, test_db.db.clone());
    let outbox_wake = state.outbox_wake.clone();
    let whole_pages_rendered_again = state.whole_pages_rendered_again.clone();
    let whole_page_second_renders = state.whole_page_second_renders.clone();
    let pages = state.pages.clone();
    let (addr, server) = serve_on_a_free_port(state, limits).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // A request that never answers fails its test after a minute instead of holding the
        // whole run (and CI) until it is killed.
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("HTTP client");
    TestApp {
        addr,
        client,
        test_db,
        outbox_wake,
        whole_pages_rendered_again,
        whole_page_second_renders,
        pages,
        server,
    }
}

/// Serves the app for `state` on a free local port, through the production accept loop (its
/// timeouts and connection caps).
async fn serve_on_a_free_port(
    state: app::state::AppState,
    limits: app::config::HttpLimits,
) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    let router = server::router(state);
    let server = tokio::spawn(async move {
        server::serve::serve(listener, router, limits, std::future::pending())
            .await
            .expect("test server");
    });
    (addr, server)
}

impl TestApp {
    /// Another instance of the app over this one's database, with these configuration
    /// variables (as several instances share one PostgreSQL): its address. It stops with the
    /// test's runtime.
    pub async fn another_instance(&self, vars: &[(&str, &str)]) -> SocketAddr {
        let config = test_config(&self.test_db.url, vars);
        let limits = config.http.clone();
        serve_on_a_free_port(server::app_state(config, self.db().clone()), limits)
            .await
            .0
    }

    /// The public pages kept rendered and their bytes.
    pub fn page_cache_size(&self) -> (usize, usize) {
        self.pages.size()
    }

    pub fn db(&self) -> &Db {
        &self.test_db.db
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET request")
    }

    /// Calls a server function (POST, form-encoded arguments) and returns status and JSON body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let response = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(serde_urlencoded(form))
            .send()
            .await
            .expect("server function request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("response body");
        let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, json)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The session cookie a response sets (the whole `Set-Cookie` value, with its attributes).
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session=") || v.starts_with("__Host-portal_session="))
        .map(str::to_owned)
}

/// The pending second step's cookie name (over plain HTTP, as the tests run).
pub const MFA_COOKIE_PREFIX: &str = "portal_mfa=";

/// `name=value` of the first non-empty cookie a response sets whose name starts `prefix`.
pub fn set_cookie_named(response: &reqwest::Response, prefix: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|v| v.starts_with(prefix) && v.len() > prefix.len())
}

/// `name=value` of the session a response starts, if it starts one (not the emptied cookie
/// of a session that ended).
pub fn live_session_cookie(response: &reqwest::Response) -> Option<String> {
    set_cookie_named(response, "portal_session=").or_else(|| set_cookie_named(response, "__Host-portal_session="))
}

fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but the unreserved characters (form values, field names).
/// The one island called `name` (an `#[island]` component) on a page: its opening tag, whose
/// `data-props` attribute holds the island's props as HTML-escaped JSON, and the page from the
/// end of that tag on (what the server rendered inside it, then the rest). Fails the test
/// unless the page holds exactly one such island.
pub fn only_island<'a>(html: &'a str, name: &str) -> (&'a str, &'a str) {
    let tag = format!("<leptos-island data-component=\"{name}_");
    assert_eq!(html.matches(&tag).count(), 1, "one island {name} on the page: {html}");
    let at = html.find(&tag).unwrap_or_default();
    let end = at + html[at..].find('>').unwrap_or_default();
    (&html[at..end], &html[end..])
}

/// The names of the islands on a page, in the page's order.
pub fn island_names(html: &str) -> Vec<&str> {
    const TAG: &str = "<leptos-island data-component=\"";
    html.match_indices(TAG)
        .map(|(at, _)| html[at + TAG.len()..].split('_').next().unwrap_or_default())
        .collect()
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Makes partners and products.
pub struct CatalogueBuilder;

impl CatalogueBuilder {
    pub async fn partner(db: &Db, id: &str, sort_order: i32) {
        let mut tx = db.begin().await.expect("begin");
        insert_partner(&mut tx, id, &id.to_uppercase(), sort_order, now())
            .await
            .expect("insert partner");
        tx.commit().await.expect("commit");
    }
}

/// A product with sensible defaults; change what the test is about.
pub struct ProductBuilder {
    pub slug: String,
    pub partner_id: String,
    pub name: String,
    pub kind: ProductKind,
    pub fee_cents: i64,
    pub value_cents: i64,
    pub active: bool,
}

impl ProductBuilder {
    pub fn new(partner_id: &str, slug: &str) -> Self {
        ProductBuilder {
            slug: slug.into(),
            partner_id: partner_id.into(),
            name: format!("Product {slug}"),
            kind: ProductKind::SoftwareLicence,
            fee_cents: 1_000,
            value_cents: 10_000,
            active: true,
        }
    }

    pub fn name(mut self, name: &str) -> Self {
        self.name = name.into();
        self
    }

    pub fn prices(mut self, fee_cents: i64, value_cents: i64) -> Self {
        self.fee_cents = fee_cents;
        self.value_cents = value_cents;
        self
    }

    pub fn inactive(mut self) -> Self {
        self.active = false;
        self
    }

    /// Inserts the product and returns its id.
    pub async fn insert(self, db: &Db) -> String {
        let description = LocalizedText {
            fr: "fr".into(),
            nl: "nl".into(),
            en: "en".into(),
        };
        let mut tx = db.begin().await.expect("begin");
        let id = insert_product(
            &mut tx,
            &NewProduct {
                slug: &self.slug,
                partner_id: &self.partner_id,
                kind: self.kind,
                product_family_id: None,
                licence_type: None,
                software_assurance: false,
                name: &self.name,
                description: &description,
                admin_fee: Money::from_cents(self.fee_cents),
                commercial_value: Money::from_cents(self.value_cents),
                active: self.active,
            },
            now(),
        )
        .await
        .expect("insert product");
        tx.commit().await.expect("commit");
        id
    }
}

/// An organisation, optionally with one order.
pub struct OrgBuilder {
    legal_name: String,
    enterprise_number: String,
    order: Option<(OrderStatus, Vec<(String, i32)>)>,
}

impl OrgBuilder {
    /// `seq` makes the enterprise number unique within a test (any valid mod-97 number).
    pub fn new(seq: u32) -> Self {
        let base = 4_000_000 + seq;
        let number = format!("0{base:07}{:02}", 97 - base % 97);
        OrgBuilder {
            legal_name: format!("Organisation {seq}"),
            enterprise_number: number,
            order: None,
        }
    }

    pub fn with_order(mut self, status: OrderStatus, lines: &[(&str, i32)]) -> Self {
        self.order = Some((status, lines.iter().map(|(p, q)| (p.to_string(), *q)).collect()));
        self
    }

    /// Inserts everything; returns the organisation id.
    pub async fn insert(self, db: &Db) -> String {
        let number = EnterpriseNumber::parse(Country::BE, &self.enterprise_number).expect("valid test number");
        let mut tx = db.begin().await.expect("begin");
        let t = now();
        let org_id = insert_organisation(
            &mut tx,
            &NewOrganisation {
                legal_name: &self.legal_name,
                legal_form: LegalForm::Asbl,
                enterprise_number: &number,
                street: "Rue de Test 1",
                postal_code: "1000",
                city: "Bruxelles",
                contact_email: "test@example.org",
                mission_category: "social",
                eligibility_status: EligibilityStatus::Eligible,
                submitted_at: Some(now()),
                language: "fr",
                vat_status: app::order::invoice::VatStatus::None,
                vat_number: None,
            },
            t,
        )
        .await
        .expect("insert organisation");
        if let Some((status, lines)) = self.order {
            let reference = format!("T-{}", app::db::new_id());
            let order_id = insert_order(
                &mut tx,
                &NewOrder {
                    reference: &reference,
                    organisation_id: &org_id,
                    category: OrderCategory::Software,
                    status,
                    submitted_at: t,
                    validated_at: Some(t),
                },
                t,
            )
            .await
            .expect("insert order");
            for (product_id, quantity) in lines {
                insert_order_line(&mut tx, &order_id, &product_id, quantity, None, t)
                    .await
                    .expect("insert line");
            }
        }
        tx.commit().await.expect("commit");
        org_id
    }
}

/// The demo data's password for every demo login.
pub const DEMO_PASSWORD: &str = "demo-dons-2026";

/// A fresh database holding the demo data, for a server binary started by a test.
pub async fn demo_database() -> TestDb {
    let test_db = TestDb::new().await;
    app::demo::load_if_empty(&test_db.db, now())
        .await
        .expect("demo data")
        .expect("an empty database");
    test_db
}

/// A port that was free a moment ago, for a server binary started by a test.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Who calls: a session cookie, or nobody.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub cookie: Option<String>,
}

impl TestApp {
    /// Loads the demo data (staff, five organisations with their people).
    pub async fn with_demo(self) -> Self {
        app::demo::load_if_empty(self.db(), now())
            .await
            .expect("demo data")
            .expect("empty database");
        self
    }

    /// Logs in and returns the caller holding the session cookie. An account with a second
    /// factor (every staff account) answers the code step as its person would: with the code
    /// their app shows, computed here from the secret it holds; a staff member not enrolled
    /// yet enrols first, as at their first login.
    pub async fn login(&self, identifier: &str, password: &str) -> Caller {
        let (status, body, caller) = self.login_step(identifier, password).await;
        assert_eq!(status, 200, "login of {identifier} should succeed: {body}");
        if caller
            .cookie
            .as_deref()
            .is_some_and(|c| c.starts_with(MFA_COOKIE_PREFIX))
        {
            return match body["mfa"].as_str() {
                Some("verify") => self.verify_mfa(&caller, identifier).await,
                Some("enrol") => self.enrol_mfa(&caller).await.0,
                other => panic!("unknown second step {other:?}"),
            };
        }
        assert!(caller.cookie.is_some(), "a session cookie for {identifier}");
        caller
    }

    /// The password step alone: status, JSON body, and the session (or, when a second step
    /// follows, the pending state's cookie) it set.
    pub async fn login_step(&self, identifier: &str, password: &str) -> (u16, serde_json::Value, Caller) {
        let response = self
            .client
            .post(self.url("/api/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(serde_urlencoded(&[("identifier", identifier), ("password", password)]))
            .send()
            .await
            .expect("login request");
        let status = response.status().as_u16();
        let cookie = live_session_cookie(&response).or_else(|| set_cookie_named(&response, MFA_COOKIE_PREFIX));
        let text = response.text().await.expect("response body");
        let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, json, Caller { cookie })
    }

    /// The TOTP secret a person's app holds (their enrolled, or enrolling, second factor).
    pub async fn mfa_secret(&self, identifier: &str) -> String {
        app::on_pool!(self.db(), |pool| sqlx::query_scalar::<_, String>(
            "select m.secret from person_mfa m join person p on p.person_id = m.person_id \
             where lower(p.username) = lower($1) or lower(p.email) = lower($1)"
        )
        .bind(identifier)
        .fetch_one(pool)
        .await)
        .expect("an enrolled second factor")
    }

    /// A code the server has not accepted yet for `identifier`, as their app would show it
    /// now (waiting for the next step when the codes within the drift were all used).
    pub async fn fresh_code(&self, identifier: &str) -> String {
        let secret = self.mfa_secret(identifier).await;
        loop {
            let last: i64 = app::on_pool!(self.db(), |pool| sqlx::query_scalar(
                "select m.last_step from person_mfa m join person p on p.person_id = m.person_id \
                 where lower(p.username) = lower($1) or lower(p.email) = lower($1)"
            )
            .bind(identifier)
            .fetch_one(pool)
            .await)
            .expect("the last step used");
            let now = chrono::Utc::now().timestamp();
            // The current step or the next, never the one before: it could leave the window
            // while the request travels.
            let current = app::auth::mfa::rules::time_step(now);
            if let Some(step) = app::auth::mfa::rules::acceptable_steps(now, last)
                .into_iter()
                .find(|step| *step >= current)
            {
                return app::auth::mfa::code_for_step(&secret, step).expect("a code");
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    }

    /// The code step of a pending login, with a fresh code: the logged-in caller.
    pub async fn verify_mfa(&self, pending: &Caller, identifier: &str) -> Caller {
        let code = self.fresh_code(identifier).await;
        let (status, body, caller) = self.call_for_session(pending, "verify_mfa", &[("code", &code)]).await;
        assert_eq!(status, 200, "the code of {identifier}: {body}");
        assert!(caller.cookie.is_some(), "a session after the code");
        caller
    }

    /// Enrolment at a first login: reads the secret as the page shows it, confirms with its
    /// code; the logged-in caller and the recovery codes.
    pub async fn enrol_mfa(&self, pending: &Caller) -> (Caller, Vec<String>) {
        let (status, enrolment) = self.call_as(pending, "begin_mfa_enrolment", &[]).await;
        assert_eq!(status, 200, "enrolment: {enrolment}");
        let secret = enrolment["secret"].as_str().expect("a secret").to_owned();
        let step = app::auth::mfa::rules::time_step(chrono::Utc::now().timestamp());
        let code = app::auth::mfa::code_for_step(&secret, step).expect("a code");
        let (status, body, caller) = self
            .call_for_session(pending, "confirm_mfa_enrolment", &[("code", &code)])
            .await;
        assert_eq!(status, 200, "confirmation: {body}");
        let codes = body["recovery_codes"]
            .as_array()
            .expect("recovery codes")
            .iter()
            .map(|c| c.as_str().unwrap_or_default().to_owned())
            .collect();
        (caller, codes)
    }

    /// Calls a server function that may start a session: status, body, and that session.
    pub async fn call_for_session(
        &self,
        caller: &Caller,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (u16, serde_json::Value, Caller) {
        let mut request = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(serde_urlencoded(form));
        if let Some(cookie) = &caller.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("server function request");
        let status = response.status().as_u16();
        let cookie = live_session_cookie(&response);
        let text = response.text().await.expect("response body");
        let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, json, Caller { cookie })
    }

    /// Registers an organisation through both steps, as a person does: the public form, then
    /// the link mailed to the holder (`form[holder_email]`). Returns the holder's session.
    pub async fn register(&self, form: &[(&str, &str)]) -> Caller {
        let holder_email = form
            .iter()
            .find(|(field, _)| *field == "form[holder_email]")
            .map(|(_, value)| value.trim().to_lowercase())
            .expect("a holder e-mail in the form");
        let (status, body) = self.call("register", form).await;
        assert_eq!(status, 200, "registration form: {body}");
        let token = self
            .registration_token(&holder_email)
            .await
            .expect("a registration link mailed to the holder");
        let (status, body, holder) = self.confirm_registration(&token).await;
        assert_eq!(status, 200, "registration link: {body}");
        assert!(holder.cookie.is_some(), "the link logs the holder in");
        holder
    }

    /// The token of the newest registration link mailed to `holder_email`, if any.
    pub async fn registration_token(&self, holder_email: &str) -> Option<String> {
        self.mail_to(holder_email).await.iter().rev().find_map(|(_, body)| {
            body.split("/register/confirm?token=")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned)
        })
    }

    /// Opens a registration link (step 2): status, JSON body, and the session it started.
    pub async fn confirm_registration(&self, token: &str) -> (u16, serde_json::Value, Caller) {
        let response = self
            .client
            .post(self.url("/api/confirm_registration"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(serde_urlencoded(&[("token", token)]))
            .send()
            .await
            .expect("confirm request");
        let status = response.status().as_u16();
        let cookie = session_cookie(&response).map(|v| v.split(';').next().unwrap_or_default().to_owned());
        let text = response.text().await.expect("response body");
        let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, json, Caller { cookie })
    }

    /// Calls a server function as `caller`.
    pub async fn call_as(&self, caller: &Caller, endpoint: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let mut request = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(serde_urlencoded(form));
        if let Some(cookie) = &caller.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("server function request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("response body");
        let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, json)
    }

    /// A GET as `caller`.
    pub async fn get_as(&self, caller: &Caller, path: &str) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(cookie) = &caller.cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("GET request")
    }

    /// The page at `path` as `caller` gets it with these extra headers (a language cookie, an
    /// `accept-language`): its HTML. A `cookie` header is sent beside the session's.
    pub async fn page_as(&self, caller: &Caller, path: &str, headers: &[(&str, &str)]) -> String {
        let mut cookies: Vec<&str> = caller.cookie.as_deref().into_iter().collect();
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            if name.eq_ignore_ascii_case("cookie") {
                cookies.push(value);
            } else {
                request = request.header(*name, *value);
            }
        }
        if !cookies.is_empty() {
            request = request.header("cookie", cookies.join("; "));
        }
        let response = request.send().await.expect("GET request");
        response.text().await.expect("page body")
    }

    /// The id of the organisation with this legal name.
    pub async fn organisation_id(&self, legal_name: &str) -> String {
        app::on_pool!(self.db(), |pool| sqlx::query_scalar::<_, String>(
            "select organisation_id from organisation where legal_name = $1"
        )
        .bind(legal_name)
        .fetch_one(pool)
        .await)
        .expect("organisation exists")
    }

    /// Every outbox message to `to`: (subject, body), oldest first.
    pub async fn mail_to(&self, to: &str) -> Vec<(String, String)> {
        app::on_pool!(self.db(), |pool| sqlx::query_as::<_, (String, String)>(
            "select subject, body_text from outgoing_email where to_address = $1 order by created_at, outgoing_email_id"
        )
        .bind(to)
        .fetch_all(pool)
        .await)
        .expect("outbox query")
    }

    /// How many audit events name this action.
    pub async fn audit_count(&self, action: &str) -> i64 {
        app::on_pool!(self.db(), |pool| sqlx::query_scalar::<_, i64>(
            "select count(*) from audit_event where action = $1"
        )
        .bind(action)
        .fetch_one(pool)
        .await)
        .expect("audit query")
    }
}

/// Starts the server binary on `database_url` with these extra variables, its standard output
/// and error (where a panic's message goes) in `log`. Returns once `/healthz` answers, with
/// the base URL.
pub async fn start_server_binary(
    database_url: &str,
    vars: &[(&str, &str)],
    log: &std::path::Path,
) -> (std::process::Child, String) {
    let port = free_port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .envs(vars.iter().copied())
        .stdout(std::fs::File::create(log).expect("log file"))
        .stderr(std::fs::OpenOptions::new().append(true).open(log).expect("log file"))
        .spawn()
        .expect("start the server binary");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return (child, base);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start: see {}", log.display());
}

/// The text of the one QR code in a PNG, read as a banking app reads it (rqrr).
pub fn read_qr_png(bytes: &[u8]) -> String {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // One-bit greyscale (as the portal writes it) becomes one byte per pixel.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a PNG of sensible size")];
    let frame = reader.next_frame(&mut pixels).expect("the PNG's image");
    let channels = frame.color_type.samples();
    read_qr(frame.width as usize, frame.height as usize, |x, y| {
        pixels[y * frame.line_size + x * channels]
    })
}

/// The text of the one QR code in a greyscale image of `width` × `height` pixels.
pub fn read_qr(width: usize, height: usize, grey: impl FnMut(usize, usize) -> u8) -> String {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, grey);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    let (_, text) = grids[0].decode().expect("the QR code decodes");
    text
}
