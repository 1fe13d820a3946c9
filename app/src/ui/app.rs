//! The root component, the HTML shell and the route table.

use crate::audit::ui::AuditTrailPage;
use crate::auth::api::get_current_user;
use crate::auth::staff_ui::StaffPage;
use crate::auth::ui::{ForgotPasswordPage, LoginPage, ResetPasswordPage, Session};
use crate::catalog::admin_ui::{CatalogueAdminPage, ProductEditPage};
use crate::catalog::ui::{CataloguePage, ProductPage};
use crate::change::ui::ChangeRequestsPage;
use crate::help::ui::{HelpAdminPage, HelpPage};
use crate::home::staff_ui::StaffDashboardPage;
use crate::home::ui::HomePage;
use crate::i18n::*;
use crate::mail::ui::OutboxPage;
use crate::order::admin_ui::{StaffOrderPage, StaffOrdersPage};
use crate::order::requests_ui::{MyRequestsPage, RequestPage};
use crate::order::ui::{ConfirmationPage, InvoicePage};
use crate::org::ui::{
    AccountPage, ImportPage, InquiriesPage, InquiryPage, RegisterPage, RequalifyPage, ReviewPage, ReviewQueuePage,
};
use crate::payment::ui::PaymentsPage;
use crate::programme::shared_programme_info;
use crate::quota::dashboard::DonationsPage;
use crate::quota::rules_ui::RulesAdminPage;
use crate::quota::ui::CartPage;
use crate::token::partner_ui::{CheckTokenPage, PartnerClientsPage};
use crate::token::ui::TokensPage;
use crate::ui::layout::{Footer, Header, Hydrated, Programme, SkipLink};
use crate::ui::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5394" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
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
    // Set once the WASM has taken over the server-rendered page (effects only run in the
    // browser): enhancements that need it, such as the phone menu, switch on here.
    let hydrated = RwSignal::new(false);
    provide_context(Hydrated(hydrated.read_only()));
    Effect::new(move |_| hydrated.set(true));
    provide_context(Programme(shared_programme_info()));
    provide_context(Session(Resource::new(|| (), |_| get_current_user())));

    view! {
        <Stylesheet id="leptos" href="/pkg/portal.css" />
        <I18nContextProvider>
            <Router>
                <SkipLink />
                <Header />
                <main id="main" tabindex="-1" data-hydrated=move || hydrated.get().to_string()>
                    <Routes fallback=NotFound>
                        <Route path=path!("") view=HomePage />
                        <Route path=path!("/catalogue") view=CataloguePage />
                        <Route path=path!("/catalogue/:slug") view=ProductPage />
                        <Route path=path!("/cart") view=CartPage />
                        <Route path=path!("/checkout/:id") view=ConfirmationPage />
                        <Route path=path!("/invoices/:id") view=InvoicePage />
                        <Route path=path!("/admin/payments") view=PaymentsPage />
                        <Route path=path!("/requests") view=MyRequestsPage />
                        <Route path=path!("/requests/:id") view=RequestPage />
                        <Route path=path!("/donations") view=DonationsPage />
                        <Route path=path!("/admin/orders") view=StaffOrdersPage />
                        <Route path=path!("/admin/orders/:id") view=StaffOrderPage />
                        <Route path=path!("/register") view=RegisterPage />
                        <Route path=path!("/login") view=LoginPage />
                        <Route path=path!("/forgot-password") view=ForgotPasswordPage />
                        <Route path=path!("/reset-password") view=ResetPasswordPage />
                        <Route path=path!("/account") view=AccountPage />
                        <Route path=path!("/account/tokens") view=TokensPage />
                        <Route path=path!("/admin/partner-clients") view=PartnerClientsPage />
                        <Route path=path!("/partners/verify") view=CheckTokenPage />
                        <Route path=path!("/admin/reviews") view=ReviewQueuePage />
                        <Route path=path!("/admin/organisations/:id") view=ReviewPage />
                        <Route path=path!("/admin/outbox") view=OutboxPage />
                        <Route path=path!("/admin/import") view=ImportPage />
                        <Route path=path!("/admin/requalify") view=RequalifyPage />
                        <Route path=path!("/admin/inquiries") view=InquiriesPage />
                        <Route path=path!("/admin/changes") view=ChangeRequestsPage />
                        <Route path=path!("/is-registered") view=InquiryPage />
                        <Route path=path!("/help") view=HelpPage />
                        <Route path=path!("/admin/help") view=HelpAdminPage />
                        <Route path=path!("/admin/audit") view=AuditTrailPage />
                        <Route path=path!("/admin") view=StaffDashboardPage />
                        <Route path=path!("/admin/catalogue") view=CatalogueAdminPage />
                        <Route path=path!("/admin/catalogue/:slug") view=ProductEditPage />
                        <Route path=path!("/admin/rules") view=RulesAdminPage />
                        <Route path=path!("/admin/staff") view=StaffPage />
                    </Routes>
                </main>
                <Footer />
            </Router>
        </I18nContextProvider>
    }
}
