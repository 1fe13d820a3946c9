//! The shipped help content (`app::help`).
//! Moved from `app/src/help/mod.rs`'s unit tests.

use app::help::rules::{MAX_TEXT_CHARS, check_answer};

#[test]
fn the_shipped_help_is_complete_and_its_links_stay_in_the_portal() {
    let help = app::help::shipped().expect("content.json parses");
    let questions: Vec<_> = help.sections.iter().flat_map(|s| &s.questions).collect();
    assert!(questions.len() >= 140, "{} questions", questions.len());
    let mut slugs: Vec<&str> = questions.iter().map(|q| q.slug.as_str()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    assert_eq!(slugs.len(), questions.len(), "question slugs are unique");
    for q in questions {
        for (lang, question, answer) in [
            ("fr", &q.question.fr, &q.answer.fr),
            ("nl", &q.question.nl, &q.answer.nl),
            ("en", &q.question.en, &q.answer.en),
        ] {
            assert!(!question.trim().is_empty(), "{} {lang}: question", q.slug);
            assert!(!answer.trim().is_empty(), "{} {lang}: answer", q.slug);
            // Staff can save what was shipped.
            assert!(
                answer.chars().count() <= MAX_TEXT_CHARS,
                "{} {lang}: answer length",
                q.slug
            );
            assert!(
                question.chars().count() <= MAX_TEXT_CHARS,
                "{} {lang}: question length",
                q.slug
            );
            assert_eq!(check_answer(answer), Ok(()), "{} {lang}: answer links", q.slug);
        }
    }
}
