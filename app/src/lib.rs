//! The donation portal's isomorphic application: components, `#[server]` functions and the
//! domain modules. Built twice: with `ssr` into the server binary, with `hydrate` into WASM.
//!
//! Each domain module has the same rooms: `model` (serde types shared with the browser),
//! `rules` (pure functions), `api` (`#[server]` functions), `db` (SQL, server only) and `ui`
//! (components). `model` and `rules` are re-exported from the `domain` crate, which has no
//! web framework, database or runtime to reach for.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod account;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod cart;
pub mod catalog;
pub mod change;
pub mod contact;
pub mod deadline;
pub mod directory;
pub mod error;
pub mod help;
pub mod home;
pub mod inquiry;
pub mod join;
pub mod legal;
pub mod mail;
pub mod migration;
pub mod order;
pub mod org;
pub mod payment;
pub mod privacy;
pub mod programme;
pub mod quota;
pub mod token;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod page_cache;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod testing;

pub use domain::{calendar, money};
pub use ui::app::App;
#[cfg(feature = "ssr")]
pub use ui::app::shell;

/// The domain crate cannot see the generated `Locale`; its functions take `impl Into<Lang>`,
/// so callers pass a `Locale` as before.
impl From<i18n::Locale> for domain::Lang {
    fn from(locale: i18n::Locale) -> Self {
        match locale {
            i18n::Locale::fr => domain::Lang::Fr,
            i18n::Locale::nl => domain::Lang::Nl,
            i18n::Locale::en => domain::Lang::En,
        }
    }
}
