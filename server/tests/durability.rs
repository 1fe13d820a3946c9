//! Durability: the server binary killed with SIGKILL in the middle of a checkout load loses
//! no acknowledged order and leaves a sound database; a backup taken while the portal serves
//! restores the same contents. Both run on the backend `TEST_DATABASE_URL` selects.

use crate::common;

use app::db::Db;
use common::DEMO_PASSWORD;
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The real server binary on `database_url`, listening on `port`.
fn start_server(database_url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

async fn wait_until_up(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(response) = client.get(format!("{base}/healthz")).send().await
            && response.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not answer /healthz within a minute");
}

async fn login(client: &reqwest::Client, base: &str, who: &str) -> String {
    let response = client
        .post(format!("{base}/api/login"))
        .header("accept", "application/json")
        .form(&[("identifier", who), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status().as_u16(), 200, "login of {who}");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

#[tokio::test]
async fn an_acknowledged_order_survives_a_kill_during_checkouts() {
    let test_db = common::demo_database().await;
    let port = common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut server = start_server(&test_db.url, port);
    wait_until_up(&client, &base).await;

    // Five organisations, two clients each, checking out one Zoom licence after another.
    let mut sessions = Vec::new();
    for who in ["amis", "biblio", "lumiere", "debrug", "tournesols"] {
        sessions.push(login(&client, &base, who).await);
    }
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut loads = Vec::new();
    for (n, cookie) in sessions.iter().cycle().take(10).enumerate() {
        let (client, base, cookie) = (client.clone(), base.clone(), cookie.clone());
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        loads.push(tokio::spawn(async move {
            let mut sent = 0u32;
            while !stop.load(Ordering::SeqCst) {
                sent += 1;
                let key = format!("crash-test-{n:02}-{sent:08}");
                let body = format!(
                    "idempotency_key={key}&lines[0][slug]=zoom-workplace-business-1-year-50&lines[0][quantity]=1"
                );
                let answer = client
                    .post(format!("{base}/api/checkout"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .header("cookie", &cookie)
                    .body(body)
                    .send()
                    .await;
                // After the kill every request fails: the load is over.
                let Ok(response) = answer else { break };
                if response.status().as_u16() != 200 {
                    continue;
                }
                let Ok(text) = response.text().await else { break };
                let outcome: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                if let Some(id) = outcome["Placed"]["checkout_id"].as_str() {
                    acknowledged.lock().unwrap().push(id.to_owned());
                }
            }
            sent
        }));
    }
    // Kill once a good number of checkouts were acknowledged, with the load still running.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 40 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill().expect("SIGKILL the server");
    server.wait().expect("reap the server");
    stop.store(true, Ordering::SeqCst);
    let mut sent = 0;
    for load in loads {
        sent += load.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 40,
        "only {} checkouts acknowledged",
        acknowledged.len()
    );

    // The server starts again on the same database, and every acknowledged checkout is there.
    let mut again = start_server(&test_db.url, port);
    wait_until_up(&client, &base).await;
    let mut lost = 0;
    for id in &acknowledged {
        let orders: i64 = app::on_pool!(&test_db.db, |pool| sqlx::query_scalar(
            "select count(*) from purchase_order where checkout_id = $1"
        )
        .bind(id)
        .fetch_one(pool)
        .await)
        .unwrap();
        if orders == 0 {
            lost += 1;
        }
    }
    again.kill().unwrap();
    again.wait().unwrap();
    if let Db::Sqlite(pool, _) = &test_db.db {
        let check: String = sqlx::query_scalar("pragma integrity_check")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
    println!(
        "crash test ({:?}): {sent} checkouts sent, {} acknowledged before SIGKILL, {lost} lost",
        test_db.db.backend(),
        acknowledged.len()
    );
    assert_eq!(lost, 0, "acknowledged checkouts missing after the kill");
}

/// Every row of every table, as sorted lines of text: two databases with the same digest
/// hold the same contents. The SQL names only tables and columns read from the database's
/// own catalogue.
async fn contents(db: &Db) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    match db {
        Db::Sqlite(pool, _) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
            )
            .fetch_all(pool)
            .await
            .expect("read the database");
            for table in tables {
                let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "select name from pragma_table_info('{table}')"
                )))
                .fetch_all(pool)
                .await
                .expect("read the database");
                let row = columns
                    .iter()
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || '|' || ");
                let mut rows: Vec<String> =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select {row} from \"{table}\"")))
                        .fetch_all(pool)
                        .await
                        .expect("read the database");
                rows.sort();
                out.insert(table, rows);
            }
        }
        Db::Postgres(pool) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "select table_name::text from information_schema.tables \
                 where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
            )
            .fetch_all(pool)
            .await
            .expect("read the database");
            for table in tables {
                let columns: Vec<String> = sqlx::query_scalar(
                    "select column_name::text from information_schema.columns \
                     where table_schema = 'public' and table_name = $1 order by ordinal_position",
                )
                .bind(&table)
                .fetch_all(pool)
                .await
                .expect("read the database");
                let row = columns
                    .iter()
                    .map(|c| format!("coalesce(\"{c}\"::text, '∅')"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "select concat_ws('|', {row}) from \"{table}\""
                )))
                .fetch_all(pool)
                .await
                .expect("read the database");
                rows.sort();
                out.insert(table, rows);
            }
        }
    }
    out
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_the_same_contents() {
    let app = common::spawn_app().await.with_demo().await;
    // Writes before the backup: a cart and a checkout.
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let (status, _) = app
        .call_as(
            &holder,
            "add_to_cart",
            &[("slug", "office-ltsc-standard-2024"), ("quantity", "2")],
        )
        .await;
    assert_eq!(status, 200);
    let folder = std::env::temp_dir().join(format!("portal-backup-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("portal.backup");
    app.db().backup(&app.test_db.url, &file).await.expect("backup");
    // A second backup to the same file is refused: nothing is overwritten.
    assert!(app.db().backup(&app.test_db.url, &file).await.is_err());

    let restored = match app.db() {
        // A SQLite backup is a database file: restoring it is putting it in place.
        Db::Sqlite(..) => Db::connect(&format!("sqlite://{}", file.display()), 1).await.unwrap(),
        Db::Postgres(_) => {
            let admin = std::env::var("TEST_DATABASE_URL").unwrap();
            let name = format!("restore_{}", uuid::Uuid::now_v7().simple());
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            let output = Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "--dbname", &url])
                .arg(&file)
                .output()
                .expect("run pg_restore");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            Db::connect(&url, 1).await.unwrap()
        }
    };
    let before = contents(app.db()).await;
    let after = contents(&restored).await;
    assert!(before.len() > 20, "{} tables", before.len());
    assert!(before["cart_line"].len() == 1 && before["organisation"].len() >= 5);
    for (table, rows) in &before {
        assert_eq!(after.get(table), Some(rows), "table {table} differs after the restore");
    }
    assert_eq!(before.len(), after.len());
    restored.close().await;
    let _ = std::fs::remove_dir_all(folder);
}
