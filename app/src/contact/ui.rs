//! "Nous contacter" (`/contact`): the public contact form. A logged-in person writes as
//! themself (name, e-mail and organisation come from the account); a visitor types a name
//! and an e-mail for the answer.

use crate::auth::ui::Session;
use crate::contact::api::SendContactMessage;
use crate::contact::labels::topic_label;
use crate::contact::model::Topic;
use crate::contact::rules::MAX_MESSAGE_CHARS;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::forms::{
    FieldError, FormError, Loading, SelectField, SendButton, TextField, action_error, has_error, translated,
};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// "Nous contacter": the form, then its confirmation.
#[component]
pub fn ContactPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SendContactMessage>::new();
    // Made here, not in the form: the form is disposed when the answer arrives, while the
    // fields' effects that read the error may still be queued (they would read a disposed
    // value and panic in the browser).
    let error = action_error(action);
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=localized_title(move || t_string!(i18n, contact.title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, contact.title)}</h1>
            <p class="lead">{t!(i18n, contact.intro)}</p>
            <p>
                {t!(i18n, contact.help_hint)} " " <a href="/help">{t!(i18n, nav.help)}</a>
            </p>
            <Show when=sent fallback=move || view! { <ContactForm action error /> }>
                <div class="notice success" role="status" data-testid="contact-sent">
                    <p>{t!(i18n, contact.sent)}</p>
                </div>
                <button type="button" class="button secondary" on:click=move |_| action.value().set(None)>
                    {t!(i18n, contact.send_another)}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn ContactForm(action: ServerAction<SendContactMessage>, error: Signal<Option<AppError>>) -> impl IntoView {
    let session = use_context::<Session>();
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let user = match session {
                    Some(session) => session.0.await.ok().flatten(),
                    None => None,
                };
                view! { <ContactFields action user error /> }
            })}
        </Suspense>
    }
}

#[component]
fn ContactFields(
    action: ServerAction<SendContactMessage>,
    user: Option<crate::auth::model::CurrentUser>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |f: fn(leptos_i18n::I18nContext<Locale>) -> String| Signal::derive(move || f(i18n));
    let topics = Signal::derive(move || {
        Topic::ALL
            .into_iter()
            .map(|topic| (topic.as_str().to_owned(), topic_label(i18n.get_locale(), topic)))
            .collect::<Vec<_>>()
    });
    let who = match user {
        Some(user) => {
            let organisation = user.membership.map(|m| m.legal_name);
            let name = user.full_name;
            view! {
                <div class="notice" data-testid="contact-signed-in">
                    <p>{move || t_string!(i18n, contact.signed_in, name = name.clone()).to_string()}</p>
                    {organisation
                        .map(|organisation| {
                            view! {
                                <p>
                                    {move || {
                                        t_string!(i18n, contact.signed_in_org, organisation = organisation.clone())
                                            .to_string()
                                    }}
                                </p>
                            }
                        })}
                </div>
            }
            .into_any()
        }
        None => view! {
            <TextField
                field="name"
                name="form[name]"
                autocomplete="name"
                label=t(|i| t_string!(i, contact.name).to_string())
                error
            />
            <TextField
                field="email"
                name="form[email]"
                kind="email"
                autocomplete="email"
                label=t(|i| t_string!(i, contact.email).to_string())
                error
            />
        }
        .into_any(),
    };
    view! {
        <FormError error />
        <ActionForm action=action attr:class="contact-form">
            {who}
            <SelectField
                field="topic"
                name="form[topic]"
                label=t(|i| t_string!(i, contact.topic).to_string())
                options=topics
                error
            />
            <TextField field="subject" name="form[subject]" label=t(|i| t_string!(i, contact.subject).to_string()) error />
            <div class="field">
                <label for="field-message">{t!(i18n, contact.message)}</label>
                <textarea
                    id="field-message"
                    name="form[message]"
                    rows="8"
                    maxlength=MAX_MESSAGE_CHARS.to_string()
                    aria-describedby="message-hint message-error"
                    aria-invalid=has_error(error, "message")
                ></textarea>
                <p class="hint" id="message-hint">
                    {t!(i18n, contact.message_hint)}
                </p>
                <FieldError field="message" error />
            </div>
            <SendButton pending=action.pending() label=translated(i18n, |i| t_string!(i, contact.submit).to_string()) />
        </ActionForm>
    }
}
