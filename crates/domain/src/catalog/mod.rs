//! The catalogue: partners, Microsoft product families and the offers organisations order.

pub mod model;
pub mod rules;
