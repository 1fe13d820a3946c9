//! The browser module of the pages served as islands (`app::ui::islands`). Only the `#[island]`
//! components of `app` are in it: the rest of those pages is HTML from the server that never
//! runs in the browser. The loader in the page calls [`hydrate`], then each island's function.

// Nothing of `app` is called from here: the islands are its exports. Without this line the
// compiler would not link the crate at all.
extern crate app as _;

/// Sets up the reactive runtime the islands hydrate into.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
