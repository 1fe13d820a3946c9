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
use app::db::testing::TestDb;
use app::order::db::{NewOrder, insert_order, insert_order_line};
use app::order::model::{OrderCategory, OrderStatus};
use app::quota::model::CartLine;
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
            insert_order_line(&mut tx, &order_id, product_id, 1, now())
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

    let slugs: Vec<String> = (0..CART_LINES)
        .map(|i| products[i % products.len()].1.clone())
        .collect();
    let mut timings = Vec::with_capacity(RUNS);
    let mut history_load = Vec::with_capacity(RUNS);
    let mut pure_check = Vec::with_capacity(RUNS);
    let mut accepted = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let cart_products = app::quota::db::products_by_slug(&db, &slugs).await.unwrap();
        let cart: Vec<CartLine> = slugs
            .iter()
            .filter_map(|slug| cart_products.iter().find(|(s, _)| s == slug))
            .map(|(_, product)| CartLine {
                product: product.clone(),
                quantity: 1,
                aws_account: None,
            })
            .collect();
        assert_eq!(cart.len(), CART_LINES);
        let (country, standing) = app::quota::db::standing(&db, &organisation_id).await.unwrap().unwrap();
        let versions = app::quota::db::rule_versions(&db, &country).await.unwrap();
        let today = now().date_naive();
        let rules = app::quota::rules::rules_in_force(&versions, today);
        let loading = Instant::now();
        let history = app::quota::db::history(&db, &organisation_id).await.unwrap();
        history_load.push(loading.elapsed());
        let checking = Instant::now();
        let verdict = app::quota::rules::check(&standing, &rules, &history, &cart, today);
        pure_check.push(checking.elapsed());
        timings.push(start.elapsed());
        accepted = verdict.lines.iter().filter(|v| v.is_accepted()).count();
        assert_eq!(
            history.len(),
            ORDERS * LINES_PER_ORDER * 9 / 10 + 4,
            "history without cancelled orders"
        );
    }
    timings.sort();
    history_load.sort();
    pure_check.sort();
    println!(
        "of which: history query + decoding median {:.2?}; pure check() median {:.2?}",
        history_load[RUNS / 2],
        pure_check[RUNS / 2]
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
