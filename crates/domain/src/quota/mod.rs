//! The partner rules engine behind "Vérifier la qualification": a pure function from the
//! organisation's standing, the rules in force, its order history and its cart to a verdict
//! per line and an allowance summary per partner.

pub mod model;
pub mod rules;
