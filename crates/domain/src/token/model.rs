//! Validation tokens and partner checks as the account's tab, staff and partners see them.

use serde::{Deserialize, Serialize};

/// A token's state. "Actif", "Expiré", "Révoqué".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

/// What a partner's check found. `Valid`, or the reason it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Valid,
    /// No token has this code (never issued, or replaced by a refresh).
    Unknown,
    Expired,
    Revoked,
    /// The organisation's programme eligibility is not (or no longer) confirmed.
    OrganisationNotValidated,
    /// The organisation is not qualified for the calling partner.
    NotQualified,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Valid,
        Outcome::Unknown,
        Outcome::Expired,
        Outcome::Revoked,
        Outcome::OrganisationNotValidated,
        Outcome::NotQualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Valid => "valid",
            Outcome::Unknown => "unknown",
            Outcome::Expired => "expired",
            Outcome::Revoked => "revoked",
            Outcome::OrganisationNotValidated => "organisation_not_validated",
            Outcome::NotQualified => "not_qualified",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// One check of a token by a partner, for the holder's usage log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCheck {
    pub partner_name: String,
    /// The partner's API client (its system or the person checking by hand).
    pub client_name: String,
    pub outcome: Outcome,
    /// RFC 3339.
    pub checked_at: String,
}

/// A token in the "Jeton de validation" tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub token_id: String,
    pub code: String,
    pub creator_name: String,
    pub creator_email: String,
    pub recipient_name: String,
    pub recipient_email: String,
    /// What it is for, in the holder's words ("Achat TechSoup Google Ad Grants"…).
    pub purpose: String,
    /// The partner it is meant for, when the holder named one.
    pub partner_name: Option<String>,
    pub status: TokenStatus,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub expires_at: String,
    pub days_left: i64,
    /// Checks by partners, all time.
    pub checks: i64,
    /// The latest checks, newest first (the holder only; empty for other members).
    pub log: Vec<TokenCheck>,
}

/// A partner, for the token form's and the staff form's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerChoice {
    pub partner_id: String,
    pub name: String,
}

/// The tab: the tokens the caller may see, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensPage {
    /// Only the account holder creates, refreshes and revokes.
    pub is_holder: bool,
    /// Tokens are created once staff found the organisation eligible.
    pub validated: bool,
    /// The holder's own name and e-mail, for "Pour moi-même".
    pub own_name: String,
    pub own_email: String,
    pub tokens: Vec<TokenView>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub partners: Vec<PartnerChoice>,
}

/// "Créer un jeton": for the holder themself, or for another authorised person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    /// `self` or `other`.
    pub for_whom: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub purpose: String,
    /// Empty: any partner.
    pub partner_id: String,
}

/// A partner's API client, as staff manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerClient {
    pub partner_client_id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub name: String,
    /// The key's first symbols, so staff can tell keys apart; the key itself is not kept.
    pub key_prefix: String,
    pub rate_per_minute: i64,
    /// RFC 3339.
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub checks: i64,
}

/// The staff page: clients and the partners to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerClientsPage {
    pub clients: Vec<PartnerClient>,
    pub partners: Vec<PartnerChoice>,
}

/// A client just created, with its key: shown once, never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPartnerKey {
    pub client: PartnerClient,
    pub key: String,
}

/// The organisation behind a token, as a partner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedOrganisation {
    pub name: String,
    /// `BE` or `LU`.
    pub country: String,
    pub enterprise_number: String,
    /// `asbl`, `aisbl`, `fondation`, …
    pub legal_form: String,
}

/// The answer to `POST /api/v1/tokens/verify` and to the check by hand.
///
/// `organisation` and `qualified_partners` are given only when the token is genuine, alive
/// and its organisation validated (`valid`, or `not_qualified` for this partner): a dead or
/// unvalidated token tells a partner nothing about anyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub valid: bool,
    /// `None` when valid.
    pub reason: Option<Outcome>,
    /// The calling partner.
    pub partner: String,
    /// RFC 3339.
    pub checked_at: String,
    /// RFC 3339; `None` for an unknown code.
    pub expires_at: Option<String>,
    pub organisation: Option<VerifiedOrganisation>,
    /// The calling partner when the organisation is qualified for it, else empty: a partner
    /// is never told which other partners the organisation deals with.
    pub qualified_partners: Vec<String>,
}
