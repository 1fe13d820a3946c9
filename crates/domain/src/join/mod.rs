//! "Rejoindre mon organisation": requests to join an organisation already registered.

pub mod model;
pub mod rules;
