//! "Panier": the cart's wire types and what "Continuer" answers.

pub mod model;
