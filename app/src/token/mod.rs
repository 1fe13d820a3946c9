//! Validation tokens ("jetons de validation"): how an organisation proves to a partner that
//! the programme validated it, and the API partners check them with.

pub mod api;
pub mod model;
pub mod partner_ui;
pub mod rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod verify;
#[cfg(feature = "ssr")]
pub mod worker;
