//! The HTTP request being served, as seen from a server function or a server-rendered page.

use crate::i18n::Locale;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use leptos::prelude::*;

/// The request's head (leptos_axum provides it in context).
pub fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The value of cookie `name` in the request.
pub fn cookie(name: &str) -> Option<String> {
    cookie_in(&parts()?.headers, name)
}

/// The value of cookie `name` in these headers (for plain axum handlers too).
pub fn cookie_in(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}

/// The caller's language, as the UI chooses it: the language cookie, then Accept-Language,
/// then French. Used for e-mails written during the request.
pub fn locale() -> Locale {
    parts().map_or(Locale::fr, |parts| locale_in(&parts.headers))
}

/// [`locale`] for these headers (plain axum handlers, such as the invoice PDF).
pub fn locale_in(headers: &axum::http::HeaderMap) -> Locale {
    use leptos_i18n::Locale as _;
    if let Some(chosen) = cookie_in(headers, "i18n_pref_locale")
        && let Some(locale) = Locale::get_all().iter().find(|l| l.as_str() == chosen)
    {
        return *locale;
    }
    let accepted: Vec<String> = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|header| header.to_str().ok())
        .map(|header| {
            header
                .split(',')
                .filter_map(|part| part.split(';').next())
                .map(|tag| tag.trim().to_owned())
                .filter(|tag| !tag.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if accepted.is_empty() {
        Locale::fr
    } else {
        Locale::find_locale(&accepted)
    }
}
