//! Registration, "Mon organisation" and the staff review pages.

use crate::auth::ui::Session;
use crate::i18n::*;
use crate::org::api::{
    AnswerInformation, AppealDecision, AskIfRegistered, DecideEligibility, ImportOrganisations, InviteMember, Register,
    RemoveMember, RequalifyPartner, RequestInformation, SetQualifications, TransferHolder, get_partner_standing,
    list_inquiries, list_partners, my_organisation, organisation_for_review, review_queue,
};
use crate::org::model::{
    EligibilityStatus, ImportLine, LegalForm, MISSION_CATEGORIES, MemberInfo, MemberRole, OrganisationFile,
    PartnerQualification, QualificationInput,
};
use crate::quota::documents_ui::PartnerDocumentsCard;
use crate::ui::forms::{FieldError, FormError, SelectField, TextField, action_error, error_text, has_error, successes};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

pub fn legal_form_label(i18n: leptos_i18n::I18nContext<Locale>, form: LegalForm) -> String {
    match form {
        LegalForm::Asbl => t_string!(i18n, org.form_asbl).to_string(),
        LegalForm::Aisbl => t_string!(i18n, org.form_aisbl).to_string(),
        LegalForm::Fondation => t_string!(i18n, org.form_fondation).to_string(),
        LegalForm::BibliothequePublique => t_string!(i18n, org.form_bibliotheque).to_string(),
        LegalForm::EcoleEnseignementSpecialise => t_string!(i18n, org.form_ecole).to_string(),
    }
}

pub fn mission_label(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "social_cohesion" => t_string!(i18n, mission.social_cohesion).to_string(),
        "disability_inclusion" => t_string!(i18n, mission.disability_inclusion).to_string(),
        "health" => t_string!(i18n, mission.health).to_string(),
        "culture_education" => t_string!(i18n, mission.culture_education).to_string(),
        "special_education" => t_string!(i18n, mission.special_education).to_string(),
        "youth" => t_string!(i18n, mission.youth).to_string(),
        "environment" => t_string!(i18n, mission.environment).to_string(),
        "international_cooperation" => t_string!(i18n, mission.international_cooperation).to_string(),
        "human_rights" => t_string!(i18n, mission.human_rights).to_string(),
        "sport_leisure" => t_string!(i18n, mission.sport_leisure).to_string(),
        _ => t_string!(i18n, mission.other).to_string(),
    }
}

pub fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: EligibilityStatus) -> String {
    match status {
        EligibilityStatus::Pending => t_string!(i18n, org.status_pending).to_string(),
        EligibilityStatus::InfoRequested => t_string!(i18n, org.status_info_requested).to_string(),
        EligibilityStatus::Eligible => t_string!(i18n, org.status_eligible).to_string(),
        EligibilityStatus::Rejected => t_string!(i18n, org.status_rejected).to_string(),
    }
}

/// "Inscrire mon organisation" (step 1 of 2; the statutes follow on the account page).
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
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
    view! {
        <Title text=move || t_string!(i18n, register.title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, register.title)}</h1>
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
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {move || {
                        if action.pending().get() {
                            t_string!(i18n, common.sending).to_string()
                        } else {
                            t_string!(i18n, register.submit).to_string()
                        }
                    }}
                </button>
            </ActionForm>
        </section>
    }
}

/// The outcome of a document upload, read from `?upload=` after the form posts back.
fn upload_message(i18n: leptos_i18n::I18nContext<Locale>, outcome: &str) -> (bool, String) {
    match outcome {
        "ok" => (true, t_string!(i18n, account.upload_ok).to_string()),
        "file_too_large" => (false, t_string!(i18n, errors.file_too_large).to_string()),
        "file_type" => (false, t_string!(i18n, errors.file_type).to_string()),
        "file_missing" => (false, t_string!(i18n, errors.file_missing).to_string()),
        _ => (false, t_string!(i18n, errors.invalid).to_string()),
    }
}

/// "Mon organisation": the file, the review status and the qualification per partner.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let answer = ServerAction::<AnswerInformation>::new();
    let invite = ServerAction::<InviteMember>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let appeal = ServerAction::<AppealDecision>::new();
    let answer_ok = successes(answer);
    let appeal_ok = successes(appeal);
    let invite_ok = successes(invite);
    let remove_ok = successes(remove);
    let file = Resource::new(
        move || (answer_ok.get(), invite_ok.get(), remove_ok.get(), appeal_ok.get()),
        |_| my_organisation(),
    );
    let session = use_context::<Session>();
    let query = use_query_map();
    let upload = move || query.with(|q| q.get("upload"));
    view! {
        <Title text=move || t_string!(i18n, account.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, account.title)}</h1>
            <crate::token::ui::AccountTabs current="organisation" />
            {move || {
                upload()
                    .map(|outcome| {
                        let (ok, text) = upload_message(i18n, &outcome);
                        view! {
                            <p class=if ok { "notice success" } else { "notice error" } role="status">
                                {text}
                            </p>
                        }
                    })
            }}
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match file.await {
                        Ok(file) => {
                            // Awaited here rather than read with `.get()` further down: one
                            // boundary waits on both resources (see `AccountNav`).
                            let user = match session {
                                Some(session) => session.0.await.ok().flatten(),
                                None => None,
                            };
                            let is_holder = user.is_some_and(|u| u.is_holder_of(&file.organisation_id));
                            view! { <OrganisationView file is_holder answer invite remove appeal /> }.into_any()
                        }
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn OrganisationView(
    file: OrganisationFile,
    is_holder: bool,
    answer: ServerAction<AnswerInformation>,
    invite: ServerAction<InviteMember>,
    remove: ServerAction<RemoveMember>,
    appeal: ServerAction<AppealDecision>,
) -> impl IntoView {
    let i18n = use_i18n();
    let refused = file.eligibility_status == EligibilityStatus::Rejected
        || file.qualifications.iter().any(|q| q.qualified == Some(false));
    let appeal_file = file.clone();
    let is_holder = Signal::stored(is_holder);
    let has_statutes = file.documents.iter().any(|d| d.kind == "statutes");
    let status = file.eligibility_status;
    let answer_error = action_error(answer);
    view! {
        <h2>{file.legal_name.clone()}</h2>
        <section class="card" aria-labelledby="status-title">
            <h3 id="status-title">{t!(i18n, account.status_title)}</h3>
            <p class=format!("status status-{}", status.as_str())>
                <strong>{status_label(i18n, status)}</strong>
            </p>
            {match status {
                EligibilityStatus::Pending if !has_statutes => {
                    view! { <p>{t!(i18n, account.pending_statutes)}</p> }.into_any()
                }
                EligibilityStatus::Pending => view! { <p>{t!(i18n, account.pending_text)}</p> }.into_any(),
                EligibilityStatus::Eligible => view! { <p>{t!(i18n, account.eligible_text)}</p> }.into_any(),
                EligibilityStatus::Rejected => {
                    view! {
                        <p>{t!(i18n, account.rejected_text)}</p>
                        <p>
                            <strong>{t!(i18n, account.reason)} " : "</strong>
                            {file.eligibility_reason.clone().unwrap_or_default()}
                        </p>
                        <p>{t!(i18n, account.appeal)}</p>
                    }
                        .into_any()
                }
                EligibilityStatus::InfoRequested => {
                    view! {
                        <div class="notice" role="note">
                            <p>
                                <strong>{t!(i18n, account.question)} " : "</strong>
                                {file.info_request.clone().unwrap_or_default()}
                            </p>
                        </div>
                        <FormError error=answer_error />
                        <ActionForm action=answer>
                            <div class="field">
                                <label for="answer">{t!(i18n, account.answer)}</label>
                                <textarea
                                    id="answer"
                                    name="answer"
                                    rows="4"
                                    aria-describedby="answer-error"
                                    aria-invalid=has_error(answer_error, "answer")
                                ></textarea>
                                <FieldError field="answer" error=answer_error />
                            </div>
                            <button type="submit" class="button primary" disabled=move || answer.pending().get()>
                                {t!(i18n, account.answer_button)}
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                }
            }}
        </section>
        {
            {
                let kind = if !has_statutes {
                    "statutes"
                } else if status == EligibilityStatus::InfoRequested {
                    "info_response"
                } else {
                    "change_request"
                };
                view! {
                    <section class="card" aria-labelledby="upload-title">
                        <h3 id="upload-title">
                            {if has_statutes {
                                t_string!(i18n, account.upload_more_title).to_string()
                            } else {
                                t_string!(i18n, account.upload_statutes_title).to_string()
                            }}
                        </h3>
                        <form method="post" action="/documents" enctype="multipart/form-data">
                            <input type="hidden" name="kind" value=kind />
                            <div class="field">
                                <label for="file">{t!(i18n, account.file_label)}</label>
                                <input
                                    id="file"
                                    name="file"
                                    type="file"
                                    accept="application/pdf,image/png,image/jpeg"
                                    required
                                    aria-describedby="file-hint"
                                />
                                <p class="hint" id="file-hint">
                                    {t!(i18n, account.file_hint)}
                                </p>
                            </div>
                            <button type="submit" class="button primary">
                                {t!(i18n, account.upload_button)}
                            </button>
                        </form>
                    </section>
                }
            }
        }
        <section class="card" aria-labelledby="partners-title">
            <h3 id="partners-title">{t!(i18n, account.partners_title)}</h3>
            <QualificationList qualifications=file.qualifications.clone() />
        </section>
        {refused.then(|| view! { <AppealSection file=appeal_file appeal /> })}
        <section class="card" aria-labelledby="data-title">
            <h3 id="data-title">{t!(i18n, account.data_title)}</h3>
            <OrganisationData file=file.clone() />
            <p class="hint">{t!(i18n, account.locked_hint)}</p>
        </section>
        <crate::change::ui::ChangeSection is_holder=is_holder />
        <MembersSection members=file.members.clone() is_holder invite remove />
    }
}

/// Per partner: qualified, not qualified (with the reason) or not decided yet.
#[component]
fn QualificationList(qualifications: Vec<PartnerQualification>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="qualifications">
            {qualifications
                .into_iter()
                .map(|q| {
                    let (class, verdict) = match q.qualified {
                        Some(true) => ("qualified", t_string!(i18n, account.qualified).to_string()),
                        Some(false) => ("not-qualified", t_string!(i18n, account.not_qualified).to_string()),
                        None => ("undecided", t_string!(i18n, account.undecided).to_string()),
                    };
                    view! {
                        <li class=class data-partner=q.partner_id.clone()>
                            <span class="partner">{q.partner_name.clone()}</span>
                            " "
                            <span class="verdict">{verdict}</span>
                            {q.reason.clone().filter(|_| q.qualified == Some(false)).map(|r| view! { <p class="reason">{r}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn OrganisationData(file: OrganisationFile) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="data">
            <dt>{t!(i18n, org.legal_form)}</dt>
            <dd>{legal_form_label(i18n, file.legal_form)}</dd>
            <dt>{t!(i18n, org.enterprise_number)}</dt>
            <dd>{file.enterprise_number.clone()}</dd>
            <dt>{t!(i18n, register.address)}</dt>
            <dd>{format!("{}, {} {}", file.street, file.postal_code, file.city)}</dd>
            <dt>{t!(i18n, org.contact_email)}</dt>
            <dd>{file.contact_email.clone()}</dd>
            <dt>{t!(i18n, org.mission)}</dt>
            <dd>{mission_label(i18n, &file.mission_category)}</dd>
        </dl>
    }
}

/// Staff: the organisations waiting for a decision, overdue first.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let queue = Resource::new(
        move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok())),
        review_queue,
    );
    view! {
        <Title text=move || t_string!(i18n, review.queue_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, review.queue_title)}</h1>
            <p class="lead">{t!(i18n, review.queue_intro)}</p>
            <nav class="tools" aria-label=move || t_string!(i18n, review.tools).to_string()>
                <a href="/admin/import">{t!(i18n, import.title)}</a>
                <a href="/admin/requalify">{t!(i18n, requalify.title)}</a>
                <a href="/admin/inquiries">{t!(i18n, inquiry.staff_title)}</a>
                <a href="/admin/changes">{t!(i18n, nav.changes)}</a>
            </nav>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(queue) if queue.total == 0 => {
                            view! { <p class="empty">{t!(i18n, review.queue_empty)}</p> }.into_any()
                        }
                        Ok(queue) => {
                            let pager = queue_pager(i18n, queue.page, queue.per_page, queue.total);
                            let counts = t_string!(
                                i18n, review.queue_counts, total = queue.total, overdue = queue.overdue
                            )
                                .to_string();
                            view! {
                                <p>{counts}</p>
                                <ul class="queue">
                                    {queue
                                        .items
                                        .into_iter()
                                        .map(|item| {
                                            let href = format!("/admin/organisations/{}", item.organisation_id);
                                            view! {
                                                <li class:overdue=item.overdue>
                                                    <a href=href>{item.legal_name.clone()}</a>
                                                    <span class="muted">
                                                        {format!(" · {} · {}", item.enterprise_number, item.city)}
                                                    </span>
                                                    <p>
                                                        {status_label(i18n, item.eligibility_status)} " · "
                                                        {t!(i18n, review.received)} " " {item.submitted_on.clone()}
                                                        " · " {t!(i18n, review.deadline)} " " {item.deadline.clone()}
                                                        " · " {t!(i18n, review.days_waiting)} " "
                                                        {item.business_days_waiting}
                                                        {item
                                                            .appeal
                                                            .then(|| {
                                                                view! {
                                                                    " · "
                                                                    <strong class="badge">{t!(i18n, review.appeal)}</strong>
                                                                }
                                                            })}
                                                        {item
                                                            .overdue
                                                            .then(|| {
                                                                view! {
                                                                    " · "
                                                                    <strong class="badge overdue">
                                                                        {t!(i18n, review.overdue)}
                                                                    </strong>
                                                                }
                                                            })}
                                                    </p>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                {pager}
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

/// "Précédent · n / N · Suivant" under a page of the review queue.
fn queue_pager(i18n: leptos_i18n::I18nContext<Locale>, page: u32, per_page: u32, total: i64) -> impl IntoView {
    let per_page = i64::from(per_page.max(1));
    let pages = ((total + per_page - 1) / per_page).max(1);
    let page = i64::from(page);
    let link = |n: i64| format!("/admin/reviews?page={n}");
    let previous = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, common.pagination).to_string()>
            {previous.map(|href| view! { <a href=href>{t!(i18n, common.previous)}</a> })}
            <span>{format!("{page} / {pages}")}</span>
            {next.map(|href| view! { <a href=href>{t!(i18n, common.next)}</a> })}
        </nav>
    }
}

/// Staff: one organisation's file, the eligibility decision and the qualification matrix.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let decide = ServerAction::<DecideEligibility>::new();
    let ask = ServerAction::<RequestInformation>::new();
    let qualify = ServerAction::<SetQualifications>::new();
    let transfer = ServerAction::<TransferHolder>::new();
    let ask_ok = successes(ask);
    let decide_ok = successes(decide);
    let qualify_ok = successes(qualify);
    let transfer_ok = successes(transfer);
    let file = Resource::new(
        move || (id(), decide_ok.get(), ask_ok.get(), qualify_ok.get(), transfer_ok.get()),
        |(id, ..)| organisation_for_review(id),
    );
    view! {
        <Title text=move || t_string!(i18n, review.title).to_string() />
        <section class="page">
            <p>
                <a href="/admin/reviews">{t!(i18n, review.back)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match file.await {
                        Ok(file) => view! { <ReviewFile file decide ask qualify transfer /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
            <PartnerDocumentsCard organisation_id=Signal::derive(id) />
        </section>
    }
}

#[component]
fn ReviewFile(
    file: OrganisationFile,
    decide: ServerAction<DecideEligibility>,
    ask: ServerAction<RequestInformation>,
    qualify: ServerAction<SetQualifications>,
    transfer: ServerAction<TransferHolder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let decide_error = action_error(decide);
    let ask_error = action_error(ask);
    let id_decide = file.organisation_id.clone();
    let id_ask = file.organisation_id.clone();
    let id_matrix = file.organisation_id.clone();
    view! {
        <h1>{file.legal_name.clone()}</h1>
        <p class=format!("status status-{}", file.eligibility_status.as_str())>
            <strong>{status_label(i18n, file.eligibility_status)}</strong>
            {file.eligibility_reason.clone().map(|r| format!(" — {r}"))}
        </p>
        <section class="card" aria-labelledby="file-title">
            <h2 id="file-title">{t!(i18n, review.file_title)}</h2>
            <OrganisationData file=file.clone() />
            <p>
                {t!(i18n, review.holder)} " : " {file.holder_name.clone().unwrap_or_default()} " <"
                {file.holder_email.clone().unwrap_or_default()} ">"
            </p>
            <h3>{t!(i18n, review.documents)}</h3>
            {if file.documents.is_empty() {
                view! { <p class="empty">{t!(i18n, review.no_documents)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {file
                            .documents
                            .iter()
                            .map(|d| {
                                view! {
                                    <li>
                                        <a href=format!("/documents/{}", d.document_id)>{d.file_name.clone()}</a>
                                        {format!(" ({}, {} Ko)", d.kind, (d.size_bytes + 1023) / 1024)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {file.info_request.clone().map(|q| view! { <p><strong>{t!(i18n, account.question)} " : "</strong>{q}</p> })}
            {file.info_response.clone().map(|a| view! { <p><strong>{t!(i18n, review.answer)} " : "</strong>{a}</p> })}
            {file
                .appeal_note
                .clone()
                .filter(|_| file.appeal_open)
                .map(|a| view! { <p class="notice"><strong>{t!(i18n, review.appeal)} " : "</strong>{a}</p> })}
        </section>
        <section class="card" aria-labelledby="decision-title">
            <h2 id="decision-title">{t!(i18n, review.decision_title)}</h2>
            <FormError error=decide_error />
            <ActionForm action=decide>
                <input type="hidden" name="organisation_id" value=id_decide />
                <fieldset>
                    <legend>{t!(i18n, review.decision)}</legend>
                    <label class="choice">
                        <input type="radio" name="decision" value="eligible" />
                        {t!(i18n, review.approve)}
                    </label>
                    <label class="choice">
                        <input type="radio" name="decision" value="rejected" />
                        {t!(i18n, review.reject)}
                    </label>
                    <FieldError field="decision" error=decide_error />
                </fieldset>
                <div class="field">
                    <label for="decision-reason">{t!(i18n, review.reason)}</label>
                    <textarea
                        id="decision-reason"
                        name="reason"
                        rows="2"
                        aria-describedby="reason-error"
                        aria-invalid=has_error(decide_error, "reason")
                    ></textarea>
                    <FieldError field="reason" error=decide_error />
                </div>
                <button type="submit" class="button primary" disabled=move || decide.pending().get()>
                    {t!(i18n, review.save_decision)}
                </button>
            </ActionForm>
            <h3>{t!(i18n, review.ask_title)}</h3>
            <FormError error=ask_error />
            <ActionForm action=ask>
                <input type="hidden" name="organisation_id" value=id_ask />
                <div class="field">
                    <label for="question">{t!(i18n, review.question)}</label>
                    <textarea
                        id="question"
                        name="question"
                        rows="2"
                        aria-describedby="question-error"
                        aria-invalid=has_error(ask_error, "question")
                    ></textarea>
                    <FieldError field="question" error=ask_error />
                </div>
                <button type="submit" class="button" disabled=move || ask.pending().get()>
                    {t!(i18n, review.ask_button)}
                </button>
            </ActionForm>
        </section>
        <QualificationMatrix organisation_id=id_matrix qualifications=file.qualifications.clone() action=qualify />
        <StaffMembers organisation_id=file.organisation_id.clone() members=file.members.clone() action=transfer />
    }
}

/// Partner × (qualified, not qualified, undecided) with a reason for each refusal.
#[component]
fn QualificationMatrix(
    organisation_id: String,
    qualifications: Vec<PartnerQualification>,
    action: ServerAction<SetQualifications>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let rows: Vec<(PartnerQualification, RwSignal<String>, RwSignal<String>)> = qualifications
        .into_iter()
        .map(|q| {
            let decision = match q.qualified {
                Some(true) => "qualified",
                Some(false) => "not_qualified",
                None => "undecided",
            };
            let reason = q.reason.clone().unwrap_or_default();
            (q, RwSignal::new(decision.to_owned()), RwSignal::new(reason))
        })
        .collect();
    let signals: Vec<(String, RwSignal<String>, RwSignal<String>)> =
        rows.iter().map(|(q, d, r)| (q.partner_id.clone(), *d, *r)).collect();
    let signals = StoredValue::new(signals);
    let organisation_id = StoredValue::new(organisation_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let decisions = signals.with_value(|all| {
            all.iter()
                .map(|(partner_id, d, r)| QualificationInput {
                    partner_id: partner_id.clone(),
                    decision: d.get_untracked(),
                    reason: r.get_untracked(),
                })
                .collect::<Vec<_>>()
        });
        action.dispatch(SetQualifications {
            organisation_id: organisation_id.get_value(),
            decisions,
        });
    };
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="matrix-title">
            <h2 id="matrix-title">{t!(i18n, review.matrix_title)}</h2>
            <FormError error />
            <form on:submit=submit>
                <table class="matrix">
                    <caption class="visually-hidden">{t!(i18n, review.matrix_title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, review.partner)}</th>
                            <th scope="col">{t!(i18n, review.decision)}</th>
                            <th scope="col">{t!(i18n, review.reason)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(q, decision, reason)| {
                                let select_id = format!("q-{}", q.partner_id);
                                let reason_id = format!("r-{}", q.partner_id);
                                let error_field = format!("reason_{}", q.partner_id);
                                let name = q.partner_name.clone();
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <label for=select_id.clone()>{name.clone()}</label>
                                        </th>
                                        <td>
                                            <select
                                                id=select_id
                                                prop:value=move || decision.get()
                                                on:change=move |ev| decision.set(event_target_value(&ev))
                                            >
                                                <option value="undecided">{t!(i18n, account.undecided)}</option>
                                                <option value="qualified">{t!(i18n, account.qualified)}</option>
                                                <option value="not_qualified">{t!(i18n, account.not_qualified)}</option>
                                            </select>
                                        </td>
                                        <td>
                                            <label class="visually-hidden" for=reason_id.clone()>
                                                {t!(i18n, review.reason)} " — " {name}
                                            </label>
                                            <input
                                                id=reason_id
                                                type="text"
                                                prop:value=move || reason.get()
                                                on:input=move |ev| reason.set(event_target_value(&ev))
                                                aria-describedby=format!("{error_field}-error")
                                            />
                                            <FieldError field=error_field error />
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {t!(i18n, review.save_matrix)}
                </button>
                <Show when=saved>
                    <p class="notice success" role="status">
                        {t!(i18n, review.matrix_saved)}
                    </p>
                </Show>
            </form>
        </section>
    }
}

/// The people of the organisation; the account holder invites and removes members.
#[component]
fn MembersSection(
    members: Vec<MemberInfo>,
    is_holder: Signal<bool>,
    invite: ServerAction<InviteMember>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let i18n = use_i18n();
    let invite_error = action_error(invite);
    let remove_error = action_error(remove);
    let invited = move || matches!(invite.value().get(), Some(Ok(())));
    // The member whose removal waits for confirmation.
    let confirming = RwSignal::new(None::<String>);
    let members = StoredValue::new(members);
    view! {
        <section class="card" aria-labelledby="members-title">
            <h3 id="members-title">{t!(i18n, members.title)}</h3>
            <FormError error=remove_error />
            <ul class="members">
                {move || {
                    members
                        .get_value()
                        .into_iter()
                        .map(|m| {
                            let holder = m.role == MemberRole::AccountHolder;
                            let id = m.person_id.clone();
                            let id_confirm = m.person_id.clone();
                            let id_remove = m.person_id.clone();
                            let name = m.full_name.clone();
                            view! {
                                <li>
                                    <span class="partner">{m.full_name.clone()}</span>
                                    " · "
                                    {m.email.clone()}
                                    " · "
                                    {if holder {
                                        t_string!(i18n, members.holder).to_string()
                                    } else {
                                        t_string!(i18n, members.member).to_string()
                                    }}
                                    {move || {
                                        (is_holder.get() && !holder)
                                            .then(|| {
                                                let id = id.clone();
                                                let id_confirm = id_confirm.clone();
                                                let id_remove = id_remove.clone();
                                                let name = name.clone();
                                                if confirming.get().as_deref() == Some(id.as_str()) {
                                                    view! {
                                                        <div class="confirm" role="group">
                                                            <p>{t!(i18n, members.confirm_remove)} " " {name}</p>
                                                            <button
                                                                type="button"
                                                                class="button"
                                                                on:click=move |_| {
                                                                    remove.dispatch(RemoveMember { person_id: id_remove.clone() });
                                                                    confirming.set(None);
                                                                }
                                                            >
                                                                {t!(i18n, members.confirm_yes)}
                                                            </button>
                                                            " "
                                                            <button type="button" class="button" on:click=move |_| confirming.set(None)>
                                                                {t!(i18n, members.cancel)}
                                                            </button>
                                                        </div>
                                                    }
                                                        .into_any()
                                                } else {
                                                    view! {
                                                        " "
                                                        <button
                                                            type="button"
                                                            class="link-button"
                                                            on:click=move |_| confirming.set(Some(id_confirm.clone()))
                                                        >
                                                            {t!(i18n, members.remove)}
                                                            <span class="visually-hidden">" " {name.clone()}</span>
                                                        </button>
                                                    }
                                                        .into_any()
                                                }
                                            })
                                    }}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Show when=move || is_holder.get()>
                <h4>{t!(i18n, members.invite_title)}</h4>
                <FormError error=invite_error />
                <ActionForm action=invite>
                    <div class="field">
                        <label for="invite-name">{t!(i18n, register.holder_name)}</label>
                        <input
                            id="invite-name"
                            name="full_name"
                            type="text"
                            autocomplete="off"
                            aria-describedby="full_name-error"
                            aria-invalid=has_error(invite_error, "full_name")
                        />
                        <FieldError field="full_name" error=invite_error />
                    </div>
                    <div class="field">
                        <label for="invite-email">{t!(i18n, members.email)}</label>
                        <input
                            id="invite-email"
                            name="email"
                            type="email"
                            autocomplete="off"
                            aria-describedby="email-error"
                            aria-invalid=has_error(invite_error, "email")
                        />
                        <FieldError field="email" error=invite_error />
                    </div>
                    <button type="submit" class="button primary" disabled=move || invite.pending().get()>
                        {t!(i18n, members.invite_button)}
                    </button>
                </ActionForm>
                <Show when=invited>
                    <p class="notice success" role="status">
                        {t!(i18n, members.invited)}
                    </p>
                </Show>
            </Show>
        </section>
    }
}

/// Staff: the people of an organisation, with "make account holder" for each member.
#[component]
fn StaffMembers(
    organisation_id: String,
    members: Vec<MemberInfo>,
    action: ServerAction<TransferHolder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="staff-members-title">
            <h2 id="staff-members-title">{t!(i18n, members.title)}</h2>
            <FormError error />
            <ul class="members">
                {members
                    .into_iter()
                    .map(|m| {
                        let holder = m.role == MemberRole::AccountHolder;
                        let organisation_id = organisation_id.clone();
                        let person_id = m.person_id.clone();
                        let name = m.full_name.clone();
                        view! {
                            <li>
                                <span class="partner">{m.full_name.clone()}</span>
                                " · "
                                {m.email.clone()}
                                " · "
                                {if holder {
                                    t_string!(i18n, members.holder).to_string()
                                } else {
                                    t_string!(i18n, members.member).to_string()
                                }}
                                {(!holder)
                                    .then(|| {
                                        view! {
                                            " "
                                            <button
                                                type="button"
                                                class="link-button"
                                                on:click=move |_| {
                                                    action
                                                        .dispatch(TransferHolder {
                                                            organisation_id: organisation_id.clone(),
                                                            person_id: person_id.clone(),
                                                        });
                                                }
                                            >
                                                {t!(i18n, members.make_holder)}
                                                <span class="visually-hidden">" " {name}</span>
                                            </button>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The text of a CSV-level error code (`csv_missing_columns:a, b`…).
fn csv_error_text(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    let (kind, detail) = code.split_once(':').unwrap_or((code, ""));
    match kind {
        "csv_empty" => t_string!(i18n, import.csv_empty).to_string(),
        "csv_missing_columns" => format!("{} {detail}", t_string!(i18n, import.csv_missing_columns)),
        "csv_too_many_rows" => t_string!(i18n, import.csv_too_many_rows).to_string(),
        "csv_unreadable" => format!("{} {detail}", t_string!(i18n, import.csv_unreadable)),
        other => error_text(i18n, other),
    }
}

/// Staff: bulk registration from a CSV, with the report of what was created and rejected.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ImportOrganisations>::new();
    let error = action_error(action);
    let csv_error = move || {
        error
            .get()
            .and_then(|e| e.field_messages("csv").first().cloned())
            .map(|code| csv_error_text(i18n, &code))
    };
    let other_error = Signal::derive(move || error.get().filter(|e| e.field_messages("csv").is_empty()));
    let columns = crate::org::model::IMPORT_COLUMNS.join(";");
    view! {
        <Title text=move || t_string!(i18n, import.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, import.title)}</h1>
            <p class="lead">{t!(i18n, import.intro)}</p>
            <FormError error=other_error />
            <ActionForm action=action>
                <div class="field">
                    <label for="csv">{t!(i18n, import.csv_label)}</label>
                    <textarea
                        id="csv"
                        name="csv"
                        rows="8"
                        spellcheck="false"
                        aria-describedby="csv-hint csv-error"
                        aria-invalid=move || if csv_error().is_some() { "true" } else { "false" }
                    ></textarea>
                    <p class="hint" id="csv-hint">
                        {t!(i18n, import.csv_hint)} " " <code>{columns}</code>
                    </p>
                    <p class="field-error" id="csv-error" aria-live="polite">
                        {csv_error}
                    </p>
                </div>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {move || {
                        if action.pending().get() {
                            t_string!(i18n, common.sending).to_string()
                        } else {
                            t_string!(i18n, import.submit).to_string()
                        }
                    }}
                </button>
            </ActionForm>
            {move || {
                action
                    .value()
                    .get()
                    .and_then(Result::ok)
                    .map(|report| {
                        view! {
                            <section class="card" aria-labelledby="import-result">
                                <h2 id="import-result">{t!(i18n, import.result)}</h2>
                                <p role="status">
                                    {t!(i18n, import.created)} " : " {report.created.len()} " · "
                                    {t!(i18n, import.rejected)} " : " {report.rejected.len()}
                                </p>
                                <ImportLines lines=report.rejected.clone() rejected=true />
                                <ImportLines lines=report.created.clone() rejected=false />
                            </section>
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn ImportLines(lines: Vec<ImportLine>, rejected: bool) -> impl IntoView {
    let i18n = use_i18n();
    (!lines.is_empty()).then(|| {
        view! {
            <h3>
                {if rejected {
                    t_string!(i18n, import.rejected).to_string()
                } else {
                    t_string!(i18n, import.created).to_string()
                }}
            </h3>
            <ul class=if rejected { "import-lines rejected" } else { "import-lines" }>
                {lines
                    .into_iter()
                    .map(|line| {
                        let reasons = line
                            .errors
                            .iter()
                            .map(|(field, codes)| {
                                let text = codes.iter().map(|c| error_text(i18n, c)).collect::<Vec<_>>().join(" ");
                                format!("{field} : {text}")
                            })
                            .collect::<Vec<_>>();
                        view! {
                            <li>
                                {format!(
                                    "{} {} — {} ({})",
                                    t_string!(i18n, import.line),
                                    line.line,
                                    line.legal_name,
                                    line.enterprise_number,
                                )}
                                {(!reasons.is_empty())
                                    .then(|| {
                                        view! {
                                            <ul>
                                                {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                            </ul>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

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
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                {t!(i18n, inquiry.submit)}
                            </button>
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
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
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
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Staff: set one partner for many eligible organisations at once.
#[component]
pub fn RequalifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let partners = Resource::new(|| (), |_| list_partners());
    let partner = RwSignal::new(String::new());
    let standing = Resource::new(
        move || partner.get(),
        |p| async move {
            if p.is_empty() {
                Ok(Vec::new())
            } else {
                get_partner_standing(p).await
            }
        },
    );
    let action = ServerAction::<RequalifyPartner>::new();
    let error = action_error(action);
    let selected = RwSignal::new(Vec::<String>::new());
    let decision = RwSignal::new("qualified".to_owned());
    let reason = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            selected.set(Vec::new());
            standing.refetch();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(RequalifyPartner {
            partner_id: partner.get_untracked(),
            organisation_ids: selected.get_untracked(),
            decision: decision.get_untracked(),
            reason: reason.get_untracked(),
        });
    };
    view! {
        <Title text=move || t_string!(i18n, requalify.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, requalify.title)}</h1>
            <p class="lead">{t!(i18n, requalify.intro)}</p>
            <div class="field">
                <label for="requalify-partner">{t!(i18n, review.partner)}</label>
                <select id="requalify-partner" on:change=move |ev| partner.set(event_target_value(&ev))>
                    <option value="">{t!(i18n, common.choose)}</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            partners
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .map(|(id, name)| view! { <option value=id>{name}</option> })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
            </div>
            <FormError error />
            <form on:submit=submit>
                <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match standing.await {
                            Ok(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, requalify.none)}</p> }.into_any(),
                            Ok(rows) => {
                                view! {
                                    <fieldset>
                                        <legend>{t!(i18n, requalify.organisations)}</legend>
                                        {rows
                                            .into_iter()
                                            .map(|row| {
                                                let id = row.organisation_id.clone();
                                                let id_check = row.organisation_id.clone();
                                                let status = match row.qualified {
                                                    Some(true) => t_string!(i18n, account.qualified).to_string(),
                                                    Some(false) => t_string!(i18n, account.not_qualified).to_string(),
                                                    None => t_string!(i18n, account.undecided).to_string(),
                                                };
                                                view! {
                                                    <label class="choice">
                                                        <input
                                                            type="checkbox"
                                                            prop:checked=move || selected.with(|s| s.contains(&id_check))
                                                            on:change=move |ev| {
                                                                let on = event_target_checked(&ev);
                                                                let id = id.clone();
                                                                selected.update(|s| {
                                                                    s.retain(|x| *x != id);
                                                                    if on {
                                                                        s.push(id);
                                                                    }
                                                                });
                                                            }
                                                        />
                                                        {format!("{} — {status}", row.legal_name)}
                                                    </label>
                                                }
                                            })
                                            .collect_view()}
                                        <FieldError field="organisation_ids" error />
                                    </fieldset>
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                        }
                    })}
                </Suspense>
                <div class="field">
                    <label for="requalify-decision">{t!(i18n, review.decision)}</label>
                    <select id="requalify-decision" on:change=move |ev| decision.set(event_target_value(&ev))>
                        <option value="qualified">{t!(i18n, account.qualified)}</option>
                        <option value="not_qualified">{t!(i18n, account.not_qualified)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="requalify-reason">{t!(i18n, review.reason)}</label>
                    <input
                        id="requalify-reason"
                        type="text"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                        aria-describedby="reason-error"
                    />
                    <FieldError field="reason" error />
                </div>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {t!(i18n, requalify.submit)}
                </button>
                {move || {
                    action
                        .value()
                        .get()
                        .and_then(Result::ok)
                        .map(|n| view! { <p class="notice success" role="status">{t!(i18n, requalify.done)} " " {n}</p> })
                }}
            </form>
        </section>
    }
}

/// "Contester une décision": open to the account holder after a refusal.
#[component]
fn AppealSection(file: OrganisationFile, appeal: ServerAction<AppealDecision>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(appeal);
    let open = file.appeal_open;
    view! {
        <section class="card" aria-labelledby="appeal-title">
            <h3 id="appeal-title">{t!(i18n, appeal.title)}</h3>
            {if open {
                view! {
                    <p class="notice" role="status">
                        {t!(i18n, appeal.pending)}
                    </p>
                    <p>{file.appeal_note.clone().unwrap_or_default()}</p>
                }
                    .into_any()
            } else {
                view! {
                    <p>{t!(i18n, appeal.intro)}</p>
                    <FormError error />
                    <ActionForm action=appeal>
                        <div class="field">
                            <label for="appeal-note">{t!(i18n, appeal.note)}</label>
                            <textarea
                                id="appeal-note"
                                name="appeal"
                                rows="4"
                                aria-describedby="appeal-error"
                                aria-invalid=has_error(error, "appeal")
                            ></textarea>
                            <FieldError field="appeal" error />
                        </div>
                        <button type="submit" class="button" disabled=move || appeal.pending().get()>
                            {t!(i18n, appeal.submit)}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            }}
        </section>
    }
}
