//! The help centre "En quoi pouvons-nous vous aider ?": questions and answers in French,
//! Dutch and English, searched without regard to accents or case, edited by staff.

pub mod api;
pub use domain::help::model;
pub use domain::help::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;

/// The help centre shipped with the portal, loaded into a new database.
#[cfg(feature = "ssr")]
pub fn shipped() -> Result<model::ShippedHelp, serde_json::Error> {
    serde_json::from_str(include_str!("content.json"))
}
