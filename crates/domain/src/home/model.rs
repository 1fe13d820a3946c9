//! Home page types.

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// The programme's public figures, computed from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeCounters {
    /// Organisations registered, whatever their review state.
    pub organisations: i64,
    /// Σ (commercial value − administrative fee) over the lines of fulfilled orders.
    pub saved: Money,
    /// Σ quantities of the lines of fulfilled orders.
    pub products_distributed: i64,
}
