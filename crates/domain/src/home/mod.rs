//! The home page's public counters.

pub mod model;
