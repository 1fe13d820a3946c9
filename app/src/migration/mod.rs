//! The migration import (issue 24): an existing programme's organisations, people,
//! qualifications, partner documents, past orders and home-counter offsets, from CSV files
//! (`docs/migration-import.md`). The files' checks are pure (`domain::migration`); `run`
//! writes each organisation in its own transaction, or rolls it back in a dry run. Staff
//! upload the files on `/admin/import` (dry run first, then "Importer"); big files go
//! through `server import-migration DIR`.

pub use domain::migration::model;
pub use domain::migration::parse::decode;

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod run;
pub mod ui;
