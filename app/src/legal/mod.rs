//! "Conditions générales de vente" (`/terms`) and "Protection de la vie privée" (`/privacy`)
//! in French, Dutch and English, and their editor for admins (`/admin/legal`). The shipped
//! texts (`content.json`) are loaded into a database that has none; admins edit them after.

pub mod api;
pub use domain::legal::model;
pub use domain::legal::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;

/// The legal texts shipped with the portal, loaded into a new database.
#[cfg(feature = "ssr")]
pub fn shipped() -> Result<model::ShippedLegal, serde_json::Error> {
    serde_json::from_str(include_str!("content.json"))
}
