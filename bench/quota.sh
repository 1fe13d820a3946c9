#!/usr/bin/env bash
# Times "Vérifier la qualification" (rules + standing + history loaded from the database, then
# the pure verdict) for a 50-line cart against 5,000 past order lines. Release build.
# TEST_DATABASE_URL=postgres://…/postgres runs it on PostgreSQL instead of a SQLite file.
source "$(dirname "$0")/../scripts/setup.sh"
cd "$ROOT"
cargo run --quiet --release -p server --example quota_bench
