//! Order types shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// Where an order stands. Staff move it forward; cancelled and refunded are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed with "Continuer"; reserves its quota until paid, cancelled or expired.
    Submitted,
    Paid,
    /// Sent to the partner; no cancellation after this.
    Transmitted,
    /// Keys available, code e-mailed or hardware shipped.
    Fulfilled,
    Cancelled,
    Refunded,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Submitted => "submitted",
            OrderStatus::Paid => "paid",
            OrderStatus::Transmitted => "transmitted",
            OrderStatus::Fulfilled => "fulfilled",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
        }
    }
}

/// Software and hardware are never in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderCategory {
    Software,
    Hardware,
}

impl OrderCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderCategory::Software => "software",
            OrderCategory::Hardware => "hardware",
        }
    }
}
