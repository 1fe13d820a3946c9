//! "Inscrire mon organisation": step 1 of the registration (the form, then "check your
//! mailbox"), and the page its e-mailed link opens, which creates the account.

use super::{legal_form_label, mission_label, vat_status_options};
use crate::auth::ui::Session;
use crate::i18n::*;
use crate::order::invoice::VatStatus;
use crate::org::api::{ConfirmRegistration, Register};
use crate::org::model::{LegalForm, MISSION_CATEGORIES};
use crate::ui::forms::{FormError, LinkTokenInput, SelectField, SendButton, TextField, action_error, translated};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// "Inscrire mon organisation" (step 1 of 2; the statutes follow on the account page). Once
/// sent, the form gives way to "check your mailbox": the same whatever the database holds.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let error = action_error(action);
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    let t = move |f: fn(leptos_i18n::I18nContext<Locale>) -> String| Signal::derive(move || f(i18n));
    let legal_forms = Signal::derive(move || {
        LegalForm::ALL
            .iter()
            .map(|f| (f.as_str().to_owned(), legal_form_label(i18n, *f)))
            .collect::<Vec<_>>()
    });
    let missions = Signal::derive(move || {
        MISSION_CATEGORIES
            .iter()
            .map(|m| ((*m).to_owned(), mission_label(i18n, m)))
            .collect::<Vec<_>>()
    });
    let countries = Signal::derive(move || {
        vec![
            ("BE".to_owned(), t_string!(i18n, org.country_be).to_string()),
            ("LU".to_owned(), t_string!(i18n, org.country_lu).to_string()),
        ]
    });
    let mailbox = move || {
        view! {
            <div class="notice success" role="status" data-testid="register-sent">
                <h2>{t!(i18n, register.sent_title)}</h2>
                <p>{t!(i18n, register.sent)}</p>
            </div>
            <p class="muted">
                {t!(i18n, register.sent_hint)} " " <a href="/contact">{t!(i18n, contact.link)}</a>
            </p>
        }
    };
    view! {
        <Title text=localized_title(move || t_string!(i18n, register.title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, register.title)}</h1>
            <Show when=move || !sent() fallback=mailbox>
                <p class="lead">{t!(i18n, register.intro)}</p>
                <FormError error />
                <ActionForm action=action>
                    <fieldset>
                        <legend>{t!(i18n, register.organisation)}</legend>
                        <TextField
                            field="legal_name"
                            name="form[legal_name]"
                            autocomplete="organization"
                            label=t(|i| t_string!(i, org.legal_name).to_string())
                            error
                        />
                        <SelectField
                            field="legal_form"
                            name="form[legal_form]"
                            label=t(|i| t_string!(i, org.legal_form).to_string())
                            options=legal_forms
                            error
                        />
                        <SelectField
                            field="country"
                            name="form[country]"
                            label=t(|i| t_string!(i, org.country).to_string())
                            options=countries
                            error
                        />
                        <TextField
                            field="enterprise_number"
                            name="form[enterprise_number]"
                            label=t(|i| t_string!(i, org.enterprise_number).to_string())
                            hint=t(|i| t_string!(i, register.enterprise_number_hint).to_string())
                            error
                        />
                        <SelectField
                            field="mission_category"
                            name="form[mission_category]"
                            label=t(|i| t_string!(i, org.mission).to_string())
                            options=missions
                            error
                        />
                        <SelectField
                            field="vat_status"
                            name="form[vat_status]"
                            label=t(|i| t_string!(i, org.vat_status).to_string())
                            options=vat_status_options(i18n)
                            selected=VatStatus::None.as_str().to_owned()
                            error
                        />
                        <TextField
                            field="vat_number"
                            name="form[vat_number]"
                            label=t(|i| t_string!(i, org.vat_number).to_string())
                            hint=t(|i| t_string!(i, register.vat_number_hint).to_string())
                            error
                        />
                    </fieldset>
                    <fieldset>
                        <legend>{t!(i18n, register.address)}</legend>
                        <p class="hint">{t!(i18n, register.address_hint)}</p>
                        <TextField
                            field="street"
                            name="form[street]"
                            autocomplete="street-address"
                            label=t(|i| t_string!(i, org.street).to_string())
                            error
                        />
                        <TextField
                            field="postal_code"
                            name="form[postal_code]"
                            autocomplete="postal-code"
                            label=t(|i| t_string!(i, org.postal_code).to_string())
                            error
                        />
                        <TextField
                            field="city"
                            name="form[city]"
                            autocomplete="address-level2"
                            label=t(|i| t_string!(i, org.city).to_string())
                            error
                        />
                        <TextField
                            field="contact_email"
                            name="form[contact_email]"
                            kind="email"
                            autocomplete="email"
                            label=t(|i| t_string!(i, org.contact_email).to_string())
                            error
                        />
                    </fieldset>
                    <fieldset>
                        <legend>{t!(i18n, register.holder)}</legend>
                        <p class="hint">{t!(i18n, register.holder_hint)}</p>
                        <TextField
                            field="holder_name"
                            name="form[holder_name]"
                            autocomplete="name"
                            label=t(|i| t_string!(i, register.holder_name).to_string())
                            error
                        />
                        <TextField
                            field="holder_email"
                            name="form[holder_email]"
                            kind="email"
                            autocomplete="email"
                            label=t(|i| t_string!(i, register.holder_email).to_string())
                            error
                        />
                        <TextField
                            field="password"
                            name="form[password]"
                            kind="password"
                            autocomplete="new-password"
                            label=t(|i| t_string!(i, auth.password).to_string())
                            hint=t(|i| t_string!(i, auth.password_hint).to_string())
                            error
                        />
                    </fieldset>
                    <SendButton pending=action.pending() label=translated(i18n, |i| t_string!(i, register.submit).to_string()) />
                </ActionForm>
            </Show>
        </section>
    }
}

/// The page the registration e-mail's link opens: one button creates the organisation and
/// its account, logs the holder in and opens "Mon organisation". A button rather than on
/// opening, so that a mail filter that visits links creates nothing. A used, expired or
/// unknown link is told so.
#[component]
pub fn RegistrationConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmRegistration>::new();
    let error = action_error(action);
    let session = use_context::<Session>();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            if let Some(session) = session {
                session.refetch();
            }
            navigate("/account", Default::default());
        }
    });
    view! {
        <Title text=localized_title(move || t_string!(i18n, register.confirm_title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, register.confirm_title)}</h1>
            <p>{t!(i18n, register.confirm_intro)}</p>
            <FormError error />
            <ActionForm action=action>
                <LinkTokenInput />
                <SendButton pending=action.pending() label=translated(i18n, |i| t_string!(i, register.confirm_button).to_string()) />
            </ActionForm>
            <p class="muted">
                <a href="/register">{t!(i18n, register.register_again)}</a>
            </p>
        </section>
    }
}
