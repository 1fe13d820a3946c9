//! Change requests ("demandes de modification"): the registered name, enterprise number,
//! address and contact e-mail are locked — the address is also the delivery address — so an
//! organisation asks for a change and staff accept or refuse it.

pub mod api;
pub use domain::change::model;
pub use domain::change::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod files;
