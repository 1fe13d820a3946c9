//! The outbox worker against a real SMTP conversation: a minimal SMTP server on a local
//! port records what lettre sends, or refuses recipients to exercise retries.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use app::db::now;
use app::mail::db::{MAX_ATTEMPTS, enqueue};
use app::mail::worker::{Transport, send_pending};
use common::{spawn_app, test_config};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A tiny SMTP server: accepts everything, or refuses every recipient with 550.
async fn smtp_server(refuse: bool) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.ok();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(std::mem::take(body));
                            data = None;
                            write.write_all(b"250 queued\r\n").await.ok();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let command = line.to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                        b"250 test\r\n"
                    } else if command.starts_with("RCPT") && refuse {
                        b"550 no such mailbox\r\n"
                    } else if command.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go on\r\n"
                    } else if command.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, received)
}

fn transport(port: u16) -> Transport {
    let config = test_config(
        "sqlite://unused.db",
        &[("SMTP_URL", &format!("smtp://127.0.0.1:{port}"))],
    );
    app::mail::worker::transport(&config).unwrap().expect("SMTP_URL is set")
}

async fn queue(app: &common::TestApp, to: &str, subject: &str) {
    let mut tx = app.db().begin().await.unwrap();
    enqueue(&mut tx, to, subject, "Bonjour,\nun message de test.", now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn statuses(app: &common::TestApp) -> Vec<(String, String, i64)> {
    app::on_pool!(app.db(), |pool| sqlx::query_as::<_, (String, String, i64)>(
        "select subject, status, attempts from outgoing_email order by subject"
    )
    .fetch_all(pool)
    .await)
    .unwrap()
}

#[tokio::test]
async fn pending_mail_is_sent_over_smtp_once() {
    let app = spawn_app().await;
    let (port, received) = smtp_server(false).await;
    queue(&app, "a@example.org", "Premier").await;
    queue(&app, "b@example.org", "Second").await;
    let from = "Programme <dons@example.org>".parse().unwrap();

    let sent = send_pending(app.db(), &transport(port), &from).await.unwrap();
    assert_eq!(sent, 2);
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    assert!(
        received[0].contains("Subject: Premier") && received[0].contains("To: a@example.org"),
        "{}",
        received[0]
    );
    assert_eq!(
        statuses(&app).await,
        vec![
            ("Premier".into(), "sent".into(), 1),
            ("Second".into(), "sent".into(), 1)
        ]
    );
    // Nothing is left to send: a second round sends nothing again.
    assert_eq!(send_pending(app.db(), &transport(port), &from).await.unwrap(), 0);
}

#[tokio::test]
async fn two_workers_never_send_the_same_message() {
    let app = spawn_app().await;
    let (port, received) = smtp_server(false).await;
    for i in 0..6 {
        queue(&app, "a@example.org", &format!("Message {i}")).await;
    }
    let from = "dons@example.org".parse().unwrap();
    let (first, second) = (transport(port), transport(port));
    let (one, two) = tokio::join!(
        send_pending(app.db(), &first, &from),
        send_pending(app.db(), &second, &from)
    );
    assert_eq!(one.unwrap() + two.unwrap(), 6);
    assert_eq!(
        received.lock().unwrap().len(),
        6,
        "each message reached the SMTP server exactly once"
    );
}

#[tokio::test]
async fn refused_mail_is_retried_then_marked_failed() {
    let app = spawn_app().await;
    let (port, received) = smtp_server(true).await;
    queue(&app, "nobody@example.org", "Refusé").await;
    let from = "dons@example.org".parse().unwrap();
    for attempt in 1..=MAX_ATTEMPTS {
        assert_eq!(send_pending(app.db(), &transport(port), &from).await.unwrap(), 0);
        let expected = if attempt < MAX_ATTEMPTS { "pending" } else { "failed" };
        assert_eq!(statuses(&app).await, vec![("Refusé".into(), expected.into(), attempt)]);
    }
    // A failed message is not claimed again.
    assert_eq!(send_pending(app.db(), &transport(port), &from).await.unwrap(), 0);
    assert_eq!(statuses(&app).await[0].2, MAX_ATTEMPTS);
    assert!(received.lock().unwrap().is_empty());
}
