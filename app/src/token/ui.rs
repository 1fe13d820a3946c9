//! The account's "Jeton de validation" tab (`/account/tokens`): the holder creates tokens for
//! themself or another authorised person, copies, refreshes and revokes them and reads who
//! checked them; other members see the tokens made for them.

use crate::i18n::*;
use crate::token::api::{CreateToken, RefreshToken, RevokeToken, TOKENS_PAGE_SIZE, my_tokens};
use crate::token::model::{Outcome, PartnerChoice, TokenForm, TokenStatus, TokenView, TokensPage};
use crate::ui::dates::long_date;
use crate::ui::forms::{
    ConfirmButton, FieldError, FormError, SendButton, action_error, has_error, successes, translated,
};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

/// "Mon organisation" | "Jeton de validation": the account's two tabs.
#[component]
pub fn AccountTabs(
    /// `organisation`, `tokens`, `privacy` or `mfa`.
    current: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let tab = move |id: &'static str, href: &'static str, label: Signal<String>| {
        view! {
            <li>
                <a href=href class="tab" aria-current=(current == id).then_some("page")>
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, tokens.tabs_label).to_string()>
            <ul>
                {tab("organisation", "/account", Signal::derive(move || t_string!(i18n, account.title).to_string()))}
                {tab("tokens", "/account/tokens", Signal::derive(move || t_string!(i18n, tokens.title).to_string()))}
                {tab("privacy", "/account/privacy", Signal::derive(move || t_string!(i18n, privacy_data.tab).to_string()))}
                {tab("mfa", "/account/mfa", Signal::derive(move || t_string!(i18n, mfa.tab).to_string()))}
            </ul>
        </nav>
    }
}

/// A date from an RFC 3339 timestamp, in the reader's language.
pub(crate) fn date_of(locale: Locale, rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| long_date(locale, t.with_timezone(&domain::calendar::BELGIUM).date_naive()))
        .unwrap_or_default()
}

pub fn outcome_label(i18n: leptos_i18n::I18nContext<Locale>, outcome: Outcome) -> String {
    match outcome {
        Outcome::Valid => t_string!(i18n, tokens.outcome_valid),
        Outcome::Unknown => t_string!(i18n, tokens.outcome_unknown),
        Outcome::Expired => t_string!(i18n, tokens.outcome_expired),
        Outcome::Revoked => t_string!(i18n, tokens.outcome_revoked),
        Outcome::OrganisationNotValidated => t_string!(i18n, tokens.outcome_organisation_not_validated),
        Outcome::NotQualified => t_string!(i18n, tokens.outcome_not_qualified),
    }
    .to_string()
}

fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: TokenStatus) -> String {
    match status {
        TokenStatus::Active => t_string!(i18n, tokens.status_active),
        TokenStatus::Expired => t_string!(i18n, tokens.status_expired),
        TokenStatus::Revoked => t_string!(i18n, tokens.status_revoked),
    }
    .to_string()
}

fn status_class(status: TokenStatus) -> &'static str {
    match status {
        TokenStatus::Active => "badge token-active",
        TokenStatus::Expired => "badge token-expired",
        TokenStatus::Revoked => "badge token-revoked",
    }
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateToken>::new();
    let refresh = ServerAction::<RefreshToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let page = RwSignal::new(0u32);
    let created = successes(create);
    let refreshed = successes(refresh);
    let revoked = successes(revoke);
    // A new token goes on top of page 1.
    Effect::new(move |_| {
        if created.get() > 0 {
            page.set(0);
        }
    });
    let tokens = Resource::new(
        move || (page.get(), created.get(), refreshed.get(), revoked.get()),
        |(page, ..)| my_tokens(page),
    );
    view! {
        <Title text=localized_title(move || t_string!(i18n, tokens.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, tokens.title)}</h1>
            <AccountTabs current="tokens" />
            <p>{t!(i18n, tokens.intro)}</p>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) => view! { <TokensView list create refresh revoke page /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TokensView(
    list: TokensPage,
    create: ServerAction<CreateToken>,
    refresh: ServerAction<RefreshToken>,
    revoke: ServerAction<RevokeToken>,
    page: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pages = u32::try_from((list.total + i64::from(TOKENS_PAGE_SIZE) - 1) / i64::from(TOKENS_PAGE_SIZE))
        .unwrap_or(1)
        .max(1);
    let current = list.page;
    let is_holder = list.is_holder;
    let refresh_error = action_error(refresh);
    let revoke_error = action_error(revoke);
    view! {
        {if is_holder && !list.validated {
            view! { <p class="notice">{t!(i18n, tokens.not_validated)}</p> }.into_any()
        } else if is_holder {
            view! { <CreateTokenForm create own_name=list.own_name.clone() own_email=list.own_email.clone() partners=list.partners.clone() /> }
                .into_any()
        } else {
            view! { <p class="notice">{t!(i18n, tokens.member_notice)}</p> }.into_any()
        }}
        <section aria-labelledby="tokens-list-title">
            <h2 id="tokens-list-title">{t!(i18n, tokens.list_title)} " (" {list.total} ")"</h2>
            <FormError error=refresh_error />
            <FormError error=revoke_error />
            {if list.tokens.is_empty() {
                view! {
                    <p class="empty">
                        {if is_holder {
                            t_string!(i18n, tokens.empty_holder).to_string()
                        } else {
                            t_string!(i18n, tokens.empty_member).to_string()
                        }}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="token-list">
                        {list
                            .tokens
                            .into_iter()
                            .map(|token| view! { <TokenCard token is_holder refresh revoke /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {(pages > 1)
                .then(|| {
                    view! {
                        <nav class="pager" aria-label=move || t_string!(i18n, common.pagination).to_string()>
                            <button
                                type="button"
                                class="button secondary"
                                disabled=current == 0
                                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
                            >
                                {t!(i18n, common.previous)}
                            </button>
                            <span>{t!(i18n, tokens.page_of, page = current + 1, pages = pages)}</span>
                            <button
                                type="button"
                                class="button secondary"
                                disabled={current + 1 >= pages}
                                on:click=move |_| page.update(|p| *p += 1)
                            >
                                {t!(i18n, common.next)}
                            </button>
                        </nav>
                    }
                })}
        </section>
    }
}

/// "Créer un jeton". The name and e-mail fields appear for another person only.
#[component]
fn CreateTokenForm(
    create: ServerAction<CreateToken>,
    own_name: String,
    own_email: String,
    partners: Vec<PartnerChoice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(create);
    let for_whom = RwSignal::new("self".to_owned());
    let recipient_name = RwSignal::new(String::new());
    let recipient_email = RwSignal::new(String::new());
    let purpose = RwSignal::new(String::new());
    let partner_id = RwSignal::new(String::new());
    let done = successes(create);
    // After a success the form starts afresh; after a refusal everything typed stays.
    Effect::new(move |previous: Option<usize>| {
        let now = done.get();
        if previous.is_some_and(|p| p != now) {
            recipient_name.set(String::new());
            recipient_email.set(String::new());
            purpose.set(String::new());
            partner_id.set(String::new());
        }
        now
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateToken {
            form: TokenForm {
                for_whom: for_whom.get_untracked(),
                recipient_name: recipient_name.get_untracked(),
                recipient_email: recipient_email.get_untracked(),
                purpose: purpose.get_untracked(),
                partner_id: partner_id.get_untracked(),
            },
        });
    };
    let other = move || for_whom.get() == "other";
    let self_label = format!("{own_name} ({own_email})");
    view! {
        <section class="card" aria-labelledby="create-token-title">
            <h2 id="create-token-title">{t!(i18n, tokens.create_title)}</h2>
            <p class="hint">{t!(i18n, tokens.create_hint)}</p>
            <form on:submit=submit novalidate>
                <FormError error />
                <fieldset>
                    <legend>{t!(i18n, tokens.for_whom)}</legend>
                    <div class="field radio">
                        <input
                            id="for-self"
                            type="radio"
                            name="for_whom"
                            value="self"
                            prop:checked=move || for_whom.get() == "self"
                            on:change=move |_| for_whom.set("self".into())
                        />
                        <label for="for-self">{t!(i18n, tokens.for_self)} " — " {self_label}</label>
                    </div>
                    <div class="field radio">
                        <input
                            id="for-other"
                            type="radio"
                            name="for_whom"
                            value="other"
                            prop:checked=other
                            on:change=move |_| for_whom.set("other".into())
                        />
                        <label for="for-other">{t!(i18n, tokens.for_other)}</label>
                    </div>
                    <FieldError field="for_whom" error />
                </fieldset>
                <Show when=other>
                    <div class="field">
                        <label for="field-recipient_name">{t!(i18n, tokens.recipient_name)}</label>
                        <input
                            id="field-recipient_name"
                            type="text"
                            autocomplete="off"
                            maxlength="200"
                            aria-describedby="recipient_name-error"
                            aria-invalid=has_error(error, "recipient_name")
                            prop:value=recipient_name
                            on:input=move |ev| recipient_name.set(event_target_value(&ev))
                        />
                        <FieldError field="recipient_name" error />
                    </div>
                    <div class="field">
                        <label for="field-recipient_email">{t!(i18n, tokens.recipient_email)}</label>
                        <input
                            id="field-recipient_email"
                            type="email"
                            autocomplete="off"
                            aria-describedby="recipient_email-error"
                            aria-invalid=has_error(error, "recipient_email")
                            prop:value=recipient_email
                            on:input=move |ev| recipient_email.set(event_target_value(&ev))
                        />
                        <FieldError field="recipient_email" error />
                    </div>
                </Show>
                <div class="field">
                    <label for="field-purpose">{t!(i18n, tokens.purpose)}</label>
                    <input
                        id="field-purpose"
                        type="text"
                        maxlength="300"
                        aria-describedby="purpose-hint purpose-error"
                        aria-invalid=has_error(error, "purpose")
                        prop:value=purpose
                        on:input=move |ev| purpose.set(event_target_value(&ev))
                    />
                    <p class="hint" id="purpose-hint">{t!(i18n, tokens.purpose_hint)}</p>
                    <FieldError field="purpose" error />
                </div>
                <div class="field">
                    <label for="field-partner_id">{t!(i18n, tokens.partner)}</label>
                    <select
                        id="field-partner_id"
                        aria-describedby="partner_id-error"
                        aria-invalid=has_error(error, "partner_id")
                        prop:value=partner_id
                        on:change=move |ev| partner_id.set(event_target_value(&ev))
                    >
                        <option value="">{t!(i18n, tokens.any_partner)}</option>
                        {partners
                            .into_iter()
                            .map(|p| view! { <option value=p.partner_id>{p.name}</option> })
                            .collect_view()}
                    </select>
                    <FieldError field="partner_id" error />
                </div>
                <SendButton pending=create.pending() class="button" label=translated(i18n, |i| t_string!(i, tokens.create_button).to_string()) />
                {move || {
                    (done.get() > 0 && !create.pending().get())
                        .then(|| view! { <p class="notice success" role="status">{t!(i18n, tokens.created)}</p> })
                }}
            </form>
        </section>
    }
}

/// One token: its code with a copy button, who made it for whom, its status, and for the
/// holder the refresh and revoke buttons and the usage log.
#[component]
fn TokenCard(
    token: TokenView,
    is_holder: bool,
    refresh: ServerAction<RefreshToken>,
    revoke: ServerAction<RevokeToken>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let status = token.status;
    let code_id = format!("code-{}", token.token_id);
    let title_id = format!("token-{}", token.token_id);
    let expires_at = StoredValue::new(token.expires_at.clone());
    let created_at = StoredValue::new(token.created_at.clone());
    let days_left = token.days_left;
    let token_id = StoredValue::new(token.token_id.clone());
    let purpose = token.purpose.clone();
    let log = token.log.clone();
    let checks = token.checks;
    view! {
        <li class="card token-card" data-status=match status {
            TokenStatus::Active => "active",
            TokenStatus::Expired => "expired",
            TokenStatus::Revoked => "revoked",
        }>
            <div class="token-head">
                <h3 id=title_id.clone()>
                    {if purpose.is_empty() { token.recipient_name.clone() } else { purpose.clone() }}
                </h3>
                <span class=status_class(status)>{move || status_label(i18n, status)}</span>
            </div>
            <div class="token-code">
                <code id=code_id.clone() class="code">{token.code.clone()}</code>
                <CopyButton code=token.code.clone() labelled_by=format!("{title_id} {code_id}") />
            </div>
            <p class="token-expiry">
                {move || match status {
                    TokenStatus::Active => {
                        t_string!(i18n, tokens.expires_in, days = days_left, date = date_of(locale(), &expires_at.get_value()))
                            .to_string()
                    }
                    TokenStatus::Expired => {
                        t_string!(i18n, tokens.expired_on, date = date_of(locale(), &expires_at.get_value())).to_string()
                    }
                    TokenStatus::Revoked => t_string!(i18n, tokens.revoked_text).to_string(),
                }}
            </p>
            <dl class="facts">
                <dt>{t!(i18n, tokens.created_by)}</dt>
                <dd>{token.creator_name.clone()} " · " {token.creator_email.clone()}</dd>
                <dt>{t!(i18n, tokens.made_for)}</dt>
                <dd>{token.recipient_name.clone()} " · " {token.recipient_email.clone()}</dd>
                <dt>{t!(i18n, tokens.partner)}</dt>
                <dd>
                    {token.partner_name.clone().unwrap_or_else(|| t_string!(i18n, tokens.any_partner).to_string())}
                </dd>
                <dt>{t!(i18n, tokens.created_on)}</dt>
                <dd>{move || date_of(locale(), &created_at.get_value())}</dd>
            </dl>
            {is_holder
                .then(|| {
                    view! {
                        <div class="token-actions">
                            {(status == TokenStatus::Expired)
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="button"
                                            disabled=move || refresh.pending().get()
                                            on:click=move |_| {
                                                refresh
                                                    .dispatch(RefreshToken {
                                                        token_id: token_id.get_value(),
                                                    });
                                            }
                                        >
                                            {t!(i18n, tokens.refresh)}
                                        </button>
                                    }
                                })}
                            {(status != TokenStatus::Revoked)
                                .then(|| {
                                    view! {
                                        <ConfirmButton
                                            label=Signal::derive(move || t_string!(i18n, tokens.revoke).to_string())
                                            question=Signal::derive(move || t_string!(i18n, tokens.revoke_confirm).to_string())
                                            yes=Signal::derive(move || t_string!(i18n, tokens.revoke_yes).to_string())
                                            no=Signal::derive(move || t_string!(i18n, tokens.revoke_no).to_string())
                                            pending=revoke.pending()
                                            on_confirm=Callback::new(move |()| {
                                                revoke
                                                    .dispatch(RevokeToken {
                                                        token_id: token_id.get_value(),
                                                    });
                                            })
                                        />
                                    }
                                })}
                        </div>
                        <details class="token-log">
                            <summary>{t!(i18n, tokens.log_title, count = checks)}</summary>
                            {if log.is_empty() {
                                view! { <p class="empty">{t!(i18n, tokens.log_empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table">
                                        <caption class="visually-hidden">{t!(i18n, tokens.log_caption)}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, tokens.log_when)}</th>
                                                <th scope="col">{t!(i18n, tokens.partner)}</th>
                                                <th scope="col">{t!(i18n, tokens.log_client)}</th>
                                                <th scope="col">{t!(i18n, tokens.log_outcome)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {log
                                                .iter()
                                                .map(|check| {
                                                    let at = check.checked_at.clone();
                                                    let outcome = check.outcome;
                                                    view! {
                                                        <tr>
                                                            <td>{move || date_of(locale(), &at)}</td>
                                                            <td>{check.partner_name.clone()}</td>
                                                            <td>{check.client_name.clone()}</td>
                                                            <td>{move || outcome_label(i18n, outcome)}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            }}
                        </details>
                    }
                })}
        </li>
    }
}

/// "Copier": puts the code on the clipboard and says so; if the browser refuses, it says to
/// select the code by hand.
#[component]
fn CopyButton(code: String, labelled_by: String) -> impl IntoView {
    let i18n = use_i18n();
    // None: not clicked yet; Some(true): copied; Some(false): the browser refused.
    let copied = RwSignal::new(None::<bool>);
    let code = StoredValue::new(code);
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let text = code.get_value();
            leptos::task::spawn_local(async move {
                let clipboard = window().navigator().clipboard();
                let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await;
                copied.set(Some(done.is_ok()));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = code;
            copied.set(Some(false));
        }
    };
    view! {
        <button type="button" class="button secondary copy-button" aria-describedby=labelled_by on:click=on_click>
            {t!(i18n, tokens.copy)}
        </button>
        <span class="copy-status" role="status">
            {move || match copied.get() {
                Some(true) => t_string!(i18n, tokens.copied).to_string(),
                Some(false) => t_string!(i18n, tokens.copy_failed).to_string(),
                None => String::new(),
            }}
        </span>
    }
}
