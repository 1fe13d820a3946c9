//! The generator's own tests: each VAT treatment, credit notes, escaping, refusals. The
//! official rules judge the same kinds of documents in `tests/peppol_cases.rs`.

use chrono::NaiveDate;

use super::*;
use crate::invoice::{StructuredCommunication, totals};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn seller() -> Party {
    Party {
        name: "Tech Dons ASBL".into(),
        street: "Rue Royale 1".into(),
        postal_code: "1000".into(),
        city: "Bruxelles".into(),
        country: "BE".into(),
        enterprise_number: Some("0123456749".into()),
        vat_number: Some("BE0123456749".into()),
    }
}

fn buyer() -> Party {
    Party {
        name: "Les Amis du Quartier".into(),
        street: "Place du Marché 3".into(),
        postal_code: "4000".into(),
        city: "Liège".into(),
        country: "BE".into(),
        enterprise_number: Some("0456.789.133".into()),
        vat_number: None,
    }
}

fn line(name: &str, quantity: u32, unit: i64) -> Line {
    Line {
        name: name.into(),
        quantity,
        unit_net_cents: unit,
        net_cents: unit * i64::from(quantity),
    }
}

/// A 21 % invoice of two lines, 4.50 € × 10 + 62.00 €.
fn invoice() -> EDocument {
    let lines = vec![
        line("Administrative fee, Microsoft 365", 10, 450),
        line("Administrative fee, Adobe", 1, 6200),
    ];
    let t = totals(&[(450, 10), (6200, 1)], 2100);
    EDocument {
        kind: DocumentKind::Invoice,
        number: "2026-000001".into(),
        issue_date: date(2026, 3, 2),
        due_date: Some(date(2026, 4, 1)),
        buyer_reference: "DON-2026-00042".into(),
        seller: seller(),
        buyer: buyer(),
        lines,
        vat: VatTreatment::Standard { rate_bps: 2100 },
        net_cents: t.net_cents,
        vat_cents: t.vat_cents,
        total_cents: t.total_cents,
        prepaid_cents: 0,
        payment: Some(Payment {
            iban: "BE23 0015 1859 2691".into(),
            bic: "GEBABEBB".into(),
            account_name: "Tech Dons ASBL".into(),
            communication: StructuredCommunication::from_base(1_234_567_890).expect("a 10-digit base"),
        }),
        corrects: None,
        note: None,
    }
}

/// The element at a path of local names below the root, e.g. "LegalMonetaryTotal/PayableAmount".
fn node<'a, 'i>(doc: &'a roxmltree::Document<'i>, path: &str) -> Option<roxmltree::Node<'a, 'i>> {
    let mut node = doc.root_element();
    for name in path.split('/') {
        node = node
            .children()
            .find(|n| n.is_element() && n.tag_name().name() == name)?;
    }
    Some(node)
}

/// The text at `path`, "" when absent.
fn text(xml: &str, path: &str) -> String {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    node(&doc, path).and_then(|n| n.text()).unwrap_or_default().to_owned()
}

fn attribute(xml: &str, path: &str, name: &str) -> String {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    node(&doc, path)
        .and_then(|n| n.attribute(name))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_standard_invoice_carries_peppol_identifiers_parties_payment_and_totals() {
    let xml = to_ubl(&invoice()).expect("a valid invoice");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "Invoice");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2")
    );
    assert_eq!(text(&xml, "CustomizationID"), CUSTOMIZATION_ID);
    assert_eq!(text(&xml, "ProfileID"), PROFILE_ID);
    assert_eq!(text(&xml, "ID"), "2026-000001");
    assert_eq!(text(&xml, "IssueDate"), "2026-03-02");
    assert_eq!(text(&xml, "DueDate"), "2026-04-01");
    assert_eq!(text(&xml, "InvoiceTypeCode"), "380");
    assert_eq!(text(&xml, "DocumentCurrencyCode"), "EUR");
    assert_eq!(text(&xml, "BuyerReference"), "DON-2026-00042");

    let s = "AccountingSupplierParty/Party";
    assert_eq!(text(&xml, &format!("{s}/EndpointID")), "0123456749");
    assert_eq!(attribute(&xml, &format!("{s}/EndpointID"), "schemeID"), "0208");
    assert_eq!(text(&xml, &format!("{s}/PartyTaxScheme/CompanyID")), "BE0123456749");
    assert_eq!(text(&xml, &format!("{s}/PartyLegalEntity/CompanyID")), "0123456749");
    assert_eq!(
        attribute(&xml, &format!("{s}/PartyLegalEntity/CompanyID"), "schemeID"),
        "0208"
    );
    let b = "AccountingCustomerParty/Party";
    // Dots are tolerated in the input, never written.
    assert_eq!(text(&xml, &format!("{b}/EndpointID")), "0456789133");
    assert_eq!(attribute(&xml, &format!("{b}/EndpointID"), "schemeID"), "0208");
    assert_eq!(
        text(&xml, &format!("{b}/PartyLegalEntity/RegistrationName")),
        "Les Amis du Quartier"
    );
    assert_eq!(text(&xml, &format!("{b}/PostalAddress/CityName")), "Liège");
    // Not VAT-registered: no tax scheme at all, rather than an empty one.
    assert!(!xml.contains("<cbc:CompanyID>BE0456789133"));
    assert_eq!(xml.matches("<cac:PartyTaxScheme>").count(), 1);

    assert_eq!(text(&xml, "PaymentMeans/PaymentMeansCode"), "30");
    assert_eq!(text(&xml, "PaymentMeans/PaymentID"), "+++123/4567/89002+++");
    assert_eq!(text(&xml, "PaymentMeans/PayeeFinancialAccount/ID"), "BE23001518592691");
    assert_eq!(
        text(&xml, "PaymentMeans/PayeeFinancialAccount/FinancialInstitutionBranch/ID"),
        "GEBABEBB"
    );
    // A due date is there: no payment terms needed.
    assert!(!xml.contains("PaymentTerms"));

    assert_eq!(text(&xml, "TaxTotal/TaxAmount"), "22.47");
    assert_eq!(attribute(&xml, "TaxTotal/TaxAmount", "currencyID"), "EUR");
    assert_eq!(text(&xml, "TaxTotal/TaxSubtotal/TaxableAmount"), "107.00");
    assert_eq!(text(&xml, "TaxTotal/TaxSubtotal/TaxCategory/ID"), "S");
    assert_eq!(text(&xml, "TaxTotal/TaxSubtotal/TaxCategory/Percent"), "21");
    assert_eq!(text(&xml, "LegalMonetaryTotal/LineExtensionAmount"), "107.00");
    assert_eq!(text(&xml, "LegalMonetaryTotal/TaxExclusiveAmount"), "107.00");
    assert_eq!(text(&xml, "LegalMonetaryTotal/TaxInclusiveAmount"), "129.47");
    assert_eq!(text(&xml, "LegalMonetaryTotal/PayableAmount"), "129.47");
    assert!(!xml.contains("PrepaidAmount"));

    assert_eq!(xml.matches("<cac:InvoiceLine>").count(), 2);
    assert_eq!(text(&xml, "InvoiceLine/InvoicedQuantity"), "10");
    assert_eq!(attribute(&xml, "InvoiceLine/InvoicedQuantity", "unitCode"), "C62");
    assert_eq!(text(&xml, "InvoiceLine/LineExtensionAmount"), "45.00");
    assert_eq!(text(&xml, "InvoiceLine/Price/PriceAmount"), "4.50");
    assert_eq!(text(&xml, "InvoiceLine/Item/ClassifiedTaxCategory/ID"), "S");
    // No empty element anywhere (PEPPOL-EN16931-R008).
    assert!(
        doc.descendants()
            .filter(|n| n.is_element() && !n.children().any(|c| c.is_element()))
            .all(|n| n.text().is_some_and(|t| !t.trim().is_empty())),
        "{xml}"
    );
}

#[test]
fn prepaid_amounts_reduce_what_is_due_and_no_due_date_means_terms() {
    let mut doc = invoice();
    doc.prepaid_cents = 2_947;
    doc.due_date = None;
    let xml = to_ubl(&doc).expect("a valid invoice");
    assert_eq!(text(&xml, "LegalMonetaryTotal/PrepaidAmount"), "29.47");
    assert_eq!(text(&xml, "LegalMonetaryTotal/PayableAmount"), "100.00");
    assert_eq!(text(&xml, "PaymentTerms/Note"), "Payable on receipt.");
}

#[test]
fn an_exempt_invoice_states_its_reason_and_no_vat() {
    let mut doc = invoice();
    doc.vat = VatTreatment::Exempt {
        reason: "Exempt, art. 44 § 2, 12° VAT Code".into(),
    };
    doc.vat_cents = 0;
    doc.total_cents = doc.net_cents;
    let xml = to_ubl(&doc).expect("a valid invoice");
    assert_eq!(text(&xml, "TaxTotal/TaxAmount"), "0.00");
    assert_eq!(text(&xml, "TaxTotal/TaxSubtotal/TaxCategory/ID"), "E");
    assert_eq!(text(&xml, "TaxTotal/TaxSubtotal/TaxCategory/Percent"), "0");
    assert_eq!(
        text(&xml, "TaxTotal/TaxSubtotal/TaxCategory/TaxExemptionReason"),
        "Exempt, art. 44 § 2, 12° VAT Code"
    );
    assert_eq!(text(&xml, "InvoiceLine/Item/ClassifiedTaxCategory/ID"), "E");
    assert_eq!(text(&xml, "LegalMonetaryTotal/PayableAmount"), "107.00");

    doc.vat_cents = 1;
    doc.total_cents = doc.net_cents + 1;
    assert_eq!(to_ubl(&doc), Err(EInvoiceError::VatNotZero(1)));
    doc.vat_cents = 0;
    doc.total_cents = doc.net_cents;
    doc.vat = VatTreatment::Exempt {
        reason: " \u{7} ".into(),
    };
    assert_eq!(to_ubl(&doc), Err(EInvoiceError::Empty("the exemption reason")));
}

fn luxembourg_buyer() -> Party {
    Party {
        name: "Entraide Luxembourg a.s.b.l.".into(),
        street: "Boulevard Royal 12".into(),
        postal_code: "L-2449".into(),
        city: "Luxembourg".into(),
        country: "LU".into(),
        enterprise_number: None,
        vat_number: Some("LU 1234 5678".into()),
    }
}

#[test]
fn reverse_charge_to_luxembourg_uses_the_buyers_vat_number_and_the_vatex_code() {
    let mut doc = invoice();
    doc.buyer = luxembourg_buyer();
    doc.vat = VatTreatment::ReverseCharge;
    doc.vat_cents = 0;
    doc.total_cents = doc.net_cents;
    let xml = to_ubl(&doc).expect("a valid invoice");
    let b = "AccountingCustomerParty/Party";
    assert_eq!(text(&xml, &format!("{b}/EndpointID")), "LU12345678");
    assert_eq!(attribute(&xml, &format!("{b}/EndpointID"), "schemeID"), "9938");
    assert_eq!(text(&xml, &format!("{b}/PartyTaxScheme/CompanyID")), "LU12345678");
    // A Luxembourg party has no Belgian legal identifier.
    assert_eq!(text(&xml, &format!("{b}/PartyLegalEntity/CompanyID")), "");
    let category = "TaxTotal/TaxSubtotal/TaxCategory";
    assert_eq!(text(&xml, &format!("{category}/ID")), "AE");
    assert_eq!(text(&xml, &format!("{category}/Percent")), "0");
    assert_eq!(text(&xml, &format!("{category}/TaxExemptionReasonCode")), "VATEX-EU-AE");
    assert_eq!(text(&xml, &format!("{category}/TaxExemptionReason")), "Reverse charge");
    assert_eq!(text(&xml, "InvoiceLine/Item/ClassifiedTaxCategory/ID"), "AE");

    doc.buyer.vat_number = None;
    doc.buyer.enterprise_number = Some("0456789133".into());
    assert_eq!(to_ubl(&doc), Err(EInvoiceError::BuyerVatNumberMissing));
    doc.buyer.enterprise_number = None;
    assert_eq!(to_ubl(&doc), Err(EInvoiceError::NoElectronicAddress(Role::Buyer)));
}

#[test]
fn a_buyer_without_enterprise_number_is_addressed_by_its_vat_number() {
    let mut doc = invoice();
    doc.buyer.enterprise_number = None;
    doc.buyer.vat_number = Some("be 0456.789.133".into());
    let xml = to_ubl(&doc).expect("a valid invoice");
    let b = "AccountingCustomerParty/Party";
    assert_eq!(text(&xml, &format!("{b}/EndpointID")), "BE0456789133");
    assert_eq!(attribute(&xml, &format!("{b}/EndpointID"), "schemeID"), "9925");
    assert_eq!(text(&xml, &format!("{b}/PartyLegalEntity/CompanyID")), "");
    // A country without a Peppol VAT scheme leaves no address.
    doc.buyer.vat_number = Some("DK12345678".into());
    assert_eq!(to_ubl(&doc), Err(EInvoiceError::NoElectronicAddress(Role::Buyer)));
    doc.buyer.vat_number = None;
    assert_eq!(to_ubl(&doc), Err(EInvoiceError::NoElectronicAddress(Role::Buyer)));
}

#[test]
fn a_credit_note_references_the_invoice_it_corrects() {
    let invoice = invoice();
    let t = totals(&[(450, 2)], 2100);
    let doc = EDocument {
        kind: DocumentKind::CreditNote,
        number: "NC-2026-000001".into(),
        issue_date: date(2026, 3, 20),
        due_date: Some(date(2026, 4, 20)),
        lines: vec![line("Administrative fee, Microsoft 365", 2, 450)],
        net_cents: t.net_cents,
        vat_cents: t.vat_cents,
        total_cents: t.total_cents,
        payment: None,
        corrects: Some((invoice.number.clone(), invoice.issue_date)),
        note: Some("Two licences were not delivered.".into()),
        ..invoice
    };
    let xml = to_ubl(&doc).expect("a valid credit note");
    let parsed = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(parsed.root_element().tag_name().name(), "CreditNote");
    assert_eq!(
        parsed.root_element().tag_name().namespace(),
        Some("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")
    );
    assert_eq!(text(&xml, "CreditNoteTypeCode"), "381");
    assert_eq!(text(&xml, "InvoiceTypeCode"), "");
    // UBL 2.1 credit notes have no due date: payment terms say what happens instead.
    assert_eq!(text(&xml, "DueDate"), "");
    assert_eq!(
        text(&xml, "PaymentTerms/Note"),
        "Credit on invoice 2026-000001: refunded or set off against it."
    );
    assert_eq!(text(&xml, "Note"), "Two licences were not delivered.");
    assert_eq!(
        text(&xml, "BillingReference/InvoiceDocumentReference/ID"),
        "2026-000001"
    );
    assert_eq!(
        text(&xml, "BillingReference/InvoiceDocumentReference/IssueDate"),
        "2026-03-02"
    );
    assert_eq!(text(&xml, "CreditNoteLine/CreditedQuantity"), "2");
    assert_eq!(text(&xml, "CreditNoteLine/LineExtensionAmount"), "9.00");
    assert_eq!(text(&xml, "TaxTotal/TaxAmount"), "1.89");
    assert_eq!(text(&xml, "LegalMonetaryTotal/PayableAmount"), "10.89");
    assert!(!xml.contains("InvoiceLine"));
    assert!(!xml.contains("InvoicedQuantity"));

    let mut orphan = doc.clone();
    orphan.corrects = None;
    assert_eq!(to_ubl(&orphan), Err(EInvoiceError::MissingCorrectedInvoice));
}

#[test]
fn vat_may_be_one_cent_from_rate_times_net_and_no_more() {
    // 12.50 € × 21 % = 2.625 €, 2.63 € rounded: 2.62 € and 2.64 € pass, 2.61 € does not.
    let mut doc = invoice();
    doc.lines = vec![line("Administrative fee", 5, 250)];
    doc.net_cents = 1_250;
    for vat in [262, 263, 264] {
        doc.vat_cents = vat;
        doc.total_cents = doc.net_cents + vat;
        assert!(to_ubl(&doc).is_ok(), "{vat}");
    }
    for vat in [261, 265, 0] {
        doc.vat_cents = vat;
        doc.total_cents = doc.net_cents + vat;
        assert_eq!(
            to_ubl(&doc),
            Err(EInvoiceError::VatOutOfTolerance {
                vat_cents: vat,
                expected_cents: 263
            })
        );
    }
    doc.vat = VatTreatment::Standard { rate_bps: 0 };
    doc.vat_cents = 0;
    doc.total_cents = doc.net_cents;
    assert_eq!(to_ubl(&doc), Err(EInvoiceError::ZeroStandardRate));
}

#[test]
fn hostile_text_is_escaped_and_forbidden_characters_dropped() {
    let mut doc = invoice();
    let hostile = "<script>alert(\"x\")</script> & 'Fils' \u{0}\u{1B}]]>";
    doc.buyer.name = hostile.into();
    doc.buyer.street = "Rue \"des\" <Écoles> & Cie".into();
    doc.lines[0].name = "Fee <b>&amp;</b>".into();
    doc.note = Some("a\u{C}b".into());
    doc.buyer_reference = "DON-2026-00042 & <x>".into();
    let xml = to_ubl(&doc).expect("a valid invoice");
    assert!(!xml.contains("<script>"));
    assert!(!xml.contains('\u{0}') && !xml.contains('\u{1B}') && !xml.contains('\u{C}'));
    assert!(xml.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;Fils&apos;"));
    // Read back, the text is what was given, less the forbidden characters.
    let b = "AccountingCustomerParty/Party";
    assert_eq!(
        text(&xml, &format!("{b}/PartyLegalEntity/RegistrationName")),
        "<script>alert(\"x\")</script> & 'Fils' ]]>"
    );
    assert_eq!(
        text(&xml, &format!("{b}/PostalAddress/StreetName")),
        "Rue \"des\" <Écoles> & Cie"
    );
    assert_eq!(text(&xml, "InvoiceLine/Item/Name"), "Fee <b>&amp;</b>");
    assert_eq!(text(&xml, "Note"), "ab");
    assert_eq!(text(&xml, "BuyerReference"), "DON-2026-00042 & <x>");
}

#[test]
fn empty_optional_texts_are_left_out() {
    let mut doc = invoice();
    doc.buyer.street = "  ".into();
    doc.buyer.postal_code = String::new();
    doc.note = Some(" ".into());
    doc.payment = doc.payment.map(|p| Payment {
        bic: String::new(),
        account_name: "\u{7}".into(),
        ..p
    });
    let xml = to_ubl(&doc).expect("a valid invoice");
    let b = "AccountingCustomerParty/Party/PostalAddress";
    assert_eq!(text(&xml, &format!("{b}/CityName")), "Liège");
    assert!(!xml.contains("<cbc:StreetName>  "));
    assert_eq!(xml.matches("<cbc:StreetName>").count(), 1);
    assert_eq!(xml.matches("<cbc:PostalZone>").count(), 1);
    assert!(!xml.contains("<cbc:Note>"));
    assert!(!xml.contains("FinancialInstitutionBranch"));
    assert_eq!(text(&xml, "PaymentMeans/PayeeFinancialAccount/Name"), "");
}

#[test]
fn inconsistent_or_incomplete_documents_are_refused() {
    let refuse = |change: &dyn Fn(&mut EDocument), error: EInvoiceError| {
        let mut doc = invoice();
        change(&mut doc);
        assert_eq!(to_ubl(&doc), Err(error));
    };
    refuse(&|d| d.lines.clear(), EInvoiceError::NoLines);
    refuse(
        &|d| d.lines[1].net_cents = 6_100,
        EInvoiceError::LineAmount {
            line: 2,
            quantity: 1,
            unit_net_cents: 6_200,
            net_cents: 6_100,
        },
    );
    refuse(
        &|d| d.net_cents += 1,
        EInvoiceError::LinesDoNotAddUp {
            lines_cents: 10_700,
            net_cents: 10_701,
        },
    );
    refuse(
        &|d| d.total_cents += 1,
        EInvoiceError::TotalDoesNotAddUp {
            net_cents: 10_700,
            vat_cents: 2_247,
            total_cents: 12_948,
        },
    );
    refuse(&|d| d.prepaid_cents = -1, EInvoiceError::Negative("the prepaid amount"));
    refuse(&|d| d.number = " ".into(), EInvoiceError::Empty("the document number"));
    refuse(
        &|d| d.buyer_reference.clear(),
        EInvoiceError::Empty("the buyer reference"),
    );
    refuse(
        &|d| d.buyer.name = "\u{1}".into(),
        EInvoiceError::Empty("the buyer's name"),
    );
    refuse(&|d| d.lines[0].name.clear(), EInvoiceError::Empty("a line's name"));
    refuse(&|d| d.seller.vat_number = None, EInvoiceError::SellerVatNumberMissing);
    refuse(
        &|d| d.seller.enterprise_number = Some("0123456748".into()),
        EInvoiceError::EnterpriseNumber {
            role: Role::Seller,
            value: "0123456748".into(),
        },
    );
    refuse(
        &|d| d.buyer.vat_number = Some("0456789133".into()),
        EInvoiceError::VatNumber {
            role: Role::Buyer,
            value: "0456789133".into(),
        },
    );
    refuse(
        &|d| d.buyer.country = "Belgique".into(),
        EInvoiceError::Country {
            role: Role::Buyer,
            value: "Belgique".into(),
        },
    );
    refuse(
        &|d| {
            d.seller.enterprise_number = None;
            d.seller.vat_number = Some("DK12345678".into());
        },
        EInvoiceError::NoElectronicAddress(Role::Seller),
    );
    refuse(
        &|d| {
            if let Some(p) = d.payment.as_mut() {
                p.iban = " ".into();
            }
        },
        EInvoiceError::Empty("the IBAN"),
    );
    // Messages are readable sentences.
    assert_eq!(
        EInvoiceError::NoElectronicAddress(Role::Buyer).to_string(),
        "the buyer has no Peppol address: no enterprise number, and no VAT number of a country with a Peppol VAT scheme"
    );
}

#[test]
fn amounts_and_rates_are_written_exactly() {
    assert_eq!(amount(0), "0.00");
    assert_eq!(amount(5), "0.05");
    assert_eq!(amount(12_345), "123.45");
    assert_eq!(amount(-5), "-0.05");
    assert_eq!(amount(i64::MIN), "-92233720368547758.08");
    assert_eq!(percent(2100), "21");
    assert_eq!(percent(600), "6");
    assert_eq!(percent(550), "5.5");
    assert_eq!(percent(1234), "12.34");
    assert_eq!(percent(5), "0.05");
}

#[test]
fn enterprise_numbers_need_their_check_digits() {
    assert_eq!(enterprise_number("0123456749").as_deref(), Some("0123456749"));
    assert_eq!(enterprise_number("0123.456.749").as_deref(), Some("0123456749"));
    assert_eq!(enterprise_number("0123456748"), None);
    assert_eq!(enterprise_number("123456749"), None);
    assert_eq!(enterprise_number("BE0123456749"), None);
    // First eight digits a multiple of 97: the check digits are 97.
    assert_eq!(enterprise_number("0000009797").as_deref(), Some("0000009797"));
}

#[test]
fn vat_numbers_find_their_country_scheme() {
    assert_eq!(vat_scheme("BE0123456749"), Some("9925"));
    assert_eq!(vat_scheme("LU12345678"), Some("9938"));
    assert_eq!(vat_scheme("EL123456789"), Some("9933"));
    assert_eq!(vat_scheme("DK12345678"), None);
    assert_eq!(vat_scheme("B"), None);
    assert_eq!(vat_scheme("é1"), None);
}
