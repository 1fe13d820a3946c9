//! Payments: matching transfers to invoices, the camt.053 bank statement parser, and the EPC
//! QR code that fills in a transfer.

pub mod camt;
pub mod epc;
pub mod model;
pub mod rules;
pub mod statement;
