//! The downloads of "Mes données": one zip each.
//!
//! - `GET /account/my-data.zip`, any logged-in person: `my-data.json` (the profile, the
//!   memberships, the sessions and reset links by date, the validation tokens made by or for
//!   the person, the e-mails sent to their address, the change requests they made, the audit
//!   events they caused or that concern them) and `README.txt`.
//! - `GET /account/organisation-data.zip`, the account holder only: `organisation.json` (the
//!   file, members, invitations, qualifications, orders and their lines, invoices, credit notes,
//!   payments, refunds, validation tokens, change requests, the documents' list and the audit
//!   events about the organisation), then `documents/`, `invoices/` and `credit-notes/` (PDF,
//!   with the Peppol UBL where one was issued).
//!
//! Each list holds at most 10,000 rows of a kind (the audit trail, the e-mails): a download is
//! a copy for the person, not a backup. Secrets never leave: no password hash, session or link hash, nor another organisation's
//! row. Anyone else gets 401 (anonymous) or 403.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::db::DbTx;
use crate::error::AppError;
use crate::privacy::db::{documents, invoice_ids, rows_json};
use crate::state::AppState;

/// `GET /account/my-data.zip`
pub async fn my_data(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match crate::auth::session::user_from_headers(&state, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let built = async {
        let mut tx = state.db.begin_read().await?;
        let data = person_data(&mut tx, &user.person_id).await?;
        tx.commit().await?;
        let json = serde_json::to_vec_pretty(&data).map_err(AppError::internal)?;
        zip(vec![
            ("README.txt".to_owned(), readme_person().into_bytes()),
            ("my-data.json".to_owned(), json),
        ])
    }
    .await;
    match built {
        Ok(bytes) => attachment(bytes, &format!("my-data-{}.zip", crate::db::now().format("%Y-%m-%d"))),
        Err(error) => {
            tracing::error!(%error, "personal data download");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /account/organisation-data.zip`
pub async fn organisation_data(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match crate::auth::session::user_from_headers(&state, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let Some(organisation_id) = user
        .membership
        .as_ref()
        .filter(|m| user.is_holder_of(&m.organisation_id))
        .map(|m| m.organisation_id.clone())
    else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let locale = crate::request::locale_in(&headers);
    match organisation_zip(&state, &organisation_id, locale).await {
        Ok(bytes) => attachment(
            bytes,
            &format!("organisation-data-{}.zip", crate::db::now().format("%Y-%m-%d")),
        ),
        Err(error) => {
            tracing::error!(%error, "organisation data download");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Everything the programme holds about one person, as one JSON document.
pub async fn person_data(tx: &mut DbTx, person_id: &str) -> Result<Value, sqlx::Error> {
    let profile = rows_json(
        tx,
        "select person_id, username, email, full_name, language, staff_role, created_at, updated_at \
         from person where person_id = $1",
        &[person_id],
    )
    .await?
    .into_iter()
    .next()
    .unwrap_or(Value::Null);
    let email = profile["email"].as_str().unwrap_or_default().to_owned();
    Ok(json!({
        "profile": profile,
        "memberships": rows_json(tx,
            "select o.legal_name, o.enterprise_number, m.role, m.created_at, m.accepted_at from membership m \
             join organisation o on o.organisation_id = m.organisation_id where m.person_id = $1 order by m.created_at",
            &[person_id]).await?,
        "sessions": rows_json(tx,
            "select created_at, last_seen_at, expires_at from session where person_id = $1 order by created_at",
            &[person_id]).await?,
        "password_reset_links": rows_json(tx,
            "select created_at, expires_at, used_at from password_reset where person_id = $1 order by created_at",
            &[person_id]).await?,
        "validation_tokens": rows_json(tx,
            "select t.code, o.legal_name as organisation, t.recipient_name, t.recipient_email, t.purpose, t.partner_id, \
             t.created_at, t.expires_at, t.refreshed_at, t.revoked_at from validation_token t \
             join organisation o on o.organisation_id = t.organisation_id \
             where t.created_by = $1 or lower(t.recipient_email) = lower($2) order by t.created_at",
            &[person_id, &email]).await?,
        "emails": rows_json(tx,
            "select to_address, subject, body_text, status, created_at, sent_at from outgoing_email \
             where lower(to_address) = lower($1) order by created_at limit 10000",
            &[&email]).await?,
        "change_requests": rows_json(tx,
            "select change_request_id, legal_name, enterprise_number, street, postal_code, city, contact_email, note, \
             status, decision_reason, created_at, decided_at from change_request where requested_by = $1 order by created_at",
            &[person_id]).await?,
        "audit_events": rows_json(tx,
            "select occurred_at, action, entity_type, entity_id, before_json, after_json from audit_event \
             where actor_person_id = $1 or (entity_type = 'person' and entity_id = $1) order by occurred_at limit 10000",
            &[person_id]).await?,
    }))
}

/// An organisation's file and its history, as one JSON document.
pub async fn organisation_json(tx: &mut DbTx, organisation_id: &str) -> Result<Value, sqlx::Error> {
    let id = [organisation_id];
    Ok(json!({
        "organisation": rows_json(tx, "select * from organisation where organisation_id = $1", &id).await?
            .into_iter().next().unwrap_or(Value::Null),
        "members": rows_json(tx,
            "select p.full_name, p.email, p.username, m.role, m.created_at, m.accepted_at from membership m \
             join person p on p.person_id = m.person_id where m.organisation_id = $1 order by m.created_at",
            &id).await?,
        "invitations": rows_json(tx,
            "select email, kind, created_at from invitation where organisation_id = $1 order by created_at",
            &id).await?,
        "qualifications": rows_json(tx,
            "select q.partner_id, q.status, q.decided_at from qualification q where q.organisation_id = $1 \
             order by q.partner_id",
            &id).await?,
        "orders": rows_json(tx,
            "select * from purchase_order where organisation_id = $1 order by submitted_at", &id).await?,
        "order_lines": rows_json(tx,
            "select l.* from order_line l join purchase_order o on o.order_id = l.order_id \
             where o.organisation_id = $1 order by o.submitted_at",
            &id).await?,
        "invoices": rows_json(tx,
            "select i.* from invoice i join purchase_order o on o.order_id = i.order_id \
             where o.organisation_id = $1 order by i.year, i.number",
            &id).await?,
        "credit_notes": rows_json(tx,
            "select c.* from credit_note c join invoice i on i.invoice_id = c.invoice_id \
             join purchase_order o on o.order_id = i.order_id where o.organisation_id = $1 order by c.created_at",
            &id).await?,
        "payments": rows_json(tx,
            "select p.* from payment p join invoice i on i.invoice_id = p.invoice_id \
             join purchase_order o on o.order_id = i.order_id where o.organisation_id = $1 order by p.created_at",
            &id).await?,
        "refunds": rows_json(tx,
            "select r.refund_id, r.invoice_id, r.amount_cents, r.iban, r.paid_on, r.note, r.created_at from refund r \
             join invoice i on i.invoice_id = r.invoice_id join purchase_order o on o.order_id = i.order_id \
             where o.organisation_id = $1 order by r.created_at",
            &id).await?,
        "validation_tokens": rows_json(tx,
            "select token_id, code, recipient_name, recipient_email, purpose, partner_id, created_at, expires_at, \
             refreshed_at, revoked_at from validation_token where organisation_id = $1 order by created_at",
            &id).await?,
        "change_requests": rows_json(tx,
            "select * from change_request where organisation_id = $1 order by created_at", &id).await?,
        "documents": rows_json(tx,
            "select document_id, kind, file_name, content_type, size_bytes, created_at from document \
             where organisation_id = $1 order by created_at",
            &id).await?,
        "audit_events": rows_json(tx,
            "select occurred_at, action, entity_type, entity_id, before_json, after_json from audit_event \
             where entity_type = 'organisation' and entity_id = $1 order by occurred_at limit 10000",
            &id).await?,
    }))
}

/// The organisation's zip: its JSON, its documents, and its invoices and credit notes as PDF
/// (and UBL where one was issued), in the caller's language.
pub async fn organisation_zip(
    state: &AppState,
    organisation_id: &str,
    locale: crate::i18n::Locale,
) -> Result<Vec<u8>, AppError> {
    let programme = &state.config.programme;
    let mut tx = state.db.begin_read().await?;
    let data = organisation_json(&mut tx, organisation_id).await?;
    let mut files = vec![
        ("README.txt".to_owned(), readme_organisation().into_bytes()),
        (
            "organisation.json".to_owned(),
            serde_json::to_vec_pretty(&data).map_err(AppError::internal)?,
        ),
    ];
    for (document_id, file_name, content) in documents(&mut tx, organisation_id).await? {
        files.push((
            format!("documents/{document_id}-{}", safe_file_name(&file_name)),
            content,
        ));
    }
    let (invoices, credit_notes) = invoice_ids(&mut tx, organisation_id).await?;
    for invoice_id in invoices {
        if let Some((_, view)) = crate::order::db::invoice(&mut tx, &invoice_id).await? {
            let pdf = crate::order::document::invoice_document(&view, programme, locale);
            files.push((format!("invoices/{}.pdf", view.number), crate::order::pdf::render(&pdf)));
        }
        if let Some((number, xml, _)) = crate::billing::db::e_document(&mut tx, Some(&invoice_id), None).await? {
            files.push((format!("invoices/{number}.xml"), xml.into_bytes()));
        }
    }
    for credit_note_id in credit_notes {
        if let Some((_, view)) = crate::billing::db::credit_note(&mut tx, &credit_note_id).await? {
            let pdf = crate::order::document::credit_note_document(&view, programme, locale);
            files.push((
                format!("credit-notes/{}.pdf", view.number),
                crate::order::pdf::render(&pdf),
            ));
        }
        if let Some((number, xml, _)) = crate::billing::db::e_document(&mut tx, None, Some(&credit_note_id)).await? {
            files.push((format!("credit-notes/{number}.xml"), xml.into_bytes()));
        }
    }
    tx.commit().await?;
    zip(files)
}

/// A file name safe inside a zip: letters, digits, `.`, `-` and `_`; anything else is `_`, and
/// no path can climb out of its folder.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "document".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn zip(files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, AppError> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(AppError::internal)?;
        zip.write_all(&bytes).map_err(AppError::internal)?;
    }
    Ok(zip.finish().map_err(AppError::internal)?.into_inner())
}

fn attachment(bytes: Vec<u8>, filename: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

fn readme_person() -> String {
    "Vos données personnelles / Uw persoonsgegevens / Your personal data\n\n\
     my-data.json: what the programme holds about you (profile, memberships, sessions, reset links, \
     validation tokens, e-mails sent to you, change requests, audit events).\n\
     Passwords are stored only as one-way hashes and are not included.\n"
        .to_owned()
}

fn readme_organisation() -> String {
    "Données de l'organisation / Gegevens van de organisatie / The organisation's data\n\n\
     organisation.json: the organisation's file, members, invitations, qualifications, orders, invoices, \
     credit notes, payments, refunds, validation tokens, change requests and audit events.\n\
     documents/: the uploaded documents. invoices/ and credit-notes/: each as PDF, with its Peppol UBL \
     e-invoice (.xml) where one was issued.\n"
        .to_owned()
}
