//! Payments: transfers typed in by staff or read from camt.053 bank statements, matched to
//! invoices by structured communication and amount.

pub mod api;
pub use domain::payment::camt;
pub use domain::payment::model;
pub use domain::payment::reader;
pub use domain::payment::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod qr;
