//! The root component, the HTML shell and the route table.

use crate::account::ui::{EmailConfirmPage, SettingsPage};
use crate::audit::ui::AuditTrailPage;
use crate::auth::api::get_current_user;
use crate::auth::mfa_ui::{AccountMfaPage, MfaLoginPage};
use crate::auth::staff_ui::StaffPage;
use crate::auth::ui::{ForgotPasswordPage, LoginPage, ResetPasswordPage, Session};
use crate::catalog::admin_ui::{CatalogueAdminPage, ProductEditPage};
use crate::catalog::ui::{CataloguePage, ProductPage};
use crate::change::ui::ChangeRequestsPage;
use crate::contact::inbox_ui::{ConversationPage, InboxPage};
use crate::contact::ui::ContactPage;
use crate::deadline::ui::DigestSettingsPage;
use crate::directory::ui::{DirectoryPage, OrganisationPage};
use crate::help::ui::{HelpAdminPage, HelpPage};
use crate::home::staff_ui::StaffDashboardPage;
use crate::home::ui::HomePage;
use crate::i18n::*;
use crate::inquiry::ui::InquiriesPage;
use crate::join::ui::{JoinPage, StaffJoinRequestsPage};
use crate::legal::ui::{LegalAdminPage, PrivacyPage, TermsPage};
use crate::mail::ui::OutboxPage;
use crate::migration::ui::MigrationRunPage;
use crate::order::admin_ui::{StaffOrderPage, StaffOrdersPage};
use crate::order::requests_ui::{MyRequestsPage, RequestPage};
use crate::order::ui::{ConfirmationPage, InvoicePage};
use crate::org::ui::{
    AccountPage, ImportPage, InquiryPage, RegisterPage, RegistrationConfirmPage, RequalifyPage, ReviewQueuePage,
};
use crate::payment::ui::PaymentsPage;
use crate::privacy::ui::{MyDataPage, PrivacyAdminPage};
use crate::programme::ProgrammeInfo;
use crate::quota::dashboard::DonationsPage;
use crate::quota::rules_ui::RulesAdminPage;
use crate::quota::ui::CartPage;
use crate::token::partner_ui::{CheckTokenPage, PartnerClientsPage};
use crate::token::ui::TokensPage;
#[cfg(feature = "ssr")]
use crate::ui::bundle::{BundleScripts, stylesheet_href};
#[cfg(feature = "ssr")]
use crate::ui::islands::{PageModule, page_module};
use crate::ui::layout::{Footer, Header, PageHydrated, PageReady, Programme, SkipLink};
use crate::ui::not_found::NotFound;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

/// The HTML document the server renders around [`App`]. A page listed in
/// [`crate::ui::islands::ISLAND_PAGES`] loads an islands' module (the cart its own), any other
/// the whole app.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let path = use_context::<axum::http::request::Parts>().map(|parts| parts.uri.path().to_owned());
    let module = path.map_or(PageModule::App, |path| page_module(&path));
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5394" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link id="leptos" rel="stylesheet" href=stylesheet_href(&options) />
                <AutoReload options=options.clone() />
                <BundleScripts options module />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The whole application: language context, router and page layout.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Set by the page on screen once the WASM has taken it over (effects only run in the
    // browser); see `PageReady`.
    let page_hydrated = RwSignal::new(false);
    provide_context(PageHydrated(page_hydrated));
    provide_context(Programme(shared_programme_info()));
    provide_context(Session(Resource::new(|| (), |_| get_current_user())));
    #[cfg(feature = "hydrate")]
    crate::ui::islands::follow_links_to_island_pages();

    view! {
        <I18nContextProvider>
            <Router>
                <SkipLink />
                <Header />
                <main id="main" tabindex="-1" data-hydrated=move || page_hydrated.get().to_string()>
                    <Routes fallback=NotFound>
                        <Route path=path!("") view=|| island_page(HomePage) />
                        // Rendered whole before they are sent: without JavaScript the products
                        // are in place (out-of-order streaming puts them in a template that
                        // only a script moves), the filters' GET form works, and one write
                        // sends the page.
                        <Route
                            path=path!("/catalogue")
                            view=|| island_page(CataloguePage)
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/catalogue/:slug")
                            view=|| island_page(ProductPage)
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/cart") view=|| island_page(CartPage) ssr=SsrMode::Async />
                        <Route
                            path=path!("/checkout/:id")
                            view=|| island_page(ConfirmationPage)
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/invoices/:id") view={Lazy::<InvoicePageRoute>::new()} />
                        <Route path=path!("/admin/payments") view=|| island_page(PaymentsPage) ssr=SsrMode::Async />
                        <Route path=path!("/requests") view=|| island_page(MyRequestsPage) ssr=SsrMode::Async />
                        <Route path=path!("/requests/:id") view={Lazy::<RequestPageRoute>::new()} />
                        <Route path=path!("/donations") view={Lazy::<DonationsPageRoute>::new()} />
                        <Route path=path!("/admin/orders") view=|| island_page(StaffOrdersPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/orders/:id") view=|| island_page(StaffOrderPage) ssr=SsrMode::Async />
                        <Route path=path!("/register") view={Lazy::<RegisterPageRoute>::new()} />
                        <Route path=path!("/register/confirm") view={Lazy::<RegistrationConfirmPageRoute>::new()} />
                        <Route path=path!("/login") view=|| island_page(LoginPage) />
                        <Route path=path!("/login/mfa") view=|| view! { <PageReady /> <MfaLoginPage /> } />
                        <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordPageRoute>::new()} />
                        <Route path=path!("/reset-password") view={Lazy::<ResetPasswordPageRoute>::new()} />
                        <Route path=path!("/account") view={Lazy::<AccountPageRoute>::new()} />
                        <Route path=path!("/account/tokens") view={Lazy::<TokensPageRoute>::new()} />
                        <Route path=path!("/account/privacy") view={Lazy::<MyDataPageRoute>::new()} />
                        <Route path=path!("/admin/privacy") view=|| island_page(PrivacyAdminPage) ssr=SsrMode::Async />
                        <Route path=path!("/account/settings") view={Lazy::<SettingsPageRoute>::new()} />
                        <Route path=path!("/account/email/confirm") view={Lazy::<EmailConfirmPageRoute>::new()} />
                        <Route path=path!("/join") view={Lazy::<JoinPageRoute>::new()} />
                        <Route path=path!("/admin/join-requests") view=|| island_page(StaffJoinRequestsPage) ssr=SsrMode::Async />
                        <Route path=path!("/account/mfa") view={Lazy::<AccountMfaPageRoute>::new()} />
                        <Route path=path!("/admin/partner-clients") view=|| island_page(PartnerClientsPage) ssr=SsrMode::Async />
                        <Route path=path!("/partners/verify") view={Lazy::<CheckTokenPageRoute>::new()} />
                        <Route path=path!("/admin/reviews") view=|| island_page(ReviewQueuePage) ssr=SsrMode::Async />
                        <Route
                            path=path!("/admin/organisations")
                            view=|| island_page(DirectoryPage)
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/admin/organisations/:id")
                            view=|| island_page(OrganisationPage)
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/admin/outbox") view=|| island_page(OutboxPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/import") view=|| island_page(ImportPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/import/migration/:id") view=|| island_page(MigrationRunPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/requalify") view=|| island_page(RequalifyPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/inquiries") view=|| island_page(InquiriesPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/changes") view=|| island_page(ChangeRequestsPage) ssr=SsrMode::Async />
                        <Route path=path!("/is-registered") view={Lazy::<InquiryPageRoute>::new()} />
                        <Route path=path!("/help") view=|| island_page(HelpPage) />
                        <Route path=path!("/admin/help") view=|| island_page(HelpAdminPage) ssr=SsrMode::Async />
                        <Route path=path!("/contact") view={Lazy::<ContactPageRoute>::new()} />
                        <Route path=path!("/terms") view={Lazy::<TermsPageRoute>::new()} />
                        <Route path=path!("/privacy") view={Lazy::<PrivacyPageRoute>::new()} />
                        <Route path=path!("/admin/contact") view=|| island_page(InboxPage) ssr=SsrMode::Async />
                        <Route
                            path=path!("/admin/contact/:id")
                            view=|| island_page(ConversationPage)
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/admin/legal") view=|| island_page(LegalAdminPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/audit") view=|| island_page(AuditTrailPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin") view=|| island_page(StaffDashboardPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/catalogue") view=|| island_page(CatalogueAdminPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/catalogue/:slug") view=|| island_page(ProductEditPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/rules") view=|| island_page(RulesAdminPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/staff") view=|| island_page(StaffPage) ssr=SsrMode::Async />
                        <Route path=path!("/admin/digest") view=|| island_page(DigestSettingsPage) ssr=SsrMode::Async />
                    </Routes>
                </main>
                <Footer />
            </Router>
        </I18nContextProvider>
    }
}

/// The route of a page served as islands ([`crate::ui::islands::ISLAND_PAGES`]). The server
/// renders it; the whole app's module, which never hydrates such a page, has the browser load
/// it from the server whenever it navigates to one (a link, back and forward, the home page
/// after logging out), so the page's code is not in that module at all.
fn island_page<V: IntoView + 'static>(page: fn() -> V) -> AnyView {
    #[cfg(not(feature = "hydrate"))]
    return view! { <PageReady /> {page()} }.into_any();
    #[cfg(feature = "hydrate")]
    {
        let _ = page;
        view! { <LoadFromServer /> }.into_any()
    }
}

/// In the whole app, the route of a page served as islands ([`island_page`]), for the
/// navigations that are not a link's (a link's is the browser's, see
/// `ui::islands::follow_links_to_island_pages`), such as the home page after logging out: the
/// browser loads the page from the server, so it arrives with the islands' module. Once the
/// router has recorded its navigation (a tick later), the entry it pushed is replaced by the
/// page itself, so "back" returns to where the visitor was.
#[cfg(feature = "hydrate")]
#[component]
fn LoadFromServer() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let search = location.search.get_untracked();
    let query = if search.is_empty() || search.starts_with('?') {
        search
    } else {
        format!("?{search}")
    };
    let address = format!("{}{query}", location.pathname.get_untracked());
    let hash = location.hash.get_untracked();
    // Only after a navigation: were this the page the whole app was loaded with (a page
    // missing from `ISLAND_PAGES`), loading it again would load the whole app again.
    let navigated = use_context::<PageHydrated>().is_some_and(|ready| ready.0.get_untracked());
    Effect::new(move |_| {
        if !navigated {
            leptos::logging::error!("{address} is served as islands but not listed in ISLAND_PAGES");
            return;
        }
        let (address, hash) = (address.clone(), hash.clone());
        set_timeout(
            move || {
                let here = window().location();
                let current = format!(
                    "{}{}",
                    here.pathname().unwrap_or_default(),
                    here.search().unwrap_or_default()
                );
                let target = format!("{address}{hash}");
                let _ = if current == address {
                    here.replace(&target)
                } else {
                    here.assign(&target)
                };
            },
            std::time::Duration::ZERO,
        );
    });
    let i18n = use_i18n();
    view! { <p class="muted">{t!(i18n, common.loading)}</p> }
}

/// Declares groups of pages that are compiled into a WASM chunk of their own when the site is
/// built with `cargo leptos build --split` (as `scripts/setup.sh` does for release). Each
/// group is one `#[lazy]` function, and each of its pages a [`LazyRoute`] that calls it: the
/// browser downloads a group the first time one of its pages opens, and a server-rendered page
/// preloads its group. Each route's `preload` fetches the chunk before the router hydrates the
/// page (`#[lazy]` generates `__preload_<group>`). The pages served as islands
/// ([`crate::ui::islands::ISLAND_PAGES`]) are not in the app's module at all; the login's second
/// step stays in the main module. One split point per group rather than per page:
/// per-page splitting (tried, see BENCHMARKS.md) cut the code into some 960 files, up to 350
/// of them for one page. Without `--split`, as in debug builds, these are ordinary routes;
/// without the `lazy-pages` feature (the server) ordinary functions. The islands' module is
/// compiled with the feature and drops the split points' exports (`scripts/setup.sh`).
macro_rules! page_groups {
    ($($(#[$doc:meta])* $group:ident / $preload:ident { $($route:ident => $page:ident),* $(,)? })*) => {$(
        $(#[$doc])*
        #[cfg(feature = "lazy-pages")]
        #[leptos::lazy]
        fn $group(page: &'static str) -> AnyView {
            match page {
                $(stringify!($page) => view! { <PageReady /> <$page /> }.into_any(),)*
                _ => view! { <NotFound /> }.into_any(),
            }
        }

        $(#[$doc])*
        #[cfg(not(feature = "lazy-pages"))]
        async fn $group(page: &'static str) -> AnyView {
            match page {
                $(stringify!($page) => view! { <PageReady /> <$page /> }.into_any(),)*
                _ => view! { <NotFound /> }.into_any(),
            }
        }

        $(
            #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_: Self) -> AnyView {
                    $group(stringify!($page)).await
                }

                // Hydration needs the page's code at hand: the router awaits this before
                // hydrating a server-rendered lazy route (`#[lazy]` defines the preload).
                async fn preload() {
                    #[cfg(all(feature = "hydrate", feature = "lazy-pages"))]
                    $preload().await;
                }
            }
        )*
    )*};
}

page_groups! {
    /// The invoices (the cart and the checkout's confirmation are served as islands).
    checkout_pages / __preload_checkout_pages {
        InvoicePageRoute => InvoicePage,
    }
    /// "Mes demandes", one request, and "Mes dons".
    request_pages / __preload_request_pages {
        RequestPageRoute => RequestPage,
        DonationsPageRoute => DonationsPage,
    }
    /// The account and its tokens, and the rarely used screens around it: registration,
    /// password reset, "is my organisation registered?".
    account_pages / __preload_account_pages {
        AccountPageRoute => AccountPage,
        TokensPageRoute => TokensPage,
        MyDataPageRoute => MyDataPage,
        AccountMfaPageRoute => AccountMfaPage,
        RegisterPageRoute => RegisterPage,
        RegistrationConfirmPageRoute => RegistrationConfirmPage,
        ForgotPasswordPageRoute => ForgotPasswordPage,
        ResetPasswordPageRoute => ResetPasswordPage,
        InquiryPageRoute => InquiryPage,
    }
    /// The public reading pages: contact, the legal pages and the partner's check by hand.
    /// Apart from the account's group, which a phone opening one of them waited for (the help
    /// centre, when it was here: 4.1 s to hydrate against 2.8 s for the home page, throttled).
    public_pages / __preload_public_pages {
        ContactPageRoute => ContactPage,
        TermsPageRoute => TermsPage,
        PrivacyPageRoute => PrivacyPage,
        CheckTokenPageRoute => CheckTokenPage,
    }
    /// A person's own settings, the e-mail change link and "Rejoindre mon organisation".
    self_service_pages / __preload_self_service_pages {
        SettingsPageRoute => SettingsPage,
        EmailConfirmPageRoute => EmailConfirmPage,
        JoinPageRoute => JoinPage,
    }
}

/// The programme's identity for header and footer, read from the configuration during the
/// server render and sent along with the page, so the browser needs no request for it and
/// no `<Suspense>` waits on it.
pub fn shared_programme_info() -> Option<ProgrammeInfo> {
    leptos::prelude::SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            // No state while the server renders the app once to list its routes: not an error.
            use_context::<crate::state::AppState>().map(|state| state.config.programme.clone())
        }
        #[cfg(not(feature = "ssr"))]
        {
            None
        }
    })
    .into_inner()
}
