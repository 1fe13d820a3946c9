//! Renewal reminders for yearly products (Zoom codes, Autodesk subscriptions, AWS credits):
//! an e-mail 30, 15 and 5 days before a fulfilled line expires, unless the organisation has
//! ordered the product again since.
//!
//! Each reminder is claimed by inserting its `(line, threshold)` row into `renewal_reminder`
//! in the transaction that writes the e-mail: a second instance, or the same one after a
//! restart, finds the row there and sends nothing.

use crate::db::Timestamp;
use crate::mail::templates::Email;
use crate::on_tx;
use crate::order::rules::{RENEWAL_DAYS, renewal_threshold};
use crate::state::AppState;
use chrono::{Days, NaiveDate};

/// Lines handled per sweep.
const BATCH: i64 = 200;

#[derive(Debug, sqlx::FromRow)]
struct Expiring {
    order_line_id: String,
    order_id: String,
    expires_on: String,
    product: String,
    organisation: String,
    contact_email: String,
    language: String,
}

/// Sends the renewal reminders due on `now`'s day; how many were sent.
pub async fn sweep(state: &AppState, now: Timestamp) -> Result<usize, sqlx::Error> {
    let today = now.with_timezone(&domain::calendar::BELGIUM).date_naive();
    let horizon = today + Days::new(RENEWAL_DAYS[0].unsigned_abs());
    let mut tx = state.db.begin_read().await?;
    // Dates are stored as YYYY-MM-DD text on both engines, so they compare as text.
    let lines: Vec<Expiring> = on_tx!(&mut tx, |conn| sqlx::query_as(
        "select l.order_line_id, o.order_id, l.expires_on, p.name as product, org.legal_name as organisation, \
         org.contact_email, org.language from order_line l join purchase_order o on o.order_id = l.order_id \
         join product p on p.product_id = l.product_id \
         join organisation org on org.organisation_id = o.organisation_id \
         where l.expires_on > $1 and l.expires_on <= $2 and l.cancelled_at is null and o.status = 'fulfilled' \
         and not exists (select 1 from order_line l2 join purchase_order o2 on o2.order_id = l2.order_id \
                         where l2.organisation_id = l.organisation_id and l2.product_id = l.product_id \
                         and l2.cancelled_at is null and o2.status <> 'cancelled' \
                         and o2.submitted_at > o.submitted_at) \
         order by l.expires_on, l.order_line_id limit $3"
    )
    .bind(today.to_string())
    .bind(horizon.to_string())
    .bind(BATCH)
    .fetch_all(conn)
    .await)?;
    tx.commit().await?;
    let mut sent = 0;
    for line in lines {
        let Ok(expires_on) = NaiveDate::parse_from_str(&line.expires_on, "%Y-%m-%d") else {
            continue;
        };
        let Some(threshold) = renewal_threshold(expires_on, today) else {
            continue;
        };
        let mut tx = state.db.begin().await?;
        let claimed = on_tx!(&mut tx, |conn| sqlx::query(
            "insert into renewal_reminder (order_line_id, days_before, sent_at) values ($1, $2, $3) \
             on conflict do nothing"
        )
        .bind(&line.order_line_id)
        .bind(i32::try_from(threshold).unwrap_or(i32::MAX))
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
        if claimed != 1 {
            continue;
        }
        let locale = crate::org::api::locale_of(&line.language);
        let email = Email::RenewalDue {
            organisation: line.organisation.clone(),
            product: line.product.clone(),
            expires_on: crate::ui::dates::long_date(locale, expires_on),
            days_left: (expires_on - today).num_days(),
            link: format!("{}/requests/{}", state.config.public_url, line.order_id),
        };
        crate::mail::queue(&mut tx, state, &line.contact_email, &email, locale).await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
