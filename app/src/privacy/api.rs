//! Server functions of the privacy module: erasure by the person themself or by an admin, and
//! the admin's search for the person to erase.

use crate::error::AppError;
pub use crate::privacy::model::PersonSummary;
use leptos::prelude::*;

/// The most people one search lists.
pub const PEOPLE_PER_SEARCH: i64 = 20;

/// "Supprimer mon compte": the person erases their own account, confirming with their password
/// and a tick. An account holder hands the organisation over first (409 `holder_must_transfer`);
/// staff accounts are erased by an admin (403). The session ends with the account.
#[server(prefix = "/api", endpoint = "erase_my_account")]
pub async fn erase_my_account(password: String, #[server(default)] confirm: Option<String>) -> Result<(), AppError> {
    let result = async {
        let (state, user) = crate::auth::session::require_user().await?;
        if user.is_staff() {
            return Err(AppError::Forbidden);
        }
        if confirm.as_deref().is_none_or(str::is_empty) {
            return Err(AppError::field("confirm", "required"));
        }
        if password.is_empty() || password.len() > 1024 {
            return Err(AppError::field("password", "current_password_wrong"));
        }
        let stored = crate::privacy::db::password_hash_of(&state.db, &user.person_id).await?;
        if !crate::auth::session::verify_password(password, stored).await? {
            return Err(AppError::field("password", "current_password_wrong"));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        match crate::privacy::erase::erase_person(&mut tx, &user.person_id, &user.person_id, now).await? {
            Ok(()) => {}
            Err(crate::privacy::erase::Refusal::Holder) => {
                return Err(AppError::Conflict("holder_must_transfer".into()));
            }
            Err(crate::privacy::erase::Refusal::NotFound) => return Err(AppError::NotFound),
        }
        tx.commit().await?;
        crate::auth::session::end_session(&state).await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Admin: erases a person (not an account holder, not themself). Audited.
#[server(prefix = "/api", endpoint = "erase_person")]
pub async fn erase_person(person_id: String) -> Result<(), AppError> {
    let result = async {
        let (state, admin) = crate::auth::session::require_admin().await?;
        if person_id == admin.person_id {
            return Err(AppError::Conflict("own_erasure".into()));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        match crate::privacy::erase::erase_person(&mut tx, &person_id, &admin.person_id, now).await? {
            Ok(()) => {}
            Err(crate::privacy::erase::Refusal::Holder) => {
                return Err(AppError::Conflict("holder_must_transfer".into()));
            }
            Err(crate::privacy::erase::Refusal::NotFound) => return Err(AppError::NotFound),
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Admin: people whose e-mail or login is `query` (exactly, any case), or whose name contains
/// it; at most [`PEOPLE_PER_SEARCH`]. Erased people are not listed.
#[server(prefix = "/api", endpoint = "find_people")]
pub async fn find_people(query: String) -> Result<Vec<PersonSummary>, AppError> {
    let result = async {
        let (state, _admin) = crate::auth::session::require_admin().await?;
        let query = query.trim().to_lowercase();
        if query.chars().count() < 2 {
            return Ok(Vec::new());
        }
        if query.chars().count() > 200 {
            return Err(AppError::field("query", "too_long"));
        }
        Ok(crate::privacy::db::find_people(&state.db, &query, PEOPLE_PER_SEARCH).await?)
    }
    .await;
    crate::error::with_status(result)
}
