//! The cart page with the live allowance meter and "Vérifier la qualification".
//!
//! The meter runs [`judge`] in the browser on the server's own inputs (rules in force, standing,
//! the history that can count), so an organisation sees what its cart would use before it asks;
//! the button asks the server, which alone decides. Both verdicts are rendered with their JSON in
//! `data-verdict`, which the end-to-end suite compares.

use crate::cart::api::{load_cart, save_cart};
use crate::cart::model::CheckoutOutcome;
use crate::cart::model::{CartItem, ZOOM_ADDONS};
use crate::error::AppError;
use crate::i18n::*;
use crate::order::api::{checkout_cart, load_checkout_address};
use crate::order::model::CheckoutAddress;
use crate::quota::api::{load_engine_inputs, verify_qualification};
use crate::quota::model::{Allowance, CartInput, Counter, EngineInputs, LineVerdict, Offer, Rule, Verdict};
use crate::quota::rules::{judge, split_orders};
use crate::ui::dates::long_date;
use crate::ui::forms::FormError;
use crate::ui::islands::{current_locale, provide_island_locale};
use crate::ui::title::localized_title;
use crate::{catalog::model::ProductKind, money::Money};
use leptos::prelude::*;
use leptos_meta::Title;

/// One cart line with a stable id, so that editing a line never re-creates its inputs.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    id: u32,
    input: CartInput,
}

/// "Panier": compose a request, watch the allowances, ask the server.
#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let inputs = Resource::new(
        || (),
        |_| async { Ok::<_, AppError>((load_engine_inputs().await?, load_cart().await?)) },
    );
    view! {
        <Title text=localized_title(move || t_string!(i18n, cart.title).to_string()) />
        <section class="page">
            <h1>{t!(i18n, cart.title)}</h1>
            <p class="lead">{t!(i18n, cart.intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match inputs.await {
                        Ok((inputs, stored)) => view! { <Cart inputs stored locale=i18n.get_locale() /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The cart itself, an island: the page's only code in the browser (with the header's), in a
/// module of its own (`cart`, `ui::islands::MODULES`). Every part below runs inside it and
/// takes the page's language from [`current_locale`].
#[island]
fn Cart(
    /// The engine's inputs, as the server read them for this organisation.
    inputs: EngineInputs,
    /// The stored cart.
    stored: Vec<CartItem>,
    /// The language the page was rendered in.
    locale: Locale,
) -> impl IntoView {
    provide_island_locale(locale);
    let locale = current_locale();
    let inputs = StoredValue::new(inputs);
    let loaded = stored.len() as u32;
    let cart = RwSignal::new(
        stored
            .into_iter()
            .enumerate()
            .map(|(i, item)| Entry {
                id: i as u32,
                input: item.input,
            })
            .collect::<Vec<_>>(),
    );
    let next_id = StoredValue::new(loaded);
    let lines = move || cart.with(|c| c.iter().map(|e| e.input.clone()).collect::<Vec<_>>());
    let saving = persist(cart);
    // The live verdict: the engine itself, in the browser.
    let live = Memo::new(move |_| {
        let lines = lines();
        inputs.with_value(|inputs| judge(inputs, &lines).ok())
    });
    let verify = Action::new(move |lines: &Vec<CartInput>| {
        let lines = lines.clone();
        async move { (lines.clone(), verify_qualification(lines).await) }
    });
    let add = move |slug: String, quantity: u32| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        cart.update(|c| {
            c.push(Entry {
                id,
                input: CartInput {
                    slug,
                    quantity,
                    ..CartInput::default()
                },
            })
        });
    };
    // Each part is type-erased: one nested view type for the whole page overflows rustc's
    // query depth in the release build.
    // Software, refurbished hardware and Cisco are never in one order: say how many orders
    // checkout will make of the cart before it splits it.
    let orders_made = move || {
        let lines = lines();
        inputs.with_value(|inputs| {
            let cart: Vec<_> = lines
                .iter()
                .filter_map(|l| {
                    let product = inputs.products.iter().find(|p| p.slug == l.slug)?;
                    Some(l.to_line(&product.product))
                })
                .collect();
            split_orders(&cart).len()
        })
    };
    let lines_section = view! {
        <section aria-labelledby="cart-lines-title">
            <h2 id="cart-lines-title">{td_string!(locale(), cart.lines_title)}</h2>
            <Show when={move || orders_made() > 1}>
                <p class="notice" role="note">{move || td_string!(locale(), cart.several_orders, count = orders_made()).to_string()}</p>
            </Show>
            <Show
                when=move || cart.with(|c| !c.is_empty())
                fallback=move || view! { <p class="empty">{td_string!(locale(), cart.empty)}</p> }
            >
                <ul class="cart-lines">
                    <For
                        each=move || cart.with(|c| c.iter().map(|e| e.id).collect::<Vec<_>>())
                        key=|id| *id
                        children=move |id| view! { <LineCard id cart inputs live /> }
                    />
                </ul>
            </Show>
        </section>
    }
    .into_any();
    let answer = move || {
        verify.value().get().map(|(asked, result)| {
            if asked != lines() {
                return view! { <p class="notice" role="status">{td_string!(locale(), cart.stale)}</p> }.into_any();
            }
            match result {
                Ok(verdict) if verdict.lines.iter().all(|l| l.is_accepted()) => view! {
                    <ServerVerdict verdict inputs asked=asked.clone() />
                    <CheckoutStep lines=asked inputs saving />
                }
                .into_any(),
                Ok(verdict) => view! {
                    <ServerVerdict verdict inputs asked />
                    <p class="notice" role="note">{td_string!(locale(), checkout.refused_fix)}</p>
                }
                .into_any(),
                Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
            }
        })
    };
    let verify_section = view! {
        <section class="verify" aria-labelledby="verify-title">
            <h2 id="verify-title">{td_string!(locale(), cart.verify_title)}</h2>
            <button
                type="button"
                class="button primary"
                disabled=move || cart.with(Vec::is_empty) || verify.pending().get()
                on:click=move |_| {
                    verify.dispatch(lines());
                }
            >
                {move || {
                    if verify.pending().get() {
                        td_string!(locale(), cart.verifying).to_string()
                    } else {
                        td_string!(locale(), cart.verify).to_string()
                    }
                }}
            </button>
            <div aria-live="polite">{answer}</div>
        </section>
    }
    .into_any();
    let save_state = move || {
        saving.get().map(|pending| {
            if pending {
                view! { <p class="muted save-state" role="status">{td_string!(locale(), cart.saving)}</p> }.into_any()
            } else {
                view! { <p class="muted save-state" role="status">{td_string!(locale(), cart.saved)}</p> }.into_any()
            }
        })
    };
    let add_section = view! { <AddLine inputs add /> }.into_any();
    let meter = view! { <AllowanceMeter inputs live /> }.into_any();
    view! {
        // The meter comes first: on a phone, what remains shows before the cart is filled; on a
        // wide screen the stylesheet moves it to the right-hand column.
        <div class="cart-layout">
            {meter}
            <div class="cart-main">{add_section} {lines_section} {save_state} {verify_section}</div>
        </div>
    }
}

/// "Ajouter un produit": a product (validation-only offers are left out: they are never
/// ordered) and a quantity.
#[component]
fn AddLine(
    inputs: StoredValue<EngineInputs>,
    add: impl Fn(String, u32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = current_locale();
    let (slug, set_slug) = signal(String::new());
    let (quantity, set_quantity) = signal(String::from("1"));
    let (error, set_error) = signal(None::<&'static str>);
    let groups = inputs.with_value(|inputs| {
        let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for p in inputs
            .products
            .iter()
            .filter(|p| p.product.kind != ProductKind::ValidationOnly)
        {
            let item = (p.slug.clone(), p.name.clone());
            match groups.last_mut() {
                Some((partner, items)) if *partner == p.partner_name => items.push(item),
                _ => groups.push((p.partner_name.clone(), vec![item])),
            }
        }
        groups
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = slug.get_untracked();
        if chosen.is_empty() {
            set_error.set(Some("product"));
            return;
        }
        match quantity.get_untracked().trim().parse::<u32>() {
            Ok(n) if (1..=999).contains(&n) => {
                set_error.set(None);
                add(chosen, n);
            }
            _ => set_error.set(Some("quantity")),
        }
    };
    let invalid = move |field: &'static str| move || if error.get() == Some(field) { "true" } else { "false" };
    view! {
        <section class="card" aria-labelledby="add-title">
            <h2 id="add-title">{td_string!(locale(), cart.add_title)}</h2>
            <form class="add-line" on:submit=submit novalidate>
                <div class="field">
                    <label for="add-product">{td_string!(locale(), cart.product)}</label>
                    <select
                        id="add-product"
                        aria-describedby="add-product-error"
                        aria-invalid=invalid("product")
                        on:change=move |ev| set_slug.set(event_target_value(&ev))
                    >
                        <option value="">{td_string!(locale(), common.choose)}</option>
                        {groups
                            .into_iter()
                            .map(|(partner, items)| {
                                view! {
                                    <optgroup label=partner>
                                        {items
                                            .into_iter()
                                            .map(|(value, name)| view! { <option value=value>{name}</option> })
                                            .collect_view()}
                                    </optgroup>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p id="add-product-error" class="field-error">
                        {move || (error.get() == Some("product")).then_some(td_string!(locale(), cart.choose_product))}
                    </p>
                </div>
                <div class="field quantity">
                    <label for="add-quantity">{td_string!(locale(), cart.quantity)}</label>
                    <input
                        id="add-quantity"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="999"
                        aria-describedby="add-quantity-error"
                        aria-invalid=invalid("quantity")
                        prop:value=quantity
                        on:input=move |ev| set_quantity.set(event_target_value(&ev))
                    />
                    <p id="add-quantity-error" class="field-error">
                        {move || (error.get() == Some("quantity")).then_some(td_string!(locale(), cart.quantity_invalid))}
                    </p>
                </div>
                <button type="submit" class="button">{td_string!(locale(), cart.add)}</button>
            </form>
        </section>
    }
}

fn update_line(cart: RwSignal<Vec<Entry>>, id: u32, change: impl FnOnce(&mut CartInput)) {
    cart.update(|c| {
        if let Some(entry) = c.iter_mut().find(|e| e.id == id) {
            change(&mut entry.input);
        }
    });
}

/// One cart line: its quantity, the fields its partner needs, and the live verdict.
#[component]
fn LineCard(
    id: u32,
    cart: RwSignal<Vec<Entry>>,
    inputs: StoredValue<EngineInputs>,
    live: Memo<Option<Verdict>>,
) -> impl IntoView {
    let locale = current_locale();
    let Some(entry) = cart.with_untracked(|c| c.iter().find(|e| e.id == id).cloned()) else {
        return ().into_any();
    };
    let product = inputs.with_value(|i| i.products.iter().find(|p| p.slug == entry.input.slug).cloned());
    let Some(product) = product else {
        return ().into_any();
    };
    let creative_cloud = product.product.offer == Offer::AdobeCreativeCloud;
    let aws = product.product.partner_id == "aws";
    let zoom = product.product.partner_id == "zoom";
    // A Zoom line may switch plan (Pro or Business): the heading follows the line's product.
    let slug = move || {
        cart.with(|c| {
            c.iter()
                .find(|e| e.id == id)
                .map(|e| e.input.slug.clone())
                .unwrap_or_default()
        })
    };
    let name = move || {
        let slug = slug();
        inputs.with_value(|i| {
            i.products
                .iter()
                .find(|p| p.slug == slug)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        })
    };
    let zoom_plans: Vec<(String, String)> = inputs.with_value(|i| {
        i.products
            .iter()
            .filter(|p| p.product.partner_id == "zoom" && p.product.kind != ProductKind::ValidationOnly)
            .map(|p| (p.slug.clone(), p.name.clone()))
            .collect()
    });
    let has_addon = move |code: &str| {
        cart.with(|c| {
            c.iter()
                .any(|e| e.id == id && e.input.zoom_addons.iter().any(|a| a == code))
        })
    };
    let index = move || cart.with(|c| c.iter().position(|e| e.id == id));
    let verdict = move || index().and_then(|i| live.with(|v| v.as_ref().and_then(|v| v.lines.get(i).cloned())));
    let field_id = move |field: &str| format!("line-{id}-{field}");
    let remove_name = name;
    view! {
        <li class="cart-line">
            <div class="cart-line-head">
                <h3>{name}</h3>
                <p class="muted">{product.partner_name.clone()}</p>
            </div>
            <div class="cart-line-fields">
                <div class="field quantity">
                    <label for=field_id("quantity")>{td_string!(locale(), cart.quantity)}</label>
                    <input
                        id=field_id("quantity")
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="999"
                        value=entry.input.quantity.to_string()
                        on:input=move |ev| {
                            let quantity = event_target_value(&ev).trim().parse().unwrap_or(0);
                            update_line(cart, id, |l| l.quantity = quantity);
                        }
                    />
                </div>
                {creative_cloud
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for=field_id("named-user")>{td_string!(locale(), cart.named_user)}</label>
                                <input
                                    id=field_id("named-user")
                                    type="email"
                                    autocomplete="off"
                                    value=entry.input.named_user.clone()
                                    on:input=move |ev| {
                                        let value = event_target_value(&ev);
                                        update_line(cart, id, |l| l.named_user = value);
                                    }
                                />
                            </div>
                        }
                    })}
                {aws
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for=field_id("aws-id")>{td_string!(locale(), cart.aws_account_id)}</label>
                                <input
                                    id=field_id("aws-id")
                                    type="text"
                                    inputmode="numeric"
                                    autocomplete="off"
                                    value=entry.input.aws_account_id.clone()
                                    on:input=move |ev| {
                                        let value = event_target_value(&ev);
                                        update_line(cart, id, |l| l.aws_account_id = value);
                                    }
                                />
                            </div>
                            <div class="field">
                                <label for=field_id("aws-name")>{td_string!(locale(), cart.aws_account_name)}</label>
                                <input
                                    id=field_id("aws-name")
                                    type="text"
                                    autocomplete="off"
                                    value=entry.input.aws_account_name.clone()
                                    on:input=move |ev| {
                                        let value = event_target_value(&ev);
                                        update_line(cart, id, |l| l.aws_account_name = value);
                                    }
                                />
                            </div>
                        }
                    })}
                {zoom
                    .then(|| {
                        let current = entry.input.slug.clone();
                        view! {
                            <div class="field">
                                <label for=field_id("zoom-plan")>{td_string!(locale(), cart.zoom_plan)}</label>
                                <select
                                    id=field_id("zoom-plan")
                                    on:change=move |ev| {
                                        let chosen = event_target_value(&ev);
                                        update_line(cart, id, |l| l.slug = chosen);
                                    }
                                >
                                    {zoom_plans
                                        .into_iter()
                                        .map(|(value, label)| {
                                            let selected = value == current;
                                            view! { <option value=value selected=selected>{label}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                            <fieldset class="field addons">
                                <legend>{td_string!(locale(), cart.zoom_addons)}</legend>
                                {ZOOM_ADDONS
                                    .into_iter()
                                    .map(|code| {
                                        let input_id = field_id(code);
                                        view! {
                                            <div class="checkbox">
                                                <input
                                                    id=input_id.clone()
                                                    type="checkbox"
                                                    prop:checked=move || has_addon(code)
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        update_line(cart, id, |l| {
                                                            l.zoom_addons.retain(|a| a != code);
                                                            if on {
                                                                l.zoom_addons.push(code.to_owned());
                                                            }
                                                        });
                                                    }
                                                />
                                                <label for=input_id>{move || addon_label(locale(), code)}</label>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })}
            </div>
            <p class="line-status" role="status">
                {move || verdict().map(|v| view! { <VerdictText verdict=v /> })}
            </p>
            <button
                type="button"
                class="link-button"
                on:click=move |_| cart.update(|c| c.retain(|e| e.id != id))
            >
                {td_string!(locale(), cart.remove)}
                <span class="visually-hidden">" " {remove_name}</span>
            </button>
        </li>
    }
    .into_any()
}

fn addon_label(locale: Locale, code: &str) -> String {
    match code {
        "large_meetings" => td_string!(locale, cart.addon_large_meetings).to_string(),
        "webinars" => td_string!(locale, cart.addon_webinars).to_string(),
        _ => td_string!(locale, cart.addon_cloud_recording).to_string(),
    }
}

/// Saves the cart after every change, one request at a time: changes made while a save is in
/// flight are saved when it returns, so the server never ends with an older cart. `None` until
/// the first change, then whether a save is still to finish. Lines with a quantity outside
/// 1–999 are not saved until corrected (the line says why).
fn persist(cart: RwSignal<Vec<Entry>>) -> Signal<Option<bool>> {
    let save = Action::new(|lines: &Vec<CartInput>| {
        let lines = lines.clone();
        async move { save_cart(lines).await }
    });
    let dirty = RwSignal::new(false);
    let touched = RwSignal::new(false);
    let savable = move || {
        cart.with_untracked(|c| {
            c.iter()
                .all(|e| (1..=crate::cart::model::MAX_QUANTITY).contains(&e.input.quantity))
                .then(|| c.iter().map(|e| e.input.clone()).collect::<Vec<_>>())
        })
    };
    Effect::new(move |first: Option<()>| {
        cart.track();
        if first.is_none() {
            return;
        }
        touched.set(true);
        if save.pending().get_untracked() {
            dirty.set(true);
        } else if let Some(lines) = savable() {
            save.dispatch(lines);
        }
    });
    Effect::new(move |_| {
        if !save.pending().get() && dirty.get_untracked() {
            dirty.set(false);
            if let Some(lines) = savable() {
                save.dispatch(lines);
            }
        }
    });
    Signal::derive(move || touched.get().then(|| save.pending().get() || dirty.get()))
}

/// After an accepted verdict: the registered address, read-only, and "Continuer".
#[component]
fn CheckoutStep(
    lines: Vec<CartInput>,
    inputs: StoredValue<EngineInputs>,
    /// The cart's save state: "Continuer" waits for the last save, which checkout's emptying
    /// of the cart must follow, not precede.
    saving: Signal<Option<bool>>,
) -> impl IntoView {
    let locale = current_locale();
    // The address comes with the stored cart's revision, the key "Continuer" sends: read again
    // once the last save has landed, so that it names the cart the page shows.
    let address = Resource::new(move || saving.get() == Some(true), |_| load_checkout_address());
    let lines = StoredValue::new(lines);
    let place = Action::new(move |revision: &String| {
        let revision = revision.clone();
        async move { checkout_cart(revision).await }
    });
    // The confirmation is served as islands: the browser loads it from the server (the
    // router would only hand it over to `ui::app::LoadFromServer`, one step later).
    Effect::new(move |_| {
        if let Some(Ok(CheckoutOutcome::Placed { checkout_id })) = place.value().get() {
            let _ = window().location().assign(&format!("/checkout/{checkout_id}"));
        }
    });
    let outcome = move || match place.value().get() {
        Some(Ok(CheckoutOutcome::Refused(verdict))) => view! {
            <p class="notice error" role="alert">{td_string!(locale(), checkout.changed)}</p>
            <ServerVerdict verdict inputs asked=lines.get_value() />
        }
        .into_any(),
        Some(Err(error)) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
        _ => ().into_any(),
    };
    view! {
        <section class="card checkout-step" aria-labelledby="address-title">
            <h2 id="address-title">{td_string!(locale(), checkout.address_title)}</h2>
            <p>{td_string!(locale(), checkout.address_intro)}</p>
            <Suspense fallback=move || view! { <p class="muted">{td_string!(locale(), common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match address.await {
                        Ok(address) => view! { <AddressConfirm address place saving /> }.into_any(),
                        Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
                    }
                })}
            </Suspense>
            <div aria-live="polite">{outcome}</div>
        </section>
    }
}

#[component]
fn AddressConfirm(
    address: CheckoutAddress,
    place: Action<String, Result<CheckoutOutcome, AppError>>,
    saving: Signal<Option<bool>>,
) -> impl IntoView {
    let locale = current_locale();
    let key = address.idempotency_key.clone();
    let placed = move || matches!(place.value().get(), Some(Ok(CheckoutOutcome::Placed { .. })));
    view! {
        <address class="registered-address">
            <strong>{address.legal_name}</strong>
            <br />
            {address.street}
            <br />
            {format!("{} {}", address.postal_code, address.city)}
            <br />
            {crate::order::document::country_name(&address.country)}
            <br />
            {td_string!(locale(), invoice.enterprise_number)}
            " "
            {address.enterprise_number}
            <br />
            {td_string!(locale(), checkout.contact_email)}
            " "
            {address.contact_email}
        </address>
        <p>
            <a href="/account">{td_string!(locale(), checkout.edit_address)}</a>
        </p>
        <button
            type="button"
            class="button primary continue"
            disabled=move || place.pending().get() || placed() || saving.get() == Some(true)
            on:click=move |_| {
                place.dispatch(key.clone());
            }
        >
            {move || {
                if place.pending().get() || placed() {
                    td_string!(locale(), checkout.placing).to_string()
                } else {
                    td_string!(locale(), checkout.continue_button).to_string()
                }
            }}
        </button>
    }
}

/// "Accepté" or "Refusé : <the rule, with its numbers and the date it would be allowed>".
#[component]
fn VerdictText(verdict: LineVerdict) -> impl IntoView {
    let locale = current_locale();
    match verdict {
        LineVerdict::Accepted => {
            view! { <span class="verdict ok">{td_string!(locale(), cart.accepted)}</span> }.into_any()
        }
        refused => {
            let text = move || refusal_text(locale(), &refused);
            view! {
                <span class="verdict refused">
                    <strong>{td_string!(locale(), cart.refused)}</strong>
                    " "
                    {text}
                </span>
            }
            .into_any()
        }
    }
}

/// Why a line is refused, in the user's language.
pub fn refusal_text(locale: Locale, verdict: &LineVerdict) -> String {
    let LineVerdict::Refused {
        rule,
        used,
        requested,
        limit,
        allowed_from,
    } = verdict
    else {
        return String::new();
    };
    let (used, requested) = (*used, *requested);
    let money = |cents: i64| Money::from_cents(cents).format(locale, false);
    let text = match rule {
        Rule::NotQualified => td_string!(locale, quota.not_qualified).to_string(),
        Rule::ValidationOnly => td_string!(locale, quota.validation_only).to_string(),
        Rule::MicrosoftFamilies => td_string!(locale, quota.microsoft_families, used, limit).to_string(),
        Rule::MicrosoftPerFamily => td_string!(locale, quota.microsoft_per_family, used, requested, limit).to_string(),
        Rule::MicrosoftNonCore => td_string!(locale, quota.microsoft_non_core, used, requested, limit).to_string(),
        Rule::MicrosoftDiscountMinimum => td_string!(locale, quota.microsoft_discount_minimum, limit).to_string(),
        Rule::MicrosoftDiscountCertificate => td_string!(locale, quota.microsoft_discount_certificate).to_string(),
        Rule::AdobePerYear | Rule::AutodeskPerYear => {
            td_string!(locale, quota.products_per_year, used, requested, limit).to_string()
        }
        Rule::AutodeskWaiver => td_string!(locale, quota.autodesk_waiver).to_string(),
        Rule::CiscoOrdersPerYear => td_string!(locale, quota.cisco_orders_per_year).to_string(),
        Rule::CiscoFeeCap => {
            let (used, requested, limit) = (money(used), money(requested), money(*limit));
            td_string!(locale, quota.cisco_fee_cap, used, requested, limit).to_string()
        }
        Rule::ZoomLicences => td_string!(locale, quota.zoom_licences, used, requested, limit).to_string(),
        Rule::AwsAccount => td_string!(locale, quota.aws_account).to_string(),
        Rule::AwsGrantsPer12Months => td_string!(locale, quota.aws_grants_per_12_months, used).to_string(),
        Rule::AwsRenewalWithoutGrant => td_string!(locale, quota.aws_renewal_without_grant).to_string(),
        Rule::CreativeCloudNamedUser => td_string!(locale, quota.creative_cloud_named_user).to_string(),
        Rule::CreativeCloudOnePerUser => td_string!(locale, quota.creative_cloud_one_per_user).to_string(),
        Rule::QuantityZero => td_string!(locale, quota.quantity_zero).to_string(),
    };
    match allowed_from {
        Some(date) => {
            let date = long_date(locale, *date);
            format!("{text} {}", td_string!(locale, quota.allowed_from, date))
        }
        None => text,
    }
}

/// The server's answer to "Vérifier la qualification", line by line.
#[component]
fn ServerVerdict(verdict: Verdict, inputs: StoredValue<EngineInputs>, asked: Vec<CartInput>) -> impl IntoView {
    let locale = current_locale();
    let json = serde_json::to_string(&verdict).unwrap_or_default();
    let refused = verdict.lines.iter().filter(|v| !v.is_accepted()).count();
    let name = move |slug: &str| {
        inputs.with_value(|i| {
            i.products
                .iter()
                .find(|p| p.slug == slug)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="server-verdict" data-verdict=json>
            <p class=if refused == 0 { "notice success" } else { "notice error" } role="status">
                {move || {
                    if refused == 0 {
                        td_string!(locale(), cart.all_accepted).to_string()
                    } else {
                        td_string!(locale(), cart.some_refused, count = refused).to_string()
                    }
                }}
            </p>
            <ol class="verdict-lines">
                {asked
                    .iter()
                    .zip(verdict.lines)
                    .map(|(line, v)| {
                        view! {
                            <li>
                                <strong>{name(&line.slug)}</strong>
                                " × "
                                {line.quantity}
                                " — "
                                <VerdictText verdict=v />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </div>
    }
}

/// The live allowance meter: what the organisation has used in each partner's current window
/// and what the cart would add ("Microsoft : 7/10 familles — Office 20/50 — nouvelle allocation
/// le 1er mars 2028").
#[component]
fn AllowanceMeter(inputs: StoredValue<EngineInputs>, live: Memo<Option<Verdict>>) -> impl IntoView {
    let locale = current_locale();
    let partner_name = move |id: &str| {
        inputs.with_value(|i| {
            i.products
                .iter()
                .find(|p| p.product.partner_id == id)
                .map_or_else(|| id.to_owned(), |p| p.partner_name.clone())
        })
    };
    let json = move || {
        live.with(|v| {
            v.as_ref()
                .map(|v| serde_json::to_string(v).unwrap_or_default())
                .unwrap_or_default()
        })
    };
    view! {
        <aside class="meter card" aria-labelledby="meter-title" data-verdict=json>
            <h2 id="meter-title">{td_string!(locale(), quota.meter_title)}</h2>
            <p class="muted">{td_string!(locale(), quota.meter_hint)}</p>
            {move || {
                let allowances = live.with(|v| v.as_ref().map(|v| v.allowances.clone()).unwrap_or_default());
                if allowances.is_empty() {
                    return view! { <p class="empty">{td_string!(locale(), quota.meter_empty)}</p> }.into_any();
                }
                view! {
                    <ul class="allowances">
                        {allowances
                            .into_iter()
                            .map(|a| {
                                let name = partner_name(&a.partner_id);
                                view! { <AllowanceItem allowance=a name /> }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </aside>
    }
}

#[component]
fn AllowanceItem(allowance: Allowance, name: String) -> impl IntoView {
    let locale = current_locale();
    let over = allowance.counters.iter().any(|c| c.used + c.in_cart > c.limit);
    let summary = move || {
        // French puts a space before the colon.
        let colon = if locale() == Locale::fr { " :" } else { ":" };
        let mut parts = vec![format!("{name}{colon}")];
        let counters: Vec<String> = allowance.counters.iter().map(|c| counter_text(locale(), c)).collect();
        parts.push(counters.join(" — "));
        let mut text = parts.join(" ");
        match allowance.window_end {
            Some(end) => {
                let date = long_date(locale(), end);
                text.push_str(&format!(" — {}", td_string!(locale(), quota.renews, date)));
            }
            None if allowance.partner_id == "microsoft" => {
                text.push_str(&format!(" — {}", td_string!(locale(), quota.no_cycle)));
            }
            None => {}
        }
        text
    };
    view! { <li class=if over { "allowance over" } else { "allowance" }>{summary}</li> }
}

/// "Office (postes de travail) 20/50": what is used plus what the cart adds, of the limit.
pub(crate) fn counter_text(locale: Locale, counter: &Counter) -> String {
    let total = counter.used + counter.in_cart;
    let mut parts = counter.name.splitn(3, ':');
    let limit = counter.limit;
    let label = match (parts.next(), parts.next(), parts.next()) {
        (Some("families"), Some("core_server"), _) => {
            return td_string!(locale, quota.families_core_server, total, limit).to_string();
        }
        (Some("families"), _, _) => return td_string!(locale, quota.families_desktop, total, limit).to_string(),
        (Some("family"), Some("core_server"), Some(family)) => {
            td_string!(locale, quota.family_core_server, family).to_string()
        }
        (Some("family"), _, Some(family)) => family.to_owned(),
        (Some("non_core"), _, _) => td_string!(locale, quota.non_core).to_string(),
        (Some("products"), _, _) => td_string!(locale, quota.products).to_string(),
        (Some("orders"), _, _) => td_string!(locale, quota.orders).to_string(),
        (Some("zoom_pro"), _, _) => td_string!(locale, quota.zoom_pro).to_string(),
        (Some("licences"), _, _) => td_string!(locale, quota.licences).to_string(),
        (Some("grants"), _, _) => td_string!(locale, quota.grants).to_string(),
        (Some("fee_cents"), _, _) => {
            let money = |cents: i64| Money::from_cents(cents).format(locale, true);
            return format!("{} {}/{}", td_string!(locale, quota.fee), money(total), money(limit));
        }
        _ => counter.name.clone(),
    };
    format!("{label} {total}/{}", counter.limit)
}
