//! The migration import's records (rows that passed their checks) and its report.

use crate::invoice::VatStatus;
use crate::order::model::{OrderCategory, OrderStatus};
use crate::org::model::{Country, EligibilityStatus, LegalForm, MemberRole};
use crate::org::rules::EnterpriseNumber;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The files of one migration, by name (`organisations.csv`…), in import order.
pub const FILES: [&str; 7] = [
    "organisations",
    "people",
    "qualifications",
    "documents",
    "orders",
    "order_lines",
    "counters",
];

/// The columns each file must have (others are ignored; optional columns may be absent).
pub fn required_columns(file: &str) -> &'static [&'static str] {
    match file {
        "organisations" => &[
            "legacy_id",
            "legal_name",
            "legal_form",
            "country",
            "enterprise_number",
            "street",
            "postal_code",
            "city",
            "contact_email",
            "mission_category",
            "eligibility_status",
        ],
        "people" => &["organisation_legacy_id", "full_name", "email", "role"],
        "qualifications" => &["organisation_legacy_id", "partner", "status"],
        "documents" => &["organisation_legacy_id"],
        "orders" => &["legacy_reference", "organisation_legacy_id", "status", "submitted_on"],
        "order_lines" => &["legacy_reference", "product", "quantity"],
        "counters" => &["counter", "value"],
        _ => &[],
    }
}

/// The home counters an offset may be given for.
pub const COUNTERS: [&str; 3] = ["organisations", "saved_cents", "products_distributed"];

/// The text of each file as uploaded (decoded to UTF-8); an absent file is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MigrationFiles {
    pub organisations: String,
    pub people: String,
    pub qualifications: String,
    pub documents: String,
    pub orders: String,
    pub order_lines: String,
    pub counters: String,
}

impl MigrationFiles {
    /// The text of file `name` (one of [`FILES`]).
    pub fn get(&self, name: &str) -> &str {
        match name {
            "organisations" => &self.organisations,
            "people" => &self.people,
            "qualifications" => &self.qualifications,
            "documents" => &self.documents,
            "orders" => &self.orders,
            "order_lines" => &self.order_lines,
            "counters" => &self.counters,
            _ => "",
        }
    }

    /// Sets file `name`; `false` for a name that is not one of [`FILES`].
    pub fn set(&mut self, name: &str, text: String) -> bool {
        let slot = match name {
            "organisations" => &mut self.organisations,
            "people" => &mut self.people,
            "qualifications" => &mut self.qualifications,
            "documents" => &mut self.documents,
            "orders" => &mut self.orders,
            "order_lines" => &mut self.order_lines,
            "counters" => &mut self.counters,
            _ => return false,
        };
        *slot = text;
        true
    }
}

/// How big the files may be. The staff page caps them; the command line takes what fits
/// in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Data rows per file.
    pub max_rows: usize,
}

/// The staff page's limit: 50,000 data rows per file (the bodies are capped at 12 MiB too).
pub const WEB_LIMITS: Limits = Limits { max_rows: 50_000 };
/// The command line's: no practical limit (20,000 organisations with 600,000 order lines
/// import in one go).
pub const CLI_LIMITS: Limits = Limits { max_rows: usize::MAX };

/// Largest quantity on one imported line.
pub const MAX_LINE_QUANTITY: u32 = 9_999;

/// A file refused as a whole: its name and the error code (`csv_missing_columns:a, b`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileError {
    pub file: String,
    pub code: String,
}

/// One data row of one file: its line (the header is line 1) and its cells by column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u32,
    pub cells: std::collections::BTreeMap<String, String>,
}

impl Row {
    /// The cell of `column`, trimmed; empty when absent.
    pub fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", |v| v.trim())
    }
}

/// The rows of every file, after [`read_files`](super::read_files).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tables {
    pub files: std::collections::BTreeMap<String, Vec<Row>>,
}

/// An organisation row that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationRecord {
    pub legacy_id: String,
    pub legal_name: String,
    pub legal_form: LegalForm,
    pub country: Country,
    pub enterprise_number: EnterpriseNumber,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_email: String,
    pub mission_category: String,
    pub eligibility: EligibilityStatus,
    pub vat_status: VatStatus,
    pub vat_number: Option<String>,
    /// `fr`, `nl` or `en`: the language of its e-mails.
    pub language: String,
    /// When it registered in the old programme (its review clock is over).
    pub registered_on: Option<NaiveDate>,
}

/// A person of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub full_name: String,
    /// Normalised (lower case).
    pub email: String,
    pub role: MemberRole,
    pub language: Option<String>,
}

/// A per-partner decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualificationRecord {
    pub partner_id: String,
    pub qualified: bool,
    pub decided_on: Option<NaiveDate>,
}

/// The partner documents staff recorded: Microsoft discount certificate, Autodesk direct
/// purchase and waiver (days).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentsRecord {
    pub discount_certificate_issued: Option<NaiveDate>,
    pub autodesk_direct_purchase: Option<NaiveDate>,
    pub autodesk_waiver_on: Option<NaiveDate>,
}

/// A line of a past order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRecord {
    /// Catalogue slug.
    pub product: String,
    pub product_id: String,
    pub quantity: u32,
    /// Fee per unit excl. VAT as the old programme charged it; the catalogue's when absent.
    pub fee_cents: i64,
    pub named_user: Option<String>,
    pub aws_account_id: Option<String>,
    pub cancelled: bool,
}

/// A past order with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub reference: String,
    pub status: OrderStatus,
    pub category: OrderCategory,
    pub submitted_on: NaiveDate,
    pub validated_on: Option<NaiveDate>,
    pub fulfilled_on: Option<NaiveDate>,
    pub lines: Vec<LineRecord>,
}

/// Where a row came from: file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RowRef {
    pub file: String,
    pub line: u32,
}

/// An organisation and all that belongs to it: written in one transaction, or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationPlan {
    pub key: String,
    pub organisation: OrganisationRecord,
    pub people: Vec<PersonRecord>,
    pub qualifications: Vec<QualificationRecord>,
    pub documents: DocumentsRecord,
    pub orders: Vec<OrderRecord>,
    /// The rows of the organisation's file, people, qualifications and documents.
    pub rows: Vec<RowRef>,
    /// The rows of each order (its own row and its lines), in `orders`' order.
    pub order_rows: Vec<Vec<RowRef>>,
}

impl OrganisationPlan {
    /// The organisation's own record as text, for its digest (orders have their own).
    pub fn digest_text(&self) -> String {
        let o = &self.organisation;
        let mut text = format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{:?}|{}|{:?}\n",
            o.legacy_id,
            o.legal_name,
            o.legal_form.as_str(),
            o.country.as_str(),
            o.enterprise_number.as_str(),
            o.street,
            o.postal_code,
            o.city,
            o.contact_email,
            o.mission_category,
            o.eligibility.as_str(),
            o.vat_status.as_str(),
            o.vat_number,
            o.language,
            o.registered_on,
        );
        for p in &self.people {
            text.push_str(&format!(
                "p|{}|{}|{}|{:?}\n",
                p.email,
                p.full_name,
                p.role.as_str(),
                p.language
            ));
        }
        for q in &self.qualifications {
            text.push_str(&format!("q|{}|{}|{:?}\n", q.partner_id, q.qualified, q.decided_on));
        }
        let d = &self.documents;
        text.push_str(&format!(
            "d|{:?}|{:?}|{:?}\n",
            d.discount_certificate_issued, d.autodesk_direct_purchase, d.autodesk_waiver_on
        ));
        text
    }
}

impl OrderRecord {
    /// The order as text, for its digest.
    pub fn digest_text(&self, organisation_key: &str) -> String {
        let mut text = format!(
            "{}|{}|{}|{}|{:?}|{:?}\n",
            self.reference,
            organisation_key,
            self.status.as_str(),
            self.submitted_on,
            self.validated_on,
            self.fulfilled_on
        );
        for l in &self.lines {
            text.push_str(&format!(
                "{}|{}|{}|{:?}|{:?}|{}\n",
                l.product, l.quantity, l.fee_cents, l.named_user, l.aws_account_id, l.cancelled
            ));
        }
        text
    }
}

/// The plan of a migration: what every good organisation becomes, and every row's errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub organisations: Vec<OrganisationPlan>,
    /// Home-counter offsets: (name, value, row).
    pub counters: Vec<(String, i64, RowRef)>,
    /// Every row with errors, and the rows skipped because their organisation has errors.
    pub refused: Vec<RowOutcome>,
}

/// What the run did (or, in a dry run, would do) with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Create,
    Update,
    Unchanged,
    /// The row has errors: nothing of it is written.
    Error,
    /// The row is fine, but another row of its organisation has errors.
    Skipped,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Create,
        Outcome::Update,
        Outcome::Unchanged,
        Outcome::Error,
        Outcome::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Create => "create",
            Outcome::Update => "update",
            Outcome::Unchanged => "unchanged",
            Outcome::Error => "error",
            Outcome::Skipped => "skipped",
        }
    }
}

/// One row's outcome in the report. `errors`: codes the UI translates, `code:detail` when
/// they carry a value (`unknown_product:office-2019`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowOutcome {
    pub file: String,
    pub line: u32,
    /// The legacy id, order reference or counter name the row is about.
    pub key: String,
    pub outcome: Outcome,
    pub errors: Vec<String>,
}

/// How many rows had each outcome, and how many organisations and orders were written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationCounts {
    pub create: u64,
    pub update: u64,
    pub unchanged: u64,
    pub error: u64,
    pub skipped: u64,
    pub organisations_created: u64,
    pub organisations_updated: u64,
    pub orders_created: u64,
    pub orders_updated: u64,
}

impl MigrationCounts {
    /// Counts one row.
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Create => self.create += 1,
            Outcome::Update => self.update += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Error => self.error += 1,
            Outcome::Skipped => self.skipped += 1,
        }
    }

    /// The rows counted with `outcome`.
    pub fn of(&self, outcome: Outcome) -> u64 {
        match outcome {
            Outcome::Create => self.create,
            Outcome::Update => self.update,
            Outcome::Unchanged => self.unchanged,
            Outcome::Error => self.error,
            Outcome::Skipped => self.skipped,
        }
    }
}

/// The report of a run: every row's outcome, by file and line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationReport {
    pub dry_run: bool,
    pub file_errors: Vec<FileError>,
    pub counts: MigrationCounts,
    pub rows: Vec<RowOutcome>,
}

impl MigrationReport {
    /// Sorts the rows by file (in [`FILES`] order) and line, and counts them.
    pub fn finish(&mut self) {
        let rank = |file: &str| FILES.iter().position(|f| *f == file).unwrap_or(FILES.len());
        self.rows.sort_by_key(|r| (rank(&r.file), r.line));
        let mut counts = MigrationCounts {
            organisations_created: self.counts.organisations_created,
            organisations_updated: self.counts.organisations_updated,
            orders_created: self.counts.orders_created,
            orders_updated: self.counts.orders_updated,
            ..MigrationCounts::default()
        };
        for row in &self.rows {
            counts.add(row.outcome);
        }
        self.counts = counts;
    }
}

/// A page of a stored run's report, for the staff page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationRunView {
    pub run_id: String,
    pub dry_run: bool,
    /// For a dry run: the import run made from it, if any.
    pub imported_as: Option<String>,
    pub created_at: String,
    pub file_errors: Vec<FileError>,
    pub counts: MigrationCounts,
    /// Rows matching the filter.
    pub total: u64,
    pub page: u32,
    pub rows: Vec<RowOutcome>,
}

/// Rows per page of the report on the staff page.
pub const REPORT_PAGE: u32 = 50;
