//! Staff order processing: the queues (/admin/orders) and one order's processing page
//! (/admin/orders/:id) with its status steps, Cisco's approval, shipments, fulfilment codes
//! and refund decisions. The server refuses whatever the lifecycle does not allow; the page
//! only offers what it would accept.

use crate::error::AppError;
use crate::i18n::*;
use crate::order::api::{
    AddShipment, CiscoDecision, DecideRefund, MarkDelivered, OrderStep, SetFulfilment, list_orders, load_order,
};
use crate::order::model::Approval;
use crate::order::model::{OrderCategory, OrderDetail, OrderFilter, OrderList, OrderQueue, OrderStatus};
use crate::order::requests_ui::{OrderListView, OrderView, STATUSES, status_label};
use crate::order::rules::{self, Action, order_filter_from_query};
use crate::ui::forms::{FieldError, FormError, action_error, has_error, successes};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn queue_label(i18n: leptos_i18n::I18nContext<Locale>, queue: OrderQueue) -> String {
    match queue {
        OrderQueue::Refunds => t_string!(i18n, queues.refunds),
        OrderQueue::Cancellations => t_string!(i18n, queues.cancellations),
        OrderQueue::Overpayments => t_string!(i18n, queues.overpayments),
        OrderQueue::Unpaid => t_string!(i18n, queues.unpaid),
        OrderQueue::AwaitingApproval => t_string!(i18n, queues.awaiting_approval),
    }
    .to_string()
}

/// "Demandes à traiter": the search by reference, the work queues and the statuses with
/// their counts, and the list. Served as islands (`ui::islands::ISLAND_PAGES`): each queue,
/// status, filter and page is an address (`?queue=refunds`, `?status=paid`,
/// `?q=DON-2026-000123`, `?page=2`, see [`order_filter_from_query`]), so the dashboard's
/// links land on it; with none, the paid orders, which wait to be transmitted. A search that
/// finds one order is answered with a redirect to it.
#[component]
pub fn StaffOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = query.with_untracked(|query| order_filter_from_query(|key| query.get(key), Some(OrderStatus::Paid)));
    let list = {
        let filter = filter.clone();
        Resource::new(move || filter.clone(), list_orders)
    };
    view! {
        <Title text=localized_title(move || t_string!(i18n, requests.staff_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, requests.staff_title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || {
                    let filter = filter.clone();
                    Suspend::new(async move {
                        let list = list.await;
                        #[cfg(feature = "ssr")]
                        if let Ok(found) = &list
                            && filter.search.is_some()
                            && found.total == 1
                            && let Some(order) = found.orders.first()
                        {
                            leptos_axum::redirect(&format!("/admin/orders/{}", order.order_id));
                        }
                        view! { <StaffQueues filter list /> }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The body of "Demandes à traiter" once its list is read.
#[component]
fn StaffQueues(filter: OrderFilter, list: Result<OrderList, AppError>) -> impl IntoView {
    let i18n = use_i18n();
    let (counts, queue_counts) = match &list {
        Ok(list) => (list.counts.clone(), list.queues.clone()),
        Err(_) => Default::default(),
    };
    let search_error = Signal::stored(list.as_ref().err().cloned());
    let searched = filter.search.clone().unwrap_or_default();
    let searching = filter.search.is_some();
    let queue = filter.queue;
    let plain_status = (filter.queue.is_none() && filter.search.is_none())
        .then_some(filter.status)
        .flatten();
    view! {
        <form
            class="card search-form"
            role="search"
            aria-label=move || t_string!(i18n, queues.search_label).to_string()
            method="get"
            action="/admin/orders"
        >
            <div class="field">
                <label for="order-search">{t!(i18n, queues.search_label)}</label>
                <input
                    id="order-search"
                    name="q"
                    type="search"
                    maxlength="64"
                    autocomplete="off"
                    aria-describedby="order-search-hint search-error"
                    aria-invalid=has_error(search_error, "search")
                    value=searched
                />
                <p id="order-search-hint" class="hint">{t!(i18n, queues.search_hint)}</p>
                <FieldError field="search" error=search_error />
            </div>
            <button type="submit" class="button primary">{t!(i18n, queues.search_button)}</button>
            {searching
                .then(|| {
                    view! {
                        " "
                        <a href="/admin/orders" class="button secondary">{t!(i18n, queues.search_clear)}</a>
                    }
                })}
        </form>
        <nav class="queues" aria-label=move || t_string!(i18n, queues.work_queues).to_string()>
            <h2 class="h3">{t!(i18n, queues.work_queues)}</h2>
            <ul class="queue-tabs">
                {OrderQueue::ALL
                    .into_iter()
                    .map(|tab| {
                        let count = queue_counts.iter().find(|(q, _)| *q == tab).map_or(0, |(_, n)| *n);
                        view! {
                            <li>
                                <a
                                    class="queue-tab"
                                    data-queue=tab.as_str()
                                    href=format!("/admin/orders?queue={}", tab.as_str())
                                    aria-current=(queue == Some(tab)).then_some("page")
                                >
                                    {move || queue_label(i18n, tab)}
                                    " "
                                    <span class="badge" data-testid=format!("count-{}", tab.as_str())>{count}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h2 class="h3">{t!(i18n, queues.statuses)}</h2>
            <ul class="queue-tabs">
                {STATUSES
                    .into_iter()
                    .map(|status| {
                        let count = counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
                        view! {
                            <li>
                                <a
                                    class="queue-tab"
                                    data-queue=status.as_str()
                                    href=format!("/admin/orders?status={}", status.as_str())
                                    aria-current=(plain_status == Some(status)).then_some("page")
                                >
                                    {move || status_label(i18n, status)}
                                    // Closed statuses have no count: they only grow.
                                    {OrderStatus::OPEN
                                        .contains(&status)
                                        .then(|| view! { " " <span class="badge" data-testid=format!("count-{}", status.as_str())>{count}</span> })}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
                <li>
                    <a class="queue-tab" href="/admin/orders?status=" data-queue="all">
                        {t!(i18n, queues.all)}
                    </a>
                </li>
            </ul>
        </nav>
        {queue.map(|queue| view! { <h2>{move || queue_label(i18n, queue)}</h2> })}
        <OrderListView filter list link="/admin/orders" show_organisation=true />
    }
}

/// One order, as staff process it. Served as islands (`ui::islands::MODULES`, in the
/// `order` module): the page reads the order and [`StaffOrder`], one island, shows it and acts
/// on it, so an agent's phone loads that island's code rather than the whole app's.
#[component]
pub fn StaffOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let order_id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let order = Resource::new(move || order_id.clone(), load_order);
    view! {
        <Title text=localized_title(move || t_string!(i18n, requests.order_title).to_string()) />
        <section class="page">
            <p>
                <a href="/admin/orders">{t!(i18n, requests.back_queues)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(detail) => view! { <StaffOrder detail locale=i18n.get_locale() /> }.into_any(),
                        Err(error) => {
                            // An order this agent may not see is one that does not exist.
                            if error == AppError::NotFound {
                                crate::error::page_not_found();
                            }
                            view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The order and the staff's panel, an island: its props are the order as the server read it
/// for this agent (`load_order`, which refuses an order outside the agent's scope) and the
/// page's language. After each step the panel bumps `changed` and the order is read again;
/// the order shown stays until the new one arrives.
#[island]
fn StaffOrder(
    /// The order, as `load_order` returned it.
    detail: OrderDetail,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let order_id = detail.order_id.clone();
    let changed = RwSignal::new(0_usize);
    let current = read_again_on(
        Ok::<_, AppError>(detail),
        move || changed.get(),
        move || load_order(order_id.clone()),
    );
    move || match current.get() {
        Ok(detail) => view! { <OrderView detail=detail.clone() staff=true /> <StaffPanel detail changed /> }.into_any(),
        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
    }
}

fn action_label(i18n: leptos_i18n::I18nContext<Locale>, action: Action) -> String {
    match action {
        Action::MarkPaid => t_string!(i18n, requests.action_mark_paid),
        Action::Transmit => t_string!(i18n, requests.action_transmit),
        Action::Fulfil => t_string!(i18n, requests.action_fulfil),
        Action::Cancel => t_string!(i18n, requests.action_cancel),
        Action::Refund => t_string!(i18n, requests.action_refund),
    }
    .to_string()
}

/// Bumps `changed` after each successful call of `action`, so the page reloads the order.
pub(crate) fn refresh_on<S>(action: ServerAction<S>, changed: RwSignal<usize>)
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    let done = successes(action);
    Effect::new(move |previous: Option<usize>| {
        let now = done.get();
        if previous.is_some_and(|p| p != now) {
            changed.update(|c| *c += 1);
        }
        now
    });
}

#[component]
fn StaffPanel(detail: OrderDetail, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let step = ServerAction::<OrderStep>::new();
    refresh_on(step, changed);
    let step_error = action_error(step);
    let note = RwSignal::new(String::new());
    // Payment and refund are recorded with their money (the forms below), never by a click.
    let actions: Vec<Action> = rules::staff_actions(detail.facts())
        .into_iter()
        .filter(|a| !matches!(a, Action::MarkPaid | Action::Refund))
        .collect();
    let due_now = detail
        .invoice
        .as_ref()
        .filter(|_| detail.status == OrderStatus::Submitted)
        .map(|invoice| invoice.due_cents());
    let order_id = StoredValue::new(detail.order_id.clone());
    let awaiting = detail.approval == Some(Approval::Pending);
    let shipping = detail.category == OrderCategory::Hardware
        && matches!(detail.status, OrderStatus::Transmitted | OrderStatus::Fulfilled);
    let coding = matches!(
        detail.status,
        OrderStatus::Paid | OrderStatus::Transmitted | OrderStatus::Fulfilled
    ) && detail.category == OrderCategory::Software;
    let pending_refunds: Vec<_> = detail
        .refunds
        .iter()
        .filter(|r| r.status == "pending")
        .cloned()
        .collect();
    view! {
        <section class="card staff-panel" aria-labelledby="process-title">
            <h2 id="process-title">{t!(i18n, requests.process_title)}</h2>
            <FormError error=step_error />
            <div class="field">
                <label for="step-note">{t!(i18n, requests.step_note)}</label>
                <textarea
                    id="step-note"
                    rows="2"
                    maxlength="2000"
                    aria-describedby="note-error"
                    prop:value=note
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
                <FieldError field="note" error=step_error />
            </div>
            {if actions.is_empty() {
                view! { <p class="muted">{t!(i18n, requests.no_step)}</p> }.into_any()
            } else {
                view! {
                    <div class="actions">
                        {actions
                            .into_iter()
                            .map(|action| {
                                let class = if action == Action::Cancel { "button danger" } else { "button" };
                                view! {
                                    <button
                                        type="button"
                                        class=class
                                        data-action=action.as_str()
                                        disabled=move || step.pending().get()
                                        on:click=move |_| {
                                            step.dispatch(OrderStep {
                                                order_id: order_id.get_value(),
                                                action: action.as_str().to_owned(),
                                                note: note.get_untracked(),
                                            });
                                        }
                                    >
                                        {move || action_label(i18n, action)}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                }
                    .into_any()
            }}
            {awaiting.then(|| view! { <CiscoApproval order_id=order_id.get_value() changed /> })}
        </section>
        {due_now.map(|due| view! { <MarkPaidForm order_id=order_id.get_value() due changed /> })}
        {coding.then(|| view! { <FulfilmentForms detail=detail.clone() changed /> })}
        {shipping
            .then(|| {
                let waiting: Vec<_> = detail.shipments.iter().filter(|s| s.delivered_on.is_none()).cloned().collect();
                view! {
                    <ShipmentForm order_id=order_id.get_value() changed />
                    {(!waiting.is_empty()).then(|| view! { <Deliveries order_id=order_id.get_value() waiting changed /> })}
                }
            })}
        {(!pending_refunds.is_empty())
            .then(|| {
                view! {
                    <section class="card" aria-labelledby="decide-title">
                        <h2 id="decide-title">{t!(i18n, requests.decide_title)}</h2>
                        {pending_refunds
                            .into_iter()
                            .map(|r| view! { <RefundDecision refund=r changed /> })
                            .collect_view()}
                    </section>
                }
            })}
    }
}

#[component]
fn CiscoApproval(order_id: String, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<CiscoDecision>::new();
    refresh_on(decide, changed);
    let error = action_error(decide);
    let note = RwSignal::new(String::new());
    let order_id = StoredValue::new(order_id);
    let send = move |approved: bool| {
        decide.dispatch(CiscoDecision {
            order_id: order_id.get_value(),
            approved,
            note: note.get_untracked(),
        });
    };
    view! {
        <div class="cisco-approval">
            <h3>{t!(i18n, requests.cisco_title)}</h3>
            <FormError error />
            <div class="field">
                <label for="cisco-note">{t!(i18n, requests.cisco_note)}</label>
                <input
                    id="cisco-note"
                    type="text"
                    maxlength="2000"
                    prop:value=note
                    on:input=move |ev| note.set(event_target_value(&ev))
                />
            </div>
            <button type="button" class="button" disabled=move || decide.pending().get() on:click=move |_| send(true)>
                {t!(i18n, requests.cisco_approve)}
            </button>
            " "
            <button
                type="button"
                class="button danger"
                disabled=move || decide.pending().get()
                on:click=move |_| send(false)
            >
                {t!(i18n, requests.cisco_refuse)}
            </button>
        </div>
    }
}

#[component]
fn FulfilmentForms(detail: OrderDetail, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetFulfilment>::new();
    refresh_on(save, changed);
    let error = action_error(save);
    let order_id = StoredValue::new(detail.order_id.clone());
    view! {
        <section class="card" aria-labelledby="codes-title">
            <h2 id="codes-title">{t!(i18n, requests.codes_title)}</h2>
            <p class="hint">{t!(i18n, requests.codes_hint)}</p>
            <FormError error />
            {detail
                .lines
                .into_iter()
                .filter(|l| !l.cancelled)
                .map(|line| {
                    let id = line.order_line_id.clone();
                    let code = RwSignal::new(line.fulfilment_code.clone().unwrap_or_default());
                    let note = RwSignal::new(line.fulfilment_note.clone().unwrap_or_default());
                    let expires = RwSignal::new(line.expires_on.map(|d| d.to_string()).unwrap_or_default());
                    let code_id = format!("code-{id}");
                    let note_id = format!("code-note-{id}");
                    let expires_id = format!("expires-{id}");
                    view! {
                        <fieldset class="fulfilment-line" data-line=line.product_slug.clone()>
                            <legend>{line.product_name.clone()} " × " {line.quantity}</legend>
                            <div class="field">
                                <label for=code_id.clone()>{t!(i18n, requests.code)}</label>
                                <input
                                    id=code_id
                                    type="text"
                                    maxlength="2000"
                                    prop:value=code
                                    on:input=move |ev| code.set(event_target_value(&ev))
                                />
                            </div>
                            <div class="field">
                                <label for=note_id.clone()>{t!(i18n, requests.instructions)}</label>
                                <input
                                    id=note_id
                                    type="text"
                                    maxlength="2000"
                                    prop:value=note
                                    on:input=move |ev| note.set(event_target_value(&ev))
                                />
                            </div>
                            <div class="field">
                                <label for=expires_id.clone()>{t!(i18n, requests.expiry)}</label>
                                <input
                                    id=expires_id
                                    type="date"
                                    prop:value=expires
                                    on:input=move |ev| expires.set(event_target_value(&ev))
                                />
                            </div>
                            <button
                                type="button"
                                class="button secondary"
                                disabled=move || save.pending().get()
                                on:click=move |_| {
                                    save.dispatch(SetFulfilment {
                                        order_id: order_id.get_value(),
                                        order_line_id: id.clone(),
                                        code: code.get_untracked(),
                                        note: note.get_untracked(),
                                        expires_on: expires.get_untracked(),
                                    });
                                }
                            >
                                {t!(i18n, requests.save_code)}
                            </button>
                        </fieldset>
                    }
                })
                .collect_view()}
            <FieldError field="expires_on" error />
        </section>
    }
}

#[component]
fn ShipmentForm(order_id: String, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddShipment>::new();
    refresh_on(add, changed);
    let error = action_error(add);
    let fields = [
        ("shipped_on", "date"),
        ("carrier", "text"),
        ("tracking", "text"),
        ("items", "text"),
        ("delivered_on", "date"),
    ];
    let values: Vec<RwSignal<String>> = fields.iter().map(|_| RwSignal::new(String::new())).collect();
    let stored = StoredValue::new(values.clone());
    let order_id = StoredValue::new(order_id);
    let label = move |field: &str| match field {
        "shipped_on" => t_string!(i18n, requests.shipped_on).to_string(),
        "carrier" => t_string!(i18n, requests.carrier).to_string(),
        "tracking" => t_string!(i18n, requests.tracking).to_string(),
        "items" => t_string!(i18n, requests.items).to_string(),
        _ => t_string!(i18n, requests.delivered).to_string(),
    };
    view! {
        <section class="card" aria-labelledby="ship-title">
            <h2 id="ship-title">{t!(i18n, requests.ship_title)}</h2>
            <FormError error />
            {fields
                .into_iter()
                .zip(values)
                .map(|((field, kind), value)| {
                    let id = format!("ship-{field}");
                    view! {
                        <div class="field">
                            <label for=id.clone()>{move || label(field)}</label>
                            <input
                                id=id
                                type=kind
                                maxlength="2000"
                                aria-describedby=format!("{field}-error")
                                prop:value=value
                                on:input=move |ev| value.set(event_target_value(&ev))
                            />
                            <FieldError field=field error />
                        </div>
                    }
                })
                .collect_view()}
            <button
                type="button"
                class="button"
                disabled=move || add.pending().get()
                on:click=move |_| {
                    let v: Vec<String> = stored.with_value(|s| s.iter().map(|x| x.get_untracked()).collect());
                    add.dispatch(AddShipment {
                        order_id: order_id.get_value(),
                        shipped_on: v[0].clone(),
                        carrier: v[1].clone(),
                        tracking: v[2].clone(),
                        items: v[3].clone(),
                        delivered_on: v[4].clone(),
                    });
                }
            >
                {t!(i18n, requests.ship_button)}
            </button>
        </section>
    }
}

/// "Livré le": the parcels still on their way.
#[component]
fn Deliveries(
    order_id: String,
    waiting: Vec<crate::order::model::Shipment>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let deliver = ServerAction::<MarkDelivered>::new();
    refresh_on(deliver, changed);
    let error = action_error(deliver);
    let order_id = StoredValue::new(order_id);
    view! {
        <section class="card" aria-labelledby="deliveries-title">
            <h2 id="deliveries-title">{t!(i18n, requests.deliveries_title)}</h2>
            <FormError error />
            // The parcel form above reports its own `delivered_on`: another id for this one.
            <FieldError field="delivered_on" error id="delivery-date-error" />
            {waiting
                .into_iter()
                .map(|s| {
                    let date = RwSignal::new(String::new());
                    let input_id = format!("delivered-{}", s.shipment_id);
                    let id = s.shipment_id.clone();
                    view! {
                        <div class="field">
                            <label for=input_id.clone()>
                                {s.carrier.clone()} " " {s.tracking.clone()} " — " {s.items.clone()}
                            </label>
                            <input
                                id=input_id
                                type="date"
                                aria-describedby="delivery-date-error"
                                prop:value=date
                                on:input=move |ev| date.set(event_target_value(&ev))
                            />
                            <button
                                type="button"
                                class="button secondary"
                                disabled=move || deliver.pending().get()
                                on:click=move |_| {
                                    deliver.dispatch(MarkDelivered {
                                        order_id: order_id.get_value(),
                                        shipment_id: id.clone(),
                                        delivered_on: date.get_untracked(),
                                    });
                                }
                            >
                                {t!(i18n, requests.mark_delivered)}
                            </button>
                        </div>
                    }
                })
                .collect_view()}
        </section>
    }
}

#[component]
fn RefundDecision(refund: crate::order::model::RefundRequest, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideRefund>::new();
    refresh_on(decide, changed);
    let error = action_error(decide);
    let response = RwSignal::new(String::new());
    let id = StoredValue::new(refund.refund_request_id.clone());
    let input_id = format!("response-{}", refund.refund_request_id);
    let send = move |accepted: bool| {
        decide.dispatch(DecideRefund {
            refund_request_id: id.get_value(),
            accepted,
            response: response.get_untracked(),
        });
    };
    view! {
        <div class="refund-decision">
            <p>
                <strong>{refund.product_name.clone()}</strong> " — " {refund.reason.clone()}
                {refund.declaration.then(|| view! { " — " {t!(i18n, requests.declared_unused)} })}
            </p>
            <FormError error />
            <div class="field">
                <label for=input_id.clone()>{t!(i18n, requests.response)}</label>
                <input
                    id=input_id
                    type="text"
                    maxlength="2000"
                    prop:value=response
                    on:input=move |ev| response.set(event_target_value(&ev))
                />
            </div>
            <button type="button" class="button" disabled=move || decide.pending().get() on:click=move |_| send(true)>
                {t!(i18n, requests.accept)}
            </button>
            " "
            <button
                type="button"
                class="button danger"
                disabled=move || decide.pending().get()
                on:click=move |_| send(false)
            >
                {t!(i18n, requests.refuse)}
            </button>
        </div>
    }
}

/// "Marquer payée": the transfer staff saw arrive, its amount (the amount due unless changed)
/// and its value date (today when left empty).
#[component]
fn MarkPaidForm(order_id: String, due: i64, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let pay = ServerAction::<crate::billing::api::MarkOrderPaid>::new();
    refresh_on(pay, changed);
    let error = action_error(pay);
    let amount = RwSignal::new(format!("{},{:02}", due / 100, due % 100));
    let paid_on = RwSignal::new(String::new());
    let order_id = StoredValue::new(order_id);
    view! {
        <section class="card" aria-labelledby="mark-paid-title">
            <h2 id="mark-paid-title">{t!(i18n, requests.action_mark_paid)}</h2>
            <FormError error />
            <div class="field">
                <label for="paid-amount">{t!(i18n, payments.amount)}</label>
                <input
                    id="paid-amount"
                    inputmode="decimal"
                    maxlength="20"
                    aria-describedby="amount-error"
                    prop:value=amount
                    on:input=move |ev| amount.set(event_target_value(&ev))
                />
                <FieldError field="amount" error />
            </div>
            <div class="field">
                <label for="paid-on">{t!(i18n, payments.booked_on)}</label>
                <input
                    id="paid-on"
                    type="date"
                    aria-describedby="paid_on-error"
                    prop:value=paid_on
                    on:input=move |ev| paid_on.set(event_target_value(&ev))
                />
                <FieldError field="paid_on" error />
            </div>
            <button
                type="button"
                class="button"
                data-action="mark_paid"
                disabled=move || pay.pending().get()
                on:click=move |_| {
                    pay.dispatch(crate::billing::api::MarkOrderPaid {
                        order_id: order_id.get_value(),
                        amount: amount.get_untracked(),
                        paid_on: paid_on.get_untracked(),
                    });
                }
            >
                {t!(i18n, requests.action_mark_paid)}
            </button>
        </section>
    }
}
