//! The catalogue: partners, Microsoft product families and the offers organisations order.

pub mod admin_api;
pub mod admin_ui;
pub mod api;
pub mod model;
pub mod rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
