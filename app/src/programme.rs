//! The programme's public identity (name, contacts, bank details), configured per deployment
//! so that any programme of this kind can run the portal.

use serde::{Deserialize, Serialize};

/// What the pages and invoices show about the programme itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeInfo {
    pub name: String,
    pub legal_name: String,
    /// The holder's name of the programme's bank account, exactly as the bank writes it: the
    /// beneficiary a "scan to pay" code names, which the payer's bank may compare with the
    /// account's (`PROGRAMME_ACCOUNT_HOLDER`, by default the legal name).
    pub account_holder: String,
    pub postal_address: String,
    pub enterprise_number: String,
    pub support_email: String,
    pub iban: String,
    pub bic: String,
    /// VAT rate in basis points (2100 = 21 %).
    pub vat_rate_bps: u32,
}
