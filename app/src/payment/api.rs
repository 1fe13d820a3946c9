//! Staff server functions for payments, and the statement upload route.

use crate::error::AppError;
use crate::payment::model::{ImportReport, PaymentOutcome, PaymentRow};
use leptos::prelude::*;

/// Payments per page of the staff list.
pub const PAGE_SIZE: i64 = 50;

/// Staff: records a transfer by hand. `reference`: the structured communication or the
/// invoice number; `amount`: "84,70"; `booked_on`: YYYY-MM-DD.
#[server(prefix = "/api", endpoint = "record_payment")]
pub async fn record_payment(reference: String, amount: String, booked_on: String) -> Result<PaymentOutcome, AppError> {
    let result = async {
        let (state, staff) = crate::auth::scope::require_unscoped_staff().await?;
        let communication =
            communication_of(&reference).ok_or_else(|| AppError::field("reference", "reference_invalid"))?;
        let amount_cents =
            crate::payment::rules::parse_amount(&amount).ok_or_else(|| AppError::field("amount", "amount_invalid"))?;
        let booked_on = chrono::NaiveDate::parse_from_str(booked_on.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::field("booked_on", "date_invalid"))?;
        let mut tx = state.db.begin().await?;
        let outcome = receive(
            &mut tx,
            &state,
            Received {
                source: "manual",
                bank_reference: None,
                statement_id: None,
                amount_cents,
                currency: "EUR",
                communication: Some(communication.digits()),
                debtor_name: None,
                debtor_iban: None,
                booked_on,
                recorded_by: Some(&staff.person_id),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(outcome.unwrap_or(PaymentOutcome::Unmatched))
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: imports a bank statement, camt.053 (its XML text) or CODA. Lines already imported are skipped, so
/// importing the same statement twice changes nothing.
#[server(prefix = "/api", endpoint = "import_statement")]
pub async fn import_statement(xml: String) -> Result<ImportReport, AppError> {
    let result = async {
        let (state, staff) = crate::auth::scope::require_unscoped_staff().await?;
        import(&state, &staff.person_id, &xml).await
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: payments, newest first (`exceptions_only`: partial, excess and unmatched ones not yet
/// dealt with), `PAGE_SIZE` per page from page 0.
#[server(prefix = "/api", endpoint = "list_payments")]
pub async fn list_payments(exceptions_only: bool, page: u32) -> Result<Vec<PaymentRow>, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::scope::require_unscoped_staff().await?;
        let mut tx = state.db.begin_read().await?;
        let rows = crate::payment::db::list(
            &mut tx,
            exceptions_only,
            PAGE_SIZE,
            i64::from(page.min(100_000)) * PAGE_SIZE,
        )
        .await?;
        tx.commit().await?;
        Ok(rows)
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: marks a partial, excess or unmatched payment as dealt with.
#[server(prefix = "/api", endpoint = "resolve_payment")]
pub async fn resolve_payment(payment_id: String) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::scope::require_unscoped_staff().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        if !crate::payment::db::resolve(&mut tx, &payment_id, now).await? {
            return Err(AppError::NotFound);
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "payment.resolved",
                entity_type: "payment",
                entity_id: &payment_id,
                before: None,
                after: None,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// The communication staff typed: `+++…+++`, the 12 digits, or an invoice number (2026-000001).
pub fn communication_of(reference: &str) -> Option<crate::order::invoice::StructuredCommunication> {
    use crate::order::invoice::StructuredCommunication;
    StructuredCommunication::parse(reference).or_else(|| {
        let (year, number) = reference.trim().split_once('-')?;
        let (year, number) = (year.parse::<u64>().ok()?, number.parse::<u64>().ok()?);
        ((1000..10_000).contains(&year) && number < 1_000_000)
            .then(|| StructuredCommunication::from_base(year * 1_000_000 + number))
            .flatten()
    })
}

/// A payment as it arrives.
#[cfg(feature = "ssr")]
pub struct Received<'a> {
    pub source: &'a str,
    pub bank_reference: Option<&'a str>,
    pub statement_id: Option<&'a str>,
    pub amount_cents: i64,
    pub currency: &'a str,
    /// The 12 digits when the payer gave a valid structured communication, else what they wrote.
    pub communication: Option<String>,
    pub debtor_name: Option<&'a str>,
    /// The payer's account, where a refund goes back.
    pub debtor_iban: Option<&'a str>,
    pub booked_on: chrono::NaiveDate,
    pub recorded_by: Option<&'a str>,
}

/// Matches a payment to its invoice, stores it, and moves the order to "paid" (audited and
/// e-mailed) when this payment settles it. `None`: this bank line was stored before.
#[cfg(feature = "ssr")]
pub async fn receive(
    tx: &mut crate::db::DbTx,
    state: &crate::state::AppState,
    payment: Received<'_>,
) -> Result<Option<PaymentOutcome>, AppError> {
    use crate::payment::rules::outcome;
    let now = crate::db::now();
    let due = match (&payment.communication, payment.currency) {
        (Some(digits), "EUR") if digits.len() == 12 => crate::payment::db::due_for_communication(tx, digits).await?,
        _ => None,
    };
    let result = match &due {
        None => PaymentOutcome::Unmatched,
        Some(due) => {
            let owed_nothing = matches!(due.order_status.as_str(), "cancelled" | "refunded");
            outcome(due.total_cents, due.paid_cents, payment.amount_cents, owed_nothing)
        }
    };
    let inserted = crate::payment::db::insert_payment(
        tx,
        &crate::payment::db::NewPayment {
            source: payment.source,
            bank_reference: payment.bank_reference,
            statement_id: payment.statement_id,
            invoice_id: due.as_ref().map(|d| d.invoice_id.as_str()),
            amount_cents: payment.amount_cents,
            currency: payment.currency,
            communication: payment.communication.as_deref(),
            debtor_name: payment.debtor_name,
            debtor_iban: payment.debtor_iban,
            booked_on: payment.booked_on,
            outcome: result,
            recorded_by: payment.recorded_by,
        },
        now,
    )
    .await?;
    if !inserted {
        return Ok(None);
    }
    if let Some(due) = due {
        settle(
            tx,
            state,
            &due,
            payment.amount_cents,
            payment.recorded_by,
            payment.source,
            now,
        )
        .await?;
    }
    Ok(Some(result))
}

/// Moves the order of `due` to "paid" (audited, on its timeline and e-mailed) when
/// `amount_cents` more settles what it still awaits; nothing otherwise.
#[cfg(feature = "ssr")]
pub async fn settle(
    tx: &mut crate::db::DbTx,
    state: &crate::state::AppState,
    due: &crate::payment::db::Due,
    amount_cents: i64,
    recorded_by: Option<&str>,
    source: &str,
    now: crate::db::Timestamp,
) -> Result<(), AppError> {
    if !crate::payment::rules::settles(due.total_cents, due.paid_cents, amount_cents)
        || !crate::payment::db::mark_paid(tx, &due.order_id, now).await?
    {
        return Ok(());
    }
    crate::audit::record(
        tx,
        crate::audit::AuditEvent {
            actor: recorded_by,
            action: "order.paid",
            entity_type: "order",
            entity_id: &due.order_id,
            before: Some(serde_json::json!({ "status": "submitted" })),
            after: Some(serde_json::json!({ "status": "paid", "source": source })),
        },
        now,
    )
    .await?;
    crate::order::db::insert_event(
        tx,
        &crate::order::db::NewEvent {
            order_id: &due.order_id,
            kind: "status",
            from_status: Some(crate::order::model::OrderStatus::Submitted),
            to_status: Some(crate::order::model::OrderStatus::Paid),
            note: "",
            person_id: recorded_by,
        },
        now,
    )
    .await?;
    let year = i32::try_from(due.year).unwrap_or(0);
    let order = crate::mail::templates::OrderMail {
        organisation: due.customer_name.clone(),
        reference: due.reference.clone(),
        invoice_number: crate::order::model::invoice_number(year, due.number),
        communication: due.communication.clone(),
        iban: state.config.programme.iban.clone(),
        bic: state.config.programme.bic.clone(),
        link: format!("{}/invoices/{}", state.config.public_url, due.invoice_id),
    };
    let email = crate::mail::templates::Email::PaymentReceived { order };
    crate::mail::queue(
        tx,
        state,
        &due.contact_email,
        &email,
        crate::org::api::locale_of(&due.language),
    )
    .await?;
    Ok(())
}

/// Reads a camt.053 statement and receives each of its credit lines, in one transaction.
#[cfg(feature = "ssr")]
pub async fn import(state: &crate::state::AppState, person_id: &str, xml: &str) -> Result<ImportReport, AppError> {
    use crate::payment::reader::{Format, detect, parse};
    let statement = parse(xml).map_err(|error| AppError::field("file", error.code()))?;
    let source = match detect(xml) {
        Some(Format::Coda) => "coda",
        _ => "camt053",
    };
    let mut report = ImportReport {
        statement_id: statement.statement_id.clone(),
        ..ImportReport::default()
    };
    let mut tx = state.db.begin().await?;
    for entry in &statement.entries {
        if !entry.credit {
            report.debits += 1;
            continue;
        }
        report.credits += 1;
        if entry.currency != "EUR" {
            report.other_currency += 1;
        }
        let communication = entry.communication.as_deref().map(|text| {
            crate::order::invoice::StructuredCommunication::parse(text)
                .map(|c| c.digits())
                .unwrap_or_else(|| text.chars().take(140).collect())
        });
        let received = receive(
            &mut tx,
            state,
            Received {
                source,
                bank_reference: Some(&entry.bank_reference),
                statement_id: Some(&statement.statement_id),
                amount_cents: entry.amount_cents,
                currency: &entry.currency,
                communication,
                debtor_name: entry.debtor_name.as_deref(),
                debtor_iban: entry.debtor_iban.as_deref(),
                booked_on: entry.booked_on,
                recorded_by: Some(person_id),
            },
        )
        .await?;
        match received {
            None => report.already_imported += 1,
            Some(PaymentOutcome::Matched) => report.matched += 1,
            Some(PaymentOutcome::Partial) => report.partial += 1,
            Some(PaymentOutcome::Excess) => report.excess += 1,
            Some(PaymentOutcome::Unmatched) => report.unmatched += 1,
        }
    }
    crate::audit::record(
        &mut tx,
        crate::audit::AuditEvent {
            actor: Some(person_id),
            action: "statement.imported",
            entity_type: "statement",
            entity_id: &statement.statement_id,
            before: None,
            after: serde_json::to_value(&report).ok(),
        },
        crate::db::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// `POST /admin/payments/import` (multipart, field `file`): the statement upload of the staff
/// page, which works before the WASM has loaded; back to the page with the report in the query.
#[cfg(feature = "ssr")]
pub async fn upload_statement(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    headers: axum::http::HeaderMap,
    mut form: axum::extract::Multipart,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Redirect};
    let back = |query: String| Redirect::to(&format!("/admin/payments?{query}")).into_response();
    let staff = match crate::auth::session::user_from_headers(&state, &headers).await {
        Ok(Some(user)) if user.is_staff() => user,
        Ok(Some(_)) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // A statement pays every partner's orders: not for an agent scoped to partners.
    match crate::auth::scope::order_scope(&state, &staff).await {
        Ok(scope) if !scope.is_limited() => {}
        Ok(_) => return StatusCode::FORBIDDEN.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    let mut xml = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("file") {
            match field.bytes().await {
                Ok(bytes) if bytes.len() <= crate::payment::camt::MAX_BYTES => {
                    // camt.053 is UTF-8; CODA files are often Latin-1, whose bytes are the
                    // first 256 code points.
                    xml = Some(match String::from_utf8(bytes.to_vec()) {
                        Ok(text) => text,
                        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
                    });
                }
                _ => return back("import=file_too_large".into()),
            }
        }
    }
    let Some(xml) = xml.filter(|x| !x.trim().is_empty()) else {
        return back("import=file_missing".into());
    };
    match import(&state, &staff.person_id, &xml).await {
        Ok(r) => back(format!(
            "import=ok&credits={}&matched={}&partial={}&excess={}&unmatched={}&already={}",
            r.credits, r.matched, r.partial, r.excess, r.unmatched, r.already_imported
        )),
        Err(AppError::Validation { fields }) => {
            let code = fields.values().flatten().next().cloned().unwrap_or_default();
            back(format!("import={code}"))
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
