//! The donation portal's pure domain: the serde types the server and the browser exchange
//! (`model`), the rules that judge them (`rules`) and the parsers of what outsiders send.
//!
//! No I/O and no clock: `today`, `now` and the history are arguments. This crate depends on no
//! web framework, database driver or runtime, so the compiler keeps it pure, and the same code
//! runs in the server and in the browser (the live allowance meter shows the verdict the server
//! will enforce).
//!
//! Modules only depend downwards, never on each other in a circle:
//! `lang`, `error`, `calendar`, `money` at the bottom; `order` (lifecycle) below `quota` (the
//! partner rules engine) below `cart`; `org` below `auth` below `registration` below `change`;
//! `invoice` below `einvoice` (Peppol UBL invoices and credit notes); `org` below `deadline`.

pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cart;
pub mod catalog;
pub mod change;
pub mod contact;
pub mod deadline;
pub mod directory;
pub mod einvoice;
pub mod error;
pub mod help;
pub mod home;
pub mod invoice;
pub mod join;
pub mod lang;
pub mod legal;
pub mod mail;
pub mod migration;
pub mod money;
pub mod order;
pub mod org;
pub mod payment;
pub mod quota;
pub mod registration;
pub mod token;

pub use error::FieldErrors;
pub use lang::Lang;
