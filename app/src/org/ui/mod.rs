//! Registration, "Mon organisation" and the staff review pages.
//!
//! One file a page or card: `register` (step 1 of the registration), `account` ("Mon
//! organisation") with its cards in `documents`, `appeal` and `members`, and for staff
//! `queue`, `review` with its `matrix`, `import`, `inquiry` and `requalify`. The shared form
//! fields are in `crate::ui::forms`; the labels several pages print are here.

use crate::i18n::*;
use crate::order::invoice::VatStatus;
use crate::org::model::{EligibilityStatus, LegalForm};
use leptos::prelude::Signal;

mod account;
mod appeal;
mod documents;
mod import;
mod inquiry;
mod matrix;
mod members;
mod queue;
mod register;
mod requalify;
mod review;

pub use account::AccountPage;
pub use import::ImportPage;
pub use inquiry::InquiryPage;
pub use queue::ReviewQueuePage;
pub use register::{RegisterPage, RegistrationConfirmPage};
pub use requalify::RequalifyPage;
pub use review::ReviewSections;

pub fn legal_form_label(i18n: leptos_i18n::I18nContext<Locale>, form: LegalForm) -> String {
    match form {
        LegalForm::Asbl => t_string!(i18n, org.form_asbl).to_string(),
        LegalForm::Aisbl => t_string!(i18n, org.form_aisbl).to_string(),
        LegalForm::Fondation => t_string!(i18n, org.form_fondation).to_string(),
        LegalForm::BibliothequePublique => t_string!(i18n, org.form_bibliotheque).to_string(),
        LegalForm::EcoleEnseignementSpecialise => t_string!(i18n, org.form_ecole).to_string(),
    }
}

pub fn mission_label(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "social_cohesion" => t_string!(i18n, mission.social_cohesion).to_string(),
        "disability_inclusion" => t_string!(i18n, mission.disability_inclusion).to_string(),
        "health" => t_string!(i18n, mission.health).to_string(),
        "culture_education" => t_string!(i18n, mission.culture_education).to_string(),
        "special_education" => t_string!(i18n, mission.special_education).to_string(),
        "youth" => t_string!(i18n, mission.youth).to_string(),
        "environment" => t_string!(i18n, mission.environment).to_string(),
        "international_cooperation" => t_string!(i18n, mission.international_cooperation).to_string(),
        "human_rights" => t_string!(i18n, mission.human_rights).to_string(),
        "sport_leisure" => t_string!(i18n, mission.sport_leisure).to_string(),
        _ => t_string!(i18n, mission.other).to_string(),
    }
}

pub fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: EligibilityStatus) -> String {
    match status {
        EligibilityStatus::Pending => t_string!(i18n, org.status_pending).to_string(),
        EligibilityStatus::InfoRequested => t_string!(i18n, org.status_info_requested).to_string(),
        EligibilityStatus::Eligible => t_string!(i18n, org.status_eligible).to_string(),
        EligibilityStatus::Rejected => t_string!(i18n, org.status_rejected).to_string(),
    }
}

/// "Statut TVA" in the reader's language.
pub fn vat_status_label(i18n: leptos_i18n::I18nContext<Locale>, status: VatStatus) -> String {
    match status {
        VatStatus::None => t_string!(i18n, org.vat_none).to_string(),
        VatStatus::Exempt => t_string!(i18n, org.vat_exempt).to_string(),
        VatStatus::Franchise => t_string!(i18n, org.vat_franchise).to_string(),
        VatStatus::Taxable => t_string!(i18n, org.vat_taxable).to_string(),
        VatStatus::Mixed => t_string!(i18n, org.vat_mixed).to_string(),
    }
}

/// The five VAT statuses as (value, label) options of a select.
pub fn vat_status_options(i18n: leptos_i18n::I18nContext<Locale>) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        VatStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), vat_status_label(i18n, *s)))
            .collect()
    })
}

/// A partner's verdict on an organisation: qualified, not qualified or not decided yet.
pub fn qualification_label(i18n: leptos_i18n::I18nContext<Locale>, qualified: Option<bool>) -> String {
    match qualified {
        Some(true) => t_string!(i18n, account.qualified).to_string(),
        Some(false) => t_string!(i18n, account.not_qualified).to_string(),
        None => t_string!(i18n, account.undecided).to_string(),
    }
}
