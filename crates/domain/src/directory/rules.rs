//! How the directory matches: every organisation has a set of search terms (folded words of
//! its name, city and people, its enterprise number, e-mail addresses), kept in an indexed
//! table; a query becomes prefixes of such terms, each matched by a range on that index
//! (`term >= prefix and term < upper_bound(prefix)`), which both SQLite and PostgreSQL answer
//! from the index. Order references, invoice numbers, structured communications and token
//! codes are looked up by their own unique columns.

use std::collections::BTreeSet;

/// Longest query accepted (a name, an address, a reference are far shorter).
pub const MAX_QUERY_CHARS: usize = 200;

/// Words of a query that must all match; further words are ignored.
pub const MAX_QUERY_WORDS: usize = 6;

/// Longest term stored (longer words are cut: a prefix search still finds them).
pub const MAX_TERM_CHARS: usize = 100;

/// Lower case, accents and ligatures removed (`Bibliothèque` → `bibliotheque`, `Œuvre` →
/// `oeuvre`), split on everything that is not a letter or a digit. The same folding as the
/// help centre's search (NFKD, combining marks dropped), so a misspelt accent
/// (`Bibliothéque`) folds to the same word.
pub fn fold_words(text: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().map(cut).collect()
}

fn cut(word: &str) -> String {
    word.chars().take(MAX_TERM_CHARS).collect()
}

/// An e-mail address as a term: trimmed, lower case.
pub fn email_term(email: &str) -> Option<String> {
    let email: String = email
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    (!email.is_empty()).then(|| cut(&email))
}

/// An enterprise number as typed (`BE 0123.456.749`, `0123456749`, `123456749`, `f1234`)
/// reduced to its letters and digits, lower case, without a `BE` prefix; `None` when what is
/// left is not a number (fewer than four digits, or no digit at all).
pub fn number_key(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '/'))
        .collect::<String>()
        .to_lowercase();
    let compact = match compact.strip_prefix("be") {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => rest.to_owned(),
        _ => compact,
    };
    let digits = compact.bytes().filter(u8::is_ascii_digit).count();
    let alphanumeric = compact.bytes().all(|b| b.is_ascii_alphanumeric());
    let letters = compact.len() - digits;
    // All digits (a Belgian number, maybe cut short), or a Luxembourg RCS (a letter, digits).
    (alphanumeric && digits >= 4 && letters <= 1 && compact.len() <= 20).then_some(compact)
}

/// What of an organisation is searched.
#[derive(Debug, Clone, Default)]
pub struct Searchable<'a> {
    pub legal_name: &'a str,
    /// Normalised (`0123456749`, `F1234`).
    pub enterprise_number: &'a str,
    pub postal_code: &'a str,
    pub city: &'a str,
    pub contact_email: &'a str,
    /// Members and account holder: (full name, e-mail).
    pub people: Vec<(&'a str, &'a str)>,
}

/// The terms an organisation is found by.
pub fn search_terms(org: &Searchable<'_>) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    terms.extend(fold_words(org.legal_name));
    terms.extend(fold_words(org.city));
    terms.extend(fold_words(org.postal_code));
    let number = org.enterprise_number.to_lowercase();
    if !number.is_empty() {
        // `0123456749` is also written `123456749`.
        if let Some(short) = number.strip_prefix('0').filter(|s| !s.is_empty()) {
            terms.insert(short.to_owned());
        }
        terms.insert(number);
    }
    terms.extend(email_term(org.contact_email));
    for (name, email) in &org.people {
        terms.extend(fold_words(name));
        terms.extend(email_term(email));
    }
    terms
}

/// A query, read: term prefixes that must all match, and the identifiers it may be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Prefixes of terms; an organisation matches when each one matches one of its terms.
    pub prefixes: Vec<String>,
    /// An order reference (`DON-2026-000123`), upper case, if the query could be one.
    pub reference: Option<String>,
    /// A validation token code, if the query has its shape.
    pub token_code: Option<String>,
    /// An invoice number (`2026-000123`): year and number.
    pub invoice: Option<(i32, i64)>,
    /// A structured communication's 12 digits (`+++123/4567/89012+++`).
    pub communication: Option<String>,
}

impl ParsedQuery {
    /// Whether the query can match nothing (only punctuation, symbols or emoji).
    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
            && self.reference.is_none()
            && self.token_code.is_none()
            && self.invoice.is_none()
            && self.communication.is_none()
    }
}

/// Reads a query (at most [`MAX_QUERY_CHARS`], checked by the caller).
pub fn parse_query(query: &str) -> ParsedQuery {
    let query = query.trim();
    let mut parsed = ParsedQuery::default();
    let single = !query.is_empty() && !query.chars().any(char::is_whitespace);
    if single && query.len() <= 64 && query.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        parsed.reference = Some(query.to_uppercase());
    }
    parsed.token_code = crate::token::rules::TokenCode::parse_lenient(query).map(|c| c.as_str().to_owned());
    if let Some((year, number)) = query.split_once('-')
        && year.len() == 4
        && (1..=9).contains(&number.len())
        && year.bytes().chain(number.bytes()).all(|b| b.is_ascii_digit())
        && let (Ok(year), Ok(number)) = (year.parse(), number.parse())
    {
        parsed.invoice = Some((year, number));
    }
    let digits: String = query.chars().filter(|c| !matches!(c, '+' | '/' | ' ' | '.')).collect();
    if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        parsed.communication = Some(digits);
    }
    parsed.prefixes = if query.contains('@') {
        email_term(query).into_iter().collect()
    } else if let Some(number) = number_key(query) {
        vec![number]
    } else {
        let mut words: Vec<String> = Vec::new();
        for word in fold_words(query) {
            if !words.contains(&word) {
                words.push(word);
            }
            if words.len() == MAX_QUERY_WORDS {
                break;
            }
        }
        words
    };
    parsed
}

/// The first string after every string that starts with `prefix` (terms are made of
/// letters, digits and the characters of an e-mail address, all below U+10FFFF), so that
/// `term >= prefix and term < upper_bound(prefix)` is a range on the index.
pub fn upper_bound(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(query: &str, org: &Searchable<'_>) -> bool {
        let terms = search_terms(org);
        let parsed = parse_query(query);
        !parsed.prefixes.is_empty()
            && parsed.prefixes.iter().all(|p| {
                let upper = upper_bound(p);
                terms.iter().any(|t| t.as_str() >= p.as_str() && *t < upper)
            })
    }

    fn namur() -> Searchable<'static> {
        Searchable {
            legal_name: "Bibliothèque publique de Namur",
            enterprise_number: "0123456749",
            postal_code: "5000",
            city: "Namur",
            contact_email: "Info@Bibliotheque-Namur.example.org",
            people: vec![("Marc Lemaire", "marc@bibliotheque-namur.example.org")],
        }
    }

    #[test]
    fn names_match_whatever_the_accents_and_case() {
        for query in [
            "Bibliotheque publique",
            "bibliothèque PUBLIQUE",
            "Bibliothéque",
            "BIBLIOTHÊQUE de namur",
            "bibl pub",
            "  namur  ",
        ] {
            assert!(matches(query, &namur()), "{query}");
        }
        assert!(!matches("bibliotheque liege", &namur()));
        assert!(!matches("publiques", &namur()));
    }

    #[test]
    fn enterprise_numbers_match_in_any_spelling() {
        for query in [
            "0123.456.749",
            "0123456749",
            "BE 0123 456 749",
            "be0123.456.749",
            "123456749",
            "0123.456",
        ] {
            assert!(matches(query, &namur()), "{query}");
        }
        assert!(!matches("0123.456.750", &namur()));
        let lu = Searchable {
            enterprise_number: "F1234",
            ..Searchable::default()
        };
        assert!(matches("f1234", &lu));
        assert!(matches("F 1234", &lu));
    }

    #[test]
    fn people_emails_and_places_match() {
        for query in [
            "lemaire",
            "Marc",
            "marc@bibliotheque-namur",
            "info@bibliotheque",
            "5000",
            "MARC@BIBLIOTHEQUE-NAMUR.EXAMPLE.ORG",
        ] {
            assert!(matches(query, &namur()), "{query}");
        }
        assert!(!matches("sophie", &namur()));
    }

    #[test]
    fn ligatures_and_other_scripts_fold() {
        assert_eq!(
            fold_words("Œuvre d'Æsop, Straße"),
            vec!["oeuvre", "d", "aesop", "strasse"]
        );
        assert_eq!(fold_words("n° 42 — ASBL"), vec!["n", "42", "asbl"]);
        assert_eq!(fold_words("Ελλάδα"), vec!["ελλαδα"]);
        assert!(fold_words("🎉 %_' \"").is_empty());
    }

    #[test]
    fn identifiers_are_recognised() {
        let q = parse_query("don-2026-000123");
        assert_eq!(q.reference.as_deref(), Some("DON-2026-000123"));
        assert_eq!(parse_query("2026-000123").invoice, Some((2026, 123)));
        assert_eq!(
            parse_query("+++123/4567/89012+++").communication.as_deref(),
            Some("123456789012")
        );
        let code = "123a4567@1b234c5de6789000";
        assert_eq!(
            parse_query(&format!(" {} ", code.to_uppercase())).token_code.as_deref(),
            Some(code)
        );
        assert_eq!(parse_query("Les Amis").reference, None);
        assert_eq!(parse_query("les amis").prefixes, vec!["les", "amis"]);
    }

    #[test]
    fn hostile_queries_are_plain_prefixes() {
        assert!(parse_query("%").is_empty());
        assert!(parse_query("___").prefixes.is_empty());
        assert_eq!(parse_query("' or 1=1 --").prefixes, vec!["or", "1"]);
        assert!(parse_query("🎉🎉").is_empty());
        assert_eq!(parse_query("a\u{0}@b").prefixes, vec!["a@b"]);
        let many = "a b c d e f g h i j";
        assert_eq!(parse_query(many).prefixes.len(), MAX_QUERY_WORDS);
        let long = "x".repeat(500);
        assert!(
            parse_query(&long)
                .prefixes
                .iter()
                .all(|p| p.chars().count() <= MAX_TERM_CHARS)
        );
    }

    #[test]
    fn the_upper_bound_follows_every_longer_term() {
        let upper = upper_bound("bibl");
        for term in ["bibl", "bibliotheque", "bibl@x.example.org", "biblzzzz", "bibl\u{fffd}"] {
            assert!(term >= "bibl" && term < upper.as_str(), "{term}");
        }
        assert!("bibm" >= upper.as_str());
    }
}
