//! Validation of a change request: every filled field must be valid on its own, at least one
//! must be filled, and a reason is required.

use crate::auth::rules::normalise_email;
use crate::change::model::ChangeForm;
use crate::error::FieldErrors;
use crate::org::model::Country;
use crate::org::rules::EnterpriseNumber;
use crate::registration::{MAX_TEXT_CHARS, enterprise_number_code};

/// Longest explanation accepted.
pub const MAX_NOTE_CHARS: usize = 2000;

/// A change request that passed its checks: `None` leaves a field unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidChange {
    pub legal_name: Option<String>,
    /// Normalised.
    pub enterprise_number: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub contact_email: Option<String>,
    pub note: String,
}

fn optional_text(value: &str) -> Result<Option<String>, &'static str> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        Ok(None)
    } else if value.chars().count() > MAX_TEXT_CHARS {
        Err("too_long")
    } else {
        Ok(Some(value))
    }
}

/// Checks `form` for an organisation registered in `country`.
pub fn validate_change(form: &ChangeForm, country: Country) -> Result<ValidChange, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut keep = |field: &str, result: Result<Option<String>, &'static str>| match result {
        Ok(value) => value,
        Err(code) => {
            errors.entry(field.to_owned()).or_default().push(code.to_owned());
            None
        }
    };
    let legal_name = keep("legal_name", optional_text(&form.legal_name));
    let enterprise_number = keep(
        "enterprise_number",
        if form.enterprise_number.trim().is_empty() {
            Ok(None)
        } else {
            EnterpriseNumber::parse(country, &form.enterprise_number)
                .map(|n| Some(n.as_str().to_owned()))
                .map_err(enterprise_number_code)
        },
    );
    let street = keep("street", optional_text(&form.street));
    let postal_code = keep(
        "postal_code",
        match form.postal_code.trim() {
            "" => Ok(None),
            code => {
                let digits = code.strip_prefix("L-").unwrap_or(code);
                if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
                    Ok(Some(digits.to_owned()))
                } else {
                    Err("postal_code_invalid")
                }
            }
        },
    );
    let city = keep("city", optional_text(&form.city));
    let contact_email = keep(
        "contact_email",
        if form.contact_email.trim().is_empty() {
            Ok(None)
        } else {
            normalise_email(&form.contact_email).map(Some)
        },
    );
    let note = form.note.trim().to_owned();
    if note.is_empty() {
        errors.entry("note".into()).or_default().push("required".into());
    } else if note.chars().count() > MAX_NOTE_CHARS {
        errors.entry("note".into()).or_default().push("too_long".into());
    }
    let change = ValidChange {
        legal_name,
        enterprise_number,
        street,
        postal_code,
        city,
        contact_email,
        note,
    };
    let nothing = change.legal_name.is_none()
        && change.enterprise_number.is_none()
        && change.street.is_none()
        && change.postal_code.is_none()
        && change.city.is_none()
        && change.contact_email.is_none();
    if nothing && errors.keys().all(|k| k == "note") {
        errors.entry("form".into()).or_default().push("change_nothing".into());
    }
    if errors.is_empty() { Ok(change) } else { Err(errors) }
}

/// Whether `change` needs its supporting document: a new legal name or enterprise number
/// changes who the organisation is, so it needs the amended statutes (or the official
/// publication). A new address or contact e-mail is taken on the organisation's word, a
/// document being welcome but optional.
pub fn needs_document(change: &ValidChange) -> bool {
    change.legal_name.is_some() || change.enterprise_number.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_name_or_number_needs_the_document_an_address_does_not() {
        let base = ValidChange {
            note: "x".into(),
            ..Default::default()
        };
        let with = |f: fn(&mut ValidChange)| {
            let mut change = base.clone();
            f(&mut change);
            needs_document(&change)
        };
        assert!(with(|c| c.legal_name = Some("Nouveau nom".into())));
        assert!(with(|c| c.enterprise_number = Some("0412345614".into())));
        assert!(with(|c| {
            c.legal_name = Some("Nouveau nom".into());
            c.city = Some("Namur".into());
        }));
        assert!(!with(|c| c.street = Some("Rue Neuve 5".into())));
        assert!(!with(|c| c.contact_email = Some("a@b.example".into())));
        assert!(!with(|c| c.postal_code = Some("1000".into())));
    }

    #[test]
    fn only_the_filled_fields_change_and_each_is_checked() {
        let form = ChangeForm {
            street: "  Rue  Neuve 5 ".into(),
            postal_code: "1000".into(),
            city: "Bruxelles".into(),
            note: "Déménagement au 1er janvier".into(),
            ..Default::default()
        };
        let change = validate_change(&form, Country::BE).unwrap();
        assert_eq!(change.street.as_deref(), Some("Rue Neuve 5"));
        assert_eq!(change.legal_name, None);
        assert_eq!(change.enterprise_number, None);

        let bad = ChangeForm {
            enterprise_number: "0412.345.615".into(),
            contact_email: "pas-une-adresse".into(),
            note: "x".into(),
            ..Default::default()
        };
        let errors = validate_change(&bad, Country::BE).unwrap_err();
        assert_eq!(errors["enterprise_number"], vec!["enterprise_number_checksum"]);
        assert_eq!(errors["contact_email"], vec!["email_invalid"]);
    }

    #[test]
    fn an_empty_request_or_one_without_a_reason_is_refused() {
        let errors = validate_change(
            &ChangeForm {
                note: "rien".into(),
                ..Default::default()
            },
            Country::BE,
        )
        .unwrap_err();
        assert_eq!(errors["form"], vec!["change_nothing"]);
        let errors = validate_change(
            &ChangeForm {
                city: "Namur".into(),
                ..Default::default()
            },
            Country::BE,
        )
        .unwrap_err();
        assert_eq!(errors["note"], vec!["required"]);
    }
}
