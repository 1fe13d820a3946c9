//! Pure catalogue rules: search matching.

/// Lower-cases and strips the accents of Latin letters, so that "eligibilite" finds
/// "éligibilité" and "CŒUR" finds "cœur".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            other => out.push(other),
        }
    }
    out
}

/// True when every word of `query` occurs in one of `fields` (accent- and case-insensitive).
/// An empty query matches everything.
pub fn matches_query(query: &str, fields: &[&str]) -> bool {
    let haystack = fold(&fields.join(" "));
    fold(query).split_whitespace().all(|word| haystack.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Éligibilité"), "eligibilite");
        assert_eq!(fold("CŒUR Ångström"), "coeur angstrom");
        assert_eq!(fold("Matériel reconditionné"), "materiel reconditionne");
    }

    #[test]
    fn every_word_must_match() {
        let fields = ["Windows Server Standard 2022", "Microsoft", "Licence serveur par cœur"];
        assert!(matches_query("", &fields));
        assert!(matches_query("  ", &fields));
        assert!(matches_query("windows coeur", &fields));
        assert!(matches_query("MICROSOFT server", &fields));
        assert!(!matches_query("windows adobe", &fields));
    }
}
