//! Orders ("demandes") and their lines.

pub mod admin_ui;
pub mod api;
pub mod document;
pub use domain::invoice;
pub use domain::order::model;
pub use domain::order::rules;
pub mod requests_ui;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod checkout;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod process;
#[cfg(feature = "ssr")]
pub mod renewal;
#[cfg(feature = "ssr")]
pub mod worker;
