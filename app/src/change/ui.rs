//! "Demander une modification" on the account page, and the staff list of requests.

use crate::change::api::{DecideChangeRequest, my_change_requests, pending_change_requests};
use crate::change::model::{ChangeDocument, ChangeRequest};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::forms::{FieldError, FormError, TextField, action_error, error_text, has_error, successes};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// "statuts.pdf · PDF · 1,2 Mo", linking to the file (served to the organisation and staff).
#[component]
fn DocumentLink(document: ChangeDocument) -> impl IntoView {
    let i18n = use_i18n();
    let kind = match document.content_type.as_str() {
        "application/pdf" => "PDF",
        "image/png" => "PNG",
        "image/jpeg" => "JPEG",
        _ => "",
    };
    let size = if document.size_bytes >= 1024 * 1024 {
        format!("{:.1} Mo", document.size_bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} ko", (document.size_bytes + 1023) / 1024)
    };
    view! {
        <p class="document">
            {t!(i18n, inquiries_admin.document_link)} " "
            <a href=format!("/documents/{}", document.document_id)>{document.file_name.clone()}</a>
            {format!(" · {kind} · {size}")}
        </p>
    }
}

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
    let query = use_query_map();
    // Without the WASM the form is a plain multipart post (its document travels with it) and
    // the outcome comes back in `?change=`; the page says what to fill in again. With it, the
    // same post goes through `fetch`: nothing typed is lost and errors show under their fields.
    let outcome = Memo::new(move |_| query.with(|q| q.get("change")));
    let sent = RwSignal::new(None::<Result<(), AppError>>);
    let sending = RwSignal::new(false);
    let error = Signal::derive(move || match sent.get() {
        Some(result) => result.err(),
        None => outcome.get().filter(|code| code != "ok").map(|code| {
            let field = if matches!(
                code.as_str(),
                "document_required" | "file_type" | "file_too_large" | "file_missing" | "storage_full"
            ) {
                "document"
            } else {
                "form"
            };
            AppError::field(field, code)
        }),
    });
    let refresh = RwSignal::new(0_u32);
    let requests = Resource::new(move || refresh.get(), |_| my_change_requests());
    let t = move |f: fn(leptos_i18n::I18nContext<Locale>) -> String| Signal::derive(move || f(i18n));
    let notice = move || match sent.get() {
        Some(Ok(())) => Some(
            view! {
                <p class="notice success" role="status">
                    {t!(i18n, inquiries_admin.change_sent)}
                </p>
            }
            .into_any(),
        ),
        Some(Err(_)) => Some(view! { <FormError error /> }.into_any()),
        None => outcome.get().map(|code| {
            if code == "ok" {
                view! {
                    <p class="notice success" role="status">
                        {t!(i18n, inquiries_admin.change_sent)}
                    </p>
                }
                .into_any()
            } else {
                let reason = error_text(i18n, &code);
                view! {
                    <div class="notice error" role="alert">
                        <p>{t_string!(i18n, inquiries_admin.change_not_sent, reason).to_string()}</p>
                    </div>
                }
                .into_any()
            }
        }),
    };
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            let Some(form) = form_ref.get() else { return };
            ev.prevent_default();
            if sending.get_untracked() {
                return;
            }
            sending.set(true);
            leptos::task::spawn_local(async move {
                let result = post_change_form(&form).await;
                if result.is_ok() {
                    form.reset();
                    refresh.update(|n| *n += 1);
                }
                sent.set(Some(result));
                sending.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (ev, form_ref, refresh);
        }
    };
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
                                                    {r.document.clone().map(|document| view! { <DocumentLink document /> })}
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
                {notice}
                <form
                    method="post"
                    action="/change-requests"
                    enctype="multipart/form-data"
                    node_ref=form_ref
                    on:submit=on_submit
                >
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
                    <div class="field">
                        <label for="change-document">{t!(i18n, inquiries_admin.document_label)}</label>
                        <input
                            id="change-document"
                            name="file"
                            type="file"
                            accept="application/pdf,image/png,image/jpeg"
                            aria-describedby="change-document-hint document-error"
                            aria-invalid=has_error(error, "document")
                        />
                        <p class="hint" id="change-document-hint">
                            {t!(i18n, inquiries_admin.document_hint)}
                        </p>
                        <FieldError field="document" error />
                    </div>
                    <button type="submit" class="button" disabled=move || sending.get()>
                        {t!(i18n, change.submit)}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// Posts the change-request form as the browser would, asking for JSON: `Ok` once filed, or
/// the server's error (field errors included).
#[cfg(feature = "hydrate")]
async fn post_change_form(form: &web_sys::HtmlFormElement) -> Result<(), AppError> {
    use leptos::wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| AppError::Request("fetch".into());
    let data = web_sys::FormData::new_with_form(form).map_err(failed)?;
    let headers = web_sys::Headers::new().map_err(failed)?;
    headers.set("Accept", "application/json").map_err(failed)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&data);
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init("/change-requests", &init).map_err(failed)?;
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| AppError::Request("fetch".into()))?;
    if response.ok() {
        return Ok(());
    }
    // Refused by the body limit before the route ran: not JSON.
    if response.status() == 413 {
        return Err(AppError::field("document", "file_too_large"));
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    Err(serde_json::from_str(&text).unwrap_or(AppError::Internal))
}

/// Staff: the pending change requests, each with accept / refuse. Served as islands
/// (`ui::islands::MODULES`, in the `changes` module): the page reads the list and
/// [`ChangeRequests`], one island, shows it and decides.
#[component]
pub fn ChangeRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let requests = Resource::new(|| (), |_| pending_change_requests());
    view! {
        <Title text=localized_title(move || t_string!(i18n, change.staff_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, change.staff_title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    view! { <ChangeRequests list=requests.await locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The pending change requests and their decisions, an island: its props are the list as
/// `pending_change_requests` read it and the page's language; the list is read again after
/// each decision.
#[island]
fn ChangeRequests(
    /// The pending requests, oldest first, or why they could not be read.
    list: Result<Vec<ChangeRequest>, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let decide = ServerAction::<DecideChangeRequest>::new();
    let error = action_error(decide);
    let decided = successes(decide);
    let list = read_again_on(list, move || decided.get(), pending_change_requests);
    view! {
        <FormError error />
        {move || match list.get() {
            Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, change.none)}</p> }.into_any(),
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
                                        <ul>{values.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}</ul>
                                        <p>
                                            <strong>{t!(i18n, change.note)} " : "</strong>
                                            {r.note.clone()}
                                        </p>
                                        {match r.document.clone() {
                                            Some(document) => view! { <DocumentLink document /> }.into_any(),
                                            None => {
                                                view! { <p class="muted">{t!(i18n, inquiries_admin.document_none)}</p> }
                                                    .into_any()
                                            }
                                        }}
                                        <ActionForm action=decide>
                                            <input type="hidden" name="change_request_id" value=r.change_request_id.clone() />
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
        }}
    }
}
