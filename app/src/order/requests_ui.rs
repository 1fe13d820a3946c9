//! "Mes demandes" (/requests) and an order's page (/requests/:id): where each request stands,
//! its timeline, what its partner's fulfilment means, cancellation and refund requests. The
//! staff processing page (`order::admin_ui`) shows the same [`OrderView`] with its own panel.

use crate::i18n::*;
use crate::order::api::{CancelOrder, RequestRefund, list_my_orders, load_order};
use crate::order::document::money;
use crate::order::model::Approval;
use crate::order::model::{ORDERS_PAGE_SIZE, OrderDetail, OrderFilter, OrderLineView, OrderList, OrderStatus};
use crate::order::rules::{self, RefundRule, order_filter_from_query, order_filter_query};
use crate::ui::dates::long_date;
use crate::ui::forms::{FieldError, FormError, action_error, successes};
use crate::ui::islands::FilterButton;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "Payée", "Transmise au partenaire"…
pub fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: OrderStatus) -> String {
    match status {
        OrderStatus::Submitted => t_string!(i18n, requests.status_submitted),
        OrderStatus::Paid => t_string!(i18n, requests.status_paid),
        OrderStatus::Transmitted => t_string!(i18n, requests.status_transmitted),
        OrderStatus::Fulfilled => t_string!(i18n, requests.status_fulfilled),
        OrderStatus::Cancelled => t_string!(i18n, requests.status_cancelled),
        OrderStatus::Refunded => t_string!(i18n, requests.status_refunded),
    }
    .to_string()
}

pub const STATUSES: [OrderStatus; 6] = [
    OrderStatus::Submitted,
    OrderStatus::Paid,
    OrderStatus::Transmitted,
    OrderStatus::Fulfilled,
    OrderStatus::Cancelled,
    OrderStatus::Refunded,
];

/// Partners that take orders, for the filter.
const PARTNERS: [(&str, &str); 7] = [
    ("microsoft", "Microsoft"),
    ("adobe", "Adobe"),
    ("autodesk", "Autodesk"),
    ("cisco", "Cisco"),
    ("aws", "AWS"),
    ("zoom", "Zoom"),
    ("hardware", ""),
];

fn partner_label(i18n: leptos_i18n::I18nContext<Locale>, id: &str, name: &str) -> String {
    if id == "hardware" {
        t_string!(i18n, requests.partner_hardware).to_string()
    } else {
        name.to_owned()
    }
}

/// The filter form and the order list with its pager, shared by "Mes demandes" and the staff
/// queues, both served as islands (`ui::islands::ISLAND_PAGES`): the filters are a GET form
/// to `link` (the list's own path, also the order pages' prefix) and each page of the list an
/// address ([`order_filter_query`]), so they work without JavaScript; with it, a change of a
/// filter sends the form at once ([`FilterButton`]). `list` is the page `filter` names.
#[component]
pub fn OrderListView(
    filter: OrderFilter,
    list: Result<OrderList, crate::error::AppError>,
    link: &'static str,
    show_organisation: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let status = filter.status.map(OrderStatus::as_str).unwrap_or_default();
    let partner = filter.partner.clone().unwrap_or_default();
    let date =
        |date: Option<chrono::NaiveDate>| date.map(|date| date.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let form = view! {
        <form class="filters card" role="search" method="get" action=link>
            // A queue and a search stay what they were while the other filters change.
            {filter.queue.map(|queue| view! { <input type="hidden" name="queue" value=queue.as_str() /> })}
            {filter.search.clone().map(|search| view! { <input type="hidden" name="q" value=search /> })}
            <div class="field">
                <label for="filter-status">{t!(i18n, requests.filter_status)}</label>
                <select id="filter-status" name="status">
                    <option value="" selected=status.is_empty()>{t!(i18n, requests.all)}</option>
                    {STATUSES
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.as_str() selected=s.as_str() == status>
                                    {move || status_label(i18n, s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-partner">{t!(i18n, requests.filter_partner)}</label>
                <select id="filter-partner" name="partner">
                    <option value="" selected=partner.is_empty()>{t!(i18n, requests.all)}</option>
                    {PARTNERS
                        .into_iter()
                        .map(|(id, name)| {
                            view! {
                                <option value=id selected=id == partner>
                                    {move || partner_label(i18n, id, name)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-from">{t!(i18n, requests.filter_from)}</label>
                <input id="filter-from" name="from" type="date" value=date(filter.from) />
            </div>
            <div class="field">
                <label for="filter-to">{t!(i18n, requests.filter_to)}</label>
                <input id="filter-to" name="to" type="date" value=date(filter.to) />
            </div>
            <FilterButton label=t_string!(i18n, requests.filter_button).to_string() />
        </form>
    };
    let shown = match list {
        Ok(list) if list.orders.is_empty() && show_organisation => view! {
            <div class="empty card" data-testid="queue-empty">
                <p>
                    {if filter.search.is_some() {
                        t_string!(i18n, queues.empty_search).to_string()
                    } else {
                        t_string!(i18n, queues.empty).to_string()
                    }}
                </p>
            </div>
        }
        .into_any(),
        Ok(list) if list.orders.is_empty() => view! {
            <div class="empty card">
                <p>{t!(i18n, requests.empty)}</p>
                <a href="/catalogue">{t!(i18n, requests.to_catalogue)}</a>
            </div>
        }
        .into_any(),
        Ok(list) => {
            let pages = ((list.total + i64::from(ORDERS_PAGE_SIZE) - 1) / i64::from(ORDERS_PAGE_SIZE)).max(1);
            let page = filter.page;
            // Only the pages there are: no link before the first nor after the last.
            let previous = (page > 0).then(|| format!("{link}{}", order_filter_query(&filter, page - 1)));
            let next =
                (i64::from(page) + 1 < pages).then(|| format!("{link}{}", order_filter_query(&filter, page + 1)));
            view! {
                <p class="muted" role="status">{t!(i18n, requests.count, count = list.total)}</p>
                <ul class="order-list">
                    {list
                        .orders
                        .into_iter()
                        .map(|order| {
                            let href = format!("{link}/{}", order.order_id);
                            let status = order.status;
                            let date = order.submitted_at.with_timezone(&domain::calendar::BELGIUM).date_naive();
                            view! {
                                <li class="order-card card" data-status=status.as_str()>
                                    <div class="order-card-head">
                                        <a href=href class="order-ref">{order.reference.clone()}</a>
                                        <span class=format!("badge status-{}", status.as_str())>
                                            {move || status_label(i18n, status)}
                                        </span>
                                    </div>
                                    <p class="muted">{move || long_date(locale(), date)} " · " {order.partners.join(", ")}</p>
                                    {show_organisation
                                        .then(|| {
                                            let organisation = format!("/admin/organisations/{}", order.organisation_id);
                                            let pending = order.pending_refunds;
                                            let age = order.age_days;
                                            view! {
                                                <p>
                                                    <a href=organisation class="organisation-link">
                                                        {order.organisation_name.clone()}
                                                    </a>
                                                    " · "
                                                    <span class="muted order-age">{t!(i18n, queues.age_days, count = age)}</span>
                                                </p>
                                                {(pending > 0)
                                                    .then(|| {
                                                        view! {
                                                            <p>
                                                                <span class="badge refund-marker" data-testid="refund-marker">
                                                                    {t!(i18n, queues.refund_marker, count = pending)}
                                                                </span>
                                                            </p>
                                                        }
                                                    })}
                                            }
                                        })}
                                    <p class="order-total">
                                        {order
                                            .imported
                                            .then(|| {
                                                view! {
                                                    <span class="badge">{t!(i18n, migration.imported_order)}</span>
                                                    " · "
                                                }
                                            })}
                                        {move || money(locale(), order.total_cents)}
                                        {order
                                            .invoice_state
                                            .map(|state| {
                                                view! {
                                                    " · "
                                                    <span class="invoice-state" data-state=state.as_str()>
                                                        {move || crate::order::document::state_label(locale(), state)}
                                                    </span>
                                                }
                                            })}
                                    </p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <nav class="pager" aria-label=move || t_string!(i18n, requests.pages).to_string()>
                    {previous
                        .map(|href| {
                            view! {
                                <a class="button secondary" href=href rel="prev">
                                    {t!(i18n, requests.previous)}
                                </a>
                            }
                        })}
                    <span>{t!(i18n, requests.page_of, page = i64::from(page) + 1, pages = pages)}</span>
                    {next
                        .map(|href| {
                            view! {
                                <a class="button secondary" href=href rel="next">
                                    {t!(i18n, requests.next)}
                                </a>
                            }
                        })}
                </nav>
            }
            .into_any()
        }
        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
    };
    view! {
        {form}
        {shown}
    }
}

/// "Mes demandes": every order of the organisation, nothing hidden by default; the filters
/// and the page are in the address (`?partner=microsoft&page=2`).
#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = query.with_untracked(|query| order_filter_from_query(|key| query.get(key), None));
    let list = {
        let filter = filter.clone();
        Resource::new(move || filter.clone(), list_my_orders)
    };
    view! {
        <Title text=localized_title(move || t_string!(i18n, requests.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, requests.title)}</h1>
            <p class="lead">{t!(i18n, requests.intro)}</p>
            <p>
                <a href="/donations">{t!(i18n, requests.to_donations)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || {
                    let filter = filter.clone();
                    Suspend::new(async move {
                        let list = list.await;
                        view! { <OrderListView filter list link="/requests" show_organisation=false /> }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// Loads the order named in the URL and shows it, with `panel` below it (the organisation's
/// actions); the panel bumps `changed` after each step so the order reloads. The staff's page
/// of an order is an island of its own (`order::admin_ui::StaffOrder`).
#[component]
pub fn OrderFrame(
    /// Where the back link goes, and its text.
    back: &'static str,
    #[prop(into)] back_text: Signal<String>,
    panel: fn(OrderDetail, RwSignal<usize>) -> AnyView,
) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let changed = RwSignal::new(0_usize);
    let order = Resource::new(
        move || (params.with(|p| p.get("id").unwrap_or_default()), changed.get()),
        |(id, _)| load_order(id),
    );
    view! {
        <Title text=localized_title(move || t_string!(i18n, requests.order_title).to_string()) />
        <section class="page">
            <p>
                <a href=back>{back_text}</a>
            </p>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(detail) => {
                            view! { <OrderView detail=detail.clone() /> {panel(detail, changed)} }
                                .into_any()
                        }
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// An order's page for its organisation.
#[component]
pub fn RequestPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <OrderFrame
            back="/requests"
            back_text=Signal::derive(move || t_string!(i18n, requests.back).to_string())
            panel=|detail, changed| view! { <OrganisationActions detail changed /> }.into_any()
        />
    }
}

/// What the order holds, where it stands and what happened: shared by the organisation's and
/// the staff's pages.
#[component]
pub fn OrderView(
    detail: OrderDetail,
    /// Staff: the organisation's name links to its page.
    #[prop(optional)]
    staff: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let status = detail.status;
    let submitted = detail
        .submitted_at
        .with_timezone(&domain::calendar::BELGIUM)
        .date_naive();
    let partners = detail.partners();
    let delivered_on = detail.delivered_on();
    let invoice = detail.invoice.clone();
    view! {
        <h1>{t!(i18n, requests.order_heading, reference = detail.reference.clone())}</h1>
        <p class="order-status">
            <span class=format!("badge status-{}", status.as_str()) data-testid="order-status">
                {move || status_label(i18n, status)}
            </span>
            " "
            <span class="muted">
                {t!(i18n, requests.submitted_on, date = move || long_date(locale(), submitted))} " · "
                {if staff {
                    let href = format!("/admin/organisations/{}", detail.organisation_id);
                    view! {
                        <a href=href class="organisation-link">
                            {detail.organisation_name.clone()}
                        </a>
                    }
                        .into_any()
                } else {
                    detail.organisation_name.clone().into_any()
                }}
            </span>
        </p>
        {detail
            .cancel_reason
            .clone()
            .filter(|_| status == OrderStatus::Cancelled)
            .map(|reason| {
                let reason = if reason == "expired" { t_string!(i18n, requests.expired).to_string() } else { reason };
                view! { <p class="notice">{t!(i18n, requests.cancel_reason_was)} " " {reason}</p> }
            })}
        <div class="two-columns">
            <section class="card" aria-labelledby="timeline-title">
                <h2 id="timeline-title">{t!(i18n, requests.timeline)}</h2>
                <ol class="timeline">
                    {detail
                        .events
                        .iter()
                        .cloned()
                        .map(|event| {
                            let day = event.at.with_timezone(&domain::calendar::BELGIUM).date_naive();
                            let label = move || match event.to_status {
                                Some(to) => status_label(i18n, to),
                                None => event_label(i18n, &event.kind),
                            };
                            let note = event.note.clone();
                            let note = if note == "expired" { t_string!(i18n, requests.expired).to_string() } else { note };
                            view! {
                                <li>
                                    <span class="timeline-date">{move || long_date(locale(), day)}</span>
                                    " "
                                    <strong>{label}</strong>
                                    {(!note.is_empty()).then(|| view! { <span class="timeline-note">" — " {note.clone()}</span> })}
                                    {event.by.clone().map(|by| view! { <span class="muted">" (" {by} ")"</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
            <section class="card" aria-labelledby="next-title">
                <h2 id="next-title">{t!(i18n, requests.fulfilment)}</h2>
                <ul class="fulfilment">
                    {partners
                        .into_iter()
                        .map(|partner| {
                            let text = fulfilment_text(i18n, &partner, &detail, delivered_on);
                            view! { <li data-partner=partner.clone()>{text}</li> }
                        })
                        .collect_view()}
                </ul>
                {detail
                    .imported
                    .then(|| view! { <p class="notice">{t!(i18n, migration.imported_order)}</p> })}
                {invoice
                    .map(|invoice| {
                        let href = format!("/invoices/{}", invoice.invoice_id);
                        let pdf = format!("/invoices/{}/pdf", invoice.invoice_id);
                        let due = invoice.due_cents();
                        let credited = invoice.credited_cents;
                        let state = invoice.state();
                        let notes = invoice.credit_notes.clone();
                        view! {
                            <p>
                                <a href=href>{t!(i18n, requests.invoice, number = invoice.number.clone())}</a>
                                " · "
                                <a href=pdf rel="external">"PDF"</a>
                                " · "
                                <span class="invoice-state" data-state=state.as_str()>
                                    {move || crate::order::document::state_label(locale(), state)}
                                </span>
                            </p>
                            {(!notes.is_empty())
                                .then(|| {
                                    view! {
                                        <ul class="plain-list">
                                            {notes
                                                .into_iter()
                                                .map(|note| {
                                                    let pdf = format!("/credit-notes/{}/pdf", note.credit_note_id);
                                                    let total = note.total_cents;
                                                    view! {
                                                        <li>
                                                            <a href=pdf rel="external" download>
                                                                {t!(i18n, credit_note.title, number = note.number.clone())}
                                                            </a>
                                                            " · "
                                                            {move || money(locale(), total)}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                            <p>
                                {t!(i18n, requests.total)} " " {move || money(locale(), invoice.total_cents)}
                                {(credited > 0)
                                    .then(|| {
                                        view! { " · " {t!(i18n, requests.credited)} " " {move || money(locale(), credited)} }
                                    })}
                                {(due > 0 && status == OrderStatus::Submitted)
                                    .then(|| view! { " · " {t!(i18n, requests.due)} " " {move || money(locale(), due)} })}
                            </p>
                        }
                    })}
            </section>
        </div>
        // No accessible name: the table's scroll region below is the landmark.
        <section>
            <h2 id="lines-title">{t!(i18n, requests.lines)}</h2>
            <div
                class="table-scroll"
                tabindex="0"
                role="region"
                aria-label=move || t_string!(i18n, requests.lines).to_string()
            >
                <table class="lines">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, requests.product)}</th>
                            <th scope="col" class="number">{t!(i18n, requests.quantity)}</th>
                            <th scope="col" class="number">{t!(i18n, requests.fee)}</th>
                            <th scope="col">{t!(i18n, requests.line_state)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {detail
                            .lines
                            .iter()
                            .cloned()
                            .map(|line| view! { <LineRow line status /> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {(!detail.shipments.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="shipments-title">
                        <h2 id="shipments-title">{t!(i18n, requests.shipments)}</h2>
                        <ul class="shipments">
                            {detail
                                .shipments
                                .iter()
                                .map(|s| {
                                    let shipped = s.shipped_on;
                                    let delivered = s.delivered_on;
                                    view! {
                                        <li>
                                            {move || long_date(locale(), shipped)} " — " {s.carrier.clone()} " "
                                            <code>{s.tracking.clone()}</code> " — " {s.items.clone()}
                                            {delivered
                                                .map(|d| {
                                                    view! { " — " {t!(i18n, requests.delivered_on, date = move || long_date(locale(), d))} }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        {(!detail.refunds.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="refunds-title">
                        <h2 id="refunds-title">{t!(i18n, requests.refunds)}</h2>
                        <ul class="refunds">
                            {detail
                                .refunds
                                .iter()
                                .map(|r| {
                                    let state = match r.status.as_str() {
                                        "accepted" => t_string!(i18n, requests.refund_accepted).to_string(),
                                        "refused" => t_string!(i18n, requests.refund_refused).to_string(),
                                        _ => t_string!(i18n, requests.refund_pending).to_string(),
                                    };
                                    view! {
                                        <li data-refund=r.status.clone()>
                                            <strong>{r.product_name.clone()}</strong> " — " {state} " — " {r.reason.clone()}
                                            {(!r.response.is_empty()).then(|| view! { <span>" — " {r.response.clone()}</span> })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
    }
}

fn event_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "approval" => t_string!(i18n, requests.event_approval),
        "shipment" => t_string!(i18n, requests.event_shipment),
        "delivery" => t_string!(i18n, requests.event_delivery),
        "fulfilment" => t_string!(i18n, requests.event_fulfilment),
        "lines_cancelled" => t_string!(i18n, requests.event_lines_cancelled),
        "refund_requested" => t_string!(i18n, requests.event_refund_requested),
        "refund_decided" => t_string!(i18n, requests.event_refund_decided),
        _ => t_string!(i18n, requests.event_other),
    }
    .to_string()
}

/// What the partner's fulfilment means for this order, in words.
fn fulfilment_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    partner: &str,
    detail: &OrderDetail,
    delivered_on: Option<chrono::NaiveDate>,
) -> String {
    let locale = i18n.get_locale();
    match partner {
        "microsoft" => t_string!(i18n, requests.next_microsoft, email = detail.contact_email.clone()).to_string(),
        "adobe" | "autodesk" => t_string!(i18n, requests.next_codes).to_string(),
        "zoom" => t_string!(i18n, requests.next_zoom).to_string(),
        "aws" => t_string!(i18n, requests.next_aws).to_string(),
        "cisco" => {
            let approval = match detail.approval {
                Some(Approval::Approved) => t_string!(i18n, requests.cisco_approved).to_string(),
                Some(Approval::Refused) => t_string!(i18n, requests.cisco_refused).to_string(),
                _ => t_string!(i18n, requests.cisco_pending).to_string(),
            };
            let smartnet = delivered_on
                .map(|d| {
                    let end = domain::calendar::add_months(d, 60);
                    format!(" {}", t_string!(i18n, requests.smartnet, date = long_date(locale, end)))
                })
                .unwrap_or_default();
            format!("{} {approval}{smartnet}", t_string!(i18n, requests.next_cisco))
        }
        "hardware" => t_string!(i18n, requests.next_hardware).to_string(),
        _ => String::new(),
    }
}

#[component]
fn LineRow(line: OrderLineView, status: OrderStatus) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let state = if line.cancelled {
        t_string!(i18n, requests.line_cancelled).to_string()
    } else if line.refunded {
        t_string!(i18n, requests.line_refunded).to_string()
    } else {
        String::new()
    };
    let renewable = status == OrderStatus::Fulfilled && line.expires_on.is_some() && rules::is_yearly(&line.partner_id);
    let slug = line.product_slug.clone();
    let quantity = line.quantity;
    let renew = ServerAction::<crate::cart::api::AddToCart>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = renew.value().get() {
            leptos_router::hooks::use_navigate()("/cart", Default::default());
        }
    });
    let fee = line.unit_fee_cents * i64::from(line.quantity);
    view! {
        <tr class:cancelled=line.cancelled data-line=line.product_slug.clone()>
            <td>
                <span class="line-name">{line.product_name.clone()}</span>
                <span class="muted">" · " {line.partner_name.clone()}</span>
                {line.named_user.clone().map(|u| view! { <br /><span class="muted">{u}</span> })}
                {line.aws_account_id.clone().map(|a| view! { <br /><span class="muted">"AWS " {a}</span> })}
                {line
                    .fulfilment_code
                    .clone()
                    .map(|code| {
                        view! {
                            <br />
                            {t!(i18n, requests.code)} " "
                            <code data-testid="fulfilment-code">{code}</code>
                        }
                    })}
                {line.fulfilment_note.clone().map(|n| view! { <br /><span>{n}</span> })}
                {line
                    .expires_on
                    .map(|d| {
                        view! {
                            <br />
                            <span>{t!(i18n, requests.expires_on, date = move || long_date(locale(), d))}</span>
                        }
                    })}
            </td>
            <td class="number">{line.quantity}</td>
            <td class="number">{move || money(locale(), fee)}</td>
            <td>
                {state}
                {renewable
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button secondary"
                                disabled=move || renew.pending().get()
                                on:click=move |_| {
                                    renew
                                        .dispatch(crate::cart::api::AddToCart {
                                            slug: slug.clone(),
                                            quantity,
                                        });
                                }
                            >
                                {t!(i18n, requests.renew)}
                            </button>
                        }
                    })}
            </td>
        </tr>
        {move || {
            renew
                .value()
                .get()
                .and_then(Result::err)
                .map(|error| {
                    view! {
                        <tr>
                            <td colspan="4">
                                <FormError error=Signal::derive(move || Some(error.clone())) />
                            </td>
                        </tr>
                    }
                })
        }}
    }
}

/// The rule that applies to refunding `line`, in words, with its last day when known.
pub fn refund_rule_text(i18n: leptos_i18n::I18nContext<Locale>, line: &OrderLineView, detail: &OrderDetail) -> String {
    let locale = i18n.get_locale();
    let rule = RefundRule::for_line(&line.partner_id);
    let deadline = rules::refund_deadline(
        rule,
        detail
            .validated_at
            .map(|d| d.with_timezone(&domain::calendar::BELGIUM).date_naive()),
        detail.delivered_on(),
    )
    .map(|d| {
        format!(
            " {}",
            t_string!(i18n, requests.refund_until, date = long_date(locale, d))
        )
    })
    .unwrap_or_default();
    let text = match rule {
        RefundRule::Hardware14Days => t_string!(i18n, requests.rule_hardware).to_string(),
        RefundRule::Microsoft2Months if !line.refundable => t_string!(i18n, requests.rule_get_genuine).to_string(),
        RefundRule::Microsoft2Months => t_string!(i18n, requests.rule_microsoft).to_string(),
        RefundRule::CiscoDamaged60Days => t_string!(i18n, requests.rule_cisco).to_string(),
        RefundRule::NotRefundable => return t_string!(i18n, requests.rule_none).to_string(),
    };
    format!("{text}{deadline}")
}

/// Why a refund is refused, in words (the server's code, or the browser's own check).
pub fn refusal_text(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "refund_not_refundable" => t_string!(i18n, requests.refusal_not_refundable),
        "refund_never_refunded" => t_string!(i18n, requests.refusal_never_refunded),
        "refund_not_now" => t_string!(i18n, requests.refusal_not_now),
        "refund_declaration_required" => t_string!(i18n, requests.refusal_declaration),
        "refund_not_delivered" => t_string!(i18n, requests.refusal_not_delivered),
        "refund_too_late" => t_string!(i18n, requests.refusal_too_late),
        _ => return crate::ui::forms::error_text(i18n, code),
    }
    .to_string()
}

/// The organisation's side: cancel lines before transmission, ask for a refund after.
#[component]
fn OrganisationActions(detail: OrderDetail, changed: RwSignal<usize>) -> impl IntoView {
    let cancellable = rules::cancellable(detail.status);
    let refundable = matches!(detail.status, OrderStatus::Transmitted | OrderStatus::Fulfilled);
    view! {
        {cancellable.then(|| view! { <CancelForm detail=detail.clone() changed /> })}
        {refundable.then(|| view! { <RefundForm detail=detail.clone() changed /> })}
    }
}

#[component]
fn CancelForm(detail: OrderDetail, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let cancel = ServerAction::<CancelOrder>::new();
    let error = action_error(cancel);
    let done = successes(cancel);
    Effect::new(move |_| {
        if done.get() > 0 {
            changed.update(|c| *c += 1);
        }
    });
    let chosen = RwSignal::new(Vec::<String>::new());
    let reason = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let order_id = detail.order_id.clone();
    let has_microsoft = detail.lines.iter().any(|l| l.partner_id == "microsoft" && !l.cancelled);
    let live: Vec<OrderLineView> = detail.lines.iter().filter(|l| !l.cancelled).cloned().collect();
    let all_ids: Vec<String> = live.iter().map(|l| l.order_line_id.clone()).collect();
    view! {
        <section class="card" aria-labelledby="cancel-title">
            <h2 id="cancel-title">{t!(i18n, requests.cancel_title)}</h2>
            <p class="hint">{t!(i18n, requests.cancel_hint)}</p>
            {has_microsoft.then(|| view! { <p class="hint">{t!(i18n, requests.cancel_microsoft)}</p> })}
            <FormError error />
            <fieldset>
                <legend>{t!(i18n, requests.cancel_lines)}</legend>
                {live
                    .into_iter()
                    .map(|line| {
                        let id = line.order_line_id.clone();
                        let input_id = format!("cancel-{id}");
                        let checked_id = id.clone();
                        view! {
                            <div class="field checkbox">
                                <input
                                    id=input_id.clone()
                                    type="checkbox"
                                    prop:checked=move || chosen.with(|c| c.contains(&checked_id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let id = id.clone();
                                        chosen.update(|c| {
                                            c.retain(|x| *x != id);
                                            if on {
                                                c.push(id);
                                            }
                                        });
                                        confirming.set(false);
                                    }
                                />
                                <label for=input_id>{line.product_name.clone()} " × " {line.quantity}</label>
                            </div>
                        }
                    })
                    .collect_view()}
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| {
                        chosen.set(all_ids.clone());
                        confirming.set(false);
                    }
                >
                    {t!(i18n, requests.cancel_all)}
                </button>
            </fieldset>
            <FieldError field="lines" error />
            <div class="field">
                <label for="cancel-reason">{t!(i18n, requests.reason)}</label>
                <textarea
                    id="cancel-reason"
                    rows="3"
                    maxlength="2000"
                    aria-describedby="reason-error"
                    prop:value=reason
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
                <FieldError field="reason" error />
            </div>
            {move || {
                let order_id = order_id.clone();
                if confirming.get() {
                    view! {
                        <div class="notice" role="alert">
                            <p>{t!(i18n, requests.cancel_confirm)}</p>
                            <button
                                type="button"
                                class="button danger"
                                disabled=move || cancel.pending().get()
                                on:click=move |_| {
                                    cancel
                                        .dispatch(CancelOrder {
                                            order_id: order_id.clone(),
                                            lines: chosen.get_untracked(),
                                            reason: reason.get_untracked(),
                                        });
                                    confirming.set(false);
                                }
                            >
                                {t!(i18n, requests.cancel_yes)}
                            </button>
                            " "
                            <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                                {t!(i18n, requests.cancel_no)}
                            </button>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            class="button secondary"
                            disabled=move || cancel.pending().get()
                            on:click=move |_| confirming.set(true)
                        >
                            {move || {
                                if cancel.pending().get() {
                                    t_string!(i18n, requests.cancelling).to_string()
                                } else {
                                    t_string!(i18n, requests.cancel_button).to_string()
                                }
                            }}
                        </button>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn RefundForm(detail: OrderDetail, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let refund = ServerAction::<RequestRefund>::new();
    let error = action_error(refund);
    let done = successes(refund);
    Effect::new(move |_| {
        if done.get() > 0 {
            changed.update(|c| *c += 1);
        }
    });
    let chosen = RwSignal::new(Vec::<String>::new());
    let reason = RwSignal::new(String::new());
    let declaration = RwSignal::new(false);
    let order_id = detail.order_id.clone();
    let detail = StoredValue::new(detail);
    let microsoft_chosen = move || {
        detail.with_value(|d| {
            chosen.with(|c| {
                d.lines
                    .iter()
                    .any(|l| l.partner_id == "microsoft" && c.contains(&l.order_line_id))
            })
        })
    };
    // The server's refusal, in words: the rule's code comes back on the `lines` field.
    let refusal = move || {
        error
            .get()
            .and_then(|e| e.field_messages("lines").first().map(|code| refusal_text(i18n, code)))
    };
    let lines: Vec<OrderLineView> = detail.with_value(|d| d.lines.iter().filter(|l| !l.cancelled).cloned().collect());
    view! {
        <section class="card" aria-labelledby="refund-title">
            <h2 id="refund-title">{t!(i18n, requests.refund_title)}</h2>
            <p class="hint">{t!(i18n, requests.refund_hint)}</p>
            <fieldset>
                <legend>{t!(i18n, requests.refund_lines)}</legend>
                {lines
                    .into_iter()
                    .map(|line| {
                        let id = line.order_line_id.clone();
                        let input_id = format!("refund-{id}");
                        let rule_id = format!("refund-rule-{id}");
                        let rule = detail.with_value(|d| refund_rule_text(i18n, &line, d));
                        let checked_id = id.clone();
                        view! {
                            <div class="field checkbox">
                                <input
                                    id=input_id.clone()
                                    type="checkbox"
                                    aria-describedby=rule_id.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&checked_id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let id = id.clone();
                                        chosen.update(|c| {
                                            c.retain(|x| *x != id);
                                            if on {
                                                c.push(id);
                                            }
                                        });
                                    }
                                />
                                <label for=input_id>{line.product_name.clone()} " × " {line.quantity}</label>
                                <p class="hint refund-rule" id=rule_id>{rule}</p>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            {move || {
                refusal()
                    .map(|text| {
                        view! {
                            <p class="notice error" role="alert" data-testid="refund-refusal">
                                {text}
                            </p>
                        }
                    })
            }}
            {move || {
                (refund.value().get().is_some_and(|r| r.is_ok()))
                    .then(|| view! { <p class="notice success" role="status">{t!(i18n, requests.refund_sent)}</p> })
            }}
            <div class="field">
                <label for="refund-reason">{t!(i18n, requests.reason)}</label>
                <textarea
                    id="refund-reason"
                    rows="3"
                    maxlength="2000"
                    aria-describedby="reason-error"
                    prop:value=reason
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
                <FieldError field="reason" error />
            </div>
            <Show when=microsoft_chosen>
                <div class="field checkbox">
                    <input
                        id="refund-declaration"
                        type="checkbox"
                        prop:checked=declaration
                        on:change=move |ev| declaration.set(event_target_checked(&ev))
                    />
                    <label for="refund-declaration">{t!(i18n, requests.declaration)}</label>
                </div>
            </Show>
            <button
                type="button"
                class="button"
                disabled=move || refund.pending().get()
                on:click=move |_| {
                    refund
                        .dispatch(RequestRefund {
                            order_id: order_id.clone(),
                            lines: chosen.get_untracked(),
                            reason: reason.get_untracked(),
                            declaration: declaration.get_untracked(),
                        });
                }
            >
                {t!(i18n, requests.refund_button)}
            </button>
        </section>
    }
}
