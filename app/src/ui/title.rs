//! Page titles.

/// A page's `<Title>` text that follows the language switch in the browser, and is a fixed
/// string on the server, computed while the page renders.
///
/// leptos_meta reads the title after the page has rendered, outside the page's reactive
/// arena: a title that reads the language signal then can find it disposed. Pages rendered
/// whole before they are sent (`SsrMode::Async`) panicked so in 10 of 4,000 concurrent renders
/// (`bench/renders.py`), and the connection closed without an answer.
pub fn localized_title(text: impl Fn() -> String + Send + Sync + 'static) -> leptos::text_prop::TextProp {
    #[cfg(feature = "ssr")]
    {
        leptos::text_prop::TextProp::from(text())
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::text_prop::TextProp::from(text)
    }
}
