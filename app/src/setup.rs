//! Brings a database to what this version of the portal expects: the schema, then the reference
//! content the portal ships with. Sits above both [`crate::db`] and the domains whose content
//! it loads, so the database layer never imports a domain.

use crate::db::{Db, DbError};

/// Applies the migrations, then brings the help centre up to the shipped one (questions it
/// lacks are added, answers staff edited are kept), loads the shipped legal texts it lacks,
/// and gives the directory's search terms to organisations that have none.
/// Safe to run from several instances at once.
pub async fn prepare_database(db: &Db) -> Result<(), DbError> {
    db.migrate().await?;
    let seeded = match crate::help::shipped() {
        Ok(help) => crate::help::db::sync_shipped(db, &help).await.map(|_| ()),
        Err(error) => Err(sqlx::Error::Decode(Box::new(error))),
    };
    seeded.map_err(|source| DbError::Seed {
        url: db.describe(),
        source,
    })?;
    // The terms of sale and the privacy notice: the shipped text of each page and language
    // the database does not hold yet.
    let legal = match crate::legal::shipped() {
        Ok(legal) => crate::legal::db::seed_missing(db, &legal, crate::db::now()).await,
        Err(error) => Err(sqlx::Error::Decode(Box::new(error))),
    };
    legal.map_err(|source| DbError::Seed {
        url: db.describe(),
        source,
    })?;
    // Organisations written before the directory's search terms existed get theirs.
    crate::directory::db::index_unindexed(db)
        .await
        .map_err(|source| DbError::Seed {
            url: db.describe(),
            source,
        })?;
    Ok(())
}
