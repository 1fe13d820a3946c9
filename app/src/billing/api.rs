//! Server functions and routes of the money trail: "Marquer payée" with an amount, money paid
//! back, the refund queue, unmatched payments given to their invoice, and the documents —
//! credit note PDFs, Peppol UBL files, a period's archive for the accountant.

use crate::error::AppError;
use crate::payment::model::PaymentOutcome;
pub use domain::payment::model::{RefundDue, RefundInput};
use leptos::prelude::*;

/// Refunds listed at once in the staff queue.
pub const QUEUE_SIZE: i64 = 200;

/// A date staff typed (YYYY-MM-DD), today in Belgium when left empty; never in the future.
#[cfg(feature = "ssr")]
fn day_or_today(field: &str, text: &str) -> Result<chrono::NaiveDate, AppError> {
    if text.trim().is_empty() {
        return Ok(crate::db::now().with_timezone(&domain::calendar::BELGIUM).date_naive());
    }
    parse_day(field, text)
}

#[cfg(feature = "ssr")]
fn parse_day(field: &str, text: &str) -> Result<chrono::NaiveDate, AppError> {
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field(field, "date_invalid"))?;
    let today = crate::db::now().with_timezone(&domain::calendar::BELGIUM).date_naive();
    if day > today {
        return Err(AppError::field(field, "date_in_future"));
    }
    Ok(day)
}

/// Staff: "Marquer payée" — records a transfer of `amount` ("84,70"; empty: the amount due)
/// received on `paid_on` for the order's invoice. Short of the amount due, the order waits for
/// the rest ("Payée en partie").
#[server(prefix = "/api", endpoint = "mark_order_paid")]
pub async fn mark_order_paid(
    order_id: String,
    amount: String,
    paid_on: String,
) -> Result<crate::order::model::OrderStatus, AppError> {
    let result = async {
        let (state, staff) = crate::order::api::require_staff_on(&order_id).await?;
        let amount = if amount.trim().is_empty() {
            None
        } else {
            Some(
                crate::payment::rules::parse_amount(&amount)
                    .ok_or_else(|| AppError::field("amount", "amount_invalid"))?,
            )
        };
        let paid_on = day_or_today("paid_on", &paid_on)?;
        let who = crate::order::process::Who {
            person_id: &staff.person_id,
            actor: crate::order::rules::Actor::Staff,
        };
        crate::order::process::mark_paid(&state, &order_id, amount, paid_on, who).await
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: the invoices whose money is due back, oldest first.
#[server(prefix = "/api", endpoint = "refunds_due")]
pub async fn refunds_due() -> Result<Vec<RefundDue>, AppError> {
    let result = async {
        // Money of every partner's orders at once: not for an agent scoped to partners.
        let (state, _staff) = crate::auth::scope::require_unscoped_staff().await?;
        let mut tx = state.db.begin_read().await?;
        let due = crate::billing::db::refunds_due(&mut tx, QUEUE_SIZE).await?;
        tx.commit().await?;
        Ok(due)
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: records money paid back by transfer — for an invoice (never more than is due back)
/// or for an unmatched payment (never more than it brought). Once nothing is left to pay back
/// on a credited order, the order is "refunded".
#[server(prefix = "/api", endpoint = "record_refund")]
pub async fn record_refund(input: RefundInput) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let amount_cents = crate::payment::rules::parse_amount(&input.amount)
            .ok_or_else(|| AppError::field("amount", "amount_invalid"))?;
        let iban =
            crate::payment::rules::parse_iban(&input.iban).ok_or_else(|| AppError::field("iban", "iban_invalid"))?;
        let paid_on = day_or_today("paid_on", &input.paid_on)?;
        let note: String = input.note.trim().chars().take(2000).collect();
        let now = crate::db::now();
        // Read before the write transaction: a second connection taken while it is open would
        // wait on the pool under a burst (PostgreSQL answered 500 to 6 of 10 clicks).
        let scope = crate::auth::scope::order_scope(&state, &staff).await?;
        let mut tx = state.db.begin().await?;
        let (invoice_id, payment_id, order_id) = match (&input.invoice_id, &input.payment_id) {
            (Some(invoice_id), None) => {
                let order_id = crate::billing::db::order_of_invoice(&mut tx, invoice_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if let Some(partners) = scope.partners()
                    && !crate::order::db::order_in_scope(&mut tx, &order_id, partners).await?
                {
                    return Err(AppError::NotFound);
                }
                // The order's row is the lock two staff recording at once queue on.
                crate::order::db::lock_order(&mut tx, &order_id).await?;
                let money = crate::billing::db::settlement(&mut tx, invoice_id).await?;
                if amount_cents > money.refund_due_cents() {
                    return Err(AppError::field("amount", "more_than_due"));
                }
                (Some(invoice_id.as_str()), None, Some(order_id))
            }
            (None, Some(payment_id)) => {
                // An unmatched payment belongs to no order: the payments desk, unscoped.
                if scope.is_limited() {
                    return Err(AppError::Forbidden);
                }
                let (left, _, unmatched) = crate::billing::db::payment_refundable(&mut tx, payment_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if !unmatched {
                    return Err(AppError::Conflict("payment_matched".into()));
                }
                if amount_cents > left {
                    return Err(AppError::field("amount", "more_than_due"));
                }
                (None, Some(payment_id.as_str()), None)
            }
            _ => return Err(AppError::field("invoice_id", "choose_one")),
        };
        let refund_id = crate::billing::db::insert_refund(
            &mut tx,
            &crate::billing::db::NewRefundPaid {
                invoice_id,
                payment_id,
                amount_cents,
                iban: &iban,
                paid_on,
                note: &note,
                recorded_by: &staff.person_id,
            },
            now,
        )
        .await?;
        if let Some(payment_id) = payment_id {
            crate::payment::db::resolve(&mut tx, payment_id, now).await?;
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "refund.paid",
                entity_type: "refund",
                entity_id: &refund_id,
                before: None,
                after: Some(serde_json::json!({
                    "invoice_id": invoice_id, "payment_id": payment_id, "amount_cents": amount_cents,
                    "iban": iban, "paid_on": paid_on.to_string(),
                })),
            },
            now,
        )
        .await?;
        if let Some(order_id) = order_id {
            let who = crate::order::process::Who {
                person_id: &staff.person_id,
                actor: crate::order::rules::Actor::Staff,
            };
            crate::order::process::settle_refunded(&mut tx, &state, &order_id, who, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: gives an unmatched payment to the invoice `reference` names (its structured
/// communication or its number); the invoice is settled if this pays it.
#[server(prefix = "/api", endpoint = "assign_payment")]
pub async fn assign_payment(payment_id: String, reference: String) -> Result<PaymentOutcome, AppError> {
    let result = async {
        // The unmatched payments are the payments desk's, across partners: unscoped staff.
        let (state, staff) = crate::auth::scope::require_unscoped_staff().await?;
        let communication = crate::payment::api::communication_of(&reference)
            .ok_or_else(|| AppError::field("reference", "reference_invalid"))?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let due = crate::payment::db::due_for_communication(&mut tx, &communication.digits())
            .await?
            .ok_or_else(|| AppError::field("reference", "no_such_invoice"))?;
        let (amount_cents, _, unmatched) = crate::billing::db::payment_refundable(&mut tx, &payment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !unmatched {
            return Err(AppError::Conflict("payment_matched".into()));
        }
        let owed_nothing = matches!(due.order_status.as_str(), "cancelled" | "refunded");
        let outcome = crate::payment::rules::outcome(due.total_cents, due.paid_cents, amount_cents, owed_nothing);
        if !crate::billing::db::assign_payment(&mut tx, &payment_id, &due.invoice_id, outcome).await? {
            return Err(AppError::Conflict("payment_matched".into()));
        }
        crate::payment::db::resolve(&mut tx, &payment_id, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "payment.assigned",
                entity_type: "payment",
                entity_id: &payment_id,
                before: Some(serde_json::json!({ "invoice_id": null })),
                after: Some(serde_json::json!({ "invoice_id": due.invoice_id, "outcome": outcome.as_str() })),
            },
            now,
        )
        .await?;
        crate::payment::api::settle(
            &mut tx,
            &state,
            &due,
            amount_cents,
            Some(&staff.person_id),
            "manual",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }
    .await;
    crate::error::with_status(result)
}

// ---- Documents.

#[cfg(feature = "ssr")]
mod routes {
    use axum::extract::{Path, Query, State};
    use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
    use axum::response::{IntoResponse, Response};

    use crate::auth::model::CurrentUser;
    use crate::state::AppState;

    async fn caller(state: &AppState, headers: &HeaderMap) -> Result<CurrentUser, Response> {
        match crate::auth::session::user_from_headers(state, headers).await {
            Ok(Some(user)) => Ok(user),
            Ok(None) => Err(StatusCode::UNAUTHORIZED.into_response()),
            Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        }
    }

    /// A member of the organisation, or staff whose scope holds the invoice's order.
    async fn may_see(state: &AppState, user: &CurrentUser, organisation_id: &str, invoice_id: &str) -> bool {
        if !user.is_staff() {
            return user.is_member_of(organisation_id);
        }
        let order_id = async {
            let mut tx = state.db.begin_read().await?;
            let found = crate::billing::db::order_of_invoice(&mut tx, invoice_id).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(found)
        }
        .await;
        match order_id {
            Ok(Some(order_id)) => crate::order::api::staff_sees_order(state, user, &order_id)
                .await
                .unwrap_or(false),
            _ => false,
        }
    }

    async fn invoice_of_credit_note(state: &AppState, credit_note_id: &str) -> Option<String> {
        let mut tx = state.db.begin_read().await.ok()?;
        let found = crate::billing::db::credit_note(&mut tx, credit_note_id).await.ok()?;
        tx.commit().await.ok()?;
        found.map(|(_, note)| note.invoice_id)
    }

    fn download(bytes: Vec<u8>, content_type: &'static str, filename: &str, inline: bool) -> Response {
        let mut response = bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        let disposition = if inline { "inline" } else { "attachment" };
        if let Ok(value) = HeaderValue::from_str(&format!("{disposition}; filename=\"{filename}\"")) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        response
    }

    /// `GET /credit-notes/{id}/pdf`: to a member of its organisation or staff (anyone else: 404).
    pub async fn credit_note_pdf(
        State(state): State<AppState>,
        Path(credit_note_id): Path<String>,
        headers: HeaderMap,
    ) -> Response {
        let user = match caller(&state, &headers).await {
            Ok(user) => user,
            Err(response) => return response,
        };
        let found = async {
            let mut tx = state.db.begin_read().await?;
            let found = crate::billing::db::credit_note(&mut tx, &credit_note_id).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(found)
        }
        .await;
        let note = match found {
            Ok(Some((organisation_id, note))) if may_see(&state, &user, &organisation_id, &note.invoice_id).await => {
                note
            }
            Ok(_) => return StatusCode::NOT_FOUND.into_response(),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
        let locale = crate::request::locale_in(&headers);
        let document = crate::order::document::credit_note_document(&note, &state.config.programme, locale);
        download(
            crate::order::pdf::render(&document),
            "application/pdf",
            &format!("{}.pdf", note.number),
            true,
        )
    }

    async fn ubl(
        state: &AppState,
        headers: &HeaderMap,
        invoice_id: Option<&str>,
        credit_note_id: Option<&str>,
    ) -> Response {
        let user = match caller(state, headers).await {
            Ok(user) => user,
            Err(response) => return response,
        };
        let found = async {
            let mut tx = state.db.begin_read().await?;
            let found = crate::billing::db::e_document(&mut tx, invoice_id, credit_note_id).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(found)
        }
        .await;
        let invoice_id = match (invoice_id, credit_note_id) {
            (Some(id), _) => Some(id.to_owned()),
            (None, Some(id)) => invoice_of_credit_note(state, id).await,
            (None, None) => None,
        };
        let invoice_id = invoice_id.unwrap_or_default();
        match found {
            Ok(Some((number, xml, organisation_id))) if may_see(state, &user, &organisation_id, &invoice_id).await => {
                download(xml.into_bytes(), "application/xml", &format!("{number}.xml"), false)
            }
            Ok(_) => StatusCode::NOT_FOUND.into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }

    /// `GET /invoices/{id}/ubl`: the Peppol e-invoice as issued.
    pub async fn invoice_ubl(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
        ubl(&state, &headers, Some(&id), None).await
    }

    /// `GET /credit-notes/{id}/ubl`: the Peppol e-credit note as issued.
    pub async fn credit_note_ubl(
        State(state): State<AppState>,
        Path(id): Path<String>,
        headers: HeaderMap,
    ) -> Response {
        ubl(&state, &headers, None, Some(&id)).await
    }

    #[derive(serde::Deserialize)]
    pub struct Period {
        from: String,
        to: String,
    }

    /// The most documents one archive holds; a longer period is split by the accountant.
    const ARCHIVE_LIMIT: i64 = 5_000;

    /// `GET /admin/documents.zip?from=2026-01-01&to=2026-03-31`, unscoped staff: every invoice and
    /// credit note issued in the period, as PDF, with its UBL when one was issued.
    pub async fn period_archive(
        State(state): State<AppState>,
        Query(period): Query<Period>,
        headers: HeaderMap,
    ) -> Response {
        match caller(&state, &headers).await {
            // Every partner's documents: not for an agent scoped to partners.
            Ok(user) if user.is_staff() => match crate::auth::scope::order_scope(&state, &user).await {
                Ok(scope) if !scope.is_limited() => {}
                Ok(_) => return StatusCode::FORBIDDEN.into_response(),
                Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            },
            Ok(_) => return StatusCode::FORBIDDEN.into_response(),
            Err(response) => return response,
        }
        let day = |text: &str| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        let (Some(from), Some(to)) = (day(&period.from), day(&period.to)) else {
            return (StatusCode::BAD_REQUEST, "from and to: YYYY-MM-DD").into_response();
        };
        if to < from || (to - from).num_days() > 366 {
            return (StatusCode::BAD_REQUEST, "a period of one year at most").into_response();
        }
        match archive(&state, from, to).await {
            Ok(bytes) => download(bytes, "application/zip", &format!("documents-{from}-{to}.zip"), false),
            Err(error) => {
                tracing::error!(%error, "period archive");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }

    async fn archive(
        state: &AppState,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<u8>, crate::error::AppError> {
        use std::io::Write;
        let locale = crate::i18n::Locale::fr;
        let programme = &state.config.programme;
        let mut tx = state.db.begin_read().await?;
        let documents = crate::billing::db::issued_between(&mut tx, from, to, ARCHIVE_LIMIT).await?;
        let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(documents.len() * 2);
        for document in documents {
            let pdf = if let Some(invoice_id) = &document.invoice_id {
                crate::order::db::invoice(&mut tx, invoice_id)
                    .await?
                    .map(|(_, view)| crate::order::document::invoice_document(&view, programme, locale))
            } else if let Some(credit_note_id) = &document.credit_note_id {
                crate::billing::db::credit_note(&mut tx, credit_note_id)
                    .await?
                    .map(|(_, view)| crate::order::document::credit_note_document(&view, programme, locale))
            } else {
                None
            };
            if let Some(pdf) = pdf {
                files.push((format!("{}.pdf", document.number), crate::order::pdf::render(&pdf)));
            }
            if let Some(xml) = document.xml {
                files.push((format!("{}.xml", document.number), xml.into_bytes()));
            }
        }
        tx.commit().await?;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            zip.start_file(name, options)
                .map_err(crate::error::AppError::internal)?;
            zip.write_all(&bytes).map_err(crate::error::AppError::internal)?;
        }
        let cursor = zip.finish().map_err(crate::error::AppError::internal)?;
        Ok(cursor.into_inner())
    }
}

#[cfg(feature = "ssr")]
pub use routes::{credit_note_pdf, credit_note_ubl, invoice_ubl, period_archive};
