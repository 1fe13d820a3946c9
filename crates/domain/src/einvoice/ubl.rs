//! The checks, then the UBL 2.1 text, elements in the order of the UBL schema.

use super::model::{DocumentKind, EDocument, EInvoiceError, Party, Role, VatTreatment};
use super::xml::{Writer, clean};
use super::{CUSTOMIZATION_ID, PROFILE_ID, VAT_TOLERANCE_CENTS, amount, enterprise_number, percent, vat_scheme};

const CURRENCY: &str = "EUR";
/// UN/ECE recommendation 20 "one": the lines count services, not weights or lengths.
const UNIT_CODE: &str = "C62";

/// The document as Peppol UBL 2.1 (an `Invoice` or a `CreditNote`), UTF-8 XML text.
///
/// Refuses, rather than writes, a document the official rules would reject or whose figures
/// contradict each other: see [`EInvoiceError`].
pub fn to_ubl(doc: &EDocument) -> Result<String, EInvoiceError> {
    let checked = check(doc)?;
    Ok(write(doc, &checked))
}

/// A party's identifiers and texts, checked and cleaned.
struct PartyOut {
    name: String,
    street: String,
    postal_code: String,
    city: String,
    country: String,
    endpoint: (&'static str, String),
    /// The enterprise number, written as the legal registration identifier of a Belgian party.
    legal_id: Option<String>,
    vat_number: Option<String>,
}

/// What `write` needs beyond the document: every text cleaned, every identifier normalised.
struct Checked {
    number: String,
    buyer_reference: String,
    note: Option<String>,
    seller: PartyOut,
    buyer: PartyOut,
    line_names: Vec<String>,
    /// Category code, rate, exemption reason code, exemption reason text.
    category: (&'static str, String, Option<&'static str>, Option<String>),
    payment: Option<(String, String, String, String)>,
    corrects: Option<(String, chrono::NaiveDate)>,
}

fn required(text: &str, what: &'static str) -> Result<String, EInvoiceError> {
    let text = clean(text);
    if text.is_empty() {
        Err(EInvoiceError::Empty(what))
    } else {
        Ok(text)
    }
}

fn optional(text: Option<&str>) -> Option<String> {
    text.map(clean).filter(|t| !t.is_empty())
}

fn party(p: &Party, role: Role) -> Result<PartyOut, EInvoiceError> {
    let name = required(
        &p.name,
        match role {
            Role::Seller => "the seller's name",
            Role::Buyer => "the buyer's name",
        },
    )?;
    let country = clean(&p.country).to_ascii_uppercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(EInvoiceError::Country {
            role,
            value: p.country.clone(),
        });
    }
    let enterprise = match optional(p.enterprise_number.as_deref()) {
        None => None,
        Some(text) => Some(enterprise_number(&text).ok_or_else(|| EInvoiceError::EnterpriseNumber {
            role,
            value: text.clone(),
        })?),
    };
    let vat_number = match optional(p.vat_number.as_deref()) {
        None => None,
        Some(text) => {
            let vat: String = text
                .chars()
                .filter(|c| !matches!(c, ' ' | '.' | '-'))
                .collect::<String>()
                .to_ascii_uppercase();
            let prefixed = vat.len() > 2 && vat.bytes().take(2).all(|b| b.is_ascii_uppercase());
            if !prefixed || !vat.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(EInvoiceError::VatNumber { role, value: text });
            }
            Some(vat)
        }
    };
    let endpoint = match (&enterprise, &vat_number) {
        (Some(number), _) => ("0208", number.clone()),
        (None, Some(vat)) => match vat_scheme(vat) {
            Some(scheme) => (scheme, vat.clone()),
            None => return Err(EInvoiceError::NoElectronicAddress(role)),
        },
        (None, None) => return Err(EInvoiceError::NoElectronicAddress(role)),
    };
    Ok(PartyOut {
        name,
        street: clean(&p.street),
        postal_code: clean(&p.postal_code),
        city: clean(&p.city),
        legal_id: if country == "BE" { enterprise } else { None },
        country,
        endpoint,
        vat_number,
    })
}

fn check(doc: &EDocument) -> Result<Checked, EInvoiceError> {
    let number = required(&doc.number, "the document number")?;
    let buyer_reference = required(&doc.buyer_reference, "the buyer reference")?;
    let seller = party(&doc.seller, Role::Seller)?;
    let buyer = party(&doc.buyer, Role::Buyer)?;
    if seller.vat_number.is_none() {
        return Err(EInvoiceError::SellerVatNumberMissing);
    }

    for (value, what) in [
        (doc.net_cents, "the net amount"),
        (doc.vat_cents, "the VAT amount"),
        (doc.total_cents, "the total"),
        (doc.prepaid_cents, "the prepaid amount"),
    ] {
        if value < 0 {
            return Err(EInvoiceError::Negative(what));
        }
    }
    if doc.lines.is_empty() {
        return Err(EInvoiceError::NoLines);
    }
    let mut line_names = Vec::with_capacity(doc.lines.len());
    let mut lines_cents: i64 = 0;
    for (index, line) in doc.lines.iter().enumerate() {
        line_names.push(required(&line.name, "a line's name")?);
        if line.unit_net_cents < 0 || line.net_cents < 0 {
            return Err(EInvoiceError::Negative("a line's amount"));
        }
        if line.unit_net_cents.checked_mul(i64::from(line.quantity)) != Some(line.net_cents) {
            return Err(EInvoiceError::LineAmount {
                line: index + 1,
                quantity: line.quantity,
                unit_net_cents: line.unit_net_cents,
                net_cents: line.net_cents,
            });
        }
        lines_cents = lines_cents.saturating_add(line.net_cents);
    }
    if lines_cents != doc.net_cents {
        return Err(EInvoiceError::LinesDoNotAddUp {
            lines_cents,
            net_cents: doc.net_cents,
        });
    }
    if doc.net_cents.checked_add(doc.vat_cents) != Some(doc.total_cents) {
        return Err(EInvoiceError::TotalDoesNotAddUp {
            net_cents: doc.net_cents,
            vat_cents: doc.vat_cents,
            total_cents: doc.total_cents,
        });
    }

    let category = match &doc.vat {
        VatTreatment::Standard { rate_bps } => {
            if *rate_bps == 0 {
                return Err(EInvoiceError::ZeroStandardRate);
            }
            // Half up, as `invoice::totals` and the rules' XPath `round` do; i128: no overflow.
            let expected = (i128::from(doc.net_cents) * i128::from(*rate_bps) + 5_000).div_euclid(10_000);
            if (i128::from(doc.vat_cents) - expected).abs() > i128::from(VAT_TOLERANCE_CENTS) {
                return Err(EInvoiceError::VatOutOfTolerance {
                    vat_cents: doc.vat_cents,
                    expected_cents: i64::try_from(expected).unwrap_or(i64::MAX),
                });
            }
            ("S", percent(*rate_bps), None, None)
        }
        VatTreatment::Exempt { reason } => {
            if doc.vat_cents != 0 {
                return Err(EInvoiceError::VatNotZero(doc.vat_cents));
            }
            let reason = required(reason, "the exemption reason")?;
            ("E", "0".to_owned(), None, Some(reason))
        }
        VatTreatment::ReverseCharge => {
            if doc.vat_cents != 0 {
                return Err(EInvoiceError::VatNotZero(doc.vat_cents));
            }
            if buyer.vat_number.is_none() {
                return Err(EInvoiceError::BuyerVatNumberMissing);
            }
            (
                "AE",
                "0".to_owned(),
                Some("VATEX-EU-AE"),
                Some("Reverse charge".to_owned()),
            )
        }
    };

    let payment = match &doc.payment {
        None => None,
        Some(p) => {
            let iban: String = required(&p.iban, "the IBAN")?
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_uppercase();
            let bic = clean(&p.bic).to_ascii_uppercase();
            Some((p.communication.to_string(), iban, clean(&p.account_name), bic))
        }
    };

    let corrects = match &doc.corrects {
        Some((invoice, date)) => Some((required(invoice, "the corrected invoice's number")?, *date)),
        None => None,
    };
    if doc.kind == DocumentKind::CreditNote && corrects.is_none() {
        return Err(EInvoiceError::MissingCorrectedInvoice);
    }

    Ok(Checked {
        number,
        buyer_reference,
        note: optional(doc.note.as_deref()),
        seller,
        buyer,
        line_names,
        category,
        payment,
        corrects,
    })
}

fn write_party(w: &mut Writer, p: &PartyOut) {
    w.open("cac:Party", &[]);
    w.text_with("cbc:EndpointID", &[("schemeID", p.endpoint.0)], &p.endpoint.1);
    w.open("cac:PartyName", &[]);
    w.text("cbc:Name", &p.name);
    w.close();
    w.open("cac:PostalAddress", &[]);
    for (element, value) in [
        ("cbc:StreetName", &p.street),
        ("cbc:CityName", &p.city),
        ("cbc:PostalZone", &p.postal_code),
    ] {
        if !value.is_empty() {
            w.text(element, value);
        }
    }
    w.open("cac:Country", &[]);
    w.text("cbc:IdentificationCode", &p.country);
    w.close();
    w.close();
    if let Some(vat) = &p.vat_number {
        w.open("cac:PartyTaxScheme", &[]);
        w.text("cbc:CompanyID", vat);
        w.open("cac:TaxScheme", &[]);
        w.text("cbc:ID", "VAT");
        w.close();
        w.close();
    }
    w.open("cac:PartyLegalEntity", &[]);
    w.text("cbc:RegistrationName", &p.name);
    if let Some(id) = &p.legal_id {
        w.text_with("cbc:CompanyID", &[("schemeID", "0208")], id);
    }
    w.close();
    w.close();
}

fn write_category(w: &mut Writer, element: &'static str, c: &Checked, with_reason: bool) {
    let (code, rate, reason_code, reason) = &c.category;
    w.open(element, &[]);
    w.text("cbc:ID", code);
    w.text("cbc:Percent", rate);
    if with_reason {
        if let Some(reason_code) = reason_code {
            w.text("cbc:TaxExemptionReasonCode", reason_code);
        }
        if let Some(reason) = reason {
            w.text("cbc:TaxExemptionReason", reason);
        }
    }
    w.open("cac:TaxScheme", &[]);
    w.text("cbc:ID", "VAT");
    w.close();
    w.close();
}

fn write(doc: &EDocument, c: &Checked) -> String {
    let cur: &[(&str, &str)] = &[("currencyID", CURRENCY)];
    let (root, namespace, line_element, quantity_element) = match doc.kind {
        DocumentKind::Invoice => (
            "Invoice",
            "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
            "cac:InvoiceLine",
            "cbc:InvoicedQuantity",
        ),
        DocumentKind::CreditNote => (
            "CreditNote",
            "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
            "cac:CreditNoteLine",
            "cbc:CreditedQuantity",
        ),
    };
    let mut w = Writer::new();
    w.open(
        root,
        &[
            ("xmlns", namespace),
            (
                "xmlns:cac",
                "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
            ),
            (
                "xmlns:cbc",
                "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
            ),
        ],
    );
    w.text("cbc:CustomizationID", CUSTOMIZATION_ID);
    w.text("cbc:ProfileID", PROFILE_ID);
    w.text("cbc:ID", &c.number);
    w.text("cbc:IssueDate", &doc.issue_date.to_string());
    let payable = doc.total_cents - doc.prepaid_cents;
    let due_date = match doc.kind {
        DocumentKind::Invoice => doc.due_date,
        DocumentKind::CreditNote => None,
    };
    match doc.kind {
        DocumentKind::Invoice => {
            if let Some(due) = due_date {
                w.text("cbc:DueDate", &due.to_string());
            }
            w.text("cbc:InvoiceTypeCode", "380");
        }
        DocumentKind::CreditNote => w.text("cbc:CreditNoteTypeCode", "381"),
    }
    if let Some(note) = &c.note {
        w.text("cbc:Note", note);
    }
    w.text("cbc:DocumentCurrencyCode", CURRENCY);
    w.text("cbc:BuyerReference", &c.buyer_reference);
    if let Some((invoice, date)) = &c.corrects {
        w.open("cac:BillingReference", &[]);
        w.open("cac:InvoiceDocumentReference", &[]);
        w.text("cbc:ID", invoice);
        w.text("cbc:IssueDate", &date.to_string());
        w.close();
        w.close();
    }
    w.open("cac:AccountingSupplierParty", &[]);
    write_party(&mut w, &c.seller);
    w.close();
    w.open("cac:AccountingCustomerParty", &[]);
    write_party(&mut w, &c.buyer);
    w.close();

    if let Some((communication, iban, account_name, bic)) = &c.payment {
        w.open("cac:PaymentMeans", &[]);
        w.text_with("cbc:PaymentMeansCode", &[("name", "Credit transfer")], "30");
        w.text("cbc:PaymentID", communication);
        w.open("cac:PayeeFinancialAccount", &[]);
        w.text("cbc:ID", iban);
        if !account_name.is_empty() {
            w.text("cbc:Name", account_name);
        }
        if !bic.is_empty() {
            w.open("cac:FinancialInstitutionBranch", &[]);
            w.text("cbc:ID", bic);
            w.close();
        }
        w.close();
        w.close();
    }
    // BR-CO-25: an amount due needs a due date or payment terms; a UBL 2.1 credit note has no
    // due date, and an invoice may come without one.
    if payable > 0 && due_date.is_none() {
        let terms = match (doc.kind, &c.corrects) {
            (DocumentKind::CreditNote, Some((invoice, _))) => {
                format!("Credit on invoice {invoice}: refunded or set off against it.")
            }
            _ => "Payable on receipt.".to_owned(),
        };
        w.open("cac:PaymentTerms", &[]);
        w.text("cbc:Note", &terms);
        w.close();
    }

    w.open("cac:TaxTotal", &[]);
    w.text_with("cbc:TaxAmount", cur, &amount(doc.vat_cents));
    w.open("cac:TaxSubtotal", &[]);
    w.text_with("cbc:TaxableAmount", cur, &amount(doc.net_cents));
    w.text_with("cbc:TaxAmount", cur, &amount(doc.vat_cents));
    write_category(&mut w, "cac:TaxCategory", c, true);
    w.close();
    w.close();

    w.open("cac:LegalMonetaryTotal", &[]);
    w.text_with("cbc:LineExtensionAmount", cur, &amount(doc.net_cents));
    w.text_with("cbc:TaxExclusiveAmount", cur, &amount(doc.net_cents));
    w.text_with("cbc:TaxInclusiveAmount", cur, &amount(doc.total_cents));
    if doc.prepaid_cents > 0 {
        w.text_with("cbc:PrepaidAmount", cur, &amount(doc.prepaid_cents));
    }
    w.text_with("cbc:PayableAmount", cur, &amount(payable));
    w.close();

    for (index, (line, name)) in doc.lines.iter().zip(&c.line_names).enumerate() {
        w.open(line_element, &[]);
        w.text("cbc:ID", &(index + 1).to_string());
        w.text_with(quantity_element, &[("unitCode", UNIT_CODE)], &line.quantity.to_string());
        w.text_with("cbc:LineExtensionAmount", cur, &amount(line.net_cents));
        w.open("cac:Item", &[]);
        w.text("cbc:Name", name);
        write_category(&mut w, "cac:ClassifiedTaxCategory", c, false);
        w.close();
        w.open("cac:Price", &[]);
        w.text_with("cbc:PriceAmount", cur, &amount(line.unit_net_cents));
        w.close();
        w.close();
    }
    w.finish()
}
