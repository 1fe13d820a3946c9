//! One database layer over SQLite (the embedded default) and PostgreSQL (scale-out).
//!
//! [`Db`] wraps the native pool of either backend. Domain `db.rs` files write each query once
//! inside [`on_pool!`](crate::on_pool) or [`on_tx!`](crate::on_tx); the macro expands it in
//! both match arms, so each arm is type-checked against its own driver (chrono, bool and
//! `FromRow` stay native). The SQL itself is portable: `$n` placeholders, TEXT ids, explicit
//! casts where the backends' result types differ.

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection as _, Postgres, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// A connection pool on either backend. Cloning is cheap (the pools are reference-counted).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool, WriteQueue),
    Postgres(PgPool),
}

/// SQLite has one writer at a time. Write transactions of this process wait their turn here,
/// first come first served, before `BEGIN IMMEDIATE`, instead of polling the file lock in
/// SQLite's busy handler, whose growing sleeps (up to 100 ms each) made the slowest of 16
/// concurrent checkouts wait 617 ms (`./bench/checkout.sh`). A waiting writer holds no pooled
/// connection, so readers are never starved of one.
#[derive(Clone, Debug)]
pub struct WriteQueue(std::sync::Arc<tokio::sync::Semaphore>);

/// How long a write waits for its turn before giving up (a request times out after 30 s).
const WRITE_QUEUE_TIMEOUT: Duration = Duration::from_secs(30);

/// Which engine a [`Db`] runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An open transaction on either backend.
pub enum DbTx {
    /// With its turn in the [`WriteQueue`] when it is a write transaction.
    Sqlite(Transaction<'static, Sqlite>, Option<tokio::sync::OwnedSemaphorePermit>),
    Postgres(Transaction<'static, Postgres>),
}

/// Why the database could not be opened or migrated. The URL is shown without its password.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot create the folder {path} for the SQLite database: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("migrating the database at {url} failed: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error(
        "loading the shipped help centre, the legal texts or the directory's search terms into {url} failed: {source}"
    )]
    Seed { url: String, source: sqlx::Error },
}

/// Why a backup could not be written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already: a backup never overwrites a file")]
    Exists(String),
    #[error("the backup path is not valid UTF-8")]
    Path,
    #[error("the backup failed: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("cannot run pg_dump (is the PostgreSQL client installed?): {0}")]
    PgDump(std::io::Error),
    #[error("pg_dump failed: {0}")]
    PgDumpFailed(String),
}

/// Runs `$body` with `$pool` bound to the native pool (`&SqlitePool` or `&PgPool`).
#[macro_export]
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool, _) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's native connection
/// (`&mut SqliteConnection` or `&mut PgConnection`).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::DbTx::Sqlite(tx, _) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::DbTx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

impl Db {
    /// Opens a pool for `url`: SQLite files are created if missing and run in WAL mode with
    /// foreign keys on; PostgreSQL gives up after a few seconds if the server does not answer.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        let shown = redact_url(url);
        let connect_error = |source| DbError::Connect {
            url: shown.clone(),
            source,
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(5))
                .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
                .connect(url)
                .await
                .map_err(connect_error)?;
            return Ok(Db::Postgres(pool));
        }
        // Why these settings:
        // - WAL: readers never wait for the writer, nor the writer for readers, and a commit
        //   is one append to the log instead of rewriting pages in place.
        // - synchronous = NORMAL: in WAL mode a commit is written to the log before it is
        //   acknowledged, and the log is synced at each checkpoint. A killed process (SIGKILL,
        //   a panic, an OOM kill) loses nothing that was acknowledged: the operating system
        //   holds the written log and SQLite replays it at the next open
        //   (`an_acknowledged_order_survives_a_kill_during_checkouts`, server/tests/durability.rs).
        //   A power cut may lose the last commits before the checkpoint; a host that must keep
        //   those too runs FULL (one fsync per commit) or PostgreSQL.
        // - foreign keys on: SQLite leaves them off by default, and the schema relies on them.
        // - busy timeout: another process (a backup, the sqlite3 shell) may hold the lock for a
        //   moment; our own writers queue in `WriteQueue` instead.
        let options = SqliteConnectOptions::from_str(url)
            .map_err(connect_error)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let file = options.get_filename();
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        // A connection must never be handed out inside a transaction. sqlx 0.8 returned one to
        // the pool so after a failed COMMIT whose ROLLBACK failed too (a full disk), or when a
        // future was dropped during BEGIN (a client hanging up). The next `BEGIN IMMEDIATE` on
        // it then failed with "attempted to call begin_with at non-zero transaction depth"
        // (SQLite), or its BEGIN became a SAVEPOINT inside the stale transaction, never
        // committed (PostgreSQL). sqlx 0.9 fixes the causes we know of (transact-rs/sqlx
        // #3980, #3981, #4394, #4473); the check below stays as defence in depth, since it
        // costs a counter read and no round trip: it closes such a connection instead and the
        // pool opens a fresh one. Both pools set it
        // (`a_connection_left_in_a_transaction_is_never_reused`;
        // `checkouts_abandoned_mid_flight_leave_no_transaction_open_and_no_quota_astray`).
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            // The connections live in this process: there is no network to have dropped them,
            // so the ping before each use (a round trip to sqlx's worker thread, about 25 µs)
            // buys nothing. Measured with ./bench/quota.sh.
            .test_before_acquire(false)
            .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        Ok(Db::Sqlite(
            pool,
            WriteQueue(std::sync::Arc::new(tokio::sync::Semaphore::new(1))),
        ))
    }

    /// Applies the migrations of this backend's folder (`migrations/sqlite` or
    /// `migrations/postgres`, embedded at compile time). Safe to run from several instances.
    /// [`crate::setup::prepare_database`] runs this and then loads the shipped content.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let result = match self {
            Db::Sqlite(pool, _) => sqlx::migrate!("../migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await,
        };
        result.map_err(|source| DbError::Migrate {
            url: self.describe(),
            source,
        })?;
        Ok(())
    }

    /// Writes a consistent copy of the whole database to `destination` while the portal keeps
    /// serving: SQLite's `VACUUM INTO` (one read transaction, a compact file ready to be opened
    /// as is), PostgreSQL's `pg_dump` in its custom format (restored with `pg_restore`).
    /// Refuses to overwrite an existing file.
    pub async fn backup(&self, database_url: &str, destination: &std::path::Path) -> Result<(), BackupError> {
        if destination.exists() {
            return Err(BackupError::Exists(destination.display().to_string()));
        }
        match self {
            Db::Sqlite(pool, _) => {
                let path = destination.to_str().ok_or(BackupError::Path)?;
                sqlx::query("vacuum into $1").bind(path).execute(pool).await?;
                Ok(())
            }
            Db::Postgres(_) => {
                let output = tokio::process::Command::new("pg_dump")
                    .arg("--format=custom")
                    .arg("--file")
                    .arg(destination)
                    .arg(database_url)
                    .output()
                    .await
                    .map_err(BackupError::PgDump)?;
                if output.status.success() {
                    Ok(())
                } else {
                    Err(BackupError::PgDumpFailed(
                        String::from_utf8_lossy(&output.stderr).trim().to_owned(),
                    ))
                }
            }
        }
    }

    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query("select 1").execute(pool).await.map(|_| ()))
    }

    /// Whether the database accepts writes, for `/readyz`: one committed write of one row
    /// (`readiness_probe`), through the same write path as every request. A database that
    /// answers reads but not writes (a full disk, a read-only file or replica) fails it.
    pub async fn check_writes(&self, now: Timestamp) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, |conn| sqlx::query(
            "insert into readiness_probe (readiness_probe_id, checked_at) values ('write', $1) \
             on conflict (readiness_probe_id) do update set checked_at = excluded.checked_at"
        )
        .bind(now)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await
    }

    /// Starts a write transaction. SQLite takes its write lock at once (`BEGIN IMMEDIATE`), so
    /// read-then-write transactions serialise instead of failing with "database is locked".
    pub async fn begin(&self) -> Result<DbTx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool, queue) => {
                let turn = tokio::time::timeout(WRITE_QUEUE_TIMEOUT, queue.0.clone().acquire_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?
                    .map_err(|_| sqlx::Error::PoolClosed)?;
                DbTx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?, Some(turn))
            }
            Db::Postgres(pool) => DbTx::Postgres(pool.begin().await?),
        })
    }

    /// Starts a read-only unit of work: one connection and one consistent view for several
    /// queries (SQLite takes no write lock). Functions that read on behalf of a write take a
    /// [`DbTx`], so the same code serves both.
    pub async fn begin_read(&self) -> Result<DbTx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool, _) => DbTx::Sqlite(pool.begin().await?, None),
            Db::Postgres(pool) => DbTx::Postgres(pool.begin().await?),
        })
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection (graceful shutdown, tests).
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            Db::Sqlite(..) => "the SQLite database".to_owned(),
            Db::Postgres(_) => "the PostgreSQL database".to_owned(),
        }
    }
}

impl DbTx {
    /// PostgreSQL locks rows with `FOR UPDATE`; SQLite's `BEGIN IMMEDIATE` already serialises writers.
    pub fn is_postgres(&self) -> bool {
        matches!(self, DbTx::Postgres(_))
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            // The turn in the write queue ends with the commit.
            DbTx::Sqlite(tx, _turn) => tx.commit().await,
            DbTx::Postgres(tx) => tx.commit().await,
        }
    }

    /// Ends the transaction without writing anything.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            DbTx::Sqlite(tx, _turn) => tx.rollback().await,
            DbTx::Postgres(tx) => tx.rollback().await,
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_once('/').map_or((rest, None), |(a, p)| (a, Some(p)));
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_owned(),
    };
    match path {
        Some(path) => format!("{scheme}://{authority}/{path}"),
        None => format!("{scheme}://{authority}"),
    }
}

/// A new random identifier, time-ordered (UUIDv7), as stored in TEXT id columns.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Instants are stored in UTC.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// The current instant (the one place the server reads the clock for storage).
pub fn now() -> Timestamp {
    let real = chrono::Utc::now();
    match test_clock_days() {
        Some(days) => real + chrono::Duration::days(days),
        None => real,
    }
}

/// Whether requests may move their own clock (`TEST_CLOCK=1`; end-to-end tests only).
static TEST_CLOCK: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The cookie that moves a request's clock by whole days when the test clock is on.
pub const TEST_CLOCK_COOKIE: &str = "test_clock_days";

/// Lets each request move its clock with the [`TEST_CLOCK_COOKIE`] cookie, so that an
/// end-to-end test sees "tomorrow" without touching the other tests' requests. Never on in
/// production: the server turns it on only for `TEST_CLOCK=1` and says so in its log.
pub fn enable_test_clock() {
    TEST_CLOCK.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// The current request's clock offset in days (at most ten years either way), when the test
/// clock is on. Background work has no request, so it always runs on the real clock.
fn test_clock_days() -> Option<i64> {
    if !TEST_CLOCK.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    crate::request::cookie(TEST_CLOCK_COOKIE)
        .and_then(|raw| raw.parse::<i64>().ok())
        .filter(|days| days.abs() <= 3650)
}
