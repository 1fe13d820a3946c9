# Shared by scripts/run.sh and scripts/test.sh: installs what is missing, once.
# Source it; every function is idempotent and fast when the tool is already there.
# Versions proven on these machines: ../shared/toolchain.md.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# The builds' flags come from .cargo/config.toml (erased view types); a RUSTFLAGS variable
# would replace them and make every build one of its own.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# binaryen's version in the wasm-opt crate (0.116.1), which ensure_rust_tools installs.
WASM_OPT_VERSION="116"
ensure_rust_tools() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores, once)"
    cargo install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION"
  fi
  # The wasm-bindgen CLI must match the crate version locked in Cargo.lock exactly.
  local want
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    say "installing wasm-bindgen-cli $want"
    cargo install wasm-bindgen-cli --version "$want"
  fi
  # wasm-opt (cargo-leptos' release step, and the islands' modules): binaryen compiled natively
  # by the wasm-opt crate. The npm build of binaryen it replaced is the same optimiser compiled
  # to WASM and run by node on one thread: the site's 42 files took 160 s against 41–48 s, for the
  # same sizes (BENCHMARKS.md). Debian's binaryen (108) is older, and breaks the modules:
  # it exports wasm-bindgen's `externref` table as the function table.
  if ! wasm-opt --version 2>/dev/null | grep -q "version $WASM_OPT_VERSION "; then
    say "installing wasm-opt (binaryen $WASM_OPT_VERSION; about 12 minutes on 2 cores, once)"
    cargo install --locked "wasm-opt@0.$WASM_OPT_VERSION.1"
  fi
}

# cargo-fuzz runs the parser fuzz targets of fuzz/ (scripts/fuzz.sh).
CARGO_FUZZ_VERSION="0.13.2"
ensure_cargo_fuzz() {
  if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION (a few minutes, once)"
    cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION"
  fi
}

# npm packages of end2end/: Playwright and axe-core.
ensure_node_packages() {
  if ! command -v npm >/dev/null; then apt_install nodejs npm; fi
  local stamp="$ROOT/end2end/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/end2end/package-lock.json" -nt "$stamp" ]; then
    say "installing the npm packages of end2end/"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The full browser measures the web vitals (bench/); the browser suite runs in its headless
# shell (end2end/playwright.config.ts).
ensure_chromium() {
  apt_install chromium chromium-headless-shell
}

# pdftotext and pdfinfo read the invoice PDFs back in the tests.
ensure_pdf_tools() {
  if ! command -v pdftotext >/dev/null; then apt_install poppler-utils; fi
}

# The load balancer of deploy/haproxy.cfg, for scripts/failover.sh.
ensure_haproxy() {
  command -v haproxy >/dev/null || apt_install haproxy
}

ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install postgresql
  fi
}

# saxonche (Saxon-HC, XSLT 3.0, from PyPI, pinned) runs the official Peppol BIS 3.0 rules in
# scripts/peppol.py; a virtual environment of its own under target/, like schemathesis's.
SAXONCHE_VERSION="13.1.1"
PEPPOL_VENV="$ROOT/target/peppol-venv"
# The contract test's generator (scripts/contract.sh), from PyPI, pinned, in its own venv.
SCHEMATHESIS_VERSION="4.32.5"
SCHEMATHESIS_VENV="$ROOT/target/schemathesis-venv"
ensure_schemathesis() {
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then apt_install python3-venv; fi
  if ! "$SCHEMATHESIS_VENV/bin/schemathesis" --version 2>/dev/null | grep -q " $SCHEMATHESIS_VERSION\$"; then
    say "installing schemathesis $SCHEMATHESIS_VERSION in $SCHEMATHESIS_VENV"
    rm -rf "$SCHEMATHESIS_VENV"
    python3 -m venv "$SCHEMATHESIS_VENV"
    "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

# The benchmark suite's load generator and compressor (bench/run.sh).
ensure_bench_tools() {
  command -v wrk >/dev/null || apt_install wrk
  command -v brotli >/dev/null || apt_install brotli
}

ensure_peppol_validator() {
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then apt_install python3-venv; fi
  if ! "$PEPPOL_VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('saxonche') != '$SAXONCHE_VERSION')" 2>/dev/null; then
    say "installing saxonche $SAXONCHE_VERSION in $PEPPOL_VENV"
    rm -rf "$PEPPOL_VENV"
    python3 -m venv "$PEPPOL_VENV"
    "$PEPPOL_VENV/bin/pip" install --quiet --disable-pip-version-check "saxonche==$SAXONCHE_VERSION"
  fi
}

# Release build of the server and the WASM bundle (target/release/server, target/site/).
build_release() {
  say "building the release (cargo leptos build --release)"
  # --split: each page becomes its own WASM chunk (the `lazy_pages!` routes in app/src/ui/app.rs).
  build_front_and_islands
  precompress_site
}

# The browser modules of the pages served as islands (crates/islands, app::ui::islands), which
# cargo-leptos does not build: each a link of one WASM build of crates/islands, with the very
# environment and features cargo-leptos gives its own WASM build, so that it reuses every
# compiled crate in target/front, `app` included, and only links. Its linker
# (scripts/wasm_linker.sh) leaves out the exports of the app's split points, which would
# link every page into it, and those of the islands the module does not hold. The storefront's
# module (`islands`) holds every island but those of the other modules, the pages that are one
# island each (app::ui::islands::MODULES, which a test compares with this list): NAME, then the
# islands it holds beside the header's.
PAGE_MODULES=(
  "cart Cart"
  "order StaffOrder"
  "payments Payments"
  "organisation OrganisationReview"
  "changes ChangeRequests"
  "inquiries Inquiries"
  "conversation StaffConversation"
  "requalify Requalify"
  "digest DigestForm"
  "joins JoinRequests"
  "clients PartnerClients"
  "rules RulesEditor"
  "team StaffTeam"
  "catalogue CatalogueAdmin"
  "helpdesk HelpEditor"
  "legal LegalTextForm"
  "erasure PeopleFound"
  "imports CsvImport"
  "migration ImportRun"
  "product ProductEditor"
)
page_module_islands() {
  local module islands=()
  for module in "${PAGE_MODULES[@]}"; do islands+=("${module#* }"); done
  (IFS=,; echo "${islands[*]}")
}
ISLAND_MODULES=("islands --islands-without=$(page_module_islands)")
for module in "${PAGE_MODULES[@]}"; do
  ISLAND_MODULES+=("${module%% *} --islands=MenuToggle,LanguageSwitch,${module#* }")
done
# NAME SELECTION: target/front/NAME.wasm.
compile_islands_module() {
  (cd "$ROOT" && env LEPTOS_OUTPUT_NAME=portal LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend LEPTOS_BIN_DIR=server \
    LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt \
    RUSTFLAGS="--cfg erase_components -Clink-args=--emit-relocs" \
    cargo rustc --package=islands --lib --target-dir="$ROOT/target/front" --target=wasm32-unknown-unknown \
    --no-default-features --profile=wasm-release -- -C link-arg=--no-split-points -C link-arg="$2")
  cp "$ROOT/target/front/wasm32-unknown-unknown/wasm-release/islands.wasm" "$ROOT/target/front/$1.wasm"
}

# NAME: then wasm-bindgen and wasm-opt, as cargo-leptos runs them but for the level. Its files
# are named after their content, and `target/release/hash.txt` gets their hashes (`NAME-js:`,
# `NAME-wasm:`), where the server looks for them.
package_islands_module() {
  local name="$1" started; started="$(date +%s)"
  local out="$ROOT/target/front/$name-pkg" pkg="$ROOT/target/site/pkg" hashes="$ROOT/target/release/hash.txt"
  rm -rf "$out" && mkdir -p "$out"
  python3 "$ROOT/scripts/wasm_without_relocs.py" "$ROOT/target/front/$name.wasm" "$out/linked.wasm"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name "$name" "$out/linked.wasm"
  # A split point's export left in would have linked every page: the islands' linker failed.
  if grep -q __wasm_split_00 "$out/${name}_bg.wasm"; then
    echo "the module $name exports the app's split points (scripts/wasm_linker.sh)" >&2
    return 1
  fi
  # -O1, not cargo-leptos' -Oz: on these modules its output is 3-7 % smaller once brotli has
  # compressed it (the order's page: 256 against 272 KB), in a fifth of the time (2.6 against
  # 12.4 s of CPU), and the pages hydrate as fast (BENCHMARKS.md).
  wasm-opt -O1 --enable-bulk-memory --enable-nontrapping-float-to-int "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
  local js_hash wasm_hash
  js_hash="$(sha256sum "$out/$name.js" | cut -c1-22)"
  wasm_hash="$(sha256sum "$out/${name}_bg.wasm" | cut -c1-22)"
  rm -f "$pkg/$name".*
  cp "$out/$name.js" "$pkg/$name.$js_hash.js"
  cp "$out/${name}_bg.wasm" "$pkg/$name.$wasm_hash.wasm"
  sed -i "/^$name-/d" "$hashes"
  printf '%s-js: %s\n%s-wasm: %s\n' "$name" "$js_hash" "$name" "$wasm_hash" >> "$hashes"
  echo "module $name: $(stat -c %s "$pkg/$name.$wasm_hash.wasm") bytes of WASM," \
    "islands $(grep -o 'export function [A-Za-z]*' "$out/$name.js" | cut -d' ' -f3 | grep -v '^hydrate$' | tr '\n' ' ')packaged in $(($(date +%s) - started)) s"
}

# cargo-leptos' WASM build, then the islands' modules, which link what it compiled.
build_front_and_islands() {
  (cd "$ROOT" && cargo leptos build --release --split "$@")
  local module started
  for module in "${ISLAND_MODULES[@]}"; do
    started="$(date +%s)"
    # shellcheck disable=SC2086 # NAME SELECTION
    compile_islands_module $module
    echo "module ${module%% *} linked in $(($(date +%s) - started)) s"
  done
  for module in "${ISLAND_MODULES[@]}"; do package_islands_module "${module%% *}"; done
}

# A brotli (quality 11) and a gzip (level 9) copy beside each file of the site, which the
# server sends as they are (`ServeDir`'s precompressed files): on the fly it compresses at a
# low level to keep up, and the WASM went out 30 % larger. Both cores, one file each.
precompress_site() {
  command -v brotli >/dev/null || apt_install brotli
  local started; started="$(date +%s)"
  find "$ROOT/target/site" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.json' \) -print0 |
    xargs -0 -P 2 -n 1 sh -c 'brotli --quality=11 --force --keep --output="$1.br" "$1" && gzip -9 --no-name --force --keep "$1"' precompress
  echo "precompressed $(find "$ROOT/target/site" -type f -name '*.br' | wc -l) files (brotli 11, gzip 9) in $(($(date +%s) - started)) s"
}

# The two halves of build_release, for the test command, which builds the WASM beside the tests:
# the site (WASM, JS, CSS and public files, in target/front and target/site) ...
build_release_front() {
  build_front_and_islands --frontend-only
  precompress_site
}
# ... and the server binary (target/release), which leaves the site as it is.
build_release_server() {
  (cd "$ROOT" && cargo leptos build --release --server-only)
}

# The server binary the failover test and the benchmarks start: the release build unless the
# caller names another. The test command names its own test build (`target/debug/server`,
# built without debug assertions, like the release WASM it serves: Cargo.toml's
# [profile.test]), which spares it a release build of the server.
SERVER_BIN="${SERVER_BIN:-$ROOT/target/release/server}"

# Environment the built server needs when started outside cargo-leptos.
export_site_env() {
  export LEPTOS_OUTPUT_NAME=portal
  export LEPTOS_SITE_ROOT="$ROOT/target/site"
  export LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_ENV=PROD
}
