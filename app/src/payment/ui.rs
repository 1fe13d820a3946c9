//! "Paiements" (/admin/payments): staff record transfers, import bank statements, and deal
//! with the payments that did not settle an invoice exactly.

use crate::billing::api::{RefundDue, refunds_due};
use crate::billing::ui::{ArchiveForm, AssignForm, RefundForm, RefundQueue};
use crate::error::AppError;
use crate::i18n::*;
use crate::money::Money;
use crate::payment::api::{RecordPayment, ResolvePayment, list_payments};
use crate::payment::model::{PaymentOutcome, PaymentRow};
use crate::ui::forms::{FormError, TextField, action_error, error_text, successes};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn outcome_label(i18n: leptos_i18n::I18nContext<Locale>, outcome: PaymentOutcome) -> String {
    match outcome {
        PaymentOutcome::Matched => t_string!(i18n, payments.matched).to_string(),
        PaymentOutcome::Partial => t_string!(i18n, payments.partial).to_string(),
        PaymentOutcome::Excess => t_string!(i18n, payments.excess).to_string(),
        PaymentOutcome::Unmatched => t_string!(i18n, payments.unmatched).to_string(),
    }
}

/// "Paiements". Served as islands (`ui::islands::MODULES`, in the `payments` module): the page
/// reads the first page of payments and the refunds due, writes the statement import's report
/// (from the address the import redirected to) and the archive's GET form, and [`Payments`],
/// one island, holds the rest: recording a transfer, the refunds to pay, the list and its
/// actions.
#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let report = query.with_untracked(|q| {
        let outcome = q.get("import")?;
        let n = |key: &str| q.get(key).unwrap_or_default();
        Some(if outcome == "ok" {
            (
                true,
                t_string!(
                    i18n,
                    payments.import_report,
                    credits = n("credits"),
                    matched = n("matched"),
                    partial = n("partial"),
                    excess = n("excess"),
                    unmatched = n("unmatched"),
                    already = n("already")
                )
                .to_string(),
            )
        } else {
            (false, error_text(i18n, &outcome))
        })
    });
    let read = Resource::new(|| (), |_| async { (list_payments(true, 0).await, refunds_due().await) });
    view! {
        <Title text=localized_title(move || t_string!(i18n, payments.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, payments.title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || {
                    let report = report.clone();
                    Suspend::new(async move {
                        let (payments, refunds) = read.await;
                        view! { <Payments payments refunds report locale=i18n.get_locale() /> }
                    })
                }}
            </Suspense>
            <ArchiveForm />
        </section>
    }
}

/// The payments page's work, an island: its props are the first page of payments (the
/// exceptions), the refunds due, the statement import's report and the page's language.
#[island]
fn Payments(
    /// The first page of payments that did not settle an invoice exactly.
    payments: Result<Vec<PaymentRow>, AppError>,
    /// The invoices with money due back.
    refunds: Result<Vec<RefundDue>, AppError>,
    /// The last statement import's outcome (success, text), from the page's address.
    report: Option<(bool, String)>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let record = ServerAction::<RecordPayment>::new();
    let resolve = ServerAction::<ResolvePayment>::new();
    let record_error = action_error(record);
    let (exceptions_only, set_exceptions_only) = signal(true);
    let (page, set_page) = signal(0_u32);
    // Bumped by each change of the filter or the page.
    let asked = RwSignal::new(0_usize);
    let recorded = successes(record);
    let resolved = successes(resolve);
    // Bumped by the refund and assignment forms.
    let changed = RwSignal::new(0_usize);
    let payments = read_again_on(
        payments,
        move || asked.get() + recorded.get() + resolved.get() + changed.get(),
        move || list_payments(exceptions_only.get_untracked(), page.get_untracked()),
    );
    let go_to = move |to: u32| {
        set_page.set(to);
        asked.update(|n| *n += 1);
    };
    view! {
        <div class="two-columns">
            <section class="card" aria-labelledby="import-title">
                <h2 id="import-title">{t!(i18n, payments.import_title)}</h2>
                <p class="hint">{t!(i18n, payments.import_hint)}</p>
                {report
                    .map(|(ok, text)| {
                        let class = if ok { "notice success" } else { "notice error" };
                        view! {
                            <p class=class role="status">
                                {text}
                            </p>
                        }
                    })}
                <form method="post" action="/admin/payments/import" enctype="multipart/form-data">
                    <div class="field">
                        <label for="statement-file">{t!(i18n, payments.file)}</label>
                        <input
                            id="statement-file"
                            name="file"
                            type="file"
                            accept=".xml,.cod,.coda,.txt,application/xml,text/xml,text/plain"
                            required
                        />
                    </div>
                    <button type="submit" class="button">{t!(i18n, payments.import)}</button>
                </form>
            </section>
            <section class="card" aria-labelledby="record-title">
                <h2 id="record-title">{t!(i18n, payments.record_title)}</h2>
                <FormError error=record_error />
                {move || {
                    record
                        .value()
                        .get()
                        .and_then(Result::ok)
                        .map(|outcome| {
                            view! {
                                <p class="notice success" role="status">
                                    {t!(i18n, payments.recorded)} " " {outcome_label(i18n, outcome)}
                                </p>
                            }
                        })
                }}
                <ActionForm action=record>
                    <TextField
                        field="reference"
                        name="reference"
                        label=Signal::derive(move || t_string!(i18n, payments.reference).to_string())
                        error=record_error
                    />
                    <TextField
                        field="amount"
                        name="amount"
                        label=Signal::derive(move || t_string!(i18n, payments.amount).to_string())
                        error=record_error
                    />
                    <TextField
                        field="booked_on"
                        name="booked_on"
                        kind="date"
                        label=Signal::derive(move || t_string!(i18n, payments.booked_on).to_string())
                        error=record_error
                    />
                    <button type="submit" class="button" disabled=move || record.pending().get()>
                        {t!(i18n, payments.record)}
                    </button>
                </ActionForm>
            </section>
        </div>
        <RefundQueue due=refunds changed />
        <section aria-labelledby="list-title">
            <h2 id="list-title">{t!(i18n, payments.list_title)}</h2>
            <div class="field checkbox">
                <input
                    id="exceptions-only"
                    type="checkbox"
                    checked=true
                    on:change=move |ev| {
                        set_exceptions_only.set(event_target_checked(&ev));
                        go_to(0);
                    }
                />
                <label for="exceptions-only">{t!(i18n, payments.exceptions_only)}</label>
            </div>
            {move || match payments.get() {
                Ok(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, payments.empty)}</p> }.into_any(),
                Ok(rows) => {
                    let full = rows.len() as i64 == crate::payment::api::PAGE_SIZE;
                    view! {
                        <PaymentTable rows resolve changed />
                        <nav class="pager" aria-label=move || t_string!(i18n, payments.pages).to_string()>
                            <button
                                type="button"
                                class="button secondary"
                                disabled=move || page.get() == 0
                                on:click=move |_| go_to(page.get_untracked().saturating_sub(1))
                            >
                                {t!(i18n, payments.previous)}
                            </button>
                            <button
                                type="button"
                                class="button secondary"
                                disabled=!full
                                on:click=move |_| go_to(page.get_untracked() + 1)
                            >
                                {t!(i18n, payments.next)}
                            </button>
                        </nav>
                    }
                        .into_any()
                }
                Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn PaymentTable(
    rows: Vec<PaymentRow>,
    resolve: ServerAction<ResolvePayment>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let body = rows
        .into_iter()
        .map(|row| {
            let open = row.outcome != PaymentOutcome::Matched && !row.resolved;
            let unmatched = open && row.invoice_id.is_none();
            let (payment_id, amount_cents) = (row.payment_id.clone(), row.amount_cents);
            let id = row.payment_id.clone();
            let outcome = row.outcome;
            view! {
                <tr data-outcome=outcome.as_str()>
                    <td>{row.booked_on.to_string()}</td>
                    <td class="number">{move || Money::from_cents(row.amount_cents).format(locale(), false)}</td>
                    <td>{row.communication.clone().unwrap_or_default()}</td>
                    <td>{row.debtor_name.clone().unwrap_or_default()}</td>
                    <td>
                        {row
                            .invoice_id
                            .clone()
                            .zip(row.invoice_number.clone())
                            .map(|(id, number)| view! { <a href=format!("/invoices/{id}")>{number}</a> })}
                    </td>
                    <td>{move || outcome_label(i18n, outcome)}</td>
                    <td>
                        {open
                            .then(|| {
                                let id = id.clone();
                                view! {
                                    <button
                                        type="button"
                                        class="link-button"
                                        disabled=move || resolve.pending().get()
                                        on:click=move |_| {
                                            resolve.dispatch(ResolvePayment { payment_id: id.clone() });
                                        }
                                    >
                                        {t!(i18n, payments.resolve)}
                                    </button>
                                }
                            })}
                        {unmatched
                            .then(|| {
                                view! {
                                    <details class="payment-actions">
                                        <summary>{t!(i18n, refunds.actions)}</summary>
                                        <AssignForm payment_id=payment_id.clone() changed />
                                        <RefundForm
                                            key=payment_id.clone()
                                            invoice_id=None
                                            payment_id=Some(payment_id.clone())
                                            amount_cents
                                            iban=String::new()
                                            changed
                                        />
                                    </details>
                                }
                            })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div
            class="table-scroll"
            tabindex="0"
            role="region"
            aria-label=move || t_string!(i18n, payments.table).to_string()
        >
            <table class="payments">
                <caption class="visually-hidden">{t!(i18n, payments.list_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, payments.booked_on)}</th>
                        <th scope="col" class="number">{t!(i18n, payments.amount)}</th>
                        <th scope="col">{t!(i18n, payments.communication)}</th>
                        <th scope="col">{t!(i18n, payments.payer)}</th>
                        <th scope="col">{t!(i18n, payments.invoice)}</th>
                        <th scope="col">{t!(i18n, payments.outcome)}</th>
                        <th scope="col">{t!(i18n, payments.action)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
