//! The upload card of "Mon organisation" and the outcome read back from `?upload=`.

use crate::i18n::*;
use crate::org::model::EligibilityStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The outcome of a document upload, read from `?upload=` after the form posts back.
fn upload_message(i18n: leptos_i18n::I18nContext<Locale>, outcome: &str) -> (bool, String) {
    match outcome {
        "ok" => (true, t_string!(i18n, account.upload_ok).to_string()),
        "file_too_large" => (false, t_string!(i18n, errors.file_too_large).to_string()),
        "storage_full" => (false, t_string!(i18n, errors.storage_full).to_string()),
        "file_type" => (false, t_string!(i18n, errors.file_type).to_string()),
        "file_missing" => (false, t_string!(i18n, errors.file_missing).to_string()),
        _ => (false, t_string!(i18n, errors.invalid).to_string()),
    }
}

/// The outcome of the last upload, when the form has just posted back to this page.
#[component]
pub(super) fn UploadNotice() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let upload = move || query.with(|q| q.get("upload"));
    move || {
        upload().map(|outcome| {
            let (ok, text) = upload_message(i18n, &outcome);
            view! {
                <p class=if ok { "notice success" } else { "notice error" } role="status">
                    {text}
                </p>
            }
        })
    }
}

/// The document upload: the statutes first, then the answer to a question or a change request.
#[component]
pub(super) fn UploadCard(has_statutes: bool, status: EligibilityStatus) -> impl IntoView {
    let i18n = use_i18n();
    let kind = if !has_statutes {
        "statutes"
    } else if status == EligibilityStatus::InfoRequested {
        "info_response"
    } else {
        "change_request"
    };
    view! {
        <section class="card" aria-labelledby="upload-title">
            <h3 id="upload-title">
                {if has_statutes {
                    t_string!(i18n, account.upload_more_title).to_string()
                } else {
                    t_string!(i18n, account.upload_statutes_title).to_string()
                }}
            </h3>
            <form method="post" action="/documents" enctype="multipart/form-data">
                <input type="hidden" name="kind" value=kind />
                <div class="field">
                    <label for="file">{t!(i18n, account.file_label)}</label>
                    <input
                        id="file"
                        name="file"
                        type="file"
                        accept="application/pdf,image/png,image/jpeg"
                        required
                        aria-describedby="file-hint"
                    />
                    <p class="hint" id="file-hint">
                        {t!(i18n, account.file_hint)}
                    </p>
                </div>
                <button type="submit" class="button primary">
                    {t!(i18n, account.upload_button)}
                </button>
            </form>
        </section>
    }
}
