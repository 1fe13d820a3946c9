//! Generates the `i18n` module from `locales/*.json` and makes cargo rebuild when the
//! embedded SQL migrations change (`sqlx::migrate!` reads them at compile time).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../migrations");
    println!("cargo::rerun-if-changed=../demo");

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    // French is the programme's default language; Belgium also reads Dutch, partners English.
    // `interpolate_display`: messages with values ("{{ used }} licences…") also render as plain
    // strings, for text built outside a view (verdict explanations, the allowance meter).
    let cfg = Config::new("fr")?
        .add_locale("nl")?
        .add_locale("en")?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(cfg)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}
