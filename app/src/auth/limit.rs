//! Rate limits counted in the database (`auth_attempt`), so that every app instance sees the
//! same counts: failed logins and reset requests per identifier ([`refuse_past`]), and, per
//! client address, the public forms that need no account ([`per_client`]): registration and
//! "Mon organisation est-elle inscrite ?", each costing an argon2 hash or a staff member's time.

use crate::auth::db;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::state::AppState;
use chrono::Duration;
use std::net::IpAddr;

/// Refuses with 429 once `subject` has `max` attempts of `kind` within `window` before `now`;
/// `Retry-After` says when the oldest of them leaves the window. Counts nothing itself: the
/// caller records what should count (a failed login, a reset request, a form sent).
pub async fn refuse_past(
    db: &Db,
    kind: &str,
    subject: &str,
    max: i64,
    window: Duration,
    now: Timestamp,
) -> Result<(), AppError> {
    let (attempts, oldest) = db::count_attempts(db, kind, subject, now - window).await?;
    if attempts >= max {
        return Err(crate::error::too_many_requests(
            oldest.map_or(window, |t| t + window - now),
        ));
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

/// Counts one call of `kind` for the caller's address, or refuses it with 429 and
/// `Retry-After` once the address has made `PUBLIC_FORMS_PER_HOUR` of them within the hour.
/// Callers without a known address share one count: refusing too much beats not limiting.
pub async fn per_client(state: &AppState, kind: &str) -> Result<(), AppError> {
    let subject = client_address()
        .await
        .map_or_else(|| "unknown".to_owned(), |address| address.to_string());
    let now = crate::db::now();
    let max = i64::from(state.config.public_forms_per_hour);
    refuse_past(&state.db, kind, &subject, max, PUBLIC_FORM_WINDOW, now).await?;
    db::record_attempt(&state.db, kind, &subject, now).await?;
    Ok(())
}
