//! The bundle's file names from cargo-leptos' `hash.txt` (`app::ui::bundle`).

use app::ui::bundle::BundleNames;

#[test]
fn hashed_names_come_from_each_line_of_the_hash_file() {
    let hashes = "js: z5ix8fCsnePp0RqDl_Wk8Q\nwasm: N8QQNNVcIonNZwfFbqq65w\ncss: rYX0-zDqXLaLb5XTN850yw\n\
                  manifest: M8qYrfUgwW_o47eVmdaCwg\nsplit: 8m198LQWuXNALkou4qckDQ\n";
    let names = BundleNames::new("portal", Some(hashes));
    assert_eq!(names.js, "portal.z5ix8fCsnePp0RqDl_Wk8Q.js");
    assert_eq!(names.wasm, "portal.N8QQNNVcIonNZwfFbqq65w.wasm");
    assert_eq!(names.css, "portal.rYX0-zDqXLaLb5XTN850yw.css");
    assert_eq!(names.split_js, "__wasm_split.8m198LQWuXNALkou4qckDQ.js");
    assert_eq!(
        names.split_manifest,
        "__wasm_split_manifest.M8qYrfUgwW_o47eVmdaCwg.json"
    );
}

#[test]
fn a_file_the_hash_file_does_not_list_keeps_its_plain_name() {
    // A build without --split lists no loader and no manifest; spaces around the colon vary.
    let names = BundleNames::new("portal", Some("js:abc\n  css :  def  \n\nnot a line\n"));
    assert_eq!(names.js, "portal.abc.js");
    assert_eq!(names.css, "portal.def.css");
    assert_eq!(names.split_manifest, "__wasm_split_manifest.json");
    assert!(names.wasm.starts_with("portal") && names.wasm.ends_with(".wasm") && !names.wasm.contains(".abc"));
}

#[test]
fn without_a_hash_file_every_name_is_plain() {
    let names = BundleNames::new("portal", None);
    assert_eq!(names.js, "portal.js");
    assert_eq!(names.css, "portal.css");
    // wasm-bindgen's own name unless cargo-leptos compiled this build.
    let expected = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        "portal.wasm"
    } else {
        "portal_bg.wasm"
    };
    assert_eq!(names.wasm, expected);
    assert_eq!(names.split_js, "__wasm_split.______________________.js");
}

#[test]
fn the_islands_module_is_named_by_its_own_lines_and_absent_without_them() {
    let hashes = "js: z5ix8fCsnePp0RqDl_Wk8Q\nwasm: N8QQNNVcIonNZwfFbqq65w\n\
                  islands-js: 4556decee66b717f883806\nislands-wasm: 7f48c975dfbed2160c1799\n";
    let names = BundleNames::new("portal", Some(hashes));
    assert_eq!(
        names.islands,
        Some((
            "islands.4556decee66b717f883806.js".to_owned(),
            "islands.7f48c975dfbed2160c1799.wasm".to_owned()
        ))
    );
    // The whole app's names are not confused with the islands' lines.
    assert_eq!(names.js, "portal.z5ix8fCsnePp0RqDl_Wk8Q.js");
    // A site built by cargo-leptos alone has no islands' module: its pages are hydrated whole.
    assert_eq!(BundleNames::new("portal", Some("js: a\nwasm: b\n")).islands, None);
    assert_eq!(BundleNames::new("portal", Some("islands-js: a\n")).islands, None);
    assert_eq!(BundleNames::new("portal", None).islands, None);
}

#[test]
fn each_page_modules_files_come_from_lines_of_its_own() {
    let hashes = "islands-js: 4556decee66b717f883806\nislands-wasm: 7f48c975dfbed2160c1799\n\
                  cart-js: 0c2d7b1f5e8a9d3c4b6a01\ncart-wasm: 9f1e2d3c4b5a69788a7b6c\n\
                  order-js: 5b1e0c7a3d9f2e4c6a8b10\norder-wasm: 2a4c6e8f0b1d3f5a7c9e11\n\
                  unknown-js: 1\nunknown-wasm: 2\n";
    let names = BundleNames::new("portal", Some(hashes));
    assert_eq!(
        names.modules.get("cart"),
        Some(&(
            "cart.0c2d7b1f5e8a9d3c4b6a01.js".to_owned(),
            "cart.9f1e2d3c4b5a69788a7b6c.wasm".to_owned()
        ))
    );
    assert_eq!(
        names.modules.get("order"),
        Some(&(
            "order.5b1e0c7a3d9f2e4c6a8b10.js".to_owned(),
            "order.2a4c6e8f0b1d3f5a7c9e11.wasm".to_owned()
        ))
    );
    assert_eq!(
        names.islands.map(|(js, _)| js),
        Some("islands.4556decee66b717f883806.js".to_owned())
    );
    // Only the modules `MODULES` names: a line of another name is nobody's.
    assert_eq!(names.modules.keys().copied().collect::<Vec<_>>(), ["cart", "order"]);
    // Half a module is no module: its pages are then hydrated by the whole app.
    assert!(BundleNames::new("portal", Some("cart-wasm: a\n")).modules.is_empty());
    assert!(BundleNames::new("portal", Some("order-js: a\n")).modules.is_empty());
}

#[test]
fn the_modules_are_the_ones_the_build_links() {
    // scripts/setup.sh links the modules it lists in PAGE_MODULES ("NAME Island,Island"): the
    // same names and islands as `MODULES`, or a page would load a module that was not built, or
    // one without its island.
    let setup = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/setup.sh")).unwrap();
    let list = setup
        .split_once("PAGE_MODULES=(\n")
        .unwrap()
        .1
        .split_once("\n)")
        .unwrap()
        .0;
    let built: Vec<(String, Vec<String>)> = list
        .lines()
        .map(|line| {
            let (name, islands) = line.trim().trim_matches('"').split_once(' ').unwrap();
            (name.to_owned(), islands.split(',').map(str::to_owned).collect())
        })
        .collect();
    let listed: Vec<(String, Vec<String>)> = app::ui::islands::MODULES
        .iter()
        .map(|module| {
            (
                module.name.to_owned(),
                module.islands.iter().map(|island| (*island).to_owned()).collect(),
            )
        })
        .collect();
    assert_eq!(built, listed);
    // Each page is in one module at most, and an island in one module.
    let mut islands: Vec<&str> = app::ui::islands::MODULES
        .iter()
        .flat_map(|module| module.islands.iter().copied())
        .collect();
    islands.sort_unstable();
    let count = islands.len();
    islands.dedup();
    assert_eq!(islands.len(), count, "an island in two modules");
}

#[test]
fn each_page_loads_its_module() {
    use app::ui::islands::{PageModule, page_module};
    assert_eq!(page_module("/cart"), PageModule::Module("cart"));
    assert_eq!(page_module("/catalogue"), PageModule::Islands);
    assert_eq!(
        page_module("/checkout/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11"),
        PageModule::Islands
    );
    assert_eq!(page_module("/"), PageModule::Islands);
    let order = "/admin/orders/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11";
    assert_eq!(page_module(order), PageModule::Module("order"));
    assert_eq!(page_module("/admin/payments"), PageModule::Module("payments"));
    assert_eq!(
        page_module("/admin/organisations/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11"),
        PageModule::Module("organisation")
    );
    assert_eq!(page_module("/admin/changes"), PageModule::Module("changes"));
    assert_eq!(page_module("/admin/inquiries"), PageModule::Module("inquiries"));
    assert_eq!(
        page_module("/admin/contact/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11"),
        PageModule::Module("conversation")
    );
    assert_eq!(page_module("/admin/contact"), PageModule::Islands);
    assert_eq!(page_module("/admin/requalify"), PageModule::Module("requalify"));
    assert_eq!(page_module("/admin/digest"), PageModule::Module("digest"));
    // The queues' list is in the storefront's module (a GET form and links).
    assert_eq!(page_module("/admin/orders"), PageModule::Islands);
    for path in [
        "/cart/",
        "/cart/x",
        "/carts",
        "/invoices/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11",
        "/account",
        "/admin/orders/a/b",
        "/requests/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11",
    ] {
        assert_eq!(page_module(path), PageModule::App, "{path}");
    }
}

#[test]
fn only_the_listed_pages_are_served_as_islands() {
    use app::ui::islands::serves_islands;
    assert!(serves_islands("/"));
    assert!(serves_islands("/help"));
    assert!(serves_islands("/catalogue"));
    assert!(serves_islands("/catalogue/office-ltsc-standard-2024"));
    assert!(serves_islands("/login"));
    assert!(serves_islands("/checkout/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11"));
    assert!(serves_islands("/requests"));
    assert!(serves_islands("/admin/orders"));
    assert!(serves_islands("/admin/orders/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11"));
    assert!(serves_islands("/admin/changes"));
    assert!(serves_islands("/admin/inquiries"));
    assert!(serves_islands(
        "/admin/organisations/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11"
    ));
    assert!(serves_islands("/admin"));
    assert!(serves_islands("/admin/organisations"));
    for path in ["/admin/reviews", "/admin/outbox", "/admin/audit", "/admin/contact"] {
        assert!(serves_islands(path), "{path}");
    }
    assert!(serves_islands("/cart"));
    // Every staff page.
    for path in [
        "/admin/catalogue/office-ltsc-standard-2024",
        "/admin/catalogue/new",
        "/admin/help",
        "/admin/legal",
        "/admin/privacy",
        "/admin/import",
        "/admin/import/migration/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11",
        "/admin/staff",
    ] {
        assert!(serves_islands(path), "{path}");
    }
    for path in [
        // The login's second step reads the pending state in the browser: hydrated whole.
        "/login/mfa",
        "/catalogue/",
        "/catalogue/a/b",
        "/cart/",
        "/checkout/",
        "/checkout/a/b",
        "/invoices/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11",
        // One order's page for its organisation acts on it: hydrated whole.
        "/requests/0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11",
        "/admin/orders/",
        "/admin/orders/a/b",
        "/admin/",
        "/admin/organisations/a/b",
        "/admin/catalogue/a/b",
        "/donations",
        "/register",
        "/terms",
        "/admin/contact/",
        "/admin/contact/a/b",
        "/help/",
        "//",
        "",
    ] {
        assert!(!serves_islands(path), "{path}");
    }
}

#[test]
fn every_staff_route_is_served_as_islands() {
    // The route table (app/src/ui/app.rs): each `/admin…` route, with a segment for each
    // parameter, loads an islands' module, never the whole app.
    let routes = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src/ui/app.rs")).unwrap();
    let staff: Vec<String> = routes
        .split("path=path!(\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(path, _)| path))
        .filter(|path| *path == "/admin" || path.starts_with("/admin/"))
        .map(|path| {
            path.split('/')
                .map(|segment| {
                    if segment.starts_with(':') {
                        "0b8a4c1e-5f7d-4d2a-9a49-3f0c6f0e8b11"
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    assert!(staff.len() >= 25, "the staff routes: {staff:?}");
    for path in &staff {
        assert!(app::ui::islands::serves_islands(path), "{path}");
    }
}
