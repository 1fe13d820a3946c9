//! The catalogue: partners, Microsoft product families and the offers organisations order.

pub mod admin_api;
pub mod admin_ui;
pub mod api;
pub use domain::catalog::model;
pub use domain::catalog::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
