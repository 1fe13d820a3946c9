//! The contact form's limits: what a message may hold before it reaches staff.

use super::model::{ContactForm, Topic};
use crate::FieldErrors;

/// The longest name and subject, in characters.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest message or answer, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5_000;
/// The longest search of the inbox.
pub const MAX_SEARCH_CHARS: usize = 200;

/// A message ready to store: trimmed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMessage {
    pub topic: Topic,
    pub subject: String,
    pub message: String,
}

/// One line (a name, a subject): required, at most [`MAX_LINE_CHARS`], no control character.
pub fn line(value: &str) -> Result<String, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        Err("required")
    } else if value.chars().count() > MAX_LINE_CHARS {
        Err("too_long")
    } else if value.chars().any(char::is_control) {
        Err("invalid_characters")
    } else {
        Ok(value.to_owned())
    }
}

/// A message or an answer: required, at most [`MAX_MESSAGE_CHARS`]; line breaks and tabs are
/// kept (`\r\n` becomes `\n`), other control characters refused.
pub fn text(value: &str) -> Result<String, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        Err("required")
    } else if value.chars().count() > MAX_MESSAGE_CHARS {
        Err("too_long")
    } else if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Err("invalid_characters")
    } else {
        Ok(value.replace("\r\n", "\n"))
    }
}

/// Checks the topic, subject and message of the form; every refused field is named.
pub fn validate(form: &ContactForm, errors: &mut FieldErrors) -> Option<ValidMessage> {
    let topic = Topic::parse(form.topic.trim());
    if topic.is_none() {
        errors.insert("topic".into(), vec!["choose_one".into()]);
    }
    let subject = line(&form.subject).map_err(|code| {
        errors.insert("subject".into(), vec![code.into()]);
    });
    let message = text(&form.message).map_err(|code| {
        errors.insert("message".into(), vec![code.into()]);
    });
    match (topic, subject, message) {
        (Some(topic), Ok(subject), Ok(message)) => Some(ValidMessage {
            topic,
            subject,
            message,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(topic: &str, subject: &str, message: &str) -> ContactForm {
        ContactForm {
            topic: topic.into(),
            subject: subject.into(),
            message: message.into(),
            ..ContactForm::default()
        }
    }

    #[test]
    fn lines_are_trimmed_and_bounded() {
        assert_eq!(line("  Bonjour "), Ok("Bonjour".into()));
        assert_eq!(line("   "), Err("required"));
        assert_eq!(line(&"é".repeat(MAX_LINE_CHARS)), Ok("é".repeat(MAX_LINE_CHARS)));
        assert_eq!(line(&"é".repeat(MAX_LINE_CHARS + 1)), Err("too_long"));
        assert_eq!(line("a\nb"), Err("invalid_characters"));
    }

    #[test]
    fn messages_keep_their_lines_and_are_bounded() {
        assert_eq!(text("a\r\nb\tc"), Ok("a\nb\tc".into()));
        assert_eq!(
            text(&"x".repeat(MAX_MESSAGE_CHARS)).map(|t| t.len()),
            Ok(MAX_MESSAGE_CHARS)
        );
        assert_eq!(text(&"x".repeat(MAX_MESSAGE_CHARS + 1)), Err("too_long"));
        assert_eq!(text("a\u{0}b"), Err("invalid_characters"));
        assert_eq!(text(" \n "), Err("required"));
    }

    #[test]
    fn every_refused_field_is_named() {
        let mut errors = FieldErrors::new();
        assert!(validate(&form("billing", "", "x"), &mut errors).is_none());
        assert_eq!(errors["topic"], vec!["choose_one".to_owned()]);
        assert_eq!(errors["subject"], vec!["required".to_owned()]);
        assert!(!errors.contains_key("message"));
        let mut errors = FieldErrors::new();
        let valid = validate(&form("invoice", " Facture ", "Bonjour"), &mut errors);
        assert!(errors.is_empty());
        assert_eq!(
            valid,
            Some(ValidMessage {
                topic: Topic::Invoice,
                subject: "Facture".into(),
                message: "Bonjour".into(),
            })
        );
    }

    #[test]
    fn topics_round_trip() {
        for topic in Topic::ALL {
            assert_eq!(Topic::parse(topic.as_str()), Some(topic));
        }
        assert_eq!(Topic::parse("Programme"), None);
    }
}
