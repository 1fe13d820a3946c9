//! The server's integration tests, in one test binary.
//!
//! Each file beside this one is a module. One binary links the whole app once: as seventeen
//! binaries they took about 500 MB of disk each (Leptos's generic symbol names) and as many
//! links of the app, and a clean CI machine ran out of disk.
//! Run one file's tests with `cargo test -p server --test integration hostile::`.

mod common;

mod accounts;
mod audit;
mod backoffice;
mod bodies;
mod catalogue;
mod checkout;
mod clock;
mod connections;
mod contact;
mod database;
mod dbfaults;
mod deadlines;
mod directory;
mod durability;
mod help;
mod hostile;
mod http;
mod inquiries;
mod invitations;
mod join;
mod limits;
mod mail;
mod mfa;
mod migration;
mod money;
mod orders;
mod page_cache;
mod privacy;
mod queues;
mod quota;
mod registration;
mod resilience;
mod security;
mod settings;
mod startup;
mod tokens;
mod units;
mod vat_status;
