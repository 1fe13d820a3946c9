//! Change requests as the organisation and staff see them.

use serde::{Deserialize, Serialize};

/// The values an organisation asks to change; an empty field means "leave as it is".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    pub legal_name: String,
    pub enterprise_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_email: String,
    /// Why, in the organisation's words (required).
    pub note: String,
}

/// A filed change request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequest {
    pub change_request_id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub legal_name: Option<String>,
    pub enterprise_number: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub contact_email: Option<String>,
    pub note: String,
    /// `pending`, `accepted` or `refused`.
    pub status: String,
    pub decision_reason: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// The supporting document filed with it (amended statutes…), if any.
    pub document: Option<ChangeDocument>,
}

/// The supporting document of a change request, served at `/documents/{document_id}` to the
/// organisation's members and staff only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDocument {
    pub document_id: String,
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`, from the content.
    pub content_type: String,
    pub size_bytes: i64,
}
