//! The site's bundle in the page's `<head>`: the stylesheet, the script that loads the WASM and
//! hydrates the page, and the hints that start both downloads early, under the names
//! cargo-leptos gave the files (`hash-files`: each name carries its content's hash, listed in
//! `hash.txt` beside the executable).
//!
//! The names are read once per process. Leptos' `HydrationScripts` and leptos_meta's
//! `HashedStylesheet` find the executable's path and read `hash.txt` on every render: each was
//! about 5 % of the server's CPU time while it served the home page under load (perf, release).

use crate::ui::islands::{MODULES, PageModule};
use leptos::WasmSplitManifest;
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The file names of one build, inside the site's package directory (`/pkg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleNames {
    pub css: String,
    pub js: String,
    pub wasm: String,
    /// The loader of the lazily loaded WASM chunks (`cargo leptos build --split`).
    pub split_js: String,
    /// Which chunks each lazy route needs, as JSON.
    pub split_manifest: String,
    /// The islands' module (`crates/islands`, built by `scripts/setup.sh`), JS then WASM:
    /// `None` when the site was built without it (cargo-leptos alone).
    pub islands: Option<(String, String)>,
    /// Each module of `ui::islands::MODULES` the site was built with, by its name, the same
    /// way.
    pub modules: BTreeMap<&'static str, (String, String)>,
}

impl BundleNames {
    /// The names for the build called `output_name`, given `hash.txt`'s contents (lines such as
    /// `wasm: N8QQNNVcIonNZwfFbqq65w`) or `None` when the files are not hashed.
    pub fn new(output_name: &str, hashes: Option<&str>) -> Self {
        let hash_of = |file: &str| {
            hashes?.lines().find_map(|line| {
                let (name, hash) = line.split_once(':')?;
                (name.trim() == file).then(|| hash.trim().to_owned())
            })
        };
        let hashed = |file: &str, extension: &str| match hash_of(file) {
            Some(hash) => format!("{output_name}.{hash}.{extension}"),
            None => format!("{output_name}.{extension}"),
        };
        // An islands' module is always hashed (`package_islands_module`), under its own name.
        let module = |name: &str| {
            hash_of(&format!("{name}-js"))
                .zip(hash_of(&format!("{name}-wasm")))
                .map(|(js, wasm)| (format!("{name}.{js}.js"), format!("{name}.{wasm}.wasm")))
        };
        // Unhashed, wasm-bindgen names the module `<name>_bg.wasm` unless cargo-leptos chose
        // the output name when this was compiled (as Leptos' own script tags assume).
        let wasm = match (hash_of("wasm"), option_env!("LEPTOS_OUTPUT_NAME")) {
            (Some(hash), _) => format!("{output_name}.{hash}.wasm"),
            (None, Some(_)) => format!("{output_name}.wasm"),
            (None, None) => format!("{output_name}_bg.wasm"),
        };
        Self {
            css: hashed("css", "css"),
            js: hashed("js", "js"),
            wasm,
            split_js: match hash_of("split") {
                Some(hash) => format!("__wasm_split.{hash}.js"),
                None => "__wasm_split.______________________.js".to_owned(),
            },
            split_manifest: match hash_of("manifest") {
                Some(hash) => format!("__wasm_split_manifest.{hash}.json"),
                None => "__wasm_split_manifest.json".to_owned(),
            },
            islands: module("islands"),
            modules: MODULES
                .iter()
                .filter_map(|each| Some((each.name, module(each.name)?)))
                .collect(),
        }
    }
}

/// What this process serves, read on first use: the addresses and the script, ready to write.
struct Bundle {
    css_href: String,
    js_href: String,
    wasm_href: String,
    /// The generated JS module loads the WASM, then `frontend::hydrate` takes the page over.
    script: String,
    /// The lazy routes' chunks, for the preload hints Leptos' router adds to a lazy page;
    /// `None` when the build was not split.
    split: Option<WasmSplitManifest>,
    /// The same for the pages served as islands; `None` when the site has no islands' module.
    islands: Option<Scripts>,
    /// The same for each module of `ui::islands::MODULES` the site has, by its name.
    modules: BTreeMap<&'static str, Scripts>,
}

/// A module's addresses and the script that loads it.
struct Scripts {
    js_href: String,
    wasm_href: String,
    script: String,
}

fn bundle(options: &LeptosOptions) -> &'static Bundle {
    static BUNDLE: OnceLock<Bundle> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let hashes = options
            .hash_files
            .then(crate::config::hash_file_beside_executable)
            .flatten()
            .and_then(|path| std::fs::read_to_string(path).ok());
        let names = BundleNames::new(&options.output_name, hashes.as_deref());
        let pkg = &options.site_pkg_dir;
        let manifest = std::path::Path::new(options.site_root.as_ref())
            .join(pkg.as_ref())
            .join(&names.split_manifest);
        let split = std::fs::read_to_string(manifest)
            .ok()
            .and_then(|text| serde_json::from_str::<HashMap<String, Vec<String>>>(&text).ok())
            .map(|chunks| WasmSplitManifest(ArcStoredValue::new((format!("/{pkg}"), chunks, names.split_js.clone()))));
        let js_href = format!("/{pkg}/{}", names.js);
        let wasm_href = format!("/{pkg}/{}", names.wasm);
        let script = format!(
            "import({js_href:?}).then((bundle) => bundle.default({{ module_or_path: {wasm_href:?} }}).then(() => bundle.hydrate()));"
        );
        let scripts = |(js, wasm): &(String, String)| {
            let js_href = format!("/{pkg}/{js}");
            let wasm_href = format!("/{pkg}/{wasm}");
            Scripts { script: islands_script(&js_href, &wasm_href), js_href, wasm_href }
        };
        let islands = names.islands.as_ref().map(scripts);
        let modules = names.modules.iter().map(|(name, files)| (*name, scripts(files))).collect();
        Bundle {
            css_href: format!("/{pkg}/{}", names.css),
            js_href,
            wasm_href,
            script,
            split,
            islands,
            modules,
        }
    })
}

/// Loads the islands' module, hydrates each `<leptos-island>` of the page with the function
/// of that name the module exports (Leptos' own island loader waits for the browser to be idle
/// first; a phone on a slow network would wait longer for its buttons), then marks `<main>`
/// hydrated, as the whole app's `PageReady` does.
fn islands_script(js_href: &str, wasm_href: &str) -> String {
    format!(
        "import({js_href:?}).then((islands) => islands.default({{ module_or_path: {wasm_href:?} }}).then(async () => {{ \
         islands.hydrate(); \
         for (const island of document.querySelectorAll('leptos-island')) {{ \
         const hydrate = islands[island.dataset.component]; \
         if (hydrate) {{ await hydrate(island); }} else {{ console.warn('no island called', island.dataset.component); }} }} \
         document.getElementById('main')?.setAttribute('data-hydrated', 'true'); }}));"
    )
}

/// `/pkg/<name>.<hash>.css`.
pub fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    &bundle(options).css_href
}

/// The hydration script and the preload hints of its JS and WASM, with this response's nonce
/// (the Content Security Policy names it): the page's islands' module when it has one and the
/// site has it, otherwise the whole app's.
#[component]
pub fn BundleScripts(options: LeptosOptions, module: PageModule) -> impl IntoView {
    let bundle = bundle(&options);
    let islands = match module {
        PageModule::App => None,
        PageModule::Islands => bundle.islands.as_ref(),
        PageModule::Module(name) => bundle.modules.get(name),
    };
    let (js_href, wasm_href, script) = match islands {
        Some(islands) => (&islands.js_href, &islands.wasm_href, &islands.script),
        None => {
            if let Some(split) = &bundle.split {
                provide_context(split.clone());
            }
            (&bundle.js_href, &bundle.wasm_href, &bundle.script)
        }
    };
    view! {
        // A module's import and wasm-bindgen's fetch are both CORS requests without credentials
        // for another origin: the hints must say so, or the browser downloads each file twice.
        <link rel="modulepreload" href=js_href.as_str() crossorigin="anonymous" />
        <link
            rel="preload"
            href=wasm_href.as_str()
            r#as="fetch"
            r#type="application/wasm"
            crossorigin="anonymous"
        />
        <script type="module" nonce=use_nonce()>
            {script.as_str()}
        </script>
    }
}
