//! Types of the privacy module shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// A person found by an admin on `/admin/privacy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub person_id: String,
    pub full_name: String,
    pub email: String,
    pub username: String,
    pub staff_role: Option<String>,
    /// "Les Amis du Quartier ASBL (titulaire)": the organisations and the role in each.
    pub organisations: Vec<(String, String)>,
}
