//! "Contact" (`/contact`): the public contact form, and the staff inbox of the conversations
//! it feeds (`/admin/contact`): assign, answer by e-mail through the outbox, close, reopen.

pub mod api;
pub use domain::contact::model;
pub use domain::contact::rules;
pub mod inbox_ui;
pub mod labels;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
