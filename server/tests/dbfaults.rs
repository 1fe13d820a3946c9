//! The database after errors: a connection left inside a transaction is never handed out
//! again, and `/readyz` says whether the database accepts writes (`/healthz` only reads).
//! After a full disk was freed, 12–37 % of writes still failed with "attempted to call
//! begin_with at non-zero transaction depth" while `/healthz` said ok.

use crate::common;

use app::db::Db;
use common::spawn_app;
use sqlx::Connection as _;

/// Puts one pooled connection inside a transaction that nothing will end, as sqlx 0.8 did
/// when a COMMIT and its ROLLBACK both failed (a full disk) or a future was dropped during
/// BEGIN, and returns it to the pool: the transaction's guard is forgotten, so its rollback
/// on drop never runs.
async fn leak_a_transaction(db: &Db) {
    match db {
        Db::Sqlite(pool, _) => {
            let mut conn = pool.acquire().await.expect("a connection");
            std::mem::forget(conn.begin().await.expect("begin"));
        }
        Db::Postgres(pool) => {
            let mut conn = pool.acquire().await.expect("a connection");
            std::mem::forget(conn.begin().await.expect("begin"));
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
    let statements: &[&'static str] = match (db, refuse) {
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
    for &statement in statements {
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

#[tokio::test]
async fn an_organisations_documents_stay_within_its_storage_quota_under_concurrent_uploads() {
    let app = std::sync::Arc::new(
        common::spawn_app_with(&[("DOCUMENT_STORAGE_PER_ORGANISATION_MIB", "1")])
            .await
            .with_demo()
            .await,
    );
    let holder = app.login("amis", common::DEMO_PASSWORD).await;
    // 400 KiB each: two fit in 1 MiB, a third does not, however many are sent at once.
    // A PDF as the upload check wants it: its header, and `%%EOF` at its end.
    let mut content = b"%PDF-1.7\n".to_vec();
    content.resize(400 * 1024 - 6, b' ');
    content.extend_from_slice(b"\n%%EOF");
    let content = std::sync::Arc::new(content);
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let (app, cookie, content) = (app.clone(), holder.cookie.clone(), content.clone());
            tokio::spawn(async move {
                let cookie = cookie.unwrap_or_default();
                let response =
                    crate::accounts::upload_statutes(&app, &cookie, &format!("statuts {i}.pdf"), &content).await;
                crate::accounts::location(&response)
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("an upload task"));
    }
    let ok = outcomes.iter().filter(|o| *o == "/account?upload=ok").count();
    let full = outcomes.iter().filter(|o| *o == "/account?upload=storage_full").count();
    assert_eq!((ok, full), (2, 8), "{outcomes:?}");
    // The page tells why, in the visitor's language.
    let page = app
        .get_as(&holder, "/account?upload=storage_full")
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("est plein"), "the French message");
    // Another organisation has its own quota.
    let other = app.login("biblio", common::DEMO_PASSWORD).await;
    let (content_type, body) = crate::accounts::multipart("statutes", "statuts.pdf", &content);
    let response = app
        .client
        .post(app.url("/documents"))
        .header("content-type", content_type)
        .header("cookie", other.cookie.unwrap_or_default())
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.headers()["location"], "/account?upload=ok");
}
