//! "Mes dons Microsoft" (/donations): the current Microsoft cycle and what is left of it, the
//! other partners' allowances, and the history of Microsoft requests. Every figure comes from
//! the rules engine (`quota::rules::check` with an empty cart), never from a second count.

use crate::i18n::*;
use crate::quota::api::load_donations;
use crate::quota::model::{Allowance, Counter, Donations};
use crate::quota::ui::counter_text;
use crate::ui::dates::long_date;
use crate::ui::forms::FormError;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DonationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let donations = Resource::new(|| (), |_| load_donations());
    view! {
        <Title text=localized_title(move || t_string!(i18n, donations.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, donations.title)}</h1>
            <p class="lead">{t!(i18n, donations.intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match donations.await {
                        Ok(d) => view! { <Dashboard donations=d /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Dashboard(donations: Donations) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let name = |id: &str| {
        donations
            .partner_names
            .iter()
            .find(|(p, _)| p == id)
            .map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    };
    let microsoft = donations
        .allowances
        .iter()
        .find(|a| a.partner_id == "microsoft")
        .cloned();
    let others: Vec<(String, Allowance)> = donations
        .allowances
        .iter()
        .filter(|a| a.partner_id != "microsoft")
        .map(|a| (name(&a.partner_id), a.clone()))
        .collect();
    let orders = donations.microsoft_orders.clone();
    view! {
        <section class="card" aria-labelledby="microsoft-title" data-partner="microsoft">
            <h2 id="microsoft-title">{t!(i18n, donations.microsoft_title)}</h2>
            {match microsoft {
                None => view! { <p class="empty">{t!(i18n, donations.not_qualified)}</p> }.into_any(),
                Some(allowance) => {
                    let window = match (allowance.window_start, allowance.window_end) {
                        (Some(start), Some(end)) => {
                            view! {
                                <p data-testid="cycle">
                                    {t!(
                                        i18n,
                                        donations.cycle,
                                        start = move || long_date(locale(), start),
                                        end = move || long_date(locale(), end)
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                        _ => view! { <p data-testid="cycle">{t!(i18n, donations.no_cycle)}</p> }.into_any(),
                    };
                    view! {
                        {window}
                        <CounterTable counters=allowance.counters.clone() caption="microsoft" label="Microsoft" />
                        <CounterChart counters=allowance.counters />
                    }
                        .into_any()
                }
            }}
        </section>
        <section aria-labelledby="others-title">
            <h2 id="others-title">{t!(i18n, donations.others_title)}</h2>
            {if others.is_empty() {
                view! { <p class="empty">{t!(i18n, donations.others_empty)}</p> }.into_any()
            } else {
                others
                    .into_iter()
                    .map(|(partner, allowance)| {
                        let end = allowance.window_end;
                        let id = allowance.partner_id.clone();
                        view! {
                            <div class="card" data-partner=id>
                                <h3>{partner.clone()}</h3>
                                {end
                                    .map(|end| {
                                        view! {
                                            <p>{t!(i18n, donations.window_ends, date = move || long_date(locale(), end))}</p>
                                        }
                                    })}
                                <CounterTable counters=allowance.counters.clone() caption="partner" label=partner.clone() />
                            </div>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
        <section aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, donations.history_title)}</h2>
            {if orders.is_empty() {
                view! { <p class="empty">{t!(i18n, donations.history_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="order-list">
                        {orders
                            .into_iter()
                            .map(|o| {
                                let href = format!("/requests/{}", o.order_id);
                                let status = o.status;
                                let day = o.submitted_at.with_timezone(&domain::calendar::BELGIUM).date_naive();
                                view! {
                                    <li class="order-card card">
                                        <a href=href>{o.reference.clone()}</a>
                                        " — "
                                        {move || crate::order::requests_ui::status_label(i18n, status)}
                                        " — "
                                        {move || long_date(locale(), day)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {(donations.microsoft_order_count > donations.microsoft_orders.len() as i64)
                        .then(|| view! { <a href="/requests">{t!(i18n, donations.all_requests)}</a> })}
                }
                    .into_any()
            }}
        </section>
    }
}

/// The counters as a table: what is used, of what limit, what is left.
#[component]
fn CounterTable(counters: Vec<Counter>, caption: &'static str, #[prop(into)] label: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=label>
            <table class="counters" data-caption=caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, donations.counter)}</th>
                        <th scope="col" class="number">{t!(i18n, donations.used)}</th>
                        <th scope="col" class="number">{t!(i18n, donations.limit)}</th>
                        <th scope="col" class="number">{t!(i18n, donations.left)}</th>
                    </tr>
                </thead>
                <tbody>
                    {counters
                        .into_iter()
                        .map(|c| {
                            let label = {
                                let c = c.clone();
                                move || counter_label(i18n, &c)
                            };
                            let used = money_or_count(i18n, &c, c.used);
                            let limit = money_or_count(i18n, &c, c.limit);
                            let left = money_or_count(i18n, &c, (c.limit - c.used).max(0));
                            view! {
                                <tr data-counter=c.name.clone() data-used=c.used data-limit=c.limit>
                                    <th scope="row">{label}</th>
                                    <td class="number">{used}</td>
                                    <td class="number">{limit}</td>
                                    <td class="number">{left}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn money_or_count(i18n: leptos_i18n::I18nContext<Locale>, counter: &Counter, value: i64) -> String {
    if counter.name == "fee_cents" {
        crate::money::Money::from_cents(value).format(i18n.get_locale(), true)
    } else {
        value.to_string()
    }
}

/// The counter's name without its figures ("Office (postes de travail)").
fn counter_label(i18n: leptos_i18n::I18nContext<Locale>, counter: &Counter) -> String {
    let text = counter_text(
        i18n.get_locale(),
        &Counter {
            in_cart: 0,
            ..counter.clone()
        },
    );
    // counter_text ends with " used/limit" (or the fee pair): keep the words before it.
    match text.rsplit_once(' ') {
        Some((words, figures)) if figures.contains('/') => words.to_owned(),
        _ => text,
    }
}

/// A bar per counter: the used share of its limit, drawn on the server as SVG.
#[component]
fn CounterChart(counters: Vec<Counter>) -> impl IntoView {
    let i18n = use_i18n();
    const WIDTH: i64 = 320;
    const BAR: i64 = 18;
    const GAP: i64 = 30;
    let height = (counters.len() as i64).max(1) * GAP + 10;
    let summary = move || t_string!(i18n, donations.chart_label).to_string();
    let bars = counters
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let y = i as i64 * GAP + 5;
            let filled = if c.limit > 0 { (c.used.min(c.limit) * WIDTH) / c.limit } else { 0 };
            let over = c.used >= c.limit && c.limit > 0;
            let label = {
                let c = c.clone();
                move || counter_text(i18n.get_locale(), &c)
            };
            view! {
                <g>
                    <rect x="0" y=y width=WIDTH height=BAR rx="3" class="bar-track" />
                    <rect x="0" y=y width=filled height=BAR rx="3" class=if over { "bar-fill full" } else { "bar-fill" } />
                    <text x="6" y=y + 13 class="bar-label">{label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart"
            role="img"
            viewBox=format!("0 0 {WIDTH} {height}")
            aria-label=summary
            preserveAspectRatio="xMinYMin meet"
        >
            {bars}
        </svg>
    }
}
