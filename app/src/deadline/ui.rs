//! "En retard" on the staff dashboard, and "Résumé quotidien" (`/admin/digest`), where each
//! staff member chooses what their daily e-mail holds.

use crate::deadline::api::{DigestSettings, SaveDigestSettings, load_digest_settings, load_late_items};
use crate::deadline::labels::{kind_label, section_label};
use crate::deadline::model::{AgeUnit, DeadlineKind, DigestSection, LateGroup, LateItem, LateReport};
use crate::i18n::*;
use crate::money::format_count;
use crate::ui::forms::{FieldError, FormError, action_error, has_error, successes};
use crate::ui::islands::provide_app_i18n;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

/// "payée le 6 novembre 2026".
fn since_label(locale: Locale, item: &LateItem) -> String {
    let date = crate::ui::dates::long_date(locale, item.since);
    match item.kind {
        DeadlineKind::HardwareNotShipped => td_string!(locale, deadlines.since_hardware_not_shipped, date),
        DeadlineKind::CiscoApprovalPending => td_string!(locale, deadlines.since_cisco_approval_pending, date),
        DeadlineKind::RefundUnanswered => td_string!(locale, deadlines.since_refund_unanswered, date),
        DeadlineKind::ReviewOverdue => td_string!(locale, deadlines.since_review_overdue, date),
    }
    .to_string()
}

/// "12 jours ouvrables, 2 de retard".
fn age_label(locale: Locale, item: &LateItem) -> String {
    match item.kind.unit() {
        AgeUnit::BusinessDays => {
            td_string!(locale, deadlines.age_business_days, age = item.age, late = item.late_by).to_string()
        }
        AgeUnit::Days => td_string!(locale, deadlines.age_days, age = item.age, late = item.late_by).to_string(),
    }
}

/// "En retard": the dashboard's section, with its own request so that the dashboard's
/// other figures do not wait for it.
#[component]
pub fn LateSection() -> impl IntoView {
    let i18n = use_i18n();
    let report = Resource::new(|| (), |_| load_late_items());
    view! {
        <section aria-labelledby="late-title" class="late">
            <h2 id="late-title">{t!(i18n, deadlines.title)}</h2>
            <p class="muted">{t!(i18n, deadlines.intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <LateList report /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
            <p>
                <a href="/admin/digest">{t!(i18n, deadlines.settings_link)}</a>
            </p>
        </section>
    }
}

#[component]
fn LateList(report: LateReport) -> impl IntoView {
    let i18n = use_i18n();
    if report.total() == 0 {
        return view! { <p class="empty" data-testid="late-empty">{t!(i18n, deadlines.empty)}</p> }.into_any();
    }
    report
        .groups
        .into_iter()
        .map(|group| view! { <LateKind group /> })
        .collect_view()
        .into_any()
}

#[component]
fn LateKind(group: LateGroup) -> impl IntoView {
    let i18n = use_i18n();
    let kind = group.kind;
    let count = group.count;
    let shown = group.oldest.len() as i64;
    let heading_id = format!("late-{}", kind.as_str());
    let items = group
        .oldest
        .into_iter()
        .map(|item| {
            let href = item.href();
            let item = StoredValue::new(item);
            view! {
                <li data-testid="late-item" data-kind=kind.as_str()>
                    <a href=href>{item.with_value(|i| i.label.clone())}</a>
                    {item
                        .with_value(|i| {
                            (i.label != i.organisation).then(|| format!(" — {}", i.organisation))
                        })}
                    " — "
                    <span>{move || item.with_value(|i| since_label(i18n.get_locale(), i))}</span>
                    " — "
                    <span class="late-age" data-testid="late-age">
                        {move || item.with_value(|i| age_label(i18n.get_locale(), i))}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h3 id=heading_id.clone()>
            {move || kind_label(i18n.get_locale(), kind)}
            " "
            <span class="late-count" data-testid=format!("late-count-{}", kind.as_str())>
                {move || format_count(count, i18n.get_locale())}
            </span>
        </h3>
        {if count == 0 {
            view! { <p class="muted">{t!(i18n, deadlines.kind_empty)}</p> }.into_any()
        } else {
            view! {
                <ul class="late-items" aria-labelledby=heading_id>
                    {items}
                </ul>
                {(count > shown)
                    .then(|| {
                        view! {
                            <p class="muted">
                                {move || {
                                    t_string!(i18n, deadlines.more, count = format_count(count - shown, i18n.get_locale()))
                                        .to_string()
                                }}
                            </p>
                        }
                    })}
            }
                .into_any()
        }}
    }
}

/// "Résumé quotidien" (`/admin/digest`): the caller's own choice. Staff only. Served as islands
/// (`ui::islands::MODULES`, in the `digest` module): the page reads the settings and
/// [`DigestForm`], one island, shows and saves them.
#[component]
pub fn DigestSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let settings = Resource::new(|| (), |_| load_digest_settings());
    view! {
        <Title text=localized_title(move || t_string!(i18n, deadlines.settings_title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, deadlines.settings_title)}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <DigestForm settings locale=i18n.get_locale() /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
            <p>
                <a href="/admin">{t!(i18n, deadlines.back)}</a>
            </p>
        </section>
    }
}

/// The digest's settings and their form, an island: its props are the settings as
/// `load_digest_settings` read them and the page's language.
#[island]
fn DigestForm(
    /// The caller's current choice.
    settings: DigestSettings,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let save = ServerAction::<SaveDigestSettings>::new();
    let error = action_error(save);
    let saved = successes(save);
    let enabled = RwSignal::new(settings.enabled);
    let chosen = RwSignal::new(settings.sections.clone());
    let hour = settings.hour;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveDigestSettings {
            enabled: enabled.get_untracked(),
            sections: chosen.get_untracked(),
        });
    };
    let boxes = DigestSection::ALL
        .into_iter()
        .map(|section| {
            let name = section.as_str();
            let id = format!("digest-{name}");
            view! {
                <div class="choice">
                    <input
                        id=id.clone()
                        type="checkbox"
                        name="sections"
                        value=name
                        aria-describedby="sections-error"
                        aria-invalid=has_error(error, "sections")
                        prop:checked=move || chosen.with(|c| c.iter().any(|s| s == name))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen
                                .update(|c| {
                                    c.retain(|s| s != name);
                                    if on {
                                        c.push(name.to_owned());
                                    }
                                });
                        }
                    />
                    <label for=id>{move || section_label(i18n.get_locale(), section)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <p>{move || t_string!(i18n, deadlines.settings_intro, hour).to_string()}</p>
        <form on:submit=submit class="digest-settings">
            <fieldset>
                <legend>{t!(i18n, deadlines.choice_legend)}</legend>
                <div class="choice">
                    <input
                        id="digest-on"
                        type="radio"
                        name="enabled"
                        value="true"
                        prop:checked=move || enabled.get()
                        on:change=move |_| enabled.set(true)
                    />
                    <label for="digest-on">{t!(i18n, deadlines.receive)}</label>
                </div>
                <div class="choice">
                    <input
                        id="digest-off"
                        type="radio"
                        name="enabled"
                        value="false"
                        prop:checked=move || !enabled.get()
                        on:change=move |_| enabled.set(false)
                    />
                    <label for="digest-off">{t!(i18n, deadlines.no_digest)}</label>
                </div>
            </fieldset>
            <fieldset disabled=move || !enabled.get()>
                <legend>{t!(i18n, deadlines.sections_legend)}</legend>
                {boxes}
                <FieldError field="sections" error />
            </fieldset>
            <button type="submit" class="button" disabled=move || save.pending().get()>
                {move || {
                    if save.pending().get() {
                        t_string!(i18n, deadlines.saving).to_string()
                    } else {
                        t_string!(i18n, deadlines.save).to_string()
                    }
                }}
            </button>
            {move || {
                (saved.get() > 0 && error.get().is_none())
                    .then(|| view! { <p class="notice success" role="status">{t!(i18n, deadlines.saved)}</p> })
            }}
            <FormError error />
        </form>
    }
}
