//! The home page and the programme's public counters.

pub mod api;
pub mod model;
pub mod ui;
