//! "Continuer": the orders of a verified cart, created in one transaction that judges the cart
//! again with what that transaction sees, numbers the invoices and writes their e-mails.
//!
//! Concurrency: the transaction first locks the organisation (see
//! [`lock_organisation`](crate::order::db::lock_organisation)), so two checkouts of one
//! organisation run one after the other and the second is judged on the first's orders;
//! neither can overrun a quota. Idempotency: the browser's key is stored with the orders; a
//! second request with it finds them and creates nothing.
//!
//! The page checks out the stored cart, not lines of its own: its key is the cart's revision
//! ([`cart_revision`], a digest of the stored lines), so "Continuer" pressed in two tabs, a
//! retry or a stale page of the same cart answers with the orders the first one placed, and a
//! cart changed since (in another tab) is refused with `cart_changed`, never ordered unseen.

use crate::cart::api::resolve;
use crate::cart::model::CheckoutOutcome;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::mail::templates::{Email, OrderMail};
use crate::money::Money;
use crate::order::db::{self as order_db, Customer, NewInvoice, NewOrder};
use crate::order::invoice::{StructuredCommunication, totals};
use crate::order::model::{OrderStatus, invoice_number, order_reference};
use crate::quota::model::{CartInput, CartLine};
use crate::quota::rules::{judge, split_orders};
use crate::state::AppState;
use chrono::{Datelike, Days};

/// Who checks out, for which organisation, with which key.
pub struct CheckoutRequest<'a> {
    pub organisation_id: &'a str,
    pub person_id: &'a str,
    pub idempotency_key: &'a str,
    /// The lines to order; or, with [`CheckoutLines::StoredCart`], the stored cart at the
    /// revision named by the key.
    pub lines: CheckoutLines,
    /// The language of the invoice e-mails.
    pub locale: Locale,
}

/// What a checkout orders.
pub enum CheckoutLines {
    /// Lines sent with the request (the API; the key is the caller's).
    Given(Vec<CartInput>),
    /// The organisation's stored cart, which must still be at the revision the key names.
    StoredCart,
}

/// The revision of a stored cart: a digest of its lines (their ids, which a line keeps until
/// it is removed, and every field), as a checkout key. Any change to the cart changes it; a
/// cart emptied by checkout and filled again has new line ids, so a new revision.
pub fn cart_revision(items: &[crate::cart::model::CartItem]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for item in items {
        let i = &item.input;
        for field in [
            &item.id,
            &i.slug,
            &i.quantity.to_string(),
            &i.aws_account_id,
            &i.aws_account_name,
            &i.named_user,
        ] {
            hash.update(field.as_bytes());
            hash.update([0u8]);
        }
        hash.update(i.zoom_addons.join(",").as_bytes());
        hash.update([1u8]);
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().take(20).map(|b| format!("{b:02x}")).collect();
    format!("cart-{hex}")
}

/// Keys are what [`crate::db::new_id`] makes (a UUID), or any 16–64 letters, digits and dashes.
pub fn valid_key(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn check_lines(lines: &[CartInput]) -> Result<(), AppError> {
    if lines.is_empty() {
        return Err(AppError::field("lines", "cart_empty"));
    }
    if lines.len() > crate::cart::model::MAX_LINES {
        return Err(AppError::field("lines", "too_many_lines"));
    }
    Ok(())
}

/// [`place`] for the member the request's session names, in the request's language: what
/// both checkout server functions do.
pub async fn place_as_member(key: &str, lines: CheckoutLines) -> Result<CheckoutOutcome, AppError> {
    let (state, user, organisation_id) = crate::auth::session::require_member().await?;
    place(
        &state,
        CheckoutRequest {
            organisation_id: &organisation_id,
            person_id: &user.person_id,
            idempotency_key: key,
            lines,
            locale: crate::request::locale(),
        },
    )
    .await
}

/// Places the orders of the request's lines, or answers with the verdict that refuses them.
pub async fn place(state: &AppState, request: CheckoutRequest<'_>) -> Result<CheckoutOutcome, AppError> {
    if !valid_key(request.idempotency_key) {
        return Err(AppError::field("idempotency_key", "invalid"));
    }
    if let CheckoutLines::Given(lines) = &request.lines {
        check_lines(lines)?;
    }
    let now = crate::db::now();
    let today = now.with_timezone(&domain::calendar::BELGIUM).date_naive();
    let mut tx = state.db.begin().await?;
    if !order_db::lock_organisation(&mut tx, request.organisation_id).await? {
        return Err(AppError::NotFound);
    }
    if let Some(checkout_id) =
        order_db::find_checkout(&mut tx, request.organisation_id, request.idempotency_key).await?
    {
        tx.commit().await?;
        return Ok(CheckoutOutcome::Placed { checkout_id });
    }
    // Under the organisation's lock, after the key was looked up: no other checkout of the
    // organisation runs meanwhile, and one that placed this revision was found above.
    let lines = match request.lines {
        CheckoutLines::Given(lines) => lines,
        CheckoutLines::StoredCart => {
            let items = crate::cart::db::load(&mut tx, request.organisation_id).await?;
            if cart_revision(&items) != request.idempotency_key {
                return Err(AppError::Conflict("cart_changed".into()));
            }
            let lines: Vec<CartInput> = items.into_iter().map(|item| item.input).collect();
            check_lines(&lines)?;
            lines
        }
    };
    let resolved = resolve(&mut tx, lines.clone()).await?;
    let inputs = crate::quota::db::engine_inputs_in(&mut tx, request.organisation_id, today)
        .await?
        .ok_or(AppError::NotFound)?;
    let verdict =
        judge(&inputs, &lines).map_err(|index| AppError::field(format!("lines[{index}].slug"), "unknown_product"))?;
    if !verdict.lines.iter().all(|l| l.is_accepted()) {
        return Ok(CheckoutOutcome::Refused(verdict));
    }
    let customer = order_db::customer(&mut tx, request.organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let checkout_id = order_db::insert_checkout(
        &mut tx,
        request.organisation_id,
        request.idempotency_key,
        request.person_id,
        now,
    )
    .await?;
    let cart: Vec<CartLine> = resolved.iter().map(|(product, input)| input.to_line(product)).collect();
    let config = &state.config;
    let due_on = today + Days::new(u64::from(config.order_expiry_days));
    let mut mails = Vec::new();
    for (category, indices) in split_orders(&cart) {
        let year = today.year();
        let (number, communication) = next_invoice(&mut tx, year).await?;
        let reference = order_reference(year, number);
        let order_id = order_db::insert_order(
            &mut tx,
            &NewOrder {
                reference: &reference,
                organisation_id: request.organisation_id,
                category,
                status: OrderStatus::Submitted,
                submitted_at: now,
                validated_at: None,
            },
            now,
        )
        .await?;
        order_db::attach_checkout(&mut tx, &order_id, &checkout_id).await?;
        let mut fees = Vec::with_capacity(indices.len());
        for &i in &indices {
            let (product, input) = &resolved[i];
            let line = &cart[i];
            let line_id = order_db::insert_order_line(
                &mut tx,
                &order_id,
                &product.product_id,
                i32::try_from(input.quantity).unwrap_or(i32::MAX),
                line.named_user.as_deref(),
                now,
            )
            .await?;
            let addons = input.zoom_addons.join(",");
            let aws = line.aws_account.as_ref().map(|(id, name)| (id.as_str(), name.as_str()));
            if aws.is_some() || !addons.is_empty() {
                order_db::set_line_details(&mut tx, &line_id, aws, Some(addons.as_str()).filter(|a| !a.is_empty()))
                    .await?;
            }
            fees.push((product.fee_cents, input.quantity));
        }
        if indices.iter().any(|&i| resolved[i].0.partner_id == "cisco") {
            // Cisco approves each order before it goes further (up to eight weeks).
            order_db::set_approval(&mut tx, &order_id, crate::order::model::Approval::Pending).await?;
        }
        order_db::insert_event(
            &mut tx,
            &order_db::NewEvent {
                order_id: &order_id,
                kind: "status",
                from_status: None,
                to_status: Some(OrderStatus::Submitted),
                note: "",
                person_id: Some(request.person_id),
            },
            now,
        )
        .await?;
        let vat_status = crate::order::invoice::VatStatus::parse(&customer.vat_status)
            .unwrap_or(crate::order::invoice::VatStatus::None);
        let (vat_category, vat_rate_bps) =
            config
                .vat_policy
                .treatment(&customer.country, vat_status, customer.vat_number.is_some());
        let amounts = totals(&fees, i64::from(vat_rate_bps));
        let invoice_id = order_db::insert_invoice(
            &mut tx,
            &NewInvoice {
                order_id: &order_id,
                year,
                number,
                communication: &communication.digits(),
                issued_on: today,
                due_on,
                customer: &customer,
                totals: amounts,
                vat_rate_bps: i64::from(vat_rate_bps),
                vat_category: vat_category.code(),
            },
            now,
        )
        .await?;
        if crate::order::invoice::peppol_required(&customer.country, vat_status, &customer.enterprise_number) {
            let (_, view) = order_db::invoice(&mut tx, &invoice_id)
                .await?
                .ok_or_else(|| AppError::internal("invoice vanished in its transaction"))?;
            crate::billing::issue::e_invoice(&mut tx, state, &view, now).await?;
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(request.person_id),
                action: "order.placed",
                entity_type: "order",
                entity_id: &order_id,
                before: None,
                after: Some(serde_json::json!({
                    "reference": reference,
                    "category": category.as_str(),
                    "invoice": invoice_number(year, number),
                    "total_cents": amounts.total_cents,
                })),
            },
            now,
        )
        .await?;
        // "Scan to pay" in the e-mail: the code asks for the whole new invoice.
        let programme = &config.programme;
        let qr = domain::payment::epc::payload(&domain::payment::epc::TransferRequest {
            beneficiary: &programme.account_holder,
            iban: &programme.iban,
            bic: &programme.bic,
            amount_cents: amounts.total_cents,
            communication,
        })
        .ok();
        mails.push((
            Email::InvoiceIssued {
                order: order_mail(
                    state,
                    &customer,
                    &reference,
                    &invoice_number(year, number),
                    communication,
                    &invoice_id,
                ),
                total: Money::from_cents(amounts.total_cents).format(request.locale, false),
                due_on: crate::ui::dates::long_date(request.locale, due_on),
            },
            qr,
        ));
    }
    for (mail, qr) in &mails {
        crate::mail::queue_with_qr(
            &mut tx,
            state,
            &customer.contact_email,
            mail,
            request.locale,
            qr.as_deref(),
        )
        .await?;
    }
    crate::cart::db::clear(&mut tx, request.organisation_id).await?;
    tx.commit().await?;
    Ok(CheckoutOutcome::Placed { checkout_id })
}

/// The next invoice number of `year` (gap-free) and the structured communication made of it.
pub async fn next_invoice(tx: &mut crate::db::DbTx, year: i32) -> Result<(i64, StructuredCommunication), AppError> {
    let number = order_db::next_invoice_number(tx, year).await?;
    let base = u64::try_from(year)
        .ok()
        .zip(u64::try_from(number).ok())
        .and_then(|(y, n)| {
            // year × 10⁶ + number: ten digits, unique per invoice, until a million a year.
            (n < 1_000_000).then_some(y * 1_000_000 + n)
        });
    let communication = base
        .and_then(StructuredCommunication::from_base)
        .ok_or_else(|| AppError::internal(format!("invoice number {year}-{number} out of range")))?;
    Ok((number, communication))
}

/// What every order e-mail names.
pub fn order_mail(
    state: &AppState,
    customer: &Customer,
    reference: &str,
    invoice_number: &str,
    communication: StructuredCommunication,
    invoice_id: &str,
) -> OrderMail {
    OrderMail {
        organisation: customer.legal_name.clone(),
        reference: reference.to_owned(),
        invoice_number: invoice_number.to_owned(),
        communication: communication.to_string(),
        iban: state.config.programme.iban.clone(),
        bic: state.config.programme.bic.clone(),
        link: format!("{}/invoices/{invoice_id}", state.config.public_url),
    }
}
