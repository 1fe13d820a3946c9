//! How a legal text is laid out and what an admin may save.

use crate::help::rules::{AnswerError, Span, check_answer, paragraphs};

/// The longest legal text, in characters.
pub const MAX_LEGAL_CHARS: usize = 30_000;

/// A block of a legal page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A block starting with `## `.
    Heading(String),
    /// A paragraph with its links.
    Paragraph(Vec<Span>),
}

/// Splits a legal text into headings and paragraphs (blocks separated by a blank line). A
/// block that starts with `## ` is a heading; the others are paragraphs written like the help
/// centre's answers.
pub fn blocks(text: &str) -> Vec<Block> {
    let normalised = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    for block in normalised.split("\n\n") {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        if let Some(heading) = block.strip_prefix("## ") {
            out.push(Block::Heading(heading.trim().to_owned()));
        } else {
            out.extend(paragraphs(block).into_iter().map(Block::Paragraph));
        }
    }
    out
}

/// Checks a text before it is saved: required, at most [`MAX_LEGAL_CHARS`], links that stay
/// in the portal. The error is a code the forms translate.
pub fn check_text(text: &str) -> Result<String, &'static str> {
    let text = text.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Err("required");
    }
    if text.chars().count() > MAX_LEGAL_CHARS {
        return Err("too_long");
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
        return Err("invalid_characters");
    }
    match check_answer(&text) {
        Ok(()) => Ok(text),
        Err(AnswerError::ExternalLink) => Err("link_external"),
        Err(AnswerError::BrokenLink) => Err("link_broken"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_paragraphs_with_links() {
        let text = "## 1. Objet\n\nLe programme [nous écrire](/contact).\n\n\n## 2. Frais";
        let blocks = blocks(text);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0], Block::Heading("1. Objet".into()));
        assert_eq!(blocks[2], Block::Heading("2. Frais".into()));
        let Block::Paragraph(spans) = &blocks[1] else {
            panic!("a paragraph: {blocks:?}");
        };
        assert!(spans.contains(&Span::Link {
            label: "nous écrire".into(),
            href: "/contact".into(),
        }));
    }

    #[test]
    fn saved_texts_are_checked() {
        assert_eq!(check_text("  ## Titre\r\n\r\nTexte  "), Ok("## Titre\n\nTexte".into()));
        assert_eq!(check_text(" "), Err("required"));
        assert_eq!(
            check_text(&"x".repeat(MAX_LEGAL_CHARS)).map(|t| t.len()),
            Ok(MAX_LEGAL_CHARS)
        );
        assert_eq!(check_text(&"x".repeat(MAX_LEGAL_CHARS + 1)), Err("too_long"));
        assert_eq!(check_text("[ailleurs](https://example.org)"), Err("link_external"));
        assert_eq!(check_text("[cassé](/contact"), Err("link_broken"));
        assert_eq!(check_text("a\u{7}b"), Err("invalid_characters"));
    }
}
