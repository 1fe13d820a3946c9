//! The help centre "En quoi pouvons-nous vous aider ?": questions and answers in French,
//! Dutch and English, searched without regard to accents or case, edited by staff.

pub mod api;
pub use domain::help::model;
pub use domain::help::rules;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;

/// The help centre shipped with the portal, loaded into a new database.
#[cfg(feature = "ssr")]
pub fn shipped() -> Result<model::ShippedHelp, serde_json::Error> {
    serde_json::from_str(include_str!("content.json"))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::rules::check_answer;

    #[test]
    fn the_shipped_help_is_complete_and_its_links_stay_in_the_portal() {
        let help = super::shipped().expect("content.json parses");
        let questions: Vec<_> = help.sections.iter().flat_map(|s| &s.questions).collect();
        assert!(questions.len() >= 40, "{} questions", questions.len());
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
                assert_eq!(check_answer(answer), Ok(()), "{} {lang}: answer links", q.slug);
            }
        }
    }
}
