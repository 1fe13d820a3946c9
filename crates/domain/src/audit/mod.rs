//! The audit trail's wire types.

pub mod model;
