//! Validation tokens ("jetons de validation"): their wire types and rules.

pub mod model;
pub mod rules;
