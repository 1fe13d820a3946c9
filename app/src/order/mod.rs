//! Orders ("demandes") and their lines.

pub mod model;

#[cfg(feature = "ssr")]
pub mod db;
