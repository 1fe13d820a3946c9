//! Staff: the migration import — the upload form (on `/admin/import`) and the report of a
//! dry run or an import (`/admin/import/migration/:id`), paged, with "Importer".

use crate::i18n::*;
use crate::migration::api::{import_migration_run, load_migration_run};
use crate::migration::model::{FILES, MigrationRunView, Outcome, REPORT_PAGE, RowOutcome};
use crate::ui::forms::{ConfirmButton, FormError, LoadError, Loading, error_text};
use crate::ui::islands::provide_app_i18n;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The text of an outcome.
fn outcome_text(i18n: leptos_i18n::I18nContext<Locale>, outcome: Outcome) -> String {
    match outcome {
        Outcome::Create => t_string!(i18n, migration.outcome_create),
        Outcome::Update => t_string!(i18n, migration.outcome_update),
        Outcome::Unchanged => t_string!(i18n, migration.outcome_unchanged),
        Outcome::Error => t_string!(i18n, migration.outcome_error),
        Outcome::Skipped => t_string!(i18n, migration.outcome_skipped),
    }
    .to_string()
}

/// The text of a row's or a file's error: `column:code[:detail]`, or a file's `csv_…:detail`.
pub fn migration_error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &str) -> String {
    let (column, rest) = match error.split_once(':') {
        Some((first, rest)) if !first.starts_with("csv_") => (Some(first), rest),
        _ => (None, error),
    };
    let (code, detail) = rest.split_once(':').unwrap_or((rest, ""));
    let text = match code {
        "csv_empty" => t_string!(i18n, migration.csv_empty).to_string(),
        "csv_missing_columns" => t_string!(i18n, migration.csv_missing_columns).to_string(),
        "csv_too_many_rows" => t_string!(i18n, migration.csv_too_many_rows).to_string(),
        "csv_unreadable" => t_string!(i18n, migration.csv_unreadable).to_string(),
        "date_invalid" => t_string!(i18n, migration.date_invalid).to_string(),
        "date_in_future" => t_string!(i18n, migration.date_in_future).to_string(),
        "duplicate" => t_string!(i18n, migration.duplicate).to_string(),
        "unknown_organisation" => t_string!(i18n, migration.unknown_organisation).to_string(),
        "unknown_order" => t_string!(i18n, migration.unknown_order).to_string(),
        "unknown_product" => t_string!(i18n, migration.unknown_product).to_string(),
        "unknown_partner" => t_string!(i18n, migration.unknown_partner).to_string(),
        "not_orderable" => t_string!(i18n, migration.not_orderable).to_string(),
        "quantity_invalid" => t_string!(i18n, migration.quantity_invalid).to_string(),
        "quantity_too_large" => t_string!(i18n, migration.quantity_too_large).to_string(),
        "amount_invalid" => t_string!(i18n, migration.amount_invalid).to_string(),
        "aws_account_invalid" => t_string!(i18n, migration.aws_account_invalid).to_string(),
        "one_holder_required" => t_string!(i18n, migration.one_holder_required).to_string(),
        "validated_before_submitted" => t_string!(i18n, migration.validated_before_submitted).to_string(),
        "validated_date_required" => t_string!(i18n, migration.validated_date_required).to_string(),
        "validated_date_unexpected" => t_string!(i18n, migration.validated_date_unexpected).to_string(),
        "order_without_lines" => t_string!(i18n, migration.order_without_lines).to_string(),
        "order_mixes_paths" => t_string!(i18n, migration.order_mixes_paths).to_string(),
        "order_has_errors" => t_string!(i18n, migration.order_has_errors).to_string(),
        "organisation_has_errors" => t_string!(i18n, migration.organisation_has_errors).to_string(),
        "reference_taken" => t_string!(i18n, migration.reference_taken).to_string(),
        "not_saved" => t_string!(i18n, migration.not_saved).to_string(),
        "vat_number_invalid" => t_string!(i18n, migration.vat_number_invalid).to_string(),
        "vat_number_required" => t_string!(i18n, migration.vat_number_required).to_string(),
        other => error_text(i18n, other),
    };
    let text = if detail.is_empty() {
        text
    } else {
        format!("{text} {detail}")
    };
    match column {
        Some(column) => format!("{column} : {text}"),
        None => text,
    }
}

/// The migration section of `/admin/import`: the files, then a dry run.
#[component]
pub fn MigrationSection() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let problem = move || {
        query.with(|q| q.get("migration")).map(|code| match code.as_str() {
            "file_too_large" => t_string!(i18n, migration.file_too_large).to_string(),
            _ => t_string!(i18n, migration.file_missing).to_string(),
        })
    };
    view! {
        <section class="card" id="migration" aria-labelledby="migration-title">
            <h2 id="migration-title">{t!(i18n, migration.title)}</h2>
            <p>{t!(i18n, migration.intro)}</p>
            <p class="hint" id="migration-hint">
                {t!(i18n, migration.format_hint)} " " <code>"docs/migration-import.md"</code>
            </p>
            {move || {
                problem()
                    .map(|text| {
                        view! {
                            <p class="notice error" role="alert" id="migration-error">
                                {text}
                            </p>
                        }
                    })
            }}
            <form method="post" action="/admin/import/migration" enctype="multipart/form-data">
                {FILES
                    .iter()
                    .map(|file| {
                        let id = format!("migration-{file}");
                        view! {
                            <div class="field">
                                <label for=id.clone()>{format!("{file}.csv")}</label>
                                <input
                                    id=id
                                    name=*file
                                    type="file"
                                    accept=".csv,text/csv,text/plain"
                                    aria-describedby="migration-hint"
                                />
                            </div>
                        }
                    })
                    .collect_view()}
                <button type="submit" class="button primary">
                    {t!(i18n, migration.check)}
                </button>
            </form>
        </section>
    }
}

/// Staff: the report of a dry run or an import, a page at a time, with "Importer" under a
/// dry run not imported yet. Served as islands (`ui::islands::MODULES`, in the `migration`
/// module): the report and its pages are the server's HTML, "Importer" an island,
/// [`ImportRun`].
#[component]
pub fn MigrationRunPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        let page = query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(0));
        let problems = query.with(|q| q.get("problems").is_some_and(|p| p == "1"));
        (id, page, problems)
    };
    let run = Resource::new(key, |(id, page, problems)| load_migration_run(id, page, problems));
    view! {
        <Title text=localized_title(move || t_string!(i18n, migration.report_title).to_string()) />
        <section class="page">
            <p>
                <a href="/admin/import">{t!(i18n, migration.back)}</a>
            </p>
            <h1>{t!(i18n, migration.report_title)}</h1>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match run.await {
                        Ok(view) => report_view(i18n, view).into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn report_view(i18n: leptos_i18n::I18nContext<Locale>, view: MigrationRunView) -> impl IntoView {
    let MigrationRunView {
        run_id,
        dry_run,
        imported_as,
        created_at,
        file_errors,
        counts,
        total,
        page,
        rows,
        ..
    } = view;
    let mode = if dry_run {
        t_string!(i18n, migration.mode_dry_run).to_string()
    } else {
        t_string!(i18n, migration.mode_import).to_string()
    };
    let summary = t_string!(
        i18n,
        migration.written,
        organisations_created = counts.organisations_created,
        organisations_updated = counts.organisations_updated,
        orders_created = counts.orders_created,
        orders_updated = counts.orders_updated
    )
    .to_string();
    let counts_list = Outcome::ALL
        .into_iter()
        .map(|o| view! { <li>{format!("{} : {}", outcome_text(i18n, o), counts.of(o))}</li> })
        .collect_view();
    let can_import = dry_run && imported_as.is_none() && file_errors.is_empty();
    let id_for_import = run_id.clone();
    let problems_href = format!("/admin/import/migration/{run_id}?problems=1");
    let all_href = format!("/admin/import/migration/{run_id}");
    view! {
        <p class="lead">{format!("{mode} · {created_at}")}</p>
        {dry_run.then(|| view! { <p class="notice">{t!(i18n, migration.dry_run_notice)}</p> })}
        <p role="status">{summary}</p>
        <ul class="counts">{counts_list}</ul>
        {(!file_errors.is_empty())
            .then(|| {
                view! {
                    <section class="notice error" aria-labelledby="file-errors">
                        <h2 id="file-errors">{t!(i18n, migration.file_errors)}</h2>
                        <ul>
                            {file_errors
                                .into_iter()
                                .map(|e| {
                                    view! {
                                        <li>{format!("{}.csv — {}", e.file, migration_error_text(i18n, &e.code))}</li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        {imported_as
            .map(|id| {
                view! {
                    <p class="notice success">
                        <a href=format!("/admin/import/migration/{id}")>{t!(i18n, migration.imported_link)}</a>
                    </p>
                }
            })}
        {can_import.then(|| view! { <ImportRun run_id=id_for_import.clone() locale=i18n.get_locale() /> })}
        <nav class="tools" aria-label=move || t_string!(i18n, migration.filter).to_string()>
            <a href=all_href>{t!(i18n, migration.all_rows)}</a>
            <a href=problems_href>{t!(i18n, migration.problems_only)}</a>
        </nav>
        {if rows.is_empty() {
            view! { <p class="empty">{t!(i18n, migration.empty)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" role="region" tabindex="0" aria-labelledby="report-caption">
                    <table class="report">
                        <caption id="report-caption">{t!(i18n, migration.rows_caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, migration.col_file)}</th>
                                <th scope="col">{t!(i18n, migration.col_line)}</th>
                                <th scope="col">{t!(i18n, migration.col_key)}</th>
                                <th scope="col">{t!(i18n, migration.col_outcome)}</th>
                                <th scope="col">{t!(i18n, migration.col_messages)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows.into_iter().map(|row| row_view(i18n, row)).collect_view()}</tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
        {pager(i18n, &run_id, page, total)}
    }
}

fn row_view(i18n: leptos_i18n::I18nContext<Locale>, row: RowOutcome) -> impl IntoView {
    let messages = row
        .errors
        .iter()
        .map(|e| migration_error_text(i18n, e))
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <tr class=format!("outcome-{}", row.outcome.as_str())>
            <td>{format!("{}.csv", row.file)}</td>
            <td>{row.line}</td>
            <td>{row.key}</td>
            <td>{outcome_text(i18n, row.outcome)}</td>
            <td>{messages}</td>
        </tr>
    }
}

/// "Précédent · n / N · Suivant" under a page of the report; keeps the filter.
fn pager(i18n: leptos_i18n::I18nContext<Locale>, run_id: &str, page: u32, total: u64) -> impl IntoView {
    let per_page = u64::from(REPORT_PAGE);
    let pages = total.div_ceil(per_page).max(1);
    let page = u64::from(page);
    let problems = use_query_map().with_untracked(|q| q.get("problems").is_some_and(|p| p == "1"));
    let suffix = if problems { "&problems=1" } else { "" };
    let link = |n: u64| format!("/admin/import/migration/{run_id}?page={n}{suffix}");
    let previous = (page > 0).then(|| link(page - 1));
    let next = (page + 1 < pages).then(|| link(page + 1));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, common.pagination).to_string()>
            {previous.map(|href| view! { <a href=href>{t!(i18n, common.previous)}</a> })}
            <span>{format!("{} / {pages}", page + 1)}</span>
            {next.map(|href| view! { <a href=href>{t!(i18n, common.next)}</a> })}
        </nav>
    }
}

/// "Importer" under a dry run not imported yet, after a confirmation, an island: its props are
/// the run's id and the page's language. Once imported, the browser opens the import's report.
#[island]
fn ImportRun(
    /// The dry run to import.
    run_id: String,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let i18n = use_i18n();
    let import = Action::new(|id: &String| import_migration_run(id.clone()));
    let import_error = Signal::derive(move || import.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(id)) = import.value().get() {
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href(&format!("/admin/import/migration/{id}"));
            #[cfg(not(feature = "hydrate"))]
            let _ = id;
        }
    });
    view! {
        <FormError error=import_error />
        <ConfirmButton
            label=Signal::derive(move || t_string!(i18n, migration.import).to_string())
            question=Signal::derive(move || t_string!(i18n, migration.confirm).to_string())
            yes=Signal::derive(move || t_string!(i18n, migration.yes).to_string())
            no=Signal::derive(move || t_string!(i18n, migration.no).to_string())
            pending=import.pending()
            on_confirm=Callback::new(move |()| {
                import.dispatch(run_id.clone());
            })
        />
    }
}
