//! Invoice rendering to PDF with `pdf-writer` and the standard Helvetica fonts.
//!
//! Self-contained: depends only on `pdf_writer` and std. Text is encoded to
//! WinAnsi (Windows-1252) and measured with the embedded Adobe Core 14 AFM
//! widths, so no font is embedded in the output.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// Everything printed on the invoice, already formatted in the reader's language.
#[derive(Debug, Clone, Default)]
pub struct InvoiceDocument {
    /// Big heading, e.g. "Facture 2026-000001"
    pub title: String,
    /// The issuer (programme) block, top left: name first (bold), then address lines, VAT number…
    pub issuer: Vec<String>,
    /// The customer block, top right: organisation name first (bold), address lines, enterprise number
    pub customer: Vec<String>,
    /// Label/value pairs under the title: invoice date, order reference, due date…
    pub details: Vec<(String, String)>,
    /// Column headings of the lines table: product, quantity, unit fee excl. VAT, amount excl. VAT
    pub columns: [String; 4],
    /// One row per invoice line, same 4 columns; the first column may be long and must wrap within its column;
    /// columns 2–4 right-aligned
    pub lines: Vec<[String; 4]>,
    /// Label/value pairs under the table, right-aligned: "Total HTVA", "TVA 21 %", "Total TVAC" (the last one bold)
    pub totals: Vec<(String, String)>,
    /// The payment block heading (e.g. "Paiement").
    pub payment_title: String,
    /// The payment block lines: IBAN, BIC, structured communication…
    pub payment: Vec<String>,
    /// Small print at the bottom of every page
    pub footer: String,
}

/// The PDF bytes. Never panics, whatever the strings (empty, huge, any Unicode, thousands of lines → several
/// pages with the table header repeated).
pub fn render(doc: &InvoiceDocument) -> Vec<u8> {
    let mut cur = Cursor::new(&doc.footer);
    draw_title(&mut cur, &doc.title);
    draw_parties(&mut cur, &doc.issuer, &doc.customer);
    draw_details(&mut cur, &doc.details);
    draw_table(&mut cur, &doc.columns, &doc.lines);
    draw_totals(&mut cur, &doc.totals);
    draw_payment(&mut cur, &doc.payment_title, &doc.payment);
    write_pdf(&doc.title, cur.pages)
}

/// Windows-1252 bytes for `text`, '?' for what it cannot encode; control characters dropped.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars().filter_map(win_ansi_char).collect()
}

/// One character to its WinAnsi byte; `None` for characters that are dropped (control and invisible format chars).
fn win_ansi_char(c: char) -> Option<u8> {
    let code = u32::from(c);
    if c.is_control() || matches!(code, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFEFF) {
        return None;
    }
    let byte = match code {
        0x20..=0x7E | 0xA0..=0xFF => code as u8,
        0x202F => 0xA0,
        _ => WIN_ANSI_HIGH
            .iter()
            .position(|&u| u == c)
            .map_or(b'?', |i| 0x80 + i as u8),
    };
    Some(byte)
}

/// Unicode characters for the WinAnsi bytes 0x80..=0x9F ('\0' where the byte is undefined).
const WIN_ANSI_HIGH: [char; 32] = [
    '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', //
    '\0', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
];

// ---------------------------------------------------------------------------------------------------------------
// Fonts and metrics
// ---------------------------------------------------------------------------------------------------------------

/// Helvetica AFM widths (1/1000 em) for the WinAnsi bytes 32..=255.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 584, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 556,
    556, 556, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 556, 611, 556,
    556, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 556, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold AFM widths (1/1000 em) for the WinAnsi bytes 32..=255.
#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 584, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 556,
    556, 556, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 556, 611, 556,
    556, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 556, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    /// The page resource name of the font.
    fn resource(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }

    /// Advance width of one WinAnsi byte in 1/1000 em.
    fn glyph_width(self, byte: u8) -> u32 {
        let table = match self {
            Font::Regular => &HELVETICA_WIDTHS,
            Font::Bold => &HELVETICA_BOLD_WIDTHS,
        };
        byte.checked_sub(32).map_or(556, |i| u32::from(table[usize::from(i)]))
    }

    /// Width in points of WinAnsi `bytes` at `size`.
    fn width(self, bytes: &[u8], size: f32) -> f32 {
        let units: u64 = bytes.iter().map(|&b| u64::from(self.glyph_width(b))).sum();
        units as f32 * size / 1000.0
    }
}

/// Greedy word wrap of `text` into WinAnsi lines no wider than `max_width` points. '\n' starts a new line; a word
/// wider than the column is broken between characters. Always returns at least one (possibly empty) line.
fn wrap(text: &str, font: Font, size: f32, max_width: f32) -> Vec<Vec<u8>> {
    let max_units = (max_width.max(0.0) * 1000.0 / size) as u32;
    let space = font.glyph_width(b' ');
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let bytes = win_ansi(paragraph);
        let mut line: Vec<u8> = Vec::new();
        let mut line_units = 0u32;
        for word in bytes.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_units: u32 = word.iter().map(|&b| font.glyph_width(b)).sum();
            let gap = if line.is_empty() { 0 } else { space };
            if line_units.saturating_add(gap + word_units) <= max_units {
                if gap > 0 {
                    line.push(b' ');
                }
                line.extend_from_slice(word);
                line_units += gap + word_units;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_units = 0;
            }
            for &b in word {
                let w = font.glyph_width(b);
                if !line.is_empty() && line_units + w > max_units {
                    lines.push(std::mem::take(&mut line));
                    line_units = 0;
                }
                line.push(b);
                line_units += w;
            }
        }
        lines.push(line);
    }
    lines
}

// ---------------------------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------------------------

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 50.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;

const TITLE_SIZE: f32 = 18.0;
const TITLE_LEADING: f32 = 22.0;
const BODY_SIZE: f32 = 10.0;
const BODY_LEADING: f32 = 13.0;
const FOOTER_SIZE: f32 = 8.0;
const FOOTER_LEADING: f32 = 10.0;
/// At most this many footer lines and table header lines per cell, so that they always fit on a page.
const MAX_FOOTER_LINES: usize = 4;
const MAX_HEADER_LINES: usize = 3;

/// Table columns: product, quantity, unit fee, amount (x offsets from the left margin and widths).
const COLUMN_X: [f32; 4] = [0.0, 245.0, 305.0, 400.0];
const COLUMN_WIDTH: [f32; 4] = [235.0, 55.0, 90.0, CONTENT_WIDTH - 400.0];
/// Parties block: the customer starts at this offset from the left margin.
const PARTY_WIDTH: f32 = 230.0;
const CUSTOMER_X: f32 = CONTENT_WIDTH - PARTY_WIDTH;
/// Details block: label column width.
const DETAIL_LABEL_WIDTH: f32 = 140.0;

#[derive(Debug, Clone, Copy)]
enum Align {
    Left,
    Right,
}

/// One wrapped line of WinAnsi text and its font.
struct Line {
    font: Font,
    bytes: Vec<u8>,
}

/// A column of wrapped lines placed at `x` (absolute) within `width`.
struct Cell {
    x: f32,
    width: f32,
    align: Align,
    lines: Vec<Line>,
}

impl Cell {
    /// Wraps `text` into a cell at `x` (relative to the left margin).
    fn new(text: &str, x: f32, width: f32, align: Align, font: Font) -> Self {
        Self::stacked(std::slice::from_ref(&text), x, width, align, font)
    }

    /// A cell made of several strings (each wrapped on its own lines), the first one in `first_font`.
    fn stacked<S: AsRef<str>>(texts: &[S], x: f32, width: f32, align: Align, first_font: Font) -> Self {
        let mut lines = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let font = if i == 0 { first_font } else { Font::Regular };
            let wrapped = wrap(text.as_ref(), font, BODY_SIZE, width);
            lines.extend(wrapped.into_iter().map(|bytes| Line { font, bytes }));
        }
        Cell {
            x: MARGIN + x,
            width,
            align,
            lines,
        }
    }

    /// Keeps at most `max` lines.
    fn capped(mut self, max: usize) -> Self {
        self.lines.truncate(max);
        self
    }
}

/// Pages being written and the vertical position on the last one; starts a new page when space runs out.
struct Cursor {
    pages: Vec<Content>,
    /// Top of the next line, in PDF coordinates (from the bottom of the page).
    y: f32,
    /// Lowest y that body text may reach (above the footer).
    bottom: f32,
    /// Nothing drawn yet on the current page except the footer and repeated header.
    fresh: bool,
    footer: Vec<Vec<u8>>,
    /// Table header repeated at the top of each new page while the table is drawn.
    header: Option<Vec<Cell>>,
}

impl Cursor {
    fn new(footer: &str) -> Self {
        let mut footer = wrap(footer, Font::Regular, FOOTER_SIZE, CONTENT_WIDTH);
        footer.truncate(MAX_FOOTER_LINES);
        let bottom = MARGIN + footer.len() as f32 * FOOTER_LEADING + 12.0;
        let mut cursor = Cursor {
            pages: Vec::new(),
            y: 0.0,
            bottom,
            fresh: true,
            footer,
            header: None,
        };
        cursor.new_page();
        cursor
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = PAGE_HEIGHT - MARGIN;
        self.draw_footer();
        if let Some(header) = self.header.take() {
            self.put_rows(&header);
            self.header_rule();
            self.header = Some(header);
        }
        self.fresh = true;
    }

    fn draw_footer(&mut self) {
        let lines = std::mem::take(&mut self.footer);
        let mut baseline = MARGIN + (lines.len() as f32 - 1.0) * FOOTER_LEADING;
        for line in &lines {
            let x = (PAGE_WIDTH - Font::Regular.width(line, FOOTER_SIZE)) / 2.0;
            self.text(x.max(MARGIN), baseline, Font::Regular, FOOTER_SIZE, line);
            baseline -= FOOTER_LEADING;
        }
        self.footer = lines;
    }

    /// Makes room for `height` points, starting a new page if needed (unless the page is still empty).
    fn ensure(&mut self, height: f32) {
        if self.y - height < self.bottom && !self.fresh {
            self.new_page();
        }
    }

    fn skip(&mut self, height: f32) {
        self.y -= height;
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, x: f32, baseline: f32, font: Font, size: f32, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let page = self.page();
        page.begin_text();
        page.set_font(font.resource(), size);
        page.next_line(x, baseline);
        page.show(Str(bytes));
        page.end_text();
    }

    /// A thin horizontal rule across the content width at the current position.
    fn rule(&mut self) {
        self.ensure(6.0);
        let y = self.y - 2.0;
        let page = self.page();
        page.set_line_width(0.5);
        page.set_stroke_gray(0.4);
        page.move_to(MARGIN, y);
        page.line_to(RIGHT, y);
        page.stroke();
        self.skip(6.0);
        self.fresh = false;
    }

    fn header_rule(&mut self) {
        let fresh = self.fresh;
        self.fresh = true;
        self.rule();
        self.fresh = fresh;
    }

    /// One line of text (with the given line height) at the current position, left-aligned at `x`.
    fn line(&mut self, line: &[u8], x: f32, font: Font, size: f32, leading: f32) {
        self.ensure(leading);
        self.text(x, self.y - size, font, size, line);
        self.skip(leading);
        self.fresh = false;
    }

    /// Side-by-side cells, line by line, breaking pages between lines.
    fn rows(&mut self, cells: &[Cell]) {
        let count = cells.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        for i in 0..count {
            self.ensure(BODY_LEADING);
            self.put_row(cells, i);
            self.fresh = false;
        }
    }

    /// Side-by-side cells without page checks (for the repeated table header on a fresh page).
    fn put_rows(&mut self, cells: &[Cell]) {
        let count = cells.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        for i in 0..count {
            self.put_row(cells, i);
        }
    }

    fn put_row(&mut self, cells: &[Cell], i: usize) {
        let baseline = self.y - BODY_SIZE;
        for cell in cells {
            let Some(line) = cell.lines.get(i) else { continue };
            let x = match cell.align {
                Align::Left => cell.x,
                Align::Right => cell.x + cell.width - line.font.width(&line.bytes, BODY_SIZE),
            };
            self.text(x, baseline, line.font, BODY_SIZE, &line.bytes);
        }
        self.skip(BODY_LEADING);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------------------------

fn draw_title(cur: &mut Cursor, title: &str) {
    for line in wrap(title, Font::Bold, TITLE_SIZE, CONTENT_WIDTH) {
        cur.line(&line, MARGIN, Font::Bold, TITLE_SIZE, TITLE_LEADING);
    }
    cur.skip(12.0);
}

fn draw_parties(cur: &mut Cursor, issuer: &[String], customer: &[String]) {
    let cells = [
        Cell::stacked(issuer, 0.0, PARTY_WIDTH, Align::Left, Font::Bold),
        Cell::stacked(customer, CUSTOMER_X, PARTY_WIDTH, Align::Left, Font::Bold),
    ];
    cur.rows(&cells);
    cur.skip(16.0);
}

fn draw_details(cur: &mut Cursor, details: &[(String, String)]) {
    for (label, value) in details {
        let value_width = CONTENT_WIDTH - DETAIL_LABEL_WIDTH;
        let cells = [
            Cell::new(label, 0.0, DETAIL_LABEL_WIDTH - 10.0, Align::Left, Font::Bold),
            Cell::new(value, DETAIL_LABEL_WIDTH, value_width, Align::Left, Font::Regular),
        ];
        cur.rows(&cells);
    }
    if !details.is_empty() {
        cur.skip(16.0);
    }
}

/// The four table cells of one row; the first column is left-aligned, the others right-aligned.
fn table_cells(texts: &[String; 4], font: Font) -> Vec<Cell> {
    (0..4)
        .map(|i| {
            let align = if i == 0 { Align::Left } else { Align::Right };
            Cell::new(&texts[i], COLUMN_X[i], COLUMN_WIDTH[i], align, font)
        })
        .collect()
}

fn draw_table(cur: &mut Cursor, columns: &[String; 4], lines: &[[String; 4]]) {
    let header: Vec<Cell> = table_cells(columns, Font::Bold)
        .into_iter()
        .map(|cell| cell.capped(MAX_HEADER_LINES))
        .collect();
    let header_lines = header.iter().map(|c| c.lines.len()).max().unwrap_or(0);
    // Keep the header together with the first row.
    cur.ensure((header_lines + 1) as f32 * BODY_LEADING + 6.0);
    cur.rows(&header);
    cur.rule();
    cur.header = Some(header);
    for line in lines {
        cur.rows(&table_cells(line, Font::Regular));
        cur.skip(3.0);
    }
    cur.header = None;
}

fn draw_totals(cur: &mut Cursor, totals: &[(String, String)]) {
    if totals.is_empty() {
        return;
    }
    const LABEL_X: f32 = 150.0;
    cur.skip(2.0);
    cur.rule();
    for (i, (label, value)) in totals.iter().enumerate() {
        let font = if i + 1 == totals.len() {
            Font::Bold
        } else {
            Font::Regular
        };
        let cells = [
            Cell::new(label, LABEL_X, COLUMN_X[3] - 10.0 - LABEL_X, Align::Right, font),
            Cell::new(value, COLUMN_X[3], COLUMN_WIDTH[3], Align::Right, font),
        ];
        cur.rows(&cells);
    }
}

fn draw_payment(cur: &mut Cursor, title: &str, payment: &[String]) {
    if title.is_empty() && payment.is_empty() {
        return;
    }
    cur.skip(20.0);
    let texts: Vec<&str> = std::iter::once(title)
        .chain(payment.iter().map(String::as_str))
        .collect();
    cur.rows(&[Cell::stacked(&texts, 0.0, CONTENT_WIDTH, Align::Left, Font::Bold)]);
}

// ---------------------------------------------------------------------------------------------------------------
// PDF assembly
// ---------------------------------------------------------------------------------------------------------------

fn write_pdf(title: &str, pages: Vec<Content>) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let regular_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let info_id = Ref::new(5);
    let mut next = Ref::new(6);
    let ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (next.bump(), next.bump())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(ids.iter().map(|&(page, _)| page))
        .count(i32::try_from(ids.len()).unwrap_or(i32::MAX));
    for (&(page_id, content_id), content) in ids.iter().zip(pages) {
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources()
            .fonts()
            .pair(Font::Regular.resource(), regular_id)
            .pair(Font::Bold.resource(), bold_id);
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    for (id, base) in [(regular_id, "Helvetica"), (bold_id, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info_id)
        .title(TextStr(title))
        .producer(TextStr("Portail des dons"));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
