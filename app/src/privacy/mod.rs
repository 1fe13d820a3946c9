//! Privacy by design (issue 25).
//!
//! - "Mes données" (`/account/privacy`): each person downloads what the programme holds about
//!   them (`GET /account/my-data.zip`), and the account holder the organisation's file with its
//!   documents, invoices and credit notes (`GET /account/organisation-data.zip`).
//! - Erasure: a person is anonymised, never deleted: their row stays so that the orders,
//!   invoices and credit notes they took part in (kept 10 years, Belgian accounting law) and
//!   the audit trail still hold together, but their name, e-mail address, login and password
//!   are gone from every table ([`erase`]). A person erases their own account; an admin erases
//!   anyone but an account holder, who hands the organisation over first.
//! - Retention: [`retention::purge`] deletes what is no longer needed, on the periods the
//!   privacy page states.

pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod erase;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod retention;
