//! The invoice PDF writer (`app::order::pdf`): WinAnsi encoding, Helvetica widths, wrapping, and
//! the rendered file read back by poppler.
//! Moved from `app/src/order/pdf.rs`'s unit tests.

use app::order::pdf::{Font, InvoiceDocument, render, win_ansi, wrap};
use std::path::PathBuf;
use std::process::Command;

const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';

fn s(text: &str) -> String {
    text.to_string()
}

fn realistic() -> InvoiceDocument {
    InvoiceDocument {
        title: s("Facture 2026-000001"),
        issuer: vec![
            s("Portail des dons – ASBL Solidarité Numérique"),
            s("Rue de l’Église 12"),
            s("1000 Bruxelles"),
            s("TVA BE 0123.456.789"),
        ],
        customer: vec![
            s("Les Amis du Quartier ASBL"),
            s("Avenue des Cerisiers 45 boîte 3"),
            s("4000 Liège"),
            s("N° d’entreprise 0987.654.321"),
        ],
        details: vec![
            (s("Date de facture"), s("15 janvier 2026")),
            (s("Référence de commande"), s("CMD-2026-00042")),
            (s("Échéance"), s("14 février 2026")),
        ],
        columns: [s("Produit"), s("Quantité"), s("Prix unitaire HTVA"), s("Montant HTVA")],
        lines: vec![
            [
                s("Microsoft Office LTSC Standard 2021"),
                s("10"),
                s("28,00 €"),
                s("280,00 €"),
            ],
            [
                s(
                    "Microsoft Windows Server 2022 Standard – licence de base 16 cœurs, programme de dons, \
                   renouvellement annuel inclus",
                ),
                s("2"),
                s("45,00 €"),
                s("90,00 €"),
            ],
            [
                s("Abonnement « Sécurité » — 12 mois"),
                s("1"),
                s("864,56 €"),
                s("864,56 €"),
            ],
        ],
        totals: vec![
            (s("Total HTVA"), format!("1{NNBSP}234,56{NBSP}€")),
            (s("TVA 21 %"), s("259,26 €")),
            (s("Total TVAC"), format!("1{NNBSP}493,82{NBSP}€")),
        ],
        payment_title: s("Paiement"),
        payment: vec![
            s("IBAN : BE23 0015 1859 2691"),
            s("BIC : GEBABEBB"),
            s("Communication structurée : +++202/6000/00195+++"),
        ],
        qr: None,
        footer: s("Portail des dons – ASBL Solidarité Numérique – Facture payable à 30 jours."),
    }
}

/// The poppler tools read the PDF back; `./scripts/test.sh` installs them, so a missing
/// tool fails the test rather than skipping the check.
fn has_tool(name: &str) -> bool {
    assert!(
        Command::new(name).arg("-v").output().is_ok(),
        "{name} (Debian package poppler-utils) is needed: ./scripts/test.sh installs it"
    );
    true
}

fn temp_pdf(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("invoice_pdf_test_{}_{name}.pdf", std::process::id()));
    std::fs::write(&path, bytes).expect("write temp pdf");
    path
}

/// `pdftotext -layout` output with NBSPs replaced by spaces, or `None` when the tool is missing.
fn pdftotext(name: &str, bytes: &[u8]) -> Option<String> {
    if !has_tool("pdftotext") {
        println!("note: pdftotext not installed, skipping text extraction check");
        return None;
    }
    let path = temp_pdf(name, bytes);
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).replace([NBSP, NNBSP], " "))
}

/// Page count reported by `pdfinfo`, or `None` when the tool is missing.
fn pdfinfo_pages(name: &str, bytes: &[u8]) -> Option<usize> {
    if !has_tool("pdfinfo") {
        println!("note: pdfinfo not installed, skipping page count check");
        return None;
    }
    let path = temp_pdf(name, bytes);
    let out = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "pdfinfo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text.lines().find(|l| l.starts_with("Pages:")).expect("Pages line");
    Some(line["Pages:".len()..].trim().parse().expect("page number"))
}

fn page_objects(bytes: &[u8]) -> usize {
    let needle = b"/Type /Page";
    bytes
        .windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

fn assert_valid_pdf(bytes: &[u8]) {
    assert!(bytes.starts_with(b"%PDF-"), "missing %PDF- header");
    let end = bytes.trim_ascii_end();
    assert!(end.ends_with(b"%%EOF"), "missing %%EOF trailer");
    assert!(page_objects(bytes) >= 1);
}

#[test]
fn win_ansi_maps_latin1_and_windows_specials() {
    assert_eq!(win_ansi("abc XYZ 0-9"), b"abc XYZ 0-9".to_vec());
    assert_eq!(win_ansi("é€ –"), vec![0xE9, 0x80, 0x20, 0x96]);
    assert_eq!(
        win_ansi("èêëàâçôûüïîñÉ"),
        b"\xe8\xea\xeb\xe0\xe2\xe7\xf4\xfb\xfc\xef\xee\xf1\xc9".to_vec()
    );
    assert_eq!(win_ansi("—’‘“”…"), vec![0x97, 0x92, 0x91, 0x93, 0x94, 0x85]);
    assert_eq!(
        win_ansi("1\u{a0}234\u{202f}€"),
        vec![b'1', 0xA0, b'2', b'3', b'4', 0xA0, 0x80]
    );
    assert_eq!(win_ansi("Œœ™•"), vec![0x8C, 0x9C, 0x99, 0x95]);
}

#[test]
fn win_ansi_replaces_unknown_and_drops_controls() {
    assert_eq!(win_ansi("a😀b"), b"a?b".to_vec());
    assert_eq!(win_ansi("中文"), b"??".to_vec());
    assert_eq!(win_ansi("a\tb\nc\r\u{7}\u{7f}\u{85}d"), b"abcd".to_vec());
    assert_eq!(win_ansi("\u{feff}x\u{200b}y\u{202e}"), b"xy".to_vec());
    assert_eq!(win_ansi(""), Vec::<u8>::new());
}

#[test]
fn widths_match_afm() {
    assert_eq!(Font::Regular.glyph_width(b' '), 278);
    assert_eq!(Font::Regular.glyph_width(b'W'), 944);
    assert_eq!(Font::Bold.glyph_width(b'a'), 556);
    assert_eq!(Font::Regular.glyph_width(0x80), 556);
    assert_eq!(Font::Regular.glyph_width(0x97), 1000);
    assert_eq!(Font::Bold.glyph_width(0xE9), 556);
    assert!((Font::Regular.width(b"Hello", 10.0) - 22.78).abs() < 0.001);
}

#[test]
fn wrap_breaks_words_and_long_words() {
    let lines = wrap("aaa bbb ccc", Font::Regular, 10.0, 40.0);
    assert_eq!(lines, vec![b"aaa bbb".to_vec(), b"ccc".to_vec()]);
    let long = "x".repeat(100);
    let lines = wrap(&long, Font::Regular, 10.0, 50.0);
    assert!(lines.len() > 1);
    assert!(lines.iter().all(|l| Font::Regular.width(l, 10.0) <= 50.0));
    assert_eq!(lines.concat(), long.into_bytes());
    assert_eq!(wrap("", Font::Bold, 10.0, 50.0), vec![Vec::<u8>::new()]);
    assert_eq!(wrap("a\nb", Font::Bold, 10.0, 50.0), vec![b"a".to_vec(), b"b".to_vec()]);
    // A column narrower than one glyph still makes progress.
    assert_eq!(wrap("WW", Font::Bold, 10.0, 1.0).len(), 2);
}

#[test]
fn realistic_invoice_is_a_pdf() {
    let bytes = render(&realistic());
    assert_valid_pdf(&bytes);
    assert_eq!(page_objects(&bytes), 1);
    assert!(bytes.windows(15).any(|w| w == b"WinAnsiEncoding"));
    assert!(bytes.windows(14).any(|w| w == b"Helvetica-Bold"));
}

#[test]
fn realistic_invoice_text_extracts() {
    let bytes = render(&realistic());
    if std::env::var_os("INVOICE_PDF_DUMP").is_some() {
        std::fs::write(std::env::temp_dir().join("invoice_pdf_realistic.pdf"), &bytes).unwrap();
    }
    let Some(text) = pdftotext("realistic", &bytes) else {
        return;
    };
    for expected in [
        "Facture 2026-000001",
        "Solidarité Numérique",
        "BE23 0015 1859 2691",
        "+++202/6000/00195+++",
        "1 234,56 €",
        "1 493,82 €",
        "Microsoft Office LTSC Standard 2021",
        "28,00 €",
        "Rue de l’Église 12",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    assert_eq!(pdfinfo_pages("realistic_info", &bytes), Some(1));
}

#[test]
fn document_info_has_title_and_producer() {
    let bytes = render(&realistic());
    if !has_tool("pdfinfo") {
        println!("note: pdfinfo not installed, skipping info check");
        return;
    }
    let path = temp_pdf("info", &bytes);
    let out = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
    let _ = std::fs::remove_file(&path);
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(info.contains("Facture 2026-000001"), "{info}");
    assert!(info.contains("Portail des dons"), "{info}");
    assert!(info.contains("A4"), "{info}");
}

#[test]
fn many_lines_span_several_pages() {
    let mut doc = realistic();
    doc.lines = (1..=500)
        .map(|i| {
            [
                format!("Produit numéro {i:03} – édition"),
                format!("{i}"),
                s("1,00 €"),
                format!("{i},00 €"),
            ]
        })
        .collect();
    let bytes = render(&doc);
    assert_valid_pdf(&bytes);
    let pages = page_objects(&bytes);
    assert!(pages > 1, "expected several pages, got {pages}");
    if let Some(info_pages) = pdfinfo_pages("many_info", &bytes) {
        assert_eq!(info_pages, pages);
    }
    let Some(text) = pdftotext("many", &bytes) else { return };
    for i in 1..=500 {
        let expected = format!("Produit numéro {i:03} – édition");
        assert!(text.contains(&expected), "{expected:?} missing");
    }
    // The table header is repeated on every page.
    assert_eq!(text.matches("Prix unitaire HTVA").count(), pages);
    assert!(text.contains("+++202/6000/00195+++"));
}

#[test]
fn long_product_name_wraps_within_its_column() {
    let mut doc = realistic();
    let word = "Supercalifragilisticexpialidocious".repeat(8);
    doc.lines = vec![[word.clone(), s("1"), s("1,00 €"), s("1,00 €")]];
    let bytes = render(&doc);
    assert_valid_pdf(&bytes);
    let Some(text) = pdftotext("long_word", &bytes) else {
        return;
    };
    let joined: String = text.split_whitespace().collect();
    assert!(joined.contains("Supercalifragilisticexpialidocious"));
    assert!(!text.lines().any(|l| l.contains(&word)), "long word was not broken");
}

#[test]
fn hostile_strings_do_not_panic() {
    assert_valid_pdf(&render(&InvoiceDocument::default()));

    let huge = "Lorem ipsum dolor sit amet ".repeat(4_000);
    let huge_word = "x".repeat(100_000);
    let weird = "مرحبا بالعالم עברית 😀👍🏽 \u{0}\u{1b}[31m\r\n\t\u{202e}reversed\u{feff} e\u{301} 中文 \\ ( ) %";
    let doc = InvoiceDocument {
        title: weird.repeat(20),
        issuer: vec![huge.clone(), weird.to_string(), String::new()],
        customer: vec![huge_word.clone()],
        details: vec![(huge_word.clone(), huge.clone()), (String::new(), String::new())],
        columns: [huge_word.clone(), huge.clone(), weird.to_string(), String::new()],
        lines: vec![
            [huge_word.clone(), huge_word.clone(), huge.clone(), weird.to_string()],
            Default::default(),
        ],
        totals: vec![(huge.clone(), huge_word.clone()), (weird.to_string(), String::new())],
        payment_title: huge_word.clone(),
        payment: vec![weird.to_string(), huge.clone()],
        qr: None,
        footer: huge.clone(),
    };
    let bytes = render(&doc);
    assert_valid_pdf(&bytes);
    assert!(page_objects(&bytes) > 1);
    if let Some(pages) = pdfinfo_pages("hostile", &bytes) {
        assert_eq!(pages, page_objects(&bytes));
    }

    let only_weird = InvoiceDocument {
        title: weird.to_string(),
        footer: weird.to_string(),
        ..Default::default()
    };
    let bytes = render(&only_weird);
    assert_valid_pdf(&bytes);
    assert_eq!(page_objects(&bytes), 1);
}
