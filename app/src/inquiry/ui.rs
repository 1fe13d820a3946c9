//! Staff: "Questions « organisation inscrite ? »" (`/admin/inquiries`). The filter and search
//! live in the query string (a plain GET form: it works before the WASM loads, and a view can
//! be bookmarked); each open question has its answer form, prefilled from a template in the
//! inquirer's language.

use crate::error::AppError;
use crate::i18n::*;
use crate::inquiry::api::{AnswerInquiry, list_inquiries};
use crate::inquiry::model::{AnswerTemplate, InquiryListing, StaffInquiry};
use crate::ui::forms::{FieldError, FormError, LoadError, Loading, SubmitButton, action_error, has_error};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::pager::pager;
use crate::ui::title::localized_title;
use crate::ui::url::percent_encode;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The language a question was asked in (French for anything else).
fn locale_of(language: &str) -> Locale {
    match language {
        "nl" => Locale::nl,
        "en" => Locale::en,
        _ => Locale::fr,
    }
}

/// The template's text in `locale`, for the organisation named in the question. The
/// "registered" text names no one and no address of the account: only who to ask.
pub fn template_text(template: AnswerTemplate, locale: Locale, organisation: &str, site: &str) -> String {
    match template {
        AnswerTemplate::Registered => {
            td_string!(locale, inquiries_admin.template_registered, organisation, site).to_string()
        }
        AnswerTemplate::NotRegistered => {
            td_string!(locale, inquiries_admin.template_not_registered, organisation, site).to_string()
        }
        AnswerTemplate::NeedInfo => td_string!(locale, inquiries_admin.template_need_info, organisation).to_string(),
        AnswerTemplate::Free => td_string!(locale, inquiries_admin.template_free).to_string(),
    }
}

fn template_label(i18n: leptos_i18n::I18nContext<Locale>, template: AnswerTemplate) -> String {
    match template {
        AnswerTemplate::Registered => t_string!(i18n, inquiries_admin.choice_registered).to_string(),
        AnswerTemplate::NotRegistered => t_string!(i18n, inquiries_admin.choice_not_registered).to_string(),
        AnswerTemplate::NeedInfo => t_string!(i18n, inquiries_admin.choice_need_info).to_string(),
        AnswerTemplate::Free => t_string!(i18n, inquiries_admin.choice_free).to_string(),
    }
}

/// The name of a language code (`fr`, `nl`, `en`) as staff read it; anything else is French.
pub(crate) fn language_name(i18n: leptos_i18n::I18nContext<Locale>, language: &str) -> String {
    match language {
        "nl" => t_string!(i18n, inquiries_admin.language_nl).to_string(),
        "en" => t_string!(i18n, inquiries_admin.language_en).to_string(),
        _ => t_string!(i18n, inquiries_admin.language_fr).to_string(),
    }
}

/// `/admin/inquiries?status=open|answered&q=…&page=n`.
fn list_href(status: &str, search: &str, page: i64) -> String {
    let mut href = format!("/admin/inquiries?status={status}&page={page}");
    if !search.is_empty() {
        href.push_str("&q=");
        href.push_str(&percent_encode(search));
    }
    href
}

/// Staff: the public questions, one page at a time, each answered from a template. Served as
/// islands (`ui::islands::MODULES`, in the `inquiries` module): the filter is a GET form of
/// the server's HTML, and [`Inquiries`], one island, holds the page of questions and their
/// answer forms.
#[component]
pub fn InquiriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (status, search, page) = query.with_untracked(|q| {
        (
            q.get("status")
                .filter(|s| s == "answered")
                .unwrap_or_else(|| "open".to_owned()),
            q.get("q").unwrap_or_default(),
            q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1),
        )
    });
    let listing = {
        let (status, search) = (status.clone(), search.clone());
        Resource::new(
            move || (status.clone(), search.clone()),
            move |(status, search)| list_inquiries(Some(status), Some(search), Some(page)),
        )
    };
    let open = status == "open";
    let searched = search.clone();
    view! {
        <Title text=localized_title(move || t_string!(i18n, inquiry.staff_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, inquiry.staff_title)}</h1>
            <p class="lead">{t!(i18n, inquiries_admin.intro)}</p>
            <form method="get" action="/admin/inquiries" class="filters" role="search">
                <div class="field">
                    <label for="inquiry-status">{t!(i18n, inquiries_admin.status_label)}</label>
                    <select id="inquiry-status" name="status">
                        <option value="open" selected=open>
                            {t!(i18n, inquiries_admin.status_open)}
                        </option>
                        <option value="answered" selected=!open>
                            {t!(i18n, inquiries_admin.status_answered)}
                        </option>
                    </select>
                </div>
                <div class="field">
                    <label for="inquiry-search">{t!(i18n, inquiries_admin.search_label)}</label>
                    <input
                        id="inquiry-search"
                        name="q"
                        type="search"
                        maxlength="200"
                        value=searched
                        aria-describedby="inquiry-search-hint"
                    />
                    <p class="hint" id="inquiry-search-hint">
                        {t!(i18n, inquiries_admin.search_hint)}
                    </p>
                </div>
                <button type="submit" class="button">
                    {t!(i18n, inquiries_admin.filter)}
                </button>
            </form>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || {
                    let (status, search) = (status.clone(), search.clone());
                    Suspend::new(async move {
                        view! { <Inquiries listing=listing.await status search page locale=i18n.get_locale() /> }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// One page of questions and the answer forms of the open ones, an island: its props are the
/// page as `list_inquiries` read it, the filter it was read with and the page's language.
/// After each answer the page is read again, and a notice names where the answer went.
#[island]
fn Inquiries(
    /// The page of questions, or why it could not be read.
    listing: Result<InquiryListing, AppError>,
    /// The filter: `open` or `answered`, the search, the page number.
    status: String,
    search: String,
    page: i64,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let answered = RwSignal::new(0_usize);
    // The address the last answer went to, for the notice once its question left the list.
    let last_sent = RwSignal::new(None::<String>);
    provide_context(last_sent);
    let listing = {
        let (status, search) = (status.clone(), search.clone());
        read_again_on(
            listing,
            move || answered.get(),
            move || list_inquiries(Some(status.clone()), Some(search.clone()), Some(page)),
        )
    };
    view! {
        {move || {
            last_sent
                .get()
                .map(|email| {
                    view! {
                        <p class="notice success" role="status">
                            {t_string!(i18n, inquiries_admin.answered_notice, email).to_string()}
                        </p>
                    }
                })
        }}
        {move || match listing.get() {
            Ok(listing) => {
                view! { <Listing listing answered status=status.clone() search=search.clone() /> }.into_any()
            }
            Err(error) => view! { <LoadError error /> }.into_any(),
        }}
    }
}

#[component]
fn Listing(listing: InquiryListing, answered: RwSignal<usize>, status: String, search: String) -> impl IntoView {
    let i18n = use_i18n();
    let counts = t_string!(
        i18n,
        inquiries_admin.counts,
        total = listing.total,
        open = listing.open_total
    )
    .to_string();
    let pages = ((listing.total + listing.page_size - 1) / listing.page_size.max(1)).max(1);
    let page = listing.page;
    let site = listing.site.clone();
    if listing.items.is_empty() {
        return view! {
            <p role="status">{counts}</p>
            <p class="empty">{t!(i18n, inquiry.none)}</p>
        }
        .into_any();
    }
    view! {
        <p role="status">{counts}</p>
        <ul class="inquiry-list">
            {listing
                .items
                .into_iter()
                .map(|q| view! { <InquiryItem inquiry=q site=site.clone() answered /> })
                .collect_view()}
        </ul>
        {pager(i18n, page, pages, move |n| list_href(&status, &search, n))}
    }
    .into_any()
}

#[component]
fn InquiryItem(inquiry: StaffInquiry, site: String, answered: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("inquiry-{}", inquiry.inquiry_id);
    let matched = match inquiry.matched.clone() {
        Some(m) => view! {
            <p>
                {t!(i18n, inquiry.match_yes)} " "
                <a href=format!("/admin/organisations/{}", m.organisation_id)>{m.legal_name}</a>
            </p>
        }
        .into_any(),
        None => view! { <p>{t!(i18n, inquiry.match_no)}</p> }.into_any(),
    };
    let body = match inquiry.answer.clone() {
        Some(answer) => {
            let template = AnswerTemplate::parse(&answer.template).unwrap_or(AnswerTemplate::Free);
            let by = t_string!(
                i18n,
                inquiries_admin.answered_by,
                who = answer.answered_by.clone(),
                when = answer
                    .answered_at
                    .chars()
                    .take(16)
                    .collect::<String>()
                    .replace('T', " ")
            )
            .to_string();
            view! {
                <div class="answer">
                    <p>
                        <strong>{by}</strong>
                        " · "
                        {template_label(i18n, template)}
                    </p>
                    <blockquote class="answer-text">{answer.text}</blockquote>
                </div>
            }
            .into_any()
        }
        None => view! { <AnswerForm inquiry=inquiry.clone() site answered /> }.into_any(),
    };
    view! {
        <li>
            <h2 class="item-title" id=heading_id>
                {inquiry.organisation_name.clone()}
            </h2>
            <p>{format!("{} · {}", inquiry.enterprise_number, inquiry.address)}</p>
            <p>
                {t!(i18n, inquiry.reply_to)} " "
                <a href=format!("mailto:{}", inquiry.reply_email)>{inquiry.reply_email.clone()}</a>
                " · "
                {inquiry.created_at.chars().take(16).collect::<String>().replace('T', " ")}
                " · "
                {language_name(i18n, &inquiry.language)}
            </p>
            {matched}
            {body}
        </li>
    }
}

/// The answer form of one open question: the template, its text in the inquirer's language
/// (editable), "Envoyer et clore".
#[component]
fn AnswerForm(inquiry: StaffInquiry, site: String, answered: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AnswerInquiry>::new();
    let error = action_error(action);
    let last_sent = use_context::<RwSignal<Option<String>>>();
    let reply_email = inquiry.reply_email.clone();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            if let Some(last_sent) = last_sent {
                last_sent.set(Some(reply_email.clone()));
            }
            answered.update(|n| *n += 1);
        }
    });
    let locale = locale_of(&inquiry.language);
    let suggested = if inquiry.matched.is_some() {
        AnswerTemplate::Registered
    } else {
        AnswerTemplate::NotRegistered
    };
    let organisation = StoredValue::new(inquiry.organisation_name.clone());
    let site = StoredValue::new(site);
    let initial = template_text(suggested, locale, &inquiry.organisation_name, &site.get_value());
    let text = RwSignal::new(initial.clone());
    let id = inquiry.inquiry_id.clone();
    let template_id = format!("template-{id}");
    let text_id = format!("answer-{id}");
    let template_error = format!("template-{id}-error");
    let text_error = format!("answer-{id}-error");
    let text_hint = format!("answer-{id}-hint");
    let on_template = move |ev: leptos::ev::Event| {
        if let Some(template) = AnswerTemplate::parse(&event_target_value(&ev)) {
            text.set(template_text(
                template,
                locale,
                &organisation.get_value(),
                &site.get_value(),
            ));
        }
    };
    view! {
        <ActionForm action=action attr:class="answer-form">
            <input type="hidden" name="inquiry_id" value=id.clone() />
            <FormError error />
            <div class="field">
                <label for=template_id.clone()>{t!(i18n, inquiries_admin.template_label)}</label>
                <select
                    id=template_id
                    name="template"
                    on:change=on_template
                    aria-describedby=template_error.clone()
                    aria-invalid=has_error(error, "template")
                >
                    {AnswerTemplate::ALL
                        .into_iter()
                        .map(|t| {
                            view! {
                                <option value=t.as_str() selected=t == suggested>
                                    {template_label(i18n, t)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldError field="template" id=template_error error />
            </div>
            <div class="field">
                <label for=text_id.clone()>{t!(i18n, inquiries_admin.text_label)}</label>
                <textarea
                    id=text_id
                    name="text"
                    rows="8"
                    maxlength="5000"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    aria-describedby=format!("{text_hint} {text_error}")
                    aria-invalid=has_error(error, "text")
                >
                    {initial}
                </textarea>
                <p class="hint" id=text_hint>
                    {t!(i18n, inquiries_admin.text_hint)}
                </p>
                <FieldError field="text" id=text_error error />
            </div>
            <SubmitButton pending=action.pending()>{t!(i18n, inquiries_admin.send_and_close)}</SubmitButton>
        </ActionForm>
    }
}
