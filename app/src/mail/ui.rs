//! Staff's view of the outbox: every message the programme wrote, newest first, with its
//! sending status. In development (no SMTP server) this is where mail is read.

use crate::i18n::*;
use crate::mail::api::list_outbox;
use crate::ui::forms::FormError;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1));
    let to = move || query.with(|q| q.get("to")).filter(|t| !t.is_empty());
    let outbox = Resource::new(move || (page(), to()), |(page, to)| list_outbox(page, to));
    view! {
        <Title text=localized_title(move || t_string!(i18n, outbox.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, outbox.title)}</h1>
            <form method="get" action="/admin/outbox" class="inline-form">
                <div class="field">
                    <label for="outbox-to">{t!(i18n, outbox.filter)}</label>
                    <input id="outbox-to" name="to" type="email" prop:value=move || to().unwrap_or_default() />
                </div>
                <button type="submit" class="button">
                    {t!(i18n, outbox.filter_button)}
                </button>
            </form>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match outbox.await {
                        Ok(page) => {
                            let pages = (page.total + i64::from(page.per_page) - 1) / i64::from(page.per_page);
                            let filter = to().map(|t| format!("&to={t}")).unwrap_or_default();
                            let previous = (page.page > 1)
                                .then(|| format!("/admin/outbox?page={}{filter}", page.page - 1));
                            let next = (i64::from(page.page) < pages)
                                .then(|| format!("/admin/outbox?page={}{filter}", page.page + 1));
                            view! {
                                {(!page.smtp_configured)
                                    .then(|| view! { <p class="notice">{t!(i18n, outbox.no_smtp)}</p> })}
                                {(page.dead_letters > 0)
                                    .then(|| {
                                        view! {
                                            <p class="notice dead-letters">
                                                {t!(i18n, outbox.dead_letters)} <strong>{page.dead_letters}</strong>
                                            </p>
                                        }
                                    })}
                                {if page.messages.is_empty() {
                                    view! { <p class="empty">{t!(i18n, outbox.empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ol class="outbox">
                                            {page
                                                .messages
                                                .into_iter()
                                                .map(|m| {
                                                    let dead = m.status == "failed";
                                                    view! {
                                                        <li class=format!("mail status-{}", m.status)>
                                                            <h2 class="mail-subject">{m.subject.clone()}</h2>
                                                            <p class="muted">
                                                                {t!(i18n, outbox.to)} " " {m.to_address.clone()} " · "
                                                                {m.created_at.clone()} " · "
                                                                {if dead {
                                                                    view! { <strong>{t!(i18n, outbox.dead_letter)}</strong> }.into_any()
                                                                } else {
                                                                    m.status.clone().into_any()
                                                                }} {format!(" ({})", m.attempts)}
                                                                {m.next_attempt_at.clone().filter(|_| !dead).map(|at| {
                                                                    view! { " · " {t!(i18n, outbox.retry_at)} " " {at} }
                                                                })}
                                                                {m.last_error.clone().map(|e| format!(" · {e}"))}
                                                            </p>
                                                            <pre class="mail-body">{m.body_text.clone()}</pre>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ol>
                                    }
                                        .into_any()
                                }}
                                <nav class="pager" aria-label=move || t_string!(i18n, common.pagination).to_string()>
                                    {previous.map(|href| view! { <a href=href>{t!(i18n, common.previous)}</a> })}
                                    <span>{format!("{} / {}", page.page, pages.max(1))}</span>
                                    {next.map(|href| view! { <a href=href>{t!(i18n, common.next)}</a> })}
                                </nav>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
