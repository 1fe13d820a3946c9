//! Pure rules about organisations: parsing their registration numbers.

use crate::org::model::Country;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A registration number that passed its country's checks, stored normalised:
/// ten digits for a Belgian enterprise number ("numéro d'entreprise", BCE/KBO), the letter and
/// digits of a Luxembourg RCS number (e.g. `F1234`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnterpriseNumber {
    country: Country,
    value: String,
}

/// Why an enterprise number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnterpriseNumberError {
    #[error("a Belgian enterprise number has 10 digits")]
    BelgianLength,
    #[error("a Belgian enterprise number starts with 0 or 1")]
    BelgianFirstDigit,
    #[error("the check digits of this Belgian enterprise number do not match")]
    BelgianChecksum,
    #[error("a Luxembourg RCS number is a letter followed by digits, e.g. F1234")]
    LuxembourgFormat,
}

impl EnterpriseNumber {
    /// Accepts `0123.456.749`, `0123 456 749`, `BE0123456749`, `BE 0123.456.749` for Belgium
    /// (mod-97 check: the last two digits are `97 - (first eight mod 97)`), and `F1234`,
    /// `f 1234`, `B123456` for Luxembourg.
    pub fn parse(country: Country, raw: &str) -> Result<Self, EnterpriseNumberError> {
        match country {
            Country::BE => parse_belgian(raw).map(|value| EnterpriseNumber { country, value }),
            Country::LU => parse_luxembourg(raw).map(|value| EnterpriseNumber { country, value }),
        }
    }

    /// The normalised form, as stored.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn country(&self) -> Country {
        self.country
    }
}

impl fmt::Display for EnterpriseNumber {
    /// Belgian numbers in their usual written form `0123.456.749`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.country {
            Country::BE => write!(f, "{}.{}.{}", &self.value[..4], &self.value[4..7], &self.value[7..]),
            Country::LU => f.write_str(&self.value),
        }
    }
}

fn parse_belgian(raw: &str) -> Result<String, EnterpriseNumberError> {
    let trimmed = raw.trim();
    let without_prefix = trimmed
        .strip_prefix("BE")
        .or_else(|| trimmed.strip_prefix("be"))
        .or_else(|| trimmed.strip_prefix("Be"))
        .unwrap_or(trimmed);
    let mut digits = String::with_capacity(10);
    for ch in without_prefix.chars() {
        match ch {
            '0'..='9' => digits.push(ch),
            '.' | ' ' | '-' | '\u{a0}' => {}
            _ => return Err(EnterpriseNumberError::BelgianLength),
        }
    }
    if digits.len() != 10 {
        return Err(EnterpriseNumberError::BelgianLength);
    }
    if !digits.starts_with(['0', '1']) {
        return Err(EnterpriseNumberError::BelgianFirstDigit);
    }
    let base: u64 = digits[..8].parse().map_err(|_| EnterpriseNumberError::BelgianLength)?;
    let check: u64 = digits[8..].parse().map_err(|_| EnterpriseNumberError::BelgianLength)?;
    if 97 - base % 97 != check {
        return Err(EnterpriseNumberError::BelgianChecksum);
    }
    Ok(digits)
}

fn parse_luxembourg(raw: &str) -> Result<String, EnterpriseNumberError> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let mut chars = compact.chars();
    let letter = chars
        .next()
        .filter(|c| c.is_ascii_alphabetic())
        .ok_or(EnterpriseNumberError::LuxembourgFormat)?;
    let digits: String = chars.collect();
    if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(EnterpriseNumberError::LuxembourgFormat);
    }
    Ok(format!("{}{}", letter.to_ascii_uppercase(), digits))
}

/// Staff decide on a complete (or appealed) file within two business days of it.
pub fn review_deadline(submitted_on: chrono::NaiveDate) -> chrono::NaiveDate {
    crate::calendar::add_business_days(submitted_on, 2)
}

/// Whether a file is past its deadline. `on_staff` is false while the organisation owes an
/// answer to staff's question: the clock is theirs then, not ours.
pub fn review_overdue(on_staff: bool, submitted_on: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    on_staff && today > review_deadline(submitted_on)
}

/// The first day whose files are not overdue `today`: a file whose clock is on staff is
/// overdue exactly when it started before this day. It lets the queue count and sort its
/// overdue files in SQL. The deadline never moves back as the start moves forward, so the
/// walk back from `today` stops at the first start whose deadline is already past (a few
/// steps: two business days, a weekend, a holiday or two).
pub fn review_overdue_before(today: chrono::NaiveDate) -> chrono::NaiveDate {
    let mut first = today;
    while let Some(earlier) = first.pred_opt() {
        if review_deadline(earlier) < today {
            break;
        }
        first = earlier;
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overdue_cut_off_agrees_with_the_deadline_on_every_day_of_two_years() {
        let first = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for today in first.iter_days().take(730) {
            let cut_off = review_overdue_before(today);
            for start in (today - chrono::Days::new(30)).iter_days().take(31) {
                assert_eq!(
                    review_overdue(true, start, today),
                    start < cut_off,
                    "started {start}, today {today}, cut-off {cut_off}"
                );
            }
        }
    }

    #[test]
    fn belgian_numbers_in_every_accepted_spelling() {
        for raw in [
            "0123.456.749",
            "0123456749",
            "BE0123456749",
            "BE 0123.456.749",
            "be 0123 456 749",
            " 0123-456-749 ",
        ] {
            let n = EnterpriseNumber::parse(Country::BE, raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(n.as_str(), "0123456749");
            assert_eq!(n.to_string(), "0123.456.749");
        }
    }

    #[test]
    fn belgian_boundaries() {
        use EnterpriseNumberError::*;
        let cases = [
            ("0123.456.748", Err(BelgianChecksum)),
            ("0123.456.750", Err(BelgianChecksum)),
            ("2123.456.749", Err(BelgianFirstDigit)),
            ("123.456.749", Err(BelgianLength)),
            ("01234.567.490", Err(BelgianLength)),
            ("0123.456.74x", Err(BelgianLength)),
            ("", Err(BelgianLength)),
            // 8-digit base divisible by 97 → check digits 97
            ("0000.000.097", Ok("0000000097")),
            // first digit 1 is valid: 10000000 mod 97 = 76 → 21
            ("1000.000.021", Ok("1000000021")),
        ];
        for (raw, expected) in cases {
            let got = EnterpriseNumber::parse(Country::BE, raw);
            match expected {
                Ok(value) => assert_eq!(got.map(|n| n.as_str().to_owned()), Ok(value.to_owned()), "{raw}"),
                Err(e) => assert_eq!(got, Err(e), "{raw}"),
            }
        }
    }

    #[test]
    fn luxembourg_rcs_numbers() {
        assert_eq!(
            EnterpriseNumber::parse(Country::LU, "F1234").map(|n| n.to_string()),
            Ok("F1234".into())
        );
        assert_eq!(
            EnterpriseNumber::parse(Country::LU, "f 1234").map(|n| n.to_string()),
            Ok("F1234".into())
        );
        assert_eq!(
            EnterpriseNumber::parse(Country::LU, "B123456").map(|n| n.to_string()),
            Ok("B123456".into())
        );
        for raw in ["1234", "F", "FF1234", "F1234567", "F12a4", ""] {
            assert_eq!(
                EnterpriseNumber::parse(Country::LU, raw),
                Err(EnterpriseNumberError::LuxembourgFormat),
                "{raw}"
            );
        }
    }

    /// A deterministic spread of 8-digit bases with a first digit of 0 or 1 (the only ones
    /// allowed), including both ends of the range.
    fn sample_bases() -> impl Iterator<Item = u64> {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let spread = (0..5_000).map(move |_| {
            // xorshift64: cheap, reproducible, no extra crate
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % 20_000_000
        });
        [0, 1, 96, 97, 9_999_999, 10_000_000, 19_999_999]
            .into_iter()
            .chain(spread)
    }

    fn valid_from_base(base: u64) -> String {
        format!("{base:08}{:02}", 97 - base % 97)
    }

    #[test]
    fn every_valid_belgian_number_round_trips_through_parse_and_format() {
        for base in sample_bases() {
            let digits = valid_from_base(base);
            let parsed = EnterpriseNumber::parse(Country::BE, &digits).unwrap_or_else(|e| panic!("{digits}: {e}"));
            assert_eq!(parsed.as_str(), digits);
            let written = parsed.to_string();
            assert_eq!(written.len(), 12, "{written}");
            for spelling in [
                written.clone(),
                format!("BE{digits}"),
                format!("BE {written}"),
                written.replace('.', " "),
            ] {
                assert_eq!(
                    EnterpriseNumber::parse(Country::BE, &spelling),
                    Ok(parsed.clone()),
                    "{spelling}"
                );
            }
        }
    }

    #[test]
    fn every_single_digit_change_of_a_valid_belgian_number_is_refused() {
        for base in sample_bases() {
            let digits = valid_from_base(base).into_bytes();
            for position in 0..digits.len() {
                for replacement in b'0'..=b'9' {
                    if replacement == digits[position] {
                        continue;
                    }
                    let mut changed = digits.clone();
                    changed[position] = replacement;
                    let changed = String::from_utf8(changed).unwrap();
                    assert!(
                        EnterpriseNumber::parse(Country::BE, &changed).is_err(),
                        "{changed} (from {}) was accepted",
                        String::from_utf8_lossy(&digits)
                    );
                }
            }
        }
    }
}
