//! The binary's behaviour on bad setup: a clear message and a non-zero exit, no panic.

use std::process::Command;
use std::time::{Duration, Instant};

fn run_server(vars: &[(&str, &str)]) -> (Option<i32>, String, Duration) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .envs(vars.iter().copied())
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run the server binary");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr, started.elapsed())
}

#[test]
fn unreachable_postgres_is_reported_without_a_panic() {
    let (code, stderr, elapsed) = run_server(&[("DATABASE_URL", "postgres://portal:secret@127.0.0.1:1/portal")]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot open the database at postgres://portal:***@127.0.0.1:1/portal"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "password leaked: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
}

#[test]
fn unusable_sqlite_path_is_reported() {
    // A path below a regular file cannot be created.
    let file = std::env::temp_dir().join(format!("portal-not-a-dir-{}", std::process::id()));
    std::fs::write(&file, b"x").unwrap();
    let url = format!("sqlite://{}/portal.db", file.display());
    let (code, stderr, _) = run_server(&[("DATABASE_URL", &url)]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn invalid_configuration_names_the_variable() {
    let (code, stderr, _) = run_server(&[("DATABASE_URL", "mysql://localhost/portal")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    let (code, stderr, _) = run_server(&[("LEPTOS_SITE_ADDR", "not-an-address")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("LEPTOS_SITE_ADDR"), "{stderr}");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let db = std::env::temp_dir().join(format!("portal-sigterm-{}.db", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    // Keep reading stdout until the end, so that the server's shutdown logs never hit a closed pipe.
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("Serving on") {
                let _ = tx.send(());
            }
            lines.push(line);
        }
        lines
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the server never said it was serving");
    // What the start spawned (the route table's render and its resources) has run by now.
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait for the server");
    let log = reader.join().expect("stdout reader");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    // A normal start and stop logs no error (each start once logged "AppState missing from
    // context": the route table is built by rendering the app without its state).
    let errors: Vec<&String> = log.iter().filter(|line| line.contains("ERROR")).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
