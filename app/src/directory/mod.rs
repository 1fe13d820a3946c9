//! The staff's organisation directory (`/admin/organisations`) and an organisation's 360
//! page (`/admin/organisations/{id}`): find any organisation by its name, number, people,
//! place, orders or tokens, and see everything about it in one place.

pub mod api;
pub use domain::directory::model;
pub use domain::directory::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
