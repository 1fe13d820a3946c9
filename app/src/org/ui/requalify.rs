//! Staff: set one partner for many eligible organisations at once.

use super::qualification_label;
use crate::i18n::*;
use crate::org::api::{RequalifyPartner, get_partner_standing, list_partners};
use crate::ui::forms::{FieldError, FormError, LoadError, Loading, SubmitButton, action_error, successes};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::org_link::organisation_href;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

/// Staff: set one partner for many eligible organisations at once. Served as islands
/// (`ui::islands::MODULES`, in the `requalify` module): the page reads the partners and
/// [`Requalify`], one island, does the rest.
#[component]
pub fn RequalifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let partners = Resource::new(|| (), |_| list_partners());
    view! {
        <Title text=localized_title(move || t_string!(i18n, requalify.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, requalify.title)}</h1>
            <p class="lead">{t!(i18n, requalify.intro)}</p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    view! { <Requalify partners=partners.await.unwrap_or_default() locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The partner's choice, its organisations' standing and the decision, an island: its props
/// are the partners (id, name) and the page's language. A partner's organisations are read
/// when it is chosen, and again after each decision.
#[island]
fn Requalify(
    /// The partners, as `list_partners` read them.
    partners: Vec<(String, String)>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let partner = RwSignal::new(String::new());
    let chosen = RwSignal::new(0_usize);
    let action = ServerAction::<RequalifyPartner>::new();
    let error = action_error(action);
    let decided = successes(action);
    let standing = read_again_on(
        Ok(Vec::new()),
        move || chosen.get() + decided.get(),
        move || {
            let partner = partner.get_untracked();
            async move {
                if partner.is_empty() {
                    Ok(Vec::new())
                } else {
                    get_partner_standing(partner).await
                }
            }
        },
    );
    let selected = RwSignal::new(Vec::<String>::new());
    let decision = RwSignal::new("qualified".to_owned());
    let reason = RwSignal::new(String::new());
    Effect::new(move |_| {
        if decided.get() > 0 {
            selected.set(Vec::new());
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
        <div class="field">
            <label for="requalify-partner">{t!(i18n, review.partner)}</label>
            <select
                id="requalify-partner"
                on:change=move |ev| {
                    partner.set(event_target_value(&ev));
                    chosen.update(|n| *n += 1);
                }
            >
                <option value="">{t!(i18n, common.choose)}</option>
                {partners.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
            </select>
        </div>
        <FormError error />
        <form on:submit=submit>
            {move || {
                match standing.get() {
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
                                        let status = qualification_label(i18n, row.qualified);
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
                                            " "
                                            <a
                                                class="org-link"
                                                href=organisation_href(&row.organisation_id)
                                                aria-label=t_string!(i18n, directory.open_record_of, name = row.legal_name.clone()).to_string()
                                            >
                                                {t!(i18n, directory.open_record)}
                                            </a>
                                        }
                                    })
                                    .collect_view()}
                                <FieldError field="organisation_ids" error />
                            </fieldset>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            }}
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
            <SubmitButton pending=action.pending()>
                {t!(i18n, requalify.submit)}
            </SubmitButton>
            {move || {
                action
                    .value()
                    .get()
                    .and_then(Result::ok)
                    .map(|n| view! { <p class="notice success" role="status">{t!(i18n, requalify.done)} " " {n}</p> })
            }}
        </form>
    }
}
