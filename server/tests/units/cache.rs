//! The home page's figure cache (`app::home::cache`).
//! Moved from `app/src/home/cache.rs`'s unit tests.

use app::home::cache::Cached;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[tokio::test]
async fn a_cold_value_is_computed_once_for_everyone_waiting() {
    let test_db = app::testing::TestDb::new().await;
    let cached: Arc<Cached<(), u32>> = Arc::new(Cached::new(Duration::from_secs(60)));
    let runs = Arc::new(AtomicUsize::new(0));
    let mut visitors = Vec::new();
    for _ in 0..16 {
        let (cached, runs, db) = (cached.clone(), runs.clone(), test_db.db.clone());
        visitors.push(tokio::spawn(async move {
            cached
                .get(&db, (), move |_, ()| {
                    let runs = runs.clone();
                    async move {
                        runs.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(7)
                    }
                })
                .await
        }));
    }
    for visitor in visitors {
        assert_eq!(visitor.await.unwrap().unwrap(), 7);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// A rolling cache (the counters' cache periods) answers the previous period's value while
/// it computes the new period's, so no visitor waits at a period's start.
#[tokio::test]
async fn a_new_period_answers_the_previous_value_while_its_own_is_computed() {
    let test_db = app::testing::TestDb::new().await;
    let cached: Cached<i64, u32> = Cached::rolling(Duration::from_secs(60));
    let slow = |value: u32| {
        move |_: app::db::Db, _: i64| async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok::<u32, sqlx::Error>(value)
        }
    };
    assert_eq!(cached.get(&test_db.db, 1, slow(7)).await.unwrap(), 7);
    assert_eq!(
        cached.get(&test_db.db, 2, slow(8)).await.unwrap(),
        7,
        "the previous period's"
    );
    let mut seen = 7;
    for _ in 0..100 {
        seen = cached.get(&test_db.db, 2, slow(9)).await.unwrap();
        if seen != 7 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, 8, "then the new period's, computed once");
    // A plain cache computes a new key's value before answering.
    let plain: Cached<i64, u32> = Cached::new(Duration::from_secs(60));
    assert_eq!(plain.get(&test_db.db, 1, slow(7)).await.unwrap(), 7);
    assert_eq!(plain.get(&test_db.db, 2, slow(8)).await.unwrap(), 8);
}

/// Issue 21: with the counters cached per instance, visitors saw 29, 28, 28 in turn across
/// instances. Two instances' caches over one database now answer the same figures for the
/// whole cache period, even when the data changed between their first visits.
#[tokio::test]
async fn instances_show_the_same_counters_in_a_cache_period() {
    use app::home::cache::Aggregates;
    let test_db = crate::common::demo_database().await;
    let db = &test_db.db;
    // A day: the period boundary (midnight UTC) is not crossed during the test.
    let (first, second) = (
        Aggregates::new(Duration::from_secs(86_400)),
        Aggregates::new(Duration::from_secs(86_400)),
    );
    let seen_first = app::home::api::shared_counters(db, &first).await.unwrap();
    assert!(seen_first.products_distributed > 0);
    app::on_pool!(db, |pool| sqlx::query("update order_line set cancelled_at = $1")
        .bind(app::db::now())
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    let now_true = app::home::api::counters(db).await.unwrap();
    assert_ne!(now_true, seen_first, "the data did change");
    let seen_second = app::home::api::shared_counters(db, &second).await.unwrap();
    assert_eq!(
        seen_second, seen_first,
        "the second instance answers what the first one showed"
    );
    assert_eq!(app::home::api::shared_counters(db, &first).await.unwrap(), seen_first);
    // Without a cache period, every instance computes afresh.
    let uncached = Aggregates::new(Duration::ZERO);
    assert_eq!(app::home::api::shared_counters(db, &uncached).await.unwrap(), now_true);
}
