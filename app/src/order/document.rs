//! The invoice's figures and lines as people read them, shared by the invoice page
//! ([`crate::order::ui`]) and, on the server, the PDF ([`crate::order::pdf`]) that
//! [`crate::order::api`] serves: a room of its own so that neither the page nor the PDF route
//! has to import the other.

use crate::i18n::*;
use crate::money::Money;
use crate::order::invoice::StructuredCommunication;
#[cfg(feature = "ssr")]
use crate::order::model::CreditNoteView;
use crate::order::model::InvoiceView;
use crate::programme::ProgrammeInfo;
#[cfg(feature = "ssr")]
use crate::ui::dates::long_date;
use domain::payment::epc::{TransferRequest, payload};

/// An amount in `locale`, with its cents.
pub fn money(locale: Locale, cents: i64) -> String {
    Money::from_cents(cents).format(locale, false)
}

/// "21 %" from basis points (2100), "5,5 %" in French and Dutch.
pub fn vat_rate(locale: Locale, bps: i64) -> String {
    let (whole, frac) = (bps / 100, bps % 100);
    let comma = if locale == Locale::en { '.' } else { ',' };
    if frac == 0 {
        format!("{whole}\u{a0}%")
    } else {
        format!("{whole}{comma}{}\u{a0}%", format!("{frac:02}").trim_end_matches('0'))
    }
}

/// The country line of an address (organisations are Belgian or Luxembourgish).
pub fn country_name(code: &str) -> &'static str {
    match code {
        "LU" => "Luxembourg",
        _ => "Belgique / België",
    }
}

/// The amount still to pay on `invoice`: what its "scan to pay" code asks for. The one place
/// that decides it; the page, the PDF, the e-mail and `/invoices/{id}/qr.png` all ask here.
pub fn amount_due(invoice: &InvoiceView) -> i64 {
    invoice.due_cents()
}

/// The text of the invoice's EPC QR code ("scan to pay"), for [`amount_due`] to the
/// programme's account with the invoice's structured communication. `None` when nothing is
/// due, or when the programme's bank details cannot make a code (a misconfigured IBAN, BIC or
/// account holder): then no code is shown anywhere and the transfer details still are.
pub fn epc_payload(invoice: &InvoiceView, programme: &ProgrammeInfo) -> Option<String> {
    let amount_cents = amount_due(invoice);
    if amount_cents <= 0 {
        return None;
    }
    let request = TransferRequest {
        beneficiary: &programme.account_holder,
        iban: &programme.iban,
        bic: &programme.bic,
        amount_cents,
        communication: StructuredCommunication::parse(&invoice.communication)?,
    };
    payload(&request).ok()
}

/// The invoice as the PDF prints it, in `locale`.
#[cfg(feature = "ssr")]
pub fn invoice_document(
    invoice: &InvoiceView,
    programme: &ProgrammeInfo,
    locale: Locale,
) -> crate::order::pdf::InvoiceDocument {
    let m = |cents: i64| money(locale, cents);
    crate::order::pdf::InvoiceDocument {
        title: td_string!(locale, invoice.title, number = invoice.number.clone()).to_string(),
        issuer: issuer(programme, locale),
        customer: vec![
            invoice.customer_name.clone(),
            invoice.customer_street.clone(),
            format!("{} {}", invoice.customer_postal_code, invoice.customer_city),
            country_name(&invoice.customer_country).to_owned(),
            format!(
                "{} {}",
                td_string!(locale, invoice.enterprise_number),
                invoice.customer_enterprise_number
            ),
        ],
        details: vec![
            (
                td_string!(locale, invoice.state).to_string(),
                state_label(locale, invoice.state()),
            ),
            (
                td_string!(locale, invoice.issued_on).to_string(),
                long_date(locale, invoice.issued_on),
            ),
            (
                td_string!(locale, invoice.order).to_string(),
                invoice.order_reference.clone(),
            ),
            (
                td_string!(locale, invoice.due_on).to_string(),
                long_date(locale, invoice.due_on),
            ),
        ],
        columns: columns(locale),
        lines: invoice
            .lines
            .iter()
            .map(|l| {
                [
                    l.name.clone(),
                    l.quantity.to_string(),
                    m(l.unit_fee_cents),
                    m(l.amount_cents),
                ]
            })
            .collect(),
        totals: vec![
            (td_string!(locale, invoice.net).to_string(), m(invoice.net_cents)),
            (
                td_string!(locale, invoice.vat, rate = vat_rate(locale, invoice.vat_rate_bps)).to_string(),
                m(invoice.vat_cents),
            ),
            (td_string!(locale, invoice.total).to_string(), m(invoice.total_cents)),
        ]
        .into_iter()
        .chain(money_trail(invoice, locale))
        .collect(),
        payment_title: td_string!(locale, invoice.payment).to_string(),
        payment: vec![
            format!("IBAN : {}", programme.iban),
            format!("BIC : {}", programme.bic),
            format!(
                "{} : {}",
                td_string!(locale, invoice.communication),
                invoice.communication
            ),
        ],
        qr: epc_payload(invoice, programme)
            .and_then(|text| crate::payment::qr::QrMatrix::encode(&text))
            .map(|matrix| crate::order::pdf::PaymentQr {
                matrix,
                caption: td_string!(locale, invoice.scan_to_pay).to_string(),
            }),
        footer: td_string!(locale, invoice.footer).to_string(),
    }
}

/// "À payer", "Payée", "Créditée"… in `locale`.
pub fn state_label(locale: Locale, state: crate::order::invoice::InvoiceState) -> String {
    use crate::order::invoice::InvoiceState::*;
    match state {
        ToPay => td_string!(locale, invoice.unpaid),
        PartlyPaid => td_string!(locale, invoice.partly_paid),
        Paid => td_string!(locale, invoice.paid),
        PartlyCredited => td_string!(locale, invoice.partly_credited),
        Credited => td_string!(locale, invoice.credited),
        Refunded => td_string!(locale, invoice.refunded),
    }
    .to_string()
}

/// The lines under the total once money moved: credited, received, paid back, still due.
#[cfg(feature = "ssr")]
fn money_trail(invoice: &InvoiceView, locale: Locale) -> Vec<(String, String)> {
    let m = |cents: i64| money(locale, cents);
    let money = invoice.settlement();
    let mut rows = Vec::new();
    if money.credited_cents > 0 {
        rows.push((
            td_string!(locale, invoice.credited_amount).to_string(),
            m(-money.credited_cents),
        ));
    }
    if money.paid_cents > 0 {
        rows.push((
            td_string!(locale, invoice.paid_amount).to_string(),
            m(-money.paid_cents),
        ));
    }
    if money.refunded_cents > 0 {
        rows.push((
            td_string!(locale, invoice.refunded_amount).to_string(),
            m(money.refunded_cents),
        ));
    }
    if !rows.is_empty() || money.due_cents() != money.total_cents {
        rows.push((td_string!(locale, invoice.due_amount).to_string(), m(money.due_cents())));
    }
    if money.refund_due_cents() > 0 {
        rows.push((
            td_string!(locale, invoice.refund_due).to_string(),
            m(money.refund_due_cents()),
        ));
    }
    rows
}

/// The credit note as its PDF prints it, in `locale`.
#[cfg(feature = "ssr")]
pub fn credit_note_document(
    note: &CreditNoteView,
    programme: &ProgrammeInfo,
    locale: Locale,
) -> crate::order::pdf::InvoiceDocument {
    let m = |cents: i64| money(locale, cents);
    let mut customer = vec![
        note.customer_name.clone(),
        note.customer_street.clone(),
        format!("{} {}", note.customer_postal_code, note.customer_city),
        country_name(&note.customer_country).to_owned(),
        format!(
            "{} {}",
            td_string!(locale, invoice.enterprise_number),
            note.customer_enterprise_number
        ),
    ];
    if let Some(vat) = &note.customer_vat_number {
        customer.push(format!("{} {vat}", td_string!(locale, invoice.vat_number)));
    }
    crate::order::pdf::InvoiceDocument {
        title: td_string!(locale, credit_note.title, number = note.number.clone()).to_string(),
        issuer: issuer(programme, locale),
        customer,
        details: vec![
            (
                td_string!(locale, credit_note.issued_on).to_string(),
                long_date(locale, note.issued_on),
            ),
            (
                td_string!(locale, credit_note.corrects).to_string(),
                format!(
                    "{} ({})",
                    note.invoice_number,
                    long_date(locale, note.invoice_issued_on)
                ),
            ),
            (
                td_string!(locale, invoice.order).to_string(),
                note.order_reference.clone(),
            ),
            (td_string!(locale, credit_note.reason).to_string(), note.reason.clone()),
        ],
        columns: columns(locale),
        lines: note
            .lines
            .iter()
            .map(|l| {
                [
                    l.name.clone(),
                    l.quantity.to_string(),
                    m(l.unit_fee_cents),
                    m(l.amount_cents),
                ]
            })
            .collect(),
        totals: vec![
            (td_string!(locale, invoice.net).to_string(), m(note.net_cents)),
            (
                td_string!(locale, invoice.vat, rate = vat_rate(locale, note.vat_rate_bps)).to_string(),
                m(note.vat_cents),
            ),
            (td_string!(locale, credit_note.total).to_string(), m(note.total_cents)),
        ],
        payment_title: td_string!(locale, credit_note.settlement_title).to_string(),
        payment: vec![td_string!(locale, credit_note.settlement).to_string()],
        // A credit note asks for no transfer.
        qr: None,
        footer: td_string!(locale, credit_note.footer).to_string(),
    }
}

/// The programme's block, top left of its invoices and credit notes.
#[cfg(feature = "ssr")]
fn issuer(programme: &ProgrammeInfo, locale: Locale) -> Vec<String> {
    vec![
        programme.legal_name.clone(),
        programme.postal_address.clone(),
        format!(
            "{} {}",
            td_string!(locale, invoice.vat_number),
            programme.enterprise_number
        ),
        programme.support_email.clone(),
    ]
}

/// The headings of the lines table of invoices and credit notes.
#[cfg(feature = "ssr")]
fn columns(locale: Locale) -> [String; 4] {
    [
        td_string!(locale, invoice.product).to_string(),
        td_string!(locale, invoice.quantity).to_string(),
        td_string!(locale, invoice.unit_fee).to_string(),
        td_string!(locale, invoice.amount).to_string(),
    ]
}
