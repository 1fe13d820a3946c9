//! The outbox worker against a real SMTP conversation: a minimal SMTP server on a local
//! port records what lettre sends, and refuses, delays or drops recipients by their name to
//! exercise retries, dead letters and shutdown.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use app::db::now;
use app::mail::db::enqueue;
use app::mail::worker::{Sender, send_pending};
use common::{Caller, DEMO_PASSWORD, spawn_app, test_config};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// What the fake SMTP server received: one entry per accepted message, its whole text.
type Received = Arc<Mutex<Vec<String>>>;

/// A tiny SMTP server. Recipients name their fate: `refused…` get 550 (permanent), `busy…`
/// 451 (transient), `hang…` get no answer after their message, `drop…` have the connection
/// closed after their message the first time (a crash mid-send: the message arrived but
/// was never acknowledged); everyone else is accepted.
async fn smtp_server() -> (u16, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received: Received = Arc::new(Mutex::new(Vec::new()));
    let dropped_once = Arc::new(Mutex::new(HashSet::<String>::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            let dropped_once = dropped_once.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.ok();
                let mut data: Option<String> = None;
                let mut recipient = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(std::mem::take(body));
                            data = None;
                            if recipient.starts_with("hang") {
                                tokio::time::sleep(Duration::from_secs(3600)).await;
                            }
                            if recipient.starts_with("drop") && dropped_once.lock().unwrap().insert(recipient.clone()) {
                                return;
                            }
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
                    } else if command.starts_with("RCPT") {
                        recipient = line
                            .split('<')
                            .nth(1)
                            .unwrap_or_default()
                            .trim_end_matches('>')
                            .to_owned();
                        if recipient.starts_with("refused") {
                            b"550 no such mailbox\r\n"
                        } else if recipient.starts_with("busy") {
                            b"451 try again later\r\n"
                        } else {
                            b"250 ok\r\n"
                        }
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

/// A sender to the fake server, with these settings on top of the defaults.
fn sender(port: u16, vars: &[(&str, &str)]) -> Sender {
    let url = format!("smtp://127.0.0.1:{port}");
    let mut all = vec![
        ("SMTP_URL", url.as_str()),
        ("SMTP_FROM", "Programme <dons@example.org>"),
    ];
    all.extend_from_slice(vars);
    let config = test_config("sqlite://unused.db", &all);
    let transport = app::mail::worker::transport(&config).unwrap().expect("SMTP_URL is set");
    app::mail::worker::sender(&config, transport).unwrap()
}

/// A stop signal nobody gives.
fn running() -> watch::Receiver<bool> {
    watch::channel(false).1
}

async fn queue(app: &common::TestApp, to: &str, subject: &str) {
    let mut tx = app.db().begin().await.unwrap();
    enqueue(
        &mut tx,
        to,
        subject,
        "Bonjour,\nun message de test.",
        "example.org",
        None,
        now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// (subject, status, attempts) of every message, by subject.
async fn statuses(app: &common::TestApp) -> Vec<(String, String, i64)> {
    app::on_pool!(app.db(), |pool| sqlx::query_as::<_, (String, String, i64)>(
        "select subject, status, attempts from outgoing_email order by subject"
    )
    .fetch_all(pool)
    .await)
    .unwrap()
}

async fn status_of(app: &common::TestApp, subject: &str) -> (String, i64) {
    let all = statuses(app).await;
    let (_, status, attempts) = all.into_iter().find(|(s, _, _)| s == subject).unwrap();
    (status, attempts)
}

async fn next_attempt_at(app: &common::TestApp, subject: &str) -> Option<app::db::Timestamp> {
    app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, Option<app::db::Timestamp>>(
        "select next_attempt_at from outgoing_email where subject = $1"
    )
    .bind(subject)
    .fetch_one(pool)
    .await)
    .unwrap()
}

/// Moves every retry time into the past, as if the wait were over.
async fn make_retries_due(app: &common::TestApp) {
    let past = now() - chrono::Duration::seconds(1);
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update outgoing_email set next_attempt_at = $1 where next_attempt_at is not null"
    )
    .bind(past)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
}

/// The `Message-ID` header of a received message.
fn message_id_of(text: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix("Message-ID: "))
        .unwrap_or_else(|| panic!("no Message-ID in {text}"))
        .to_owned()
}

#[tokio::test]
async fn pending_mail_is_sent_over_smtp_once() {
    let app = spawn_app().await;
    let (port, received) = smtp_server().await;
    queue(&app, "a@example.org", "Premier").await;
    queue(&app, "b@example.org", "Second").await;
    let sender = sender(port, &[]);

    let sent = send_pending(app.db(), &sender, &running()).await.unwrap();
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
    assert_eq!(send_pending(app.db(), &sender, &running()).await.unwrap(), 0);
}

#[tokio::test]
async fn two_workers_never_send_the_same_message() {
    let app = spawn_app().await;
    let (port, received) = smtp_server().await;
    for i in 0..12 {
        queue(&app, "a@example.org", &format!("Message {i:02}")).await;
    }
    // Poisoned messages among them: each is claimed once too.
    queue(&app, "refused@example.org", "Refusé").await;
    queue(&app, "busy@example.org", "Occupé").await;
    let (first, second, third) = (sender(port, &[]), sender(port, &[]), sender(port, &[]));
    let (stop1, stop2, stop3) = (running(), running(), running());
    let (one, two, three) = tokio::join!(
        send_pending(app.db(), &first, &stop1),
        send_pending(app.db(), &second, &stop2),
        send_pending(app.db(), &third, &stop3),
    );
    assert_eq!(one.unwrap() + two.unwrap() + three.unwrap(), 12);
    let received = received.lock().unwrap().clone();
    let ids: HashSet<String> = received.iter().map(|m| message_id_of(m)).collect();
    assert_eq!(received.len(), 12, "each message reached the SMTP server exactly once");
    assert_eq!(ids.len(), 12);
    assert_eq!(status_of(&app, "Refusé").await, ("failed".into(), 1));
    assert_eq!(status_of(&app, "Occupé").await, ("pending".into(), 1));
}

/// Issue 21: three messages the worker could not send, queued before a password reset, held
/// it back for 76 s (each failure ended the round). Now the reset goes out in the first round.
#[tokio::test]
async fn poisoned_messages_never_hold_up_the_next_one() {
    let app = spawn_app().await;
    let (port, received) = smtp_server().await;
    // Rows as an old form let them in: an address lettre refuses, and one with a display name.
    queue(&app, "\"x,y\"@example.org", "1 quoted").await;
    queue(&app, "x<sophie@example.org>", "2 display name").await;
    queue(&app, "refused@example.org", "3 refused").await;
    queue(&app, "busy@example.org", "4 busy").await;
    queue(&app, "busy2@example.org", "5 busy").await;
    queue(&app, "anne@example.org", "6 reset").await;
    let sender = sender(port, &[]);

    assert_eq!(send_pending(app.db(), &sender, &running()).await.unwrap(), 1);
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("Subject: 6 reset"), "{}", received[0]);
    assert!(!received[0].contains("sophie"), "never delivered to a name's address");
    assert_eq!(
        statuses(&app).await,
        vec![
            ("1 quoted".into(), "failed".into(), 1),
            ("2 display name".into(), "failed".into(), 1),
            ("3 refused".into(), "failed".into(), 1),
            ("4 busy".into(), "pending".into(), 1),
            ("5 busy".into(), "pending".into(), 1),
            ("6 reset".into(), "sent".into(), 1),
        ],
        "refused for good at once: dead letters; refused for now: waiting for their retry"
    );
    let error: Option<String> = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select last_error from outgoing_email where subject = '3 refused'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert!(error.unwrap().contains("no such mailbox"));
    // A second round right away tries none of them again.
    assert_eq!(send_pending(app.db(), &sender, &running()).await.unwrap(), 0);
    assert_eq!(status_of(&app, "4 busy").await, ("pending".into(), 1));
}

#[tokio::test]
async fn transient_failures_wait_twice_as_long_each_time_then_are_dead_letters() {
    let app = spawn_app().await;
    let (port, received) = smtp_server().await;
    queue(&app, "busy@example.org", "Occupé").await;
    let sender = sender(port, &[("MAIL_MAX_ATTEMPTS", "3"), ("MAIL_RETRY_SECONDS", "60")]);
    for (attempt, wait) in [(1, 60), (2, 120)] {
        let before = now();
        send_pending(app.db(), &sender, &running()).await.unwrap();
        let after = now();
        assert_eq!(status_of(&app, "Occupé").await, ("pending".into(), attempt));
        let next = next_attempt_at(&app, "Occupé").await.unwrap();
        let wait = chrono::Duration::seconds(wait);
        // Microseconds: PostgreSQL keeps no finer instants.
        let slack = chrono::Duration::milliseconds(1);
        assert!(
            next >= before + wait - slack && next <= after + wait + slack,
            "attempt {attempt}: next at {next}, expected {wait} after {before}"
        );
        // Not due yet: not tried.
        send_pending(app.db(), &sender, &running()).await.unwrap();
        assert_eq!(status_of(&app, "Occupé").await, ("pending".into(), attempt));
        make_retries_due(&app).await;
    }
    send_pending(app.db(), &sender, &running()).await.unwrap();
    assert_eq!(
        status_of(&app, "Occupé").await,
        ("failed".into(), 3),
        "a dead letter after 3"
    );
    assert_eq!(next_attempt_at(&app, "Occupé").await, None);
    make_retries_due(&app).await;
    send_pending(app.db(), &sender, &running()).await.unwrap();
    assert_eq!(
        status_of(&app, "Occupé").await,
        ("failed".into(), 3),
        "never tried again"
    );
    assert!(received.lock().unwrap().is_empty());
    assert_eq!(app::mail::db::count_dead_letters(app.db()).await.unwrap(), 1);
}

/// An instance that died during a message's last allowed attempt leaves it claimed: once the
/// claim expires it becomes a dead letter rather than staying "sending" for ever.
#[tokio::test]
async fn a_message_whose_last_attempt_was_interrupted_becomes_a_dead_letter() {
    let app = spawn_app().await;
    let (port, received) = smtp_server().await;
    queue(&app, "anne@example.org", "Interrompu").await;
    queue(&app, "anne@example.org", "Récent").await;
    let long_ago = now() - chrono::Duration::minutes(10);
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update outgoing_email set status = 'sending', claimed_at = $1, attempts = 3 where subject = 'Interrompu'"
    )
    .bind(long_ago)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();
    let sender = sender(port, &[("MAIL_MAX_ATTEMPTS", "3")]);
    assert_eq!(send_pending(app.db(), &sender, &running()).await.unwrap(), 1);
    assert_eq!(status_of(&app, "Interrompu").await, ("failed".into(), 3));
    assert_eq!(status_of(&app, "Récent").await, ("sent".into(), 1));
    assert_eq!(received.lock().unwrap().len(), 1);
}

/// A message that reached the server but whose acknowledgement was lost is sent again with
/// the same Message-ID, so the receiving system can drop the copy.
#[tokio::test]
async fn a_message_sent_again_keeps_its_message_id() {
    let app = spawn_app().await;
    let (port, received) = smtp_server().await;
    queue(&app, "drop@example.org", "Facture").await;
    let stored: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select message_id from outgoing_email where subject = 'Facture'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert!(stored.starts_with('<') && stored.ends_with("@example.org>"), "{stored}");
    let sender = sender(port, &[]);
    assert_eq!(send_pending(app.db(), &sender, &running()).await.unwrap(), 0);
    assert_eq!(status_of(&app, "Facture").await, ("pending".into(), 1));
    make_retries_due(&app).await;
    assert_eq!(send_pending(app.db(), &sender, &running()).await.unwrap(), 1);
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "the server got it twice");
    assert_eq!(message_id_of(&received[0]), stored);
    assert_eq!(message_id_of(&received[1]), stored);
}

/// A stopping instance gives back the message its SMTP server is slow to acknowledge, at
/// once, and claims nothing more: another instance sends it in its next round, not after
/// the five-minute claim timeout.
#[tokio::test]
async fn shutdown_releases_the_message_in_hand_and_claims_no_more() {
    let app = spawn_app().await;
    let (port, received) = smtp_server().await;
    queue(&app, "hang@example.org", "1 lent").await;
    queue(&app, "anne@example.org", "2 suivant").await;
    let mut slow = sender(port, &[]);
    slow.grace = Duration::from_millis(200);
    let worker = app::mail::worker::spawn(app.db().clone(), slow, std::sync::Arc::default());
    // Wait until the first message is in the server's hands.
    for _ in 0..500 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(status_of(&app, "1 lent").await, ("sending".into(), 1));
    worker.shutdown().await;
    assert_eq!(
        statuses(&app).await,
        vec![
            ("1 lent".into(), "pending".into(), 0),
            ("2 suivant".into(), "pending".into(), 0)
        ],
        "released, the attempt not counted; the next one not claimed"
    );
    assert_eq!(next_attempt_at(&app, "1 lent").await, None, "due at once");

    // Another instance claims it in its very next round.
    let claimed = app::mail::db::claim_next(app.db(), now(), 8).await.unwrap().unwrap();
    assert_eq!((claimed.subject.as_str(), claimed.attempts), ("1 lent", 1));
}

/// A stopped worker that is idle ends at once.
#[tokio::test]
async fn an_idle_worker_stops_at_once() {
    let app = spawn_app().await;
    let (port, _) = smtp_server().await;
    let worker = app::mail::worker::spawn(app.db().clone(), sender(port, &[]), std::sync::Arc::default());
    tokio::time::timeout(Duration::from_secs(30), worker.shutdown())
        .await
        .expect("the worker ended");
}

/// Issue 21: a password-reset e-mail goes at once, not at the worker's next poll: the request
/// wakes this instance's worker after its transaction commits. The poll period here is ten
/// minutes, so only the wake-up can send the message within the test's minute.
#[tokio::test]
async fn mail_queued_on_this_instance_is_sent_without_waiting_for_the_poll() {
    let app = spawn_app().await.with_demo().await;
    let (port, received) = smtp_server().await;
    let sender = sender(port, &[("MAIL_POLL_SECONDS", "600")]);
    assert_eq!(sender.poll, Duration::from_secs(600));
    assert!(app.mail_to("sophie@amisduquartier.example.org").await.is_empty());
    let worker = app::mail::worker::spawn(app.db().clone(), sender, app.outbox_wake.clone());
    // Its first round may or may not have run yet: either way it finds the outbox empty and
    // the reset below must wake it.
    let (status, body) = app
        .call_as(&Caller::default(), "request_password_reset", &[("identifier", "amis")])
        .await;
    assert_eq!(status, 200, "{body}");
    let to_sophie = || {
        received
            .lock()
            .unwrap()
            .iter()
            .any(|text| text.contains("To: sophie@amisduquartier.example.org"))
    };
    let sent = tokio::time::timeout(Duration::from_secs(60), async {
        while !to_sophie() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(sent.is_ok(), "the reset e-mail waited for the poll");
    worker.shutdown().await;
}

/// The part of a received message with `Content-ID: <id>`, base64-decoded: the lines after
/// its headers' blank line, up to the next blank line or boundary.
fn inline_part(message: &str, id: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let start = message.find(&format!("Content-ID: <{id}>"))?;
    let body: String = message[start..]
        .lines()
        .map(str::trim_end)
        .skip_while(|line| !line.is_empty())
        .skip(1)
        .take_while(|line| !line.is_empty() && !line.starts_with("--"))
        .collect();
    base64::engine::general_purpose::STANDARD.decode(body).ok()
}

#[tokio::test]
async fn the_invoice_email_carries_its_scan_to_pay_code() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let (status, answer) = app
        .call_as(
            &holder,
            "checkout",
            &[
                ("idempotency_key", "mail-qr-key-00000001"),
                ("lines[0][slug]", "adobe-acrobat-pro-2024"),
                ("lines[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let checkout_id = answer["Placed"]["checkout_id"].as_str().unwrap().to_owned();
    let (_, invoices) = app
        .call_as(&holder, "load_checkout", &[("checkout_id", &checkout_id)])
        .await;
    let invoice_id = invoices[0]["invoice_id"].as_str().unwrap().to_owned();
    let (_, loaded) = app
        .call_as(&holder, "load_invoice", &[("invoice_id", &invoice_id)])
        .await;
    let (invoice, programme) = (&loaded[0], &loaded[1]);
    let (port, received) = smtp_server().await;
    send_pending(app.db(), &sender(port, &[]), &running()).await.unwrap();
    let received = received.lock().unwrap().clone();
    let with_code: Vec<&String> = received
        .iter()
        .filter(|m| m.contains("Content-ID: <scan-to-pay>"))
        .collect();
    assert_eq!(with_code.len(), 1, "the invoice e-mail, and only it");
    let message = with_code[0];
    assert!(message.contains("multipart/alternative") && message.contains("cid:scan-to-pay"));
    let png = inline_part(message, "scan-to-pay").expect("the inline image");
    let text = common::read_qr_png(&png);
    let lines: Vec<&str> = text.split('\n').collect();
    let total = invoice["total_cents"].as_i64().unwrap();
    let iban: String = programme["iban"]
        .as_str()
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert_eq!(lines[..3], ["BCD", "002", "1"]);
    assert_eq!(lines[3], "SCT");
    assert_eq!(lines[4], programme["bic"].as_str().unwrap());
    assert_eq!(lines[5], programme["account_holder"].as_str().unwrap());
    assert_eq!(lines[6], iban);
    assert_eq!(lines[7], format!("EUR{}.{:02}", total / 100, total % 100));
    assert!(lines.contains(&invoice["communication"].as_str().unwrap()), "{text}");
    // A message without a code stays plain text.
    assert!(
        received
            .iter()
            .filter(|m| !m.contains("scan-to-pay"))
            .all(|m| !m.contains("multipart"))
    );
}
