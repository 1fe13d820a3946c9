//! Staff pieces of "Paiements" (/admin/payments) for the money going back: the queue of
//! refunds to pay with the form that records each transfer, the actions on a payment that
//! matched no invoice (give it to its invoice, or pay it back), and the period archive.

use crate::billing::api::{AssignPayment, RecordRefund, RefundDue, RefundInput, refunds_due};
use crate::error::AppError;
use crate::i18n::*;
use crate::money::Money;
use crate::ui::forms::{FieldError, FormError, action_error};
use crate::ui::islands::read_again_on;
use crate::ui::org_link::OrgLink;
use leptos::prelude::*;

/// "84,70" for 8470 cents, as the amount fields read it back.
fn typed_amount(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// "Remboursements à effectuer": every invoice with money due back, each with its transfer form,
/// given the list as the server read it (`due`, part of the payments page's island).
/// `changed` is bumped after each transfer recorded, so this list and the payments list are
/// read again.
#[component]
pub fn RefundQueue(due: Result<Vec<RefundDue>, AppError>, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let due = read_again_on(due, move || changed.get(), refunds_due);
    view! {
        <section class="card" aria-labelledby="refunds-title">
            <h2 id="refunds-title">{t!(i18n, refunds.title)}</h2>
            <p class="hint">{t!(i18n, refunds.hint)}</p>
            {move || match due.get() {
                Ok(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, refunds.empty)}</p> }.into_any(),
                Ok(rows) => {
                    view! {
                        <ul class="plain-list refund-queue">
                            {rows.into_iter().map(|row| view! { <RefundDueItem row changed /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
                Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RefundDueItem(row: RefundDue, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let amount = row.amount_cents;
    view! {
        <li class="refund-due-item" data-invoice=row.invoice_number.clone()>
            <p>
                <strong>
                    <OrgLink id=row.organisation_id.clone() name=row.organisation_name.clone() />
                </strong>
                " — "
                <a href=format!("/invoices/{}", row.invoice_id)>{row.invoice_number.clone()}</a>
                " — "
                <a href=format!("/admin/orders/{}", row.order_id)>{row.order_reference.clone()}</a>
                " — "
                <span class="amount">{move || Money::from_cents(amount).format(locale(), false)}</span>
            </p>
            <RefundForm
                key=row.invoice_id.clone()
                invoice_id=Some(row.invoice_id.clone())
                payment_id=None
                amount_cents=amount
                iban=row.payer_iban.clone().unwrap_or_default()
                changed
            />
        </li>
    }
}

/// Records one transfer paid back: amount (what is due back unless changed), the account it
/// went to, its date (today when left empty) and a note.
#[component]
pub fn RefundForm(
    /// Makes the inputs' ids unique on the page.
    key: String,
    invoice_id: Option<String>,
    payment_id: Option<String>,
    amount_cents: i64,
    iban: String,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordRefund>::new();
    let error = action_error(record);
    crate::order::admin_ui::refresh_on(record, changed);
    let amount = RwSignal::new(typed_amount(amount_cents));
    let account = RwSignal::new(iban);
    let paid_on = RwSignal::new(String::new());
    let ids = StoredValue::new((invoice_id, payment_id));
    let id = move |field: &str| format!("refund-{field}-{key}");
    let (amount_id, iban_id, date_id) = (id("amount"), id("iban"), id("date"));
    let (amount_error, iban_error, date_error) = (
        format!("{amount_id}-error"),
        format!("{iban_id}-error"),
        format!("{date_id}-error"),
    );
    view! {
        <div class="refund-form">
            <FormError error />
            <div class="field">
                <label for=amount_id.clone()>{t!(i18n, refunds.amount)}</label>
                <input
                    id=amount_id
                    inputmode="decimal"
                    maxlength="20"
                    aria-describedby=amount_error.clone()
                    prop:value=amount
                    on:input=move |ev| amount.set(event_target_value(&ev))
                />
                <FieldError field="amount" error id=amount_error />
            </div>
            <div class="field">
                <label for=iban_id.clone()>{t!(i18n, refunds.iban)}</label>
                <input
                    id=iban_id
                    maxlength="42"
                    autocomplete="off"
                    aria-describedby=iban_error.clone()
                    prop:value=account
                    on:input=move |ev| account.set(event_target_value(&ev))
                />
                <FieldError field="iban" error id=iban_error />
            </div>
            <div class="field">
                <label for=date_id.clone()>{t!(i18n, refunds.paid_on)}</label>
                <input
                    id=date_id
                    type="date"
                    aria-describedby=date_error.clone()
                    prop:value=paid_on
                    on:input=move |ev| paid_on.set(event_target_value(&ev))
                />
                <FieldError field="paid_on" error id=date_error />
            </div>
            <button
                type="button"
                class="button"
                data-action="record_refund"
                disabled=move || record.pending().get()
                on:click=move |_| {
                    let (invoice_id, payment_id) = ids.get_value();
                    let paid_on = paid_on.get_untracked();
                    record.dispatch(RecordRefund {
                        input: RefundInput {
                            invoice_id,
                            payment_id,
                            amount: amount.get_untracked(),
                            iban: account.get_untracked(),
                            paid_on,
                            note: String::new(),
                        },
                    });
                }
            >
                {t!(i18n, refunds.record)}
            </button>
        </div>
    }
}

/// Gives a payment that matched no invoice to the invoice its payer meant.
#[component]
pub fn AssignForm(payment_id: String, changed: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let assign = ServerAction::<AssignPayment>::new();
    let error = action_error(assign);
    crate::order::admin_ui::refresh_on(assign, changed);
    let reference = RwSignal::new(String::new());
    let input_id = format!("assign-{payment_id}");
    let error_id = format!("assign-{payment_id}-error");
    let payment_id = StoredValue::new(payment_id);
    view! {
        <div class="assign-form">
            <FormError error />
            <div class="field">
                <label for=input_id.clone()>{t!(i18n, refunds.assign_reference)}</label>
                <input
                    id=input_id
                    maxlength="40"
                    aria-describedby=error_id.clone()
                    prop:value=reference
                    on:input=move |ev| reference.set(event_target_value(&ev))
                />
                <FieldError field="reference" error id=error_id />
            </div>
            <button
                type="button"
                class="button secondary"
                disabled=move || assign.pending().get()
                on:click=move |_| {
                    assign.dispatch(AssignPayment {
                        payment_id: payment_id.get_value(),
                        reference: reference.get_untracked(),
                    });
                }
            >
                {t!(i18n, refunds.assign)}
            </button>
        </div>
    }
}

/// A period's invoices and credit notes (PDF, and UBL where issued) as one zip.
#[component]
pub fn ArchiveForm() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="archive-title">
            <h2 id="archive-title">{t!(i18n, refunds.archive_title)}</h2>
            <p class="hint">{t!(i18n, refunds.archive_hint)}</p>
            <form method="get" action="/admin/documents.zip">
                <div class="field">
                    <label for="archive-from">{t!(i18n, refunds.archive_from)}</label>
                    <input id="archive-from" name="from" type="date" required />
                </div>
                <div class="field">
                    <label for="archive-to">{t!(i18n, refunds.archive_to)}</label>
                    <input id="archive-to" name="to" type="date" required />
                </div>
                <button type="submit" class="button secondary">{t!(i18n, refunds.archive)}</button>
            </form>
        </section>
    }
}
