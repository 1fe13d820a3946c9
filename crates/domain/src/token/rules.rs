//! Validation tokens ("jetons de validation") as pure rules: the code's shape, how a code is
//! drawn, a token's status and what a partner's check answers. No I/O: the server applies
//! these, the pages use them to offer only what the server accepts.

use crate::error::FieldErrors;
use crate::token::model::{Outcome, TokenForm, TokenStatus};
use chrono::{DateTime, Utc};

/// The 36 symbols of a code: digits and lowercase ASCII letters.
pub const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
/// Symbols before the `@`.
pub const HEAD_LEN: usize = 8;
/// Symbols after the `@`.
pub const TAIL_LEN: usize = 16;
/// A token is valid this many days after it is created or refreshed.
pub const VALIDITY_DAYS: i64 = 60;
/// The recipient and the account holder are reminded this many days before expiry.
pub const REMINDER_DAYS: i64 = 7;
/// The JSON schema pattern of a code (the OpenAPI document repeats it).
pub const PATTERN: &str = "^[a-z0-9]{8}@[a-z0-9]{16}$";

/// A code of the shape `123a4567@1b234c5de6789000`. Its `Debug` form hides all but the first
/// two symbols, so a code never reaches a log line by accident.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TokenCode(String);

impl TokenCode {
    /// Accepts exactly [`PATTERN`]: 8 lowercase alphanumerics, `@`, 16 lowercase alphanumerics.
    pub fn parse(text: &str) -> Option<Self> {
        let (head, tail) = text.split_once('@')?;
        let valid = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| ALPHABET.contains(&b));
        (valid(head, HEAD_LEN) && valid(tail, TAIL_LEN)).then(|| TokenCode(text.to_owned()))
    }

    /// What a person pasted: surrounding blanks dropped and letters lower-cased, then
    /// [`parse`](Self::parse). For forms only; the partner API takes the exact shape.
    pub fn parse_lenient(text: &str) -> Option<Self> {
        Self::parse(&text.trim().to_ascii_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Draws a code from `next_byte`, a source of uniformly random bytes (the operating
    /// system's CSPRNG on the server). Bytes of 252 and more are dropped so that each of the
    /// 36 symbols is equally likely (252 = 7 × 36): 24 symbols carry 124 bits.
    pub fn draw(mut next_byte: impl FnMut() -> u8) -> Self {
        let mut symbol = || loop {
            let byte = next_byte();
            if byte < 252 {
                return char::from(ALPHABET[usize::from(byte % 36)]);
            }
        };
        let mut code = String::with_capacity(HEAD_LEN + 1 + TAIL_LEN);
        code.extend((0..HEAD_LEN).map(|_| symbol()));
        code.push('@');
        code.extend((0..TAIL_LEN).map(|_| symbol()));
        TokenCode(code)
    }

    /// The code as one number (base 36), for compact duplicate checks in tests.
    pub fn to_u128(&self) -> u128 {
        self.0.bytes().filter(|b| *b != b'@').fold(0u128, |n, b| {
            let digit = ALPHABET.iter().position(|a| *a == b).unwrap_or(0);
            n * 36 + digit as u128
        })
    }
}

impl std::fmt::Debug for TokenCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenCode({}…)", self.0.get(..2).unwrap_or_default())
    }
}

/// A token's status at `now`: revoked wins over expired.
pub fn status(expires_at: DateTime<Utc>, revoked: bool, now: DateTime<Utc>) -> TokenStatus {
    if revoked {
        TokenStatus::Revoked
    } else if now >= expires_at {
        TokenStatus::Expired
    } else {
        TokenStatus::Active
    }
}

/// Whole days left before `expires_at`, rounded up (a token that expires in 3 hours has 1
/// day left); 0 once expired.
pub fn days_left(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let seconds = (expires_at - now).num_seconds();
    if seconds <= 0 { 0 } else { (seconds + 86_399) / 86_400 }
}

/// The expiry of a token created or refreshed at `now`.
pub fn expiry_from(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::days(VALIDITY_DAYS)
}

/// "Mettre à jour un jeton": only an expired token is refreshed; a revoked one stays dead.
pub fn can_refresh(status: TokenStatus) -> Result<(), &'static str> {
    match status {
        TokenStatus::Expired => Ok(()),
        TokenStatus::Active => Err("token_not_expired"),
        TokenStatus::Revoked => Err("token_revoked"),
    }
}

/// What the programme knows about a token when a partner checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFacts {
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
    /// The organisation's programme eligibility is "eligible" (validated by staff).
    pub organisation_validated: bool,
    /// The partners the organisation is qualified for.
    pub qualified_partners: Vec<String>,
}

/// The answer to `partner_id`'s check of a token at `now` (`None`: no token has that code).
/// The order of the reasons is the order a partner can act on: a dead code first, then the
/// organisation, then the partner's own qualification.
pub fn judge(facts: Option<&TokenFacts>, partner_id: &str, now: DateTime<Utc>) -> Outcome {
    let Some(facts) = facts else {
        return Outcome::Unknown;
    };
    match status(facts.expires_at, facts.revoked, now) {
        TokenStatus::Revoked => Outcome::Revoked,
        TokenStatus::Expired => Outcome::Expired,
        TokenStatus::Active if !facts.organisation_validated => Outcome::OrganisationNotValidated,
        TokenStatus::Active if !facts.qualified_partners.iter().any(|p| p == partner_id) => Outcome::NotQualified,
        TokenStatus::Active => Outcome::Valid,
    }
}

/// How many checks a client has left in the current minute, and when the oldest one
/// leaves the window: `Err(seconds to wait)` once `used` reaches `limit`.
pub fn rate_allows(
    used: i64,
    limit: i64,
    oldest_in_window: Option<DateTime<Utc>>,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<(), u64> {
    if used < limit {
        return Ok(());
    }
    let free_at = oldest_in_window.map_or(now + window, |oldest| oldest + window);
    let seconds = (free_at - now).num_milliseconds().max(0);
    Err(u64::try_from((seconds + 999) / 1000).unwrap_or(1).max(1))
}

/// Longest recipient name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest purpose, in characters.
pub const MAX_PURPOSE_CHARS: usize = 300;

/// A token form that passed [`validate_form`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTokenForm {
    pub recipient_name: String,
    /// Lower-cased.
    pub recipient_email: String,
    pub purpose: String,
    /// `None`: any partner.
    pub partner_id: Option<String>,
}

/// Checks "Créer un jeton". A token for the holder themself takes their own name and
/// e-mail; one for another person needs that person's name and e-mail. Errors are i18n
/// codes per field, all of them at once.
pub fn validate_form(form: &TokenForm, own_name: &str, own_email: &str) -> Result<ValidTokenForm, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, code: &str| errors.entry(field.to_owned()).or_default().push(code.to_owned());
    let (name, email) = match form.for_whom.as_str() {
        "self" => (own_name.to_owned(), own_email.to_lowercase()),
        "other" => {
            let name = form.recipient_name.trim().to_owned();
            if name.is_empty() {
                fail("recipient_name", "required");
            } else if name.chars().count() > MAX_NAME_CHARS {
                fail("recipient_name", "too_long");
            }
            let email = match crate::auth::rules::normalise_email(&form.recipient_email) {
                Ok(email) => email,
                Err(code) => {
                    fail("recipient_email", code);
                    String::new()
                }
            };
            (name, email)
        }
        _ => {
            fail("for_whom", "choose_one");
            (String::new(), String::new())
        }
    };
    let purpose = form.purpose.trim().to_owned();
    if purpose.chars().count() > MAX_PURPOSE_CHARS {
        fail("purpose", "too_long");
    }
    if purpose.chars().any(char::is_control) {
        fail("purpose", "invalid_characters");
    }
    let partner_id = Some(form.partner_id.trim().to_owned()).filter(|p| !p.is_empty());
    if errors.is_empty() {
        Ok(ValidTokenForm {
            recipient_name: name,
            recipient_email: email,
            purpose,
            partner_id,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0)
            .single()
            .expect("a valid date")
    }

    fn facts(partners: &[&str]) -> TokenFacts {
        TokenFacts {
            expires_at: at(20, 0),
            revoked: false,
            organisation_validated: true,
            qualified_partners: partners.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    /// The reference the property tests compare against: the shape, written another way.
    fn has_token_shape(text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        chars.len() == 25
            && chars[8] == '@'
            && chars
                .iter()
                .enumerate()
                .all(|(i, c)| i == 8 || c.is_ascii_digit() || c.is_ascii_lowercase())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Whatever bytes the random source gives, a drawn code has the token shape and
        /// parses back to itself.
        #[test]
        fn drawn_codes_have_the_shape(bytes in proptest::collection::vec(any::<u8>(), 1..200)) {
            let mut i = 0;
            let code = TokenCode::draw(|| {
                // Cycle through the bytes; a source of only rejected bytes would never end,
                // so one always-accepted byte follows each pass.
                let byte = if i % (bytes.len() + 1) == bytes.len() { 7 } else { bytes[i % (bytes.len() + 1)] };
                i += 1;
                byte
            });
            prop_assert!(has_token_shape(code.as_str()), "{}", code.as_str());
            prop_assert_eq!(TokenCode::parse(code.as_str()), Some(code.clone()));
        }

        /// `parse` accepts a string exactly when it has the shape: random strings over a
        /// nearby alphabet (uppercase, `@`, accents, blanks) and of nearby lengths.
        #[test]
        fn parse_accepts_exactly_the_shape(text in "[a-zA-Z0-9@é _.-]{0,30}") {
            prop_assert_eq!(TokenCode::parse(&text).is_some(), has_token_shape(&text));
        }

        /// Every well-shaped string parses, and changing any one symbol to a character
        /// outside the alphabet breaks it.
        #[test]
        fn one_wrong_symbol_is_refused(head in "[a-z0-9]{8}", tail in "[a-z0-9]{16}", at in 0usize..25, bad in "[A-Z@#é ]") {
            let good = format!("{head}@{tail}");
            prop_assert!(TokenCode::parse(&good).is_some());
            let mut chars: Vec<char> = good.chars().collect();
            if at != 8 {
                chars[at] = bad.chars().next().unwrap_or('A');
                let broken: String = chars.into_iter().collect();
                prop_assert!(TokenCode::parse(&broken).is_none(), "{}", broken);
            }
        }
    }

    #[test]
    fn distinct_codes_map_to_distinct_numbers() {
        let a = TokenCode::parse("00000000@0000000000000001").expect("valid");
        let b = TokenCode::parse("00000001@0000000000000000").expect("valid");
        let z = TokenCode::parse("zzzzzzzz@zzzzzzzzzzzzzzzz").expect("valid");
        assert_eq!(a.to_u128(), 1);
        assert_eq!(b.to_u128(), 36u128.pow(16));
        assert_eq!(z.to_u128(), 36u128.pow(24) - 1);
    }

    #[test]
    fn debug_hides_the_code() {
        let code = TokenCode::parse("123a4567@1b234c5de6789000").expect("valid");
        let shown = format!("{code:?}");
        assert!(!shown.contains("4567"), "{shown}");
        assert!(!shown.contains("1b234c5de6789000"), "{shown}");
    }

    #[test]
    fn lenient_parse_trims_and_lowercases() {
        assert!(TokenCode::parse_lenient("  123A4567@1B234C5DE6789000\n").is_some());
        assert!(TokenCode::parse(" 123a4567@1b234c5de6789000").is_none());
    }

    #[test]
    fn status_days_left_and_refresh() {
        let expires = at(20, 12);
        assert_eq!(status(expires, false, at(20, 11)), TokenStatus::Active);
        assert_eq!(status(expires, false, at(20, 12)), TokenStatus::Expired);
        assert_eq!(status(expires, true, at(1, 0)), TokenStatus::Revoked);
        assert_eq!(days_left(expires, at(20, 11)), 1);
        assert_eq!(days_left(expires, at(19, 12)), 1);
        assert_eq!(days_left(expires, at(19, 11)), 2);
        assert_eq!(days_left(expires, at(21, 0)), 0);
        assert_eq!(
            expiry_from(at(1, 0)),
            Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).single().expect("date")
        );
        assert_eq!(can_refresh(TokenStatus::Expired), Ok(()));
        assert_eq!(can_refresh(TokenStatus::Active), Err("token_not_expired"));
        assert_eq!(can_refresh(TokenStatus::Revoked), Err("token_revoked"));
    }

    #[test]
    fn judge_gives_the_first_reason_a_partner_can_act_on() {
        let now = at(10, 0);
        assert_eq!(judge(None, "google", now), Outcome::Unknown);
        assert_eq!(judge(Some(&facts(&["google"])), "google", now), Outcome::Valid);
        assert_eq!(
            judge(Some(&facts(&["microsoft"])), "google", now),
            Outcome::NotQualified
        );
        let unvalidated = TokenFacts {
            organisation_validated: false,
            ..facts(&[])
        };
        assert_eq!(
            judge(Some(&unvalidated), "google", now),
            Outcome::OrganisationNotValidated
        );
        let expired = TokenFacts {
            expires_at: now,
            ..unvalidated.clone()
        };
        assert_eq!(judge(Some(&expired), "google", now), Outcome::Expired);
        let revoked = TokenFacts {
            revoked: true,
            ..expired
        };
        assert_eq!(judge(Some(&revoked), "google", now), Outcome::Revoked);
    }

    #[test]
    fn the_form_takes_the_holder_or_another_person() {
        let mine = TokenForm {
            for_whom: "self".into(),
            recipient_name: "ignored".into(),
            purpose: " Google Ad Grants ".into(),
            ..TokenForm::default()
        };
        let valid = validate_form(&mine, "Anne Dupont", "Anne@Example.org").expect("valid");
        assert_eq!(valid.recipient_name, "Anne Dupont");
        assert_eq!(valid.recipient_email, "anne@example.org");
        assert_eq!(valid.purpose, "Google Ad Grants");
        assert_eq!(valid.partner_id, None);

        let other = TokenForm {
            for_whom: "other".into(),
            recipient_name: "  ".into(),
            recipient_email: "not-an-address".into(),
            purpose: "x".repeat(MAX_PURPOSE_CHARS + 1),
            partner_id: "google".into(),
        };
        let errors = validate_form(&other, "Anne", "anne@example.org").expect_err("invalid");
        assert_eq!(errors["recipient_name"], ["required"]);
        assert_eq!(errors["recipient_email"], ["email_invalid"]);
        assert_eq!(errors["purpose"], ["too_long"]);

        let nobody = TokenForm::default();
        assert_eq!(
            validate_form(&nobody, "Anne", "a@b.be").expect_err("invalid")["for_whom"],
            ["choose_one"]
        );
    }

    #[test]
    fn the_rate_limit_counts_a_sliding_minute() {
        let now = at(10, 12);
        let minute = chrono::Duration::seconds(60);
        assert_eq!(rate_allows(59, 60, Some(now), minute, now), Ok(()));
        let oldest = now - chrono::Duration::seconds(45);
        assert_eq!(rate_allows(60, 60, Some(oldest), minute, now), Err(15));
        let just_in = now - chrono::Duration::milliseconds(59_500);
        assert_eq!(rate_allows(60, 60, Some(just_in), minute, now), Err(1));
        assert_eq!(rate_allows(0, 0, None, minute, now), Err(60));
    }
}
