//! "Journal d'audit" (`/admin/audit`): staff search and filter the trail, page through it and
//! export what they see as CSV. The filter lives in the query string, so it works without
//! WASM and a filtered view can be bookmarked.

use crate::audit::api::audit_trail;
use crate::audit::model::{AuditEntry, AuditFilter, AuditPage};
use crate::i18n::*;
use crate::ui::forms::{FieldError, FormError, has_error};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            AuditFilter {
                q: get("q"),
                action: get("action"),
                entity_type: get("entity_type"),
                actor: get("actor"),
                from: get("from"),
                to: get("to"),
                page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            }
        })
    });
    let trail = Resource::new(move || filter.get(), audit_trail);
    view! {
        <Title text=localized_title(move || t_string!(i18n, audit.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, audit.title)}</h1>
            <p>{t!(i18n, audit.intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let result = trail.await;
                    let filter = filter.get_untracked();
                    let error = result.as_ref().err().cloned();
                    let error = Signal::derive(move || error.clone());
                    let (actions, types) = result
                        .as_ref()
                        .map(|p| (p.actions.clone(), p.entity_types.clone()))
                        .unwrap_or_default();
                    view! {
                        <FilterForm filter=filter.clone() actions types error />
                        {match result {
                            Ok(page) => view! { <TrailView page filter /> }.into_any(),
                            Err(_) => view! { <FormError error /> }.into_any(),
                        }}
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FilterForm(
    filter: AuditFilter,
    actions: Vec<String>,
    types: Vec<String>,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = |all: Vec<String>, chosen: String| {
        all.into_iter()
            .map(|value| {
                let selected = value == chosen;
                view! {
                    <option value=value.clone() selected=selected>
                        {value.clone()}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <form method="get" action="/admin/audit" class="audit-filter">
            <div class="field">
                <label for="audit-q">{t!(i18n, audit.search)}</label>
                <input
                    id="audit-q"
                    name="q"
                    type="search"
                    value=filter.q.clone()
                    aria-describedby="q-error"
                    aria-invalid=has_error(error, "q")
                />
                <FieldError field="q" error />
            </div>
            <div class="field">
                <label for="audit-action">{t!(i18n, audit.action)}</label>
                <select id="audit-action" name="action">
                    <option value="">{t!(i18n, audit.any)}</option>
                    {options(actions, filter.action.clone())}
                </select>
            </div>
            <div class="field">
                <label for="audit-type">{t!(i18n, audit.entity_type)}</label>
                <select id="audit-type" name="entity_type">
                    <option value="">{t!(i18n, audit.any)}</option>
                    {options(types, filter.entity_type.clone())}
                </select>
            </div>
            <div class="field">
                <label for="audit-actor">{t!(i18n, audit.actor)}</label>
                <input
                    id="audit-actor"
                    name="actor"
                    type="text"
                    value=filter.actor.clone()
                    aria-describedby="actor-error"
                    aria-invalid=has_error(error, "actor")
                />
                <FieldError field="actor" error />
            </div>
            <div class="field">
                <label for="audit-from">{t!(i18n, audit.from)}</label>
                <input
                    id="audit-from"
                    name="from"
                    type="date"
                    value=filter.from.clone()
                    aria-describedby="from-error"
                    aria-invalid=has_error(error, "from")
                />
                <FieldError field="from" error />
            </div>
            <div class="field">
                <label for="audit-to">{t!(i18n, audit.to)}</label>
                <input
                    id="audit-to"
                    name="to"
                    type="date"
                    value=filter.to.clone()
                    aria-describedby="to-error"
                    aria-invalid=has_error(error, "to")
                />
                <FieldError field="to" error />
            </div>
            <button type="submit" class="button primary">
                {t!(i18n, audit.filter)}
            </button>
            " "
            <a class="button secondary" href="/admin/audit">
                {t!(i18n, audit.reset)}
            </a>
        </form>
    }
}

#[component]
fn TrailView(page: AuditPage, filter: AuditFilter) -> impl IntoView {
    let i18n = use_i18n();
    let per_page = i64::from(page.per_page);
    let pages = ((page.total + per_page - 1) / per_page).max(1);
    let query = filter.query_string();
    let link = move |n: i64| {
        if query.is_empty() {
            format!("/admin/audit?page={n}")
        } else {
            format!("/admin/audit?{query}&page={n}")
        }
    };
    let previous = (page.page > 1).then(|| link(i64::from(page.page) - 1));
    let next = (i64::from(page.page) < pages).then(|| link(i64::from(page.page) + 1));
    let export = {
        let query = filter.query_string();
        if query.is_empty() {
            "/admin/audit/export".to_owned()
        } else {
            format!("/admin/audit/export?{query}")
        }
    };
    let total = page.total;
    view! {
        <p class="audit-summary" role="status">
            {t!(i18n, audit.count, count = total)} " · "
            <a href=export download="">
                {t!(i18n, audit.export)}
            </a>
        </p>
        {if page.entries.is_empty() {
            view! { <p class="empty">{t!(i18n, audit.empty)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" role="region" tabindex="0" aria-labelledby="audit-caption">
                    <table class="audit-table">
                        <caption id="audit-caption">{t!(i18n, audit.caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, audit.when)}</th>
                                <th scope="col">{t!(i18n, audit.who)}</th>
                                <th scope="col">{t!(i18n, audit.action)}</th>
                                <th scope="col">{t!(i18n, audit.object)}</th>
                                <th scope="col">{t!(i18n, audit.change)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.entries.into_iter().map(|entry| view! { <EntryRow entry /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
        <nav class="pager" aria-label=move || t_string!(i18n, common.pagination).to_string()>
            {previous.map(|href| view! { <a href=href>{t!(i18n, common.previous)}</a> })}
            <span>{format!("{} / {}", page.page, pages)}</span>
            {next.map(|href| view! { <a href=href>{t!(i18n, common.next)}</a> })}
        </nav>
    }
}

#[component]
fn EntryRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let when = entry.occurred_at.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let who = match (&entry.actor_name, &entry.actor_email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(name), None) => name.clone(),
        (None, Some(email)) => email.clone(),
        (None, None) => String::new(),
    };
    let system = who.is_empty();
    view! {
        <tr data-action=entry.action.clone()>
            <td>
                <time datetime=entry.occurred_at.to_rfc3339()>{when}</time>
            </td>
            <td>{if system { t_string!(i18n, audit.system).to_string() } else { who }}</td>
            <td>
                <code>{entry.action.clone()}</code>
            </td>
            <td>
                {entry.entity_type.clone()} " "
                {if entry.entity_type == "organisation" {
                    view! {
                        <a href=crate::ui::org_link::organisation_href(&entry.entity_id)>
                            <code class="entity-id">{entry.entity_id.clone()}</code>
                        </a>
                    }
                        .into_any()
                } else {
                    view! { <code class="entity-id">{entry.entity_id.clone()}</code> }.into_any()
                }}
            </td>
            <td>
                {entry
                    .before
                    .map(|before| {
                        view! {
                            <details>
                                <summary>{t!(i18n, audit.before)}</summary>
                                <pre>{before}</pre>
                            </details>
                        }
                    })}
                {entry
                    .after
                    .map(|after| {
                        view! {
                            <details>
                                <summary>{t!(i18n, audit.after)}</summary>
                                <pre>{after}</pre>
                            </details>
                        }
                    })}
            </td>
        </tr>
    }
}
