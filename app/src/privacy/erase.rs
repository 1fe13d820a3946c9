//! Erasure by anonymisation (GDPR article 17, within Belgian accounting law).
//!
//! The person's row stays under its id, so that the orders they placed, the invoices and
//! credit notes of their organisation (kept 10 years) and the audit trail still hold together;
//! everything that names them goes, in one transaction:
//! - the row: name, e-mail, login and password replaced, language and staff role cleared;
//! - gone: memberships, sessions, pending second-factor logins, the second factor itself, reset
//!   and e-mail-change links, staff scope and digest
//!   settings, the rate-limit rows counted under their login or address, invitations sent to
//!   their address, pending registrations and "is it registered?" questions from their address;
//! - rewritten: e-mails sent to them (emptied), their name and address in other e-mails, in
//!   contact conversations and their messages, in join requests and change requests,
//!   validation tokens made out to them, and the audit trail's payloads (the trail's one
//!   permitted change, stamped `redacted_at`);
//! - each organisation they belonged to is indexed again for the staff directory.
//!
//! An account holder cannot be erased: the organisation needs a holder, so staff make another
//! member holder first. The erasure itself is audited, without any of the erased values.

use crate::db::{DbTx, Timestamp};
use crate::on_tx;

/// What stands in for an erased person's name, in their row and wherever it was written.
pub const ERASED_NAME: &str = "—";

/// Why a person was not erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such person, or erased already.
    NotFound,
    /// The person holds an organisation's account.
    Holder,
}

#[derive(sqlx::FromRow)]
struct Identity {
    username: String,
    email: String,
    full_name: String,
}

async fn execute(tx: &mut DbTx, sql: &'static str, binds: &[&str]) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |conn| {
        let mut query = sqlx::query(sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        query.execute(conn).await.map(|done| done.rows_affected())
    })
}

/// Erases `person_id` as of `now`, by `actor` (the person themself, or an admin); audited.
pub async fn erase_person(
    tx: &mut DbTx,
    person_id: &str,
    actor: &str,
    now: Timestamp,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let identity: Option<Identity> = on_tx!(tx, |conn| sqlx::query_as(
        "select username, email, full_name from person where person_id = $1 and anonymised_at is null"
    )
    .bind(person_id)
    .fetch_optional(conn)
    .await)?;
    let Some(identity) = identity else {
        return Ok(Err(Refusal::NotFound));
    };
    let holds: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from membership where person_id = $1 and role = 'account_holder'"
    )
    .bind(person_id)
    .fetch_one(conn)
    .await)?;
    if holds > 0 {
        return Ok(Err(Refusal::Holder));
    }
    let organisations: Vec<String> = on_tx!(tx, |conn| sqlx::query_scalar(
        "select organisation_id from membership where person_id = $1"
    )
    .bind(person_id)
    .fetch_all(conn)
    .await)?;
    let erased_login = format!("erased-{person_id}");
    let erased_email = format!("erased-{person_id}@erased.invalid");
    let Identity {
        username,
        email,
        full_name,
    } = identity;
    let email = email.to_lowercase();

    // The row itself, claimed once: a second erasure at the same time finds nothing to do.
    let claimed = on_tx!(tx, |conn| sqlx::query(
        "update person set username = $2, email = $3, full_name = $4, password_hash = '!erased', language = null, \
         staff_role = null, anonymised_at = $5, updated_at = $5 where person_id = $1 and anonymised_at is null"
    )
    .bind(person_id)
    .bind(&erased_login)
    .bind(&erased_email)
    .bind(ERASED_NAME)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    if claimed != 1 {
        return Ok(Err(Refusal::NotFound));
    }

    for sql in [
        "delete from membership where person_id = $1",
        "delete from session where person_id = $1",
        "delete from password_reset where person_id = $1",
        "delete from staff_partner_scope where person_id = $1",
        "delete from staff_digest_setting where person_id = $1",
        "delete from staff_digest where person_id = $1",
        "delete from email_change where person_id = $1",
        "delete from mfa_challenge where person_id = $1",
        "delete from mfa_recovery_code where person_id = $1",
        "delete from person_mfa where person_id = $1",
    ] {
        execute(tx, sql, &[person_id]).await?;
    }
    let by_person = format!("person:{person_id}");
    let by_login = format!("name:{}", username.to_lowercase());
    let by_email = format!("name:{email}");
    execute(
        tx,
        "delete from auth_attempt where subject = $1 or subject = $2 or subject = $3",
        &[&by_person, &by_login, &by_email],
    )
    .await?;
    for sql in [
        "delete from invitation where lower(email) = $1",
        "delete from pending_registration where lower(holder_email) = $1",
        "delete from registration_inquiry where lower(reply_email) = $1",
        "delete from email_change where lower(new_email) = $1",
    ] {
        execute(tx, sql, &[&email]).await?;
    }
    // Their requests to join an organisation and their messages to the programme keep their
    // decisions and answers, without who sent them.
    execute(
        tx,
        "update join_request set full_name = $3, email = $2, message = '' where lower(email) = $1",
        &[&email, &erased_email, ERASED_NAME],
    )
    .await?;
    execute(
        tx,
        "update contact_conversation set sender_name = $4, sender_email = $3 \
         where person_id = $1 or lower(sender_email) = $2",
        &[person_id, &email, &erased_email, ERASED_NAME],
    )
    .await?;

    // E-mails to them are emptied; their name and address leave the others.
    execute(
        tx,
        "update outgoing_email set to_address = $2, subject = '', body_text = '', body_html = null \
         where lower(to_address) = $1",
        &[&email, &erased_email],
    )
    .await?;
    for (value, stand_in) in [
        (full_name.as_str(), ERASED_NAME),
        (email.as_str(), erased_email.as_str()),
    ] {
        if value.trim().is_empty() {
            continue;
        }
        execute(
            tx,
            "update outgoing_email set subject = replace(subject, $1, $2), body_text = replace(body_text, $1, $2), \
             body_html = replace(body_html, $1, $2) \
             where subject like '%' || $1 || '%' or body_text like '%' || $1 || '%' or body_html like '%' || $1 || '%'",
            &[value, stand_in],
        )
        .await?;
        execute(
            tx,
            "update contact_message set body = replace(body, $1, $2) where body like '%' || $1 || '%'",
            &[value, stand_in],
        )
        .await?;
        execute(
            tx,
            "update contact_conversation set subject = replace(subject, $1, $2) where subject like '%' || $1 || '%'",
            &[value, stand_in],
        )
        .await?;
        execute(
            tx,
            "update change_request set note = replace(note, $1, $2), decision_reason = replace(decision_reason, $1, $2), \
             contact_email = replace(contact_email, $1, $2) \
             where note like '%' || $1 || '%' or decision_reason like '%' || $1 || '%' or contact_email like '%' || $1 || '%'",
            &[value, stand_in],
        )
        .await?;
    }
    execute(
        tx,
        "update validation_token set recipient_name = $2, recipient_email = $3 where lower(recipient_email) = $1",
        &[&email, ERASED_NAME, &erased_email],
    )
    .await?;

    // The audit trail: the payloads that name them, rewritten and stamped. Their login is
    // replaced only in the events about them or by them (a short login may be a common word).
    // Each pass stamps its own instant: the trail accepts a redaction only with a new stamp.
    for (pass, (value, stand_in, only_theirs)) in [
        (full_name.as_str(), ERASED_NAME, false),
        (email.as_str(), erased_email.as_str(), false),
        (username.as_str(), erased_login.as_str(), true),
    ]
    .into_iter()
    .enumerate()
    {
        if value.trim().is_empty() {
            continue;
        }
        let stamp = now + chrono::Duration::microseconds(i64::try_from(pass).unwrap_or(0) + 1);
        redact_audit(tx, value, stand_in, only_theirs.then_some(person_id), stamp).await?;
    }

    for organisation_id in &organisations {
        crate::directory::db::reindex(tx, organisation_id).await?;
    }
    crate::audit::record(
        tx,
        crate::audit::AuditEvent {
            actor: Some(actor),
            action: "person.erased",
            entity_type: "person",
            entity_id: person_id,
            before: None,
            after: Some(serde_json::json!({ "anonymised": true, "organisations": organisations })),
        },
        now,
    )
    .await?;
    Ok(Ok(()))
}

/// Replaces `value` by `stand_in` in the audit trail's payloads (only in events by or about
/// `person_id` when given), stamping each rewritten event.
async fn redact_audit(
    tx: &mut DbTx,
    value: &str,
    stand_in: &str,
    person_id: Option<&str>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update audit_event set before_json = replace(before_json, $1, $2), after_json = replace(after_json, $1, $2), \
         redacted_at = $3 \
         where (before_json like '%' || $1 || '%' or after_json like '%' || $1 || '%') \
         and ($4 is null or actor_person_id = $4 or entity_id = $4 \
              or before_json like '%' || $4 || '%' or after_json like '%' || $4 || '%')"
    )
    .bind(value)
    .bind(stand_in)
    .bind(now)
    .bind(person_id)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}
