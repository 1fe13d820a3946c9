//! Organisations (the customers), the people who act for them and their eligibility.

pub mod model;
pub mod rules;
