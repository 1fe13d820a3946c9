//! "Scan to pay": the invoice's EPC QR code (`app::payment::qr`,
//! `app::order::document::epc_payload`), every drawing of it read back with rqrr as a
//! banking app reads it: the PNG, and the PDF rasterised by poppler.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common::{read_qr, read_qr_png};
use app::config::Config;
use app::i18n::Locale;
use app::order::document::{amount_due, epc_payload, invoice_document};
use app::order::model::{InvoiceLine, InvoiceView, OrderCategory, OrderStatus};
use app::order::pdf::{InvoiceDocument, PaymentQr, render};
use app::payment::qr::{PNG_SCALE, QUIET_ZONE, QrMatrix};
use app::programme::ProgrammeInfo;
use std::process::Command;

fn programme() -> ProgrammeInfo {
    let vars = [
        ("PROGRAMME_LEGAL_NAME", "Dons Technologiques ASBL"),
        ("PROGRAMME_ACCOUNT_HOLDER", "ASBL DONS TECHNOLOGIQUES"),
    ];
    Config::from_lookup(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned()))
        .unwrap()
        .programme
}

fn invoice() -> InvoiceView {
    InvoiceView {
        invoice_id: "inv-1".into(),
        number: "2026-000001".into(),
        order_id: "ord-1".into(),
        order_reference: "DON-2026-000001".into(),
        category: OrderCategory::Software,
        status: OrderStatus::Submitted,
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
        due_on: chrono::NaiveDate::from_ymd_opt(2026, 2, 14).unwrap(),
        customer_name: "Les Amis du Quartier ASBL".into(),
        customer_street: "Avenue des Cerisiers 45".into(),
        customer_postal_code: "4000".into(),
        customer_city: "Liège".into(),
        customer_country: "BE".into(),
        customer_enterprise_number: "0987.654.321".into(),
        lines: vec![InvoiceLine {
            name: "Microsoft Office LTSC Standard 2024".into(),
            quantity: 3,
            unit_fee_cents: 2_800,
            amount_cents: 8_400,
        }],
        net_cents: 8_400,
        vat_rate_bps: 2_100,
        vat_cents: 1_764,
        total_cents: 10_164,
        paid_cents: 0,
        credited_cents: 0,
        refunded_cents: 0,
        communication: "+++202/6000/00192+++".into(),
        vat_category: "S".into(),
        customer_vat_number: None,
        credit_notes: vec![],
        e_invoice: false,
    }
}

#[test]
fn the_code_asks_for_what_is_due_to_the_account_holder() {
    let text = epc_payload(&invoice(), &programme()).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(
        lines,
        [
            "BCD",
            "002",
            "1",
            "SCT",
            "GEBABEBB",
            "ASBL DONS TECHNOLOGIQUES",
            "BE23001518592691",
            "EUR101.64",
            "",
            "",
            "+++202/6000/00192+++",
        ]
    );

    // Part paid, part credited: the code asks for the rest.
    let partly = InvoiceView {
        paid_cents: 5_000,
        credited_cents: 164,
        ..invoice()
    };
    assert_eq!(amount_due(&partly), 5_000);
    assert_eq!(
        epc_payload(&partly, &programme()).unwrap().split('\n').nth(7),
        Some("EUR50.00")
    );

    // Nothing due, or bank details that cannot make a code: no code at all.
    let paid = InvoiceView {
        paid_cents: 10_164,
        ..invoice()
    };
    assert_eq!(epc_payload(&paid, &programme()), None);
    assert!(invoice_document(&paid, &programme(), Locale::fr).qr.is_none());
    let overpaid = InvoiceView {
        paid_cents: 20_000,
        ..invoice()
    };
    assert_eq!(epc_payload(&overpaid, &programme()), None);
    let misconfigured = ProgrammeInfo {
        iban: "BE23".into(),
        ..programme()
    };
    assert_eq!(epc_payload(&invoice(), &misconfigured), None);
    assert!(invoice_document(&invoice(), &misconfigured, Locale::fr).qr.is_none());
    let bad_communication = InvoiceView {
        communication: "+++202/6000/00193+++".into(),
        ..invoice()
    };
    assert_eq!(epc_payload(&bad_communication, &programme()), None);
}

#[test]
fn the_png_reads_back_as_the_payload() {
    let text = epc_payload(&invoice(), &programme()).unwrap();
    let matrix = QrMatrix::encode(&text).unwrap();
    let png = matrix.to_png().unwrap();
    assert_eq!(read_qr_png(&png), text);
    assert_eq!(matrix.png_side(), (matrix.width() + 2 * QUIET_ZONE) * PNG_SCALE);
    assert!(png.len() < 4_096, "a one-bit PNG stays small: {} bytes", png.len());

    // The longest beneficiary EPC069-12 allows, in accented letters: still one readable code.
    let long = ProgrammeInfo {
        account_holder: "É".repeat(70),
        ..programme()
    };
    let text = epc_payload(&invoice(), &long).unwrap();
    assert_eq!(read_qr_png(&QrMatrix::encode(&text).unwrap().to_png().unwrap()), text);
}

#[test]
fn dark_runs_cover_exactly_the_dark_modules() {
    let matrix = QrMatrix::encode("BCD\n002\n1\nSCT").unwrap();
    let width = matrix.width();
    let mut covered = vec![false; width * width];
    let runs = matrix.dark_runs();
    for &(row, column, length) in &runs {
        assert!(length > 0 && column + length <= width && row < width);
        for x in column..column + length {
            assert!(!covered[row * width + x], "modules drawn twice");
            covered[row * width + x] = true;
        }
        // A run is as long as it can be: light (or the edge) on both sides.
        assert!(column == 0 || !matrix.is_dark(column - 1, row));
        assert!(!matrix.is_dark(column + length, row));
    }
    for y in 0..width {
        for x in 0..width {
            assert_eq!(covered[y * width + x], matrix.is_dark(x, y), "module ({x}, {y})");
        }
    }
    let dark = covered.iter().filter(|&&d| d).count();
    assert!(
        runs.len() < dark,
        "runs merge neighbours: {} runs, {dark} modules",
        runs.len()
    );
    assert!(!matrix.is_dark(width, 0) && !matrix.is_dark(0, width) && !matrix.is_dark(usize::MAX, usize::MAX));
}

/// The first page of `pdf` as a greyscale image (pdftoppm, 200 dpi): width, height, pixels.
fn rasterise(name: &str, pdf: &[u8]) -> (usize, usize, Vec<u8>) {
    let dir = std::env::temp_dir().join(format!("invoice_qr_{}_{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("invoice.pdf");
    std::fs::write(&input, pdf).unwrap();
    let output = Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&input)
        .arg(dir.join("page"))
        .output()
        .expect("pdftoppm (Debian package poppler-utils; ./scripts/test.sh installs it)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let pgm = std::fs::read(dir.join("page.pgm")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    // P5 <width> <height> <max>, one whitespace, then one byte per pixel.
    let mut fields = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while fields.len() < 4 {
        if pgm[at].is_ascii_whitespace() {
            if at > start {
                fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
            }
            start = at + 1;
        }
        at += 1;
    }
    assert_eq!(fields[0], "P5");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = pgm[at..].to_vec();
    assert_eq!(pixels.len(), width * height);
    (width, height, pixels)
}

#[test]
fn the_pdf_draws_the_same_code_with_its_caption() {
    let text = epc_payload(&invoice(), &programme()).unwrap();
    let document = invoice_document(&invoice(), &programme(), Locale::fr);
    let qr = document.qr.clone().unwrap();
    assert_eq!(qr.matrix, QrMatrix::encode(&text).unwrap());
    assert_eq!(qr.caption, "Scannez avec votre application bancaire pour payer");
    assert_eq!(
        invoice_document(&invoice(), &programme(), Locale::nl)
            .qr
            .unwrap()
            .caption,
        "Scan met uw bankapp om te betalen"
    );

    let pdf = render(&document);
    if std::env::var_os("INVOICE_PDF_DUMP").is_some() {
        std::fs::write(std::env::temp_dir().join("invoice_pdf_qr.pdf"), &pdf).unwrap();
    }
    let (width, height, pixels) = rasterise("fr", &pdf);
    assert_eq!(read_qr(width, height, |x, y| pixels[y * width + x]), text);

    // Without the code, the PDF is as before: no rectangles drawn.
    let without = render(&InvoiceDocument { qr: None, ..document });
    assert!(without.len() < pdf.len());
}

#[test]
fn a_long_payment_block_runs_on_beside_the_code_and_never_under_it() {
    let text = epc_payload(&invoice(), &programme()).unwrap();
    let mut document = invoice_document(&invoice(), &programme(), Locale::fr);
    // Enough payment lines to run on to a second page, some too long for the column.
    document.payment = (0..90)
        .map(|i| format!("Ligne {i} : {}", "virement ".repeat(i % 20)))
        .collect();
    let pdf = render(&document);
    let (width, height, pixels) = rasterise("long", &pdf);
    // The code is still whole and readable on the first page: no text drawn over it.
    assert_eq!(read_qr(width, height, |x, y| pixels[y * width + x]), text);
}

#[test]
fn hostile_strings_beside_the_code_do_not_panic() {
    let huge = "Lorem ipsum dolor sit amet ".repeat(4_000);
    let huge_word = "x".repeat(100_000);
    let weird = "مرحبا 😀👍🏽 \u{0}\u{1b}[31m\r\n\t\u{202e}reversed\u{feff} e\u{301} 中文 \\ ( ) %";
    let matrix = QrMatrix::encode(&epc_payload(&invoice(), &programme()).unwrap()).unwrap();
    for caption in [huge.clone(), huge_word.clone(), weird.to_owned(), String::new()] {
        let doc = InvoiceDocument {
            title: weird.repeat(20),
            payment_title: huge_word.clone(),
            payment: vec![weird.to_owned(), huge.clone(), huge_word.clone()],
            footer: huge.clone(),
            qr: Some(PaymentQr {
                matrix: matrix.clone(),
                caption,
            }),
            ..InvoiceDocument::default()
        };
        let bytes = render(&doc);
        assert!(bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"));
    }
    // The code alone, nothing else on the page.
    let alone = InvoiceDocument {
        qr: Some(PaymentQr {
            matrix,
            caption: String::new(),
        }),
        ..InvoiceDocument::default()
    };
    assert!(render(&alone).starts_with(b"%PDF-"));
}
