//! "Tableau de bord" (`/admin`): what waits for staff, with links to each queue, the
//! programme's counters and twelve months of activity as SVG charts.

use crate::home::model::StaffDashboard;
use crate::home::staff_api::load_staff_dashboard;
use crate::i18n::*;
use crate::money::{Money, format_count};
use crate::ui::chart::BarChart;
use crate::ui::forms::FormError;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let dashboard = Resource::new(|| (), |_| load_staff_dashboard());
    view! {
        <Title text=localized_title(move || t_string!(i18n, dashboard.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, dashboard.title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(dashboard) => view! { <DashboardView dashboard /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One queue: its count, what it is, and the page that works through it.
#[component]
fn Queue(
    #[prop(into)] label: Signal<String>,
    count: i64,
    href: &'static str,
    testid: &'static str,
    #[prop(optional)] urgent: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let highlight = urgent && count > 0;
    view! {
        <li class="queue" class:urgent=highlight>
            <a href=href>
                <span class="queue-count" data-testid=testid>{move || format_count(count, i18n.get_locale())}</span>
                " "
                <span class="queue-label">{label}</span>
            </a>
        </li>
    }
}

#[component]
fn DashboardView(dashboard: StaffDashboard) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let d = dashboard;
    let counters = d.counters;
    let months = |pick: fn(&crate::home::model::MonthFigures) -> i64| {
        d.months.iter().map(|m| (m.month, pick(m))).collect::<Vec<_>>()
    };
    let count = |locale: Locale, n: i64| format_count(n, locale);
    let euros = |locale: Locale, cents: i64| Money::from_cents(cents).format(locale, true);
    let sections = [
        view! {
        <section aria-labelledby="queues-title">
            <h2 id="queues-title">{t!(i18n, dashboard.queues)}</h2>
            <ul class="queues">
                <Queue
                    label=Signal::derive(move || t_string!(i18n, dashboard.reviews_pending).to_string())
                    count=d.reviews_pending
                    href="/admin/reviews"
                    testid="queue-reviews"
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, dashboard.reviews_overdue).to_string())
                    count=d.reviews_overdue
                    href="/admin/reviews"
                    testid="queue-overdue"
                    urgent=true
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, dashboard.orders_awaiting_payment).to_string())
                    count=d.orders_awaiting_payment
                    href="/admin/orders?queue=unpaid"
                    testid="queue-awaiting-payment"
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, dashboard.orders_to_transmit).to_string())
                    count=d.orders_to_transmit
                    href="/admin/orders?status=paid"
                    testid="queue-to-transmit"
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, dashboard.orders_transmitted).to_string())
                    count=d.orders_transmitted
                    href="/admin/orders?status=transmitted"
                    testid="queue-transmitted"
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, dashboard.change_requests).to_string())
                    count=d.change_requests
                    href="/admin/changes"
                    testid="queue-changes"
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, dashboard.refund_requests).to_string())
                    count=d.refund_requests
                    href="/admin/orders?queue=refunds"
                    testid="queue-refunds"
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, queues.awaiting_approval).to_string())
                    count=d.queue_count(crate::order::model::OrderQueue::AwaitingApproval)
                    href="/admin/orders?queue=awaiting_approval"
                    testid="queue-awaiting-approval"
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, queues.overpayments).to_string())
                    count=d.queue_count(crate::order::model::OrderQueue::Overpayments)
                    href="/admin/orders?queue=overpayments"
                    testid="queue-overpayments"
                />
                <Queue
                    label=Signal::derive(move || t_string!(i18n, queues.cancellations).to_string())
                    count=d.queue_count(crate::order::model::OrderQueue::Cancellations)
                    href="/admin/orders?queue=cancellations"
                    testid="queue-cancellations"
                />
            </ul>
        </section>
        }
        .into_any(),
        view! { <crate::deadline::ui::LateSection /> }.into_any(),
        view! {
        <section aria-labelledby="figures-title">
            <h2 id="figures-title">{t!(i18n, home.counters_title)}</h2>
            <dl class="counter-list">
                <div class="counter">
                    <dt>{t!(i18n, home.organisations)}</dt>
                    <dd>{move || format_count(counters.organisations, locale())}</dd>
                </div>
                <div class="counter">
                    <dt>{t!(i18n, home.saved)}</dt>
                    <dd>{move || counters.saved.format(locale(), true)}</dd>
                </div>
                <div class="counter">
                    <dt>{t!(i18n, home.products)}</dt>
                    <dd>{move || format_count(counters.products_distributed, locale())}</dd>
                </div>
            </dl>
        </section>
        }
        .into_any(),
        view! {
        <section aria-labelledby="charts-title">
            <h2 id="charts-title">{t!(i18n, dashboard.charts)}</h2>
            <div class="charts">
                <BarChart
                    id="chart-registrations"
                    title=Signal::derive(move || t_string!(i18n, dashboard.chart_registrations).to_string())
                    bars=months(|m| m.registrations)
                    format=count
                />
                <BarChart
                    id="chart-orders"
                    title=Signal::derive(move || t_string!(i18n, dashboard.chart_orders).to_string())
                    bars=months(|m| m.orders)
                    format=count
                />
                <BarChart
                    id="chart-savings"
                    title=Signal::derive(move || t_string!(i18n, dashboard.chart_savings).to_string())
                    bars=months(|m| m.saved_cents)
                    format=euros
                />
            </div>
        </section>
        }
        .into_any(),
        view! {
        <section aria-labelledby="tools-title">
            <h2 id="tools-title">{t!(i18n, dashboard.tools)}</h2>
            <ul class="tool-links">
                {d
                    .is_admin
                    .then(|| {
                        view! {
                            <li>
                                <a href="/admin/catalogue">{t!(i18n, catalogue_admin.title)}</a>
                            </li>
                            <li>
                                <a href="/admin/rules">{t!(i18n, rules_admin.title)}</a>
                            </li>
                            <li>
                                <a href="/admin/staff">{t!(i18n, staff.title)}</a>
                            </li>
                            <li>
                                <a href="/admin/legal">{t!(i18n, legal.admin_title)}</a>
                            </li>
                        }
                    })}
                <li>
                    <a href="/admin/organisations">{t!(i18n, directory.nav)}</a>
                </li>
                <li>
                    <a href="/admin/inquiries">{t!(i18n, dashboard.inquiries)}</a>
                </li>
                <li>
                    <a href="/admin/contact">{t!(i18n, inbox.title)}</a>
                </li>
                <li>
                    <a href="/admin/import">{t!(i18n, dashboard.import)}</a>
                </li>
                <li>
                    <a href="/admin/requalify">{t!(i18n, dashboard.requalify)}</a>
                </li>
                <li>
                    <a href="/admin/outbox">{t!(i18n, nav.outbox)}</a>
                </li>
                <li>
                    <a href="/admin/partner-clients">{t!(i18n, nav.partner_clients)}</a>
                </li>
                <li>
                    <a href="/admin/help">{t!(i18n, nav.help_admin)}</a>
                </li>
                <li>
                    <a href="/admin/audit">{t!(i18n, nav.audit)}</a>
                </li>
            </ul>
        </section>
        }
        .into_any(),
    ];
    sections.into_iter().collect_view()
}
