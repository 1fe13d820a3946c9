//! The outbox worker: sends due messages over SMTP, one claim per message. A message that
//! fails is rescheduled on its own (exponential backoff) or becomes a dead letter; it never
//! ends the round for the others. On shutdown the worker stops claiming, finishes the message
//! in hand within a grace period, or gives it back for another instance to send at once.

use crate::config::Config;
use crate::db::{Db, now};
use crate::mail::db::{Claimed, claim_next, expire_last_claims, mark_failed, mark_sent, release};
use domain::mail::rules::{AfterFailure, after_failure};
use lettre::message::Mailbox;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// How long a stopping worker lets the message in hand finish before giving it back.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

pub type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// Everything a round needs: where to send from and how to retry.
#[derive(Clone)]
pub struct Sender {
    pub transport: Transport,
    pub from: Mailbox,
    /// Attempts before a message is a dead letter.
    pub max_attempts: i64,
    /// The wait after a first failure, doubled after each next one.
    pub retry_base: chrono::Duration,
    /// How long a stopping worker waits for the message in hand.
    pub grace: Duration,
    /// How often the worker looks for mail it was not woken for (queued by other instances,
    /// or due again after a failure): `MAIL_POLL_SECONDS`.
    pub poll: Duration,
}

/// The SMTP transport for `SMTP_URL` (`smtp://host:port` plain, `smtp://…?tls=required`
/// STARTTLS, `smtps://…` TLS; credentials as `user:pass@`), or `None` when unset.
pub fn transport(config: &Config) -> Result<Option<Transport>, lettre::transport::smtp::Error> {
    match &config.smtp.url {
        Some(url) => Ok(Some(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build())),
        None => Ok(None),
    }
}

/// The [`Sender`] of `config` around `transport`; `Err` names a bad `SMTP_FROM`.
pub fn sender(config: &Config, transport: Transport) -> Result<Sender, String> {
    let from: Mailbox = config.smtp.from.parse().map_err(|e| format!("SMTP_FROM: {e}"))?;
    Ok(Sender {
        transport,
        from,
        max_attempts: i64::from(config.smtp.max_attempts),
        retry_base: chrono::Duration::seconds(i64::from(config.smtp.retry_seconds)),
        grace: SHUTDOWN_GRACE,
        poll: config.smtp.poll,
    })
}

/// Why an attempt failed, and whether trying again could help.
struct Failure {
    permanent: bool,
    error: String,
}

impl Failure {
    fn permanent(error: impl ToString) -> Self {
        Failure {
            permanent: true,
            error: error.to_string(),
        }
    }
}

/// The message as sent: to the bare address (never a display name read from the row), with
/// the Message-ID chosen when it was queued.
fn build(claimed: &Claimed, from: &Mailbox) -> Result<Message, Failure> {
    let to: Address = claimed.to_address.parse().map_err(Failure::permanent)?;
    let message_id = match &claimed.message_id {
        Some(id) => id.clone(),
        None => format!("<{}@{}>", claimed.id, from.email.domain()),
    };
    let builder = Message::builder()
        .from(from.clone())
        .to(Mailbox::new(None, to))
        .message_id(Some(message_id))
        .subject(claimed.subject.clone());
    match &claimed.qr_payload {
        None => builder.body(claimed.body_text.clone()),
        Some(payload) => builder.multipart(with_qr(&claimed.body_text, payload)?),
    }
    .map_err(Failure::permanent)
}

/// The Content-ID of the "scan to pay" image in a message.
pub const QR_CONTENT_ID: &str = "scan-to-pay";

/// Text and HTML alternatives of a message with its EPC QR code: the text as it is, and the
/// same text in HTML with the code as an inline PNG (`cid:scan-to-pay`) that a banking app
/// scans from the screen. A payload that makes no code is a permanent failure.
fn with_qr(text: &str, payload: &str) -> Result<lettre::message::MultiPart, Failure> {
    use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
    let png = crate::payment::qr::QrMatrix::encode(payload)
        .ok_or_else(|| Failure::permanent("the QR payload makes no code"))?
        .to_png()
        .map_err(Failure::permanent)?;
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let html = format!(
        "<!doctype html><html><body><pre style=\"font-family:inherit;white-space:pre-wrap\">{escaped}</pre>\
         <p><img src=\"cid:{QR_CONTENT_ID}\" width=\"200\" height=\"200\" alt=\"EPC QR\"></p></body></html>"
    );
    let image_type = ContentType::parse("image/png").map_err(Failure::permanent)?;
    Ok(MultiPart::alternative()
        .singlepart(SinglePart::plain(text.to_owned()))
        .multipart(
            MultiPart::related()
                .singlepart(SinglePart::html(html))
                .singlepart(Attachment::new_inline(QR_CONTENT_ID.to_owned()).body(png, image_type)),
        ))
}

/// Resolves once `stop` says stop; never when no one can say it any more.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Sends every message due in the outbox, one claim each, until none is due or `stop` says
/// stop; returns how many were sent.
pub async fn send_pending(db: &Db, sender: &Sender, stop: &watch::Receiver<bool>) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    expire_last_claims(db, now(), sender.max_attempts).await?;
    while !*stop.borrow() {
        let Some(claimed) = claim_next(db, now(), sender.max_attempts).await? else {
            break;
        };
        let attempt = async {
            let message = build(&claimed, &sender.from)?;
            sender.transport.send(message).await.map_err(|e| Failure {
                permanent: e.is_permanent(),
                error: e.to_string(),
            })
        };
        let mut stop_signal = stop.clone();
        let grace_over = async {
            stopped(&mut stop_signal).await;
            tokio::time::sleep(sender.grace).await;
        };
        let result = tokio::select! {
            result = attempt => result,
            () = grace_over => {
                // Stopping, and the server did not answer in time: give the message back so
                // another instance sends it now (with the same Message-ID) rather than after
                // the claim times out.
                release(db, &claimed).await?;
                tracing::warn!(id = %claimed.id, "outbox worker stopping: message released");
                break;
            }
        };
        match result {
            Ok(_) => {
                mark_sent(db, &claimed.id, now()).await?;
                sent += 1;
            }
            Err(failure) => {
                let fate = after_failure(
                    claimed.attempts,
                    failure.permanent,
                    sender.max_attempts,
                    sender.retry_base,
                );
                let retry_at = match fate {
                    AfterFailure::RetryIn(delay) => Some(now() + delay),
                    AfterFailure::DeadLetter => None,
                };
                tracing::warn!(
                    id = %claimed.id, attempts = claimed.attempts, permanent = failure.permanent,
                    dead_letter = retry_at.is_none(), error = %failure.error, "sending e-mail failed"
                );
                mark_failed(db, &claimed.id, retry_at, &failure.error).await?;
            }
        }
    }
    Ok(sent)
}

/// The running worker; [`OutboxWorker::shutdown`] stops it cleanly.
pub struct OutboxWorker {
    stop: watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl OutboxWorker {
    /// Stops claiming, lets the message in hand finish within the grace period or releases
    /// it, and returns once the worker has ended.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.handle.await {
            tracing::error!(%error, "outbox worker ended abnormally");
        }
    }
}

/// Runs [`send_pending`] whenever `wake` is notified (mail queued on this instance, see
/// [`crate::mail::wake`]) and at least every [`Sender::poll`], until shut down.
pub fn spawn(db: Db, sender: Sender, wake: Arc<Notify>) -> OutboxWorker {
    let (stop, receiver) = watch::channel(false);
    let handle = tokio::spawn(async move {
        let mut stopping = receiver.clone();
        loop {
            match send_pending(&db, &sender, &receiver).await {
                Ok(count) if count > 0 => tracing::info!(count, "e-mails sent"),
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "outbox worker: database error"),
            }
            // A notification sent while the round ran is kept by `Notify` (one permit), so
            // mail committed meanwhile is looked for at once rather than after the poll.
            tokio::select! {
                () = stopped(&mut stopping) => break,
                () = wake.notified() => {}
                () = tokio::time::sleep(sender.poll) => {}
            }
        }
        tracing::info!("outbox worker stopped");
    });
    OutboxWorker { stop, handle }
}

/// Starts the worker when `SMTP_URL` is set; `Err` names what is wrong with the settings.
pub fn start(config: &Config, db: &Db, wake: Arc<Notify>) -> Result<Option<OutboxWorker>, String> {
    let Some(transport) = transport(config).map_err(|e| e.to_string())? else {
        // Still check the sender, so a bad SMTP_FROM is found before mail is configured.
        config
            .smtp
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("SMTP_FROM: {e}"))?;
        return Ok(None);
    };
    let sender = sender(config, transport)?;
    tracing::info!("outbox worker started");
    Ok(Some(spawn(db.clone(), sender, wake)))
}
