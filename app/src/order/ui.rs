//! The checkout's confirmation page and the invoice page (printable, with its PDF).

use crate::i18n::*;
use crate::order::api::{load_checkout, load_invoice};
use crate::order::document::{amount_due, country_name, epc_payload, money, state_label, vat_rate};
use crate::order::model::{InvoiceView, OrderCategory};
use crate::programme::ProgrammeInfo;
use crate::ui::dates::long_date;
use crate::ui::forms::FormError;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn category_label(i18n: leptos_i18n::I18nContext<Locale>, category: OrderCategory) -> String {
    match category {
        OrderCategory::Software => t_string!(i18n, invoice.software).to_string(),
        OrderCategory::Hardware => t_string!(i18n, invoice.hardware).to_string(),
    }
}

/// "Demande envoyée": the orders one "Continuer" created, their invoices, and what comes next.
/// Served as islands (`ui::islands::ISLAND_PAGES`): rendered whole on the server, links only.
#[component]
pub fn ConfirmationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let invoices = Resource::new(move || params.with(|p| p.get("id").unwrap_or_default()), load_checkout);
    view! {
        <Title text=localized_title(move || t_string!(i18n, checkout.confirmation_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, checkout.confirmation_title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match invoices.await {
                        Ok(list) => view! { <Confirmation invoices=list /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Confirmation(invoices: Vec<InvoiceView>) -> impl IntoView {
    let i18n = use_i18n();
    let has_hardware = invoices.iter().any(|i| i.category == OrderCategory::Hardware);
    let has_software = invoices.iter().any(|i| i.category == OrderCategory::Software);
    let cards = invoices
        .into_iter()
        .map(|invoice| {
            let locale = move || i18n.get_locale();
            let category = invoice.category;
            let href = format!("/invoices/{}", invoice.invoice_id);
            let pdf = format!("/invoices/{}/pdf", invoice.invoice_id);
            let number = invoice.number.clone();
            let due_on = invoice.due_on;
            view! {
                <li class="card order-summary" data-category=category.as_str()>
                    <h2>
                        {invoice.order_reference.clone()} " — " {move || category_label(i18n, category)}
                    </h2>
                    <dl class="facts">
                        <div>
                            <dt>{t!(i18n, invoice.number_label)}</dt>
                            <dd>{number.clone()}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, invoice.net)}</dt>
                            <dd class="net">{move || money(locale(), invoice.net_cents)}</dd>
                        </div>
                        <div>
                            <dt>{move || t_string!(i18n, invoice.vat, rate = vat_rate(locale(), invoice.vat_rate_bps))}</dt>
                            <dd class="vat">{move || money(locale(), invoice.vat_cents)}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, invoice.total)}</dt>
                            <dd class="total">{move || money(locale(), invoice.total_cents)}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, invoice.communication)}</dt>
                            <dd class="communication">{invoice.communication.clone()}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, invoice.due_on)}</dt>
                            <dd>{move || long_date(locale(), due_on)}</dd>
                        </div>
                    </dl>
                    <p class="actions">
                        <a class="button" href=href>
                            {move || t_string!(i18n, checkout.view_invoice, number = number.clone())}
                        </a>
                        " "
                        <a class="button secondary" href=pdf rel="external" download>
                            {t!(i18n, invoice.pdf)}
                        </a>
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="lead">{t!(i18n, checkout.confirmation_intro)}</p>
        <ul class="order-summaries">{cards}</ul>
        <section aria-labelledby="next-title">
            <h2 id="next-title">{t!(i18n, checkout.next_title)}</h2>
            <ul class="next-steps">
                <li>{t!(i18n, checkout.next_pay)}</li>
                {has_software.then(|| view! { <li>{t!(i18n, checkout.next_software)}</li> })}
                {has_hardware.then(|| view! { <li>{t!(i18n, checkout.next_hardware)}</li> })}
            </ul>
            <p>
                <a href="/catalogue">{t!(i18n, checkout.back_to_catalogue)}</a>
            </p>
        </section>
    }
}

/// "Facture": the printable invoice (the stylesheet hides the site's chrome when printing).
#[component]
pub fn InvoicePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let invoice = Resource::new(move || params.with(|p| p.get("id").unwrap_or_default()), load_invoice);
    view! {
        <Title text=localized_title(move || t_string!(i18n, invoice.page_title).to_string()) />
        <section class="page invoice-page">
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match invoice.await {
                        Ok((invoice, programme)) => view! { <InvoiceSheet invoice programme /> }.into_any(),
                        Err(error) => view! {
                            <h1>{t!(i18n, invoice.page_title)}</h1>
                            <FormError error=Signal::derive(move || Some(error.clone())) />
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn InvoiceSheet(invoice: InvoiceView, programme: ProgrammeInfo) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let pdf = format!("/invoices/{}/pdf", invoice.invoice_id);
    let number = invoice.number.clone();
    let (issued_on, due_on) = (invoice.issued_on, invoice.due_on);
    let state = invoice.state();
    let money_now = invoice.settlement();
    let ubl = invoice
        .e_invoice
        .then(|| format!("/invoices/{}/ubl", invoice.invoice_id));
    let credit_notes = invoice.credit_notes.clone();
    let qr = epc_payload(&invoice, &programme).map(|_| {
        let (due, communication) = (amount_due(&invoice), invoice.communication.clone());
        let alt = move || {
            t_string!(
                i18n,
                invoice.qr_alt,
                amount = money(locale(), due),
                communication = communication.clone()
            )
            .to_string()
        };
        view! {
            <figure class="payment-qr">
                <img src=format!("/invoices/{}/qr.png", invoice.invoice_id) width="200" height="200" alt=alt />
                <figcaption>{t!(i18n, invoice.scan_to_pay)}</figcaption>
            </figure>
        }
    });
    let lines = invoice
        .lines
        .iter()
        .cloned()
        .map(|line| {
            view! {
                <tr>
                    <th scope="row">{line.name}</th>
                    <td class="number">{line.quantity}</td>
                    <td class="number">{move || money(locale(), line.unit_fee_cents)}</td>
                    <td class="number">{move || money(locale(), line.amount_cents)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="invoice-tools no-print">
            <button type="button" class="button" on:click=move |_| {
                let _ = window().print();
            }>{t!(i18n, invoice.print)}</button>
            " "
            <a class="button secondary" href=pdf rel="external" download>{t!(i18n, invoice.pdf)}</a>
            {ubl
                .map(|href| {
                    view! {
                        " "
                        <a class="button secondary" href=href rel="external" download>{t!(i18n, invoice.ubl)}</a>
                    }
                })}
        </div>
        <article class="invoice" aria-labelledby="invoice-title">
            <h1 id="invoice-title">{move || t_string!(i18n, invoice.title, number = number.clone())}</h1>
            <div class="invoice-parties">
                <address class="issuer">
                    <strong>{programme.legal_name.clone()}</strong>
                    <br />
                    {programme.postal_address.clone()}
                    <br />
                    {move || t_string!(i18n, invoice.vat_number)} " " {programme.enterprise_number.clone()}
                </address>
                <address class="customer">
                    <strong>{invoice.customer_name.clone()}</strong>
                    <br />
                    {invoice.customer_street.clone()}
                    <br />
                    {format!("{} {}", invoice.customer_postal_code, invoice.customer_city)}
                    <br />
                    {country_name(&invoice.customer_country)}
                    <br />
                    {t!(i18n, invoice.enterprise_number)} " " {invoice.customer_enterprise_number.clone()}
                </address>
            </div>
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, invoice.issued_on)}</dt>
                    <dd>{move || long_date(locale(), issued_on)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, invoice.order)}</dt>
                    <dd>{invoice.order_reference.clone()}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, invoice.due_on)}</dt>
                    <dd>{move || long_date(locale(), due_on)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, invoice.state)}</dt>
                    <dd class="invoice-state" data-state=state.as_str()>
                        {move || state_label(locale(), state)}
                    </dd>
                </div>
            </dl>
            <div
                class="table-scroll"
                tabindex="0"
                role="region"
                aria-label=move || t_string!(i18n, invoice.lines_caption).to_string()
            >
                <table class="invoice-lines">
                    <caption class="visually-hidden">{t!(i18n, invoice.lines_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, invoice.product)}</th>
                            <th scope="col" class="number">{t!(i18n, invoice.quantity)}</th>
                            <th scope="col" class="number">{t!(i18n, invoice.unit_fee)}</th>
                            <th scope="col" class="number">{t!(i18n, invoice.amount)}</th>
                        </tr>
                    </thead>
                    <tbody>{lines}</tbody>
                </table>
            </div>
            <dl class="invoice-totals">
                <div>
                    <dt>{t!(i18n, invoice.net)}</dt>
                    <dd class="net">{move || money(locale(), invoice.net_cents)}</dd>
                </div>
                <div>
                    <dt>{move || t_string!(i18n, invoice.vat, rate = vat_rate(locale(), invoice.vat_rate_bps))}</dt>
                    <dd class="vat">{move || money(locale(), invoice.vat_cents)}</dd>
                </div>
                <div class="grand-total">
                    <dt>{t!(i18n, invoice.total)}</dt>
                    <dd class="total">{move || money(locale(), invoice.total_cents)}</dd>
                </div>
                {(money_now.credited_cents > 0)
                    .then(|| {
                        let credited = money_now.credited_cents;
                        view! {
                            <div>
                                <dt>{t!(i18n, invoice.credited_amount)}</dt>
                                <dd class="credited">{move || money(locale(), -credited)}</dd>
                            </div>
                        }
                    })}
                {(money_now.paid_cents > 0)
                    .then(|| {
                        let paid = money_now.paid_cents;
                        view! {
                            <div>
                                <dt>{t!(i18n, invoice.paid_amount)}</dt>
                                <dd class="paid">{move || money(locale(), -paid)}</dd>
                            </div>
                        }
                    })}
                {(money_now.refunded_cents > 0)
                    .then(|| {
                        let refunded = money_now.refunded_cents;
                        view! {
                            <div>
                                <dt>{t!(i18n, invoice.refunded_amount)}</dt>
                                <dd class="refunded">{move || money(locale(), refunded)}</dd>
                            </div>
                        }
                    })}
                {(money_now.due_cents() != money_now.total_cents)
                    .then(|| {
                        let due = money_now.due_cents();
                        view! {
                            <div>
                                <dt>{t!(i18n, invoice.due_amount)}</dt>
                                <dd class="owed">{move || money(locale(), due)}</dd>
                            </div>
                        }
                    })}
                {(money_now.refund_due_cents() > 0)
                    .then(|| {
                        let back = money_now.refund_due_cents();
                        view! {
                            <div>
                                <dt>{t!(i18n, invoice.refund_due)}</dt>
                                <dd class="refund-due">{move || money(locale(), back)}</dd>
                            </div>
                        }
                    })}
            </dl>
            {(!credit_notes.is_empty())
                .then(|| view! { <CreditNoteList notes=credit_notes.clone() /> })}
            <section class="invoice-payment" aria-labelledby="payment-title">
                <h2 id="payment-title">{t!(i18n, invoice.payment)}</h2>
                {qr}
                <dl class="facts">
                    <div>
                        <dt>"IBAN"</dt>
                        <dd>{programme.iban.clone()}</dd>
                    </div>
                    <div>
                        <dt>"BIC"</dt>
                        <dd>{programme.bic.clone()}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, invoice.communication)}</dt>
                        <dd class="communication">{invoice.communication.clone()}</dd>
                    </div>
                </dl>
                <p class="muted">{t!(i18n, invoice.footer)}</p>
            </section>
        </article>
    }
}

/// The credit notes that correct an invoice, each with its PDF (and UBL when issued by Peppol).
#[component]
fn CreditNoteList(notes: Vec<crate::order::model::CreditNoteSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    view! {
        <section class="credit-notes" aria-labelledby="credit-notes-title">
            <h2 id="credit-notes-title">{t!(i18n, credit_note.list_title)}</h2>
            <ul class="plain-list">
                {notes
                    .into_iter()
                    .map(|note| {
                        let pdf = format!("/credit-notes/{}/pdf", note.credit_note_id);
                        let ubl = note.e_invoice.then(|| format!("/credit-notes/{}/ubl", note.credit_note_id));
                        let issued_on = note.issued_on;
                        let total = note.total_cents;
                        view! {
                            <li class="credit-note">
                                <strong class="credit-note-number">{note.number.clone()}</strong>
                                " — "
                                {move || long_date(locale(), issued_on)}
                                " — "
                                {move || money(locale(), total)}
                                " — "
                                {note.reason.clone()}
                                " "
                                <a href=pdf rel="external" download>
                                    {t!(i18n, credit_note.pdf)}
                                    <span class="visually-hidden">" " {note.number.clone()}</span>
                                </a>
                                {ubl
                                    .map(|href| {
                                        view! {
                                            " "
                                            <a href=href rel="external" download>
                                                {t!(i18n, invoice.ubl)}
                                                <span class="visually-hidden">" " {note.number.clone()}</span>
                                            </a>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
