//! Staff: one organisation's file and the eligibility decision, the first sections of its
//! 360 page (`crate::directory::ui::OrganisationPage`).

use super::account::OrganisationData;
use super::matrix::QualificationMatrix;
use super::members::StaffMembers;
use super::status_label;
use super::vat_status_options;
use crate::error::AppError;
use crate::i18n::*;
use crate::org::api::{
    DecideEligibility, RequestInformation, SetQualifications, SetVatStatus, TransferHolder, organisation_for_review,
};
use crate::org::model::OrganisationFile;
use crate::quota::api::load_partner_documents;
use crate::quota::documents_ui::PartnerDocumentsCard;
use crate::quota::model::PartnerDocuments;
use crate::ui::forms::{
    FieldError, FormError, LoadError, Loading, SelectField, SubmitButton, TextAreaField, TextField, action_error,
    successes, translated,
};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Staff: one organisation's file, the eligibility decision, the VAT status, the
/// qualification matrix, the members and the partner documents (the organisation's id is
/// the page's `:id`). The page reads them; [`OrganisationReview`], one island, shows them and
/// acts on them.
#[component]
pub fn ReviewSections() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let organisation_id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let read = Resource::new(
        move || organisation_id.clone(),
        |id| async move {
            (
                organisation_for_review(id.clone()).await,
                load_partner_documents(id.clone()).await,
                id,
            )
        },
    );
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let (file, documents, organisation_id) = read.await;
                view! { <OrganisationReview organisation_id file documents locale=i18n.get_locale() /> }
            })}
        </Suspense>
    }
}

/// The organisation's file and the staff's decisions on it, an island (in the staff's
/// module): its props are the file and the partner documents as the server read them for
/// this agent, and the page's language. The file is read again after each decision.
#[island]
fn OrganisationReview(
    /// The organisation's id.
    organisation_id: String,
    /// Its file, as `organisation_for_review` returned it.
    file: Result<OrganisationFile, AppError>,
    /// Its partner documents, as `load_partner_documents` returned them.
    documents: Result<PartnerDocuments, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let decide = ServerAction::<DecideEligibility>::new();
    let ask = ServerAction::<RequestInformation>::new();
    let qualify = ServerAction::<SetQualifications>::new();
    let transfer = ServerAction::<TransferHolder>::new();
    let vat = ServerAction::<SetVatStatus>::new();
    let done = [
        successes(decide),
        successes(ask),
        successes(qualify),
        successes(transfer),
        successes(vat),
    ];
    let file = {
        let organisation_id = organisation_id.clone();
        read_again_on(
            file,
            move || done.iter().map(|count| count.get()).sum(),
            move || organisation_for_review(organisation_id.clone()),
        )
    };
    view! {
        {move || match file.get() {
            Ok(file) => view! { <ReviewFile file decide ask qualify transfer vat /> }.into_any(),
            Err(error) => view! { <LoadError error /> }.into_any(),
        }}
        <PartnerDocumentsCard organisation_id documents />
    }
}

#[component]
fn ReviewFile(
    file: OrganisationFile,
    decide: ServerAction<DecideEligibility>,
    ask: ServerAction<RequestInformation>,
    qualify: ServerAction<SetQualifications>,
    transfer: ServerAction<TransferHolder>,
    vat: ServerAction<SetVatStatus>,
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
                <TextAreaField
                    id="decision-reason"
                    field="reason"
                    name="reason"
                    rows="2"
                    label=translated(i18n, |i| t_string!(i, review.reason).to_string())
                    error=decide_error
                />
                <SubmitButton pending=decide.pending()>
                    {t!(i18n, review.save_decision)}
                </SubmitButton>
            </ActionForm>
            <h3>{t!(i18n, review.ask_title)}</h3>
            <FormError error=ask_error />
            <ActionForm action=ask>
                <input type="hidden" name="organisation_id" value=id_ask />
                <TextAreaField
                    id="question"
                    field="question"
                    name="question"
                    rows="2"
                    label=translated(i18n, |i| t_string!(i, review.question).to_string())
                    error=ask_error
                />
                <SubmitButton pending=ask.pending() class="button">
                    {t!(i18n, review.ask_button)}
                </SubmitButton>
            </ActionForm>
        </section>
        <VatStatusCard
            organisation_id=file.organisation_id.clone()
            vat_status=file.vat_status.as_str()
            vat_number=file.vat_number.clone()
            action=vat
        />
        <QualificationMatrix organisation_id=id_matrix qualifications=file.qualifications.clone() action=qualify />
        <StaffMembers organisation_id=file.organisation_id.clone() members=file.members.clone() action=transfer />
    }
}

/// Staff: "Statut TVA", the organisation's VAT status and number.
#[component]
fn VatStatusCard(
    organisation_id: String,
    vat_status: &'static str,
    vat_number: Option<String>,
    action: ServerAction<SetVatStatus>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="vat-title">
            <h2 id="vat-title">{t!(i18n, review.vat_title)}</h2>
            <p class="hint">{t!(i18n, review.vat_intro)}</p>
            <FormError error />
            <ActionForm action=action>
                <input type="hidden" name="organisation_id" value=organisation_id />
                <SelectField
                    field="vat_status"
                    name="vat_status"
                    label=translated(i18n, |i| t_string!(i, org.vat_status).to_string())
                    options=vat_status_options(i18n)
                    selected=vat_status.to_owned()
                    error
                />
                <TextField
                    field="vat_number"
                    name="vat_number"
                    label=translated(i18n, |i| t_string!(i, org.vat_number).to_string())
                    hint=translated(i18n, |i| t_string!(i, register.vat_number_hint).to_string())
                    value=vat_number.unwrap_or_default()
                    error
                />
                <SubmitButton pending=action.pending() class="button">
                    {t!(i18n, review.save_vat)}
                </SubmitButton>
            </ActionForm>
        </section>
    }
}
