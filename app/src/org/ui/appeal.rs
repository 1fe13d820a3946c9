//! "Contester une décision": the appeal card of "Mon organisation".

use crate::i18n::*;
use crate::org::api::AppealDecision;
use crate::org::model::OrganisationFile;
use crate::ui::forms::{FormError, SubmitButton, TextAreaField, action_error, translated};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// "Contester une décision": open to the account holder after a refusal.
#[component]
pub(super) fn AppealSection(file: OrganisationFile, appeal: ServerAction<AppealDecision>) -> impl IntoView {
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
                        <TextAreaField
                            id="appeal-note"
                            field="appeal"
                            name="appeal"
                            rows="4"
                            label=translated(i18n, |i| t_string!(i, appeal.note).to_string())
                            error=error
                        />
                        <SubmitButton pending=appeal.pending() class="button">
                            {t!(i18n, appeal.submit)}
                        </SubmitButton>
                    </ActionForm>
                }
                    .into_any()
            }}
        </section>
    }
}
