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
