//! Pure rules of registration: the form as typed, and its validation into values the
//! database accepts. Errors are per field, as stable codes the UI translates.

use crate::auth::rules::{check_password, normalise_email};
use crate::error::FieldErrors;
use crate::invoice::{VatStatus, parse_vat_number};
use crate::org::model::{Country, LegalForm, MISSION_CATEGORIES};
use crate::org::rules::{EnterpriseNumber, EnterpriseNumberError};
use serde::{Deserialize, Serialize};

/// Largest uploaded document (statutes, evidence): 5 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;
/// Longest free-text value (names, street).
pub const MAX_TEXT_CHARS: usize = 200;

/// The registration form as typed. Every field is a string so that nothing typed is lost
/// when the form comes back with errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub legal_name: String,
    pub legal_form: String,
    pub country: String,
    pub enterprise_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_email: String,
    pub mission_category: String,
    pub holder_name: String,
    pub holder_email: String,
    pub password: String,
    /// "Statut TVA": one of [`VatStatus::ALL`]; empty reads as `none` (forms stored or sent
    /// before the question existed).
    #[serde(default)]
    pub vat_status: String,
    /// "Numéro de TVA": optional, required for a registered status.
    #[serde(default)]
    pub vat_number: String,
}

impl RegistrationForm {
    /// Sets a field by its form name; unknown names are ignored.
    pub fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "legal_name" => &mut self.legal_name,
            "legal_form" => &mut self.legal_form,
            "country" => &mut self.country,
            "enterprise_number" => &mut self.enterprise_number,
            "street" => &mut self.street,
            "postal_code" => &mut self.postal_code,
            "city" => &mut self.city,
            "contact_email" => &mut self.contact_email,
            "mission_category" => &mut self.mission_category,
            "holder_name" => &mut self.holder_name,
            "holder_email" => &mut self.holder_email,
            "password" => &mut self.password,
            "vat_status" => &mut self.vat_status,
            "vat_number" => &mut self.vat_number,
            _ => return,
        };
        *slot = value;
    }
}

/// A registration that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub legal_name: String,
    pub legal_form: LegalForm,
    pub enterprise_number: EnterpriseNumber,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_email: String,
    pub mission_category: String,
    pub holder_name: String,
    pub holder_email: String,
    pub password: String,
    pub vat_status: VatStatus,
    /// Normalised (`BE0412345614`); only for a registered status.
    pub vat_number: Option<String>,
}

/// The error code of a refused enterprise number.
pub fn enterprise_number_code(error: EnterpriseNumberError) -> &'static str {
    match error {
        EnterpriseNumberError::BelgianLength => "enterprise_number_length",
        EnterpriseNumberError::BelgianFirstDigit => "enterprise_number_first_digit",
        EnterpriseNumberError::BelgianChecksum => "enterprise_number_checksum",
        EnterpriseNumberError::LuxembourgFormat => "enterprise_number_rcs",
    }
}

/// An organisation's VAT status and number, checked together, as registration and staff
/// set them. A registered status (franchise, taxable, mixed) needs a VAT number; any number
/// given must be one; a Belgian organisation's is "BE" + its own enterprise number (when that
/// is known to be valid). A status that is not registered keeps no number. Errors are
/// `(field, code)`.
pub fn validate_vat(
    status: &str,
    number: &str,
    enterprise_number: Option<&EnterpriseNumber>,
) -> Result<(VatStatus, Option<String>), (&'static str, &'static str)> {
    let status = if status.trim().is_empty() {
        VatStatus::None
    } else {
        VatStatus::parse(status).ok_or(("vat_status", "choose_one"))?
    };
    let number = if number.trim().is_empty() {
        None
    } else {
        Some(parse_vat_number(number).ok_or(("vat_number", "vat_number_invalid"))?)
    };
    if let (Some(number), Some(enterprise)) = (&number, enterprise_number)
        && enterprise.country() == Country::BE
        && number.strip_prefix("BE") != Some(enterprise.as_str())
    {
        return Err(("vat_number", "vat_number_invalid"));
    }
    match number {
        None if status.registered() => Err(("vat_number", "vat_number_required")),
        number => Ok((status, number.filter(|_| status.registered()))),
    }
}

/// A required single-line text: trimmed, inner whitespace collapsed, bounded.
fn text(value: &str) -> Result<String, &'static str> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        Err("required")
    } else if value.chars().count() > MAX_TEXT_CHARS {
        Err("too_long")
    } else {
        Ok(value)
    }
}

/// Belgian and Luxembourg postal codes have four digits (`L-1234` is accepted).
fn postal_code(value: &str) -> Result<String, &'static str> {
    let value = value.trim();
    let digits = value
        .strip_prefix("L-")
        .or_else(|| value.strip_prefix("l-"))
        .unwrap_or(value);
    if digits.is_empty() {
        Err("required")
    } else if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits.to_owned())
    } else {
        Err("postal_code_invalid")
    }
}

/// Checks every field and reports all errors at once.
pub fn validate_registration(form: &RegistrationForm) -> Result<ValidRegistration, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut check = |field: &str, result: Result<String, &'static str>| match result {
        Ok(value) => Some(value),
        Err(code) => {
            errors.entry(field.to_owned()).or_default().push(code.to_owned());
            None
        }
    };
    let legal_name = check("legal_name", text(&form.legal_name));
    let legal_form = check(
        "legal_form",
        LegalForm::parse(&form.legal_form)
            .map(|f| f.as_str().to_owned())
            .ok_or("choose_one"),
    );
    let country = check(
        "country",
        Country::parse(&form.country)
            .map(|c| c.as_str().to_owned())
            .ok_or("choose_one"),
    );
    let enterprise_number = match Country::parse(&form.country) {
        Some(country) if !form.enterprise_number.trim().is_empty() => check(
            "enterprise_number",
            EnterpriseNumber::parse(country, &form.enterprise_number)
                .map(|n| n.as_str().to_owned())
                .map_err(enterprise_number_code),
        ),
        Some(_) => check("enterprise_number", Err("required")),
        None => None,
    };
    let street = check("street", text(&form.street));
    let postal_code = check("postal_code", postal_code(&form.postal_code));
    let city = check("city", text(&form.city));
    let contact_email = check("contact_email", normalise_email(&form.contact_email));
    let mission_category = check(
        "mission_category",
        MISSION_CATEGORIES
            .iter()
            .find(|c| **c == form.mission_category)
            .map(|c| (*c).to_owned())
            .ok_or("choose_one"),
    );
    let holder_name = check("holder_name", text(&form.holder_name));
    let holder_email = check("holder_email", normalise_email(&form.holder_email));
    let password = check(
        "password",
        check_password(&form.password).map(|()| form.password.clone()),
    );
    let enterprise =
        Country::parse(&form.country).and_then(|c| EnterpriseNumber::parse(c, &form.enterprise_number).ok());
    let vat = match validate_vat(&form.vat_status, &form.vat_number, enterprise.as_ref()) {
        Ok(vat) => Some(vat),
        Err((field, code)) => {
            errors.entry(field.to_owned()).or_default().push(code.to_owned());
            None
        }
    };

    match (
        legal_name,
        legal_form.as_deref().and_then(LegalForm::parse),
        country.as_deref().and_then(Country::parse),
        enterprise_number,
        street,
        postal_code,
        city,
        contact_email,
        mission_category,
        holder_name,
        holder_email,
        password,
        vat,
    ) {
        (
            Some(legal_name),
            Some(legal_form),
            Some(country),
            Some(number),
            Some(street),
            Some(postal_code),
            Some(city),
            Some(contact_email),
            Some(mission_category),
            Some(holder_name),
            Some(holder_email),
            Some(password),
            Some((vat_status, vat_number)),
        ) if errors.is_empty() => {
            let enterprise_number = EnterpriseNumber::parse(country, &number).map_err(|error| {
                let mut errors = FieldErrors::new();
                errors.insert("enterprise_number".into(), vec![enterprise_number_code(error).into()]);
                errors
            })?;
            Ok(ValidRegistration {
                legal_name,
                legal_form,
                enterprise_number,
                street,
                postal_code,
                city,
                contact_email,
                mission_category,
                holder_name,
                holder_email,
                password,
                vat_status,
                vat_number,
            })
        }
        _ => Err(errors),
    }
}

/// The content type of an uploaded document, recognised from its content (the name and the
/// browser's claim are not trusted): a PDF, PNG or JPEG that starts and ends as one, and
/// carries no HTML. A file that is also a page or a script (a polyglot: a PDF header with an
/// HTML body, data appended after a PNG's last chunk) is refused, whatever it starts with.
pub fn sniff_document(bytes: &[u8]) -> Option<&'static str> {
    /// A PDF reader looks for `%%EOF` this near the end.
    const PDF_TAIL: usize = 1024;
    let tail = |n: usize| &bytes[bytes.len().saturating_sub(n)..];
    let content_type = if bytes.starts_with(b"%PDF-") && contains(tail(PDF_TAIL), b"%%EOF") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.ends_with(b"IEND\xAE\x42\x60\x82") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && bytes.ends_with(&[0xFF, 0xD9]) {
        "image/jpeg"
    } else {
        return None;
    };
    (!carries_markup(bytes)).then_some(content_type)
}

/// Whether `bytes` hold the start of an HTML document, a script or an SVG image, in any case:
/// what a browser sniffing the content would take for a page.
fn carries_markup(bytes: &[u8]) -> bool {
    const MARKERS: [&[u8]; 5] = [b"<html", b"<script", b"<!doctype html", b"<svg", b"<iframe"];
    bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'<')
        .any(|(at, _)| {
            let rest = &bytes[at..];
            MARKERS.iter().any(|marker| {
                rest.get(..marker.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(marker))
            })
        })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// A file name safe to send back in a `Content-Disposition` header.
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() {
        "document".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_form() -> RegistrationForm {
        RegistrationForm {
            legal_name: "  Les   Amis du Parc ASBL ".into(),
            legal_form: "asbl".into(),
            country: "BE".into(),
            enterprise_number: "BE 0412.345.614".into(),
            street: "Rue du Parc 1".into(),
            postal_code: "1000".into(),
            city: "Bruxelles".into(),
            contact_email: "Info@AmisDuParc.be".into(),
            mission_category: "youth".into(),
            holder_name: "Anne Peeters".into(),
            holder_email: "anne@amisduparc.be".into(),
            password: "un long mot de passe".into(),
            ..RegistrationForm::default()
        }
    }

    #[test]
    fn a_valid_form_is_normalised() {
        let valid = validate_registration(&valid_form()).unwrap();
        assert_eq!(valid.legal_name, "Les Amis du Parc ASBL");
        assert_eq!(valid.enterprise_number.as_str(), "0412345614");
        assert_eq!(valid.contact_email, "info@amisduparc.be");
    }

    #[test]
    fn every_error_is_reported_on_its_field() {
        let mut form = valid_form();
        form.enterprise_number = "0412.345.615".into();
        form.postal_code = "10000".into();
        form.contact_email = "nope".into();
        form.password = "court".into();
        form.legal_form = "sprl".into();
        let errors = validate_registration(&form).unwrap_err();
        assert_eq!(errors["enterprise_number"], vec!["enterprise_number_checksum"]);
        assert_eq!(errors["postal_code"], vec!["postal_code_invalid"]);
        assert_eq!(errors["contact_email"], vec!["email_invalid"]);
        assert_eq!(errors["password"], vec!["password_too_short"]);
        assert_eq!(errors["legal_form"], vec!["choose_one"]);
        assert_eq!(errors.len(), 5);
    }

    #[test]
    fn an_empty_form_asks_for_everything() {
        let errors = validate_registration(&RegistrationForm::default()).unwrap_err();
        for field in [
            "legal_name",
            "legal_form",
            "country",
            "street",
            "postal_code",
            "city",
            "contact_email",
        ] {
            assert!(errors.contains_key(field), "{field} should be reported");
        }
    }

    #[test]
    fn luxembourg_uses_the_rcs_form() {
        let mut form = valid_form();
        form.country = "LU".into();
        form.enterprise_number = "f 1234".into();
        form.postal_code = "L-1234".into();
        let valid = validate_registration(&form).unwrap();
        assert_eq!(valid.enterprise_number.as_str(), "F1234");
        assert_eq!(valid.postal_code, "1234");
        form.enterprise_number = "0412345614".into();
        assert_eq!(
            validate_registration(&form).unwrap_err()["enterprise_number"],
            vec!["enterprise_number_rcs"]
        );
    }

    #[test]
    fn the_vat_status_is_asked_with_its_number() {
        let mut form = valid_form();
        // Not asked (a form from before the question): not registered, no number.
        let valid = validate_registration(&form).unwrap();
        assert_eq!((valid.vat_status, valid.vat_number), (VatStatus::None, None));
        form.vat_status = "taxable".into();
        form.vat_number = "be 0412.345.614".into();
        let valid = validate_registration(&form).unwrap();
        assert_eq!(valid.vat_status, VatStatus::Taxable);
        assert_eq!(valid.vat_number.as_deref(), Some("BE0412345614"));
        form.vat_number = " ".into();
        assert_eq!(
            validate_registration(&form).unwrap_err()["vat_number"],
            vec!["vat_number_required"]
        );
        form.vat_status = "charity".into();
        assert_eq!(
            validate_registration(&form).unwrap_err()["vat_status"],
            vec!["choose_one"]
        );
    }

    #[test]
    fn vat_rules_table() {
        let be = EnterpriseNumber::parse(Country::BE, "0412.345.614").unwrap();
        let lu = EnterpriseNumber::parse(Country::LU, "F1234").unwrap();
        let ok = |status, number: Option<&str>| Ok((status, number.map(str::to_owned)));
        let required = || Err(("vat_number", "vat_number_required"));
        let invalid = || Err(("vat_number", "vat_number_invalid"));
        let cases = [
            ("", "", Some(&be), ok(VatStatus::None, None)),
            ("none", "", Some(&be), ok(VatStatus::None, None)),
            ("exempt", "", Some(&be), ok(VatStatus::Exempt, None)),
            ("franchise", "", Some(&be), required()),
            ("taxable", "", Some(&be), required()),
            ("mixed", "", Some(&be), required()),
            (
                "franchise",
                "BE0412345614",
                Some(&be),
                ok(VatStatus::Franchise, Some("BE0412345614")),
            ),
            (
                "mixed",
                "BE 0412 345 614",
                Some(&be),
                ok(VatStatus::Mixed, Some("BE0412345614")),
            ),
            // A number that is not one, whatever the status.
            ("taxable", "0412345614", Some(&be), invalid()),
            ("none", "BE12", Some(&be), invalid()),
            ("taxable", "FR12345678901", Some(&be), invalid()),
            // A Belgian organisation's number is its own enterprise number.
            ("taxable", "BE0123456749", Some(&be), invalid()),
            ("taxable", "LU12345678", Some(&be), invalid()),
            // Luxembourg: LU + 8 digits.
            (
                "taxable",
                "LU12345678",
                Some(&lu),
                ok(VatStatus::Taxable, Some("LU12345678")),
            ),
            // Not registered: a valid number is not kept.
            ("exempt", "BE0412345614", Some(&be), ok(VatStatus::Exempt, None)),
            // The enterprise number is unknown (itself refused): the number is still parsed.
            (
                "taxable",
                "BE0123456749",
                None,
                ok(VatStatus::Taxable, Some("BE0123456749")),
            ),
            ("bogus", "", Some(&be), Err(("vat_status", "choose_one"))),
        ];
        for (status, number, enterprise, expected) in cases {
            assert_eq!(
                validate_vat(status, number, enterprise),
                expected,
                "{status} {number:?}"
            );
        }
    }

    #[test]
    fn documents_are_recognised_by_content() {
        let png_end = b"\0\0\0\0IEND\xAE\x42\x60\x82";
        let png = [&b"\x89PNG\r\n\x1a\n...."[..], png_end].concat();
        assert_eq!(sniff_document(b"%PDF-1.7 ...\n%%EOF\n"), Some("application/pdf"));
        assert_eq!(sniff_document(&png), Some("image/png"));
        assert_eq!(
            sniff_document(&[0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9]),
            Some("image/jpeg")
        );
        assert_eq!(sniff_document(b"MZ\x90\x00 an executable"), None);
        assert_eq!(sniff_document(b""), None);
        // Cut short: no end of document.
        assert_eq!(sniff_document(b"%PDF-1.7 ..."), None);
        assert_eq!(sniff_document(b"\x89PNG\r\n\x1a\n...."), None);
        assert_eq!(sniff_document(&[0xFF, 0xD8, 0xFF, 0xE0]), None);
        // The %%EOF of a PDF may have a little after it, but not a whole other file.
        let late = [&b"%PDF-1.7\n%%EOF\n"[..], &[b' '; 2048]].concat();
        assert_eq!(sniff_document(&late), None);
        // Polyglots: a page or a script inside, or after the last PNG chunk.
        for markup in [
            "<html>",
            "<SCRIPT src=x>",
            "<!DOCTYPE html>",
            "<svg onload=x>",
            "<iframe>",
        ] {
            let pdf = format!("%PDF-1.7\n{markup}\n%%EOF\n");
            assert_eq!(sniff_document(pdf.as_bytes()), None, "{markup}");
            let png = [&b"\x89PNG\r\n\x1a\n"[..], markup.as_bytes(), png_end].concat();
            assert_eq!(sniff_document(&png), None, "{markup}");
        }
        let appended = [&png[..], b"<html>"].concat();
        assert_eq!(sniff_document(&appended), None);
        // A markup-like word that is not one passes.
        assert_eq!(
            sniff_document(b"%PDF-1.7\n<htm\n<scrip\n%%EOF"),
            Some("application/pdf")
        );
        assert_eq!(safe_file_name("C:\\docs\\statuts \"2024\".pdf"), "statuts 2024.pdf");
        assert_eq!(safe_file_name("../../"), "document");
    }
}
