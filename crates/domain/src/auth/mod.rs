//! Accounts: who is calling, and the e-mail, password and session rules.

pub mod mfa;
pub mod model;
pub mod rules;
