//! The app's own unit tests of its server-side code, through its public API.
//!
//! They used to be `#[cfg(test)]` modules inside `app`, which made `cargo test` build the
//! whole app a second time as its own test harness; here they share the binary that already
//! links the app. (The pure rules' tests live in the `domain` crate.)
//! Run them alone with `cargo test -p server --test integration units::`.

mod audit_http;
mod bundle;
mod cache;
mod chart;
mod config;
mod dates;
mod db;
mod document;
mod email;
mod help;
mod import;
mod isolation;
mod migration_parity;
mod owner;
mod page_cache;
mod pdf;
mod privacy;
mod qr;
mod session;
mod templates;
mod token;
