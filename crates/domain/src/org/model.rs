//! Organisation types shared by the server and the browser.

use crate::invoice::VatStatus;
use serde::{Deserialize, Serialize};

/// "Forme juridique": the legal forms the programme accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    /// ASBL — association sans but lucratif.
    Asbl,
    /// AISBL — association internationale sans but lucratif.
    Aisbl,
    /// Fondation.
    Fondation,
    /// Bibliothèque publique (qualifies without nonprofit status).
    BibliothequePublique,
    /// École de l'enseignement spécialisé (qualifies without nonprofit status).
    EcoleEnseignementSpecialise,
}

impl LegalForm {
    pub const ALL: [LegalForm; 5] = [
        LegalForm::Asbl,
        LegalForm::Aisbl,
        LegalForm::Fondation,
        LegalForm::BibliothequePublique,
        LegalForm::EcoleEnseignementSpecialise,
    ];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            LegalForm::Asbl => "asbl",
            LegalForm::Aisbl => "aisbl",
            LegalForm::Fondation => "fondation",
            LegalForm::BibliothequePublique => "bibliotheque_publique",
            LegalForm::EcoleEnseignementSpecialise => "ecole_enseignement_specialise",
        }
    }
}

/// Countries the programme serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Country {
    BE,
    LU,
}

impl Country {
    pub fn as_str(self) -> &'static str {
        match self {
            Country::BE => "BE",
            Country::LU => "LU",
        }
    }
}

/// Programme eligibility, decided by staff before any partner qualification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EligibilityStatus {
    /// Registered, waiting for review.
    Pending,
    /// Staff asked for more information.
    InfoRequested,
    Eligible,
    Rejected,
}

impl EligibilityStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EligibilityStatus::Pending => "pending",
            EligibilityStatus::InfoRequested => "info_requested",
            EligibilityStatus::Eligible => "eligible",
            EligibilityStatus::Rejected => "rejected",
        }
    }
}

/// A person's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// May act on the organisation's behalf.
    Member,
    /// "Titulaire du compte": the one person who manages the account and its tokens.
    AccountHolder,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Member => "member",
            MemberRole::AccountHolder => "account_holder",
        }
    }
}

/// Staff roles; `None` on a person means an organisation user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Processes reviews and orders.
    Agent,
    /// Everything, including catalogue, rules and staff.
    Admin,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Agent => "agent",
            StaffRole::Admin => "admin",
        }
    }
}

impl LegalForm {
    /// Reads the stored value (or a form value) back.
    pub fn parse(value: &str) -> Option<Self> {
        LegalForm::ALL.into_iter().find(|form| form.as_str() == value)
    }
}

impl Country {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "BE" => Some(Country::BE),
            "LU" => Some(Country::LU),
            _ => None,
        }
    }
}

impl EligibilityStatus {
    pub fn parse(value: &str) -> Option<Self> {
        [
            EligibilityStatus::Pending,
            EligibilityStatus::InfoRequested,
            EligibilityStatus::Eligible,
            EligibilityStatus::Rejected,
        ]
        .into_iter()
        .find(|status| status.as_str() == value)
    }
}

/// "Mission principale": the main mission an organisation declares; partners' criteria weigh it.
pub const MISSION_CATEGORIES: [&str; 11] = [
    "social_cohesion",
    "disability_inclusion",
    "health",
    "culture_education",
    "special_education",
    "youth",
    "environment",
    "international_cooperation",
    "human_rights",
    "sport_leisure",
    "other",
];

/// Where one partner stands for one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerQualification {
    pub partner_id: String,
    pub partner_name: String,
    /// `None` while staff have not decided.
    pub qualified: Option<bool>,
    /// Staff's reason, shown to the organisation.
    pub reason: Option<String>,
}

/// An uploaded file, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub document_id: String,
    /// `statutes`, `info_response` or `change_request`.
    pub kind: String,
    pub file_name: String,
    pub size_bytes: i64,
}

/// An organisation's file as its members and staff see it ("Mon organisation").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationFile {
    pub organisation_id: String,
    pub legal_name: String,
    pub legal_form: LegalForm,
    pub country: Country,
    /// In its usual written form (`0412.345.614`).
    pub enterprise_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_email: String,
    pub mission_category: String,
    pub eligibility_status: EligibilityStatus,
    pub eligibility_reason: Option<String>,
    /// Staff's open question, while the status is `info_requested`.
    pub info_request: Option<String>,
    pub info_response: Option<String>,
    /// When the file was complete (RFC 3339): the review clock starts here.
    pub submitted_at: Option<String>,
    /// "Statut TVA", and the VAT number of a registered status (`BE0412345614`).
    pub vat_status: VatStatus,
    pub vat_number: Option<String>,
    pub qualifications: Vec<PartnerQualification>,
    pub documents: Vec<DocumentInfo>,
    pub holder_name: Option<String>,
    pub holder_email: Option<String>,
    /// The people who act for it: those who accepted their invitation (issue 21, item 7).
    pub members: Vec<MemberInfo>,
    /// "Invitations en attente": sent, not yet accepted, cancelled nor expired.
    pub invitations: Vec<PendingInvitation>,
    /// The organisation's appeal against a refusal ("recours"), if it made one.
    pub appeal_note: Option<String>,
    /// Whether that appeal still waits for staff.
    pub appeal_open: bool,
}

/// One page of the staff review queue, with the counts of the whole queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueueListing {
    pub items: Vec<ReviewQueueItem>,
    /// Files in the whole queue, and how many of them are overdue.
    pub total: i64,
    pub overdue: i64,
    /// This page (from 1) and the files per page.
    pub page: u32,
    pub per_page: u32,
}

/// Files per page of the review queue.
pub const REVIEW_QUEUE_PAGE: u32 = 50;

/// A line of the staff review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueueItem {
    pub organisation_id: String,
    pub legal_name: String,
    pub legal_form: LegalForm,
    pub enterprise_number: String,
    pub city: String,
    pub eligibility_status: EligibilityStatus,
    /// The day the file was complete (YYYY-MM-DD).
    pub submitted_on: String,
    /// Business days elapsed since then (weekends and Belgian holidays excluded).
    pub business_days_waiting: i64,
    /// Review deadline: two business days after `submitted_on` (YYYY-MM-DD).
    pub deadline: String,
    pub overdue: bool,
    /// In the queue because the organisation appealed a refusal.
    pub appeal: bool,
}

/// Staff's decision on one partner, as sent from the qualification matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationInput {
    pub partner_id: String,
    /// `qualified`, `not_qualified` or `undecided` (leave as it is).
    pub decision: String,
    /// Required when not qualified: the organisation reads it.
    pub reason: String,
}

/// A person acting for an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub person_id: String,
    pub full_name: String,
    pub email: String,
    pub role: MemberRole,
}

/// An invitation that waits for its answer ("Invitation en attente"). It reads the same for
/// every address, whether it was new (the invitee chooses a password) or already had an
/// account (the address got a neutral notice): the holder cannot tell them apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub invitation_id: String,
    pub email: String,
    /// The day it was sent (YYYY-MM-DD, UTC).
    pub sent_on: String,
    /// The last day it can be accepted (YYYY-MM-DD, UTC).
    pub expires_on: String,
}

/// One row of a bulk registration, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    /// The line in the CSV file (the header is line 1).
    pub line: u32,
    pub legal_name: String,
    pub enterprise_number: String,
    /// Empty for a created row; field → error codes for a rejected one.
    pub errors: crate::error::FieldErrors,
}

/// What a bulk registration created and what it rejected, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: Vec<ImportLine>,
    pub rejected: Vec<ImportLine>,
}

/// Where one eligible organisation stands with one partner (re-qualification page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerStanding {
    pub organisation_id: String,
    pub legal_name: String,
    pub qualified: Option<bool>,
}

/// The columns, in any order, named on the first line. Comma or semicolon separated (the
/// Belgian spreadsheet default is the semicolon).
pub const IMPORT_COLUMNS: [&str; 11] = [
    "legal_name",
    "legal_form",
    "country",
    "enterprise_number",
    "street",
    "postal_code",
    "city",
    "contact_email",
    "mission_category",
    "holder_name",
    "holder_email",
];
