//! The outbox worker: sends pending messages over SMTP, one claim per message.

use crate::config::Config;
use crate::db::{Db, now};
use crate::mail::db::{claim_next, mark_failed, mark_sent};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How often the worker looks for mail when the outbox was empty.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

pub type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// The SMTP transport for `SMTP_URL` (`smtp://host:port` plain, `smtp://…?tls=required`
/// STARTTLS, `smtps://…` TLS; credentials as `user:pass@`), or `None` when unset.
pub fn transport(config: &Config) -> Result<Option<Transport>, lettre::transport::smtp::Error> {
    match &config.smtp.url {
        Some(url) => Ok(Some(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build())),
        None => Ok(None),
    }
}

/// Sends every message waiting in the outbox; returns how many were sent.
pub async fn send_pending(db: &Db, transport: &Transport, from: &Mailbox) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    while let Some(claimed) = claim_next(db, now()).await? {
        let result = async {
            let message = Message::builder()
                .from(from.clone())
                .to(claimed.to_address.parse::<Mailbox>().map_err(|e| e.to_string())?)
                .subject(claimed.subject.clone())
                .body(claimed.body_text.clone())
                .map_err(|e| e.to_string())?;
            transport.send(message).await.map_err(|e| e.to_string())
        }
        .await;
        match result {
            Ok(_) => {
                mark_sent(db, &claimed.id, now()).await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(id = %claimed.id, attempts = claimed.attempts, %error, "sending e-mail failed");
                mark_failed(db, &claimed.id, claimed.attempts, &error).await?;
                // Leave the rest for the next round rather than hammering a failing server.
                break;
            }
        }
    }
    Ok(sent)
}

/// Runs [`send_pending`] until the process stops.
pub fn spawn(db: Db, transport: Transport, from: Mailbox) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match send_pending(&db, &transport, &from).await {
                Ok(count) if count > 0 => tracing::info!(count, "e-mails sent"),
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "outbox worker: database error"),
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    })
}

/// Starts the worker when `SMTP_URL` is set; `Err` names what is wrong with the settings.
pub fn start(config: &Config, db: &Db) -> Result<Option<tokio::task::JoinHandle<()>>, String> {
    let from: Mailbox = config.smtp.from.parse().map_err(|e| format!("SMTP_FROM: {e}"))?;
    let transport = transport(config).map_err(|e| e.to_string())?;
    Ok(transport.map(|transport| {
        tracing::info!("outbox worker started");
        spawn(db.clone(), transport, from)
    }))
}
