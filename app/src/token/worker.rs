//! Reminders before a validation token expires: 7 days before, to the person it was made
//! for and to the account holder ("Mettre à jour un jeton" once it has expired).
//!
//! Several app instances may sweep at once: each token is claimed by one conditional
//! `UPDATE … where reminded_at is null` in the transaction that writes its e-mails, so only
//! one instance sends them. A refresh clears the claim for the new expiry.

use crate::db::Timestamp;
use crate::mail::templates::Email;
use crate::state::AppState;
use crate::token::rules::REMINDER_DAYS;

/// Tokens handled per sweep, so one sweep stays short.
const BATCH: i64 = 200;

/// Sends the reminders due at `now`; returns how many tokens were reminded.
pub async fn sweep(state: &AppState, now: Timestamp) -> Result<usize, sqlx::Error> {
    let until = now + chrono::Duration::days(REMINDER_DAYS);
    let mut reminded = 0;
    for token in crate::token::db::expiring(&state.db, now, until, BATCH).await? {
        let mut tx = state.db.begin().await?;
        if !crate::token::db::claim_reminder(&mut tx, &token.token_id, now).await? {
            continue;
        }
        let locale = crate::org::api::locale_of(&token.language);
        let email = Email::TokenExpiring {
            organisation: token.organisation_name.clone(),
            recipient: token.recipient_name.clone(),
            purpose: token.purpose.clone(),
            expires_on: crate::ui::dates::long_date(
                locale,
                token.expires_at.with_timezone(&domain::calendar::BELGIUM).date_naive(),
            ),
            days_left: crate::token::rules::days_left(token.expires_at, now),
            link: format!("{}/account/tokens", state.config.public_url),
        };
        crate::mail::queue(&mut tx, state, &token.recipient_email, &email, locale).await?;
        if let Some(holder) = token.holder_email.as_deref()
            && !holder.eq_ignore_ascii_case(&token.recipient_email)
        {
            crate::mail::queue(&mut tx, state, holder, &email, locale).await?;
        }
        tx.commit().await?;
        reminded += 1;
    }
    Ok(reminded)
}
