//! A person's own account ("Paramètres du compte"), for everyone who logs in, staff too:
//! change the password, the name and the login e-mail (through a link to the new address).

pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
