//! Organisation types shared by the server and the browser.

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
