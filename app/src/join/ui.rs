//! "Rejoindre mon organisation" (`/join`), the holder's list of requests beside the members,
//! and staff's list (`/admin/join-requests`).

use crate::error::AppError;
use crate::i18n::*;
use crate::join::api::{ApproveJoinRequest, RefuseJoinRequest, RequestJoin, join_requests, staff_join_requests};
use crate::join::model::JoinRequestInfo;
use crate::ui::forms::{
    ConfirmButton, FormError, LoadError, Loading, SubmitButton, TextAreaField, TextField, action_error, error_text,
    successes, translated,
};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// "Rejoindre mon organisation": the public form. The answer is the same whether or not the
/// number is registered.
#[component]
pub fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestJoin>::new();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=localized_title(move || t_string!(i18n, join.title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, join.title)}</h1>
            <p class="lead">{t!(i18n, join.intro)}</p>
            <Show
                when=done
                fallback=move || {
                    view! {
                        <FormError error />
                        <ActionForm action=action>
                            <TextField
                                field="full_name"
                                name="form[full_name]"
                                autocomplete="name"
                                label=translated(i18n, |i| t_string!(i, join.full_name).to_string())
                                error
                            />
                            <TextField
                                field="email"
                                name="form[email]"
                                kind="email"
                                autocomplete="email"
                                label=translated(i18n, |i| t_string!(i, join.email).to_string())
                                error
                            />
                            <TextField
                                field="enterprise_number"
                                name="form[enterprise_number]"
                                label=translated(i18n, |i| t_string!(i, org.enterprise_number).to_string())
                                error
                            />
                            <TextAreaField
                                id="join-message"
                                field="message"
                                name="form[message]"
                                rows="4"
                                label=translated(i18n, |i| t_string!(i, join.message).to_string())
                                error
                            />
                            <SubmitButton pending=action.pending()>{t!(i18n, join.submit)}</SubmitButton>
                        </ActionForm>
                    }
                }
            >
                <p class="notice success" role="status">
                    {t!(i18n, join.sent)}
                </p>
            </Show>
        </section>
    }
}

/// One request: who, when, and what they wrote.
fn request_summary(i18n: leptos_i18n::I18nContext<Locale>, request: &JoinRequestInfo) -> impl IntoView + use<> {
    let message = (!request.message.is_empty()).then(|| request.message.clone());
    view! {
        <p>
            <strong>{request.full_name.clone()}</strong>
            " — "
            {request.email.clone()}
            " — "
            {t!(i18n, join.requested_on)}
            " "
            {request.requested_on.clone()}
        </p>
        {message.map(|message| view! { <p class="join-message">{message}</p> })}
    }
}

/// The account holder's pending join requests, shown beside the members: approve (an
/// invitation as member goes out) or refuse (after a confirmation).
#[component]
pub fn JoinRequestsSection() -> impl IntoView {
    let i18n = use_i18n();
    let approve = ServerAction::<ApproveJoinRequest>::new();
    let refuse = ServerAction::<RefuseJoinRequest>::new();
    let approve_error = action_error(approve);
    let refuse_error = action_error(refuse);
    let approved = successes(approve);
    let refused = successes(refuse);
    let requests = Resource::new(move || (approved.get(), refused.get()), |_| join_requests());
    view! {
        <section class="card" aria-labelledby="join-requests-title">
            <h3 id="join-requests-title">{t!(i18n, join.holder_title)}</h3>
            <FormError error=approve_error />
            <FormError error=refuse_error />
            <Show when=move || approved.get() != 0>
                <p class="notice success" role="status">
                    {t!(i18n, join.approved)}
                </p>
            </Show>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, join.none)}</p> }.into_any(),
                        Ok(list) => {
                            view! {
                                <ul class="members">
                                    {list
                                        .into_iter()
                                        .map(|request| {
                                            let id = request.join_request_id.clone();
                                            let refuse_id = request.join_request_id.clone();
                                            view! {
                                                <li>
                                                    {request_summary(i18n, &request)}
                                                    <ActionForm action=approve>
                                                        <input type="hidden" name="join_request_id" value=id />
                                                        <SubmitButton pending=approve.pending()>
                                                            {t!(i18n, join.approve)}
                                                            <span class="visually-hidden">" " {request.full_name.clone()}</span>
                                                        </SubmitButton>
                                                    </ActionForm>
                                                    <ConfirmButton
                                                        label=translated(i18n, |i| t_string!(i, join.refuse).to_string())
                                                        question=translated(i18n, |i| t_string!(i, join.confirm_refuse).to_string())
                                                        yes=translated(i18n, |i| t_string!(i, join.refuse).to_string())
                                                        no=translated(i18n, |i| t_string!(i, members.cancel).to_string())
                                                        pending=refuse.pending()
                                                        on_confirm=Callback::new(move |()| {
                                                            refuse.dispatch(RefuseJoinRequest { join_request_id: refuse_id.clone() });
                                                        })
                                                    />
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

/// The outcome of staff's approval, read from `?join=` after the form posts back.
fn outcome_message(i18n: leptos_i18n::I18nContext<Locale>, outcome: &str) -> (bool, String) {
    match outcome {
        "ok" => (true, t_string!(i18n, join.approved).to_string()),
        other => (false, error_text(i18n, other)),
    }
}

/// Staff's list of pending join requests, organisations without a holder first. Staff approve
/// with a supporting document (a plain multipart form) and may make the requester the holder.
/// Served as islands (`ui::islands::MODULES`, in the `joins` module): the page reads the list
/// and writes the approval's outcome (from the address the approval redirected to), and
/// [`JoinRequests`], one island, shows the list and refuses.
#[component]
pub fn StaffJoinRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let requests = Resource::new(|| (), |_| staff_join_requests());
    let outcome = move || {
        query.with(|q| q.get("join")).map(|outcome| {
            let (ok, text) = outcome_message(i18n, &outcome);
            view! {
                <p class=if ok { "notice success" } else { "notice error" } role="status">
                    {text}
                </p>
            }
        })
    };
    view! {
        <Title text=localized_title(move || t_string!(i18n, join.staff_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, join.staff_title)}</h1>
            <p>{t!(i18n, join.staff_intro)}</p>
            {outcome}
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    view! { <JoinRequests list=requests.await locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The pending join requests and their decisions, an island: its props are the list as
/// `staff_join_requests` read it and the page's language; the list is read again after each
/// refusal.
#[island]
fn JoinRequests(
    /// The pending requests, or why they could not be read.
    list: Result<Vec<JoinRequestInfo>, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let refuse = ServerAction::<RefuseJoinRequest>::new();
    let refuse_error = action_error(refuse);
    let refused = successes(refuse);
    let list = read_again_on(list, move || refused.get(), staff_join_requests);
    view! {
        <FormError error=refuse_error />
        {move || match list.get() {
            Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, join.none)}</p> }.into_any(),
            Ok(list) => {
                view! {
                    <ul class="members">
                        {list.into_iter().map(|request| staff_card(i18n, request, refuse)).collect_view()}
                    </ul>
                }
                    .into_any()
            }
            Err(error) => view! { <LoadError error /> }.into_any(),
        }}
    }
}

fn staff_card(
    i18n: leptos_i18n::I18nContext<Locale>,
    request: JoinRequestInfo,
    refuse: ServerAction<RefuseJoinRequest>,
) -> impl IntoView {
    let id = request.join_request_id.clone();
    let action = format!("/admin/join-requests/{id}/approve");
    let file_id = format!("join-file-{id}");
    let role_id = format!("join-role-{id}");
    let title_id = format!("join-title-{id}");
    let refuse_id = id.clone();
    let has_holder = request.has_holder;
    view! {
        <li>
            <h2 id=title_id>
                <a href=format!("/admin/organisations/{}", request.organisation_id)>{request.legal_name.clone()}</a>
            </h2>
            <p>
                {if has_holder {
                    t_string!(i18n, join.has_holder).to_string()
                } else {
                    t_string!(i18n, join.no_holder).to_string()
                }}
            </p>
            {request_summary(i18n, &request)}
            <form method="post" action=action enctype="multipart/form-data">
                <div class="field">
                    <label for=role_id.clone()>{t!(i18n, join.role)}</label>
                    <select id=role_id name="role">
                        <option value="member">{t!(i18n, join.role_member)}</option>
                        {(!has_holder)
                            .then(|| view! { <option value="account_holder">{t!(i18n, join.role_holder)}</option> })}
                    </select>
                </div>
                <div class="field">
                    <label for=file_id.clone()>{t!(i18n, join.document)}</label>
                    <input
                        id=file_id
                        name="file"
                        type="file"
                        accept="application/pdf,image/png,image/jpeg"
                        required
                        aria-describedby=format!("join-file-hint-{id}")
                    />
                    <p class="hint" id=format!("join-file-hint-{id}")>
                        {t!(i18n, account.file_hint)}
                    </p>
                </div>
                <button type="submit" class="button primary">
                    {t!(i18n, join.approve)}
                </button>
            </form>
            <ConfirmButton
                label=translated(i18n, |i| t_string!(i, join.refuse).to_string())
                question=translated(i18n, |i| t_string!(i, join.confirm_refuse).to_string())
                yes=translated(i18n, |i| t_string!(i, join.refuse).to_string())
                no=translated(i18n, |i| t_string!(i, members.cancel).to_string())
                pending=refuse.pending()
                on_confirm=Callback::new(move |()| {
                    refuse.dispatch(RefuseJoinRequest { join_request_id: refuse_id.clone() });
                })
            />
        </li>
    }
}
