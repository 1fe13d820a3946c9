//! The home page and the programme's public counters.

pub mod api;
pub use domain::home::model;
pub mod staff_api;
pub mod staff_ui;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod db;
