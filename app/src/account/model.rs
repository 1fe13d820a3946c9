//! What the settings page shows.

use serde::{Deserialize, Serialize};

/// The caller's own account, as "Paramètres du compte" shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalSettings {
    pub username: String,
    pub full_name: String,
    /// The login e-mail in force.
    pub email: String,
    /// An address waiting for its confirmation link to be used, if any.
    pub pending_email: Option<String>,
}

/// How long the link that confirms a new login e-mail works.
pub const EMAIL_CHANGE_VALIDITY_HOURS: i64 = 24;
