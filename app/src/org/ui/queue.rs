//! Staff: the review queue.

use super::status_label;
use crate::i18n::*;
use crate::org::api::review_queue;
use crate::ui::forms::{LoadError, Loading};
use crate::ui::org_link::OrgLink;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Staff: the organisations waiting for a decision, overdue first.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let queue = Resource::new(
        move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok())),
        review_queue,
    );
    view! {
        <Title text=localized_title(move || t_string!(i18n, review.queue_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, review.queue_title)}</h1>
            <p class="lead">{t!(i18n, review.queue_intro)}</p>
            <nav class="tools" aria-label=move || t_string!(i18n, review.tools).to_string()>
                <a href="/admin/import">{t!(i18n, import.title)}</a>
                <a href="/admin/requalify">{t!(i18n, requalify.title)}</a>
                <a href="/admin/inquiries">{t!(i18n, inquiry.staff_title)}</a>
                <a href="/admin/changes">{t!(i18n, nav.changes)}</a>
                <a href="/admin/join-requests">{t!(i18n, join.staff_title)}</a>
            </nav>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(queue) if queue.total == 0 => {
                            view! { <p class="empty">{t!(i18n, review.queue_empty)}</p> }.into_any()
                        }
                        Ok(queue) => {
                            let pager = queue_pager(i18n, queue.page, queue.per_page, queue.total);
                            let counts = t_string!(
                                i18n, review.queue_counts, total = queue.total, overdue = queue.overdue
                            )
                                .to_string();
                            view! {
                                <p>{counts}</p>
                                <ul class="queue">
                                    {queue
                                        .items
                                        .into_iter()
                                        .map(|item| {
                                            view! {
                                                <li class:overdue=item.overdue>
                                                    <OrgLink id=item.organisation_id.clone() name=item.legal_name.clone() />
                                                    <span class="muted">
                                                        {format!(" · {} · {}", item.enterprise_number, item.city)}
                                                    </span>
                                                    <p>
                                                        {status_label(i18n, item.eligibility_status)} " · "
                                                        {t!(i18n, review.received)} " " {item.submitted_on.clone()}
                                                        " · " {t!(i18n, review.deadline)} " " {item.deadline.clone()}
                                                        " · " {t!(i18n, review.days_waiting)} " "
                                                        {item.business_days_waiting}
                                                        {item
                                                            .appeal
                                                            .then(|| {
                                                                view! {
                                                                    " · "
                                                                    <strong class="badge">{t!(i18n, review.appeal)}</strong>
                                                                }
                                                            })}
                                                        {item
                                                            .overdue
                                                            .then(|| {
                                                                view! {
                                                                    " · "
                                                                    <strong class="badge overdue">
                                                                        {t!(i18n, review.overdue)}
                                                                    </strong>
                                                                }
                                                            })}
                                                    </p>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                {pager}
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

/// "Précédent · n / N · Suivant" under a page of the review queue.
fn queue_pager(i18n: leptos_i18n::I18nContext<Locale>, page: u32, per_page: u32, total: i64) -> impl IntoView {
    let per_page = i64::from(per_page.max(1));
    let pages = ((total + per_page - 1) / per_page).max(1);
    let page = i64::from(page);
    crate::ui::pager::pager(i18n, page, pages, |n| format!("/admin/reviews?page={n}"))
}
