//! "Rejoindre mon organisation": someone whose organisation is already registered asks to
//! join it. The account holder approves (an invitation as member goes out through the usual
//! invitation flow) or refuses; when the holder is gone, staff decide with a supporting
//! document, and may make the requester the holder.

pub mod api;
pub use domain::join::model;
pub use domain::join::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod files;
