//! Who is calling: the user a session belongs to, shared by the server and the browser.

use crate::org::model::{MemberRole, StaffRole};
use serde::{Deserialize, Serialize};

/// The logged-in person, as the server sees them for this request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub person_id: String,
    pub username: String,
    pub full_name: String,
    /// `Some` for programme staff, `None` for organisation users.
    pub staff_role: Option<StaffRole>,
    /// The organisation this person acts for, if any.
    pub membership: Option<Membership>,
    /// The UI language this person last chose (`fr`, `nl`, `en`), on any device.
    pub language: Option<String>,
}

/// A person's place in an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub organisation_id: String,
    pub legal_name: String,
    pub role: MemberRole,
}

impl CurrentUser {
    pub fn is_staff(&self) -> bool {
        self.staff_role.is_some()
    }

    /// Whether this person may act for `organisation_id` (any role).
    pub fn is_member_of(&self, organisation_id: &str) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.organisation_id == organisation_id)
    }

    /// Whether this person is the account holder ("titulaire du compte") of `organisation_id`.
    pub fn is_holder_of(&self, organisation_id: &str) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.organisation_id == organisation_id && m.role == MemberRole::AccountHolder)
    }
}

/// A staff member as the team page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub person_id: String,
    pub full_name: String,
    pub email: String,
    pub role: StaffRole,
    /// The admin looking at the list.
    pub is_you: bool,
    /// An agent limited to these partners' orders (a "Cisco desk"); empty: every partner.
    #[serde(default)]
    pub partners: Vec<String>,
}
