//! "Règles des partenaires" (`/admin/rules`): admin staff read every version of each partner's
//! rules and add one with an effective date. Saving needs a preview of the same inputs first:
//! how many organisations' allowances move and which current carts become refused.

use crate::error::AppError;
use crate::i18n::*;
use crate::quota::admin_api::{PreviewRuleVersion, load_rules_overview};
use crate::quota::api::AddRuleVersion;
use crate::quota::model::{RulePreview, RuleSet, RulesOverview, StoredRuleVersion};
use crate::quota::rules::partner_keys;
use crate::ui::dates::long_date;
use crate::ui::forms::{FieldError, FormError, action_error, successes};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::BTreeMap;

/// Admin staff: the partners' rules. Served as islands (`ui::islands::MODULES`, in the `rules`
/// module): the page reads the rules'
/// versions and [`RulesEditor`], one island, shows them and adds one.
#[component]
pub fn RulesAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| load_rules_overview());
    view! {
        <Title text=localized_title(move || t_string!(i18n, rules_admin.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, rules_admin.title)}</h1>
            <p>{t!(i18n, rules_admin.intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    view! { <RulesEditor overview=overview.await locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The form of a new version and every version, an island: its props are the rules as
/// `load_rules_overview` read them and the page's language; they are read again after each
/// version added.
#[island]
fn RulesEditor(
    /// Every partner's versions and the current rules, or why they could not be read.
    overview: Result<RulesOverview, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let add = ServerAction::<AddRuleVersion>::new();
    let added = successes(add);
    let overview = read_again_on(overview, move || added.get(), load_rules_overview);
    view! {
        {move || {
            (added.get() > 0)
                .then(|| view! { <p class="notice success" role="status">{t!(i18n, rules_admin.saved)}</p> })
        }}
        {move || match overview.get() {
            Ok(overview) => {
                view! {
                    <VersionForm overview=overview.clone() add />
                    <VersionList versions=overview.versions partners=overview.partners />
                }
                    .into_any()
            }
            Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
        }}
    }
}

/// A parameter's label in the UI language.
fn param_label(i18n: leptos_i18n::I18nContext<Locale>, key: &str) -> String {
    match key {
        "microsoft_cycle_months" => t_string!(i18n, rules_admin.microsoft_cycle_months),
        "microsoft_max_families" => t_string!(i18n, rules_admin.microsoft_max_families),
        "microsoft_max_per_family" => t_string!(i18n, rules_admin.microsoft_max_per_family),
        "microsoft_max_non_core" => t_string!(i18n, rules_admin.microsoft_max_non_core),
        "microsoft_discount_min_licences" => t_string!(i18n, rules_admin.microsoft_discount_min_licences),
        "microsoft_certificate_months" => t_string!(i18n, rules_admin.microsoft_certificate_months),
        "adobe_max_per_year" => t_string!(i18n, rules_admin.adobe_max_per_year),
        "autodesk_max_per_year" => t_string!(i18n, rules_admin.autodesk_max_per_year),
        "autodesk_waiver_lookback_years" => t_string!(i18n, rules_admin.autodesk_waiver_lookback_years),
        "cisco_orders_per_year" => t_string!(i18n, rules_admin.cisco_orders_per_year),
        "cisco_fee_cap_cents" => t_string!(i18n, rules_admin.cisco_fee_cap_cents),
        "zoom_max_licences" => t_string!(i18n, rules_admin.zoom_max_licences),
        "zoom_pro_max_licences" => t_string!(i18n, rules_admin.zoom_pro_max_licences),
        "aws_grants_per_12_months" => t_string!(i18n, rules_admin.aws_grants_per_12_months),
        _ => return key.to_owned(),
    }
    .to_string()
}

/// The parameters of `partner` in `rules`, as the form's text values.
fn partner_values(rules: Option<&RuleSet>, partner: &str) -> BTreeMap<String, String> {
    let all = rules.and_then(|r| serde_json::to_value(r).ok());
    partner_keys(partner)
        .into_iter()
        .map(|key| {
            let value = all
                .as_ref()
                .and_then(|a| a.get(&key))
                .map(|v| v.to_string())
                .unwrap_or_default();
            (key, value)
        })
        .collect()
}

#[component]
fn VersionForm(overview: RulesOverview, add: ServerAction<AddRuleVersion>) -> impl IntoView {
    let i18n = use_i18n();
    let in_force = StoredValue::new(overview.in_force.clone());
    let first_partner = overview.partners.first().map(|(id, _)| id.clone()).unwrap_or_default();
    let partner = RwSignal::new(first_partner);
    let country = RwSignal::new("BE".to_owned());
    let tomorrow = overview.today.succ_opt().unwrap_or(overview.today);
    let effective_from = RwSignal::new(tomorrow.to_string());
    // The form starts from what is in force today for the chosen partner and country: the
    // server writes the first partner's fields, so the page does not grow when it hydrates.
    let in_force_values = move |partner: &str, country: &str| {
        let rules = in_force.with_value(|f| f.iter().find(|(c, _)| c == country).map(|(_, r)| r.clone()));
        partner_values(rules.as_ref(), partner)
    };
    let values = RwSignal::new(in_force_values(&partner.get_untracked(), &country.get_untracked()));
    Effect::new(move |first: Option<()>| {
        let (partner, country) = (partner.get(), country.get());
        if first.is_some() {
            values.set(in_force_values(&partner, &country));
        }
    });
    let params_json = Memo::new(move |_| {
        let map: serde_json::Map<String, serde_json::Value> = values
            .get()
            .into_iter()
            .map(|(key, value)| {
                let value = value
                    .trim()
                    .parse::<i64>()
                    .map_or(serde_json::Value::String(value), Into::into);
                (key, value)
            })
            .collect();
        serde_json::Value::Object(map).to_string()
    });
    let inputs = Memo::new(move |_| (partner.get(), country.get(), effective_from.get(), params_json.get()));
    let preview = ServerAction::<PreviewRuleVersion>::new();
    // Which inputs the shown preview is for: saving needs a preview of exactly these.
    let previewed = RwSignal::new(None::<(String, String, String, String)>);
    let preview_error = action_error(preview);
    let add_error = action_error(add);
    let run_preview = move |_| {
        let (partner_id, country, effective_from, params_json) = inputs.get_untracked();
        previewed.set(Some(inputs.get_untracked()));
        preview.dispatch(PreviewRuleVersion {
            partner_id,
            country,
            effective_from,
            params_json,
        });
    };
    let save = move |_| {
        let (partner_id, country, effective_from, params_json) = inputs.get_untracked();
        add.dispatch(AddRuleVersion {
            partner_id,
            country,
            effective_from,
            params_json,
        });
    };
    let fresh_preview = move || {
        !preview.pending().get()
            && previewed.get().as_ref() == Some(&inputs.get())
            && matches!(preview.value().get(), Some(Ok(_)))
    };
    let keys = move || values.get().into_keys().collect::<Vec<_>>();
    let partner_options = overview
        .partners
        .iter()
        .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="new-version-title">
            <h2 id="new-version-title">{t!(i18n, rules_admin.new_version)}</h2>
            <form class="rule-form" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="rule-partner">{t!(i18n, rules_admin.partner)}</label>
                    <select
                        id="rule-partner"
                        prop:value=move || partner.get()
                        on:change=move |ev| partner.set(event_target_value(&ev))
                    >
                        {partner_options}
                    </select>
                </div>
                <div class="field">
                    <label for="rule-country">{t!(i18n, rules_admin.country)}</label>
                    <select
                        id="rule-country"
                        prop:value=move || country.get()
                        on:change=move |ev| country.set(event_target_value(&ev))
                    >
                        <option value="BE">{t!(i18n, rules_admin.belgium)}</option>
                        <option value="LU">{t!(i18n, rules_admin.luxembourg)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="rule-effective-from">{t!(i18n, rules_admin.effective_from)}</label>
                    <input
                        id="rule-effective-from"
                        type="date"
                        prop:value=move || effective_from.get()
                        on:input=move |ev| effective_from.set(event_target_value(&ev))
                        aria-describedby="effective_from-error"
                    />
                    <FieldError field="effective_from" error=preview_error />
                </div>
                <fieldset>
                    <legend>{t!(i18n, rules_admin.parameters)}</legend>
                    <For
                        each=keys
                        key=|key| key.clone()
                        children=move |key| {
                            let id = format!("rule-{key}");
                            let label_key = key.clone();
                            let read_key = key.clone();
                            view! {
                                <div class="field">
                                    <label for=id.clone()>{move || param_label(i18n, &label_key)}</label>
                                    <input
                                        id=id
                                        type="number"
                                        min="0"
                                        inputmode="numeric"
                                        prop:value=move || {
                                            values.with(|v| v.get(&read_key).cloned().unwrap_or_default())
                                        }
                                        on:input=move |ev| {
                                            let value = event_target_value(&ev);
                                            values.update(|v| {
                                                v.insert(key.clone(), value);
                                            });
                                        }
                                    />
                                </div>
                            }
                        }
                    />
                    <FieldError field="params_json" error=preview_error />
                </fieldset>
                <FormError error=preview_error />
                <button type="button" class="button secondary" on:click=run_preview disabled=move || preview.pending().get()>
                    {move || {
                        if preview.pending().get() {
                            t_string!(i18n, common.sending).to_string()
                        } else {
                            t_string!(i18n, rules_admin.preview).to_string()
                        }
                    }}
                </button>
            </form>
            <div aria-live="polite">
                {move || {
                    match preview.value().get() {
                        Some(Ok(result)) if fresh_preview() => view! { <PreviewView result /> }.into_any(),
                        Some(Ok(_)) => view! { <p class="hint">{t!(i18n, rules_admin.preview_stale)}</p> }.into_any(),
                        _ => ().into_any(),
                    }
                }}
            </div>
            <FormError error=add_error />
            {move || {
                fresh_preview()
                    .then(|| {
                        view! {
                            <button type="button" class="button primary" on:click=save disabled=move || add.pending().get()>
                                {t!(i18n, rules_admin.save)}
                            </button>
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn PreviewView(result: RulePreview) -> impl IntoView {
    let i18n = use_i18n();
    let moved = result.allowances_moved.len();
    let organisations = result.organisations;
    let refused = result.refused_carts.len();
    view! {
        <section class="notice" data-testid="rule-preview" aria-labelledby="preview-title">
            <h3 id="preview-title">{t!(i18n, rules_admin.preview_title)}</h3>
            <p>
                {move || {
                    t_string!(i18n, rules_admin.preview_moved, moved = moved, organisations = organisations).to_string()
                }}
            </p>
            {(!result.allowances_moved.is_empty())
                .then(|| {
                    view! {
                        <ul>
                            {result.allowances_moved.iter().map(|name| view! { <li>{name.clone()}</li> }).collect_view()}
                        </ul>
                    }
                })}
            <p>{move || t_string!(i18n, rules_admin.preview_refused, count = refused).to_string()}</p>
            {(!result.refused_carts.is_empty())
                .then(|| {
                    view! {
                        <ul>
                            {result
                                .refused_carts
                                .iter()
                                .map(|cart| {
                                    view! { <li>{cart.organisation.clone()} " : " {cart.products.join(", ")}</li> }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}

#[component]
fn VersionList(versions: Vec<StoredRuleVersion>, partners: Vec<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = versions
        .into_iter()
        .map(|version| {
            let partner = partners
                .iter()
                .find(|(id, _)| *id == version.partner_id)
                .map_or(version.partner_id.clone(), |(_, name)| name.clone());
            let day = version.effective_from;
            let params = version
                .params
                .iter()
                .map(|(key, value)| (key.clone(), value.to_string()))
                .collect::<Vec<_>>();
            let author = version.created_by.clone();
            view! {
                <tr>
                    <td>{move || long_date(i18n.get_locale(), day)}</td>
                    <td>{partner}</td>
                    <td>{version.country}</td>
                    <td>
                        <ul class="plain-list">
                            {params
                                .into_iter()
                                .map(|(key, value)| {
                                    view! { <li>{move || param_label(i18n, &key)} " : " {value}</li> }
                                })
                                .collect_view()}
                        </ul>
                    </td>
                    <td>
                        {move || author.clone().unwrap_or_else(|| t_string!(i18n, rules_admin.shipped).to_string())}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section>
            <div class="table-scroll" role="region" tabindex="0" aria-labelledby="versions-caption">
                <table class="lines">
                    <caption id="versions-caption" class="h2">{t!(i18n, rules_admin.versions)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, rules_admin.effective_from)}</th>
                            <th scope="col">{t!(i18n, rules_admin.partner)}</th>
                            <th scope="col">{t!(i18n, rules_admin.country)}</th>
                            <th scope="col">{t!(i18n, rules_admin.parameters)}</th>
                            <th scope="col">{t!(i18n, rules_admin.author)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
