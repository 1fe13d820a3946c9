//! Agents scoped to partners (issue 24): an agent may be limited to the orders of some
//! partners (a "Cisco desk"). The scope is read from the database on every call that touches
//! orders, so a change applies at the caller's next request.
//!
//! What the scope covers: every order, its documents (invoice, credit notes, e-invoices), its
//! refund requests and its money when a call names one of its orders or invoices. Calls that
//! span every partner's money at once (the bank statement import, the payments desk and its
//! unmatched payments, the refund money queue, the accountant's archive) are refused to a
//! scoped agent: they would show other partners' orders. Work that is not about orders
//! (eligibility reviews, qualifications, inquiries, change requests) stays open to every
//! agent, as before: the programme's review work is not split per partner, and a desk for one
//! partner still qualifies organisations for it.

use crate::auth::model::CurrentUser;
use crate::error::AppError;
use crate::org::model::StaffRole;
use crate::state::AppState;

/// Which orders a staff member may see and act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderScope {
    /// Every order: admins, and agents with no partner set.
    All,
    /// Orders whose lines all belong to these partners (ids, sorted).
    Partners(Vec<String>),
}

impl OrderScope {
    /// The partners, when limited.
    pub fn partners(&self) -> Option<&[String]> {
        match self {
            OrderScope::All => None,
            OrderScope::Partners(partners) => Some(partners),
        }
    }

    pub fn is_limited(&self) -> bool {
        matches!(self, OrderScope::Partners(_))
    }
}

/// The scope of `user` (staff). Admins are never scoped: they manage the staff themselves.
pub async fn order_scope(state: &AppState, user: &CurrentUser) -> Result<OrderScope, AppError> {
    if user.staff_role != Some(StaffRole::Agent) {
        return Ok(OrderScope::All);
    }
    let partners = crate::auth::db::partner_scope(&state.db, &user.person_id).await?;
    Ok(if partners.is_empty() {
        OrderScope::All
    } else {
        OrderScope::Partners(partners)
    })
}

/// Staff whose scope is every order: the calls that span all partners' money at once.
/// A scoped agent gets `Forbidden`.
pub async fn require_unscoped_staff() -> Result<(AppState, CurrentUser), AppError> {
    let (state, user) = crate::auth::session::require_staff().await?;
    if order_scope(&state, &user).await?.is_limited() {
        return Err(AppError::Forbidden);
    }
    Ok((state, user))
}
