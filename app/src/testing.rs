//! A fresh, migrated database for each test, on the backend the test run selects.
//!
//! `TEST_DATABASE_URL` unset (or `sqlite`): a new SQLite file in the temp folder, removed
//! afterwards. `TEST_DATABASE_URL=postgres://…/postgres`: a new database `test_<uuid>` is
//! created on that server through the given (administrative) connection.
#![expect(
    clippy::expect_used,
    reason = "test support: a broken test database must stop the test"
)]

use crate::db::Db;
use std::path::PathBuf;

/// A throwaway database. Keep it alive for the whole test.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    sqlite_file: Option<PathBuf>,
}

impl TestDb {
    /// Creates and migrates a new database.
    pub async fn new() -> TestDb {
        let selected = std::env::var("TEST_DATABASE_URL").unwrap_or_default();
        if selected.starts_with("postgres://") || selected.starts_with("postgresql://") {
            Self::postgres(&selected).await
        } else {
            Self::sqlite().await
        }
    }

    async fn sqlite() -> TestDb {
        let file = std::env::temp_dir().join(format!("portal-test-{}.db", uuid::Uuid::now_v7()));
        let url = format!("sqlite://{}", file.display());
        let db = Db::connect(&url, 5).await.expect("open the SQLite test database");
        crate::setup::prepare_database(&db)
            .await
            .expect("migrate the SQLite test database");
        TestDb {
            db,
            url,
            sqlite_file: Some(file),
        }
    }

    async fn postgres(admin_url: &str) -> TestDb {
        let name = format!("test_{}", uuid::Uuid::now_v7().simple());
        let admin = sqlx::PgPool::connect(admin_url)
            .await
            .expect("connect to the PostgreSQL test server");
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(&admin)
            .await
            .expect("create the PostgreSQL test database");
        admin.close().await;
        let base = admin_url.rsplit_once('/').map_or(admin_url, |(base, _)| base);
        let url = format!("{base}/{name}");
        let db = Db::connect(&url, 5).await.expect("open the PostgreSQL test database");
        crate::setup::prepare_database(&db)
            .await
            .expect("migrate the PostgreSQL test database");
        TestDb {
            db,
            url,
            sqlite_file: None,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // PostgreSQL test databases live in a throwaway cluster that the test script removes.
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = file.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }
}
