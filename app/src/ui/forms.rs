//! Form helpers shared by every page: translated error messages, the per-field error
//! line that inputs point to with `aria-describedby`, and the notice for a failed call.

use crate::error::AppError;
use crate::i18n::*;
use crate::ui::islands::current_locale;
use leptos::prelude::*;

/// The user-facing text of an error code sent by the server (see the `rules` modules).
pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    error_text_in(i18n.get_locale(), code)
}

/// [`error_text`] in `locale`, for an island that has no language context (`ui::islands`).
pub fn error_text_in(locale: Locale, code: &str) -> String {
    match code {
        "required" => td_string!(locale, errors.required).to_string(),
        "too_long" => td_string!(locale, errors.too_long).to_string(),
        "choose_one" => td_string!(locale, errors.choose_one).to_string(),
        "email_invalid" => td_string!(locale, errors.email_invalid).to_string(),
        "email_taken" => td_string!(locale, errors.email_taken).to_string(),
        "password_too_short" => td_string!(locale, errors.password_too_short).to_string(),
        "password_too_long" => td_string!(locale, errors.password_too_long).to_string(),
        "postal_code_invalid" => td_string!(locale, errors.postal_code_invalid).to_string(),
        "enterprise_number_length" => td_string!(locale, errors.enterprise_number_length).to_string(),
        "enterprise_number_first_digit" => td_string!(locale, errors.enterprise_number_first_digit).to_string(),
        "enterprise_number_checksum" => td_string!(locale, errors.enterprise_number_checksum).to_string(),
        "enterprise_number_rcs" => td_string!(locale, errors.enterprise_number_rcs).to_string(),
        "enterprise_number_taken" => td_string!(locale, errors.enterprise_number_taken).to_string(),
        "login_failed" => td_string!(locale, errors.login_failed).to_string(),
        "holder_must_transfer" => td_string!(locale, errors.holder_must_transfer).to_string(),
        "own_erasure" => td_string!(locale, errors.own_erasure).to_string(),
        "reset_link_invalid" => td_string!(locale, errors.reset_link_invalid).to_string(),
        "current_password_wrong" => td_string!(locale, errors.current_password_wrong).to_string(),
        "email_unchanged" => td_string!(locale, errors.email_unchanged).to_string(),
        "email_link_invalid" => td_string!(locale, errors.email_link_invalid).to_string(),
        "email_unavailable" => td_string!(locale, errors.email_unavailable).to_string(),
        "holder_present" => td_string!(locale, errors.holder_present).to_string(),
        "registration_link_invalid" => td_string!(locale, errors.registration_link_invalid).to_string(),
        "registration_number_taken" => td_string!(locale, errors.registration_number_taken).to_string(),
        "registration_email_taken" => td_string!(locale, errors.registration_email_taken).to_string(),
        "no_open_question" => td_string!(locale, errors.no_open_question).to_string(),
        "not_a_member" => td_string!(locale, errors.not_a_member).to_string(),
        "not_saved" => td_string!(locale, errors.not_saved).to_string(),
        "change_nothing" => td_string!(locale, errors.change_nothing).to_string(),
        "change_pending" => td_string!(locale, errors.change_pending).to_string(),
        "nothing_to_appeal" => td_string!(locale, errors.nothing_to_appeal).to_string(),
        "unknown_partner" => td_string!(locale, errors.unknown_partner).to_string(),
        "reference_invalid" => td_string!(locale, errors.reference_invalid).to_string(),
        "amount_invalid" => td_string!(locale, errors.amount_invalid).to_string(),
        "statement_invalid" => td_string!(locale, errors.statement_invalid).to_string(),
        "not_camt053" => td_string!(locale, errors.not_camt053).to_string(),
        "iban_invalid" => td_string!(locale, errors.iban_invalid).to_string(),
        "more_than_due" => td_string!(locale, errors.more_than_due).to_string(),
        "refund_not_recorded" => td_string!(locale, errors.refund_not_recorded).to_string(),
        "payment_matched" => td_string!(locale, errors.payment_matched).to_string(),
        "no_such_invoice" => td_string!(locale, errors.no_such_invoice).to_string(),
        "not_a_statement" => td_string!(locale, errors.not_a_statement).to_string(),
        "vat_number_invalid" => td_string!(locale, errors.vat_number_invalid).to_string(),
        "vat_number_required" => td_string!(locale, errors.vat_number_required).to_string(),
        "file_too_large" => td_string!(locale, errors.file_too_large).to_string(),
        "file_missing" => td_string!(locale, errors.file_missing).to_string(),
        "quantity_invalid" => td_string!(locale, errors.quantity_invalid).to_string(),
        "text_invalid" => td_string!(locale, errors.text_invalid).to_string(),
        "unknown_product" => td_string!(locale, errors.unknown_product).to_string(),
        "not_qualified" => td_string!(locale, errors.not_qualified).to_string(),
        "cart_empty" => td_string!(locale, errors.cart_empty).to_string(),
        "cart_changed" => td_string!(locale, errors.cart_changed).to_string(),
        "too_many_lines" => td_string!(locale, errors.too_many_lines).to_string(),
        "transition_not_allowed" => td_string!(locale, errors.transition_not_allowed).to_string(),
        "staff_only" => td_string!(locale, errors.staff_only).to_string(),
        "awaiting_approval" => td_string!(locale, errors.awaiting_approval).to_string(),
        "order_changed" => td_string!(locale, errors.order_changed).to_string(),
        "refund_pending" => td_string!(locale, errors.refund_pending).to_string(),
        "date_invalid" => td_string!(locale, errors.date_invalid).to_string(),
        "before_shipping" => td_string!(locale, errors.before_shipping).to_string(),
        "date_in_future" => td_string!(locale, errors.date_in_future).to_string(),
        "token_not_expired" => td_string!(locale, errors.token_not_expired).to_string(),
        "token_revoked" => td_string!(locale, errors.token_revoked).to_string(),
        "client_revoked" => td_string!(locale, errors.client_revoked).to_string(),
        "api_key_invalid" => td_string!(locale, errors.api_key_invalid).to_string(),
        "token_malformed" => td_string!(locale, errors.token_malformed).to_string(),
        "rate_out_of_range" => td_string!(locale, errors.rate_out_of_range).to_string(),
        "organisation_not_validated" => td_string!(locale, errors.organisation_not_validated).to_string(),
        "already_invited" => td_string!(locale, errors.already_invited).to_string(),
        "invalid_characters" => td_string!(locale, errors.invalid_characters).to_string(),
        "link_external" => td_string!(locale, errors.link_external).to_string(),
        "link_broken" => td_string!(locale, errors.link_broken).to_string(),
        "date_before_start" => td_string!(locale, errors.date_before_start).to_string(),
        "slug_invalid" => td_string!(locale, errors.slug_invalid).to_string(),
        "slug_taken" => td_string!(locale, errors.slug_taken).to_string(),
        "value_below_fee" => td_string!(locale, errors.value_below_fee).to_string(),
        "family_other_partner" => td_string!(locale, errors.family_other_partner).to_string(),
        "family_taken" => td_string!(locale, errors.family_taken).to_string(),
        "number_invalid" => td_string!(locale, errors.number_invalid).to_string(),
        "json_invalid" => td_string!(locale, errors.json_invalid).to_string(),
        "own_role" => td_string!(locale, errors.own_role).to_string(),
        "inquiry_answered" => td_string!(locale, inquiries_admin.error_answered).to_string(),
        "conversation_closed" => td_string!(locale, inbox.error_closed).to_string(),
        "document_required" => td_string!(locale, inquiries_admin.error_document_required).to_string(),
        "file_type" => td_string!(locale, errors.file_type).to_string(),
        "storage_full" => td_string!(locale, errors.storage_full).to_string(),
        "order_search_invalid" => td_string!(locale, queues.search_invalid).to_string(),
        "admin_unscoped" => td_string!(locale, queues.admin_unscoped).to_string(),
        "mfa_code_invalid" => td_string!(locale, mfa.error_code_invalid).to_string(),
        "mfa_code_wrong" => td_string!(locale, mfa.error_code_wrong).to_string(),
        "mfa_already_on" => td_string!(locale, mfa.error_already_on).to_string(),
        "mfa_not_on" => td_string!(locale, mfa.error_not_on).to_string(),
        "mfa_not_started" => td_string!(locale, mfa.error_not_started).to_string(),
        "mfa_own_reset" => td_string!(locale, mfa.error_own_reset).to_string(),
        _ => td_string!(locale, errors.invalid).to_string(),
    }
}

/// The text of an error that is not about one field.
pub fn app_error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> String {
    app_error_text_in(i18n.get_locale(), error)
}

/// [`app_error_text`] in `locale`.
pub fn app_error_text_in(locale: Locale, error: &AppError) -> String {
    match error {
        AppError::Unauthorized => td_string!(locale, errors.unauthorized).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::TooManyRequests => td_string!(locale, errors.too_many).to_string(),
        AppError::Conflict(code) => error_text_in(locale, code),
        AppError::Validation { fields } => match fields.get("form").and_then(|codes| codes.first()) {
            Some(code) => error_text_in(locale, code),
            None => td_string!(locale, errors.check_fields).to_string(),
        },
        AppError::Internal | AppError::Request(_) => td_string!(locale, common.error).to_string(),
    }
}

/// The last error of a server action, if any.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get().and_then(Result::err))
}

/// The messages for `field`, rendered under its input with `id` `{field}-error`, or `id` where
/// two forms of one page report the same field.
#[component]
pub fn FieldError(
    #[prop(into)] field: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| format!("{field}-error"));
    let field = StoredValue::new(field);
    let messages = move || {
        error
            .get()
            .map(|e| field.with_value(|f| e.field_messages(f)))
            .unwrap_or_default()
            .into_iter()
            .map(|code| error_text(i18n, &code))
            .collect::<Vec<_>>()
            .join(" ")
    };
    view! {
        <p class="field-error" id=id aria-live="polite">
            {messages}
        </p>
    }
}

/// Whether `field` has an error (for `aria-invalid`).
pub fn has_error(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> &'static str + Copy {
    move || {
        if error.with(|e| e.as_ref().is_some_and(|e| !e.field_messages(field).is_empty())) {
            "true"
        } else {
            "false"
        }
    }
}

/// A banner for an error that is not about one field (`role="alert"`).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    // Also inside islands (`ui::islands`): the page's language with or without the app's context.
    let locale = current_locale();
    move || {
        error.get().map(|error| {
            let locale = locale();
            let login_link = matches!(error, AppError::Unauthorized);
            view! {
                <div class="notice error" role="alert">
                    <p>{app_error_text_in(locale, &error)}</p>
                    {login_link.then(|| view! { <a href="/login">{td_string!(locale, auth.login_title)}</a> })}
                </div>
            }
        })
    }
}

/// A labelled single-line input with its hint and error line, wired for screen readers:
/// the input's `aria-describedby` names both, and `aria-invalid` follows the error.
#[component]
pub fn TextField(
    /// The field's name in errors (`legal_name`) and the base of its element ids.
    field: &'static str,
    /// The input's `name` as the server function reads it (`form[legal_name]`).
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The input's id where a page named it otherwise than `field-{field}`.
    #[prop(optional)]
    id: Option<&'static str>,
    /// The value shown when the page opens (a stored value).
    #[prop(optional)]
    value: Option<String>,
) -> impl IntoView {
    let id = id.map_or_else(|| format!("field-{field}"), str::to_owned);
    let hint_id = format!("{field}-hint");
    let described_by = if hint.is_some() {
        format!("{hint_id} {field}-error")
    } else {
        format!("{field}-error")
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                aria-describedby=described_by
                aria-invalid=has_error(error, field)
            />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <FieldError field error />
        </div>
    }
}

/// A labelled `<select>` with a placeholder option, its error line and ARIA wiring.
#[component]
pub fn SelectField(
    field: &'static str,
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    /// (value, label) pairs.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The value chosen when the page opens (a stored value, or a default).
    #[prop(optional)]
    selected: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{field}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-describedby=format!("{field}-error") aria-invalid=has_error(error, field)>
                <option value="">{t!(i18n, common.choose)}</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(value, label)| {
                            let chosen = selected.as_deref() == Some(value.as_str());
                            view! {
                                <option value=value selected=chosen>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <FieldError field error />
        </div>
    }
}

/// Counts an action's successful calls only. Use it (not `version()`) as the key of a
/// resource the action changes: a refused call then refetches nothing, so whatever the user
/// typed or chose stays on screen next to the error.
pub fn successes<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    Memo::new(move |previous: Option<&usize>| {
        let version = action.version().get();
        let succeeded = action.value().with(|value| matches!(value, Some(Ok(_))));
        if succeeded {
            version
        } else {
            previous.copied().unwrap_or(0)
        }
    })
}

/// A button that asks before it acts: the first click shows `question` with "yes" and "no";
/// only "yes" runs `on_confirm`. For destructive actions (revoking, cancelling).
#[component]
pub fn ConfirmButton(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] question: Signal<String>,
    #[prop(into)] yes: Signal<String>,
    #[prop(into)] no: Signal<String>,
    /// While the action runs, "yes" is disabled.
    #[prop(into)]
    pending: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    move || {
        if confirming.get() {
            view! {
                <div class="notice" role="alert">
                    <p>{question}</p>
                    <button
                        type="button"
                        class="button danger"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            on_confirm.run(());
                            confirming.set(false);
                        }
                    >
                        {yes}
                    </button>
                    " "
                    <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                        {no}
                    </button>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>
                    {label}
                </button>
            }
            .into_any()
        }
    }
}

/// A translated text as a signal, for the `label` and `hint` props of the fields below:
/// `translated(i18n, |i| t_string!(i, org.city).to_string())`.
pub fn translated(
    i18n: leptos_i18n::I18nContext<Locale>,
    text: fn(leptos_i18n::I18nContext<Locale>) -> String,
) -> Signal<String> {
    Signal::derive(move || text(i18n))
}

/// A labelled `<textarea>` with its error line, wired like [`TextField`]. Its `id` is given
/// rather than made from `field`: the pages that use it named theirs before it existed.
#[component]
pub fn TextAreaField(
    /// The element id (`appeal-note`), which the label points to.
    id: &'static str,
    /// The field's name in errors (`appeal`); its error line is `{field}-error`.
    field: &'static str,
    /// The textarea's `name` as the server function reads it.
    name: &'static str,
    rows: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea
                id=id
                name=name
                rows=rows
                aria-describedby=format!("{field}-error")
                aria-invalid=has_error(error, field)
            ></textarea>
            <FieldError field error />
        </div>
    }
}

/// A form's submit button, disabled while its action runs. The label is the children.
#[component]
pub fn SubmitButton(
    /// Usually `action.pending()`.
    #[prop(into)]
    pending: Signal<bool>,
    #[prop(default = "button primary")] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <button type="submit" class=class disabled=move || pending.get()>
            {children()}
        </button>
    }
}

/// A [`SubmitButton`] whose label reads "Envoi…" while its action runs: for the forms whose
/// answer takes a moment (a mail goes out, a file is read).
#[component]
pub fn SendButton(
    /// Usually `action.pending()`.
    #[prop(into)]
    pending: Signal<bool>,
    #[prop(default = "button primary")] class: &'static str,
    /// The label when nothing runs.
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SubmitButton pending class>
            {move || {
                if pending.get() {
                    t_string!(i18n, common.sending).to_string()
                } else {
                    label.get()
                }
            }}
        </SubmitButton>
    }
}

/// The `token` of the mailed link that opened the page (`?token=…`), hidden in its form: such
/// pages act on a button, never on opening, so a mail scanner that follows links uses none up.
#[component]
pub fn LinkTokenInput() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! { <input type="hidden" name="token" prop:value=token /> }
}

/// What a page opened from a mailed link says once its form went through: `children` as the
/// notice, then the way to log in.
#[component]
pub fn DoneThenLogin(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice success" role="status">
            {children()}
        </p>
        <p>
            <a href="/login">{t!(i18n, auth.login_title)}</a>
        </p>
    }
}

/// What a `<Suspense>` shows while its resource loads: `fallback=|| view! { <Loading /> }`.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted">{t!(i18n, common.loading)}</p> }
}

/// The banner for a resource that failed to load, as [`FormError`] shows it.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }
}
