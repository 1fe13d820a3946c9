#![recursion_limit = "256"]
//! Browser entry point. cargo-leptos builds this crate to WASM; the generated JS calls
//! [`hydrate`] once the server-rendered HTML is in place.

/// Attaches the reactive app to the server-rendered `<body>`.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_lazy` waits for the WASM chunk of the page being hydrated (see `app::ui::app`).
    leptos::mount::hydrate_lazy(app::App);
}
