//! Rate limits counted in the database (`auth_attempt`), so that every app instance sees the
//! same counts: logins per account and per client address, reset requests per account, and,
//! per client address, the public forms that need no account ([`per_client`]): registration,
//! "Mon organisation est-elle inscrite ?" and the reset link's form, each costing an argon2
//! hash or a staff member's time.
//!
//! Every limit is a reservation taken before the work ([`reserve`]): one write transaction
//! counts the window and stores the attempt only if the count is below the maximum, so a
//! burst of concurrent calls gets exactly the maximum through. Checking first and recording
//! after the ~20 ms password hash let 60 concurrent logins all through.

use crate::auth::db;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::state::AppState;
use chrono::Duration;
use std::net::IpAddr;

/// One counter: at most `max` attempts of `kind` by `subject` within `window`. The table
/// allows four kinds (`login`, `reset`, `register`, `inquiry`); counters of one kind are told
/// apart by a prefix on the subject — `person:` an account, `name:` an identifier no account
/// has, `client:` a client address — so that no identifier a visitor types can name another
/// counter.
pub struct Limit<'a> {
    pub kind: &'a str,
    pub subject: &'a str,
    pub max: i64,
    pub window: Duration,
}

/// The attempts [`reserve`] stored, one per limit, so that a call that should not count (a
/// successful login) can give its places back with [`release`].
#[must_use = "a reservation is kept unless released"]
pub struct Reservation {
    attempt_ids: Vec<String>,
}

/// Takes one place in every limit at once, or none: refuses with 429 and `Retry-After`
/// (when the oldest attempt of the fullest counter leaves its window) if any of them has
/// `max` attempts within its window before `now`. The counters are serialised for the time
/// of one short transaction (SQLite's write lock; PostgreSQL advisory locks taken in a fixed
/// order, so two calls naming the same counters cannot deadlock).
pub async fn reserve(db: &Db, limits: &[Limit<'_>], now: Timestamp) -> Result<Reservation, AppError> {
    let mut keys: Vec<String> = limits
        .iter()
        .map(|limit| format!("{}\n{}", limit.kind, limit.subject))
        .collect();
    keys.sort();
    keys.dedup();
    let mut tx = db.begin().await?;
    for key in &keys {
        db::lock_attempts(&mut tx, key).await?;
    }
    let mut wait: Option<Duration> = None;
    for limit in limits {
        let (attempts, oldest) = db::count_attempts(&mut tx, limit.kind, limit.subject, now - limit.window).await?;
        if attempts >= limit.max {
            let this = oldest.map_or(limit.window, |t| t + limit.window - now);
            wait = Some(wait.map_or(this, |w| w.max(this)));
        }
    }
    if let Some(wait) = wait {
        tx.rollback().await?;
        return Err(crate::error::too_many_requests(wait));
    }
    let mut attempt_ids = Vec::with_capacity(limits.len());
    for limit in limits {
        attempt_ids.push(db::insert_attempt(&mut tx, limit.kind, limit.subject, now).await?);
    }
    tx.commit().await?;
    Ok(Reservation { attempt_ids })
}

/// Gives back the places of a reservation (a successful login does not count).
pub async fn release(db: &Db, reservation: Reservation) -> Result<(), AppError> {
    for id in &reservation.attempt_ids {
        db::delete_attempt(db, id).await?;
    }
    Ok(())
}

/// The span over which [`per_client`] counts a client's calls.
pub const PUBLIC_FORM_WINDOW: Duration = Duration::hours(1);

/// The caller's address, found as `CLIENT_IP_SOURCE` says (the TCP peer by default; behind a
/// load balancer, the header it sets). `None` when the server was not started with the
/// connection's address at hand.
pub async fn client_address() -> Option<IpAddr> {
    leptos_axum::extract::<axum_client_ip::ClientIp>()
        .await
        .ok()
        .map(|ip| ip.0)
}

/// The caller's address as a counter's subject. Callers without a known address share one
/// count: refusing too much beats not limiting.
pub async fn client_subject() -> String {
    client_address()
        .await
        .map_or_else(|| "unknown".to_owned(), |address| address.to_string())
}

/// Counts one call of `kind` for the caller's address, or refuses it with 429 and
/// `Retry-After` once the address has made `PUBLIC_FORMS_PER_HOUR` of them within the hour.
/// `kind` is one the table allows (`register`, `inquiry`, `reset`); `prefix` tells apart the
/// address's counters that share a kind (`""` for the forms that have a kind of their own).
pub async fn per_client(state: &AppState, kind: &str, prefix: &str) -> Result<(), AppError> {
    let subject = format!("{prefix}{}", client_subject().await);
    let limit = Limit {
        kind,
        subject: &subject,
        max: i64::from(state.config.public_forms_per_hour),
        window: PUBLIC_FORM_WINDOW,
    };
    let _kept = reserve(&state.db, &[limit], crate::db::now()).await?;
    Ok(())
}
