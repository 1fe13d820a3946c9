//! "Paiements" (/admin/payments): staff record transfers, import bank statements, and deal
//! with the payments that did not settle an invoice exactly.

use crate::billing::ui::{ArchiveForm, AssignForm, RefundForm, RefundQueue};
use crate::i18n::*;
use crate::money::Money;
use crate::payment::api::{RecordPayment, ResolvePayment, list_payments};
use crate::payment::model::{PaymentOutcome, PaymentRow};
use crate::ui::forms::{FormError, TextField, action_error, error_text, successes};
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

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordPayment>::new();
    let resolve = ServerAction::<ResolvePayment>::new();
    let record_error = action_error(record);
    let (exceptions_only, set_exceptions_only) = signal(true);
    let (page, set_page) = signal(0_u32);
    let recorded = successes(record);
    let resolved = successes(resolve);
    // Bumped by the refund and assignment forms.
    let changed = RwSignal::new(0_usize);
    let payments = Resource::new(
        move || {
            (
                exceptions_only.get(),
                page.get(),
                recorded.get(),
                resolved.get(),
                changed.get(),
            )
        },
        |(exceptions_only, page, _, _, _)| list_payments(exceptions_only, page),
    );
    let query = use_query_map();
    let report = move || {
        query.with(|q| {
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
        })
    };
    view! {
        <Title text=localized_title(move || t_string!(i18n, payments.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, payments.title)}</h1>
            <div class="two-columns">
                <section class="card" aria-labelledby="import-title">
                    <h2 id="import-title">{t!(i18n, payments.import_title)}</h2>
                    <p class="hint">{t!(i18n, payments.import_hint)}</p>
                    {move || {
                        report()
                            .map(|(ok, text)| {
                                let class = if ok { "notice success" } else { "notice error" };
                                view! {
                                    <p class=class role="status">
                                        {text}
                                    </p>
                                }
                            })
                    }}
                    <form method="post" action="/admin/payments/import" enctype="multipart/form-data">
                        <div class="field">
                            <label for="statement-file">{t!(i18n, payments.file)}</label>
                            <input id="statement-file" name="file" type="file" accept=".xml,.cod,.coda,.txt,application/xml,text/xml,text/plain" required />
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
            <RefundQueue changed />
            <section aria-labelledby="list-title">
                <h2 id="list-title">{t!(i18n, payments.list_title)}</h2>
                <div class="field checkbox">
                    <input
                        id="exceptions-only"
                        type="checkbox"
                        prop:checked=exceptions_only
                        on:change=move |ev| {
                            set_page.set(0);
                            set_exceptions_only.set(event_target_checked(&ev));
                        }
                    />
                    <label for="exceptions-only">{t!(i18n, payments.exceptions_only)}</label>
                </div>
                <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match payments.await {
                            Ok(rows) if rows.is_empty() => {
                                view! { <p class="empty">{t!(i18n, payments.empty)}</p> }.into_any()
                            }
                            Ok(rows) => {
                                let full = rows.len() as i64 == crate::payment::api::PAGE_SIZE;
                                view! {
                                    <PaymentTable rows resolve changed />
                                    <nav class="pager" aria-label=move || t_string!(i18n, payments.pages).to_string()>
                                        <button
                                            type="button"
                                            class="button secondary"
                                            disabled=move || page.get() == 0
                                            on:click=move |_| set_page.update(|p| *p = p.saturating_sub(1))
                                        >
                                            {t!(i18n, payments.previous)}
                                        </button>
                                        <button
                                            type="button"
                                            class="button secondary"
                                            disabled=!full
                                            on:click=move |_| set_page.update(|p| *p += 1)
                                        >
                                            {t!(i18n, payments.next)}
                                        </button>
                                    </nav>
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <ArchiveForm />
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
