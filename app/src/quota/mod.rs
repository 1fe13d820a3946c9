//! The partner rules engine behind "Vérifier la qualification": a pure function from the
//! organisation's standing, the rules in force, its order history and its cart to a verdict
//! per line and an allowance summary per partner. No I/O and no clock in `rules`: the same
//! code runs in the browser (live meter) and on the server (which alone decides). `db` loads
//! its inputs; rules are versioned data (`partner_rule_version`).

pub mod admin_api;
pub mod api;
pub mod dashboard;
pub mod documents_ui;
pub use domain::quota::model;
pub use domain::quota::rules;
pub mod rules_ui;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
