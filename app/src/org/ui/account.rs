//! "Mon organisation": the file, the review status and the qualification per partner.

use super::appeal::AppealSection;
use super::documents::{UploadCard, UploadNotice};
use super::members::MembersSection;
use super::{legal_form_label, mission_label, qualification_label, status_label, vat_status_label};
use crate::auth::ui::Session;
use crate::i18n::*;
use crate::org::api::{
    AnswerInformation, AppealDecision, CancelInvitation, InviteMember, RemoveMember, my_organisation,
};
use crate::org::model::{EligibilityStatus, OrganisationFile, PartnerQualification};
use crate::ui::forms::{
    FormError, LoadError, Loading, SubmitButton, TextAreaField, action_error, successes, translated,
};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// "Mon organisation": the file, the review status and the qualification per partner.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let answer = ServerAction::<AnswerInformation>::new();
    let invite = ServerAction::<InviteMember>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let cancel = ServerAction::<CancelInvitation>::new();
    let appeal = ServerAction::<AppealDecision>::new();
    let answer_ok = successes(answer);
    let appeal_ok = successes(appeal);
    let invite_ok = successes(invite);
    let remove_ok = successes(remove);
    let cancel_ok = successes(cancel);
    let file = Resource::new(
        move || {
            (
                answer_ok.get(),
                invite_ok.get(),
                remove_ok.get(),
                appeal_ok.get(),
                cancel_ok.get(),
            )
        },
        |_| my_organisation(),
    );
    let session = use_context::<Session>();
    view! {
        <Title text=localized_title(move || t_string!(i18n, account.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, account.title)}</h1>
            <crate::token::ui::AccountTabs current="organisation" />
            <UploadNotice />
            <Suspense fallback=|| view! { <Loading /> }>
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
                            view! { <OrganisationView file is_holder answer invite remove cancel appeal /> }.into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
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
    cancel: ServerAction<CancelInvitation>,
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
                        <p>
                            {t!(i18n, account.appeal)} " " <a href="/contact">{t!(i18n, contact.link)}</a>
                        </p>
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
                            <TextAreaField
                                id="answer"
                                field="answer"
                                name="answer"
                                rows="4"
                                label=translated(i18n, |i| t_string!(i, account.answer).to_string())
                                error=answer_error
                            />
                            <SubmitButton pending=answer.pending()>
                                {t!(i18n, account.answer_button)}
                            </SubmitButton>
                        </ActionForm>
                    }
                        .into_any()
                }
            }}
        </section>
        <UploadCard has_statutes status />
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
        <MembersSection
            members=file.members.clone()
            invitations=file.invitations.clone()
            is_holder
            invite
            remove
            cancel
        />
        <Show when=move || is_holder.get()>
            <crate::join::ui::JoinRequestsSection />
        </Show>
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
                    let class = match q.qualified {
                        Some(true) => "qualified",
                        Some(false) => "not-qualified",
                        None => "undecided",
                    };
                    let verdict = qualification_label(i18n, q.qualified);
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
pub(super) fn OrganisationData(file: OrganisationFile) -> impl IntoView {
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
            <dt>{t!(i18n, org.vat_status)}</dt>
            <dd data-testid="vat-status">{vat_status_label(i18n, file.vat_status)}</dd>
            <dt>{t!(i18n, org.vat_number)}</dt>
            <dd>{file.vat_number.clone().unwrap_or_else(|| t_string!(i18n, org.vat_number_none).to_string())}</dd>
        </dl>
    }
}
