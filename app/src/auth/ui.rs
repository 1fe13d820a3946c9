//! Login, logout and password-reset pages, and the session shared by the whole page.

use crate::auth::api::{Login, Logout, RequestPasswordReset, ResetPassword};
use crate::auth::model::CurrentUser;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::forms::{DoneThenLogin, FieldError, FormError, LinkTokenInput, action_error, has_error};
use crate::ui::title::localized_title;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// The logged-in user, loaded once per page (by [`crate::App`]) and refetched after login
/// and logout. Pages still authorise on the server: this only shapes the navigation.
#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<Option<CurrentUser>, AppError>>);

impl Session {
    pub fn refetch(self) {
        self.0.refetch();
    }
}

/// What follows a completed login, by password alone or with the second step's code: the
/// session is reloaded, the page takes the language this person chose last time (on whatever
/// device), and staff go to `/admin`, everyone else to `/account`.
pub(crate) fn enter_account(
    i18n: leptos_i18n::I18nContext<Locale>,
    session: Option<Session>,
    user: &CurrentUser,
    navigate: &impl Fn(&str, leptos_router::NavigateOptions),
) {
    if let Some(session) = session {
        session.refetch();
    }
    use leptos_i18n::Locale as _;
    if let Some(locale) = user
        .language
        .as_deref()
        .and_then(|l| Locale::get_all().iter().find(|locale| locale.as_str() == l))
        && *locale != i18n.get_locale_untracked()
    {
        i18n.set_locale(*locale);
    }
    let target = if user.is_staff() { "/admin" } else { "/account" };
    navigate(target, Default::default());
}

/// "Se connecter". Served as islands (`ui::islands::ISLAND_PAGES`): the form is plain HTML
/// posted to the `login` server function, which answers with a redirect to the account, the
/// second step, or back here with the error (`auth::login_form`); the identifier of a refused
/// attempt comes back filled in. So the page works before, and without, any WASM.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    // On the server, the error of the attempt the browser was sent back from (in the address).
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    #[cfg(feature = "ssr")]
    let identifier = crate::auth::login_form::kept_identifier();
    #[cfg(not(feature = "ssr"))]
    let identifier: Option<String> = None;
    let has_identifier = identifier.is_some();
    view! {
        <Title text=localized_title(move || t_string!(i18n, auth.login_title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, auth.login_title)}</h1>
            <FormError error />
            <form method="post" action="/api/login">
                <div class="field">
                    <label for="identifier">{t!(i18n, auth.identifier)}</label>
                    <input
                        id="identifier"
                        name="identifier"
                        type="text"
                        autocomplete="username"
                        required
                        value=identifier
                    />
                </div>
                <div class="field">
                    <label for="password">{t!(i18n, auth.password)}</label>
                    // After a refused attempt, the password is what to type again.
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        autofocus=has_identifier
                    />
                </div>
                <button type="submit" class="button primary">
                    {t!(i18n, auth.login_button)}
                </button>
            </form>
            <p>
                <a href="/forgot-password">{t!(i18n, auth.forgot_link)}</a>
            </p>
            <p>
                {t!(i18n, auth.no_account)} " " <a href="/register">{t!(i18n, auth.register_link)}</a>
            </p>
            <p>
                <a href="/is-registered">{t!(i18n, nav.is_registered)}</a>
            </p>
            <p>
                <a href="/join">{t!(i18n, join.title)}</a>
            </p>
        </section>
    }
}

/// "Demander un nouveau mot de passe".
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=localized_title(move || t_string!(i18n, auth.forgot_title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, auth.forgot_title)}</h1>
            <p>{t!(i18n, auth.forgot_intro)}</p>
            <Show
                when=done
                fallback=move || {
                    view! {
                        <FormError error />
                        <ActionForm action=action>
                            <div class="field">
                                <label for="identifier">{t!(i18n, auth.identifier)}</label>
                                <input
                                    id="identifier"
                                    name="identifier"
                                    type="text"
                                    autocomplete="username"
                                    required
                                    aria-describedby="identifier-error"
                                    aria-invalid=has_error(error, "identifier")
                                />
                                <FieldError field="identifier" error />
                            </div>
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                {t!(i18n, auth.forgot_button)}
                            </button>
                        </ActionForm>
                    }
                }
            >
                <p class="notice success" role="status">
                    {t!(i18n, auth.forgot_sent)}
                </p>
            </Show>
            <p class="muted">
                {t!(i18n, auth.forgot_neither)} " " <a href="/contact">{t!(i18n, contact.link)}</a>
            </p>
        </section>
    }
}

/// The page a reset link opens: choose a new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=localized_title(move || t_string!(i18n, auth.reset_title).to_string()) />
        <section class="page narrow">
            <h1>{t!(i18n, auth.reset_title)}</h1>
            <Show
                when=done
                fallback=move || {
                    view! {
                        <FormError error />
                        <ActionForm action=action>
                            <LinkTokenInput />
                            <div class="field">
                                <label for="password">{t!(i18n, auth.new_password)}</label>
                                <input
                                    id="password"
                                    name="password"
                                    type="password"
                                    autocomplete="new-password"
                                    required
                                    minlength="12"
                                    aria-describedby="password-hint password-error"
                                    aria-invalid=has_error(error, "password")
                                />
                                <p class="hint" id="password-hint">
                                    {t!(i18n, auth.password_hint)}
                                </p>
                                <FieldError field="password" error />
                            </div>
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                {t!(i18n, auth.reset_button)}
                            </button>
                        </ActionForm>
                    }
                }
            >
                <DoneThenLogin>{t!(i18n, auth.reset_done)}</DoneThenLogin>
            </Show>
        </section>
    }
}

/// The account links of the header: log in / register, or the user's pages and log out.
#[component]
pub fn AccountNav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_context::<Session>();
    let logout = ServerAction::<Logout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            if let Some(session) = session {
                session.refetch();
            }
            navigate("/", Default::default());
        }
    });
    view! {
        <Transition fallback=|| ()>
            // Awaited, not read with `.get()`: Leptos' SSR stream can stall when several
            // boundaries `.get()` shared resources (leptos issue 4578).
            {move || Suspend::new(async move {
                let user = match session {
                    Some(session) => session.0.await.ok().flatten(),
                    None => None,
                };
                match user {
                None => {
                    view! {
                        <li>
                            <a href="/login">{t!(i18n, auth.login_title)}</a>
                        </li>
                        <li>
                            <a href="/register">{t!(i18n, nav.register)}</a>
                        </li>
                    }
                        .into_any()
                }
                Some(user) => {
                    let staff = user.is_staff();
                    let member = user.membership.is_some();
                    view! {
                        {staff
                            .then(|| {
                                view! {
                                    <li>
                                        <a href="/admin">{t!(i18n, nav.dashboard)}</a>
                                    </li>
                                    <li>
                                        <a href="/admin/reviews">{t!(i18n, nav.reviews)}</a>
                                    </li>
                                    <li>
                                        <a href="/admin/orders">{t!(i18n, nav.orders)}</a>
                                    </li>
                                    <li>
                                        <a href="/admin/payments">{t!(i18n, nav.payments)}</a>
                                    </li>
                                }
                            })}
                        {member
                            .then(|| {
                                view! {
                                    <li>
                                        <a href="/cart">{t!(i18n, nav.cart)}</a>
                                    </li>
                                    <li>
                                        <a href="/requests">{t!(i18n, nav.requests)}</a>
                                    </li>
                                    <li>
                                        <a href="/donations">{t!(i18n, nav.donations)}</a>
                                    </li>
                                    <li>
                                        <a href="/account">{t!(i18n, nav.account)}</a>
                                    </li>
                                }
                            })}
                        <li>
                            <a href="/account/settings">{t!(i18n, settings.nav_link)}</a>
                        </li>
                        <li>
                            <ActionForm action=logout>
                                <button type="submit" class="link-button">
                                    {t!(i18n, auth.logout)}
                                    <span class="visually-hidden">" (" {user.full_name.clone()} ")"</span>
                                </button>
                            </ActionForm>
                        </li>
                    }
                        .into_any()
                }
            }
            })}
        </Transition>
    }
}
