//! Deadlines as data ("En retard") and the daily staff digest ("Résumé quotidien"): what is
//! late is computed from the orders', refund requests' and files' own dates by the pure
//! rules of `domain::deadline`; the dashboard shows it, and each staff member receives the
//! sections of it they chose, once a day.

pub use domain::deadline as model;

pub mod api;
pub mod labels;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod digest;
