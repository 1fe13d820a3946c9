//! Issuing what corrects or accompanies an invoice, inside the caller's transaction: credit
//! notes (numbered gap-free per year, with the lines they credit) and the Peppol e-invoice of a
//! VAT-registered Belgian organisation, stored once as issued.

use crate::billing::db::{self, CreditedLine, NewCreditNote};
use crate::db::{DbTx, Timestamp};
use crate::error::AppError;
use crate::order::invoice::{InvoiceTotals, totals};
use crate::order::model::{CreditNoteView, InvoiceView, OrderDetail};
use crate::state::AppState;
use domain::einvoice::{DocumentKind, EDocument, Line, Party, Payment, VatTreatment};

/// Why a credit note is issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditKind {
    /// Lines, or the whole order, cancelled after the invoice was issued.
    Cancellation,
    /// A refund request staff accepted.
    Refund,
}

impl CreditKind {
    fn as_str(self) -> &'static str {
        match self {
            CreditKind::Cancellation => "cancellation",
            CreditKind::Refund => "refund",
        }
    }
}

/// The lines of `order` still invoiced: neither cancelled nor refunded.
fn open_lines(order: &OrderDetail) -> impl Iterator<Item = &crate::order::model::OrderLineView> {
    order.lines.iter().filter(|l| !l.cancelled && !l.refunded)
}

/// What crediting `taken` (line ids) of `order` takes off its invoice: the invoice's totals of
/// the open lines before, less those after, so that credit notes and what stays owed always
/// add up to the invoice to the cent.
pub fn credit_for(order: &OrderDetail, vat_rate_bps: i64, taken: &[&str]) -> (InvoiceTotals, Vec<CreditedLine>) {
    let fees = |keep: &dyn Fn(&str) -> bool| -> Vec<(i64, u32)> {
        open_lines(order)
            .filter(|l| keep(&l.order_line_id))
            .map(|l| (l.unit_fee_cents, l.quantity))
            .collect()
    };
    let before = totals(&fees(&|_| true), vat_rate_bps);
    let after = totals(&fees(&|id| !taken.contains(&id)), vat_rate_bps);
    let lines = open_lines(order)
        .filter(|l| taken.contains(&l.order_line_id.as_str()))
        .map(|l| CreditedLine {
            product_name: l.product_name.clone(),
            quantity: l.quantity,
            unit_fee_cents: l.unit_fee_cents,
        })
        .collect();
    let credit = InvoiceTotals {
        net_cents: before.net_cents - after.net_cents,
        vat_cents: before.vat_cents - after.vat_cents,
        total_cents: before.total_cents - after.total_cents,
    };
    (credit, lines)
}

/// Issues a credit note for `taken` lines of `order`'s invoice (every open line for a whole
/// cancellation), and its e-credit note when the invoice went by Peppol. `None` when the order
/// has no invoice or nothing is left to credit.
pub async fn credit(
    tx: &mut DbTx,
    state: &AppState,
    order: &OrderDetail,
    taken: &[&str],
    kind: CreditKind,
    reason: &str,
    now: Timestamp,
) -> Result<Option<String>, AppError> {
    let Some(invoice) = &order.invoice else {
        return Ok(None);
    };
    let (amounts, lines) = credit_for(order, invoice.vat_rate_bps, taken);
    if lines.is_empty() || amounts.total_cents <= 0 {
        return Ok(None);
    }
    let issued_on = now.with_timezone(&domain::calendar::BELGIUM).date_naive();
    let year = chrono::Datelike::year(&issued_on);
    let number = db::next_credit_note_number(tx, year).await?;
    let credit_note_id = db::insert_credit_note(
        tx,
        &NewCreditNote {
            invoice_id: &invoice.invoice_id,
            year,
            number,
            issued_on,
            kind: kind.as_str(),
            reason,
            totals: amounts,
            lines: &lines,
        },
        now,
    )
    .await?;
    if invoice.e_invoice {
        let (_, view) = db::credit_note(tx, &credit_note_id)
            .await?
            .ok_or_else(|| AppError::internal("credit note vanished in its transaction"))?;
        let xml = domain::einvoice::to_ubl(&credit_note_document(&view, state))
            .map_err(|e| AppError::internal(format!("e-credit note {}: {e:?}", view.number)))?;
        db::insert_e_document(tx, None, Some(&credit_note_id), &view.number, issued_on, &xml, now).await?;
    }
    Ok(Some(credit_note_id))
}

/// Issues and stores the e-invoice of `invoice` (a VAT-registered Belgian organisation's).
pub async fn e_invoice(tx: &mut DbTx, state: &AppState, invoice: &InvoiceView, now: Timestamp) -> Result<(), AppError> {
    let xml = domain::einvoice::to_ubl(&invoice_document(invoice, state))
        .map_err(|e| AppError::internal(format!("e-invoice {}: {e:?}", invoice.number)))?;
    db::insert_e_document(
        tx,
        Some(&invoice.invoice_id),
        None,
        &invoice.number,
        invoice.issued_on,
        &xml,
        now,
    )
    .await?;
    Ok(())
}

/// Only digits: "BE 0123.456.749" → "0123456749".
fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The programme, as seller. Its postal address is configured as one line
/// ("Rue de la Loi 1, 1000 Bruxelles, Belgique"): street, then postal code and city.
fn seller(state: &AppState) -> Party {
    let programme = &state.config.programme;
    let mut parts = programme.postal_address.split(',').map(str::trim);
    let street = parts.next().unwrap_or_default().to_owned();
    let place = parts.next().unwrap_or_default();
    let (postal_code, city) = place.split_once(' ').unwrap_or((place, ""));
    let enterprise = digits(&programme.enterprise_number);
    Party {
        name: programme.legal_name.clone(),
        street,
        postal_code: postal_code.to_owned(),
        city: city.to_owned(),
        country: "BE".to_owned(),
        vat_number: Some(format!("BE{enterprise}")),
        enterprise_number: Some(enterprise),
    }
}

struct Buyer<'a> {
    name: &'a str,
    street: &'a str,
    postal_code: &'a str,
    city: &'a str,
    country: &'a str,
    enterprise_number: &'a str,
    vat_number: Option<&'a String>,
}

fn buyer(b: Buyer<'_>) -> Party {
    let enterprise = digits(b.enterprise_number);
    Party {
        name: b.name.to_owned(),
        street: b.street.to_owned(),
        postal_code: b.postal_code.to_owned(),
        city: b.city.to_owned(),
        country: b.country.to_owned(),
        enterprise_number: (b.country == "BE" && enterprise.len() == 10).then_some(enterprise),
        vat_number: b.vat_number.cloned(),
    }
}

fn treatment(category: &str, rate_bps: i64) -> VatTreatment {
    match category {
        "E" => VatTreatment::Exempt {
            reason: "Exonération de TVA".to_owned(),
        },
        "AE" => VatTreatment::ReverseCharge,
        _ => VatTreatment::Standard {
            rate_bps: u32::try_from(rate_bps).unwrap_or(0),
        },
    }
}

fn lines_of(lines: &[crate::order::model::InvoiceLine]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| Line {
            name: l.name.clone(),
            quantity: l.quantity,
            unit_net_cents: l.unit_fee_cents,
            net_cents: l.amount_cents,
        })
        .collect()
}

/// The invoice as a Peppol BIS 3.0 document.
pub fn invoice_document(invoice: &InvoiceView, state: &AppState) -> EDocument {
    let programme = &state.config.programme;
    EDocument {
        kind: DocumentKind::Invoice,
        number: invoice.number.clone(),
        issue_date: invoice.issued_on,
        due_date: Some(invoice.due_on),
        buyer_reference: invoice.order_reference.clone(),
        seller: seller(state),
        buyer: buyer(Buyer {
            name: &invoice.customer_name,
            street: &invoice.customer_street,
            postal_code: &invoice.customer_postal_code,
            city: &invoice.customer_city,
            country: &invoice.customer_country,
            enterprise_number: &invoice.customer_enterprise_number,
            vat_number: invoice.customer_vat_number.as_ref(),
        }),
        lines: lines_of(&invoice.lines),
        vat: treatment(&invoice.vat_category, invoice.vat_rate_bps),
        net_cents: invoice.net_cents,
        vat_cents: invoice.vat_cents,
        total_cents: invoice.total_cents,
        prepaid_cents: 0,
        payment: crate::order::invoice::StructuredCommunication::parse(&invoice.communication).map(|communication| {
            Payment {
                iban: programme.iban.chars().filter(|c| !c.is_whitespace()).collect(),
                bic: programme.bic.clone(),
                account_name: programme.legal_name.clone(),
                communication,
            }
        }),
        corrects: None,
        note: None,
    }
}

/// The credit note as a Peppol BIS 3.0 document referencing its invoice.
pub fn credit_note_document(note: &CreditNoteView, state: &AppState) -> EDocument {
    EDocument {
        kind: DocumentKind::CreditNote,
        number: note.number.clone(),
        issue_date: note.issued_on,
        due_date: None,
        buyer_reference: note.order_reference.clone(),
        seller: seller(state),
        buyer: buyer(Buyer {
            name: &note.customer_name,
            street: &note.customer_street,
            postal_code: &note.customer_postal_code,
            city: &note.customer_city,
            country: &note.customer_country,
            enterprise_number: &note.customer_enterprise_number,
            vat_number: note.customer_vat_number.as_ref(),
        }),
        lines: lines_of(&note.lines),
        vat: treatment(&note.vat_category, note.vat_rate_bps),
        net_cents: note.net_cents,
        vat_cents: note.vat_cents,
        total_cents: note.total_cents,
        prepaid_cents: 0,
        payment: None,
        corrects: Some((note.invoice_number.clone(), note.invoice_issued_on)),
        note: Some(note.reason.clone()).filter(|r| !r.trim().is_empty()),
    }
}
