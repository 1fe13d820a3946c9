//! "Panier": the organisation's cart, kept in the database so that it follows its members from
//! one device to the next. The page itself is in [`crate::quota::ui`], beside the allowance
//! meter it feeds.

pub mod api;
pub use domain::cart::model;

#[cfg(feature = "ssr")]
pub mod db;
