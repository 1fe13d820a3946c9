//! Server functions of checkout and invoices, and the invoice PDF and QR code routes.

use crate::cart::model::CheckoutOutcome;
use crate::error::AppError;
use crate::order::model::{CheckoutAddress, InvoiceView};
use crate::programme::ProgrammeInfo;
use crate::quota::model::CartInput;
use leptos::prelude::*;

/// The registered address to confirm before "Continuer", with the stored cart's revision as
/// the key "Continuer" sends ([`checkout_cart`]). Members.
#[server(prefix = "/api", endpoint = "checkout_address")]
pub async fn load_checkout_address() -> Result<CheckoutAddress, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        let mut tx = state.db.begin_read().await?;
        let customer = crate::order::db::customer(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let cart = crate::cart::db::load(&mut tx, &organisation_id).await?;
        tx.commit().await?;
        Ok(CheckoutAddress {
            legal_name: customer.legal_name,
            street: customer.street,
            postal_code: customer.postal_code,
            city: customer.city,
            country: customer.country,
            enterprise_number: customer.enterprise_number,
            contact_email: customer.contact_email,
            idempotency_key: crate::order::checkout::cart_revision(&cart),
        })
    }
    .await;
    crate::error::with_status(result)
}

/// The API's checkout: creates the orders of `lines` (one per fulfilment path) with their
/// invoices, or answers with the verdict that refuses them. Members. The same key twice
/// creates the orders once. The page uses [`checkout_cart`].
#[server(prefix = "/api", endpoint = "checkout")]
pub async fn checkout(idempotency_key: String, lines: Vec<CartInput>) -> Result<CheckoutOutcome, AppError> {
    let lines = crate::order::checkout::CheckoutLines::Given(lines);
    crate::error::with_status(crate::order::checkout::place_as_member(&idempotency_key, lines).await)
}

/// "Continuer": the orders of the stored cart at `revision` (what [`load_checkout_address`]
/// gave the page). Pressed again for the same revision, in another tab, as a retry or from a
/// stale page, it answers with the orders already placed; a cart changed since answers 409
/// `cart_changed`. Members.
#[server(prefix = "/api", endpoint = "checkout_cart")]
pub async fn checkout_cart(revision: String) -> Result<CheckoutOutcome, AppError> {
    let lines = crate::order::checkout::CheckoutLines::StoredCart;
    crate::error::with_status(crate::order::checkout::place_as_member(&revision, lines).await)
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
        let mut allowed = true;
        for (organisation_id, invoice) in &invoices {
            allowed &= if user.is_staff() {
                staff_sees_order(&state, &user, &invoice.order_id).await?
            } else {
                user.is_member_of(organisation_id)
            };
        }
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
    let Some((organisation_id, invoice)) = found else {
        return Ok(None);
    };
    let allowed = if user.is_staff() {
        staff_sees_order(state, user, &invoice.order_id).await?
    } else {
        user.is_member_of(&organisation_id)
    };
    Ok(allowed.then_some(invoice))
}

/// Whether staff member `user` may see and act on `order_id`: always, unless they are an
/// agent scoped to partners the order's lines are not all of (`auth::scope`).
#[cfg(feature = "ssr")]
pub async fn staff_sees_order(
    state: &crate::state::AppState,
    user: &crate::auth::model::CurrentUser,
    order_id: &str,
) -> Result<bool, AppError> {
    let scope = crate::auth::scope::order_scope(state, user).await?;
    let Some(partners) = scope.partners() else {
        return Ok(user.is_staff());
    };
    let mut tx = state.db.begin_read().await?;
    let inside = crate::order::db::order_in_scope(&mut tx, order_id, partners).await?;
    tx.commit().await?;
    Ok(inside && user.is_staff())
}

/// Staff who may act on `order_id`; a scoped agent asking for another partner's order is told
/// it does not exist, as a member of another organisation would be.
#[cfg(feature = "ssr")]
pub async fn require_staff_on(
    order_id: &str,
) -> Result<(crate::state::AppState, crate::auth::model::CurrentUser), AppError> {
    let (state, staff) = crate::auth::session::require_staff().await?;
    if !staff_sees_order(&state, &staff, order_id).await? {
        return Err(AppError::NotFound);
    }
    Ok((state, staff))
}

/// The invoice `invoice_id` for a document route: to a member of its organisation or to
/// staff; anyone else is answered as for a missing invoice (404), and no session 401.
#[cfg(feature = "ssr")]
async fn document_invoice(
    state: &crate::state::AppState,
    headers: &axum::http::HeaderMap,
    invoice_id: &str,
) -> Result<InvoiceView, axum::http::StatusCode> {
    use axum::http::StatusCode;
    let user = match crate::auth::session::user_from_headers(state, headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return Err(StatusCode::UNAUTHORIZED),
        Err(_) => return Err(StatusCode::INTERNAL_SERVER_ERROR),
    };
    match visible_invoice(state, &user, invoice_id).await {
        Ok(Some(invoice)) => Ok(invoice),
        Ok(None) => Err(StatusCode::NOT_FOUND),
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// `GET /invoices/{id}/pdf`: the invoice as a PDF, in the caller's language, to a member of
/// its organisation or to staff (anyone else gets 404, as for a missing invoice).
#[cfg(feature = "ssr")]
pub async fn invoice_pdf(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    axum::extract::Path(invoice_id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let invoice = match document_invoice(&state, &headers, &invoice_id).await {
        Ok(invoice) => invoice,
        Err(status) => return status.into_response(),
    };
    let locale = crate::request::locale_in(&headers);
    let document = crate::order::document::invoice_document(&invoice, &state.config.programme, locale);
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

/// `GET /invoices/{id}/qr.png`: "scan to pay", the invoice's EPC QR code as a PNG, to those
/// who may see its PDF, answered as the PDF is. 404 too when nothing is left to pay (or the
/// programme's bank details cannot make a code): the page then shows none. Never cached: the
/// amount changes as payments and credit notes come in.
#[cfg(feature = "ssr")]
pub async fn invoice_qr(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    axum::extract::Path(invoice_id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let invoice = match document_invoice(&state, &headers, &invoice_id).await {
        Ok(invoice) => invoice,
        Err(status) => return status.into_response(),
    };
    let Some(text) = crate::order::document::epc_payload(&invoice, &state.config.programme) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let png = crate::payment::qr::QrMatrix::encode(&text).map(|matrix| matrix.to_png());
    let bytes = match png {
        Some(Ok(bytes)) => bytes,
        Some(Err(error)) => {
            tracing::error!(%error, "invoice QR code: PNG encoding failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        None => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

// ---- "Mes demandes" and staff order processing (issue 6).

use crate::order::model::{OrderDetail, OrderFilter, OrderList, OrderStatus};

/// The order's organisation if `user` may act on it: a member of it, or staff whose scope
/// holds it.
#[cfg(feature = "ssr")]
async fn visible_order(
    state: &crate::state::AppState,
    user: &crate::auth::model::CurrentUser,
    order_id: &str,
) -> Result<String, AppError> {
    let mut tx = state.db.begin_read().await?;
    let found = crate::order::db::order_organisation(&mut tx, order_id).await?;
    tx.commit().await?;
    let organisation_id = found.ok_or(AppError::NotFound)?;
    let allowed = if user.is_staff() {
        staff_sees_order(state, user, order_id).await?
    } else {
        user.is_member_of(&organisation_id)
    };
    allowed.then_some(organisation_id).ok_or(AppError::NotFound)
}

/// "Mes demandes": the caller's organisation's orders, newest first, filtered and paged.
/// Members.
#[server(prefix = "/api", endpoint = "my_orders")]
pub async fn list_my_orders(filter: OrderFilter) -> Result<OrderList, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        let mut tx = state.db.begin_read().await?;
        let list = crate::order::db::list_orders(
            &mut tx,
            Some(&organisation_id),
            &filter,
            crate::order::model::ORDERS_PAGE_SIZE,
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }
    .await;
    crate::error::with_status(result)
}

/// One order with its timeline. Members of its organisation and staff (who also see which
/// staff member took each step); anyone else is told it does not exist.
#[server(prefix = "/api", endpoint = "load_order")]
pub async fn load_order(order_id: String) -> Result<OrderDetail, AppError> {
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        visible_order(&state, &user, &order_id).await?;
        let mut tx = state.db.begin_read().await?;
        let detail = crate::order::db::order_detail(&mut tx, &order_id, user.is_staff()).await?;
        tx.commit().await?;
        detail.ok_or(AppError::NotFound)
    }
    .await;
    crate::error::with_status(result)
}

/// "Annuler": cancels `lines` of an order that is not transmitted yet (every Microsoft line
/// when one is chosen; the whole order when all are), with a reason. Members of its
/// organisation and staff.
#[server(prefix = "/api", endpoint = "cancel_order")]
pub async fn cancel_order(order_id: String, lines: Vec<String>, reason: String) -> Result<OrderStatus, AppError> {
    use crate::order::process::Who;
    use crate::order::rules::Actor;
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        visible_order(&state, &user, &order_id).await?;
        let actor = if user.is_staff() {
            Actor::Staff
        } else {
            Actor::Organisation
        };
        let who = Who {
            person_id: &user.person_id,
            actor,
        };
        crate::order::process::cancel(&state, &order_id, &lines, &reason, who).await
    }
    .await;
    crate::error::with_status(result)
}

/// "Demander un remboursement" for `lines`, judged by their partners' rules today.
/// Members of the order's organisation.
#[server(prefix = "/api", endpoint = "request_refund")]
pub async fn request_refund(
    order_id: String,
    lines: Vec<String>,
    reason: String,
    declaration: bool,
) -> Result<(), AppError> {
    use crate::order::process::Who;
    use crate::order::rules::Actor;
    let result = async {
        let (state, user, organisation_id) = crate::auth::session::require_member().await?;
        if visible_order(&state, &user, &order_id).await? != organisation_id {
            return Err(AppError::NotFound);
        }
        let who = Who {
            person_id: &user.person_id,
            actor: Actor::Organisation,
        };
        crate::order::process::request_refund(&state, &order_id, &lines, &reason, declaration, who).await
    }
    .await;
    crate::error::with_status(result)
}

/// Staff queues: every organisation's orders within the caller's scope, filtered (by status,
/// by work queue — `refunds`, `cancellations`, `overpayments`, `unpaid`,
/// `awaiting_approval` — or by a search for a reference, transaction number, invoice or
/// credit-note number) and paged, with the count in each open status and each queue.
/// A search that names nothing an order can carry is a field error (`search`).
#[server(prefix = "/api", endpoint = "staff_orders")]
pub async fn list_orders(filter: OrderFilter) -> Result<OrderList, AppError> {
    use crate::order::model::{MAX_SEARCH_CHARS, parse_order_search};
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let mut filter = filter;
        filter.search = filter.search.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        if let Some(search) = &filter.search {
            if search.chars().count() > MAX_SEARCH_CHARS {
                return Err(AppError::field("search", "too_long"));
            }
            if parse_order_search(search).is_none() {
                return Err(AppError::field("search", "order_search_invalid"));
            }
        }
        let scope = crate::auth::scope::order_scope(&state, &staff).await?;
        let lister = crate::order::db::Lister::Staff {
            scope: scope.partners(),
            now: crate::db::now(),
        };
        let mut tx = state.db.begin_read().await?;
        let list = crate::order::db::list_for(&mut tx, lister, &filter, crate::order::model::ORDERS_PAGE_SIZE).await?;
        tx.commit().await?;
        Ok(list)
    }
    .await;
    crate::error::with_status(result)
}

#[cfg(feature = "ssr")]
fn who(staff: &crate::auth::model::CurrentUser) -> crate::order::process::Who<'_> {
    crate::order::process::Who {
        person_id: &staff.person_id,
        actor: crate::order::rules::Actor::Staff,
    }
}

/// Staff: one status change (`mark_paid`, `transmit`, `fulfil`, `cancel`, `refund`) with a
/// note for the organisation (a reason, for `cancel`). The server refuses any change the
/// lifecycle does not allow from the order's current status.
#[server(prefix = "/api", endpoint = "order_step")]
pub async fn order_step(order_id: String, action: String, note: String) -> Result<OrderStatus, AppError> {
    let result = async {
        let (state, staff) = require_staff_on(&order_id).await?;
        let action =
            crate::order::rules::Action::parse(&action).ok_or_else(|| AppError::field("action", "choose_one"))?;
        crate::order::process::step(&state, &order_id, action, who(&staff), &note).await
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: Cisco's answer to a pending order (a refusal needs a note).
#[server(prefix = "/api", endpoint = "cisco_decision")]
pub async fn cisco_decision(order_id: String, approved: bool, note: String) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = require_staff_on(&order_id).await?;
        crate::order::process::cisco_decision(&state, &order_id, approved, &note, who(&staff)).await
    }
    .await;
    crate::error::with_status(result)
}

#[cfg(feature = "ssr")]
fn date_field(field: &str, value: &str, required: bool) -> Result<Option<chrono::NaiveDate>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return if required {
            Err(AppError::field(field, "required"))
        } else {
            Ok(None)
        };
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| AppError::field(field, "date_invalid"))
}

/// Staff: a parcel of a hardware order (dates YYYY-MM-DD; delivery may come later).
#[server(prefix = "/api", endpoint = "add_shipment")]
pub async fn add_shipment(
    order_id: String,
    shipped_on: String,
    carrier: String,
    tracking: String,
    items: String,
    delivered_on: String,
) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = require_staff_on(&order_id).await?;
        let shipment = crate::order::model::Shipment {
            shipment_id: String::new(),
            shipped_on: date_field("shipped_on", &shipped_on, true)?.unwrap_or_default(),
            carrier,
            tracking,
            items,
            delivered_on: date_field("delivered_on", &delivered_on, false)?,
        };
        crate::order::process::add_shipment(&state, &order_id, shipment, who(&staff)).await
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: the day a parcel arrived (Cisco's 60 days and SMARTnet's five years run from it).
#[server(prefix = "/api", endpoint = "mark_delivered")]
pub async fn mark_delivered(order_id: String, shipment_id: String, delivered_on: String) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = require_staff_on(&order_id).await?;
        let delivered_on = date_field("delivered_on", &delivered_on, true)?.unwrap_or_default();
        crate::order::process::mark_delivered(&state, &order_id, &shipment_id, delivered_on, who(&staff)).await
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: the code, instructions and (yearly products) expiry of one line.
#[server(prefix = "/api", endpoint = "set_fulfilment")]
pub async fn set_fulfilment(
    order_id: String,
    order_line_id: String,
    code: String,
    note: String,
    expires_on: String,
) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = require_staff_on(&order_id).await?;
        let expires_on = date_field("expires_on", &expires_on, false)?;
        crate::order::process::set_fulfilment(&state, &order_id, &order_line_id, &code, &note, expires_on, who(&staff))
            .await
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: accept or refuse a refund request (a refusal needs a response).
#[server(prefix = "/api", endpoint = "decide_refund")]
pub async fn decide_refund(refund_request_id: String, accepted: bool, response: String) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let mut tx = state.db.begin_read().await?;
        let order_id = crate::order::db::refund_request_order(&mut tx, &refund_request_id).await?;
        tx.commit().await?;
        let order_id = order_id.ok_or(AppError::NotFound)?;
        if !staff_sees_order(&state, &staff, &order_id).await? {
            return Err(AppError::NotFound);
        }
        crate::order::process::decide_refund(&state, &refund_request_id, accepted, &response, who(&staff)).await
    }
    .await;
    crate::error::with_status(result)
}
