//! "Demander une modification" on the account page, and the staff list of requests.

use crate::change::api::{DecideChangeRequest, RequestChange, my_change_requests, pending_change_requests};
use crate::change::model::ChangeRequest;
use crate::i18n::*;
use crate::ui::forms::{FieldError, FormError, TextField, action_error, has_error, successes};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: &str) -> String {
    match status {
        "accepted" => t_string!(i18n, change.accepted).to_string(),
        "refused" => t_string!(i18n, change.refused).to_string(),
        _ => t_string!(i18n, change.pending).to_string(),
    }
}

/// The requested values, one per line ("Adresse : Rue Neuve 5, 1000 Bruxelles").
fn requested_values(i18n: leptos_i18n::I18nContext<Locale>, request: &ChangeRequest) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(v) = &request.legal_name {
        lines.push(format!("{} : {v}", t_string!(i18n, org.legal_name)));
    }
    if let Some(v) = &request.enterprise_number {
        lines.push(format!("{} : {v}", t_string!(i18n, org.enterprise_number)));
    }
    let address: Vec<&str> = [&request.street, &request.postal_code, &request.city]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !address.is_empty() {
        lines.push(format!(
            "{} : {}",
            t_string!(i18n, register.address),
            address.join(", ")
        ));
    }
    if let Some(v) = &request.contact_email {
        lines.push(format!("{} : {v}", t_string!(i18n, org.contact_email)));
    }
    lines
}

/// The account holder's form and the organisation's past requests.
#[component]
pub fn ChangeSection(is_holder: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestChange>::new();
    let error = action_error(action);
    let action_ok = successes(action);
    let requests = Resource::new(move || action_ok.get(), |_| my_change_requests());
    let t = move |f: fn(leptos_i18n::I18nContext<Locale>) -> String| Signal::derive(move || f(i18n));
    view! {
        <section class="card" aria-labelledby="change-title">
            <h3 id="change-title">{t!(i18n, change.title)}</h3>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = requests.await.unwrap_or_default();
                    (!list.is_empty())
                        .then(|| {
                            view! {
                                <ul class="members">
                                    {list
                                        .into_iter()
                                        .map(|r| {
                                            let values = requested_values(i18n, &r);
                                            view! {
                                                <li class=format!("change status-{}", r.status)>
                                                    <strong>{status_text(i18n, &r.status)}</strong>
                                                    " · "
                                                    {r.created_at.chars().take(10).collect::<String>()}
                                                    <p>{values.join(" · ")}</p>
                                                    {r.decision_reason.clone().map(|reason| view! { <p>{reason}</p> })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                        })
                })}
            </Suspense>
            <Show when=move || is_holder.get()>
                <p>{t!(i18n, change.intro)}</p>
                <FormError error />
                <ActionForm action=action>
                    <TextField
                        field="legal_name"
                        name="form[legal_name]"
                        label=t(|i| t_string!(i, change.new_legal_name).to_string())
                        error
                    />
                    <TextField
                        field="enterprise_number"
                        name="form[enterprise_number]"
                        label=t(|i| t_string!(i, change.new_enterprise_number).to_string())
                        error
                    />
                    <TextField
                        field="street"
                        name="form[street]"
                        label=t(|i| t_string!(i, change.new_street).to_string())
                        error
                    />
                    <TextField
                        field="postal_code"
                        name="form[postal_code]"
                        label=t(|i| t_string!(i, change.new_postal_code).to_string())
                        error
                    />
                    <TextField field="city" name="form[city]" label=t(|i| t_string!(i, change.new_city).to_string()) error />
                    <TextField
                        field="contact_email"
                        name="form[contact_email]"
                        kind="email"
                        label=t(|i| t_string!(i, change.new_contact_email).to_string())
                        error
                    />
                    <div class="field">
                        <label for="change-note">{t!(i18n, change.note)}</label>
                        <textarea
                            id="change-note"
                            name="form[note]"
                            rows="3"
                            aria-describedby="note-error"
                            aria-invalid=has_error(error, "note")
                        ></textarea>
                        <FieldError field="note" error />
                    </div>
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        {t!(i18n, change.submit)}
                    </button>
                </ActionForm>
            </Show>
        </section>
    }
}

/// Staff: the pending change requests, each with accept / refuse.
#[component]
pub fn ChangeRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideChangeRequest>::new();
    let error = action_error(decide);
    let decide_ok = successes(decide);
    let requests = Resource::new(move || decide_ok.get(), |_| pending_change_requests());
    view! {
        <Title text=move || t_string!(i18n, change.staff_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, change.staff_title)}</h1>
            <FormError error />
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{t!(i18n, change.none)}</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="queue">
                                    {list
                                        .into_iter()
                                        .map(|r| {
                                            let values = requested_values(i18n, &r);
                                            let reason_id = format!("reason-{}", r.change_request_id);
                                            view! {
                                                <li>
                                                    <a href=format!(
                                                        "/admin/organisations/{}",
                                                        r.organisation_id,
                                                    )>{r.organisation_name.clone()}</a>
                                                    <ul>
                                                        {values.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}
                                                    </ul>
                                                    <p>
                                                        <strong>{t!(i18n, change.note)} " : "</strong>
                                                        {r.note.clone()}
                                                    </p>
                                                    <ActionForm action=decide>
                                                        <input
                                                            type="hidden"
                                                            name="change_request_id"
                                                            value=r.change_request_id.clone()
                                                        />
                                                        <div class="field">
                                                            <label for=reason_id.clone()>{t!(i18n, review.reason)}</label>
                                                            <input id=reason_id type="text" name="reason" />
                                                        </div>
                                                        <button type="submit" class="button primary" name="decision" value="accepted">
                                                            {t!(i18n, change.accept)}
                                                        </button>
                                                        " "
                                                        <button type="submit" class="button" name="decision" value="refused">
                                                            {t!(i18n, change.refuse)}
                                                        </button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
