//! Invoice rendering to PDF with `pdf-writer` and the standard Helvetica fonts.
//!
//! Depends only on `pdf_writer`, std and the QR matrix type ([`QrMatrix`]). Text is encoded to
//! WinAnsi (Windows-1252) and measured with the embedded Adobe Core 14 AFM
//! widths, so no font is embedded in the output; the QR code is vector rectangles.

use crate::payment::qr::{QUIET_ZONE, QrMatrix};
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
    /// "Scan to pay": the EPC QR code beside the payment block, when something is due.
    pub qr: Option<PaymentQr>,
    /// Small print at the bottom of every page
    pub footer: String,
}

/// The QR code of the payment block and the line printed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentQr {
    pub matrix: QrMatrix,
    /// e.g. "Scannez avec votre application bancaire pour payer"
    pub caption: String,
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
    draw_payment(&mut cur, &doc.payment_title, &doc.payment, doc.qr.as_ref());
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

/// The two standard fonts the invoice uses (public for the tests of widths and wrapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
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
    pub fn glyph_width(self, byte: u8) -> u32 {
        let table = match self {
            Font::Regular => &HELVETICA_WIDTHS,
            Font::Bold => &HELVETICA_BOLD_WIDTHS,
        };
        byte.checked_sub(32).map_or(556, |i| u32::from(table[usize::from(i)]))
    }

    /// Width in points of WinAnsi `bytes` at `size`.
    pub fn width(self, bytes: &[u8], size: f32) -> f32 {
        let units: u64 = bytes.iter().map(|&b| u64::from(self.glyph_width(b))).sum();
        units as f32 * size / 1000.0
    }
}

/// Greedy word wrap of `text` into WinAnsi lines no wider than `max_width` points. '\n' starts a new line; a word
/// wider than the column is broken between characters. Always returns at least one (possibly empty) line.
pub fn wrap(text: &str, font: Font, size: f32, max_width: f32) -> Vec<Vec<u8>> {
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
/// The QR code's side with its quiet zone, right-aligned beside the payment block: about
/// 4 cm, which phones read from a printed page; its caption below, in at most this many lines.
const QR_SIDE: f32 = 116.0;
const QR_GAP: f32 = 14.0;
const QR_CAPTION_LINES: usize = 3;

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

fn draw_payment(cur: &mut Cursor, title: &str, payment: &[String], qr: Option<&PaymentQr>) {
    if title.is_empty() && payment.is_empty() && qr.is_none() {
        return;
    }
    cur.skip(20.0);
    let texts: Vec<&str> = std::iter::once(title)
        .chain(payment.iter().map(String::as_str))
        .collect();
    let Some(qr) = qr else {
        cur.rows(&[Cell::stacked(&texts, 0.0, CONTENT_WIDTH, Align::Left, Font::Bold)]);
        return;
    };
    // The code at the right, the text in the column left of it: the text may run on to the
    // next pages, the code stays whole on this one, and whatever follows starts below both.
    let caption: Vec<Vec<u8>> = wrap(&qr.caption, Font::Regular, FOOTER_SIZE, QR_SIDE)
        .into_iter()
        .take(QR_CAPTION_LINES)
        .collect();
    let height = QR_SIDE + caption.len() as f32 * FOOTER_LEADING;
    cur.ensure(height);
    let page = cur.pages.len();
    let top = cur.y;
    let left = RIGHT - QR_SIDE;
    draw_qr(cur.page(), &qr.matrix, left, top);
    let mut baseline = top - QR_SIDE - FOOTER_SIZE + 2.0;
    for line in &caption {
        let x = left + (QR_SIDE - Font::Regular.width(line, FOOTER_SIZE)).max(0.0) / 2.0;
        cur.text(x, baseline, Font::Regular, FOOTER_SIZE, line);
        baseline -= FOOTER_LEADING;
    }
    cur.fresh = false;
    let text_width = CONTENT_WIDTH - QR_SIDE - QR_GAP;
    cur.rows(&[Cell::stacked(&texts, 0.0, text_width, Align::Left, Font::Bold)]);
    if cur.pages.len() == page {
        cur.y = cur.y.min(top - height);
    }
}

/// The modules of `matrix` as black rectangles in a `QR_SIDE` square (quiet zone included)
/// whose top left corner is at (`left`, `top`); each row's adjacent dark modules make one
/// rectangle.
fn draw_qr(page: &mut Content, matrix: &QrMatrix, left: f32, top: f32) {
    let modules = matrix.width() + 2 * QUIET_ZONE;
    let module = QR_SIDE / modules as f32;
    page.save_state();
    page.set_fill_gray(0.0);
    for (row, column, run) in matrix.dark_runs() {
        let x = left + (QUIET_ZONE + column) as f32 * module;
        let y = top - (QUIET_ZONE + row + 1) as f32 * module;
        page.rect(x, y, run as f32 * module, module);
    }
    page.fill_nonzero();
    page.restore_state();
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
