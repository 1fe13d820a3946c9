//! Payments: matching transfers to invoices, the bank statement parsers (camt.053 and CODA, with
//! `reader::parse` choosing between them), and the EPC QR code that fills in a transfer.

pub mod camt;
pub mod coda;
pub mod epc;
pub mod model;
pub mod reader;
pub mod rules;
pub mod statement;
