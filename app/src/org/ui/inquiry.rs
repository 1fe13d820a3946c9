//! "Mon organisation est-elle inscrite ?" and the staff list of those questions.

use crate::i18n::*;
use crate::org::api::{AskIfRegistered, list_inquiries};
use crate::ui::forms::{FormError, LoadError, Loading, SubmitButton, TextField, action_error};
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
        <Title text=move || t_string!(i18n, inquiry.title).to_string() />
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

/// Staff: the public questions, with the registered organisation their number matches.
#[component]
pub fn InquiriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let inquiries = Resource::new(|| (), |_| list_inquiries());
    view! {
        <Title text=move || t_string!(i18n, inquiry.staff_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, inquiry.staff_title)}</h1>
            <p class="lead">{t!(i18n, inquiry.staff_intro)}</p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match inquiries.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{t!(i18n, inquiry.none)}</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="queue">
                                    {list
                                        .into_iter()
                                        .map(|q| {
                                            let verdict = match q.registered_match.clone() {
                                                Some(name) => format!("{} {name}", t_string!(i18n, inquiry.match_yes)),
                                                None => t_string!(i18n, inquiry.match_no).to_string(),
                                            };
                                            view! {
                                                <li>
                                                    <strong>{q.organisation_name.clone()}</strong>
                                                    {format!(" · {} · {}", q.enterprise_number, q.address)}
                                                    <p>
                                                        {t!(i18n, inquiry.reply_to)} " "
                                                        <a href=format!("mailto:{}", q.reply_email)>{q.reply_email.clone()}</a>
                                                        " · " {q.created_at.clone()}
                                                    </p>
                                                    <p>{verdict}</p>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
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
