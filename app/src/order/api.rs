//! Server functions of checkout and invoices, and the invoice PDF route.

use crate::error::AppError;
use crate::order::model::{CheckoutAddress, CheckoutOutcome, InvoiceView};
use crate::programme::ProgrammeInfo;
use crate::quota::model::CartInput;
use leptos::prelude::*;

/// The registered address to confirm before "Continuer", with a fresh idempotency key.
/// Members.
#[server(prefix = "/api", endpoint = "checkout_address")]
pub async fn load_checkout_address() -> Result<CheckoutAddress, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        let mut tx = state.db.begin_read().await?;
        let customer = crate::order::db::customer(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(CheckoutAddress {
            legal_name: customer.legal_name,
            street: customer.street,
            postal_code: customer.postal_code,
            city: customer.city,
            country: customer.country,
            enterprise_number: customer.enterprise_number,
            contact_email: customer.contact_email,
            idempotency_key: crate::db::new_id(),
        })
    }
    .await;
    crate::error::with_status(result)
}

/// "Continuer": creates the orders of `lines` (software and hardware apart) with their
/// invoices, or answers with the verdict that refuses them. Members. The same key twice
/// creates the orders once.
#[server(prefix = "/api", endpoint = "checkout")]
pub async fn checkout(idempotency_key: String, lines: Vec<CartInput>) -> Result<CheckoutOutcome, AppError> {
    let result = async {
        let (state, user, organisation_id) = crate::auth::session::require_member().await?;
        crate::order::checkout::place(
            &state,
            crate::order::checkout::CheckoutRequest {
                organisation_id: &organisation_id,
                person_id: &user.person_id,
                idempotency_key: &idempotency_key,
                lines,
                locale: crate::request::locale(),
            },
        )
        .await
    }
    .await;
    crate::error::with_status(result)
}

/// The invoices of one checkout, for its confirmation page. Members of its organisation and
/// staff; anyone else is told it does not exist.
#[server(prefix = "/api", endpoint = "load_checkout")]
pub async fn load_checkout(checkout_id: String) -> Result<Vec<InvoiceView>, AppError> {
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        let mut tx = state.db.begin_read().await?;
        let invoices = crate::order::db::checkout_invoices(&mut tx, &checkout_id).await?;
        tx.commit().await?;
        let allowed = invoices
            .iter()
            .all(|(organisation_id, _)| user.is_staff() || user.is_member_of(organisation_id));
        if invoices.is_empty() || !allowed {
            return Err(AppError::NotFound);
        }
        Ok(invoices.into_iter().map(|(_, invoice)| invoice).collect())
    }
    .await;
    crate::error::with_status(result)
}

/// One invoice with the programme that issues it. Members of its organisation and staff;
/// anyone else is told it does not exist.
#[server(prefix = "/api", endpoint = "load_invoice")]
pub async fn load_invoice(invoice_id: String) -> Result<(InvoiceView, ProgrammeInfo), AppError> {
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        let invoice = visible_invoice(&state, &user, &invoice_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((invoice, state.config.programme.clone()))
    }
    .await;
    crate::error::with_status(result)
}

/// The invoice if `user` may see it.
#[cfg(feature = "ssr")]
async fn visible_invoice(
    state: &crate::state::AppState,
    user: &crate::auth::model::CurrentUser,
    invoice_id: &str,
) -> Result<Option<InvoiceView>, AppError> {
    let mut tx = state.db.begin_read().await?;
    let found = crate::order::db::invoice(&mut tx, invoice_id).await?;
    tx.commit().await?;
    Ok(found
        .filter(|(organisation_id, _)| user.is_staff() || user.is_member_of(organisation_id))
        .map(|(_, invoice)| invoice))
}

/// `GET /invoices/{id}/pdf`: the invoice as a PDF, in the caller's language, to a member of
/// its organisation or to staff (anyone else gets 404, as for a missing invoice).
#[cfg(feature = "ssr")]
pub async fn invoice_pdf(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    axum::extract::Path(invoice_id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let user = match crate::auth::session::user_from_headers(&state, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let invoice = match visible_invoice(&state, &user, &invoice_id).await {
        Ok(Some(invoice)) => invoice,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let locale = crate::request::locale_in(&headers);
    let document = crate::order::ui::invoice_document(&invoice, &state.config.programme, locale);
    let bytes = crate::order::pdf::render(&document);
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"facture-{}.pdf\"", invoice.number)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
