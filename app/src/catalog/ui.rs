//! The public catalogue page.

use crate::catalog::api::list_catalogue;
use crate::catalog::model::{LicenceType, ProductKind, ProductSummary};
use crate::catalog::rules::matches_query;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let products = Resource::new(|| (), |_| list_catalogue());
    let (query, set_query) = signal(String::new());

    view! {
        <Title text=move || t_string!(i18n, catalogue.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, catalogue.title)}</h1>
            <p class="lead">{t!(i18n, catalogue.intro)}</p>
            <div class="search">
                <label for="catalogue-search">{t!(i18n, catalogue.search_label)}</label>
                <input
                    id="catalogue-search"
                    type="search"
                    autocomplete="off"
                    placeholder=move || t_string!(i18n, catalogue.search_placeholder).to_string()
                    prop:value=query
                    on:input=move |ev| set_query.set(event_target_value(&ev))
                />
            </div>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match products.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{t!(i18n, catalogue.empty)}</p> }.into_any()
                        }
                        Ok(list) => view! { <ProductList products=list query /> }.into_any(),
                        Err(_) => view! { <p role="alert">{t!(i18n, common.error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The products matching `query`, grouped by partner.
#[component]
fn ProductList(products: Vec<ProductSummary>, query: ReadSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let products = StoredValue::new(products);
    let visible = Memo::new(move |_| {
        let locale = i18n.get_locale();
        let q = query.get();
        products.with_value(|all| {
            all.iter()
                .filter(|p| {
                    matches_query(
                        &q,
                        &[
                            &p.name,
                            &p.partner_name,
                            p.family_name.as_deref().unwrap_or(""),
                            p.description.get(locale),
                        ],
                    )
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let count = move || visible.with(Vec::len);
    let groups = move || {
        let mut groups: Vec<(String, Vec<ProductSummary>)> = Vec::new();
        for product in visible.get() {
            match groups.last_mut() {
                Some((partner, items)) if *partner == product.partner_name => items.push(product),
                _ => groups.push((product.partner_name.clone(), vec![product])),
            }
        }
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
                                {items.into_iter().map(|p| view! { <ProductCard product=p /> }).collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()
        }}
    }
}

#[component]
fn ProductCard(product: ProductSummary) -> impl IntoView {
    let i18n = use_i18n();
    let kind = product.kind;
    let licence = product.licence_type;
    let description = product.description.clone();
    let saving = product.saving();
    let validation_only = kind == ProductKind::ValidationOnly;
    view! {
        <li class="product-card" data-slug=product.slug.clone()>
            <h3>{product.name.clone()}</h3>
            <p class="tags">
                <span class="tag">{move || kind_label(i18n, kind)}</span>
                {product.family_name.clone().map(|f| view! { <span class="tag">{f}</span> })}
                {licence.map(|l| view! { <span class="tag">{move || licence_label(i18n, l)}</span> })}
                {product
                    .software_assurance
                    .then(|| view! { <span class="tag">{t!(i18n, catalogue.software_assurance)}</span> })}
            </p>
            <p class="description">{move || description.get(i18n.get_locale()).to_owned()}</p>
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
        </li>
    }
}

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: ProductKind) -> String {
    match kind {
        ProductKind::SoftwareLicence => t_string!(i18n, catalogue.kind_software_licence).to_string(),
        ProductKind::Subscription => t_string!(i18n, catalogue.kind_subscription).to_string(),
        ProductKind::CloudCredit => t_string!(i18n, catalogue.kind_cloud_credit).to_string(),
        ProductKind::Hardware => t_string!(i18n, catalogue.kind_hardware).to_string(),
        ProductKind::ValidationOnly => t_string!(i18n, catalogue.kind_validation_only).to_string(),
    }
}

fn licence_label(i18n: leptos_i18n::I18nContext<Locale>, licence: LicenceType) -> String {
    match licence {
        LicenceType::Desktop => t_string!(i18n, catalogue.licence_desktop).to_string(),
        LicenceType::CoreServer => t_string!(i18n, catalogue.licence_core_server).to_string(),
        LicenceType::NonCoreServer => t_string!(i18n, catalogue.licence_non_core_server).to_string(),
    }
}
