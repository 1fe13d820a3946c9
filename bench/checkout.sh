#!/usr/bin/env bash
# Checkouts per second ("Continuer": two orders, two invoices, e-mails, audit) on a SQLite file,
# one after the other and from 16 tasks at once. Release build.
# TEST_DATABASE_URL=postgres://…/postgres runs it on PostgreSQL instead.
source "$(dirname "$0")/../scripts/setup.sh"
cd "$ROOT"
cargo run --quiet --release -p server --example checkout_bench
