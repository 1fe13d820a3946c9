//! The three languages of the interface (`app/locales/{fr,nl,en}.json`) hold the same keys,
//! none of them empty, with the same `{{ placeholders }}`. leptos_i18n falls back to French
//! for a key missing in another language; this test makes the omission fail instead.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const LANGUAGES: [&str; 3] = ["fr", "nl", "en"];

/// `section.key` → text, for every string of a locale file.
fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, inner, out);
            }
        }
        Value::String(text) => {
            out.insert(prefix.to_owned(), text.clone());
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

fn load(language: &str) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{language}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut keys = BTreeMap::new();
    flatten("", &value, &mut keys);
    keys
}

/// The keys of `reference` that `other` lacks.
fn missing(reference: &BTreeMap<String, String>, other: &BTreeMap<String, String>) -> Vec<String> {
    reference.keys().filter(|k| !other.contains_key(*k)).cloned().collect()
}

/// The `{{ name }}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.trim().to_owned()))
        .collect()
}

#[test]
fn every_key_is_in_every_language() {
    let all: Vec<_> = LANGUAGES.iter().map(|l| (*l, load(l))).collect();
    let mut problems = Vec::new();
    for (a, keys_a) in &all {
        for (b, keys_b) in &all {
            if a != b {
                for key in missing(keys_a, keys_b) {
                    problems.push(format!("{key}: in {a}, missing in {b}"));
                }
            }
        }
    }
    assert!(all[0].1.len() > 500, "the French file has its {} keys", all[0].1.len());
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn no_text_is_empty_and_placeholders_agree() {
    let french = load("fr");
    let mut problems = Vec::new();
    for language in LANGUAGES {
        for (key, text) in load(language) {
            if text.trim().is_empty() {
                problems.push(format!("{key} is empty in {language}"));
            }
            if let Some(reference) = french.get(&key)
                && placeholders(reference) != placeholders(&text)
            {
                problems.push(format!("{key}: placeholders differ between fr and {language}"));
            }
        }
    }
    assert_eq!(problems, Vec::<String>::new());
}

/// The comparison itself finds a missing key and a renamed placeholder.
#[test]
fn the_checks_catch_what_they_look_for() {
    let fr: BTreeMap<String, String> = [("a.b".to_owned(), "Page {{ page }}".to_owned())].into();
    let nl: BTreeMap<String, String> = BTreeMap::new();
    assert_eq!(missing(&fr, &nl), ["a.b"]);
    assert_ne!(placeholders("Page {{ page }}"), placeholders("Pagina {{ pagina }}"));
    assert_eq!(placeholders("{{ a }} et {{b}}"), ["a", "b"].map(String::from).into());
}
