//! Orders ("demandes") and their lines.

pub mod invoice;
pub mod model;

#[cfg(feature = "ssr")]
pub mod db;
