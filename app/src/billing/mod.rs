//! The money trail after the invoice (issue 23): credit notes ("notes de crédit") with their
//! own numbering and PDF, the ledger of money paid back ("remboursements"), and the Peppol
//! e-invoices stored as issued. Payments themselves live in [`crate::payment`].

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod issue;
#[cfg(feature = "ssr")]
pub mod sender;
pub mod ui;
