//! Page furniture shared by every route: skip link, header with navigation and language
//! switch (`ui::islands`), footer.

use crate::auth::ui::AccountNav;
use crate::i18n::*;
use crate::programme::ProgrammeInfo;
use crate::ui::islands::{LanguageSwitch, MenuToggle};
use leptos::prelude::*;
use leptos_router::components::A;

/// Whether the page on screen has hydrated: `<main data-hydrated>` in [`crate::App`] shows it,
/// and the end-to-end tests wait for it before they click. Set by [`PageReady`].
#[derive(Clone, Copy)]
pub struct PageHydrated(pub RwSignal<bool>);

/// Put at the top of each page: its effect runs once the page's own elements have hydrated.
/// The App's effect is not enough for that: a lazily loaded page hydrates later, after its
/// WASM chunk has arrived, and a click in between would find no listener.
#[component]
pub fn PageReady() -> impl IntoView {
    if let Some(PageHydrated(ready)) = use_context() {
        Effect::new(move |_| ready.set(true));
    }
}

/// The programme's identity for header and footer, provided by [`crate::App`]. Not a
/// resource: two `<Suspense>` reading one resource is the pattern of Leptos' stalled-stream
/// bugs (leptos issues 4851 and 4578), and this never changes during a visit anyway.
#[derive(Clone)]
pub struct Programme(pub Option<ProgrammeInfo>);

fn programme() -> Option<ProgrammeInfo> {
    use_context::<Programme>().and_then(|p| p.0)
}

/// "Aller au contenu": the first focusable element, for keyboard and screen-reader users.
#[component]
pub fn SkipLink() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">
            {t!(i18n, nav.skip)}
        </a>
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let name = programme().map(|p| p.name).unwrap_or_default();
    // On phones the navigation is folded behind the menu button from the first paint when the
    // browser runs scripts (CSS `scripting: enabled`), so nothing moves when the WASM takes
    // over; the button answers from then on. Without scripts the navigation simply stays
    // open and the button hidden (`scripting: none`). The button and the language switch are
    // islands: the pages served as islands hydrate them and nothing else of the header.
    view! {
        <header class="site-header">
            <div class="header-bar">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">
                        "◆"
                    </span>
                    {name}
                </a>
                <MenuToggle label=t_string!(i18n, nav.menu).to_string() />
            </div>
            <nav
                id="site-nav"
                class="site-nav"
                aria-label=move || t_string!(i18n, nav.main_navigation).to_string()
            >
                <ul class="nav-links">
                    <li>
                        <A href="/" exact=true>
                            {t!(i18n, nav.home)}
                        </A>
                    </li>
                    <li>
                        <A href="/catalogue">{t!(i18n, nav.catalogue)}</A>
                    </li>
                    <li>
                        <A href="/help">{t!(i18n, nav.help)}</A>
                    </li>
                    <AccountNav />
                </ul>
                <LanguageSwitch
                    current=i18n.get_locale_untracked()
                    label=t_string!(i18n, nav.language).to_string()
                />
            </nav>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    let info = programme().map(|p| {
        let mailto = format!("mailto:{}", p.support_email);
        view! {
            <p class="footer-name">{p.legal_name.clone()}</p>
            <p>{p.postal_address.clone()} " · " {p.enterprise_number.clone()}</p>
            <p>
                {t!(i18n, footer.contact)} ": "
                <a href=mailto>{p.support_email.clone()}</a>
            </p>
            <p>{t!(i18n, footer.bank)} ": " {p.iban.clone()} " · BIC " {p.bic.clone()}</p>
        }
    });
    view! {
        <footer class="site-footer">
            {info}
            <p>
                <a href="/help">{t!(i18n, nav.help)}</a>
                " · "
                <a href="/partners/verify">{t!(i18n, footer.partners)}</a>
            </p>
            <p class="footer-legal">
                <a href="/contact">{t!(i18n, contact.title)}</a>
                " · "
                <a href="/terms">{t!(i18n, legal.terms_title)}</a>
                " · "
                <a href="/privacy">{t!(i18n, legal.privacy_title)}</a>
            </p>
        </footer>
    }
}
