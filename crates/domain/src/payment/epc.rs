//! "Scan to pay": the text of an EPC QR code (EPC069-12, "BCD" version 002), which Belgian
//! banking apps read to fill in a SEPA credit transfer: beneficiary, IBAN, BIC, amount and the
//! structured communication. Pure: the invoice page, its PDF and its e-mail draw the code.
//!
//! The structured communication goes in the unstructured remittance line, framed as printed
//! (`+++123/4567/89012+++`): the structured line is reserved for ISO 11649 "RF" references,
//! which a Belgian communication is not, and Belgian apps recognise the frame there.

use crate::invoice::StructuredCommunication;

/// Why no code can be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpcError {
    /// The beneficiary's name is empty or over 70 characters.
    Name,
    /// The IBAN is not 15–34 letters and digits starting with a country code and two digits.
    Iban,
    /// The BIC is not 8 or 11 letters and digits.
    Bic,
    /// The amount is outside 0.01 € – 999,999,999.99 €.
    Amount,
}

/// What the code asks the payer's bank to transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRequest<'a> {
    /// The beneficiary's name exactly as its bank account holds it (banks compare them).
    pub beneficiary: &'a str,
    /// Spaces allowed ("BE23 0015 1859 2691"); they are left out of the code.
    pub iban: &'a str,
    pub bic: &'a str,
    pub amount_cents: i64,
    pub communication: StructuredCommunication,
}

/// The code's text: twelve lines joined by a line feed (the empty last ones left out), in
/// UTF-8 (character set 1).
pub fn payload(request: &TransferRequest<'_>) -> Result<String, EpcError> {
    let name = request.beneficiary.trim();
    if name.is_empty() || name.chars().count() > 70 || name.contains(['\n', '\r']) {
        return Err(EpcError::Name);
    }
    let iban: String = request.iban.chars().filter(|c| !c.is_whitespace()).collect();
    let iban = iban.to_ascii_uppercase();
    let shaped = (15..=34).contains(&iban.len())
        && iban.bytes().all(|b| b.is_ascii_alphanumeric())
        && iban.bytes().take(2).all(|b| b.is_ascii_uppercase())
        && iban.bytes().skip(2).take(2).all(|b| b.is_ascii_digit());
    if !shaped {
        return Err(EpcError::Iban);
    }
    let bic = request.bic.trim().to_ascii_uppercase();
    if !matches!(bic.len(), 8 | 11) || !bic.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(EpcError::Bic);
    }
    if !(1..=99_999_999_999).contains(&request.amount_cents) {
        return Err(EpcError::Amount);
    }
    let amount = format!("EUR{}.{:02}", request.amount_cents / 100, request.amount_cents % 100);
    let lines = [
        "BCD".to_owned(),
        "002".to_owned(),
        "1".to_owned(),
        "SCT".to_owned(),
        bic,
        name.to_owned(),
        iban,
        amount,
        String::new(),
        String::new(),
        request.communication.to_string(),
    ];
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(amount_cents: i64) -> TransferRequest<'static> {
        TransferRequest {
            beneficiary: "Dons Technologiques ASBL",
            iban: "BE23 0015 1859 2691",
            bic: "GEBABEBB",
            amount_cents,
            communication: StructuredCommunication::from_base(2_026_000_001).unwrap(),
        }
    }

    #[test]
    fn the_code_names_every_field_of_the_transfer() {
        let text = payload(&request(27_709)).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(
            lines,
            [
                "BCD",
                "002",
                "1",
                "SCT",
                "GEBABEBB",
                "Dons Technologiques ASBL",
                "BE23001518592691",
                "EUR277.09",
                "",
                "",
                "+++202/6000/00192+++",
            ]
        );
        // The communication's check digits: 2026000001 mod 97 = 92.
        assert_eq!(2_026_000_001_u64 % 97, 92);
        assert!(text.len() <= 331, "EPC069-12 caps the payload at 331 bytes");
    }

    #[test]
    fn amounts_keep_their_cents_and_stay_in_range() {
        let amount_line = |cents| payload(&request(cents)).map(|t| t.split('\n').nth(7).unwrap().to_owned());
        assert_eq!(amount_line(1).unwrap(), "EUR0.01");
        assert_eq!(amount_line(500).unwrap(), "EUR5.00");
        assert_eq!(amount_line(99_999_999_999).unwrap(), "EUR999999999.99");
        assert_eq!(amount_line(0), Err(EpcError::Amount));
        assert_eq!(amount_line(-100), Err(EpcError::Amount));
        assert_eq!(amount_line(100_000_000_000), Err(EpcError::Amount));
    }

    #[test]
    fn bad_parties_are_refused_rather_than_encoded() {
        let long = "A".repeat(71);
        let cases: [(TransferRequest<'_>, EpcError); 6] = [
            (
                TransferRequest {
                    beneficiary: "",
                    ..request(100)
                },
                EpcError::Name,
            ),
            (
                TransferRequest {
                    beneficiary: &long,
                    ..request(100)
                },
                EpcError::Name,
            ),
            (
                TransferRequest {
                    beneficiary: "Dons\nASBL",
                    ..request(100)
                },
                EpcError::Name,
            ),
            (
                TransferRequest {
                    iban: "BE23 0015",
                    ..request(100)
                },
                EpcError::Iban,
            ),
            (
                TransferRequest {
                    iban: "2323 0015 1859 2691",
                    ..request(100)
                },
                EpcError::Iban,
            ),
            (
                TransferRequest {
                    bic: "GEBABE",
                    ..request(100)
                },
                EpcError::Bic,
            ),
        ];
        for (bad, error) in cases {
            assert_eq!(payload(&bad), Err(error), "{bad:?}");
        }
        let seventy = "É".repeat(70);
        assert!(
            payload(&TransferRequest {
                beneficiary: &seventy,
                ..request(100)
            })
            .is_ok()
        );
    }
}
