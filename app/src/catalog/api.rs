//! Server functions of the catalogue.

use crate::catalog::model::{CatalogueProduct, Viewer};
use crate::error::AppError;
use leptos::prelude::*;

/// Longest slug looked up; product slugs are far shorter, so a longer one is not found.
#[cfg(feature = "ssr")]
const MAX_SLUG_CHARS: usize = 200;

/// The language of `code` (`fr`, `nl` or `en`), or a refusal naming the `language` field.
#[cfg(feature = "ssr")]
fn parse_language(code: &str) -> Result<domain::Lang, AppError> {
    domain::Lang::parse(code).ok_or_else(|| AppError::field("language", "unknown_language"))
}

/// The public catalogue: every active offer, its texts in `language` (`fr`, `nl` or `en`) only.
/// Anyone may read it (qualification only matters when ordering).
#[server(prefix = "/api", endpoint = "list_catalogue")]
pub async fn list_catalogue(language: String) -> Result<Vec<CatalogueProduct>, AppError> {
    let result = async {
        let lang = parse_language(&language)?;
        let state = crate::state::app_state()?;
        let products = crate::catalog::db::list_active_products(&state.db).await?;
        Ok(products.into_iter().map(|p| p.in_language(lang)).collect())
    }
    .await;
    crate::error::with_status(result)
}

/// One active offer by its slug (a product page), its texts in `language`; `None` when no
/// active product has that slug. Public, like the catalogue.
#[server(prefix = "/api", endpoint = "catalogue_product")]
pub async fn product_by_slug(slug: String, language: String) -> Result<Option<CatalogueProduct>, AppError> {
    let result = async {
        let lang = parse_language(&language)?;
        if slug.chars().count() > MAX_SLUG_CHARS {
            return Ok(None);
        }
        let state = crate::state::app_state()?;
        let product = crate::catalog::db::active_product_by_slug(&state.db, &slug).await?;
        Ok(product.map(|p| p.in_language(lang)))
    }
    .await;
    crate::error::with_status(result)
}

/// Who is asking: anonymous, staff, or a member with its organisation's qualified partners
/// (the catalogue shows "Ajouter au panier" or why not).
#[server(prefix = "/api", endpoint = "catalogue_viewer")]
pub async fn catalogue_viewer() -> Result<Viewer, AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let Some(user) = crate::auth::session::current_user(&state).await? else {
            return Ok(Viewer::Anonymous);
        };
        if user.is_staff() {
            return Ok(Viewer::Staff);
        }
        let Some(membership) = user.membership else {
            return Ok(Viewer::Anonymous);
        };
        let mut tx = state.db.begin_read().await?;
        let standing = crate::quota::db::standing(&mut tx, &membership.organisation_id).await?;
        tx.commit().await?;
        Ok(Viewer::Member {
            qualified: standing.map(|(_, s)| s.qualified).unwrap_or_default(),
        })
    }
    .await;
    crate::error::with_status(result)
}
