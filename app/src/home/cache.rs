//! Figures over the whole programme (the home counters, the staff dashboard's twelve months),
//! kept in memory for a while.
//!
//! Both sum every fulfilled order line: about a second at a million lines on SQLite
//! (`bench/run.sh`, BENCHMARKS.md), on the most visited page. They change slowly and nobody
//! relies on them being to the second, so each instance keeps the last result for
//! `AGGREGATE_CACHE_SECONDS` (60 by default; 0 computes every time). An expired value is still
//! answered while one background task computes the next, so no visitor waits for the sum
//! after the first. Queue counts, which staff act on, are never cached.
//! The home counters are moreover shared between instances: each period's value is stored in
//! the database by the first instance that computes it (`home::api::shared_counters`), and
//! cached here under that period, so every instance answers the same figures.

use crate::db::Db;
use crate::home::model::HomeCounters;
use crate::home::model::MonthFigures;
use chrono::NaiveDate;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One cached value: when it was computed, and whether a refresh is under way.
struct Slot<K, T> {
    value: Option<(Instant, K, T)>,
    refreshing: bool,
}

/// A value computed from the database, per key (the dashboard's months depend on the day).
pub struct Cached<K, T> {
    ttl: Duration,
    slot: Arc<Mutex<Slot<K, T>>>,
    /// Held while a value is computed for visitors who have none to be given: the others
    /// wait for it instead of each running the same sum (a cold start under load ran 16 at
    /// once and timed out every request for seconds).
    first: tokio::sync::Mutex<()>,
    /// Whether a value for another key is still answered while the new key's is computed
    /// (keys that only move forward, such as cache periods).
    rolling: bool,
}

impl<K, T> Cached<K, T>
where
    K: Clone + PartialEq + Send + 'static,
    T: Clone + Send + 'static,
{
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slot: Arc::new(Mutex::new(Slot {
                value: None,
                refreshing: false,
            })),
            first: tokio::sync::Mutex::new(()),
            rolling: false,
        }
    }

    /// A cache whose key moves forward (a cache period): when the key changes, the previous
    /// key's value is answered once more while a background task computes the new one, as
    /// an expired value is, so no visitor waits at a period's start.
    pub fn rolling(ttl: Duration) -> Self {
        Self {
            rolling: true,
            ..Self::new(ttl)
        }
    }

    /// The value for `key`: the cached one while fresh; an expired one while a background
    /// task computes its successor; otherwise computed now.
    pub async fn get<F, Fut>(&self, db: &Db, key: K, compute: F) -> Result<T, sqlx::Error>
    where
        F: Fn(Db, K) -> Fut,
        Fut: Future<Output = Result<T, sqlx::Error>> + Send + 'static,
    {
        if self.ttl.is_zero() {
            return compute(db.clone(), key).await;
        }
        if let Some(value) = self.fresh_or_stale(db, &key, &compute) {
            return Ok(value);
        }
        let _first = self.first.lock().await;
        // Another visitor may have computed it while this one waited.
        if let Some(value) = self.fresh_or_stale(db, &key, &compute) {
            return Ok(value);
        }
        let fresh = compute(db.clone(), key.clone()).await?;
        let mut slot = self.slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.value = Some((Instant::now(), key, fresh.clone()));
        Ok(fresh)
    }

    /// The cached value for `key` if there is one: fresh, or expired (then a background task
    /// computes its successor, one at a time). `None` when there is nothing for `key`.
    fn fresh_or_stale<F, Fut>(&self, db: &Db, key: &K, compute: &F) -> Option<T>
    where
        F: Fn(Db, K) -> Fut,
        Fut: Future<Output = Result<T, sqlx::Error>> + Send + 'static,
    {
        let stale = {
            let mut slot = self.slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match &slot.value {
                Some((at, k, value)) if k == key && at.elapsed() < self.ttl => return Some(value.clone()),
                Some((_, k, value)) if k == key && !slot.refreshing => {
                    let value = value.clone();
                    slot.refreshing = true;
                    Some(value)
                }
                Some((_, k, value)) if k == key => return Some(value.clone()),
                Some((_, _, value)) if self.rolling && !slot.refreshing => {
                    let value = value.clone();
                    slot.refreshing = true;
                    Some(value)
                }
                Some((_, _, value)) if self.rolling => return Some(value.clone()),
                _ => None,
            }
        };
        match stale {
            Some(value) => {
                let (slot, future) = (self.slot.clone(), compute(db.clone(), key.clone()));
                let key = key.clone();
                tokio::spawn(async move {
                    let result = future.await;
                    let mut slot = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    slot.refreshing = false;
                    match result {
                        Ok(fresh) => slot.value = Some((Instant::now(), key, fresh)),
                        Err(error) => {
                            tracing::warn!(%error, "refreshing a cached aggregate failed; the old value stays")
                        }
                    }
                });
                Some(value)
            }
            None => None,
        }
    }
}

/// The cached figures of one instance.
pub struct Aggregates {
    /// The home counters (also on the staff dashboard), for the cache period they were stored
    /// for in the database, shared by all instances (`home::api::shared_counters`).
    pub counters: Cached<i64, HomeCounters>,
    /// The dashboard's twelve months, for the day they end with.
    pub months: Cached<NaiveDate, Vec<MonthFigures>>,
    ttl: Duration,
}

impl Aggregates {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            counters: Cached::rolling(ttl),
            months: Cached::new(ttl),
        }
    }

    /// How long figures are kept (`AGGREGATE_CACHE_SECONDS`).
    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}
