//! The second factor at login ("Validation en deux étapes"): TOTP codes (RFC 6238) and
//! one-time recovery codes. Required of every staff account; organisation accounts may opt
//! in. The shapes the browser sees, the policy, and the parsing of what a person types.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::model::CurrentUser;

/// Seconds per TOTP time step (RFC 6238's default, what every authenticator app uses).
pub const TOTP_STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const TOTP_DIGITS: usize = 6;
/// Steps of clock drift accepted either side of the server's step.
pub const TOTP_DRIFT_STEPS: i64 = 1;
/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;
/// Wrong codes allowed per account within [`MFA_WINDOW`].
pub const MFA_MAX_FAILURES: i64 = 5;
pub const MFA_WINDOW: Duration = Duration::minutes(15);
/// How long the state between the password and the code lasts.
pub const MFA_CHALLENGE_VALIDITY: Duration = Duration::minutes(10);
/// The issuer an authenticator app shows beside the account.
pub const TOTP_ISSUER: &str = "Dons";

/// What a login answers: the person is logged in, or their password was right and a second
/// step comes next (the browser holds only a pending state until it is done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LoginOutcome {
    /// Logged in.
    Done(CurrentUser),
    /// The code step ([`MfaStep`]) is next.
    Pending { mfa: MfaStep },
}

/// The second step a pending login is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MfaStep {
    /// An enrolled account: a code from the app, or a recovery code.
    Verify,
    /// A staff account without a second factor yet: enrol now ("Activer la validation en
    /// deux étapes").
    Enrol,
}

/// A new enrolment: the secret for the authenticator app, as a QR code and as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaEnrolment {
    /// Base32, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://` URI the QR code holds.
    pub uri: String,
    /// The QR code as a `data:image/png;base64,…` URI.
    pub qr_png: String,
}

/// The result of a confirmed enrolment: the recovery codes, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaEnrolled {
    pub recovery_codes: Vec<String>,
    /// Whether this confirmation also completed a login (the first login of staff).
    pub logged_in: Option<CurrentUser>,
}

/// A person's second factor, as their account page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaState {
    pub enabled: bool,
    /// Staff cannot turn it off.
    pub required: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
}

/// What a person typed at the code step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaCode {
    /// Six digits from the app.
    Totp(String),
    /// A recovery code, normalised (lower case, no spaces or dashes).
    Recovery(String),
}

impl MfaCode {
    /// Reads a code as typed: spaces and dashes are ignored; six digits are an app's code,
    /// ten letters or digits a recovery code. Anything else is `mfa_code_invalid`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if compact.len() == TOTP_DIGITS && compact.chars().all(|c| c.is_ascii_digit()) {
            Ok(MfaCode::Totp(compact))
        } else if compact.len() == RECOVERY_CODE_CHARS && compact.chars().all(|c| RECOVERY_ALPHABET.contains(c)) {
            Ok(MfaCode::Recovery(compact))
        } else {
            Err("mfa_code_invalid")
        }
    }
}

/// Characters of a recovery code (without its dash).
pub const RECOVERY_CODE_CHARS: usize = 10;
/// Lower-case letters and digits with the look-alikes (0/o, 1/l/i) left out.
pub const RECOVERY_ALPHABET: &str = "abcdefghjkmnpqrstuvwxyz23456789";

/// A recovery code from random bytes, grouped for reading (`abcde-fghjk`).
pub fn recovery_code_from(bytes: &[u8; RECOVERY_CODE_CHARS]) -> String {
    let alphabet: Vec<char> = RECOVERY_ALPHABET.chars().collect();
    let chars: String = bytes
        .iter()
        .map(|b| alphabet[usize::from(*b) % alphabet.len()])
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// The TOTP time step of a Unix time.
pub fn time_step(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(TOTP_STEP_SECONDS)
}

/// The steps a code may come from at `unix_seconds` (± [`TOTP_DRIFT_STEPS`]), oldest first,
/// newer than `last_step` (the newest step already used: a code works once).
pub fn acceptable_steps(unix_seconds: i64, last_step: i64) -> Vec<i64> {
    let now = time_step(unix_seconds);
    (now - TOTP_DRIFT_STEPS..=now + TOTP_DRIFT_STEPS)
        .filter(|step| *step > last_step)
        .collect()
}

/// The `otpauth://` URI an authenticator app reads (Key Uri Format).
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP_SECONDS}",
        issuer = percent_encode(TOTP_ISSUER),
        account = percent_encode(account),
    )
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_typed() {
        assert_eq!(MfaCode::parse(" 123 456 "), Ok(MfaCode::Totp("123456".into())));
        assert_eq!(
            MfaCode::parse("ABCDE-FGHJK"),
            Ok(MfaCode::Recovery("abcdefghjk".into()))
        );
        for bad in [
            "",
            "12345",
            "1234567",
            "12345a",
            "abcde-fghj",
            "abcde-fghji",
            "abcde-fghjk-m",
        ] {
            assert_eq!(MfaCode::parse(bad), Err("mfa_code_invalid"), "{bad:?}");
        }
    }

    #[test]
    fn drift_is_one_step_either_side_and_used_steps_are_out() {
        // 59 s is in step 1; steps 0, 1 and 2 are accepted.
        assert_eq!(acceptable_steps(59, -1), vec![0, 1, 2]);
        assert_eq!(acceptable_steps(60, 0), vec![1, 2, 3]);
        assert_eq!(acceptable_steps(89, 2), vec![3]);
        assert_eq!(acceptable_steps(89, 3), Vec::<i64>::new());
    }

    #[test]
    fn recovery_codes_parse_back() {
        let code = recovery_code_from(&[0, 1, 2, 3, 4, 250, 251, 252, 253, 255]);
        assert_eq!(code.len(), 11);
        assert!(matches!(MfaCode::parse(&code), Ok(MfaCode::Recovery(_))));
    }

    #[test]
    fn the_uri_names_issuer_and_account() {
        let uri = otpauth_uri("ABC", "Ana Lopez");
        assert_eq!(
            uri,
            "otpauth://totp/Dons:Ana%20Lopez?secret=ABC&issuer=Dons&algorithm=SHA1&digits=6&period=30"
        );
    }
}
