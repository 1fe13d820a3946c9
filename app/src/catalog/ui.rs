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
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The catalogue, filtered by the address (`/catalogue?q=…&partner=…&kind=…`). Without WASM the
/// filters are a GET form ("Filtrer"); with it they apply as the visitor types or picks, and the
/// address follows, so a shared link shows the same selection.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    // The texts come in the visitor's language only; switching language fetches them again.
    let products = Resource::new(
        move || domain::Lang::from(i18n.get_locale()),
        |lang| async move {
            Ok::<_, crate::error::AppError>((list_catalogue(lang.code().to_owned()).await?, catalogue_viewer().await?))
        },
    );
    let query = use_query_map();
    let address = Memo::new(move |_| {
        query.with(|q| CatalogueFilter::from_params(q.get_str("q"), q.get_str("partner"), q.get_str("kind")))
    });
    let filter = RwSignal::new(address.get_untracked());
    // The address changed by itself (a link to `/catalogue`, back or forward): follow it. After
    // `apply`, it already matches.
    Effect::new(move |_| {
        let wanted = address.get();
        if filter.with_untracked(|f| *f != wanted) {
            filter.set(wanted);
        }
    });
    let navigate = use_navigate();
    // Filters apply at once; the address is replaced, not pushed, so typing adds no history
    // entries, and the page neither scrolls nor re-renders (same route).
    let apply = move |next: CatalogueFilter| {
        let path = format!("/catalogue{}", next.query_string());
        filter.set(next);
        navigate(
            &path,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    };
    let on_partner = {
        let apply = apply.clone();
        move |partner: String| {
            apply(CatalogueFilter {
                partner,
                ..filter.get_untracked()
            })
        }
    };
    let on_kind = apply.clone();
    let initial = filter.get_untracked();

    view! {
        <Title text=localized_title(move || t_string!(i18n, catalogue.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, catalogue.title)}</h1>
            <p class="lead">{t!(i18n, catalogue.intro)}</p>
            // With WASM the submit is kept on the page: the list already shows the filters.
            <form method="get" action="/catalogue" class="catalogue-filters" on:submit=|ev| ev.prevent_default()>
                <div class="search">
                    <label for="catalogue-search">{t!(i18n, catalogue.search_label)}</label>
                    <input
                        id="catalogue-search"
                        name="q"
                        type="search"
                        autocomplete="off"
                        maxlength=MAX_QUERY_CHARS
                        placeholder=move || t_string!(i18n, catalogue.search_placeholder).to_string()
                        value=initial.q
                        prop:value=move || filter.with(|f| f.q.clone())
                        on:input=move |ev| apply(CatalogueFilter { q: event_target_value(&ev), ..filter.get_untracked() })
                    />
                </div>
                <div class="filters">
                    <div class="field">
                        <label for="filter-partner">{t!(i18n, catalogue.filter_partner)}</label>
                        <Suspense fallback=move || view! { <PartnerSelect partners=Vec::new() filter on_change=|_| () /> }>
                            {move || {
                                let on_partner = on_partner.clone();
                                Suspend::new(async move {
                                    let partners = products.await.map(|(list, _)| partners_of(&list)).unwrap_or_default();
                                    view! { <PartnerSelect partners filter on_change=on_partner /> }
                                })
                            }}
                        </Suspense>
                    </div>
                    <div class="field">
                        <label for="filter-kind">{t!(i18n, catalogue.filter_kind)}</label>
                        <select
                            id="filter-kind"
                            name="kind"
                            prop:value=move || filter.with(|f| f.kind.map(ProductKind::as_str).unwrap_or_default())
                            on:change=move |ev| {
                                let kind = ProductKind::parse(&event_target_value(&ev));
                                on_kind(CatalogueFilter { kind, ..filter.get_untracked() })
                            }
                        >
                            <option value="">{t!(i18n, catalogue.all)}</option>
                            {KINDS
                                .into_iter()
                                .map(|k| {
                                    view! {
                                        <option value=k.as_str() selected=move || filter.with(|f| f.kind == Some(k))>
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
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match products.await {
                        Ok((list, _)) if list.is_empty() => {
                            view! { <p class="empty">{t!(i18n, catalogue.empty)}</p> }.into_any()
                        }
                        Ok((list, viewer)) => view! { <ProductList products=list filter viewer /> }.into_any(),
                        Err(_) => view! { <p role="alert">{t!(i18n, common.error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
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

/// The partner filter. Its options come with the catalogue; until then it offers "Tous" only.
#[component]
fn PartnerSelect(
    partners: Vec<(String, String)>,
    filter: RwSignal<CatalogueFilter>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select
            id="filter-partner"
            name="partner"
            prop:value=move || filter.with(|f| f.partner.clone())
            on:change=move |ev| on_change(event_target_value(&ev))
        >
            <option value="">{t!(i18n, catalogue.all)}</option>
            {partners
                .into_iter()
                .map(|(id, name)| {
                    let chosen = id.clone();
                    view! {
                        <option value=id selected=move || filter.with(|f| f.partner == chosen)>
                            {name}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

const KINDS: [ProductKind; 5] = [
    ProductKind::SoftwareLicence,
    ProductKind::Subscription,
    ProductKind::CloudCredit,
    ProductKind::Hardware,
    ProductKind::ValidationOnly,
];

/// The products matching the filter's query (name, partner, family, kind, description; accents
/// and case ignored), partner and kind, grouped by partner. A partner the catalogue does not
/// list filters nothing, as its select shows "Tous".
#[component]
fn ProductList(products: Vec<CatalogueProduct>, filter: RwSignal<CatalogueFilter>, viewer: Viewer) -> impl IntoView {
    let i18n = use_i18n();
    let products = StoredValue::new(products);
    let viewer = StoredValue::new(viewer);
    // The positions of the matching products: the memo compares and stores indices, and
    // each product is cloned once, for its card.
    let visible = Memo::new(move |_| {
        let (search, partner, kind) = filter.with(|f| (SearchQuery::new(&f.q), f.partner.clone(), f.kind));
        products.with_value(|all| {
            let partner = Some(partner).filter(|id| all.iter().any(|p| p.partner_id == *id));
            all.iter()
                .enumerate()
                .filter(|(_, p)| partner.as_ref().is_none_or(|id| p.partner_id == *id))
                .filter(|(_, p)| kind.is_none_or(|k| p.kind == k))
                // `matches` is true for an empty query too; testing it first skips building
                // the fields (the kind's label is a new string) on every server render.
                .filter(|(_, p)| {
                    search.is_empty()
                        || search.matches(&[
                            &p.name,
                            &p.partner_name,
                            p.family_name.as_deref().unwrap_or(""),
                            &kind_label(i18n, p.kind),
                            &p.description,
                        ])
                })
                .map(|(index, _)| index)
                .collect::<Vec<_>>()
        })
    });
    let count = move || visible.with(Vec::len);
    let groups = move || {
        let mut groups: Vec<(String, Vec<CatalogueProduct>)> = Vec::new();
        products.with_value(|all| {
            visible.with(|indices| {
                for product in indices.iter().map(|&i| &all[i]) {
                    match groups.last_mut() {
                        Some((partner, items)) if *partner == product.partner_name => items.push(product.clone()),
                        _ => groups.push((product.partner_name.clone(), vec![product.clone()])),
                    }
                }
            })
        });
        groups
    };

    view! {
        <p class="result-count" role="status" aria-live="polite">
            {t!(i18n, catalogue.results, count = count)}
        </p>
        <Show when=move || count() == 0>
            <p class="empty">{t!(i18n, catalogue.no_results)}</p>
        </Show>
        {move || {
            groups()
                .into_iter()
                .map(|(partner, items)| {
                    view! {
                        <section class="partner-group">
                            <h2>{partner}</h2>
                            <ul class="product-grid">
                                {items
                                    .into_iter()
                                    .map(|p| view! { <ProductCard product=p viewer=viewer.get_value() /> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()
        }}
    }
}

#[component]
fn ProductCard(product: CatalogueProduct, viewer: Viewer) -> impl IntoView {
    let i18n = use_i18n();
    let kind = product.kind;
    let licence = product.licence_type;
    let saving = product.saving();
    let validation_only = kind == ProductKind::ValidationOnly;
    let product_for_box = product.clone();
    view! {
        <li class="product-card" data-slug=product.slug.clone()>
            <h3>
                <a href=format!("/catalogue/{}", product.slug)>{product.name.clone()}</a>
            </h3>
            <p class="tags">
                <span class="tag">{move || kind_label(i18n, kind)}</span>
                {product.family_name.clone().map(|f| view! { <span class="tag">{f}</span> })}
                {licence.map(|l| view! { <span class="tag">{move || licence_label(i18n, l)}</span> })}
                {product
                    .software_assurance
                    .then(|| view! { <span class="tag">{t!(i18n, catalogue.software_assurance)}</span> })}
            </p>
            <p class="description">{product.description.clone()}</p>
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
                        Ok((None, _)) => view! {
                            <Title text=localized_title(move || t_string!(i18n, catalogue.title).to_string()) />
                            <h1>{t!(i18n, catalogue.not_found)}</h1>
                        }
                        .into_any(),
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
