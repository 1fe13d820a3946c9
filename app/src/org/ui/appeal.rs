//! "Contester une décision": the appeal card of "Mon organisation".

use crate::i18n::*;
use crate::org::api::AppealDecision;
use crate::org::model::OrganisationFile;
use crate::ui::forms::{FieldError, FormError, action_error, has_error};
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
