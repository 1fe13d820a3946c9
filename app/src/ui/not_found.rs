//! The 404 page.

use crate::i18n::*;
use crate::ui::layout::PageReady;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for any unknown route, with HTTP status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageReady />
        <Title text=localized_title(move || t_string!(i18n, not_found.title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.text)}</p>
            <p>
                <a class="button" href="/">
                    {t!(i18n, not_found.back_home)}
                </a>
            </p>
        </section>
    }
}
