//! Orders ("demandes"): their wire types, and the rules of their life after "Continuer".

pub mod model;
pub mod rules;
