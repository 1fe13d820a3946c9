//! The benchmark's yardstick: bare axum handlers that read the same rows as the home,
//! catalogue and product pages (through the same `db.rs` functions and the same pool) and
//! answer them as JSON, with no rendering and no middleware. `bench/run.sh` starts the server
//! with `BENCH_BARE_ADDR` and compares each page's throughput with its bare twin in the same
//! run; without that variable, nothing here listens.

use app::catalog::model::CatalogueProduct;
use app::db::Db;
use app::i18n::Locale;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

type Answer<T> = Result<Json<T>, StatusCode>;

fn failed(error: sqlx::Error) -> StatusCode {
    tracing::error!(%error, "bare benchmark handler");
    StatusCode::INTERNAL_SERVER_ERROR
}

/// What the home page reads: the organisations counted and the fulfilled totals.
async fn home(State(db): State<Db>) -> Answer<serde_json::Value> {
    let organisations = app::org::db::count_organisations(&db).await.map_err(failed)?;
    let totals = app::order::db::fulfilled_totals(&db).await.map_err(failed)?;
    Ok(Json(serde_json::json!({
        "organisations": organisations,
        "saved_cents": totals.saved_cents,
        "products": totals.products,
    })))
}

/// The catalogue page reads every active product and keeps one language's texts; so does this.
async fn catalogue(State(db): State<Db>) -> Answer<Vec<CatalogueProduct>> {
    let products = app::catalog::db::list_active_products(&db).await.map_err(failed)?;
    Ok(Json(products.into_iter().map(|p| p.in_language(Locale::fr)).collect()))
}

/// The product page reads its one product, in one language; so does this.
async fn product(State(db): State<Db>, Path(slug): Path<String>) -> Answer<CatalogueProduct> {
    app::catalog::db::active_product_by_slug(&db, &slug)
        .await
        .map_err(failed)?
        .map(|p| Json(p.in_language(Locale::fr)))
        .ok_or(StatusCode::NOT_FOUND)
}

/// `/`, `/catalogue` and `/catalogue/{slug}`, as JSON.
pub fn router(db: Db) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/catalogue", get(catalogue))
        .route("/catalogue/{slug}", get(product))
        .with_state(db)
}
