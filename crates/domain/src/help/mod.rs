//! The help centre: its questions and answers, their link rules and the search folding.

pub mod model;
pub mod rules;
