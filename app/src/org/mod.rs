//! Organisations (the customers), the people who act for them and their eligibility.

pub mod model;
pub mod rules;

pub mod api;
pub mod business_days;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod import;
pub mod registration;
pub mod ui;
