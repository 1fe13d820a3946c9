//! Staff: bulk registration from a CSV.

use crate::i18n::*;
use crate::org::api::ImportOrganisations;
use crate::org::model::ImportLine;
use crate::ui::forms::{FormError, SendButton, action_error, error_text, translated};
use crate::ui::islands::provide_app_i18n;
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

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

/// Staff: bulk registration from a CSV, with the report of what was created and rejected, and
/// the migration's upload. Served as islands (`ui::islands::MODULES`, in the `imports`
/// module): the CSV's form and report are an island, [`CsvImport`]; the migration's upload is
/// a plain multipart form of the server's HTML.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=localized_title(move || t_string!(i18n, import.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, import.title)}</h1>
            <p class="lead">{t!(i18n, import.intro)}</p>
            <CsvImport locale=i18n.get_locale() />
            <crate::migration::ui::MigrationSection />
        </section>
    }
}

/// The CSV's form and the report of what was created and rejected, an island: its prop is the
/// page's language.
#[island]
fn CsvImport(
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
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
            <SendButton pending=action.pending() label=translated(i18n, |i| t_string!(i, import.submit).to_string()) />
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
