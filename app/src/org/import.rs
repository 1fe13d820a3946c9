//! Bulk registration ("inscription groupée"): staff import a CSV of branches, each with its
//! own enterprise number. Parsing and per-row validation are pure and live here; the server
//! function creates each good row in its own transaction, so a bad row never leaves half an
//! account behind and never stops the good ones.

pub use crate::org::model::IMPORT_COLUMNS;
use crate::org::registration::RegistrationForm;

/// Most rows one import may hold.
pub const MAX_IMPORT_ROWS: usize = 500;

/// A data row: its line in the file (the header is line 1) and the form it fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: u32,
    pub form: RegistrationForm,
}

/// Why the file as a whole was refused (row problems are reported per row instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    Empty,
    MissingColumns(Vec<String>),
    TooManyRows,
    Unreadable(u32),
}

impl CsvError {
    /// The error code the UI translates.
    pub fn code(&self) -> String {
        match self {
            CsvError::Empty => "csv_empty".into(),
            CsvError::MissingColumns(columns) => format!("csv_missing_columns:{}", columns.join(", ")),
            CsvError::TooManyRows => "csv_too_many_rows".into(),
            CsvError::Unreadable(line) => format!("csv_unreadable:{line}"),
        }
    }
}

/// Reads the CSV text into forms. The account holders get no password here: each receives
/// an invitation link to choose one.
pub fn parse_csv(text: &str) -> Result<Vec<CsvRow>, CsvError> {
    let text = text.trim_start_matches('\u{feff}').trim();
    let header = text.lines().next().ok_or(CsvError::Empty)?;
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| CsvError::Unreadable(1))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let missing: Vec<String> = IMPORT_COLUMNS
        .iter()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .map(|c| (*c).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(CsvError::MissingColumns(missing));
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = u32::try_from(index + 2).unwrap_or(u32::MAX);
        let record = record.map_err(|_| CsvError::Unreadable(line))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() == MAX_IMPORT_ROWS {
            return Err(CsvError::TooManyRows);
        }
        let mut form = RegistrationForm::default();
        for (name, value) in headers.iter().zip(record.iter()) {
            form.set(name, value.to_owned());
        }
        rows.push(CsvRow { line, form });
    }
    if rows.is_empty() {
        Err(CsvError::Empty)
    } else {
        Ok(rows)
    }
}
