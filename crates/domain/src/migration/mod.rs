//! The migration import: an existing programme's organisations, people, qualifications,
//! partner documents, past orders and home-counter offsets, from the CSV files described in
//! `docs/migration-import.md`.
//!
//! Everything here is pure: reading the files ([`read_files`]), checking every row and
//! grouping the rows per organisation ([`plan`]), and the digest text of each record that
//! makes re-runs idempotent. The server writes each organisation of the plan in its own
//! transaction (`app::migration`).

pub mod model;
pub mod parse;

pub use model::*;
pub use parse::{plan, read_files};

#[cfg(test)]
mod tests;
