//! Pure rules of accounts: e-mail and password checks, and the rate-limit policy.
//!
//! Errors are stable codes (`"email_invalid"`…) that the UI translates with
//! the app's `ui::forms::error_text`.

use crate::org::model::StaffRole;

use chrono::Duration;

/// Shortest password accepted: long passphrases beat composition rules (NIST SP 800-63B).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest password accepted, so that hashing stays bounded.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Failed logins allowed per identifier within [`LOGIN_WINDOW`] before login is refused.
pub const LOGIN_MAX_FAILURES: i64 = 5;
pub const LOGIN_WINDOW: Duration = Duration::minutes(15);
/// Reset requests allowed per identifier within [`RESET_WINDOW`].
pub const RESET_MAX_REQUESTS: i64 = 3;
pub const RESET_WINDOW: Duration = Duration::hours(1);
/// How long a reset link stays valid.
pub const RESET_LINK_VALIDITY: Duration = Duration::hours(1);
/// How long an invitation link (choose your password) stays valid.
pub const INVITATION_VALIDITY: Duration = Duration::days(7);
/// How long a login session lasts at most, however active (the absolute timeout).
pub const SESSION_VALIDITY: Duration = Duration::days(14);
/// A session unused for this long ends (the idle timeout): a browser left open in an office
/// or a library does not stay logged in.
pub const SESSION_IDLE: Duration = Duration::minutes(60);
/// A session's last use is written at most this often, not on every request.
pub const SESSION_TOUCH_EVERY: Duration = Duration::minutes(1);

/// Checks a new password's length; returns the error code when it is refused.
pub fn check_password(password: &str) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err("password_too_short")
    } else if chars > PASSWORD_MAX_CHARS {
        Err("password_too_long")
    } else {
        Ok(())
    }
}

/// Longest local part (before `@`) an address may have (RFC 5321 §4.5.3.1.1).
pub const EMAIL_LOCAL_MAX: usize = 64;
/// Longest address accepted (RFC 5321's path limit less its angle brackets).
pub const EMAIL_MAX: usize = 254;

/// Trims and lower-cases an e-mail address and parses it: a plain `local@domain`, the
/// address the mail is sent to and nothing else. Parsed once, here, for every form.
///
/// Accepted is a strict subset of what the mailer (lettre) sends to: the local part is a
/// dot-atom of ASCII letters, digits and ``!#$%&'*+/=?^_`{|}~-`` (no quoted string, so no
/// `"x,y"@…`, no comment), the domain is at least two dot-separated labels of letters,
/// digits and inner hyphens. There is no display name: `x<sophie@…>` is refused rather than
/// read as Sophie's address. Deliverability is proven by the mail itself, not here.
pub fn normalise_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_ascii_lowercase();
    if email.is_empty() {
        return Err("required");
    }
    let valid = email.len() <= EMAIL_MAX
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| is_dot_atom(local) && is_host_name(domain));
    if valid { Ok(email) } else { Err("email_invalid") }
}

/// An RFC 5322 dot-atom of ASCII `atext`: no empty atom, so no leading, trailing or double dot.
fn is_dot_atom(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";
    local.len() <= EMAIL_LOCAL_MAX
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c)))
}

/// A DNS host name of at least two labels, each 1–63 letters, digits or inner hyphens; the
/// last label is not all digits (so no bare IP address).
fn is_host_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

/// A login or reset identifier (username or e-mail), compared case-insensitively.
pub fn normalise_identifier(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A username derived from an e-mail address: its local part, lower-cased, reduced to
/// letters, digits, dots, dashes and underscores.
pub fn username_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or_default();
    let name: String = local
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect::<String>()
        .to_lowercase();
    if name.is_empty() {
        "utilisateur".to_owned()
    } else {
        name
    }
}

/// A role as a form sends it: `admin`, `agent`, or `none` (no staff access any more).
pub fn parse_role(value: &str) -> Option<Option<StaffRole>> {
    match value {
        "admin" => Some(Some(StaffRole::Admin)),
        "agent" => Some(Some(StaffRole::Agent)),
        "none" => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_checked_by_length_only() {
        assert_eq!(check_password("short"), Err("password_too_short"));
        assert_eq!(check_password(&"é".repeat(11)), Err("password_too_short"));
        assert_eq!(check_password(&"é".repeat(12)), Ok(()));
        assert_eq!(check_password("correct horse battery"), Ok(()));
        assert_eq!(check_password(&"x".repeat(129)), Err("password_too_long"));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalise_email("  Info@Asbl.BE "), Ok("info@asbl.be".to_owned()));
        for bad in [
            "",
            "   ",
            "no-at.be",
            "a@b",
            "a@@b.be",
            "a b@c.be",
            "@c.be",
            "a@.be",
            "a@c.be.",
            // Issue 21: a quoted local part the mailer refuses, and a display name that
            // delivered to someone else's mailbox.
            "\"x,y\"@example.org",
            "x<sophie@example.org>",
            "Sophie <sophie@example.org>",
            "sophie@example.org (x)",
            "a..b@c.be",
            ".a@c.be",
            "a.@c.be",
            "a@-c.be",
            "a@c-.be",
            "a@c..be",
            "a@[127.0.0.1]",
            "a@1.2.3.4",
            "a,b@c.be",
            "a;b@c.be",
            "a@c.be,b@d.be",
            "a@c_d.be",
            "élodie@c.be",
            "a@café.be",
            "a\n@c.be",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(normalise_email(""), Err("required"));
        for good in ["o'brien+dons@asbl-1.example.be", "a.b_c@x.io", "{x}|~@c.be", "1@2.be"] {
            assert!(normalise_email(good).is_ok(), "{good:?} should be accepted");
        }
        let longest_local = format!("{}@c.be", "a".repeat(EMAIL_LOCAL_MAX));
        assert!(normalise_email(&longest_local).is_ok());
        assert!(normalise_email(&format!("a{longest_local}")).is_err());
        assert!(normalise_email(&format!("a@{}.be", "b".repeat(63))).is_ok());
        assert!(normalise_email(&format!("a@{}.be", "b".repeat(64))).is_err());
    }

    #[test]
    fn usernames_come_from_the_local_part() {
        assert_eq!(username_from_email("Marie.Dupont+dons@asbl.be"), "marie.dupontdons");
        assert_eq!(username_from_email("+++@asbl.be"), "utilisateur");
    }
}
