//! The staff's organisation directory ("Annuaire des organisations") and an organisation's
//! 360 page: what is searched, how a query is read, and what the pages show.

pub mod model;
pub mod rules;
