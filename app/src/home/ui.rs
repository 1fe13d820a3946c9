//! The home page.

use crate::home::api::get_home_counters;
use crate::i18n::*;
use crate::money::format_count;
use crate::ui::title::localized_title;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let counters = Resource::new(|| (), |_| get_home_counters());
    view! {
            <Title text=localized_title(move || t_string!(i18n, home.title).to_string()) />
            <section class="hero">
                <h1>{t!(i18n, home.heading)}</h1>
                <p class="lead">{t!(i18n, home.intro)}</p>
                <p>
                    <a class="button primary" href="/catalogue">
                        {t!(i18n, home.cta_catalogue)}
                    </a>
                </p>
            </section>
            <section class="counters" aria-labelledby="counters-title">
                <h2 id="counters-title">{t!(i18n, home.counters_title)}</h2>
                <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match counters.await {
                            Ok(c) => {
                                view! {
                                    <dl class="counter-list">
                                        <div class="counter">
                                            <dt>{t!(i18n, home.organisations)}</dt>
    <dd data-testid="count-organisations">
                                                {move || format_count(c.organisations, i18n.get_locale())}
                                            </dd>
                                        </div>
                                        <div class="counter">
                                            <dt>{t!(i18n, home.saved)}</dt>
    <dd data-testid="count-saved">{move || c.saved.format(i18n.get_locale(), true)}</dd>
                                        </div>
                                        <div class="counter">
                                            <dt>{t!(i18n, home.products)}</dt>
    <dd data-testid="count-products">
                                                {move || format_count(c.products_distributed, i18n.get_locale())}
                                            </dd>
                                        </div>
                                    </dl>
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
