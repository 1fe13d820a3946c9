//! The pager under a paged list.

use crate::i18n::*;
use leptos::prelude::*;

/// "Précédent — 2 / 5 — Suivant" under a list whose pages count from 1: `link(n)` is the
/// address of page `n`; the first page has no "previous", the last no "next".
pub fn pager(
    i18n: leptos_i18n::I18nContext<Locale>,
    page: i64,
    pages: i64,
    link: impl Fn(i64) -> String,
) -> impl IntoView {
    let previous = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, common.pagination).to_string()>
            {previous.map(|href| view! { <a href=href>{t!(i18n, common.previous)}</a> })}
            <span>{format!("{page} / {pages}")}</span>
            {next.map(|href| view! { <a href=href>{t!(i18n, common.next)}</a> })}
        </nav>
    }
}
