//! "Gestion du catalogue" (`/admin/catalogue` and `/admin/catalogue/:slug`): admin staff edit
//! products, partners and Microsoft families. The server refuses agents; this page then shows
//! that refusal.

use crate::catalog::admin_api::{SaveFamily, SavePartner, SaveProduct, load_managed_catalogue};
use crate::catalog::model::{
    LicenceType, ManagedCatalogue, ManagedFamily, ManagedPartner, ManagedProduct, OFFERS, ProductKind,
};
use crate::catalog::ui::{kind_label, licence_label};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::forms::{FieldError, FormError, SendButton, action_error, has_error, successes, translated};
use crate::ui::islands::{provide_app_i18n, read_again_on};
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The slug segment that opens an empty form (no product may take it).
pub const NEW_PRODUCT: &str = "new";

/// Admins: the products, partners and families. Served as islands (`ui::islands::MODULES`, in
/// the `catalogue` module): the page reads the catalogue and [`CatalogueAdmin`], one island,
/// shows it and saves partners and families (a product's form is a page of its own).
#[component]
pub fn CatalogueAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let catalogue = Resource::new(|| (), |_| load_managed_catalogue());
    view! {
        <Title text=localized_title(move || t_string!(i18n, catalogue_admin.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, catalogue_admin.title)}</h1>
            <p>{t!(i18n, catalogue_admin.intro)}</p>
            <p>
                <a class="button primary" href="/admin/catalogue/new">
                    {t!(i18n, catalogue_admin.new_product)}
                </a>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    view! { <CatalogueAdmin catalogue=catalogue.await locale=i18n.get_locale() /> }
                })}
            </Suspense>
        </section>
    }
}

/// The products' table and the partners' and families' forms, an island: its props are the
/// catalogue as `load_managed_catalogue` read it and the page's language; it is read again
/// after each save.
#[island]
fn CatalogueAdmin(
    /// The whole catalogue as admins manage it, or why it could not be read.
    catalogue: Result<ManagedCatalogue, AppError>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let save_partner = ServerAction::<SavePartner>::new();
    let save_family = ServerAction::<SaveFamily>::new();
    let partner_saved = successes(save_partner);
    let family_saved = successes(save_family);
    let catalogue = read_again_on(
        catalogue,
        move || partner_saved.get() + family_saved.get(),
        load_managed_catalogue,
    );
    move || match catalogue.get() {
        Ok(ManagedCatalogue {
            products,
            partners,
            families,
        }) => view! {
            <ProductTable products />
            <PartnersSection partners=partners.clone() save=save_partner />
            <FamiliesSection families partners save=save_family />
        }
        .into_any(),
        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
    }
}

#[component]
fn ProductTable(products: Vec<ManagedProduct>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let rows = products
        .into_iter()
        .map(|product| {
            let summary = product.summary;
            let href = format!("/admin/catalogue/{}", summary.slug);
            let (fee, value) = (summary.admin_fee, summary.commercial_value);
            let active = product.active;
            view! {
                <tr class:inactive=!active>
                    <td>
                        <a href=href>{summary.name}</a>
                    </td>
                    <td>{summary.partner_name}</td>
                    <td class="number">{move || fee.format(locale(), false)}</td>
                    <td class="number">{move || value.format(locale(), false)}</td>
                    <td>
                        {move || {
                            if active {
                                t_string!(i18n, catalogue_admin.active).to_string()
                            } else {
                                t_string!(i18n, catalogue_admin.inactive).to_string()
                            }
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section>
            <div class="table-scroll" role="region" tabindex="0" aria-labelledby="products-caption">
                <table class="lines">
                    <caption id="products-caption" class="h2">{t!(i18n, catalogue_admin.products)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, catalogue_admin.name)}</th>
                            <th scope="col">{t!(i18n, catalogue_admin.partner)}</th>
                            <th scope="col" class="number">{t!(i18n, catalogue.admin_fee)}</th>
                            <th scope="col" class="number">{t!(i18n, catalogue.commercial_value)}</th>
                            <th scope="col">{t!(i18n, catalogue_admin.status)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn PartnersSection(partners: Vec<ManagedPartner>, save: ServerAction<SavePartner>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let saved = successes(save);
    let forms = partners
        .into_iter()
        .map(|partner| {
            let prefix = format!("partner-{}", partner.partner_id);
            let (name_id, order_id, active_id) = (
                format!("{prefix}-name"),
                format!("{prefix}-order"),
                format!("{prefix}-active"),
            );
            view! {
                <li class="card">
                    <ActionForm action=save attr:class="inline-form">
                        <input type="hidden" name="partner_id" value=partner.partner_id.clone() />
                        <div class="field">
                            <label for=name_id.clone()>{t!(i18n, catalogue_admin.partner_name)}</label>
                            <input id=name_id name="name" type="text" required maxlength="200" value=partner.name />
                        </div>
                        <div class="field">
                            <label for=order_id.clone()>{t!(i18n, catalogue_admin.sort_order)}</label>
                            <input
                                id=order_id
                                name="sort_order"
                                type="number"
                                min="0"
                                max="1000"
                                inputmode="numeric"
                                value=partner.sort_order.to_string()
                            />
                        </div>
                        <div class="field checkbox">
                            <input id=active_id.clone() name="active" type="checkbox" checked=partner.active />
                            <label for=active_id>{t!(i18n, catalogue_admin.partner_active)}</label>
                        </div>
                        <p class="muted">
                            {move || {
                                t_string!(i18n, catalogue_admin.product_count, count = partner.product_count)
                                    .to_string()
                            }}
                        </p>
                        <button type="submit" class="button secondary" disabled=move || save.pending().get()>
                            {t!(i18n, catalogue_admin.save)}
                        </button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="partners-title">
            <h2 id="partners-title">{t!(i18n, catalogue_admin.partners)}</h2>
            {move || {
                (saved.get() > 0)
                    .then(|| view! { <p class="notice success" role="status">{t!(i18n, catalogue_admin.saved)}</p> })
            }}
            <FormError error />
            <ul class="plain-list">{forms}</ul>
        </section>
    }
}

#[component]
fn FamiliesSection(
    families: Vec<ManagedFamily>,
    partners: Vec<ManagedPartner>,
    save: ServerAction<SaveFamily>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let saved = successes(save);
    let rows = families
        .into_iter()
        .map(|family| {
            let id = format!("family-{}", family.family_id);
            view! {
                <li>
                    <ActionForm action=save attr:class="inline-form">
                        <input type="hidden" name="family_id" value=family.family_id.clone() />
                        <input type="hidden" name="partner_id" value=family.partner_id.clone() />
                        <div class="field">
                            <label for=id.clone()>
                                {t!(i18n, catalogue_admin.family_name)} " (" {family.family_id.clone()} ")"
                            </label>
                            <input id=id name="name" type="text" required maxlength="200" value=family.name />
                        </div>
                        <p class="muted">
                            {move || {
                                t_string!(i18n, catalogue_admin.product_count, count = family.product_count)
                                    .to_string()
                            }}
                        </p>
                        <button type="submit" class="button secondary" disabled=move || save.pending().get()>
                            {t!(i18n, catalogue_admin.rename)}
                        </button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let options = partners
        .into_iter()
        .map(|p| {
            let selected = p.partner_id == "microsoft";
            view! { <option value=p.partner_id selected=selected>{p.name}</option> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="families-title">
            <h2 id="families-title">{t!(i18n, catalogue_admin.families)}</h2>
            <p>{t!(i18n, catalogue_admin.families_intro)}</p>
            {move || {
                (saved.get() > 0)
                    .then(|| view! { <p class="notice success" role="status">{t!(i18n, catalogue_admin.saved)}</p> })
            }}
            <FormError error />
            <ul class="plain-list">{rows}</ul>
            <h3>{t!(i18n, catalogue_admin.new_family)}</h3>
            <ActionForm action=save attr:class="inline-form">
                <input type="hidden" name="family_id" value="" />
                <div class="field">
                    <label for="new-family-partner">{t!(i18n, catalogue_admin.partner)}</label>
                    <select id="new-family-partner" name="partner_id">
                        {options}
                    </select>
                </div>
                <div class="field">
                    <label for="new-family-name">{t!(i18n, catalogue_admin.family_name)}</label>
                    <input
                        id="new-family-name"
                        name="name"
                        type="text"
                        required
                        maxlength="200"
                        aria-describedby="name-error"
                        aria-invalid=has_error(error, "name")
                    />
                    <FieldError field="name" error />
                </div>
                <button type="submit" class="button secondary" disabled=move || save.pending().get()>
                    {t!(i18n, catalogue_admin.add_family)}
                </button>
            </ActionForm>
        </section>
    }
}

/// One product's form; `/admin/catalogue/new` opens an empty one, and an unknown product
/// answers 404. Served as islands (`ui::islands::MODULES`, in the `product` module): the page
/// reads the catalogue and [`ProductEditor`], one island, holds the form.
#[component]
pub fn ProductEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let catalogue = Resource::new(|| (), |_| load_managed_catalogue());
    view! {
        <section class="page">
            <p>
                <a href="/admin/catalogue">{t!(i18n, catalogue_admin.back)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let slug = slug.get();
                    match catalogue.await {
                        Ok(catalogue) => {
                            let product = catalogue.products.iter().find(|p| p.summary.slug == slug).cloned();
                            if slug != NEW_PRODUCT && product.is_none() {
                                crate::error::page_not_found();
                                return view! {
                                    <Title text=localized_title(move || t_string!(i18n, catalogue_admin.title).to_string()) />
                                    <h1>{t!(i18n, catalogue.not_found)}</h1>
                                }
                                    .into_any();
                            }
                            let heading = product.as_ref().map(|p| p.summary.name.clone());
                            view! {
                                <Title text=localized_title(move || {
                                    heading.clone().unwrap_or_else(|| t_string!(i18n, catalogue_admin.new_product).to_string())
                                }) />
                                <ProductEditor product catalogue locale=i18n.get_locale() />
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

/// A product's form, an island: its props are the product (none for a new one), the
/// catalogue its lists come from and the page's language. Once a new product is saved, the
/// browser opens its own address.
#[island]
fn ProductEditor(
    /// The product being edited; `None` on `/admin/catalogue/new`.
    product: Option<ManagedProduct>,
    /// The catalogue, for the partners', families' and offers' lists.
    catalogue: ManagedCatalogue,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_app_i18n(locale);
    let save = ServerAction::<SaveProduct>::new();
    let creating = product.is_none();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get()
            && creating
        {
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href(&format!("/admin/catalogue/{saved}"));
            #[cfg(not(feature = "hydrate"))]
            let _ = saved;
        }
    });
    view! { <ProductForm product catalogue save /> }
}

/// A text input, number or text area of the product form, with its label and error line.
#[component]
fn Field(
    key: &'static str,
    #[prop(into)] label: Signal<String>,
    value: String,
    error: Signal<Option<AppError>>,
    #[prop(optional)] area: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let name = format!("form[{key}]");
    let id = format!("product-{key}");
    let error_id = format!("product-{key}-error");
    let described = match hint {
        Some(hint) => format!("{hint} {error_id}"),
        None => error_id.clone(),
    };
    let invalid = invalid(error, name.clone());
    let input = if area {
        view! {
            <textarea id=id.clone() name=name.clone() rows="4" aria-describedby=described aria-invalid=invalid>
                {value}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name.clone() type="text" value=value aria-describedby=described aria-invalid=invalid />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            <FieldError field=name error id=error_id />
        </div>
    }
}

/// `aria-invalid` for the field `name`, from the last save's error.
fn invalid(error: Signal<Option<AppError>>, name: String) -> impl Fn() -> &'static str {
    move || {
        if error.with(|e| e.as_ref().is_some_and(|e| !e.field_messages(&name).is_empty())) {
            "true"
        } else {
            "false"
        }
    }
}

#[component]
fn ProductForm(
    product: Option<ManagedProduct>,
    catalogue: ManagedCatalogue,
    save: ServerAction<SaveProduct>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let saved = successes(save);
    let creating = product.is_none();
    let original_slug = product.as_ref().map(|p| p.summary.slug.clone()).unwrap_or_default();
    let title = product.as_ref().map(|p| p.summary.name.clone());
    let p = product.as_ref().map(|p| p.summary.clone());
    let p = p.as_ref();
    let text = |f: fn(&crate::catalog::model::ProductSummary) -> String| p.map(f).unwrap_or_default();
    let name = text(|p| p.name.clone());
    let descriptions = [
        text(|p| p.description.fr.clone()),
        text(|p| p.description.nl.clone()),
        text(|p| p.description.en.clone()),
    ];
    let conditions = [
        text(|p| p.conditions.fr.clone()),
        text(|p| p.conditions.nl.clone()),
        text(|p| p.conditions.en.clone()),
    ];
    let partner_id = text(|p| p.partner_id.clone());
    let kind = p.map(|p| p.kind);
    let family_id = product.as_ref().and_then(|p| p.family_id.clone()).unwrap_or_default();
    let licence = p.and_then(|p| p.licence_type);
    let offer = text(|p| p.offer.clone());
    let euros = |cents: i64| format!("{},{:02}", cents / 100, cents % 100);
    let fee = p.map(|p| euros(p.admin_fee.cents())).unwrap_or_default();
    let value = p.map(|p| euros(p.commercial_value.cents())).unwrap_or_default();
    let active = product.as_ref().is_none_or(|p| p.active);
    let never_refunded = product.as_ref().is_some_and(|p| !p.refundable);
    let sa = p.is_some_and(|p| p.software_assurance);
    let label = move |key: &'static str| {
        Signal::derive(move || {
            match key {
                "slug" => t_string!(i18n, catalogue_admin.slug),
                "name" => t_string!(i18n, catalogue_admin.name),
                "admin_fee" => t_string!(i18n, catalogue_admin.admin_fee_euros),
                "commercial_value" => t_string!(i18n, catalogue_admin.commercial_value_euros),
                "description_fr" => t_string!(i18n, catalogue_admin.description_fr),
                "description_nl" => t_string!(i18n, catalogue_admin.description_nl),
                "description_en" => t_string!(i18n, catalogue_admin.description_en),
                "conditions_fr" => t_string!(i18n, catalogue_admin.conditions_fr),
                "conditions_nl" => t_string!(i18n, catalogue_admin.conditions_nl),
                _ => t_string!(i18n, catalogue_admin.conditions_en),
            }
            .to_string()
        })
    };
    let select = move |key: &'static str, options: Vec<(String, String)>, selected: String| {
        let name = format!("form[{key}]");
        let id = format!("product-{key}");
        let options = options
            .into_iter()
            .map(|(value, text)| {
                let is = value == selected;
                view! { <option value=value selected=is>{text}</option> }
            })
            .collect_view();
        view! {
            <select id=id.clone() name=name.clone() aria-describedby=format!("{id}-error") aria-invalid=invalid(error, name.clone())>
                {options}
            </select>
            <FieldError field=name error id=format!("{id}-error") />
        }
    };
    let partner_options: Vec<(String, String)> = catalogue
        .partners
        .iter()
        .map(|p| (p.partner_id.clone(), p.name.clone()))
        .collect();
    let kinds = [
        ProductKind::SoftwareLicence,
        ProductKind::Subscription,
        ProductKind::CloudCredit,
        ProductKind::Hardware,
        ProductKind::ValidationOnly,
    ];
    let kind_options: Vec<(String, String)> = kinds
        .iter()
        .map(|k| (k.as_str().to_owned(), kind_label(i18n, *k)))
        .collect();
    let mut family_options = vec![(String::new(), t_string!(i18n, catalogue_admin.none).to_string())];
    family_options.extend(
        catalogue
            .families
            .iter()
            .map(|f| (f.family_id.clone(), format!("{} ({})", f.name, f.partner_id))),
    );
    let mut licence_options = vec![(String::new(), t_string!(i18n, catalogue_admin.none).to_string())];
    licence_options.extend(
        [
            LicenceType::Desktop,
            LicenceType::CoreServer,
            LicenceType::NonCoreServer,
        ]
        .iter()
        .map(|l| (l.as_str().to_owned(), licence_label(i18n, *l))),
    );
    let offer_options: Vec<(String, String)> = OFFERS.iter().map(|o| ((*o).to_owned(), (*o).to_owned())).collect();
    view! {
        <h1>{title.unwrap_or_else(|| t_string!(i18n, catalogue_admin.new_product).to_string())}</h1>
        {move || {
            (saved.get() > 0)
                .then(|| view! { <p class="notice success" role="status">{t!(i18n, catalogue_admin.saved)}</p> })
        }}
        <ActionForm action=save attr:class="product-form">
            <input type="hidden" name="original_slug" value=original_slug.clone() />
            <FormError error />
            {if creating {
                view! {
                    <Field key="slug" label=label("slug") value=String::new() error hint="product-slug-hint" />
                    <p class="hint" id="product-slug-hint">{t!(i18n, catalogue_admin.slug_hint)}</p>
                }
                    .into_any()
            } else {
                view! {
                    <p>
                        {t!(i18n, catalogue_admin.slug)} ": " <code>{original_slug.clone()}</code> " — "
                        <a href=format!("/catalogue/{original_slug}")>{t!(i18n, catalogue_admin.view_public)}</a>
                    </p>
                }
                    .into_any()
            }}
            <Field key="name" label=label("name") value=name error />
            <div class="field">
                <label for="product-partner_id">{t!(i18n, catalogue_admin.partner)}</label>
                {select("partner_id", partner_options, partner_id)}
            </div>
            <div class="field">
                <label for="product-kind">{t!(i18n, catalogue_admin.kind)}</label>
                {select("kind", kind_options, kind.map(|k| k.as_str().to_owned()).unwrap_or_default())}
            </div>
            <div class="field">
                <label for="product-family_id">{t!(i18n, catalogue.family)}</label>
                {select("family_id", family_options, family_id)}
            </div>
            <div class="field">
                <label for="product-licence_type">{t!(i18n, catalogue.licence_type)}</label>
                {select("licence_type", licence_options, licence.map(|l| l.as_str().to_owned()).unwrap_or_default())}
            </div>
            <div class="field checkbox">
                <input id="product-sa" name="form[software_assurance]" type="checkbox" checked=sa />
                <label for="product-sa">"Software Assurance"</label>
            </div>
            <div class="field">
                <label for="product-offer">{t!(i18n, catalogue_admin.offer)}</label>
                {select("offer", offer_options, if offer.is_empty() { "standard".to_owned() } else { offer })}
            </div>
            <Field key="admin_fee" label=label("admin_fee") value=fee error />
            <Field key="commercial_value" label=label("commercial_value") value=value error />
            <Field key="description_fr" label=label("description_fr") value=descriptions[0].clone() error area=true />
            <Field key="description_nl" label=label("description_nl") value=descriptions[1].clone() error area=true />
            <Field key="description_en" label=label("description_en") value=descriptions[2].clone() error area=true />
            <Field key="conditions_fr" label=label("conditions_fr") value=conditions[0].clone() error area=true />
            <Field key="conditions_nl" label=label("conditions_nl") value=conditions[1].clone() error area=true />
            <Field key="conditions_en" label=label("conditions_en") value=conditions[2].clone() error area=true />
            <div class="field checkbox">
                <input id="product-active" name="form[active]" type="checkbox" checked=active aria-describedby="product-active-hint" />
                <label for="product-active">{t!(i18n, catalogue_admin.product_active)}</label>
            </div>
            <p class="hint" id="product-active-hint">{t!(i18n, catalogue_admin.active_hint)}</p>
            <div class="field checkbox">
                <input
                    id="product-never-refunded"
                    name="form[never_refunded]"
                    type="checkbox"
                    checked=never_refunded
                    aria-describedby="product-never-refunded-hint"
                />
                <label for="product-never-refunded">{t!(i18n, catalogue_admin.never_refunded)}</label>
            </div>
            <p class="hint" id="product-never-refunded-hint">{t!(i18n, catalogue_admin.never_refunded_hint)}</p>
            <SendButton pending=save.pending() label=translated(i18n, |i| t_string!(i, catalogue_admin.save).to_string()) />
        </ActionForm>
    }
}
