//! The outbox as staff see it, and when a message is tried again.

pub mod model;
pub mod rules;
