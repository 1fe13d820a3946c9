//! Staff: the qualification matrix of one organisation.

use crate::i18n::*;
use crate::org::api::SetQualifications;
use crate::org::model::{PartnerQualification, QualificationInput};
use crate::ui::forms::{FieldError, FormError, SubmitButton, action_error};
use leptos::prelude::*;

/// Partner × (qualified, not qualified, undecided) with a reason for each refusal.
#[component]
pub(super) fn QualificationMatrix(
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
                <SubmitButton pending=action.pending()>
                    {t!(i18n, review.save_matrix)}
                </SubmitButton>
                <Show when=saved>
                    <p class="notice success" role="status">
                        {t!(i18n, review.matrix_saved)}
                    </p>
                </Show>
            </form>
        </section>
    }
}
