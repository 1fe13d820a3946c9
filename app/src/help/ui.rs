//! The help centre "En quoi pouvons-nous vous aider ?" (`/help`) and its editor for staff
//! (`/admin/help`).

use crate::error::AppError;
use crate::help::api::{SaveHelpQuestion, help_entries, load_help_centre};
use crate::help::model::{HelpCentre, HelpEntry, HelpQuestion};
use crate::help::rules::{Span, paragraphs};
use crate::i18n::*;
use crate::ui::forms::{FieldError, FormError, action_error, has_error, successes};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// An answer: paragraphs, with its links to the pages where things are done.
#[component]
pub fn Answer(text: String) -> impl IntoView {
    paragraphs(&text)
        .into_iter()
        .map(|spans| {
            let spans = spans
                .into_iter()
                .map(|span| match span {
                    Span::Text(text) => text.into_any(),
                    Span::Link { label, href } => view! { <a href=href>{label}</a> }.into_any(),
                })
                .collect_view();
            view! { <p>{spans}</p> }
        })
        .collect_view()
}

/// Public: the search form, its hits, then every section's questions (folded answers).
#[component]
pub fn HelpPage() -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|m| m.get("q").unwrap_or_default()));
    let centre = Resource::new(
        move || (query.get(), i18n.get_locale().as_str().to_owned()),
        |(query, locale)| load_help_centre(query, locale),
    );
    view! {
        <Title text=localized_title(move || t_string!(i18n, help.title).to_string()) />
        <section class="page help">
            <h1>{t!(i18n, help.title)}</h1>
            <p class="lead">{t!(i18n, help.intro)}</p>
            // A plain GET form: the search is a link of its own (`/help?q=…`), with or without WASM.
            <form method="get" action="/help" class="help-search" role="search">
                <label for="help-q">{t!(i18n, help.search_label)}</label>
                <div class="search-row">
                    <input
                        id="help-q"
                        type="search"
                        name="q"
                        autocomplete="off"
                        // The attribute for the server's HTML (the page is served as islands,
                        // `ui::islands`), the property for the app's navigations.
                        value=move || query.get()
                        prop:value=move || query.get()
                    />
                    <button type="submit" class="button primary">
                        {t!(i18n, help.search_button)}
                    </button>
                </div>
            </form>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match centre.await {
                        Ok(centre) => view! { <HelpContent centre query=query.get_untracked() /> }.into_any(),
                        Err(_) => view! { <p role="alert">{t!(i18n, common.error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn HelpContent(centre: HelpCentre, query: String) -> impl IntoView {
    let i18n = use_i18n();
    let hits = centre.hits.map(|hits| {
        let count = hits.len();
        let shown = query.trim().to_owned();
        view! {
            <section class="help-hits" aria-labelledby="hits-title">
                <h2 id="hits-title" data-testid="help-hits-title">
                    {t!(i18n, help.results, count = count, query = shown.clone())}
                </h2>
                {if hits.is_empty() {
                    view! { <p>{t!(i18n, help.no_results)}</p> }.into_any()
                } else {
                    view! {
                        <ol class="help-hit-list">
                            {hits
                                .into_iter()
                                .map(|hit| view! { <HitView hit /> })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }}
            </section>
        }
    });
    let contents = centre
        .sections
        .iter()
        .map(|s| {
            let href = format!("#section-{}", s.section_id);
            view! {
                <li>
                    <a href=href>{s.title.clone()}</a>
                </li>
            }
        })
        .collect_view();
    let sections = centre
        .sections
        .into_iter()
        .map(|section| {
            let id = format!("section-{}", section.section_id);
            let title_id = format!("{id}-title");
            let labelled_by = title_id.clone();
            view! {
                <section class="help-section" id=id aria-labelledby=labelled_by>
                    <h2 id=title_id>{section.title}</h2>
                    {section
                        .questions
                        .into_iter()
                        .map(|q| {
                            view! {
                                <details class="help-question" id=format!("q-{}", q.question_id)>
                                    <summary>{q.question}</summary>
                                    <div class="answer">
                                        <Answer text=q.answer />
                                    </div>
                                </details>
                            }
                        })
                        .collect_view()}
                </section>
            }
        })
        .collect_view();
    view! {
        {hits}
        <nav class="help-contents" aria-label=move || t_string!(i18n, help.sections).to_string()>
            <ul>{contents}</ul>
        </nav>
        {sections}
    }
}

#[component]
fn HitView(hit: HelpQuestion) -> impl IntoView {
    let title_id = format!("hit-{}", hit.question_id);
    let labelled_by = title_id.clone();
    view! {
        <li class="card help-hit" aria-labelledby=labelled_by>
            <h3 id=title_id>{hit.question}</h3>
            <Answer text=hit.answer />
        </li>
    }
}

/// Staff: every question in the three languages; "Modifier" opens its form. Served as islands
/// (`ui::islands::MODULES`, in the `helpdesk` module): the page reads the questions and
/// [`HelpEditor`], one island, shows and saves them.
#[component]
pub fn HelpAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let entries = Resource::new(|| (), |_| help_entries());
    view! {
        <Title text=localized_title(move || t_string!(i18n, help.admin_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, help.admin_title)}</h1>
            <p>{t!(i18n, help.admin_intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    view! { <HelpEditor entries=entries.await locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The questions and their forms, an island: its props are the questions as `help_entries`
/// read them and the page's language; they are read again after each save.
#[island]
fn HelpEditor(
    /// Every question in the three languages, or why they could not be read.
    entries: Result<Vec<HelpEntry>, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let save = ServerAction::<SaveHelpQuestion>::new();
    let saved = successes(save);
    let entries = read_again_on(entries, move || saved.get(), help_entries);
    let editing = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if saved.get() > 0 {
            editing.set(None);
        }
    });
    view! {
        {move || {
            (saved.get() > 0)
                .then(|| {
                    view! {
                        <p class="notice success" role="status">
                            {t!(i18n, help.saved)}
                        </p>
                    }
                })
        }}
        {move || match entries.get() {
            Ok(entries) => {
                view! {
                    <ul class="help-admin-list">
                        {entries.into_iter().map(|entry| view! { <EntryRow entry editing save /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }
            Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
        }}
    }
}

#[component]
fn EntryRow(
    entry: HelpEntry,
    editing: RwSignal<Option<String>>,
    save: ServerAction<SaveHelpQuestion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = entry.question_id.clone();
    let is_open = {
        let id = id.clone();
        move || editing.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let entry = StoredValue::new(entry);
    let open_id = id.clone();
    view! {
        <li class="card help-admin-entry" data-question=id.clone()>
            <p class="muted">{entry.with_value(|e| e.section_title.clone())}</p>
            <h2 class="h3">{entry.with_value(|e| e.texts.question_fr.clone())}</h2>
            {move || {
                if is_open() {
                    view! { <EditForm entry=entry.get_value() save editing /> }.into_any()
                } else {
                    let open_id = open_id.clone();
                    view! {
                        <button
                            type="button"
                            class="button secondary"
                            on:click=move |_| editing.set(Some(open_id.clone()))
                        >
                            {t!(i18n, help.edit)}
                        </button>
                    }
                        .into_any()
                }
            }}
        </li>
    }
}

#[component]
fn EditForm(
    entry: HelpEntry,
    save: ServerAction<SaveHelpQuestion>,
    editing: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let texts = entry.texts;
    let fields: [(&'static str, &'static str, String, bool); 6] = [
        ("texts[question_fr]", "question_fr", texts.question_fr, false),
        ("texts[answer_fr]", "answer_fr", texts.answer_fr, true),
        ("texts[question_nl]", "question_nl", texts.question_nl, false),
        ("texts[answer_nl]", "answer_nl", texts.answer_nl, true),
        ("texts[question_en]", "question_en", texts.question_en, false),
        ("texts[answer_en]", "answer_en", texts.answer_en, true),
    ];
    let fields = fields
        .into_iter()
        .map(|(name, key, value, is_answer)| {
            let id = format!("help-{key}");
            let error_id = format!("help-{key}-error");
            let label = move || match key {
                "question_fr" => t_string!(i18n, help.question_fr).to_string(),
                "question_nl" => t_string!(i18n, help.question_nl).to_string(),
                "question_en" => t_string!(i18n, help.question_en).to_string(),
                "answer_fr" => t_string!(i18n, help.answer_fr).to_string(),
                "answer_nl" => t_string!(i18n, help.answer_nl).to_string(),
                _ => t_string!(i18n, help.answer_en).to_string(),
            };
            let input = if is_answer {
                view! {
                    <textarea
                        id=id.clone()
                        name=name
                        rows="8"
                        aria-describedby=format!("help-answer-hint {error_id}")
                        aria-invalid=has_error(error, name)
                    >
                        {value}
                    </textarea>
                }
                .into_any()
            } else {
                view! {
                    <input
                        id=id.clone()
                        name=name
                        type="text"
                        value=value
                        aria-describedby=error_id.clone()
                        aria-invalid=has_error(error, name)
                    />
                }
                .into_any()
            };
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    {input}
                    <FieldError field=name error id=error_id />
                </div>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=save attr:class="help-edit">
            <input type="hidden" name="question_id" value=entry.question_id.clone() />
            <p class="hint" id="help-answer-hint">
                {t!(i18n, help.answer_hint)}
            </p>
            <FormError error />
            {fields}
            <button type="submit" class="button primary" disabled=move || save.pending().get()>
                {move || {
                    if save.pending().get() {
                        t_string!(i18n, common.sending).to_string()
                    } else {
                        t_string!(i18n, help.save).to_string()
                    }
                }}
            </button>
            " "
            <button type="button" class="button secondary" on:click=move |_| editing.set(None)>
                {t!(i18n, help.cancel)}
            </button>
        </ActionForm>
    }
}
