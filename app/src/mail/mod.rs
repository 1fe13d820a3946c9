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
    let (subject, body) = templates::render(email, locale, &state.config.programme.name, &state.config.public_url);
    db::enqueue(tx, to, &subject, &body, crate::db::now()).await
}
