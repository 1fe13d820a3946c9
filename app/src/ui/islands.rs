//! Pages served as islands, and the islands of the page furniture.
//!
//! A page is hydrated whole, or served as islands. Hydrated whole, the browser loads the app's
//! module (`frontend`) and takes the server's HTML over: the organisations' own pages (their
//! account, one request, "Mes dons Microsoft", registration…) and the public reading pages.
//! The pages listed in [`ISLAND_PAGES`] and [`MODULES`] load a much smaller module instead (a
//! link of `crates/islands`), which holds only `#[island]` components: the rest of such a page
//! is the server's HTML, links and forms included, and needs no code in the browser. Every
//! staff page is served as islands.
//!
//! An island here takes no children (Leptos does not hydrate an island's children when it
//! hydrates a whole page) and reads no context the whole app provides, except the language,
//! which it takes when it is there and otherwise gets from its props. So each island works in
//! both kinds of page: alone on an island page, and as an ordinary component of the app.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_i18n::Locale as _;

/// The paths whose pages load the storefront's islands' module (`islands`): what they do in
/// the browser is all in islands (the header's; the catalogue's filters; "Ajouter au panier"),
/// the rest is links, `<details>`, GET forms and the login's form, which the server answers
/// with a redirect (`auth::login_form`). The checkout's confirmation ("Demande envoyée",
/// `/checkout/<id>`) is text and links; "Mes demandes" and the staff's "Demandes à traiter"
/// are lists whose filters and pages are addresses (`order::requests_ui::OrderListView`); the
/// staff's dashboard is counters, links and SVG charts; the directory of organisations, the
/// review queue, the outbox, the audit trail and the contact inbox are GET forms and their
/// results' pages. `*` stands for one segment. The pages of [`MODULES`] are served as islands
/// too, each with its module; the others are hydrated whole. The route table gives each page
/// served as islands `ui::app::island_page`.
pub const ISLAND_PAGES: &[&str] = &[
    "/",
    "/help",
    "/catalogue",
    "/catalogue/*",
    "/login",
    "/checkout/*",
    "/requests",
    "/admin",
    "/admin/orders",
    "/admin/organisations",
    "/admin/reviews",
    "/admin/outbox",
    "/admin/audit",
    "/admin/contact",
];

/// A browser module of islands other than the storefront's, for the pages whose one island
/// holds the whole page's work: its name (`/pkg/<name>.<hash>.wasm`), the islands it holds
/// beside the header's (`MenuToggle`, `LanguageSwitch`), and the pages that load it.
/// `scripts/setup.sh` links each (`ISLAND_MODULES`, which a test compares with [`MODULES`]).
#[derive(Debug)]
pub struct IslandModule {
    pub name: &'static str,
    pub islands: &'static [&'static str],
    pub pages: &'static [&'static str],
}

/// The modules of the pages that are one island each, one module per page so that a page
/// loads only its own code: the storefront's pages do not load the cart's, nor a phone on the
/// cart the staff's. One module for all the staff's pages was 408 KB brotli, two of their
/// islands together 327 KB, one alone 200–270 KB (BENCHMARKS.md): an agent's first visit to a
/// page is what is slow, and a page visited again is in the cache.
pub const MODULES: &[IslandModule] = &[
    // The cart ("Panier"): the live allowance meter runs the quota engine, "Vérifier la
    // qualification" and "Continuer" call the server.
    IslandModule {
        name: "cart",
        islands: &["Cart"],
        pages: &["/cart"],
    },
    // One order's processing page (`order::admin_ui::StaffOrder`).
    IslandModule {
        name: "order",
        islands: &["StaffOrder"],
        pages: &["/admin/orders/*"],
    },
    // The payments and the refunds due (`payment::ui::Payments`).
    IslandModule {
        name: "payments",
        islands: &["Payments"],
        pages: &["/admin/payments"],
    },
    // An organisation's page with its review, qualifications and partner documents
    // (`org::ui::review::OrganisationReview`; the rest of that page is the server's HTML).
    IslandModule {
        name: "organisation",
        islands: &["OrganisationReview"],
        pages: &["/admin/organisations/*"],
    },
    // The change requests (`change::ui::ChangeRequests`).
    IslandModule {
        name: "changes",
        islands: &["ChangeRequests"],
        pages: &["/admin/changes"],
    },
    // The "is it registered?" questions (`inquiry::ui::Inquiries`).
    IslandModule {
        name: "inquiries",
        islands: &["Inquiries"],
        pages: &["/admin/inquiries"],
    },
    // One conversation of the contact inbox (`contact::inbox_ui::StaffConversation`).
    IslandModule {
        name: "conversation",
        islands: &["StaffConversation"],
        pages: &["/admin/contact/*"],
    },
    // One partner set for many organisations at once (`org::ui::requalify::Requalify`).
    IslandModule {
        name: "requalify",
        islands: &["Requalify"],
        pages: &["/admin/requalify"],
    },
    // The staff's daily digest settings (`deadline::ui::DigestForm`).
    IslandModule {
        name: "digest",
        islands: &["DigestForm"],
        pages: &["/admin/digest"],
    },
    // The join requests to approve or refuse (`join::ui::JoinRequests`).
    IslandModule {
        name: "joins",
        islands: &["JoinRequests"],
        pages: &["/admin/join-requests"],
    },
    // The partners' API clients (`token::partner_ui::PartnerClients`).
    IslandModule {
        name: "clients",
        islands: &["PartnerClients"],
        pages: &["/admin/partner-clients"],
    },
    // The partners' rules and their versions (`quota::rules_ui::RulesEditor`).
    IslandModule {
        name: "rules",
        islands: &["RulesEditor"],
        pages: &["/admin/rules"],
    },
    // The staff, their roles and scopes (`auth::staff_ui::StaffTeam`).
    IslandModule {
        name: "team",
        islands: &["StaffTeam"],
        pages: &["/admin/staff"],
    },
    // The catalogue's products, partners and families (`catalog::admin_ui::CatalogueAdmin`).
    IslandModule {
        name: "catalogue",
        islands: &["CatalogueAdmin"],
        pages: &["/admin/catalogue"],
    },
    // The help centre's questions in three languages (`help::ui::HelpEditor`).
    IslandModule {
        name: "helpdesk",
        islands: &["HelpEditor"],
        pages: &["/admin/help"],
    },
    // The legal pages' texts, one island per page and language
    // (`legal::ui::LegalTextForm`).
    IslandModule {
        name: "legal",
        islands: &["LegalTextForm"],
        pages: &["/admin/legal"],
    },
    // A person found and erased (`privacy::ui::PeopleFound`).
    IslandModule {
        name: "erasure",
        islands: &["PeopleFound"],
        pages: &["/admin/privacy"],
    },
    // Organisations registered from a CSV (`org::ui::import::CsvImport`); the migration's
    // upload is a plain form.
    IslandModule {
        name: "imports",
        islands: &["CsvImport"],
        pages: &["/admin/import"],
    },
    // "Importer" under a migration's dry run (`migration::ui::ImportRun`); its report is the
    // server's HTML.
    IslandModule {
        name: "migration",
        islands: &["ImportRun"],
        pages: &["/admin/import/migration/*"],
    },
    // One product's form (`catalog::admin_ui::ProductEditor`).
    IslandModule {
        name: "product",
        islands: &["ProductEditor"],
        pages: &["/admin/catalogue/*"],
    },
];

/// The browser module a page loads (`ui::bundle::BundleScripts`), built by `scripts/setup.sh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageModule {
    /// The whole app (`frontend`): the page hydrates whole.
    App,
    /// The storefront's islands' module, of the pages in [`ISLAND_PAGES`]: every island but
    /// those of [`MODULES`].
    Islands,
    /// One of [`MODULES`], by its name.
    Module(&'static str),
}

/// The module the page at `path` (without its query) loads.
pub fn page_module(path: &str) -> PageModule {
    if let Some(module) = MODULES
        .iter()
        .find(|module| module.pages.iter().any(|page| matches(page, path)))
    {
        PageModule::Module(module.name)
    } else if ISLAND_PAGES.iter().any(|page| matches(page, path)) {
        PageModule::Islands
    } else {
        PageModule::App
    }
}

/// Whether the page at `path` (without its query) is served as islands.
pub fn serves_islands(path: &str) -> bool {
    page_module(path) != PageModule::App
}

/// Whether `path` is the page `page` of [`ISLAND_PAGES`] or [`MODULES`] names.
fn matches(page: &str, path: &str) -> bool {
    match page.strip_suffix('*') {
        Some(prefix) => path
            .strip_prefix(prefix)
            .is_some_and(|segment| !segment.is_empty() && !segment.contains('/')),
        None => path == page,
    }
}

/// In the whole app: a click on a link to a page served as islands is left to the browser,
/// which loads that page from the server, rather than to the router, which would render it
/// itself (it cannot: see `ui::app::LoadFromServer`). Listens on the document, so it runs before
/// the router's listener on the window, and keeps the click from reaching it.
#[cfg(feature = "hydrate")]
pub fn follow_links_to_island_pages() {
    use web_sys::wasm_bindgen::{JsCast, closure::Closure};
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.shift_key()
        {
            return;
        }
        let link = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten());
        let Some(link) = link else { return };
        if link.has_attribute("target") || link.has_attribute("download") {
            return;
        }
        // The site's own addresses are written `/path?query#fragment`.
        let href = link.get_attribute("href").unwrap_or_default();
        let path = href.split(['?', '#']).next().unwrap_or_default();
        if path.starts_with('/') && !path.starts_with("//") && serves_islands(path) {
            ev.stop_propagation();
        }
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The whole app lives as long as the page: so does its listener.
    on_click.forget();
}

/// The app's language context when the whole app runs in the browser (or on the server);
/// `None` on an island page in the browser, where only the island's props know the language.
fn app_i18n() -> Option<I18nContext<Locale>> {
    use_context::<I18nContext<Locale>>()
}

/// The language an island on an island page was given (see [`current_locale`]).
#[derive(Clone, Copy)]
struct IslandLocale(Locale);

/// For an island that renders translated text: on an island page, where the app provides no
/// language context, makes `locale` (the page's, from the island's props) the one
/// [`current_locale`] answers inside the island. The texts are then written with
/// `td_string!`: leptos_i18n's own context would bring its cookie code (and the `time`
/// crate) into the islands' module.
pub fn provide_island_locale(locale: Locale) {
    if app_i18n().is_none() {
        provide_context(IslandLocale(locale));
    }
}

/// For an island that renders the app's own components, which read the language with
/// `use_i18n()`: on an island page, where the app provides no language context, provides one
/// set to `locale` (the page's, from the island's props) and never written to a cookie. Unlike
/// [`provide_island_locale`], this brings leptos_i18n's context code into the island's module:
/// for the staff's modules, not the storefront's.
pub fn provide_app_i18n(locale: Locale) {
    if app_i18n().is_none() {
        provide_context(leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(
            Signal::stored(locale),
        )));
    }
}

/// For an island that shows what the server read and acts on it: `initial` (the island's
/// props), read again with `read` each time `version` changes, as a page's resource keyed on
/// it would be; the value shown stays until the new one arrives, and a read overtaken by a
/// later change is dropped. On the server nothing is read again.
pub fn read_again_on<T, Fut>(
    initial: T,
    version: impl Fn() -> usize + Send + Sync + 'static,
    read: impl Fn() -> Fut + Send + Sync + 'static,
) -> ReadSignal<T>
where
    T: Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + 'static,
{
    let (current, set_current) = signal(initial);
    let latest = StoredValue::new(0_usize);
    Effect::new(move |previous: Option<usize>| {
        let now = version();
        if previous.is_some_and(|previous| previous != now) {
            latest.set_value(now);
            let reading = read();
            leptos::task::spawn_local(async move {
                let value = reading.await;
                if latest.get_value() == now {
                    set_current.set(value);
                }
            });
        }
        now
    });
    current
}

/// The page's language, followed as it changes where the whole app runs; on an island page
/// the one given to [`provide_island_locale`], else the default.
pub fn current_locale() -> impl Fn() -> Locale + Copy + Send + Sync + 'static {
    let app = app_i18n();
    let given = use_context::<IslandLocale>().map(|IslandLocale(locale)| locale);
    move || app.map(|i18n| i18n.get_locale()).or(given).unwrap_or_default()
}

/// The header's "Menu" button on phones: folds and unfolds the navigation (`#site-nav`,
/// server-rendered), and folds it again when a link or button in its list is used.
#[island]
pub fn MenuToggle(
    /// "Menu", in the page's language.
    label: String,
) -> impl IntoView {
    let i18n = app_i18n();
    let (open, set_open) = signal(false);
    #[cfg(feature = "hydrate")]
    {
        use web_sys::wasm_bindgen::JsCast;
        Effect::new(move |_| {
            let open = open.get();
            if let Some(nav) = document().get_element_by_id("site-nav") {
                let _ = nav.class_list().toggle_with_force("open", open);
            }
        });
        let handle = window_event_listener(leptos::ev::click, move |ev| {
            let in_list = ev
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .and_then(|element| element.closest("#site-nav .nav-links").ok().flatten())
                .is_some();
            if in_list {
                set_open.set(false);
            }
        });
        on_cleanup(move || handle.remove());
    }
    let label = move || match i18n {
        Some(i18n) => t_string!(i18n, nav.menu).to_string(),
        None => label.clone(),
    };
    view! {
        <button
            type="button"
            class="menu-toggle"
            aria-controls="site-nav"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| set_open.update(|open| *open = !*open)
        >
            {label}
        </button>
    }
}

/// FR / NL / EN. The choice is kept in a cookie, so the server renders the next page in it,
/// and remembered for the person when logged in (next login, any device). In the whole app
/// the page changes language at once; on an island page, whose text is all the server's, the
/// page is loaded again in the new language.
#[island]
pub fn LanguageSwitch(
    /// The language the page was rendered in.
    current: Locale,
    /// The group's accessible name ("Langue"), in that language.
    label: String,
) -> impl IntoView {
    let i18n = app_i18n();
    let shown = move || i18n.map(|i18n| i18n.get_locale()).unwrap_or(current);
    let label = move || match i18n {
        Some(i18n) => t_string!(i18n, nav.language).to_string(),
        None => label.clone(),
    };
    let choose = move |locale: Locale| {
        if let Some(i18n) = i18n {
            i18n.set_locale(locale);
        }
        leptos::task::spawn_local(async move {
            let _ = crate::auth::api::remember_language(locale.as_str().to_owned()).await;
            // On an island page the text is all the server's: it is loaded again.
            #[cfg(feature = "hydrate")]
            if i18n.is_none() {
                reload_in(locale);
            }
        });
    };
    let choices = [
        (Locale::fr, "FR", "Français"),
        (Locale::nl, "NL", "Nederlands"),
        (Locale::en, "EN", "English"),
    ];
    view! {
        <div class="lang-switch" role="group" aria-label=label>
            {choices
                .into_iter()
                .map(|(locale, short, long)| {
                    view! {
                        <button
                            type="button"
                            lang=locale.as_str()
                            aria-label=long
                            aria-pressed=move || (shown() == locale).to_string()
                            on:click=move |_| choose(locale)
                        >
                            {short}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Keeps `locale` in the cookie the server reads the language from (the one leptos_i18n sets
/// in the whole app), then loads the page again.
#[cfg(feature = "hydrate")]
fn reload_in(locale: Locale) {
    use web_sys::wasm_bindgen::JsCast;
    if let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() {
        let cookie = format!(
            "i18n_pref_locale={}; path=/; max-age=31536000; samesite=lax",
            locale.as_str()
        );
        let _ = document.set_cookie(&cookie);
    }
    let _ = window().location().reload();
}

/// The submit button of a GET filter form ("Filtrer"): without JavaScript the visitor presses
/// it; once the island runs, any change of the form's fields sends the form at once, so the
/// list follows each choice as it did when it was filtered in the browser.
#[island]
pub fn FilterButton(
    /// The button's text, in the page's language.
    label: String,
) -> impl IntoView {
    let button = NodeRef::<leptos::html::Button>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use web_sys::wasm_bindgen::{JsCast, closure::Closure};
        let form = button
            .get()
            .and_then(|button| button.closest("form").ok().flatten())
            .and_then(|form| form.dyn_into::<web_sys::HtmlFormElement>().ok());
        let Some(form) = form else { return };
        let send = {
            let form = form.clone();
            Closure::<dyn Fn()>::new(move || {
                let _ = form.request_submit();
            })
        };
        let _ = form.add_event_listener_with_callback("change", send.as_ref().unchecked_ref());
        // The form lives as long as the page: so does its listener.
        send.forget();
    });
    view! {
        <button type="submit" class="button secondary" node_ref=button>
            {label}
        </button>
    }
}
