//! The legal pages (`/terms`, `/privacy`) and their editor for admins (`/admin/legal`).

use crate::help::rules::Span;
use crate::i18n::*;
use crate::legal::api::{SaveLegalText, legal_texts, load_legal_text};
use crate::legal::model::{LegalPage, LegalText};
use crate::legal::rules::{Block, MAX_LEGAL_CHARS, blocks};
use crate::ui::forms::{FieldError, FormError, LoadError, Loading, SubmitButton, action_error, has_error, successes};
use crate::ui::islands::provide_app_i18n;
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

fn page_title(i18n: leptos_i18n::I18nContext<Locale>, page: LegalPage) -> String {
    match page {
        LegalPage::Terms => t_string!(i18n, legal.terms_title).to_string(),
        LegalPage::Privacy => t_string!(i18n, legal.privacy_title).to_string(),
    }
}

/// A legal text as headings and paragraphs with their links.
#[component]
pub fn LegalBody(text: String) -> impl IntoView {
    blocks(&text)
        .into_iter()
        .map(|block| match block {
            Block::Heading(title) => view! { <h2>{title}</h2> }.into_any(),
            Block::Paragraph(spans) => {
                let spans = spans
                    .into_iter()
                    .map(|span| match span {
                        Span::Text(text) => text.into_any(),
                        Span::Link { label, href } => view! { <a href=href>{label}</a> }.into_any(),
                    })
                    .collect_view();
                view! { <p>{spans}</p> }.into_any()
            }
        })
        .collect_view()
}

#[component]
fn LegalPageView(page: LegalPage) -> impl IntoView {
    let i18n = use_i18n();
    let text = Resource::new(
        move || i18n.get_locale().as_str().to_owned(),
        move |locale| load_legal_text(page.as_str().to_owned(), locale),
    );
    view! {
        <Title text=localized_title(move || page_title(i18n, page)) />
        <section class="page narrow legal-page">
            <h1>{move || page_title(i18n, page)}</h1>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match text.await {
                        Ok(text) => {
                            let updated = text.updated_at.chars().take(10).collect::<String>();
                            view! {
                                <p class="muted">
                                    {t_string!(i18n, legal.updated, date = updated).to_string()}
                                </p>
                                <div class="legal-text">
                                    <LegalBody text=text.body />
                                </div>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// "Conditions générales de vente".
#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <LegalPageView page=LegalPage::Terms /> }
}

/// "Protection de la vie privée".
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <LegalPageView page=LegalPage::Privacy /> }
}

/// Admins: each page's text in French, Dutch and English, one form per language. Served as
/// islands (`ui::islands::MODULES`, in the `legal` module): the page reads the texts, and
/// each form is an island, [`LegalTextForm`].
#[component]
pub fn LegalAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let texts = Resource::new(|| (), |()| legal_texts());
    view! {
        <Title text=localized_title(move || t_string!(i18n, legal.admin_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, legal.admin_title)}</h1>
            <p id="legal-hint">{t!(i18n, legal.admin_intro)}</p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match texts.await {
                        Ok(texts) => {
                            LegalPage::ALL
                                .into_iter()
                                .map(|page| {
                                    let forms = texts
                                        .iter()
                                        .filter(|t| t.page == page.as_str())
                                        .cloned()
                                        .map(|text| view! { <LegalTextForm text locale=i18n.get_locale() /> })
                                        .collect_view();
                                    let href = format!("/{}", page.as_str());
                                    view! {
                                        <section class="legal-admin" aria-labelledby=format!("legal-{}", page.as_str())>
                                            <h2 id=format!("legal-{}", page.as_str())>{page_title(i18n, page)}</h2>
                                            <p>
                                                <a href=href>{t!(i18n, legal.view)}</a>
                                            </p>
                                            {forms}
                                        </section>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One page's text in one language and its form, an island: its props are the text as
/// `legal_texts` read it and the page's language.
#[island]
fn LegalTextForm(
    /// The text, its page and its language.
    text: LegalText,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let save = ServerAction::<SaveLegalText>::new();
    let error = action_error(save);
    let saved = successes(save);
    let id = format!("legal-{}-{}", text.page, text.language);
    let error_id = format!("{id}-error");
    let language = text.language.clone();
    let label = move || match language.as_str() {
        "nl" => t_string!(i18n, legal.text_nl).to_string(),
        "en" => t_string!(i18n, legal.text_en).to_string(),
        _ => t_string!(i18n, legal.text_fr).to_string(),
    };
    let changed = match &text.updated_by {
        Some(name) => t_string!(
            i18n,
            legal.edited_by,
            name = name.clone(),
            date = text.updated_at.chars().take(10).collect::<String>()
        )
        .to_string(),
        None => t_string!(i18n, legal.shipped).to_string(),
    };
    view! {
        <ActionForm action=save attr:class="legal-edit">
            <input type="hidden" name="page" value=text.page.clone() />
            <input type="hidden" name="language" value=text.language.clone() />
            <FormError error />
            <div class="field">
                <label for=id.clone()>{label}</label>
                <textarea
                    id=id.clone()
                    name="body"
                    rows="14"
                    maxlength=MAX_LEGAL_CHARS.to_string()
                    aria-describedby=format!("legal-hint {error_id}")
                    aria-invalid=has_error(error, "body")
                >
                    {text.body.clone()}
                </textarea>
                <p class="hint">{changed}</p>
                <FieldError field="body" error id=error_id />
            </div>
            {move || {
                (saved.get() > 0)
                    .then(|| {
                        view! {
                            <p class="notice success" role="status">
                                {t!(i18n, legal.saved)}
                            </p>
                        }
                    })
            }}
            <SubmitButton pending=save.pending()>{t!(i18n, legal.save)}</SubmitButton>
        </ActionForm>
    }
}
