//! The outbox as staff see it.

pub mod model;
