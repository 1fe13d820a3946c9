//! Accounts: login and logout, sessions kept in the database, password resets, and the
//! guards every server function uses to authorise its caller.

pub mod api;
pub mod mfa_api;
pub mod mfa_ui;
pub use domain::auth::model;
pub use domain::auth::rules;
pub mod staff_api;
pub mod staff_ui;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod limit;
#[cfg(feature = "ssr")]
pub mod login_form;
#[cfg(feature = "ssr")]
pub mod mfa;
#[cfg(feature = "ssr")]
pub mod mfa_db;
#[cfg(feature = "ssr")]
pub mod scope;
#[cfg(feature = "ssr")]
pub mod session;
