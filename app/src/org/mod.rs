//! Organisations (the customers), the people who act for them and their eligibility.

pub use domain::org::model;
pub use domain::org::rules;

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod import;
pub use domain::registration;
pub mod ui;
