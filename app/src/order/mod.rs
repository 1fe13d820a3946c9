//! Orders ("demandes") and their lines.

pub mod api;
pub mod invoice;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod checkout;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod worker;
