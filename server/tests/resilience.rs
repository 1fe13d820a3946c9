//! Resilience of the real server binary: a stop request (SIGTERM) lets the requests in flight
//! finish, and clients that hang up in the middle of their answers leave no panic behind
//! (leptos issue 4698 was such a panic in streamed pages).

use crate::common;

use app::testing::TestDb;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The server binary on a demo database, its log going to `log`.
async fn start(log: &std::path::Path) -> (Child, String, TestDb) {
    let test_db = common::demo_database().await;
    let port = common::free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &test_db.url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        // Every request renders its page: these tests are about renders cut short or under
        // way at a stop, which a kept page (`app::page_cache`) would skip.
        .env("PAGE_CACHE_SECONDS", "0")
        // The log lines go to standard output, a panic's message to standard error.
        .stdout(std::fs::File::create(log).expect("log file"))
        .stderr(std::fs::OpenOptions::new().append(true).open(log).expect("log file"))
        .spawn()
        .expect("start the server binary");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (child, base, test_db)
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

fn log_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("portal-{name}-{}.log", uuid::Uuid::now_v7()))
}

#[tokio::test]
async fn a_stop_request_lets_the_requests_in_flight_finish() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let log = log_path("shutdown");
    let (mut child, base, _db) = start(&log).await;
    // A login whose body is still arriving when the stop request comes.
    let body = "identifier=amis&password=demo-dons-2026";
    let (first, rest) = body.split_at(16);
    let mut stream = tokio::net::TcpStream::connect(base.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: portal\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    sigterm(&child);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The server is stopping, and still waits for this request.
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server quit with a request in flight"
    );
    // New connections are no longer taken.
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err());
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "the request in flight got {answer}");
    assert!(answer.contains("portal_session="), "and its session: {answer}");
    // Then it stops by itself, cleanly.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop after its last request"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("finishing requests in flight"), "{text}");
    let _ = std::fs::remove_file(log);
}

#[tokio::test]
async fn clients_hanging_up_mid_answer_leave_no_panic() {
    let log = log_path("disconnect");
    let (mut child, base, _db) = start(&log).await;
    // 400 requests for streamed pages, 16 at a time, each given up after 1 to 40 ms: many
    // hang up before or while the answer is being written.
    let client = reqwest::Client::new();
    let paths = [
        "/",
        "/catalogue",
        "/catalogue/office-ltsc-standard-2024",
        "/help",
        "/login",
    ];
    let mut abandoned = 0;
    for round in 0..25 {
        let mut batch = Vec::new();
        for n in 0..16 {
            let url = format!("{base}{}", paths[(round + n) % paths.len()]);
            // From 1 to 40 ms: some before the first byte, some in the middle of the stream.
            let patience = Duration::from_millis(1 + ((round * 16 + n) % 40) as u64);
            batch.push(tokio::spawn(client.get(url).timeout(patience).send()));
        }
        for request in batch {
            if request.await.unwrap().is_err() {
                abandoned += 1;
            }
        }
    }
    // The server still answers whole pages afterwards. Connections its client has left stay
    // counted until the server has dropped their requests: on a loaded machine more than 200
    // (`HTTP_MAX_CONNECTIONS_PER_ADDRESS`) were still open when the last batch returned, and
    // the next connection was refused with the cap's 503. Refusals are allowed while they
    // drain, for 20 s at most, and only the cap's (its log line is checked below).
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut refused = 0;
    let page = loop {
        let page = reqwest::get(format!("{base}/catalogue")).await.unwrap();
        if page.status().as_u16() != 503 || Instant::now() > deadline {
            break page;
        }
        refused += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("</html>"));
    sigterm(&child);
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    println!("disconnect test: 400 requests, {abandoned} abandoned by their client");
    assert!(text.contains("listening"), "the log was captured: {text}");
    assert!(
        refused == 0 || text.contains("HTTP_MAX_CONNECTIONS_PER_ADDRESS reached"),
        "{refused} refusals of the last page, none by the connection cap: {text}"
    );
    assert!(
        abandoned > 100,
        "the test must really hang up: only {abandoned} abandoned"
    );
    // One kind of panic is known and tolerated, each message named exactly: under load, Leptos
    // may finish rendering a page whose client has gone in a task that outlives the request's
    // reactive owner. A closure there that reads a value of the page (the i18n locale, a
    // resource awaited by its `<Suspense>`) finds it disposed, and a component created there
    // finds no context above it (`use_i18n`) once the owner tree is gone (SECURITY.md, "Known
    // gaps"). It ends that orphaned render task only. The test build has no debug assertions
    // (it serves the browser tests the release WASM), so reactive_graph's message no longer
    // names the value. Any other panic fails the test.
    const ORPHANED: [&str; 2] = [
        "Tried to access a reactive value that has already been disposed.",
        "I18n context is missing",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let orphaned = |line: &str| ORPHANED.contains(&line.trim());
    let other_panics: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.contains("panicked"))
        .filter(|(i, _)| lines.get(i + 1).is_none_or(|next| !orphaned(next)))
        .map(|(_, line)| *line)
        .collect();
    println!(
        "disconnect test: {} orphaned renders found their page's values or contexts gone",
        lines.iter().filter(|line| orphaned(line)).count()
    );
    assert!(other_panics.is_empty(), "a panic in the server log:\n{text}");
    let _ = std::fs::remove_file(log);
}
