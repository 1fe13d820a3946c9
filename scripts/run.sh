#!/usr/bin/env bash
# Run command: installs what is missing, builds the release, creates and migrates the SQLite
# database, loads the demo data into an empty database and serves the portal.
#   ./scripts/run.sh                 → http://127.0.0.1:3000
#   LEPTOS_SITE_ADDR=0.0.0.0:8080 ./scripts/run.sh
# Other settings: .env.sample (a .env file in the project root is read at start).
source "$(dirname "$0")/setup.sh"

ensure_rust_tools
ensure_node_packages
build_release
export_site_env
export DEMO_DATA="${DEMO_DATA:-true}"
cd "$ROOT"
say "starting the server (Ctrl-C stops it)"
exec "$ROOT/target/release/server"
