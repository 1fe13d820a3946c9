//! "Scan to pay": the EPC QR code of an invoice drawn, from the text
//! [`domain::payment::epc::payload`] makes. One matrix of modules, drawn three ways: as a PNG
//! (the invoice page and the e-mail), and as filled rectangles in the PDF
//! ([`crate::order::pdf`], which reads [`QrMatrix::dark_runs`]).

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code on every side, as the QR specification asks: scanners find
/// the code by its edge.
pub const QUIET_ZONE: usize = 4;

/// Pixels per module in the PNG. A typical invoice's code is 41 modules (version 6), so 49
/// with the quiet zone: 392 pixels, shown at 200 CSS pixels, sharp on a high-density screen.
pub const PNG_SCALE: usize = 8;

/// The modules of a QR code, row by row, without the quiet zone. Only [`QrMatrix::encode`]
/// makes one, so the width and the modules always agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// The code of `text` at error-correction level M (EPC069-12 requires it); `None` only for
    /// a text too long for any QR code (an EPC payload is at most 331 bytes, far below).
    pub fn encode(text: &str) -> Option<Self> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        Some(QrMatrix {
            width: code.width(),
            dark: code.into_colors().into_iter().map(|c| c == Color::Dark).collect(),
        })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module in column `x`, row `y` is dark; anything outside the code is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    /// The dark modules as horizontal runs `(row, first column, length)`: one rectangle per
    /// run rather than per module keeps the PDF small.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                runs.push((y, start, x - start));
            }
        }
        runs
    }

    /// Pixels per side of [`QrMatrix::to_png`]'s image.
    pub fn png_side(&self) -> usize {
        (self.width + 2 * QUIET_ZONE) * PNG_SCALE
    }

    /// A one-bit greyscale PNG of the code with its quiet zone, [`PNG_SCALE`] pixels per
    /// module (about a kilobyte).
    pub fn to_png(&self) -> Result<Vec<u8>, png::EncodingError> {
        let side = self.png_side();
        let side_u32 = u32::try_from(side).map_err(|_| png::EncodingError::LimitsExceeded)?;
        // One bit per pixel, most significant first, each row padded to a whole byte;
        // 1 is white.
        let row_bytes = side.div_ceil(8);
        let mut pixels = vec![0xFF_u8; row_bytes * side];
        for (py, row) in pixels.chunks_exact_mut(row_bytes).enumerate() {
            let Some(y) = (py / PNG_SCALE).checked_sub(QUIET_ZONE) else {
                continue;
            };
            for px in 0..side {
                let dark = (px / PNG_SCALE)
                    .checked_sub(QUIET_ZONE)
                    .is_some_and(|x| self.is_dark(x, y));
                if dark {
                    row[px / 8] &= !(0x80 >> (px % 8));
                }
            }
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, side_u32, side_u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()?;
        Ok(out)
    }
}
