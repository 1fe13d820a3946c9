//! "Contact": the public contact form and the staff inbox of conversations it feeds.

pub mod model;
pub mod rules;
