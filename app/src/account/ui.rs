//! "Paramètres du compte" (`/account/settings`) and the page the e-mail change link opens
//! (`/account/email/confirm?token=`).

use crate::account::api::{ChangeName, ChangePassword, ConfirmEmailChange, RequestEmailChange, account_settings};
use crate::i18n::*;
use crate::ui::forms::{
    DoneThenLogin, FormError, LinkTokenInput, LoadError, Loading, SubmitButton, TextField, action_error, successes,
    translated,
};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// "Paramètres du compte": the person's name, password and login e-mail. Every logged-in
/// person has one, staff too.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let name = ServerAction::<ChangeName>::new();
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<RequestEmailChange>::new();
    let name_ok = successes(name);
    let email_ok = successes(email);
    let account = Resource::new(move || (name_ok.get(), email_ok.get()), |_| account_settings());
    view! {
        <Title text=localized_title(move || t_string!(i18n, settings.title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, settings.title)}</h1>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(account) => {
                            view! {
                                <dl class="data">
                                    <dt>{t!(i18n, settings.username)}</dt>
                                    <dd>{account.username.clone()}</dd>
                                    <dt>{t!(i18n, settings.email)}</dt>
                                    <dd>{account.email.clone()}</dd>
                                </dl>
                                {account
                                    .pending_email
                                    .clone()
                                    .map(|pending| {
                                        view! {
                                            <p class="notice" role="status">
                                                {t!(i18n, settings.pending_email)} " " <strong>{pending}</strong>
                                            </p>
                                        }
                                    })}
                                <NameCard action=name current=account.full_name.clone() />
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
            <PasswordCard action=password />
            <EmailCard action=email />
        </section>
    }
}

#[component]
fn NameCard(action: ServerAction<ChangeName>, current: String) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="name-title">
            <h2 id="name-title">{t!(i18n, settings.name_title)}</h2>
            <FormError error />
            <ActionForm action=action>
                <TextField
                    field="full_name"
                    name="full_name"
                    id="settings-name"
                    autocomplete="name"
                    label=translated(i18n, |i| t_string!(i, settings.full_name).to_string())
                    error
                    value=current
                />
                <SubmitButton pending=action.pending()>{t!(i18n, settings.name_button)}</SubmitButton>
            </ActionForm>
            <Show when=done>
                <p class="notice success" role="status">
                    {t!(i18n, settings.name_done)}
                </p>
            </Show>
        </section>
    }
}

#[component]
fn PasswordCard(action: ServerAction<ChangePassword>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">{t!(i18n, settings.password_title)}</h2>
            <p>{t!(i18n, settings.password_intro)}</p>
            <FormError error />
            <ActionForm action=action>
                <TextField
                    field="current_password"
                    name="current_password"
                    id="password-current"
                    kind="password"
                    autocomplete="current-password"
                    label=translated(i18n, |i| t_string!(i, settings.current_password).to_string())
                    error
                />
                <TextField
                    field="new_password"
                    name="new_password"
                    id="password-new"
                    kind="password"
                    autocomplete="new-password"
                    label=translated(i18n, |i| t_string!(i, settings.new_password).to_string())
                    hint=translated(i18n, |i| t_string!(i, auth.password_hint).to_string())
                    error
                />
                <SubmitButton pending=action.pending()>{t!(i18n, settings.password_button)}</SubmitButton>
            </ActionForm>
            <Show when=done>
                <p class="notice success" role="status">
                    {t!(i18n, settings.password_done)}
                </p>
            </Show>
        </section>
    }
}

#[component]
fn EmailCard(action: ServerAction<RequestEmailChange>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="email-title">
            <h2 id="email-title">{t!(i18n, settings.email_title)}</h2>
            <p>{t!(i18n, settings.email_intro)}</p>
            <FormError error />
            <ActionForm action=action>
                <TextField
                    field="new_email"
                    name="new_email"
                    id="email-new"
                    kind="email"
                    autocomplete="email"
                    label=translated(i18n, |i| t_string!(i, settings.new_email).to_string())
                    error
                />
                <TextField
                    field="current_password"
                    name="current_password"
                    id="email-password"
                    kind="password"
                    autocomplete="current-password"
                    label=translated(i18n, |i| t_string!(i, settings.current_password).to_string())
                    error
                />
                <SubmitButton pending=action.pending()>{t!(i18n, settings.email_button)}</SubmitButton>
            </ActionForm>
            <Show when=done>
                <p class="notice success" role="status">
                    {t!(i18n, settings.email_sent)}
                </p>
            </Show>
        </section>
    }
}

/// The page the link mailed to the new address opens. The change happens on the button, not
/// on opening: a mail scanner that follows links does not use it up.
#[component]
pub fn EmailConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=localized_title(move || t_string!(i18n, settings.confirm_title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, settings.confirm_title)}</h1>
            <Show
                when=done
                fallback=move || {
                    view! {
                        <p>{t!(i18n, settings.confirm_intro)}</p>
                        <FormError error />
                        <ActionForm action=action>
                            <LinkTokenInput />
                            <SubmitButton pending=action.pending()>{t!(i18n, settings.confirm_button)}</SubmitButton>
                        </ActionForm>
                    }
                }
            >
                <DoneThenLogin>{t!(i18n, settings.confirm_done)}</DoneThenLogin>
            </Show>
        </section>
    }
}
