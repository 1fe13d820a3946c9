//! Pages of the second factor ("Validation en deux étapes"): the code step of a login
//! (`/login/mfa`), enrolment with its QR code and recovery codes, and the account's page
//! (`/account/mfa`) where an organisation account opts in or out.

use crate::auth::mfa_api::{
    ConfirmMfaEnrolment, DisableMfa, VerifyMfa, begin_mfa_enrolment, mfa_pending, mfa_settings,
};
use crate::auth::ui::{Session, enter_account};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::forms::{FieldError, FormError, LoadError, Loading, SubmitButton, action_error, has_error, successes};
use crate::ui::title::localized_title;
use domain::auth::mfa::{MfaState, MfaStep};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/login/mfa`: the step after a right password — a code, or, for staff at their first
/// login, enrolment.
#[component]
pub fn MfaLoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let pending = Resource::new(|| (), |_| mfa_pending());
    view! {
        <Title text=localized_title(move || t_string!(i18n, mfa.login_title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, mfa.login_title)}</h1>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(Some(MfaStep::Verify)) => view! { <CodeForm /> }.into_any(),
                        Ok(Some(MfaStep::Enrol)) => {
                            view! {
                                <p>{t!(i18n, mfa.enrol_required)}</p>
                                <EnrolPanel />
                            }
                                .into_any()
                        }
                        Ok(None) => {
                            view! {
                                <p class="notice" role="status">{t!(i18n, mfa.expired)}</p>
                                <p>
                                    <a href="/login">{t!(i18n, auth.login_title)}</a>
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The code of an enrolled account: six digits, or a recovery code.
#[component]
fn CodeForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<VerifyMfa>::new();
    let error = action_error(action);
    let session = use_context::<Session>();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(user)) = action.value().get() {
            enter_account(i18n, session, &user, &navigate);
        }
    });
    view! {
        <p>{t!(i18n, mfa.verify_intro)}</p>
        <FormError error />
        <ActionForm action=action>
            <div class="field">
                <label for="mfa-code">{t!(i18n, mfa.code_label)}</label>
                <input
                    id="mfa-code"
                    name="code"
                    type="text"
                    autocomplete="one-time-code"
                    autocapitalize="off"
                    spellcheck="false"
                    required
                    maxlength="20"
                    aria-describedby="mfa-code-hint code-error"
                    aria-invalid=has_error(error, "code")
                />
                <p class="hint" id="mfa-code-hint">
                    {t!(i18n, mfa.code_hint)}
                </p>
                <FieldError field="code" error />
            </div>
            <SubmitButton pending=action.pending()>{t!(i18n, mfa.verify_button)}</SubmitButton>
        </ActionForm>
    }
}

/// Enrolment: the QR code and the key as text, then a first code; on success the ten
/// recovery codes, shown once. Completes a staff member's first login when it waits for it.
#[component]
fn EnrolPanel() -> impl IntoView {
    let i18n = use_i18n();
    let enrolment = Resource::new(|| (), |_| begin_mfa_enrolment());
    let confirm = ServerAction::<ConfirmMfaEnrolment>::new();
    let error = action_error(confirm);
    let session = use_context::<Session>();
    Effect::new(move |_| {
        if let Some(Ok(enrolled)) = confirm.value().get()
            && enrolled.logged_in.is_some()
            && let Some(session) = session
        {
            session.refetch();
        }
    });
    let enrolled = move || confirm.value().get().and_then(Result::ok);
    view! {
        <Show
            when=move || enrolled().is_some()
            fallback=move || {
                view! {
                    <Suspense fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            match enrolment.await {
                                Ok(enrolment) => {
                                    view! {
                                        <section class="card" aria-labelledby="mfa-enrol-title">
                                            <h2 id="mfa-enrol-title">{t!(i18n, mfa.enrol_title)}</h2>
                                            <p>{t!(i18n, mfa.step_scan)}</p>
                                            <img
                                                class="qr"
                                                src=enrolment.qr_png
                                                width="200"
                                                height="200"
                                                alt=move || t_string!(i18n, mfa.qr_alt).to_string()
                                            />
                                            <p>{t!(i18n, mfa.step_manual)}</p>
                                            <p>
                                                <code id="mfa-secret" class="secret">
                                                    {enrolment.secret}
                                                </code>
                                            </p>
                                            <p>{t!(i18n, mfa.step_code)}</p>
                                            <FormError error />
                                            <ActionForm action=confirm>
                                                <AppCodeField id="mfa-enrol-code" error />
                                                <SubmitButton pending=confirm.pending()>
                                                    {t!(i18n, mfa.enrol_button)}
                                                </SubmitButton>
                                            </ActionForm>
                                        </section>
                                    }
                                        .into_any()
                                }
                                Err(error) => view! { <LoadError error /> }.into_any(),
                            }
                        })}
                    </Suspense>
                }
            }
        >
            {move || {
                enrolled()
                    .map(|enrolled| {
                        let target = match &enrolled.logged_in {
                            Some(user) if user.is_staff() => "/admin",
                            Some(_) => "/account",
                            None => "/account/mfa",
                        };
                        view! {
                            <section class="card" aria-labelledby="mfa-codes-title">
                                <h2 id="mfa-codes-title">{t!(i18n, mfa.codes_title)}</h2>
                                <p role="status">{t!(i18n, mfa.codes_intro)}</p>
                                <ol id="recovery-codes" class="recovery-codes">
                                    {enrolled
                                        .recovery_codes
                                        .into_iter()
                                        .map(|code| view! { <li><code>{code}</code></li> })
                                        .collect_view()}
                                </ol>
                                <p>
                                    <a class="button primary" href=target>{t!(i18n, mfa.codes_continue)}</a>
                                </p>
                            </section>
                        }
                    })
            }}
        </Show>
    }
}

/// The six digits of the authenticator app, where a recovery code is not accepted
/// (enrolment, turning the factor off).
#[component]
fn AppCodeField(id: &'static str, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{t!(i18n, mfa.code_label)}</label>
            <input
                id=id
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                required
                maxlength="7"
                aria-describedby="code-error"
                aria-invalid=has_error(error, "code")
            />
            <FieldError field="code" error />
        </div>
    }
}

/// `/account/mfa`: the logged-in person's second factor. Organisation accounts turn it on
/// (enrolment) or off (with a current code); staff see that it is required.
#[component]
pub fn AccountMfaPage() -> impl IntoView {
    let i18n = use_i18n();
    let disable = ServerAction::<DisableMfa>::new();
    let disabled = successes(disable);
    let settings = Resource::new(move || disabled.get(), |_| mfa_settings());
    let query = use_query_map();
    let enrolling = move || query.with(|q| q.get("enrol").is_some());
    view! {
        <Title text=localized_title(move || t_string!(i18n, mfa.tab).to_string()) />
        <section class="page">
            <h1>{t!(i18n, mfa.tab)}</h1>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => {
                            let tabs = (!settings.required)
                                .then(|| view! { <crate::token::ui::AccountTabs current="mfa" /> });
                            let body = if settings.enabled {
                                view! { <MfaOn settings disable /> }.into_any()
                            } else if enrolling() {
                                view! {
                                    <p>{t!(i18n, mfa.enrol_optin)}</p>
                                    <EnrolPanel />
                                }
                                    .into_any()
                            } else {
                                view! {
                                    {(disabled.get_untracked() > 0)
                                        .then(|| {
                                            view! {
                                                <p class="notice success" role="status">
                                                    {t!(i18n, mfa.disabled_done)}
                                                </p>
                                            }
                                        })}
                                    <p>{t!(i18n, mfa.status_off)}</p>
                                    <p>{t!(i18n, mfa.enrol_optin)}</p>
                                    <p>
                                        <a class="button primary" href="/account/mfa?enrol=1">
                                            {t!(i18n, mfa.optin_button)}
                                        </a>
                                    </p>
                                }
                                    .into_any()
                            };
                            view! {
                                {tabs}
                                {body}
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn MfaOn(settings: MfaState, disable: ServerAction<DisableMfa>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(disable);
    let count = settings.recovery_codes_left;
    view! {
        <p class="notice success">{t!(i18n, mfa.status_on)}</p>
        <p>{t!(i18n, mfa.codes_left, count = move || count)}</p>
        {if settings.required {
            view! { <p>{t!(i18n, mfa.required_note)}</p> }.into_any()
        } else {
            view! {
                <section class="card" aria-labelledby="mfa-disable-title">
                    <h2 id="mfa-disable-title">{t!(i18n, mfa.disable_title)}</h2>
                    <p>{t!(i18n, mfa.disable_intro)}</p>
                    <FormError error />
                    <ActionForm action=disable>
                        <AppCodeField id="mfa-disable-code" error />
                        <SubmitButton pending=disable.pending() class="button danger">
                            {t!(i18n, mfa.disable_button)}
                        </SubmitButton>
                    </ActionForm>
                </section>
            }
                .into_any()
        }}
    }
}
