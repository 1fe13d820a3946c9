//! The terms of sale ("Conditions générales de vente") and the privacy notice ("Protection
//! de la vie privée"): texts in French, Dutch and English that admins edit.

pub mod model;
pub mod rules;
