//! Validation errors as the rules report them and the forms show them.

use std::collections::BTreeMap;

/// Field name → messages (already in the user's language, or i18n keys the UI translates).
pub type FieldErrors = BTreeMap<String, Vec<String>>;
