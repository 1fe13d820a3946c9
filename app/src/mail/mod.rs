//! E-mail: messages are written to the outbox table in the transaction that causes them;
//! a worker claims each one once and sends it over SMTP with lettre. Staff read the outbox
//! in the app (the dev viewer), which is also where mail waits when no SMTP server is set.

pub mod api;
pub use domain::mail::model;
pub mod templates;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod worker;

/// Renders `email` in `locale` and writes it to the outbox in `tx`.
#[cfg(feature = "ssr")]
pub async fn queue(
    tx: &mut crate::db::DbTx,
    state: &crate::state::AppState,
    to: &str,
    email: &templates::Email,
    locale: crate::i18n::Locale,
) -> Result<(), sqlx::Error> {
    queue_with_qr(tx, state, to, email, locale, None).await
}

/// Like [`queue`], with the text of an EPC QR code ("scan to pay") the message shows as an
/// image beside its text (drawn when it is sent, so the outbox keeps only text).
#[cfg(feature = "ssr")]
pub async fn queue_with_qr(
    tx: &mut crate::db::DbTx,
    state: &crate::state::AppState,
    to: &str,
    email: &templates::Email,
    locale: crate::i18n::Locale,
    qr_payload: Option<&str>,
) -> Result<(), sqlx::Error> {
    let (subject, body) = templates::render(email, locale, &state.config.programme.name, &state.config.public_url);
    db::enqueue(
        tx,
        to,
        &subject,
        &body,
        &sender_domain(&state.config.smtp.from),
        qr_payload,
        crate::db::now(),
    )
    .await
}

/// Wakes this instance's outbox worker, so a message queued by a transaction that has just
/// committed goes now rather than at the next poll. Call it after the commit, never before:
/// woken earlier, the worker could look before the row is visible and sleep a whole period.
/// A wake-up that finds nothing is harmless; one with no worker waiting is kept for its next
/// look.
#[cfg(feature = "ssr")]
pub fn wake(state: &crate::state::AppState) {
    state.outbox_wake.notify_one();
}

/// The domain of the `SMTP_FROM` address, for Message-IDs (checked at start; a placeholder
/// if it somehow cannot be read, since a Message-ID only needs to be unique).
#[cfg(feature = "ssr")]
fn sender_domain(from: &str) -> String {
    from.parse::<lettre::message::Mailbox>()
        .map(|mailbox| mailbox.email.domain().to_owned())
        .unwrap_or_else(|_| "outbox.invalid".to_owned())
}
