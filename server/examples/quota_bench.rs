//! Benchmark of "Vérifier la qualification": a 50-line cart against 5,000 past order lines,
//! including loading the rules, the standing and the history from the database. Prints
//! figures; run it with `./bench/quota.sh` (release build). Uses a throwaway database
//! (`TEST_DATABASE_URL` picks PostgreSQL, as for the tests).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark script: failing loudly is right"
)]

use app::db::now;
use app::order::db::{NewOrder, insert_order, insert_order_line};
use app::order::model::{OrderCategory, OrderStatus};
use app::quota::model::CartInput;
use app::testing::TestDb;
use std::time::Instant;

const ORDERS: usize = 1_000;
const LINES_PER_ORDER: usize = 5;
const CART_LINES: usize = 50;
const RUNS: usize = 200;

#[tokio::main]
async fn main() {
    let test_db = TestDb::new().await;
    let db = test_db.db.clone();
    app::demo::load_if_empty(&db, now())
        .await
        .expect("demo data")
        .expect("empty database");
    let organisation_id: String = app::on_pool!(&db, |pool| sqlx::query_scalar(
        "select organisation_id from organisation where legal_name = 'Les Amis du Quartier ASBL'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let products: Vec<(String, String)> = app::on_pool!(&db, |pool| sqlx::query_as(
        "select product_id, slug from product where active order by slug"
    )
    .fetch_all(pool)
    .await)
    .unwrap();

    // 5,000 past lines over the last three years.
    let seeded = Instant::now();
    let mut tx = db.begin().await.unwrap();
    for n in 0..ORDERS {
        let submitted = now() - chrono::Duration::days(i64::try_from(n % 1_000).unwrap());
        let order = NewOrder {
            reference: &format!("BENCH-{n:05}"),
            organisation_id: &organisation_id,
            category: OrderCategory::Software,
            status: if n % 10 == 0 {
                OrderStatus::Cancelled
            } else {
                OrderStatus::Fulfilled
            },
            submitted_at: submitted,
            validated_at: Some(submitted),
        };
        let order_id = insert_order(&mut tx, &order, now()).await.unwrap();
        for l in 0..LINES_PER_ORDER {
            let (product_id, _) = &products[(n * LINES_PER_ORDER + l) % products.len()];
            insert_order_line(&mut tx, &order_id, product_id, 1, None, now())
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    println!(
        "seeded {} past lines in {:.1?}",
        ORDERS * LINES_PER_ORDER,
        seeded.elapsed()
    );

    // A live PostgreSQL has planner statistics (autovacuum gathers them); a database seeded a
    // second ago has none, and its plans would be those of an empty table.
    if let app::db::Db::Postgres(pool) = &db {
        sqlx::query("analyze").execute(pool).await.unwrap();
    }

    // BENCH_KEEP_DB=/path/file.db keeps a copy of the seeded SQLite database, to study the
    // queries in the sqlite3 shell (EXPLAIN QUERY PLAN, .timer on).
    if let (Ok(path), app::db::Db::Sqlite(pool, _)) = (std::env::var("BENCH_KEEP_DB"), &db) {
        let _ = std::fs::remove_file(&path);
        sqlx::query("vacuum into $1").bind(&path).execute(pool).await.unwrap();
        println!("kept a copy in {path} (organisation {organisation_id})");
    }

    let lines: Vec<CartInput> = (0..CART_LINES)
        .map(|i| CartInput {
            slug: products[i % products.len()].1.clone(),
            quantity: 1,
            ..CartInput::default()
        })
        .collect();
    let mut timings = Vec::with_capacity(RUNS);
    let mut loading = Vec::with_capacity(RUNS);
    let mut judging = Vec::with_capacity(RUNS);
    let mut accepted = 0;
    let mut loaded = 0;
    for _ in 0..RUNS {
        // What the server function does, minus the session lookup.
        let start = Instant::now();
        let today = now().with_timezone(&app::calendar::BELGIUM).date_naive();
        let inputs = app::quota::db::engine_inputs(&db, &organisation_id, today)
            .await
            .unwrap()
            .unwrap();
        loading.push(start.elapsed());
        let judged = Instant::now();
        let verdict = app::quota::rules::judge(&inputs, &lines).unwrap();
        judging.push(judged.elapsed());
        timings.push(start.elapsed());
        accepted = verdict.lines.iter().filter(|v| v.is_accepted()).count();
        loaded = inputs.history.len();
    }
    timings.sort();
    loading.sort();
    judging.sort();
    println!(
        "the history window: {loaded} lines (summed per product) stand for the {} past lines",
        ORDERS * LINES_PER_ORDER
    );
    println!(
        "of which: loading the inputs (standing, rules, history window, products) median {:.2?}; \
         judging median {:.2?}",
        loading[RUNS / 2],
        judging[RUNS / 2]
    );
    let pick = |q: f64| timings[((timings.len() - 1) as f64 * q).round() as usize];
    println!(
        "verdict, {CART_LINES}-line cart, {} past lines, load included, {} runs on {:?}: median {:.2?}, p95 {:.2?}, max {:.2?} ({accepted} lines accepted)",
        ORDERS * LINES_PER_ORDER,
        RUNS,
        db.backend(),
        pick(0.5),
        pick(0.95),
        pick(1.0),
    );
    db.close().await;
}
