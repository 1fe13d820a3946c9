//! `server`: serves the donation portal. Configuration comes from the environment (and a
//! `.env` file if present); see `.env.sample`.

use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: rendering a page allocates and frees thousands of
/// short strings, and with glibc a third of the catalogue's CPU time went to `malloc`,
/// `free` and their consolidation (perf, BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    // A missing .env is normal; a malformed one is reported.
    if let Err(error) = dotenvy::dotenv()
        && !error.not_found()
    {
        eprintln!("error: cannot read .env: {error}");
        return ExitCode::from(2);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();

    let config = match app::config::Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: invalid configuration: {error}");
            return ExitCode::from(2);
        }
    };
    // `server backup FILE`: a consistent copy of the database while the portal runs.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [command, destination] = args.as_slice()
        && command == "backup"
    {
        return match server::backup(&config, std::path::Path::new(destination)).await {
            Ok(summary) => {
                println!("{summary}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        };
    }
    // `server import-migration DIR [--dry-run] [--no-invitations] [--report FILE]`.
    if args.first().is_some_and(|a| a == "import-migration") && args.len() >= 2 {
        let dir = std::path::PathBuf::from(&args[1]);
        let mut dry_run = false;
        let mut invite = true;
        let mut report = None;
        let mut rest = args[2..].iter();
        while let Some(flag) = rest.next() {
            match flag.as_str() {
                "--dry-run" => dry_run = true,
                "--no-invitations" => invite = false,
                "--report" => report = rest.next().map(std::path::PathBuf::from),
                other => {
                    eprintln!("error: unknown option {other}");
                    return ExitCode::from(2);
                }
            }
        }
        return match server::import_migration(config, &dir, dry_run, invite, report.as_deref()).await {
            Ok((summary, clean)) => {
                print!("{summary}");
                if clean { ExitCode::SUCCESS } else { ExitCode::from(1) }
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        };
    }
    if !args.is_empty() {
        eprintln!(
            "usage: server            serve the portal (configured by the environment)\n       server backup FILE  write a backup of the database to FILE\n       server import-migration DIR [--dry-run] [--no-invitations] [--report FILE]\n                           import an existing programme's CSV files (docs/migration-import.md)"
        );
        return ExitCode::from(2);
    }
    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
