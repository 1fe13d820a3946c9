//! Payments: transfers typed in by staff or read from camt.053 bank statements, matched to
//! invoices by structured communication and amount.

pub mod api;
pub mod model;
pub mod rules;
pub mod ui;

#[cfg(feature = "camt")]
pub mod camt;
#[cfg(feature = "ssr")]
pub mod db;
