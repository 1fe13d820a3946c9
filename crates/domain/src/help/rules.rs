//! The help centre's text rules: how answers are written (paragraphs and internal links),
//! and how text is folded so that search ignores accents and case.

/// The longest question or answer staff may save, in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Search looks at this many characters of the query, and at most this many words.
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_QUERY_TERMS: usize = 8;

/// A piece of an answer's paragraph: plain text or a link to a page of the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Link { label: String, href: String },
}

/// Why an answer's text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerError {
    /// A link that does not point inside the portal (`/…`).
    ExternalLink,
    /// `[label](` without its closing parenthesis, or an empty label.
    BrokenLink,
}

/// Splits an answer into paragraphs (separated by a blank line), each a list of spans.
/// Links are written `[label](/path)`; anything else is text. Never fails: a malformed link
/// stays text (use [`check_answer`] before saving).
pub fn paragraphs(answer: &str) -> Vec<Vec<Span>> {
    answer
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(spans)
        .collect()
}

fn spans(paragraph: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = paragraph;
    while let Some(open) = rest.find('[') {
        match parse_link(&rest[open..]) {
            Some((label, href, used)) => {
                text.push_str(&rest[..open]);
                if !text.is_empty() {
                    out.push(Span::Text(std::mem::take(&mut text)));
                }
                out.push(Span::Link {
                    label: label.to_owned(),
                    href: href.to_owned(),
                });
                rest = &rest[open + used..];
            }
            None => {
                text.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Span::Text(text));
    }
    out
}

/// `[label](href)` at the start of `s`: the label, the target and the bytes used.
fn parse_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find(']')?;
    let label = &s[1..close];
    if label.is_empty() || label.contains('[') {
        return None;
    }
    let after = &s[close + 1..];
    let target = after.strip_prefix('(')?;
    let end = target.find(')')?;
    let href = &target[..end];
    if href.is_empty() || href.chars().any(char::is_whitespace) {
        return None;
    }
    Some((label, href, close + 1 + 1 + end + 1))
}

/// Checks an answer before it is saved: every link is well formed and stays in the portal
/// (a path starting with one `/`, so no other site and no `javascript:`).
pub fn check_answer(answer: &str) -> Result<(), AnswerError> {
    for paragraph in paragraphs(answer) {
        for span in paragraph {
            match span {
                Span::Link { href, .. } if !is_internal(&href) => return Err(AnswerError::ExternalLink),
                Span::Text(text) if text.contains("](") => return Err(AnswerError::BrokenLink),
                _ => {}
            }
        }
    }
    Ok(())
}

fn is_internal(href: &str) -> bool {
    href.starts_with('/') && !href.starts_with("//") && !href.contains('\\')
}

/// The text search compares: lower case, accents removed (`Éligibilité` → `eligibilite`),
/// links reduced to their label, everything that is not a letter or digit a space.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let plain: String = paragraphs(text)
        .into_iter()
        .flatten()
        .map(|span| match span {
            Span::Text(t) => t,
            Span::Link { label, .. } => label,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(plain.len());
    for c in plain.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of a search query, folded like the indexed text: at most [`MAX_QUERY_TERMS`]
/// words of letters and digits, so no search syntax of either database can get through.
pub fn query_terms(query: &str) -> Vec<String> {
    let head: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let mut terms: Vec<String> = Vec::new();
    for word in fold(&head).split(' ').filter(|w| !w.is_empty()) {
        if !terms.iter().any(|t| t == word) {
            terms.push(word.to_owned());
        }
        if terms.len() == MAX_QUERY_TERMS {
            break;
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(label: &str, href: &str) -> Span {
        Span::Link {
            label: label.into(),
            href: href.into(),
        }
    }

    #[test]
    fn answers_split_into_paragraphs_and_links() {
        let answer = "Ouvrez [Mes demandes](/requests) pour suivre.\n\nPuis [le panier](/cart).";
        assert_eq!(
            paragraphs(answer),
            vec![
                vec![
                    Span::Text("Ouvrez ".into()),
                    link("Mes demandes", "/requests"),
                    Span::Text(" pour suivre.".into())
                ],
                vec![
                    Span::Text("Puis ".into()),
                    link("le panier", "/cart"),
                    Span::Text(".".into())
                ],
            ]
        );
    }

    #[test]
    fn malformed_links_stay_text() {
        assert_eq!(paragraphs("a [b] c"), vec![vec![Span::Text("a [b] c".into())]]);
        assert_eq!(paragraphs("[x](/y"), vec![vec![Span::Text("[x](/y".into())]]);
        assert_eq!(paragraphs("[](/y)"), vec![vec![Span::Text("[](/y)".into())]]);
    }

    #[test]
    fn only_links_inside_the_portal_are_accepted() {
        assert_eq!(check_answer("Voir [ici](/catalogue)."), Ok(()));
        assert_eq!(
            check_answer("Voir [ici](https://example.org)."),
            Err(AnswerError::ExternalLink)
        );
        assert_eq!(
            check_answer("Voir [ici](javascript:alert(1))."),
            Err(AnswerError::ExternalLink)
        );
        assert_eq!(
            check_answer("Voir [ici](//evil.example)."),
            Err(AnswerError::ExternalLink)
        );
        assert_eq!(check_answer("Voir [ici](/a b)."), Err(AnswerError::BrokenLink));
        assert_eq!(check_answer("Pas de lien."), Ok(()));
    }

    #[test]
    fn folding_ignores_accents_case_and_link_targets() {
        assert_eq!(fold("Éligibilité : qui est ÉLIGIBLE ?"), "eligibilite qui est eligible");
        assert_eq!(fold("Voir [Mes demandes](/requests)."), "voir mes demandes");
        assert_eq!(fold("Cœur, straße, Ångström"), "coeur strasse angstrom");
        assert_eq!(fold("Kwalificatie controleren"), "kwalificatie controleren");
    }

    #[test]
    fn query_terms_are_plain_words() {
        assert_eq!(query_terms("  Éligibilité?? "), vec!["eligibilite"]);
        assert_eq!(query_terms("\"x\" OR y* -- ; drop"), vec!["x", "or", "y", "drop"]);
        assert_eq!(query_terms("a a b"), vec!["a", "b"]);
        assert!(query_terms("!!! ***").is_empty());
        assert_eq!(query_terms(&"mot ".repeat(100)).len(), 1);
        let many: String = (0..20).map(|i| format!("w{i} ")).collect();
        assert_eq!(query_terms(&many).len(), MAX_QUERY_TERMS);
    }
}
