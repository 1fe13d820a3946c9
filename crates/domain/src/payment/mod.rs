//! Payments: matching transfers to invoices, and the camt.053 bank statement parser.

pub mod camt;
pub mod model;
pub mod rules;
