//! The public catalogue page and a product's own page.

use crate::cart::api::AddToCart;
use crate::catalog::api::{catalogue_viewer, list_catalogue, product_by_slug};
use crate::catalog::model::{CatalogueProduct, LicenceType, ProductKind, Viewer};
use crate::catalog::rules::{CatalogueFilter, MAX_QUERY_CHARS, SearchQuery};
use crate::i18n::*;
use crate::ui::forms::{FormError, action_error};
use crate::ui::islands::{current_locale, provide_island_locale};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The catalogue, filtered by the address (`/catalogue?q=…&partner=…&kind=…`). A page served as
/// islands (`ui::islands`): the server renders the filters' form and every product, those the
/// filters leave out `hidden`, so the form ("Filtrer", a GET) works without WASM. With it,
/// the island [`CatalogueFilters`] follows the form's fields, shows and hides the server's
/// cards as the visitor types or picks, and the address follows, so a shared link shows the
/// same selection.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    // The texts come in the visitor's language only.
    let products = Resource::new(
        move || domain::Lang::from(i18n.get_locale()),
        |lang| async move {
            Ok::<_, crate::error::AppError>((list_catalogue(lang.code().to_owned()).await?, catalogue_viewer().await?))
        },
    );
    let query = use_query_map();
    let filter = move || {
        query.with_untracked(|q| CatalogueFilter::from_params(q.get_str("q"), q.get_str("partner"), q.get_str("kind")))
    };

    view! {
        <Title text=localized_title(move || t_string!(i18n, catalogue.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, catalogue.title)}</h1>
            <p class="lead">{t!(i18n, catalogue.intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match products.await {
                        Ok((list, _)) if list.is_empty() => {
                            view! { <p class="empty">{t!(i18n, catalogue.empty)}</p> }.into_any()
                        }
                        Ok((list, viewer)) => {
                            let filter = filter();
                            let partners = partners_of(&list);
                            let shown = shown_products(&list, &filter, &partners, i18n);
                            let count = shown.iter().filter(|shown| **shown).count();
                            view! {
                                <FilterForm filter partners />
                                <CatalogueFilters count locale=i18n.get_locale_untracked() />
                                <ProductList products=list shown viewer />
                            }
                                .into_any()
                        }
                        Err(_) => view! { <p role="alert">{t!(i18n, common.error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The filters' form, as the address sets them: a GET to the catalogue ("Filtrer"). The
/// island [`CatalogueFilters`] reads its fields by their ids.
#[component]
fn FilterForm(filter: CatalogueFilter, partners: Vec<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" action="/catalogue" class="catalogue-filters" id="catalogue-filters">
            <div class="search">
                <label for="catalogue-search">{t!(i18n, catalogue.search_label)}</label>
                <input
                    id="catalogue-search"
                    name="q"
                    type="search"
                    autocomplete="off"
                    maxlength=MAX_QUERY_CHARS
                    placeholder=move || t_string!(i18n, catalogue.search_placeholder).to_string()
                    value=filter.q
                />
            </div>
            <div class="filters">
                <div class="field">
                    <label for="filter-partner">{t!(i18n, catalogue.filter_partner)}</label>
                    <select id="filter-partner" name="partner">
                        <option value="">{t!(i18n, catalogue.all)}</option>
                        {partners
                            .into_iter()
                            .map(|(id, name)| {
                                let selected = id == filter.partner;
                                view! {
                                    <option value=id selected=selected>
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-kind">{t!(i18n, catalogue.filter_kind)}</label>
                    <select id="filter-kind" name="kind">
                        <option value="">{t!(i18n, catalogue.all)}</option>
                        {KINDS
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.as_str() selected=filter.kind == Some(k)>
                                        {move || kind_label(i18n, k)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <p class="filter-submit">
                <button type="submit" class="button secondary">{t!(i18n, catalogue.filter_submit)}</button>
            </p>
        </form>
    }
}

/// Every partner with a product in `list`, as (id, name), in catalogue order.
fn partners_of(list: &[CatalogueProduct]) -> Vec<(String, String)> {
    let mut partners: Vec<(String, String)> = Vec::new();
    for p in list {
        if !partners.iter().any(|(id, _)| *id == p.partner_id) {
            partners.push((p.partner_id.clone(), p.partner_name.clone()));
        }
    }
    partners
}

/// The filters as they apply: the search folded once, a partner only when the catalogue lists
/// it (one it does not list filters nothing, as its select shows "Tous"), the kind.
struct AppliedFilter<'a> {
    search: SearchQuery,
    partner: Option<&'a str>,
    kind: Option<ProductKind>,
}

impl<'a> AppliedFilter<'a> {
    fn new(filter: &'a CatalogueFilter, partners: &[(String, String)]) -> Self {
        Self {
            search: SearchQuery::new(&filter.q),
            partner: Some(filter.partner.as_str())
                .filter(|id| !id.is_empty() && partners.iter().any(|(listed, _)| listed == id)),
            kind: filter.kind,
        }
    }

    /// Whether a product of `partner` and `kind` passes; `fields` are the texts the search
    /// reads (name, partner, family, kind, description), asked for only when there is a search.
    fn passes<'f>(&self, partner: &str, kind: &str, fields: impl FnOnce() -> Vec<&'f str>) -> bool {
        self.partner.is_none_or(|id| id == partner)
            && self.kind.is_none_or(|k| k.as_str() == kind)
            && (self.search.is_empty() || self.search.matches(&fields()))
    }
}

/// For each product of `list`, whether the filters show it (the server's half of the
/// filtering; the island's is [`show_matching_cards`], over the same texts).
fn shown_products(
    list: &[CatalogueProduct],
    filter: &CatalogueFilter,
    partners: &[(String, String)],
    i18n: leptos_i18n::I18nContext<Locale>,
) -> Vec<bool> {
    let applied = AppliedFilter::new(filter, partners);
    list.iter()
        .map(|p| {
            let kind = kind_label(i18n, p.kind);
            applied.passes(&p.partner_id, p.kind.as_str(), || {
                vec![
                    &p.name,
                    &p.partner_name,
                    p.family_name.as_deref().unwrap_or(""),
                    &kind,
                    &p.description,
                ]
            })
        })
        .collect()
}

/// Shows the server's product cards that pass `filter` and hides the others (and a partner's
/// group with none shown); returns how many are shown. A card carries its partner and kind in
/// `data-partner` and `data-kind`, and marks the texts the search reads with `data-search`;
/// the partner's name is its group's heading.
#[cfg(feature = "hydrate")]
fn show_matching_cards(filter: &CatalogueFilter) -> usize {
    use web_sys::wasm_bindgen::JsCast;
    fn elements(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
        let Ok(list) = root.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i).and_then(|node| node.dyn_into().ok()))
            .collect()
    }
    // The partner comes from the select, which lists only the catalogue's partners.
    let listed = [(filter.partner.clone(), String::new())];
    let applied = AppliedFilter::new(filter, &listed);
    let Some(root) = document().document_element() else {
        return 0;
    };
    let mut count = 0;
    for group in elements(&root, ".partner-group") {
        let partner_name = elements(&group, "h2")
            .first()
            .and_then(|h| h.text_content())
            .unwrap_or_default();
        let mut shown_here = 0;
        for card in elements(&group, ".product-card") {
            let texts: Vec<String> = elements(&card, "[data-search]")
                .iter()
                .filter_map(|element| element.text_content())
                .collect();
            let shown = applied.passes(
                &card.get_attribute("data-partner").unwrap_or_default(),
                &card.get_attribute("data-kind").unwrap_or_default(),
                || {
                    texts
                        .iter()
                        .map(String::as_str)
                        .chain([partner_name.as_str()])
                        .collect()
                },
            );
            let _ = card.toggle_attribute_with_force("hidden", !shown);
            shown_here += usize::from(shown);
        }
        let _ = group.toggle_attribute_with_force("hidden", shown_here == 0);
        count += shown_here;
    }
    count
}

/// The count of what the catalogue's filters show, and the island that applies them (see
/// [`CataloguePage`]): it follows the server's form (`#catalogue-filters`) by its fields' ids,
/// as the visitor types or picks, keeps the form from being sent (the list already shows
/// the filters), and replaces the address rather than pushing it, so typing adds no history
/// entries. The form itself is the server's: it needs no code in the browser.
#[island]
fn CatalogueFilters(
    /// How many products the server shows for the address' filters.
    count: usize,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_island_locale(locale);
    let locale = current_locale();
    let (count, set_count) = signal(count);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| follow_filter_form(set_count));
    #[cfg(not(feature = "hydrate"))]
    let _ = set_count;
    view! {
        <p class="result-count" role="status" aria-live="polite">
            {move || td_string!(locale(), catalogue.results, count = count.get()).to_string()}
        </p>
        <p class="empty" hidden=move || count.get() != 0>
            {move || td_string!(locale(), catalogue.no_results)}
        </p>
    }
}

/// Listens to the filters' form: each change shows the matching cards, counts them into
/// `count`, and puts the filters in the address.
#[cfg(feature = "hydrate")]
fn follow_filter_form(count: WriteSignal<usize>) {
    use web_sys::wasm_bindgen::{JsCast, closure::Closure};
    let document = document();
    let Some(form) = document.get_element_by_id("catalogue-filters") else {
        return;
    };
    let value = move |id: &str| {
        leptos::prelude::document()
            .get_element_by_id(id)
            .and_then(|element| field_value(&element))
            .unwrap_or_default()
    };
    let apply_filters = move || {
        let filter = CatalogueFilter::from_params(
            Some(&value("catalogue-search")),
            Some(&value("filter-partner")),
            Some(&value("filter-kind")),
        );
        count.set(show_matching_cards(&filter));
        if let Ok(history) = window().history() {
            let address = format!("/catalogue{}", filter.query_string());
            let _ = history.replace_state_with_url(&web_sys::wasm_bindgen::JsValue::NULL, "", Some(&address));
        }
    };
    let apply = Closure::<dyn Fn()>::new(apply_filters);
    let stay = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| ev.prevent_default());
    for (event, handler) in [
        ("input", apply.as_ref()),
        ("change", apply.as_ref()),
        ("submit", stay.as_ref()),
    ] {
        let _ = form.add_event_listener_with_callback(event, handler.unchecked_ref());
    }
    // What the fields hold before the island starts (text typed while the module loaded, a
    // choice the browser restored on "back") is applied now, not at the next keystroke.
    apply_filters();
    // The page's form lives as long as the page: so do its listeners.
    apply.forget();
    stay.forget();
}

/// The current value of an `<input>` or `<select>`.
#[cfg(feature = "hydrate")]
fn field_value(element: &web_sys::Element) -> Option<String> {
    use web_sys::wasm_bindgen::JsCast;
    match element.dyn_ref::<web_sys::HtmlInputElement>() {
        Some(input) => Some(input.value()),
        None => element
            .dyn_ref::<web_sys::HtmlSelectElement>()
            .map(web_sys::HtmlSelectElement::value),
    }
}

const KINDS: [ProductKind; 5] = [
    ProductKind::SoftwareLicence,
    ProductKind::Subscription,
    ProductKind::CloudCredit,
    ProductKind::Hardware,
    ProductKind::ValidationOnly,
];

/// Every product, grouped by partner, those the filters leave out (`shown` false) and a group
/// with none shown `hidden`: [`CatalogueFilters`] shows them again as the filters change.
#[component]
fn ProductList(products: Vec<CatalogueProduct>, shown: Vec<bool>, viewer: Viewer) -> impl IntoView {
    let mut groups: Vec<(String, Vec<(CatalogueProduct, bool)>)> = Vec::new();
    for (product, shown) in products.into_iter().zip(shown) {
        match groups.last_mut() {
            Some((partner, items)) if *partner == product.partner_name => items.push((product, shown)),
            _ => groups.push((product.partner_name.clone(), vec![(product, shown)])),
        }
    }
    groups
        .into_iter()
        .map(|(partner, items)| {
            let none_shown = !items.iter().any(|(_, shown)| *shown);
            view! {
                <section class="partner-group" hidden=none_shown>
                    <h2>{partner}</h2>
                    <ul class="product-grid">
                        {items
                            .into_iter()
                            .map(|(product, shown)| view! { <ProductCard product viewer=viewer.clone() hidden=!shown /> })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
}

#[component]
fn ProductCard(product: CatalogueProduct, viewer: Viewer, hidden: bool) -> impl IntoView {
    let i18n = use_i18n();
    let kind = product.kind;
    let licence = product.licence_type;
    let saving = product.saving();
    let validation_only = kind == ProductKind::ValidationOnly;
    let product_for_box = product.clone();
    view! {
        // `data-partner`, `data-kind` and the `data-search` texts are what the filters' island
        // reads (`show_matching_cards`).
        <li
            class="product-card"
            data-slug=product.slug.clone()
            data-partner=product.partner_id.clone()
            data-kind=kind.as_str()
            hidden=hidden
        >
            <h3 data-search="">
                <a href=format!("/catalogue/{}", product.slug)>{product.name.clone()}</a>
            </h3>
            <p class="tags">
                <span class="tag" data-search="">{move || kind_label(i18n, kind)}</span>
                {product.family_name.clone().map(|f| view! { <span class="tag" data-search="">{f}</span> })}
                {licence.map(|l| view! { <span class="tag">{move || licence_label(i18n, l)}</span> })}
                {product
                    .software_assurance
                    .then(|| view! { <span class="tag">{t!(i18n, catalogue.software_assurance)}</span> })}
            </p>
            <p class="description" data-search="">{product.description.clone()}</p>
            {if validation_only {
                view! { <p class="note">{t!(i18n, catalogue.validation_only)}</p> }.into_any()
            } else {
                view! {
                    <dl class="prices">
                        <div>
                            <dt>{t!(i18n, catalogue.admin_fee)}</dt>
                            <dd>{move || product.admin_fee.format(i18n.get_locale(), false)}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, catalogue.commercial_value)}</dt>
                            <dd>{move || product.commercial_value.format(i18n.get_locale(), false)}</dd>
                        </div>
                        <div class="saving">
                            <dt>{t!(i18n, catalogue.saving)}</dt>
                            <dd>{move || saving.format(i18n.get_locale(), false)}</dd>
                        </div>
                    </dl>
                }
                    .into_any()
            }}
            <OrderBox product=product_for_box viewer />
        </li>
    }
}

pub(crate) fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: ProductKind) -> String {
    match kind {
        ProductKind::SoftwareLicence => t_string!(i18n, catalogue.kind_software_licence).to_string(),
        ProductKind::Subscription => t_string!(i18n, catalogue.kind_subscription).to_string(),
        ProductKind::CloudCredit => t_string!(i18n, catalogue.kind_cloud_credit).to_string(),
        ProductKind::Hardware => t_string!(i18n, catalogue.kind_hardware).to_string(),
        ProductKind::ValidationOnly => t_string!(i18n, catalogue.kind_validation_only).to_string(),
    }
}

pub(crate) fn licence_label(i18n: leptos_i18n::I18nContext<Locale>, licence: LicenceType) -> String {
    match licence {
        LicenceType::Desktop => t_string!(i18n, catalogue.licence_desktop).to_string(),
        LicenceType::CoreServer => t_string!(i18n, catalogue.licence_core_server).to_string(),
        LicenceType::NonCoreServer => t_string!(i18n, catalogue.licence_non_core_server).to_string(),
    }
}

/// "Ajouter au panier" with a quantity, or why this viewer cannot add the product.
#[component]
fn OrderBox(product: CatalogueProduct, viewer: Viewer) -> impl IntoView {
    let i18n = use_i18n();
    if product.kind == ProductKind::ValidationOnly {
        // Nothing to order: the organisation acquires it from the partner with a validation
        // token ("jeton de validation"), made in its account.
        return match viewer {
            Viewer::Staff => ().into_any(),
            Viewer::Anonymous => view! {
                <p class="order-reason">
                    <a href="/login">{t!(i18n, catalogue.login_for_token)}</a>
                </p>
            }
            .into_any(),
            Viewer::Member { .. } => view! {
                <p class="order-reason">
                    <a class="button primary" href="/account/tokens" data-testid="to-tokens">
                        {t!(i18n, catalogue.to_tokens)}
                    </a>
                </p>
            }
            .into_any(),
        };
    }
    let partner = product.partner_name.clone();
    match viewer {
        Viewer::Anonymous => view! {
            <p class="order-reason">
                <a href="/login">{t!(i18n, catalogue.login_to_order)}</a>
            </p>
        }
        .into_any(),
        Viewer::Staff => ().into_any(),
        Viewer::Member { qualified } if !qualified.contains(&product.partner_id) => view! {
            <p class="order-reason" role="note">
                {move || t_string!(i18n, catalogue.not_qualified, partner = partner.clone())}
            </p>
        }
        .into_any(),
        Viewer::Member { .. } => {
            view! { <AddToCartForm slug=product.slug.clone() locale=i18n.get_locale_untracked() /> }.into_any()
        }
    }
}

/// "Ajouter au panier" with its quantity: an island, so that a product's page, served as
/// islands (`ui::islands`), answers the tap without the whole app's module.
#[island]
fn AddToCartForm(
    /// The product's slug.
    slug: String,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_island_locale(locale);
    let locale = current_locale();
    let add = ServerAction::<AddToCart>::new();
    let error = action_error(add);
    let input_id = format!("quantity-{slug}");
    let (quantity, set_quantity) = signal(String::from("1"));
    let added = move || matches!(add.value().get(), Some(Ok(())));
    view! {
        <form
            class="add-to-cart"
            on:submit=move |ev| {
                ev.prevent_default();
                let quantity = quantity.get_untracked().trim().parse().unwrap_or(0);
                add.dispatch(AddToCart { slug: slug.clone(), quantity });
            }
        >
            <label for=input_id.clone()>{move || td_string!(locale(), cart.quantity)}</label>
            <input
                id=input_id
                type="number"
                inputmode="numeric"
                min="1"
                max="999"
                prop:value=quantity
                on:input=move |ev| set_quantity.set(event_target_value(&ev))
            />
            <button type="submit" class="button" disabled=move || add.pending().get()>
                {move || td_string!(locale(), catalogue.add_to_cart)}
            </button>
        </form>
        <FormError error />
        <Show when=added>
            <p class="notice success" role="status">
                {move || td_string!(locale(), catalogue.added)}
                " "
                <a href="/cart">{move || td_string!(locale(), catalogue.view_cart)}</a>
            </p>
        </Show>
    }
}

/// A product's own page: every detail, its partner's conditions and what ordering requires.
#[component]
pub fn ProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // One product, in the visitor's language; switching language fetches it again.
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                domain::Lang::from(i18n.get_locale()),
            )
        },
        |(slug, lang)| async move {
            let product = product_by_slug(slug, lang.code().to_owned()).await?;
            let viewer = catalogue_viewer().await?;
            Ok::<_, crate::error::AppError>((product, viewer))
        },
    );
    view! {
        <section class="page product-page">
            <p>
                <a href="/catalogue">{t!(i18n, catalogue.back)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((Some(product), viewer)) => view! { <ProductDetails product viewer /> }.into_any(),
                        Ok((None, _)) => {
                            // No such product (or no longer offered).
                            crate::error::page_not_found();
                            view! {
                                <Title text=localized_title(move || t_string!(i18n, catalogue.title).to_string()) />
                                <h1>{t!(i18n, catalogue.not_found)}</h1>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProductDetails(product: CatalogueProduct, viewer: Viewer) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let name = product.name.clone();
    let description = product.description.clone();
    let own_conditions = product.conditions.clone();
    let (fee, value, saving) = (product.admin_fee, product.commercial_value, product.saving());
    let kind = product.kind;
    let partner_id = product.partner_id.clone();
    let partner = product.partner_name.clone();
    let requirements = requirements(&product);
    view! {
        <Title text=name.clone() />
        <h1>{name}</h1>
        <p class="muted">{partner.clone()} " — " {move || kind_label(i18n, kind)}</p>
        <p class="description">{description}</p>
        <dl class="facts product-facts">
            {(kind != ProductKind::ValidationOnly)
                .then(|| {
                    view! {
                        <div>
                            <dt>{t!(i18n, catalogue.admin_fee)}</dt>
                            <dd>{move || fee.format(locale(), false)}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, catalogue.commercial_value)}</dt>
                            <dd>{move || value.format(locale(), false)}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, catalogue.saving)}</dt>
                            <dd>{move || saving.format(locale(), false)}</dd>
                        </div>
                    }
                })}
            {product
                .family_name
                .clone()
                .map(|f| view! { <div><dt>{t!(i18n, catalogue.family)}</dt><dd>{f}</dd></div> })}
            {product
                .licence_type
                .map(|l| {
                    view! {
                        <div>
                            <dt>{t!(i18n, catalogue.licence_type)}</dt>
                            <dd>{move || licence_label(i18n, l)}</dd>
                        </div>
                    }
                })}
            {(product.partner_id == "microsoft")
                .then(|| {
                    let sa = product.software_assurance;
                    view! {
                        <div>
                            <dt>"Software Assurance"</dt>
                            <dd>{move || if sa { t_string!(i18n, catalogue.yes) } else { t_string!(i18n, catalogue.no) }}</dd>
                        </div>
                    }
                })}
        </dl>
        <section aria-labelledby="conditions-title">
            <h2 id="conditions-title">{t!(i18n, catalogue.conditions)}</h2>
            {(!own_conditions.is_empty()).then(|| view! { <p data-testid="product-conditions">{own_conditions}</p> })}
            <p>{move || conditions(i18n, &partner_id)}</p>
        </section>
        <section aria-labelledby="requirements-title">
            <h2 id="requirements-title">{t!(i18n, catalogue.requirements)}</h2>
            <ul>
                {requirements
                    .into_iter()
                    .map(|r| {
                        let partner = partner.clone();
                        view! { <li>{move || requirement_text(i18n, r, &partner)}</li> }
                    })
                    .collect_view()}
            </ul>
        </section>
        <OrderBox product viewer />
    }
}

/// What ordering a product requires beyond the cart itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Requirement {
    Qualification,
    AwsAccount,
    NamedUser,
    DiscountCertificate,
    AutodeskWaiver,
    ValidationToken,
}

fn requirements(product: &CatalogueProduct) -> Vec<Requirement> {
    let mut list = vec![Requirement::Qualification];
    match (product.partner_id.as_str(), product.offer.as_str()) {
        (_, _) if product.kind == ProductKind::ValidationOnly => list.push(Requirement::ValidationToken),
        ("aws", _) => list.push(Requirement::AwsAccount),
        (_, "adobe_creative_cloud") => list.push(Requirement::NamedUser),
        (_, "microsoft_discount") => list.push(Requirement::DiscountCertificate),
        ("autodesk", _) => list.push(Requirement::AutodeskWaiver),
        _ => {}
    }
    list
}

fn requirement_text(i18n: leptos_i18n::I18nContext<Locale>, requirement: Requirement, partner: &str) -> String {
    match requirement {
        Requirement::Qualification => t_string!(i18n, catalogue.req_qualification, partner = partner).to_string(),
        Requirement::AwsAccount => t_string!(i18n, catalogue.req_aws).to_string(),
        Requirement::NamedUser => t_string!(i18n, catalogue.req_named_user).to_string(),
        Requirement::DiscountCertificate => t_string!(i18n, catalogue.req_certificate).to_string(),
        Requirement::AutodeskWaiver => t_string!(i18n, catalogue.req_waiver).to_string(),
        Requirement::ValidationToken => t_string!(i18n, catalogue.req_token).to_string(),
    }
}

/// The partner's rules in words (the figures of the demo's rules in force; staff change both
/// together, see issue 8).
fn conditions(i18n: leptos_i18n::I18nContext<Locale>, partner_id: &str) -> String {
    match partner_id {
        "microsoft" => t_string!(i18n, catalogue.cond_microsoft).to_string(),
        "adobe" => t_string!(i18n, catalogue.cond_adobe).to_string(),
        "autodesk" => t_string!(i18n, catalogue.cond_autodesk).to_string(),
        "cisco" => t_string!(i18n, catalogue.cond_cisco).to_string(),
        "zoom" => t_string!(i18n, catalogue.cond_zoom).to_string(),
        "aws" => t_string!(i18n, catalogue.cond_aws).to_string(),
        "hardware" => t_string!(i18n, catalogue.cond_hardware).to_string(),
        _ => t_string!(i18n, catalogue.cond_validation).to_string(),
    }
}
