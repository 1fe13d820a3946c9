//! Benchmark of "Continuer": checkouts per second on SQLite (or PostgreSQL with
//! `TEST_DATABASE_URL`), each one a full checkout: lock, idempotency lookup, the rules engine
//! on the organisation's history, two orders (software and hardware), two invoice numbers,
//! audit rows, two outbox e-mails, and the cart emptied. Run with `./bench/checkout.sh`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark script: failing loudly is right"
)]

use app::cart::model::CheckoutOutcome;
use app::db::now;
use app::i18n::Locale;
use app::order::checkout::{CheckoutLines, CheckoutRequest, place};
use app::quota::model::CartInput;
use app::testing::TestDb;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

const SEQUENTIAL: usize = 300;
const CONCURRENT_TASKS: usize = 16;
const CONCURRENT_EACH: usize = 25;

/// A software and a hardware line, so every checkout places two orders with their invoices.
/// The software is a Creative Cloud subscription for a new person each time (one per named
/// user, no yearly cap): Zoom, used before, now counts its 99 licences over every order.
fn cart(key: &str) -> Vec<CartInput> {
    vec![
        CartInput {
            slug: "adobe-creative-cloud-all-apps-discount".into(),
            quantity: 1,
            named_user: format!("{key}@bench.example.org"),
            ..CartInput::default()
        },
        CartInput {
            slug: "dell-latitude-5420".into(),
            quantity: 1,
            ..CartInput::default()
        },
    ]
}

async fn one(state: &app::state::AppState, organisation_id: &str, person_id: &str, key: &str) -> f64 {
    let started = Instant::now();
    let outcome = place(
        state,
        CheckoutRequest {
            organisation_id,
            person_id,
            idempotency_key: key,
            lines: CheckoutLines::Given(cart(key)),
            locale: Locale::fr,
        },
    )
    .await
    .expect("checkout");
    assert!(matches!(outcome, CheckoutOutcome::Placed { .. }), "{outcome:?}");
    started.elapsed().as_secs_f64() * 1_000.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let test_db = TestDb::new().await;
    let db = test_db.db.clone();
    app::demo::load_if_empty(&db, now())
        .await
        .expect("demo data")
        .expect("empty database");
    let vars: HashMap<String, String> = [
        ("DATABASE_URL", test_db.url.as_str()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let config = app::config::Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
    let state = server::app_state(config, db.clone());
    let (organisation_id, person_id): (String, String) = app::on_pool!(&db, |pool| sqlx::query_as(
        "select o.organisation_id, m.person_id from organisation o \
         join membership m on m.organisation_id = o.organisation_id and m.role = 'account_holder' \
         where o.legal_name = 'Les Amis du Quartier ASBL'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    println!("backend: {:?}", db.backend());

    // Warm-up, then one checkout after the other.
    for n in 0..20 {
        one(&state, &organisation_id, &person_id, &format!("warm-up-key-{n:010}")).await;
    }
    let started = Instant::now();
    let mut times = Vec::with_capacity(SEQUENTIAL);
    for n in 0..SEQUENTIAL {
        times.push(one(&state, &organisation_id, &person_id, &format!("sequential-key-{n:010}")).await);
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    println!(
        "sequential: {SEQUENTIAL} checkouts (2 orders, 2 invoices each) in {elapsed:.2} s = {:.0} checkouts/s; \
         latency p50 {:.2} ms, p99 {:.2} ms",
        SEQUENTIAL as f64 / elapsed,
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );

    // Many tasks at once, as from many browsers of one organisation (the worst case: they all
    // queue on the same lock).
    let state = Arc::new(state);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..CONCURRENT_TASKS {
        let (state, organisation_id, person_id) = (state.clone(), organisation_id.clone(), person_id.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for n in 0..CONCURRENT_EACH {
                times.push(
                    one(
                        &state,
                        &organisation_id,
                        &person_id,
                        &format!("parallel-key-{t:03}-{n:06}"),
                    )
                    .await,
                );
            }
            times
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let total = CONCURRENT_TASKS * CONCURRENT_EACH;
    println!(
        "concurrent: {total} checkouts from {CONCURRENT_TASKS} tasks in {elapsed:.2} s = {:.0} checkouts/s; \
         latency p50 {:.2} ms, p99 {:.2} ms",
        total as f64 / elapsed,
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    let orders: i64 = app::on_pool!(&db, |pool| sqlx::query_scalar(
        "select count(*) from purchase_order where checkout_id is not null"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    println!("orders created: {orders} (expected {})", 2 * (20 + SEQUENTIAL + total));
}
