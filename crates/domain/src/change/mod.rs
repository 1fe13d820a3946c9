//! Change requests ("demandes de modification") of the locked organisation data.

pub mod model;
pub mod rules;
