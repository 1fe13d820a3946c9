//! "Mon organisation est-elle inscrite ?": the public form (staff answer in `inquiry::ui`).

use crate::i18n::*;
use crate::org::api::AskIfRegistered;
use crate::ui::forms::{FormError, SubmitButton, TextField, action_error};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// "Mon organisation est-elle inscrite ?": a public question filed for staff.
#[component]
pub fn InquiryPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AskIfRegistered>::new();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let t = move |f: fn(leptos_i18n::I18nContext<Locale>) -> String| Signal::derive(move || f(i18n));
    view! {
        <Title text=localized_title(move || t_string!(i18n, inquiry.title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, inquiry.title)}</h1>
            <p class="lead">{t!(i18n, inquiry.intro)}</p>
            <Show
                when=done
                fallback=move || {
                    view! {
                        <FormError error />
                        <ActionForm action=action>
                            <TextField
                                field="organisation_name"
                                name="organisation_name"
                                label=t(|i| t_string!(i, org.legal_name).to_string())
                                error
                            />
                            <TextField
                                field="enterprise_number"
                                name="enterprise_number"
                                label=t(|i| t_string!(i, org.enterprise_number).to_string())
                                error
                            />
                            <TextField
                                field="address"
                                name="address"
                                autocomplete="street-address"
                                label=t(|i| t_string!(i, inquiry.address).to_string())
                                error
                            />
                            <TextField
                                field="reply_email"
                                name="reply_email"
                                kind="email"
                                autocomplete="email"
                                label=t(|i| t_string!(i, inquiry.reply_email).to_string())
                                error
                            />
                            <SubmitButton pending=action.pending()>
                                {t!(i18n, inquiry.submit)}
                            </SubmitButton>
                        </ActionForm>
                    }
                }
            >
                <p class="notice success" role="status">
                    {t!(i18n, inquiry.sent)}
                </p>
            </Show>
        </section>
    }
}
