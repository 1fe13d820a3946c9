//! The app shell: routes, header, footer, language switch and shared components.

pub mod app;
#[cfg(feature = "ssr")]
pub mod bundle;
pub mod chart;
pub mod dates;
pub mod forms;
pub mod islands;
pub mod layout;
pub mod not_found;
pub mod org_link;
pub mod pager;
pub mod title;
pub mod url;
