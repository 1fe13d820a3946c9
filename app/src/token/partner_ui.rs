//! Partner-facing pages: staff manage the partners' API clients (`/admin/partner-clients`),
//! and a partner's staff check a token by hand with their key (`/partners/verify`).

use crate::error::AppError;
use crate::i18n::*;
use crate::token::api::{CheckToken, CreatePartnerClient, RevokePartnerClient, partner_clients};
use crate::token::model::{self, PartnerClient, Verdict};
use crate::token::ui::{date_of, outcome_label};
use crate::ui::forms::{
    ConfirmButton, FieldError, FormError, SendButton, action_error, has_error, successes, translated,
};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

/// Staff: create a client (its key is shown once), see each client's use, revoke. Served as
/// islands (`ui::islands::MODULES`, in the `clients` module): the page reads the clients and
/// [`PartnerClients`], one island, shows them and acts on them.
#[component]
pub fn PartnerClientsPage() -> impl IntoView {
    let i18n = use_i18n();
    let clients = Resource::new(|| (), |_| partner_clients());
    view! {
        <Title text=localized_title(move || t_string!(i18n, tokens.clients_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, tokens.clients_title)}</h1>
            <p>{t!(i18n, tokens.clients_intro)}</p>
            <p>
                <a href="/api/v1/openapi.json">{t!(i18n, tokens.openapi_link)}</a>
                " · "
                <a href="/partners/verify">{t!(i18n, tokens.check_title)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    view! { <PartnerClients clients=clients.await locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The clients, the new client's form and each client's revocation, an island: its props are
/// the clients as `partner_clients` read them and the page's language; they are read again
/// after each creation and revocation.
#[island]
fn PartnerClients(
    /// The clients and the partners a new one may be for, or why they could not be read.
    clients: Result<model::PartnerClientsPage, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let create = ServerAction::<CreatePartnerClient>::new();
    let revoke = ServerAction::<RevokePartnerClient>::new();
    let created = successes(create);
    let revoked = successes(revoke);
    let clients = read_again_on(clients, move || created.get() + revoked.get(), partner_clients);
    let error = action_error(create);
    let revoke_error = action_error(revoke);
    let new_key = move || create.value().get().and_then(Result::ok);
    view! {
        {move || {
            new_key()
                .map(|created| {
                    view! {
                        <div class="notice success" role="status">
                            <p>{t!(i18n, tokens.key_once, name = created.client.name.clone())}</p>
                            <p>
                                <code class="code" data-testid="new-key">{created.key.clone()}</code>
                            </p>
                        </div>
                    }
                })
        }}
        {move || {
            match clients.get() {
                Ok(page) => {
                    let partners: Vec<(String, String)> = page
                        .partners
                        .iter()
                        .map(|p| (p.partner_id.clone(), p.name.clone()))
                        .collect();
                    view! {
                        <section class="card" aria-labelledby="new-client-title">
                            <h2 id="new-client-title">{t!(i18n, tokens.new_client)}</h2>
                            <ActionForm action=create>
                                <FormError error />
                                <div class="field">
                                    <label for="field-name">{t!(i18n, tokens.client_name)}</label>
                                    <input
                                        id="field-name"
                                        name="name"
                                        type="text"
                                        maxlength="200"
                                        autocomplete="off"
                                        aria-describedby="name-hint name-error"
                                        aria-invalid=has_error(error, "name")
                                    />
                                    <p class="hint" id="name-hint">{t!(i18n, tokens.client_name_hint)}</p>
                                    <FieldError field="name" error />
                                </div>
                                <div class="field">
                                    <label for="field-partner_id">{t!(i18n, tokens.partner)}</label>
                                    <select
                                        id="field-partner_id"
                                        name="partner_id"
                                        aria-describedby="partner_id-error"
                                        aria-invalid=has_error(error, "partner_id")
                                    >
                                        <option value="">{t!(i18n, common.choose)}</option>
                                        {partners
                                            .into_iter()
                                            .map(|(id, name)| view! { <option value=id>{name}</option> })
                                            .collect_view()}
                                    </select>
                                    <FieldError field="partner_id" error />
                                </div>
                                <div class="field">
                                    <label for="field-rate_per_minute">{t!(i18n, tokens.rate)}</label>
                                    <input
                                        id="field-rate_per_minute"
                                        name="rate_per_minute"
                                        type="number"
                                        inputmode="numeric"
                                        min="1"
                                        max="100000"
                                        value="60"
                                        aria-describedby="rate_per_minute-error"
                                        aria-invalid=has_error(error, "rate_per_minute")
                                    />
                                    <FieldError field="rate_per_minute" error />
                                </div>
                                <SendButton pending=create.pending() class="button" label=translated(i18n, |i| t_string!(i, tokens.create_client).to_string()) />
                            </ActionForm>
                        </section>
                        <section aria-labelledby="clients-title">
                            <h2 id="clients-title">{t!(i18n, tokens.clients_list)}</h2>
                            <FormError error=revoke_error />
                            {if page.clients.is_empty() {
                                view! { <p class="empty">{t!(i18n, tokens.clients_empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="client-list">
                                        {page
                                            .clients
                                            .into_iter()
                                            .map(|client| view! { <ClientCard client revoke /> })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                        </section>
                    }
                        .into_any()
                }
                Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
            }
        }}
    }
}

#[component]
fn ClientCard(client: PartnerClient, revoke: ServerAction<RevokePartnerClient>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let id = StoredValue::new(client.partner_client_id.clone());
    let created_at = client.created_at.clone();
    let last_used = client.last_used_at.clone();
    let live = client.revoked_at.is_none();
    view! {
        <li class="card client-card" data-revoked=(!live).to_string()>
            <h3>{client.name.clone()}</h3>
            <dl class="facts">
                <dt>{t!(i18n, tokens.partner)}</dt>
                <dd>{client.partner_name.clone()}</dd>
                <dt>{t!(i18n, tokens.key_prefix)}</dt>
                <dd>
                    <code>{client.key_prefix.clone()} "…"</code>
                </dd>
                <dt>{t!(i18n, tokens.rate)}</dt>
                <dd>{client.rate_per_minute}</dd>
                <dt>{t!(i18n, tokens.created_on)}</dt>
                <dd>{move || date_of(locale(), &created_at)}</dd>
                <dt>{t!(i18n, tokens.last_used)}</dt>
                <dd>
                    {move || {
                        last_used
                            .as_deref()
                            .map(|at| date_of(locale(), at))
                            .unwrap_or_else(|| t_string!(i18n, tokens.never).to_string())
                    }}
                </dd>
                <dt>{t!(i18n, tokens.checks)}</dt>
                <dd>{client.checks}</dd>
            </dl>
            {if live {
                view! {
                    <ConfirmButton
                        label=Signal::derive(move || t_string!(i18n, tokens.client_revoke).to_string())
                        question=Signal::derive(move || t_string!(i18n, tokens.client_revoke_confirm).to_string())
                        yes=Signal::derive(move || t_string!(i18n, tokens.revoke_yes).to_string())
                        no=Signal::derive(move || t_string!(i18n, tokens.revoke_no).to_string())
                        pending=revoke.pending()
                        on_confirm=Callback::new(move |()| {
                            revoke
                                .dispatch(RevokePartnerClient {
                                    partner_client_id: id.get_value(),
                                });
                        })
                    />
                }
                    .into_any()
            } else {
                view! { <p class="badge token-revoked">{t!(i18n, tokens.status_revoked)}</p> }.into_any()
            }}
        </li>
    }
}

/// A partner's staff check a token by hand: their API key and the code.
#[component]
pub fn CheckTokenPage() -> impl IntoView {
    let i18n = use_i18n();
    let check = ServerAction::<CheckToken>::new();
    let error = action_error(check);
    let verdict = move || check.value().get().and_then(Result::ok);
    view! {
        <Title text=localized_title(move || t_string!(i18n, tokens.check_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, tokens.check_title)}</h1>
            <p>{t!(i18n, tokens.check_intro)}</p>
            <ActionForm action=check>
                <FormError error />
                <div class="field">
                    <label for="field-key">{t!(i18n, tokens.api_key)}</label>
                    <input
                        id="field-key"
                        name="key"
                        type="password"
                        autocomplete="off"
                        aria-describedby="key-error"
                        aria-invalid=has_error(error, "key")
                    />
                    <FieldError field="key" error />
                </div>
                <div class="field">
                    <label for="field-token">{t!(i18n, tokens.code)}</label>
                    <input
                        id="field-token"
                        name="token"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="123a4567@1b234c5de6789000"
                        aria-describedby="token-error"
                        aria-invalid=has_error(error, "token")
                    />
                    <FieldError field="token" error />
                </div>
                <button type="submit" class="button" disabled=move || check.pending().get()>
                    {move || {
                        if check.pending().get() {
                            t_string!(i18n, tokens.checking).to_string()
                        } else {
                            t_string!(i18n, tokens.check_button).to_string()
                        }
                    }}
                </button>
            </ActionForm>
            {move || verdict().map(|verdict| view! { <VerdictCard verdict /> })}
        </section>
    }
}

#[component]
fn VerdictCard(verdict: Verdict) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let expires_at = verdict.expires_at.clone();
    let reason = verdict.reason;
    view! {
        <section
            class=if verdict.valid { "card verdict valid" } else { "card verdict invalid" }
            aria-live="polite"
            data-valid=verdict.valid.to_string()
        >
            <h2>
                {move || {
                    if verdict.valid {
                        t_string!(i18n, tokens.verdict_valid).to_string()
                    } else {
                        t_string!(i18n, tokens.verdict_invalid).to_string()
                    }
                }}
            </h2>
            {reason.map(|reason| view! { <p class="verdict-reason">{move || outcome_label(i18n, reason)}</p> })}
            <dl class="facts">
                {verdict
                    .organisation
                    .clone()
                    .map(|organisation| {
                        view! {
                            <dt>{t!(i18n, tokens.organisation)}</dt>
                            <dd>{organisation.name}</dd>
                            <dt>{t!(i18n, tokens.enterprise_number)}</dt>
                            <dd>{organisation.country} " " {organisation.enterprise_number}</dd>
                            <dt>{t!(i18n, tokens.legal_form)}</dt>
                            <dd>{organisation.legal_form}</dd>
                        }
                    })}
                {(!verdict.qualified_partners.is_empty())
                    .then(|| {
                        view! {
                            <dt>{t!(i18n, tokens.qualified_for)}</dt>
                            <dd>{verdict.qualified_partners.join(", ")}</dd>
                        }
                    })}
                {expires_at
                    .map(|at| {
                        view! {
                            <dt>{t!(i18n, tokens.expires)}</dt>
                            <dd>{move || date_of(locale(), &at)}</dd>
                        }
                    })}
            </dl>
        </section>
    }
}
