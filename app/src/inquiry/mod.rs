//! "Mon organisation est-elle inscrite ?" questions on the staff side: the list with its pages,
//! filter and search, and the answer from a template that is e-mailed and closes the question.
//! (The public form stays with the organisation's pages, `org::ui::inquiry`.)

pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
