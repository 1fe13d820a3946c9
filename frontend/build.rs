//! The whole app's module exports no island (scripts/wasm_linker.sh): it renders the header's
//! islands as components, and the pages made of islands load their own modules. Exported,
//! each island would link its code here, the cart's quota engine included.

fn main() {
    println!("cargo::rustc-link-arg=--no-islands");
}
