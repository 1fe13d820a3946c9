#![recursion_limit = "256"]
//! The axum server: configuration, pool, migrations, router and HTTP layers. Everything
//! else lives in the `app` crate.

pub mod assets;
mod bare;
pub mod isolation;
pub mod page_cache;
pub mod security;
pub mod serve;
pub mod whole_pages;

use app::config::Config;
use app::db::{Db, DbError};
use app::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::handler::Handler;
use axum::http::{HeaderName, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("SMTP_URL is not usable: {0}")]
    Smtp(String),
    #[error("loading the demo data failed: {0}")]
    Demo(#[from] app::demo::DemoError),
    #[error("cannot listen for stop signals: {0}")]
    Signal(std::io::Error),
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Opens and migrates the database named by the configuration.
pub async fn open_database(config: &Config) -> Result<Db, DbError> {
    let db = Db::connect(&config.database_url, config.database_max_connections).await?;
    app::setup::prepare_database(&db).await?;
    Ok(db)
}

/// Leptos' options from our configuration (no `Cargo.toml` needed at run time).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let env = if cfg!(debug_assertions) {
        leptos::config::Env::DEV
    } else {
        leptos::config::Env::PROD
    };
    LeptosOptions::builder()
        .output_name(config.output_name.clone())
        .hash_files(config.hash_files)
        .site_root(config.site_root.clone())
        .site_pkg_dir(config.site_pkg_dir.clone())
        .site_addr(config.site_addr)
        .env(env)
        .build()
}

/// The whole HTTP application for `state`.
pub fn router(state: AppState) -> Router {
    // Pages rendered whole get a second render when the first stalls (`whole_pages`).
    let (whole_pages, routes) = whole_pages::split(generate_route_list(App));
    let request_id = HeaderName::from_static("x-request-id");
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            // The nonce that security_headers put in the request's CSP: Leptos' scripts carry it.
            if let Some(nonce) = use_context::<axum::http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<leptos::nonce::Nonce>().cloned())
            {
                provide_context(nonce);
            }
        }
    };
    let options = state.leptos_options.clone();
    let timeout = state.config.request_timeout;
    let client_ip_source = state.config.client_ip_source.clone();

    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(
            "/documents",
            post(app::org::files::upload_document).layer(DefaultBodyLimit::max(security::DOCUMENT_BODY_LIMIT)),
        )
        .route("/documents/{id}", get(app::org::files::download_document))
        .route(
            "/change-requests",
            post(app::change::files::submit_change_request).layer(DefaultBodyLimit::max(security::DOCUMENT_BODY_LIMIT)),
        )
        .route("/invoices/{id}/pdf", get(app::order::api::invoice_pdf))
        .route("/invoices/{id}/ubl", get(app::billing::api::invoice_ubl))
        .route("/credit-notes/{id}/pdf", get(app::billing::api::credit_note_pdf))
        .route("/credit-notes/{id}/ubl", get(app::billing::api::credit_note_ubl))
        .route("/admin/documents.zip", get(app::billing::api::period_archive))
        .route("/account/my-data.zip", get(app::privacy::export::my_data))
        .route("/account/organisation-data.zip", get(app::privacy::export::organisation_data))
        .route("/invoices/{id}/qr.png", get(app::order::api::invoice_qr))
        // The partner API: JSON for partners' systems, described by its OpenAPI document.
        .route("/api/v1/tokens/verify", post(app::token::http::verify_token))
        .route("/api/v1/openapi.json", get(app::token::http::openapi_document))
        .route("/admin/audit/export", get(app::audit::http::export_csv))
        .route(
            "/admin/join-requests/{id}/approve",
            post(app::join::files::approve_with_document).layer(DefaultBodyLimit::max(security::DOCUMENT_BODY_LIMIT)),
        )
        .route(
            "/admin/join-requests/{id}/document",
            get(app::join::files::download_evidence),
        )
        .route(
            "/admin/payments/import",
            post(app::payment::api::upload_statement).layer(DefaultBodyLimit::max(security::STATEMENT_BODY_LIMIT)),
        )
        .route(
            "/admin/import/migration",
            post(app::migration::api::upload_migration).layer(DefaultBodyLimit::max(security::MIGRATION_BODY_LIMIT)),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .merge(whole_pages::routes(&whole_pages, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        }))
        // The site's files (the WASM, JS and CSS bundle, the favicon), sent as the `.br` or
        // `.gz` copy the release build wrote beside each (brotli 11, gzip 9) with a year's
        // cache for the hashed names (`assets`), and Leptos' 404 page for any other address.
        //
        // Not `leptos_axum::file_and_error_handler` for the files themselves: it answers a
        // file inside a new reactive `Owner`, which becomes the child of whatever owner the
        // worker thread still has as current, and copies that owner's `ResponseOptions` onto
        // the file. An e2e run saw `chunk_7.wasm` answered with its bytes and a 401, another
        // request's status, and the staff pages never loaded. `ServeDir` involves no
        // reactive state.
        .fallback_service(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn(assets::cache_site_files))
                .service(
                    ServeDir::new(&state.config.site_root)
                        .precompressed_br()
                        .precompressed_gzip()
                        // A POST to an unknown address gets the 404 page too, not ServeDir's 405.
                        .call_fallback_on_method_not_allowed(true)
                        .fallback(Handler::with_state(
                            leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell),
                            state.clone(),
                        )),
                ),
        )
        .with_state(state.clone())
        // Innermost, so every layer above, and `end_stalled_pages`' task that drives a page's
        // body, polls the request in its own reactive owner.
        .layer(axum::middleware::from_fn(isolation::isolate_reactive_owner))
        // Where `axum_client_ip::ClientIp` reads the caller's address (the rate limits).
        .layer(client_ip_source.into_extension())
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::staff_pages_status))
        .layer(axum::middleware::from_fn(malformed_calls_are_client_errors))
        .layer(axum::middleware::from_fn(security::refuse_nul_characters))
        .layer(axum::middleware::from_fn(security::limit_request_bodies))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::refuse_cross_site))
        // Inside the security headers: a kept page is sent with the request's own nonce.
        .layer(axum::middleware::from_fn_with_state(state.clone(), page_cache::serve_public_pages))
        .layer(axum::middleware::from_fn_with_state(state, security::security_headers))
        .layer(axum::middleware::from_fn(end_stalled_pages))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %request.method(), uri = %request.uri().path(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
                // brotli and gzip for HTML, JSON, JS, CSS and the .wasm alike
                .layer(CompressionLayer::new()),
        )
}

/// How long a server-rendered page may send nothing before [`end_stalled_pages`] ends it.
/// A page normally streams its last chunk well under a second after its first.
const PAGE_IDLE_LIMIT: std::time::Duration = std::time::Duration::from_secs(8);

/// Ends a server-rendered page whose stream has stopped moving, and renders every page to its
/// end even when its client has hung up.
///
/// Leptos 0.8's streaming SSR can lose the wake-up of a `<Suspense>` under concurrent load
/// (leptos issues 4851, 4673, 4578; still seen with 0.8.23 in
/// `concurrent_page_renders_all_complete`): the shell is sent, a resolved chunk never is, and
/// the connection would hang until the client gives up. Ending the body after
/// [`PAGE_IDLE_LIMIT`] of silence gives the browser a finished document (the shell and every
/// chunk sent so far) instead; each cut is logged.
///
/// A client that hangs up mid-page drops the response body. Dropped there, the page's stream
/// disposed its reactive owner while the page's resources and `<Suspense>` children were
/// still running on other tasks, which then panicked on the disposed values
/// (`resilience::clients_hanging_up_mid_answer_leave_no_panic`: 1 to 4 panics in 400
/// requests). So the stream is driven by a task of its own, which forwards each chunk while
/// the client listens and, once it has gone, keeps rendering to the end (or to the idle
/// limit) without sending: the owner is disposed only after the page is complete.
async fn end_stalled_pages(request: Request<Body>, next: Next) -> Response {
    use futures::StreamExt;
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    // A body whose length is known is whole already (a kept page, an error page): it cannot
    // stall, and it holds no reactive owner.
    if !security::is_html_page(&response) || axum::body::HttpBody::size_hint(response.body()).exact().is_some() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let mut chunks = body.into_data_stream();
    // A few chunks of slack: a slow reader holds the render back, as it did before.
    let (sender, mut receiver) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        let mut listening = true;
        loop {
            match tokio::time::timeout(PAGE_IDLE_LIMIT, chunks.next()).await {
                Ok(Some(chunk)) => {
                    if listening && sender.send(chunk).await.is_err() {
                        listening = false;
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    tracing::error!(%path, "a page's stream stalled: ended after {PAGE_IDLE_LIMIT:?} of silence");
                    break;
                }
            }
        }
    });
    let forwarded = futures::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    Response::from_parts(parts, Body::from_stream(forwarded))
}

/// A call to a server function with missing or malformed arguments is the caller's mistake:
/// server_fn reports it as a 500 carrying `AppError::Request`, which this turns into a 400.
/// Genuine internal errors (`"Internal"`) stay 500.
async fn malformed_calls_are_client_errors(request: Request<Body>, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error body is small (its message is cut at 300 characters); the limit only guards
    // against reading something unexpected without end.
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if bytes.starts_with(br#"{"Request""#) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::warn!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// 200 when the database accepts a write, 503 otherwise: what a load balancer should check
/// before sending traffic. `/healthz` only reads, and said "ok" while every write failed after
/// a full disk.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.check_writes(app::db::now()).await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check: the database refuses writes");
            (StatusCode::SERVICE_UNAVAILABLE, "database refuses writes")
        }
    }
}

/// Builds the state for `config` with an open database.
pub fn app_state(config: Config, db: Db) -> AppState {
    if config.test_clock {
        tracing::warn!("TEST_CLOCK is set: each request may move its clock with a cookie (tests only)");
        app::db::enable_test_clock();
    }
    AppState {
        leptos_options: leptos_options(&config),
        db,
        aggregates: Arc::new(app::home::cache::Aggregates::new(config.aggregate_cache)),
        pages: Arc::new(app::page_cache::PageCache::new(config.page_cache)),
        outbox_wake: Arc::new(tokio::sync::Notify::new()),
        whole_pages_rendered_again: Arc::default(),
        whole_page_second_renders: Arc::new(tokio::sync::Semaphore::new(whole_pages::SECOND_RENDERS_AT_ONCE)),
        config: Arc::new(config),
    }
}

/// Writes a backup of the configured database to `destination` (see [`Db::backup`]) and
/// says what it wrote. Safe while the portal serves: it neither migrates nor locks writers out.
pub async fn backup(config: &Config, destination: &std::path::Path) -> Result<String, BackupCommandError> {
    let started = std::time::Instant::now();
    let db = Db::connect(&config.database_url, 1).await?;
    let result = db.backup(&config.database_url, destination).await;
    db.close().await;
    result?;
    let bytes = std::fs::metadata(destination).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "backup of {} written to {} ({bytes} bytes) in {} ms",
        app::db::redact_url(&config.database_url),
        destination.display(),
        started.elapsed().as_millis()
    ))
}

/// `server import-migration DIR [--dry-run] [--no-invitations] [--report FILE]`: the
/// migration import of the CSV files in `DIR` (`organisations.csv`, `people.csv`…, see
/// docs/migration-import.md), the same code as the staff page's but without its size caps.
/// Prints the time of each phase and the counts; `--report` writes every row's outcome as CSV.
pub async fn import_migration(
    config: Config,
    dir: &std::path::Path,
    dry_run: bool,
    invite: bool,
    report_path: Option<&std::path::Path>,
) -> Result<(String, bool), ImportCommandError> {
    use app::migration::model::{FILES, MigrationFiles, Outcome};
    let started = std::time::Instant::now();
    let mut files = MigrationFiles::default();
    for name in FILES {
        let path = dir.join(format!("{name}.csv"));
        match std::fs::read(&path) {
            Ok(bytes) => {
                files.set(name, app::migration::decode(&bytes));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(ImportCommandError::Read(path.display().to_string(), error)),
        }
    }
    let load = started.elapsed();
    let db = open_database(&config).await?;
    // The catalogue must be there (product slugs); DEMO_DATA gives a fresh database one, as
    // `server` itself would (the benchmark imports into such a database).
    if config.demo_data {
        app::demo::load_if_empty_with(&db, app::db::now(), (&config).into())
            .await
            .map_err(|error| ImportCommandError::Run(error.to_string()))?;
    }
    let state = app_state(config, db.clone());
    let options = app::migration::run::Options {
        dry_run,
        actor: None,
        invite,
        limits: app::migration::model::CLI_LIMITS,
    };
    let (report, timings) = app::migration::run::run_timed(&state, &files, options)
        .await
        .map_err(|error| ImportCommandError::Run(error.to_string()))?;
    db.close().await;
    let mut out = String::new();
    let ms = |d: std::time::Duration| d.as_millis();
    out.push_str(&format!(
        "{}: read files {} ms, parse {} ms, check {} ms, write {} ms, total {} ms\n",
        if dry_run { "dry run" } else { "import" },
        ms(load),
        ms(timings.read),
        ms(timings.check),
        ms(timings.write),
        ms(started.elapsed())
    ));
    let c = &report.counts;
    out.push_str(&format!(
        "rows: {} create, {} update, {} unchanged, {} error, {} skipped\n\
         organisations: {} created, {} updated; orders: {} created, {} updated\n",
        c.create,
        c.update,
        c.unchanged,
        c.error,
        c.skipped,
        c.organisations_created,
        c.organisations_updated,
        c.orders_created,
        c.orders_updated
    ));
    for error in &report.file_errors {
        out.push_str(&format!("file {}.csv refused: {}\n", error.file, error.code));
    }
    for row in report.rows.iter().filter(|r| r.outcome == Outcome::Error).take(20) {
        out.push_str(&format!(
            "{}.csv line {} ({}): {}\n",
            row.file,
            row.line,
            row.key,
            row.errors.join(", ")
        ));
    }
    if let Some(path) = report_path {
        let mut writer = csv::Writer::from_path(path).map_err(|e| ImportCommandError::Report(e.to_string()))?;
        let written: Result<(), csv::Error> = (|| {
            writer.write_record(["file", "line", "key", "outcome", "errors"])?;
            for row in &report.rows {
                writer.write_record([
                    row.file.as_str(),
                    &row.line.to_string(),
                    &row.key,
                    row.outcome.as_str(),
                    &row.errors.join(" "),
                ])?;
            }
            writer.flush()?;
            Ok(())
        })();
        written.map_err(|e| ImportCommandError::Report(e.to_string()))?;
    }
    let clean = report.file_errors.is_empty() && c.error == 0 && c.skipped == 0;
    Ok((out, clean))
}

/// Why `server import-migration` failed (row errors are not failures: they are reported).
#[derive(Debug, thiserror::Error)]
pub enum ImportCommandError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("the import stopped: {0}")]
    Run(String),
    #[error("cannot write the report: {0}")]
    Report(String),
}

/// Why `server backup` failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupCommandError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Backup(#[from] app::db::BackupError),
}

/// Starts the server and runs until SIGTERM or Ctrl-C, then finishes the requests in flight.
pub async fn run(config: Config) -> Result<(), StartError> {
    let db = open_database(&config).await?;
    if config.demo_data {
        match app::demo::load_if_empty_with(&db, app::db::now(), (&config).into()).await? {
            Some(logins) => print_logins(&logins),
            None => tracing::warn!("DEMO_DATA is set but the database already holds other data: demo data not loaded"),
        }
    }
    let shutdown = shutdown_signal().map_err(StartError::Signal)?;
    let addr = config.site_addr;
    let listener = listen(addr).await?;
    let state = app_state(config, db.clone());
    let worker = start_outbox_worker(&state)?;
    let sweeper = app::order::worker::spawn(state.clone());
    let public_url = state.config.public_url.clone();
    let bare = match state.config.bench_bare_addr {
        Some(bare_addr) => Some(serve_bare(bare_addr, db.clone(), state.config.http.clone()).await?),
        None => None,
    };
    tracing::info!(%addr, "listening");
    println!("Serving on {public_url} (listening on {addr})");
    let limits = serve::fit_to_open_file_limit(
        state.config.http.clone(),
        serve::raise_open_file_limit(),
        state.config.database_max_connections,
    );
    serve::serve(listener, router(state), limits, shutdown)
        .await
        .map_err(StartError::Serve)?;
    if let Some(worker) = worker {
        // Stops claiming mail and finishes or releases the message in hand.
        worker.shutdown().await;
    }
    sweeper.abort();
    if let Some(bare) = bare {
        bare.abort();
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Binds `addr`.
async fn listen(addr: std::net::SocketAddr) -> Result<tokio::net::TcpListener, StartError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: addr.to_string(),
            source,
        })
}

/// Serves the benchmark's bare JSON handlers ([`bare`]) on their own listener, without the
/// page router's middleware, sharing the pool.
async fn serve_bare(
    addr: std::net::SocketAddr,
    db: Db,
    limits: app::config::HttpLimits,
) -> Result<tokio::task::JoinHandle<()>, StartError> {
    let listener = listen(addr).await?;
    tracing::warn!(%addr, "BENCH_BARE_ADDR is set: serving the benchmark's bare handlers");
    Ok(tokio::spawn(async move {
        let forever = std::future::pending();
        if let Err(error) = serve::serve(listener, bare::router(db), limits, forever).await {
            tracing::error!(%error, "the bare benchmark handlers stopped");
        }
    }))
}

/// Starts sending the outbox when an SMTP server is configured; otherwise mail waits in the
/// outbox, where staff read it.
fn start_outbox_worker(state: &AppState) -> Result<Option<app::mail::worker::OutboxWorker>, StartError> {
    let worker =
        app::mail::worker::start(&state.config, &state.db, state.outbox_wake.clone()).map_err(StartError::Smtp)?;
    if worker.is_none() {
        tracing::warn!("SMTP_URL is not set: e-mails stay in the outbox (see /admin/outbox)");
    }
    Ok(worker)
}

fn print_logins(logins: &[app::demo::DemoLogin]) {
    println!("Demo logins:");
    for login in logins {
        println!(
            "  {:<12} password {:<16} {}",
            login.username, login.password, login.description
        );
    }
}

/// Listens for SIGTERM and Ctrl-C (SIGINT). Registered before the server says it is serving,
/// so that a stop request arriving right after start is still graceful.
#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, std::io::Error> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        tracing::info!("shutdown requested: finishing requests in flight");
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, std::io::Error> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutdown requested: finishing requests in flight");
    })
}
