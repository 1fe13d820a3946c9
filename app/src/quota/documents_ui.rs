//! Staff's card on the review page: the partner documents that feed the rules engine
//! (Microsoft discount certificate, Autodesk direct purchase and waiver).

use crate::error::AppError;
use crate::i18n::*;
use crate::quota::api::{RecordPartnerDocuments, load_partner_documents};
use crate::quota::model::PartnerDocuments;
use crate::ui::dates::long_date;
use crate::ui::forms::{FieldError, FormError, SendButton, action_error, has_error, successes, translated};
use crate::ui::islands::read_again_on;
use leptos::prelude::*;

/// The card, given the documents as the server read them (`documents`): it is part of the
/// organisation page's island (`org::ui::review::OrganisationReview`), and reads them again
/// after each save.
#[component]
pub fn PartnerDocumentsCard(organisation_id: String, documents: Result<PartnerDocuments, AppError>) -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordPartnerDocuments>::new();
    let recorded = successes(record);
    let documents = {
        let organisation_id = organisation_id.clone();
        read_again_on(
            documents,
            move || recorded.get(),
            move || load_partner_documents(organisation_id.clone()),
        )
    };
    view! {
        <section class="card" aria-labelledby="documents-title">
            <h2 id="documents-title">{t!(i18n, documents.title)}</h2>
            <p>{t!(i18n, documents.intro)}</p>
            {move || {
                (recorded.get() > 0)
                    .then(|| view! { <p class="notice success" role="status">{t!(i18n, documents.saved)}</p> })
            }}
            {move || match documents.get() {
                Ok(documents) => {
                    view! { <DocumentsForm documents organisation_id=organisation_id.clone() record /> }.into_any()
                }
                Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn DocumentsForm(
    documents: PartnerDocuments,
    organisation_id: String,
    record: ServerAction<RecordPartnerDocuments>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(record);
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let until = documents.discount_certificate_until;
    let fields: [(&'static str, String); 3] = [
        ("certificate_issued", day(documents.discount_certificate_issued)),
        ("autodesk_direct_purchase", day(documents.autodesk_direct_purchase)),
        ("autodesk_waiver_on", day(documents.autodesk_waiver_on)),
    ];
    let fields = fields
        .into_iter()
        .map(|(name, value)| {
            let id = format!("documents-{name}");
            let label = move || match name {
                "certificate_issued" => t_string!(i18n, documents.certificate_issued).to_string(),
                "autodesk_direct_purchase" => t_string!(i18n, documents.autodesk_direct_purchase).to_string(),
                _ => t_string!(i18n, documents.autodesk_waiver_on).to_string(),
            };
            view! {
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    <input
                        id=id
                        name=name
                        type="date"
                        value=value
                        aria-describedby=format!("{name}-error")
                        aria-invalid=has_error(error, name)
                    />
                    <FieldError field=name error />
                </div>
            }
        })
        .collect_view();
    view! {
        {until
            .map(|until| {
                view! {
                    <p data-testid="certificate-until">
                        {t!(i18n, documents.certificate_until)} " " {move || long_date(i18n.get_locale(), until)}
                    </p>
                }
            })}
        <ActionForm action=record>
            <input type="hidden" name="organisation_id" value=organisation_id />
            <FormError error />
            {fields}
            <p class="hint">{t!(i18n, documents.hint)}</p>
            <SendButton pending=record.pending() label=translated(i18n, |i| t_string!(i, documents.save).to_string()) />
        </ActionForm>
    }
}
