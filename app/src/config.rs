//! Configuration from the environment, with the defaults documented in `.env.sample`.

use crate::programme::ProgrammeInfo;
use std::net::SocketAddr;
use std::time::Duration;

/// Everything the server reads from its environment at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` (default `sqlite://data/portal.db`) or `postgres://…`.
    pub database_url: String,
    pub database_max_connections: u32,
    /// Where the HTTP server listens.
    pub site_addr: SocketAddr,
    /// The address users reach the site at (links in e-mails).
    pub public_url: String,
    /// Folder with `pkg/` (WASM, JS, CSS) and the public assets.
    pub site_root: String,
    pub site_pkg_dir: String,
    pub output_name: String,
    /// The site's files carry their content hash in their names, listed in `hash.txt` beside
    /// the server's executable (`LEPTOS_HASH_FILES`; by default, whether that file exists:
    /// the release build writes it, the tests' binaries have none).
    pub hash_files: bool,
    pub request_timeout: Duration,
    pub smtp: SmtpConfig,
    pub programme: ProgrammeInfo,
    /// The VAT of the fee per country and VAT status (`PROGRAMME_VAT_TREATMENTS`, e.g.
    /// `LU/taxable=AE,BE/exempt=E`; by default a VAT-registered Luxembourg organisation is
    /// invoiced under the reverse charge).
    pub vat_policy: domain::invoice::VatPolicy,
    /// Where issued Peppol documents are dropped for the access point's connector
    /// (`PEPPOL_OUTBOX_DIR`); none: they wait in the database.
    pub peppol_outbox: Option<std::path::PathBuf>,
    /// Load the demo data into an empty database at start.
    pub demo_data: bool,
    /// Days an unpaid order waits for its transfer before it expires (`ORDER_EXPIRY_DAYS`).
    pub order_expiry_days: u32,
    /// Days after submission when an unpaid order's reminder goes out (`ORDER_REMINDER_DAYS`).
    pub order_reminder_days: u32,
    /// The hour (0-23, Brussels time) from which each staff member's daily digest goes out
    /// (`STAFF_DIGEST_HOUR`, 7).
    pub digest_hour: u32,
    /// Days after a refusal when the documents of a refused organisation or change request are
    /// deleted (`RETENTION_REFUSED_DOCUMENTS_DAYS`, 90; the privacy page states it).
    pub refused_documents_days: u32,
    /// How long programme-wide figures (home counters, dashboard months) are kept in memory
    /// (`AGGREGATE_CACHE_SECONDS`, 60; 0 computes them on every request).
    pub aggregate_cache: std::time::Duration,
    /// How long a public page rendered for anonymous visitors is sent again before it is
    /// rendered anew (`PAGE_CACHE_SECONDS`, 5; 0 renders every request; `crate::page_cache`).
    pub page_cache: std::time::Duration,
    /// `TEST_CLOCK=1`: requests may move their clock with a cookie (end-to-end tests only).
    pub test_clock: bool,
    /// Where the client's address is read for the per-client rate limits
    /// (`CLIENT_IP_SOURCE`): `ConnectInfo` (the default: the TCP peer, right when the portal
    /// faces the Internet) or, behind a load balancer, the header that balancer sets, such as
    /// `RightmostXForwardedFor` or `XRealIp`. A header is trusted only when named here.
    pub client_ip_source: axum_client_ip::ClientIpSource,
    /// Registrations and "is it registered?" questions one client address may send in an hour
    /// (`PUBLIC_FORMS_PER_HOUR`, 20, each form counted on its own).
    pub public_forms_per_hour: u32,
    /// Logins being verified or failed that one client address may have within the login
    /// window, whichever accounts they name (`LOGIN_ATTEMPTS_PER_CLIENT`, 30); a successful
    /// login gives its place back, so an office behind one address is not locked out.
    pub login_attempts_per_client: u32,
    /// Bytes of uploaded documents one organisation may store in all
    /// (`DOCUMENT_STORAGE_PER_ORGANISATION_MIB`, 50 MiB; each file is also at most 5 MiB).
    pub document_storage_per_organisation: u64,
    /// Invitations one account holder may send in 24 hours (`INVITATIONS_PER_DAY`, 20).
    pub invitations_per_day: u32,
    /// `BENCH_BARE_ADDR`: where the benchmark's bare JSON handlers listen (`bench/run.sh`);
    /// unset in normal use.
    pub bench_bare_addr: Option<SocketAddr>,
    /// Limits on the HTTP connections themselves (`HTTP_*`).
    pub http: HttpLimits,
}

/// How long a connection may dawdle and how many may be open, before any request is read:
/// what holds when one client opens connections and sends nothing (slowloris, half-open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpLimits {
    /// `HTTP_HEADER_READ_TIMEOUT_SECS` (10): a request's head (line and headers) must arrive
    /// within this, counted from the moment the server waits for it, so an HTTP/1 connection
    /// that sends nothing, or a head byte by byte, is closed after it.
    pub header_read_timeout: Duration,
    /// `HTTP_IDLE_TIMEOUT_SECS` (60): a connection on which nothing moved either way for this
    /// long is closed (an exchange that stalled: a response the client does not read).
    pub idle_timeout: Duration,
    /// `HTTP_MAX_CONNECTIONS` (2,000): open connections at once; the next gets a 503. Lowered at
    /// start to fit the process' open-file limit.
    pub max_connections: usize,
    /// `HTTP_MAX_CONNECTIONS_PER_ADDRESS` (200): open connections from one TCP peer address;
    /// 0 for none (behind a reverse proxy every connection comes from the proxy).
    pub max_connections_per_address: usize,
    /// `HTTP_WHOLE_PAGE_RENDER_MS` (8,000): a page rendered whole before it is sent (the
    /// catalogue's) that has not finished after this is rendered again, 3 renders at most
    /// (`server`'s `whole_pages`), like the 8 s after which a streamed page that stopped
    /// moving is ended.
    pub whole_page_deadline: Duration,
}

/// Outgoing mail. Without a URL, messages stay in the outbox (visible to staff).
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// e.g. `smtp://localhost:1025` or `smtps://user:pass@mail.example.org`.
    pub url: Option<String>,
    pub from: String,
    /// Attempts at one message before it is a dead letter (`MAIL_MAX_ATTEMPTS`, 8).
    pub max_attempts: u32,
    /// Seconds a message waits after its first failed attempt, doubled after each next one
    /// (`MAIL_RETRY_SECONDS`, 60).
    pub retry_seconds: u32,
    /// How often the outbox worker looks for mail queued by other instances
    /// (`MAIL_POLL_SECONDS`, 5); mail queued on this instance wakes it at once.
    pub poll: Duration,
}

/// A variable was set to a value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message} (got {value:?})")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub message: &'static str,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads configuration through `lookup` (a test passes a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str, default: &str| lookup(name).unwrap_or_else(|| default.to_owned());
        let site_addr_raw = get("LEPTOS_SITE_ADDR", "127.0.0.1:3000");
        let site_addr: SocketAddr = site_addr_raw.parse().map_err(|_| ConfigError {
            variable: "LEPTOS_SITE_ADDR",
            value: site_addr_raw.clone(),
            message: "expected an address such as 127.0.0.1:3000",
        })?;
        let database_url = get("DATABASE_URL", "sqlite://data/portal.db");
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError {
                variable: "DATABASE_URL",
                value: database_url,
                message: "expected a sqlite:// or postgres:// URL",
            });
        }
        let vat_raw = get("PROGRAMME_VAT_RATE", "21");
        let vat_rate_bps = parse_percent_bps(&vat_raw).ok_or(ConfigError {
            variable: "PROGRAMME_VAT_RATE",
            value: vat_raw,
            message: "expected a percentage between 0 and 100, such as 21 or 5.5",
        })?;
        let treatments = get(
            "PROGRAMME_VAT_TREATMENTS",
            domain::invoice::VatPolicy::DEFAULT_OVERRIDES,
        );
        let vat_policy = domain::invoice::VatPolicy::parse(vat_rate_bps, &treatments).ok_or(ConfigError {
            variable: "PROGRAMME_VAT_TREATMENTS",
            value: treatments,
            message: "expected country/status=category items, such as LU/taxable=AE,BE/exempt=E",
        })?;
        let legal_name = get("PROGRAMME_LEGAL_NAME", "Dons technologiques ASBL");
        Ok(Config {
            vat_policy,
            peppol_outbox: lookup("PEPPOL_OUTBOX_DIR").map(std::path::PathBuf::from),
            database_url,
            database_max_connections: parse_number(&lookup, "DATABASE_MAX_CONNECTIONS", 10)?,
            public_url: get("PUBLIC_URL", &format!("http://{site_addr}")),
            site_addr,
            site_root: get("LEPTOS_SITE_ROOT", "target/site"),
            site_pkg_dir: get("LEPTOS_SITE_PKG_DIR", "pkg"),
            output_name: get("LEPTOS_OUTPUT_NAME", "portal"),
            hash_files: match lookup("LEPTOS_HASH_FILES") {
                Some(value) => value.parse().map_err(|_| ConfigError {
                    variable: "LEPTOS_HASH_FILES",
                    value,
                    message: "expected true or false",
                })?,
                None => hash_file_beside_executable().is_some(),
            },
            request_timeout: Duration::from_secs(parse_number(&lookup, "REQUEST_TIMEOUT_SECS", 30)?),
            smtp: SmtpConfig {
                url: lookup("SMTP_URL"),
                from: get("SMTP_FROM", "Programme de dons <noreply@dons.example.org>"),
                max_attempts: parse_number(&lookup, "MAIL_MAX_ATTEMPTS", 8)?.max(1),
                retry_seconds: parse_number(&lookup, "MAIL_RETRY_SECONDS", 60)?,
                poll: Duration::from_secs(parse_number(&lookup, "MAIL_POLL_SECONDS", 5)?.max(1)),
            },
            programme: ProgrammeInfo {
                name: get("PROGRAMME_NAME", "Dons technologiques"),
                account_holder: get("PROGRAMME_ACCOUNT_HOLDER", &legal_name),
                legal_name,
                postal_address: get("PROGRAMME_ADDRESS", "Rue de la Loi 1, 1000 Bruxelles, Belgique"),
                enterprise_number: get("PROGRAMME_ENTERPRISE_NUMBER", "BE 0123.456.749"),
                support_email: get("PROGRAMME_SUPPORT_EMAIL", "support@dons.example.org"),
                iban: get("PROGRAMME_IBAN", "BE23 0015 1859 2691"),
                bic: get("PROGRAMME_BIC", "GEBABEBB"),
                vat_rate_bps,
            },
            demo_data: matches!(get("DEMO_DATA", "false").as_str(), "1" | "true" | "yes"),
            order_expiry_days: parse_number(&lookup, "ORDER_EXPIRY_DAYS", 30)?,
            order_reminder_days: parse_number(&lookup, "ORDER_REMINDER_DAYS", 23)?,
            digest_hour: parse_hour(&lookup, "STAFF_DIGEST_HOUR", 7)?,
            refused_documents_days: parse_number(&lookup, "RETENTION_REFUSED_DOCUMENTS_DAYS", 90)?,
            aggregate_cache: std::time::Duration::from_secs(parse_number(&lookup, "AGGREGATE_CACHE_SECONDS", 60)?),
            page_cache: std::time::Duration::from_secs(parse_number(&lookup, "PAGE_CACHE_SECONDS", 5)?),
            client_ip_source: {
                let raw = get("CLIENT_IP_SOURCE", "ConnectInfo");
                raw.parse().map_err(|_| ConfigError {
                    variable: "CLIENT_IP_SOURCE",
                    value: raw.clone(),
                    message: "expected ConnectInfo, or the header your load balancer sets: RightmostXForwardedFor, XRealIp, …",
                })?
            },
            public_forms_per_hour: parse_number(&lookup, "PUBLIC_FORMS_PER_HOUR", 20)?,
            login_attempts_per_client: parse_number(&lookup, "LOGIN_ATTEMPTS_PER_CLIENT", 30)?,
            document_storage_per_organisation: parse_number::<u64>(
                &lookup,
                "DOCUMENT_STORAGE_PER_ORGANISATION_MIB",
                50,
            )?
            .saturating_mul(1024 * 1024),
            invitations_per_day: parse_number(&lookup, "INVITATIONS_PER_DAY", 20)?,
            test_clock: matches!(get("TEST_CLOCK", "false").as_str(), "1" | "true" | "yes"),
            http: HttpLimits {
                header_read_timeout: Duration::from_secs(parse_positive(&lookup, "HTTP_HEADER_READ_TIMEOUT_SECS", 10)?),
                idle_timeout: Duration::from_secs(parse_positive(&lookup, "HTTP_IDLE_TIMEOUT_SECS", 60)?),
                max_connections: parse_positive(&lookup, "HTTP_MAX_CONNECTIONS", 2_000)?,
                max_connections_per_address: parse_number(&lookup, "HTTP_MAX_CONNECTIONS_PER_ADDRESS", 200)?,
                whole_page_deadline: Duration::from_millis(parse_positive(
                    &lookup,
                    "HTTP_WHOLE_PAGE_RENDER_MS",
                    8_000,
                )?),
            },
            bench_bare_addr: match lookup("BENCH_BARE_ADDR") {
                None => None,
                Some(raw) => Some(raw.parse().map_err(|_| ConfigError {
                    variable: "BENCH_BARE_ADDR",
                    value: raw.clone(),
                    message: "expected an address such as 127.0.0.1:3997",
                })?),
            },
        })
    }
}

fn parse_number<T: std::str::FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match lookup(variable) {
        None => Ok(default),
        Some(value) => value.trim().parse().map_err(|_| ConfigError {
            variable,
            value,
            message: "expected a positive whole number",
        }),
    }
}

/// An hour of the day, 0 to 23.
fn parse_hour(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: u32,
) -> Result<u32, ConfigError> {
    match parse_number(lookup, variable, default)? {
        hour @ 0..=23 => Ok(hour),
        _ => Err(ConfigError {
            variable,
            value: lookup(variable).unwrap_or_default(),
            message: "expected an hour from 0 to 23",
        }),
    }
}

/// [`parse_number`] for a value that must not be 0 (a timeout of 0 would close every connection).
fn parse_positive<T: std::str::FromStr + Default + PartialEq>(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    let value = parse_number(lookup, variable, default)?;
    if value == T::default() {
        return Err(ConfigError {
            variable,
            value: "0".into(),
            message: "expected a whole number above 0",
        });
    }
    Ok(value)
}

/// "21" → 2100, "5.5" → 550; at most two decimals, 0–100 %. (Public for its tests.)
pub fn parse_percent_bps(raw: &str) -> Option<u32> {
    let raw = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = raw.split_once('.').unwrap_or((&raw, ""));
    if whole.is_empty() || frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let frac: u32 = format!("{frac:0<2}").parse().ok()?;
    let bps = whole.checked_mul(100)?.checked_add(frac)?;
    (bps <= 10_000).then_some(bps)
}

/// `hash.txt` beside the running executable, where cargo-leptos writes the hashed names of the
/// site's entry files (and where Leptos reads them), if it exists.
pub fn hash_file_beside_executable() -> Option<std::path::PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join("hash.txt");
    path.is_file().then_some(path)
}
