//! Join requests as the form sends them and as the holder and staff see them.

use serde::{Deserialize, Serialize};

/// The public form "Rejoindre mon organisation".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinForm {
    pub full_name: String,
    pub email: String,
    /// As typed: a Belgian number or a Luxembourg RCS number.
    pub enterprise_number: String,
    pub message: String,
}

/// A pending request, as the holder or staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequestInfo {
    pub join_request_id: String,
    pub organisation_id: String,
    pub legal_name: String,
    pub full_name: String,
    pub email: String,
    pub message: String,
    /// The day it was sent (Belgian time), `YYYY-MM-DD`.
    pub requested_on: String,
    /// Whether the organisation has an account holder (staff decide when it has none).
    pub has_holder: bool,
}

/// The most characters the message may hold.
pub const MAX_JOIN_MESSAGE_CHARS: usize = 2000;
