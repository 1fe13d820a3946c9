//! Rate limits per client address, for the public forms that need no account: registration
//! and "Mon organisation est-elle inscrite ?". Each call costs the portal an argon2 hash or a
//! staff member's time, and neither form has an account to count against. The counts live in
//! the database (`auth_attempt`, as for logins), so every app instance sees the same ones.

use crate::auth::db;
use crate::error::AppError;
use crate::state::AppState;
use chrono::Duration;
use std::net::IpAddr;

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
    let (calls, oldest) = db::count_attempts(&state.db, kind, &subject, now - PUBLIC_FORM_WINDOW).await?;
    if calls >= i64::from(state.config.public_forms_per_hour) {
        return Err(crate::error::too_many_requests(
            oldest.map_or(PUBLIC_FORM_WINDOW, |t| t + PUBLIC_FORM_WINDOW - now),
        ));
    }
    db::record_attempt(&state.db, kind, &subject, now).await?;
    Ok(())
}
