//! "Annuaire des organisations" (`/admin/organisations`) and an organisation's 360 page
//! (`/admin/organisations/{id}`). The search and filters live in the query string: a search
//! is a link, the back button returns to it, and the form works before the WASM loads.

use crate::directory::api::{load_organisation_overview, search_organisations};
use crate::directory::model::{DirectoryEntry, DirectoryListing, DirectoryQuery, OrganisationOverview, OverviewEvent};
use crate::i18n::*;
use crate::org::ui::{ReviewSections, qualification_label, status_label, vat_status_label};
use crate::ui::forms::{FieldError, FormError, LoadError, Loading, has_error};
use crate::ui::org_link::OrgLink;
use crate::ui::title::localized_title;
use domain::invoice::VatStatus;
use domain::org::model::EligibilityStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Staff: find any organisation.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
            DirectoryQuery {
                q: get("q"),
                status: get("status"),
                partner: get("partner"),
                country: get("country"),
                vat: get("vat"),
                page: q.get("page").and_then(|p| p.parse().ok()),
            }
        })
    });
    let listing = Resource::new(move || search.get(), search_organisations);
    view! {
        <Title text=localized_title(move || t_string!(i18n, directory.title).to_string()) />
        <section class="page directory">
            <h1>{t!(i18n, directory.title)}</h1>
            <p class="lead">{t!(i18n, directory.intro)}</p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let result = listing.await;
                    let search = search.get_untracked();
                    let error = result.as_ref().err().cloned();
                    let error = Signal::derive(move || error.clone());
                    let partners = result.as_ref().map(|l| l.partners.clone()).unwrap_or_default();
                    view! {
                        <SearchForm search=search.clone() partners error />
                        {match result {
                            Ok(listing) => view! { <Results listing search /> }.into_any(),
                            Err(_) => view! { <FormError error /> }.into_any(),
                        }}
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The options of a filter's select: "all" first, then (value, label), `chosen` selected.
fn options(
    i18n: leptos_i18n::I18nContext<Locale>,
    all: Vec<(String, String)>,
    chosen: Option<String>,
) -> impl IntoView {
    let chosen = chosen.unwrap_or_default();
    let any_selected = chosen.is_empty();
    view! {
        <option value="" selected=any_selected>
            {t!(i18n, directory.any)}
        </option>
        {all
            .into_iter()
            .map(|(value, label)| {
                let selected = value == chosen;
                view! {
                    <option value=value selected=selected>
                        {label}
                    </option>
                }
            })
            .collect_view()}
    }
}

#[component]
fn SearchForm(
    search: DirectoryQuery,
    partners: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let statuses: Vec<(String, String)> = [
        EligibilityStatus::Pending,
        EligibilityStatus::InfoRequested,
        EligibilityStatus::Eligible,
        EligibilityStatus::Rejected,
    ]
    .into_iter()
    .map(|s| (s.as_str().to_owned(), status_label(i18n, s)))
    .collect();
    let vats: Vec<(String, String)> = VatStatus::ALL
        .into_iter()
        .map(|s| (s.as_str().to_owned(), vat_status_label(i18n, s)))
        .collect();
    let countries = vec![
        ("BE".to_owned(), t_string!(i18n, directory.country_be).to_string()),
        ("LU".to_owned(), t_string!(i18n, directory.country_lu).to_string()),
    ];
    view! {
        <form method="get" action="/admin/organisations" class="directory-search" role="search">
            <div class="field">
                <label for="directory-q">{t!(i18n, directory.search)}</label>
                <input
                    id="directory-q"
                    name="q"
                    type="search"
                    maxlength="200"
                    value=search.q.clone().unwrap_or_default()
                    aria-describedby="directory-q-hint q-error"
                    aria-invalid=has_error(error, "q")
                />
                <p class="hint" id="directory-q-hint">
                    {t!(i18n, directory.search_hint)}
                </p>
                <FieldError field="q" error />
            </div>
            <div class="filters">
                <div class="field">
                    <label for="directory-status">{t!(i18n, directory.status)}</label>
                    <select id="directory-status" name="status" aria-describedby="status-error">
                        {options(i18n, statuses, search.status.clone())}
                    </select>
                    <FieldError field="status" error />
                </div>
                <div class="field">
                    <label for="directory-partner">{t!(i18n, directory.partner)}</label>
                    <select id="directory-partner" name="partner" aria-describedby="partner-error">
                        {options(i18n, partners, search.partner.clone())}
                    </select>
                    <FieldError field="partner" error />
                </div>
                <div class="field">
                    <label for="directory-country">{t!(i18n, directory.country)}</label>
                    <select id="directory-country" name="country" aria-describedby="country-error">
                        {options(i18n, countries, search.country.clone())}
                    </select>
                    <FieldError field="country" error />
                </div>
                <div class="field">
                    <label for="directory-vat">{t!(i18n, directory.vat)}</label>
                    <select id="directory-vat" name="vat" aria-describedby="vat-error">
                        {options(i18n, vats, search.vat.clone())}
                    </select>
                    <FieldError field="vat" error />
                </div>
            </div>
            <button type="submit" class="button primary">
                {t!(i18n, directory.search_button)}
            </button>
            " "
            <a class="button secondary" href="/admin/organisations">
                {t!(i18n, directory.reset)}
            </a>
        </form>
    }
}

#[component]
fn Results(listing: DirectoryListing, search: DirectoryQuery) -> impl IntoView {
    let i18n = use_i18n();
    let per_page = i64::from(listing.per_page.max(1));
    let pages = ((listing.total + per_page - 1) / per_page).max(1);
    let page = i64::from(listing.page);
    let query = search.query_string();
    let link = move |n: i64| {
        if query.is_empty() {
            format!("/admin/organisations?page={n}")
        } else {
            format!("/admin/organisations?{query}&page={n}")
        }
    };
    let previous = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    let total = listing.total;
    view! {
        <p class="directory-count" role="status">
            {t!(i18n, directory.count, count = total)}
        </p>
        {if listing.items.is_empty() {
            view! { <p class="empty">{t!(i18n, directory.empty)}</p> }.into_any()
        } else {
            view! {
                <ul class="queue directory-results" aria-label=move || t_string!(i18n, directory.results).to_string()>
                    {listing.items.into_iter().map(|entry| view! { <ResultRow entry /> }).collect_view()}
                </ul>
            }
                .into_any()
        }}
        <nav class="pager" aria-label=move || t_string!(i18n, common.pagination).to_string()>
            {previous.map(|href| view! { <a href=href rel="prev">{t!(i18n, common.previous)}</a> })}
            <span>{format!("{page} / {pages}")}</span>
            {next.map(|href| view! { <a href=href rel="next">{t!(i18n, common.next)}</a> })}
        </nav>
    }
}

#[component]
fn ResultRow(entry: DirectoryEntry) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li data-organisation=entry.organisation_id.clone()>
            <OrgLink id=entry.organisation_id.clone() name=entry.legal_name.clone() />
            <span class="muted">
                {format!(
                    " · {} {} · {} {}",
                    entry.country.as_str(),
                    entry.enterprise_number,
                    entry.postal_code,
                    entry.city,
                )}
            </span>
            <p>
                <span class=format!("status status-{}", entry.eligibility_status.as_str())>
                    {status_label(i18n, entry.eligibility_status)}
                </span>
                " · "
                {vat_status_label(i18n, entry.vat_status)}
                {entry
                    .holder_name
                    .map(|name| view! { " · " {t!(i18n, directory.holder)} " : " {name} })}
            </p>
        </li>
    }
}

/// Staff: an organisation's 360 page: its file with the review actions, then its orders and
/// invoices, credit notes, tokens, change requests, qualification history and audit entries.
#[component]
pub fn OrganisationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let overview = Resource::new(id, load_organisation_overview);
    view! {
        <Title text=localized_title(move || t_string!(i18n, directory.page_title).to_string()) />
        <section class="page organisation-360">
            <p>
                <a href="/admin/organisations">{t!(i18n, directory.back)}</a>
                " · "
                <a href="/admin/reviews">{t!(i18n, review.back)}</a>
            </p>
            <nav class="tools" aria-label=move || t_string!(i18n, directory.sections).to_string()>
                <a href="#file-title">{t!(i18n, directory.section_file)}</a>
                <a href="#overview-history">{t!(i18n, directory.section_history)}</a>
                <a href="#overview-orders">{t!(i18n, directory.section_orders)}</a>
                <a href="#overview-tokens">{t!(i18n, directory.section_tokens)}</a>
                <a href="#overview-changes">{t!(i18n, directory.section_changes)}</a>
                <a href="#overview-audit">{t!(i18n, directory.section_audit)}</a>
            </nav>
            <ReviewSections />
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <Overview overview /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&domain::calendar::BELGIUM)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[component]
fn Overview(overview: OrganisationOverview) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let audit_href = format!("/admin/audit?q={}&entity_type=organisation", overview.organisation_id);
    let orders_shown = overview.orders.len();
    let tokens_shown = overview.tokens.len();
    view! {
        <section class="card" aria-labelledby="overview-appeal">
            <h2 id="overview-appeal">{t!(i18n, directory.section_appeal)}</h2>
            {match overview.appeal.clone() {
                Some(appeal) => view! { <p class="notice">{appeal}</p> }.into_any(),
                None => view! { <p class="empty">{t!(i18n, directory.no_appeal)}</p> }.into_any(),
            }}
        </section>
        <section class="card" aria-labelledby="overview-history">
            <h2 id="overview-history">{t!(i18n, directory.section_history)}</h2>
            {if overview.qualification_history.is_empty() {
                view! { <p class="empty">{t!(i18n, directory.no_history)}</p> }.into_any()
            } else {
                view! {
                    <ul class="history">
                        {overview
                            .qualification_history
                            .into_iter()
                            .map(|event| view! { <HistoryItem event /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section class="card" aria-labelledby="overview-orders">
            <h2 id="overview-orders">{t!(i18n, directory.section_orders)}</h2>
            <p>{t!(i18n, directory.shown_of, shown = orders_shown, total = overview.orders_total)}</p>
            {if overview.orders.is_empty() {
                view! { <p class="empty">{t!(i18n, directory.no_orders)}</p> }.into_any()
            } else {
                view! {
                    <ul class="overview-list">
                        {overview
                            .orders
                            .into_iter()
                            .map(|order| {
                                let status = domain::order::model::OrderStatus::parse(&order.status)
                                    .map(|s| crate::order::requests_ui::status_label(i18n, s))
                                    .unwrap_or(order.status.clone());
                                let category = if order.category == "hardware" {
                                    t_string!(i18n, directory.category_hardware).to_string()
                                } else {
                                    t_string!(i18n, directory.category_software).to_string()
                                };
                                view! {
                                    <li>
                                        <a href=format!("/admin/orders/{}", order.order_id)>{order.reference.clone()}</a>
                                        {format!(" · {} · {} · {}", when(order.submitted_at), category, status)}
                                        {order
                                            .invoice_id
                                            .map(|invoice_id| {
                                                let number = order.invoice_number.clone().unwrap_or_default();
                                                let total = order
                                                    .total_cents
                                                    .map(|c| format!(" ({})", crate::order::document::money(locale, c)))
                                                    .unwrap_or_default();
                                                view! {
                                                    " · " {t!(i18n, directory.invoice)} " "
                                                    <a href=format!("/invoices/{invoice_id}")>{number}</a>
                                                    {total}
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <h3>{t!(i18n, directory.section_credit_notes)}</h3>
            {if overview.credit_notes.is_empty() {
                view! { <p class="empty">{t!(i18n, directory.no_credit_notes)}</p> }.into_any()
            } else {
                view! {
                    <ul class="overview-list">
                        {overview
                            .credit_notes
                            .into_iter()
                            .map(|note| {
                                let kind = if note.kind == "refund" {
                                    t_string!(i18n, directory.kind_refund).to_string()
                                } else {
                                    t_string!(i18n, directory.kind_cancellation).to_string()
                                };
                                view! {
                                    <li>
                                        <a href=format!(
                                            "/credit-notes/{}/pdf",
                                            note.credit_note_id,
                                        )>{note.number.clone().unwrap_or_else(|| note.credit_note_id.clone())}</a>
                                        {format!(" · {} · {}", kind, note.issued_on.clone().unwrap_or_default())} " · "
                                        <a href=format!("/admin/orders/{}", note.order_id)>
                                            {t!(i18n, directory.order)}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section class="card" aria-labelledby="overview-tokens">
            <h2 id="overview-tokens">{t!(i18n, directory.section_tokens)}</h2>
            <p>{t!(i18n, directory.shown_of, shown = tokens_shown, total = overview.tokens_total)}</p>
            {if overview.tokens.is_empty() {
                view! { <p class="empty">{t!(i18n, directory.no_tokens)}</p> }.into_any()
            } else {
                view! {
                    <ul class="overview-list">
                        {overview
                            .tokens
                            .into_iter()
                            .map(|token| {
                                let state = if token.revoked {
                                    t_string!(i18n, directory.token_revoked).to_string()
                                } else {
                                    t_string!(i18n, directory.token_valid_until).to_string()
                                };
                                view! {
                                    <li>
                                        <code>{format!("{}@…", token.code_start)}</code>
                                        {format!(
                                            " · {} <{}> · {} · {} {}",
                                            token.recipient_name,
                                            token.recipient_email,
                                            token.partner_id.clone().unwrap_or_else(|| "*".to_owned()),
                                            state,
                                            when(token.expires_at),
                                        )}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section class="card" aria-labelledby="overview-changes">
            <h2 id="overview-changes">{t!(i18n, directory.section_changes)}</h2>
            {if overview.change_requests.is_empty() {
                view! { <p class="empty">{t!(i18n, directory.no_changes)}</p> }.into_any()
            } else {
                view! {
                    <ul class="overview-list">
                        {overview
                            .change_requests
                            .into_iter()
                            .map(|change| {
                                let status = match change.status.as_str() {
                                    "accepted" => t_string!(i18n, directory.change_accepted).to_string(),
                                    "refused" => t_string!(i18n, directory.change_refused).to_string(),
                                    _ => t_string!(i18n, directory.change_pending).to_string(),
                                };
                                view! {
                                    <li>
                                        {format!("{} · {}", when(change.created_at), status)}
                                        {change.decided_at.map(|at| format!(" · {}", when(at)))}
                                        {change.decision_reason.clone().map(|r| format!(" — {r}"))}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <p>
                <a href="/admin/changes">{t!(i18n, directory.changes_link)}</a>
            </p>
        </section>
        <section class="card" aria-labelledby="overview-audit">
            <h2 id="overview-audit">{t!(i18n, directory.section_audit)}</h2>
            {if overview.audit.is_empty() {
                view! { <p class="empty">{t!(i18n, directory.no_audit)}</p> }.into_any()
            } else {
                view! {
                    <ul class="overview-list">
                        {overview
                            .audit
                            .into_iter()
                            .map(|event| {
                                let who = event
                                    .actor_name
                                    .clone()
                                    .unwrap_or_else(|| t_string!(i18n, audit.system).to_string());
                                view! {
                                    <li>
                                        {format!("{} · {} · ", when(event.occurred_at), who)}
                                        <code>{event.action.clone()}</code>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <p>
                <a href=audit_href>
                    {t!(i18n, directory.audit_link, count = overview.audit_total)}
                </a>
            </p>
        </section>
    }
}

/// One qualification change: when, by whom, which partner, the verdict and its reason.
#[component]
fn HistoryItem(event: OverviewEvent) -> impl IntoView {
    let i18n = use_i18n();
    let after: serde_json::Value = event
        .after
        .as_deref()
        .and_then(|a| serde_json::from_str(a).ok())
        .unwrap_or_default();
    let partner = after["partner"].as_str().unwrap_or_default().to_owned();
    let verdict = qualification_label(i18n, after["qualified"].as_bool());
    let reason = after["reason"].as_str().map(|r| format!(" — {r}"));
    let who = event
        .actor_name
        .clone()
        .unwrap_or_else(|| t_string!(i18n, audit.system).to_string());
    view! {
        <li>
            {format!("{} · {} · ", when(event.occurred_at), who)}
            <strong>{partner}</strong>
            {format!(" : {verdict}")}
            {reason}
        </li>
    }
}
