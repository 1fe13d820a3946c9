//! The database after errors: a connection left inside a transaction is never handed out
//! again, and `/readyz` says whether the database accepts writes (`/healthz` only reads).
//! After a full disk was freed, 12–37 % of writes still failed with "attempted to call
//! begin_with at non-zero transaction depth" while `/healthz` said ok.

use crate::common;

use app::db::Db;
use common::spawn_app;
use sqlx::TransactionManager as _;

/// Puts one pooled connection inside a transaction that nothing will end, as sqlx 0.8 does
/// when a COMMIT and its ROLLBACK both fail (a full disk) or a future is dropped during BEGIN,
/// and returns it to the pool.
async fn leak_a_transaction(db: &Db) {
    match db {
        Db::Sqlite(pool, _) => {
            let mut conn = pool.acquire().await.expect("a connection");
            <sqlx::Sqlite as sqlx::Database>::TransactionManager::begin(&mut *conn, None)
                .await
                .expect("begin");
        }
        Db::Postgres(pool) => {
            let mut conn = pool.acquire().await.expect("a connection");
            <sqlx::Postgres as sqlx::Database>::TransactionManager::begin(&mut *conn, None)
                .await
                .expect("begin");
        }
    }
}

/// One write through the app's own write path, committed: an attempt row with this subject.
async fn write(db: &Db, subject: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    app::on_tx!(&mut tx, |conn| sqlx::query(
        "insert into auth_attempt (auth_attempt_id, kind, subject, attempted_at) values ($1, 'login', $2, $3)"
    )
    .bind(app::db::new_id())
    .bind(subject)
    .bind(app::db::now())
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    tx.commit().await
}

#[tokio::test]
async fn a_connection_left_in_a_transaction_is_never_reused() {
    let app = spawn_app().await;
    // One connection, so that the next writes must get the one left in its transaction.
    let db = Db::connect(&app.test_db.url, 1).await.expect("a one-connection pool");
    leak_a_transaction(&db).await;
    for i in 0..3 {
        write(&db, &format!("after-{i}"))
            .await
            .unwrap_or_else(|error| panic!("write {i} after the stale transaction: {error}"));
    }
    db.close().await;
    // Committed for real: another pool sees all three (on PostgreSQL the stale transaction's
    // BEGIN turned them into savepoints that were never committed).
    let seen = app::on_pool!(app.db(), |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from auth_attempt where subject like 'after-%'"
    )
    .fetch_one(pool)
    .await)
    .expect("count");
    assert_eq!(seen, 3);
}

async fn refuse_probe_writes(db: &Db, refuse: bool) {
    let statements: &[&str] = match (db, refuse) {
        (Db::Sqlite(..), true) => &[
            "create trigger refuse_probe_insert before insert on readiness_probe begin select raise(abort, 'disk full'); end",
            "create trigger refuse_probe_update before update on readiness_probe begin select raise(abort, 'disk full'); end",
        ],
        (Db::Sqlite(..), false) => &["drop trigger refuse_probe_insert", "drop trigger refuse_probe_update"],
        (Db::Postgres(_), true) => &[
            "create function refuse_probe() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$",
            "create trigger refuse_probe before insert or update on readiness_probe for each row execute function refuse_probe()",
        ],
        (Db::Postgres(_), false) => &["drop trigger refuse_probe on readiness_probe"],
    };
    for statement in statements {
        app::on_pool!(db, |pool| sqlx::query(statement)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
        .expect(statement);
    }
}

#[tokio::test]
async fn readiness_says_whether_the_database_accepts_writes() {
    let app = spawn_app().await;
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);
    refuse_probe_writes(app.db(), true).await;
    assert_eq!(app.get("/readyz").await.status().as_u16(), 503);
    assert_eq!(
        app.get("/healthz").await.status().as_u16(),
        200,
        "reads still work: only readiness tells"
    );
    refuse_probe_writes(app.db(), false).await;
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);
}
