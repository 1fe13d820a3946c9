//! The join form's checks: a name, an e-mail, an enterprise number of either country, and an
//! optional message of bounded length.

use crate::FieldErrors;
use crate::auth::rules::normalise_email;
use crate::join::model::{JoinForm, MAX_JOIN_MESSAGE_CHARS};
use crate::org::model::Country;
use crate::org::rules::EnterpriseNumber;
use crate::registration::{MAX_TEXT_CHARS, enterprise_number_code};

/// A join form that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidJoin {
    pub full_name: String,
    /// Lower-cased.
    pub email: String,
    /// Normalised, as the organisation table stores it.
    pub enterprise_number: String,
    pub message: String,
}

/// Checks every field at once, so the form shows every mistake together. A number is read as
/// Belgian first, then as a Luxembourg RCS number; the Belgian reading's mistake is reported.
pub fn validate_join(form: &JoinForm) -> Result<ValidJoin, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut refuse = |field: &str, code: &str| errors.entry(field.to_owned()).or_default().push(code.to_owned());
    let full_name = form.full_name.trim().to_owned();
    if full_name.is_empty() {
        refuse("full_name", "required");
    } else if full_name.chars().count() > MAX_TEXT_CHARS {
        refuse("full_name", "too_long");
    }
    let email = normalise_email(&form.email).unwrap_or_else(|code| {
        refuse("email", code);
        String::new()
    });
    let raw = form.enterprise_number.trim();
    let enterprise_number = if raw.is_empty() {
        refuse("enterprise_number", "required");
        String::new()
    } else {
        match EnterpriseNumber::parse(Country::BE, raw)
            .or_else(|be| EnterpriseNumber::parse(Country::LU, raw).map_err(|_| be))
        {
            Ok(number) => number.as_str().to_owned(),
            Err(error) => {
                refuse("enterprise_number", enterprise_number_code(error));
                String::new()
            }
        }
    };
    let message = form.message.trim().to_owned();
    if message.chars().count() > MAX_JOIN_MESSAGE_CHARS {
        refuse("message", "too_long");
    }
    if errors.is_empty() {
        Ok(ValidJoin {
            full_name,
            email,
            enterprise_number,
            message,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(number: &str) -> JoinForm {
        JoinForm {
            full_name: " Nadia El Amrani ".into(),
            email: "Nadia@Example.org".into(),
            enterprise_number: number.into(),
            message: "Je coordonne les bénévoles.".into(),
        }
    }

    #[test]
    fn a_good_form_is_normalised() {
        let valid = validate_join(&form("0412.345.614")).unwrap();
        assert_eq!(valid.full_name, "Nadia El Amrani");
        assert_eq!(valid.email, "nadia@example.org");
        assert_eq!(valid.enterprise_number, "0412345614");
    }

    #[test]
    fn a_luxembourg_number_is_accepted() {
        assert!(validate_join(&form("B123456")).is_ok());
    }

    #[test]
    fn every_mistake_is_reported_at_once() {
        let errors = validate_join(&JoinForm {
            full_name: "  ".into(),
            email: "pas une adresse".into(),
            enterprise_number: "0412.345.615".into(),
            message: "x".repeat(MAX_JOIN_MESSAGE_CHARS + 1),
        })
        .unwrap_err();
        assert_eq!(errors["full_name"], ["required"]);
        assert_eq!(errors["email"], ["email_invalid"]);
        assert_eq!(errors["enterprise_number"], ["enterprise_number_checksum"]);
        assert_eq!(errors["message"], ["too_long"]);
    }

    #[test]
    fn the_message_may_be_empty_and_is_bounded() {
        let mut f = form("0412.345.614");
        f.message = String::new();
        assert!(validate_join(&f).is_ok());
        f.message = "é".repeat(MAX_JOIN_MESSAGE_CHARS);
        assert!(validate_join(&f).is_ok(), "the limit counts characters, not bytes");
    }
}
