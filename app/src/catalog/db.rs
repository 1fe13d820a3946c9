//! SQL for partners, product families and products.

use crate::catalog::model::{
    LicenceType, LocalizedText, ManagedCatalogue, ManagedFamily, ManagedPartner, ManagedProduct, ProductKind,
    ProductSummary,
};
use crate::catalog::rules::ValidProduct;
use crate::db::{Db, DbTx, new_id};
use crate::money::Money;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

pub async fn insert_partner(
    tx: &mut DbTx,
    partner_id: &str,
    name: &str,
    sort_order: i32,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into partner (partner_id, name, sort_order, created_at, updated_at) values ($1, $2, $3, $4, $4)"
    )
    .bind(partner_id)
    .bind(name)
    .bind(sort_order)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn insert_product_family(
    tx: &mut DbTx,
    family_id: &str,
    partner_id: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into product_family (product_family_id, partner_id, name, created_at) values ($1, $2, $3, $4)"
    )
    .bind(family_id)
    .bind(partner_id)
    .bind(name)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// A product to add to the catalogue.
pub struct NewProduct<'a> {
    pub slug: &'a str,
    pub partner_id: &'a str,
    pub kind: ProductKind,
    pub product_family_id: Option<&'a str>,
    pub licence_type: Option<LicenceType>,
    pub software_assurance: bool,
    pub name: &'a str,
    pub description: &'a LocalizedText,
    pub admin_fee: Money,
    pub commercial_value: Money,
    pub active: bool,
}

pub async fn insert_product(
    tx: &mut DbTx,
    product: &NewProduct<'_>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into product (product_id, slug, partner_id, kind, product_family_id, licence_type, software_assurance, \
         name, description_fr, description_nl, description_en, admin_fee_cents, commercial_value_cents, active, \
         created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)"
    )
    .bind(&id)
    .bind(product.slug)
    .bind(product.partner_id)
    .bind(product.kind.as_str())
    .bind(product.product_family_id)
    .bind(product.licence_type.map(LicenceType::as_str))
    .bind(product.software_assurance)
    .bind(product.name)
    .bind(&product.description.fr)
    .bind(&product.description.nl)
    .bind(&product.description.en)
    .bind(product.admin_fee.cents())
    .bind(product.commercial_value.cents())
    .bind(product.active)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// How many partners exist (an empty database has none).
pub async fn count_partners(db: &Db) -> Result<i64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar::<_, i64>("select count(*) from partner")
        .fetch_one(pool)
        .await)
}

/// Partners in the database, counted inside `tx` after taking the demo loader's lock: on
/// PostgreSQL a transaction-scoped advisory lock (released at commit or rollback), on SQLite
/// the write lock `BEGIN IMMEDIATE` already holds. Instances started together on an empty
/// database thus load the demo data one after the other, and the later ones find it loaded.
pub async fn count_partners_for_demo_load(tx: &mut DbTx) -> Result<i64, sqlx::Error> {
    if let DbTx::Postgres(conn) = tx {
        // Any fixed key: only the demo loader takes it.
        sqlx::query("select pg_advisory_xact_lock(7421001)")
            .execute(&mut **conn)
            .await?;
    }
    on_tx!(tx, |conn| sqlx::query_scalar::<_, i64>("select count(*) from partner")
        .fetch_one(conn)
        .await)
}

/// Marks a product as never refunded (`false`), or refundable under its partner's rule.
pub async fn set_refundable(tx: &mut DbTx, slug: &str, refundable: bool) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update product set refundable = $2 where slug = $1"
    )
    .bind(slug)
    .bind(refundable)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    slug: String,
    name: String,
    partner_id: String,
    partner_name: String,
    kind: String,
    family_name: Option<String>,
    licence_type: Option<String>,
    software_assurance: bool,
    description_fr: String,
    description_nl: String,
    description_en: String,
    conditions_fr: String,
    conditions_nl: String,
    conditions_en: String,
    admin_fee_cents: i64,
    commercial_value_cents: i64,
    offer: String,
}

impl ProductRow {
    fn into_summary(self) -> Result<ProductSummary, sqlx::Error> {
        let kind = ProductKind::parse(&self.kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown product kind {:?}", self.kind).into()))?;
        let licence_type = match self.licence_type.as_deref() {
            None => None,
            Some(raw) => Some(
                LicenceType::parse(raw)
                    .ok_or_else(|| sqlx::Error::Decode(format!("unknown licence type {raw:?}").into()))?,
            ),
        };
        Ok(ProductSummary {
            slug: self.slug,
            name: self.name,
            partner_id: self.partner_id,
            partner_name: self.partner_name,
            kind,
            family_name: self.family_name,
            licence_type,
            software_assurance: self.software_assurance,
            description: LocalizedText {
                fr: self.description_fr,
                nl: self.description_nl,
                en: self.description_en,
            },
            conditions: LocalizedText {
                fr: self.conditions_fr,
                nl: self.conditions_nl,
                en: self.conditions_en,
            },
            admin_fee: Money::from_cents(self.admin_fee_cents),
            commercial_value: Money::from_cents(self.commercial_value_cents),
            offer: self.offer,
        })
    }
}

/// The columns [`ProductRow`] reads, and the joins they need.
const PRODUCT_COLUMNS: &str = "p.slug, p.name, p.partner_id, pa.name as partner_name, p.kind, f.name as family_name, \
     p.licence_type, p.software_assurance, p.description_fr, p.description_nl, p.description_en, \
     p.conditions_fr, p.conditions_nl, p.conditions_en, p.admin_fee_cents, p.commercial_value_cents, p.offer";
const PRODUCT_JOINS: &str = "from product p join partner pa on pa.partner_id = p.partner_id \
     left join product_family f on f.product_family_id = p.product_family_id";

/// Every active product of every active partner, in catalogue order (partner, then name).
pub async fn list_active_products(db: &Db) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let sql = format!(
        "select {PRODUCT_COLUMNS} {PRODUCT_JOINS} where p.active = $1 and pa.active = $1 \
         order by pa.sort_order, p.name"
    );
    let rows = on_pool!(db, |pool| sqlx::query_as::<_, ProductRow>(sqlx::AssertSqlSafe(sql))
        .bind(true)
        .fetch_all(pool)
        .await)?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}

/// The active product with this slug, if its partner is active too: what a product page shows.
pub async fn active_product_by_slug(db: &Db, slug: &str) -> Result<Option<ProductSummary>, sqlx::Error> {
    let sql =
        format!("select {PRODUCT_COLUMNS} {PRODUCT_JOINS} where p.slug = $1 and p.active = $2 and pa.active = $2");
    let row = on_pool!(db, |pool| sqlx::query_as::<_, ProductRow>(sqlx::AssertSqlSafe(sql))
        .bind(slug)
        .bind(true)
        .fetch_optional(pool)
        .await)?;
    row.map(ProductRow::into_summary).transpose()
}

#[derive(sqlx::FromRow)]
struct ManagedRow {
    #[sqlx(flatten)]
    product: ProductRow,
    product_family_id: Option<String>,
    active: bool,
    refundable: bool,
}

impl ManagedRow {
    fn into_managed(self) -> Result<ManagedProduct, sqlx::Error> {
        Ok(ManagedProduct {
            family_id: self.product_family_id,
            active: self.active,
            refundable: self.refundable,
            summary: self.product.into_summary()?,
        })
    }
}

/// "Gestion du catalogue": every product (active or not), partner and family.
pub async fn managed_catalogue(db: &Db) -> Result<ManagedCatalogue, sqlx::Error> {
    let sql = format!(
        "select {PRODUCT_COLUMNS}, p.product_family_id, p.active, p.refundable {PRODUCT_JOINS} order by pa.sort_order, p.name"
    );
    let rows = on_pool!(db, |pool| sqlx::query_as::<_, ManagedRow>(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await)?;
    let products = rows
        .into_iter()
        .map(ManagedRow::into_managed)
        .collect::<Result<_, _>>()?;
    let partners: Vec<(String, String, i32, bool, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "select pa.partner_id, pa.name, pa.sort_order, pa.active, \
         (select count(*) from product p where p.partner_id = pa.partner_id) \
         from partner pa order by pa.sort_order, pa.name"
    )
    .fetch_all(pool)
    .await)?;
    let families: Vec<(String, String, String, i64)> = on_pool!(db, |pool| sqlx::query_as(
        "select f.product_family_id, f.partner_id, f.name, \
         (select count(*) from product p where p.product_family_id = f.product_family_id) \
         from product_family f order by f.partner_id, f.name"
    )
    .fetch_all(pool)
    .await)?;
    Ok(ManagedCatalogue {
        products,
        partners: partners
            .into_iter()
            .map(|(partner_id, name, sort_order, active, product_count)| ManagedPartner {
                partner_id,
                name,
                sort_order,
                active,
                product_count,
            })
            .collect(),
        families: families
            .into_iter()
            .map(|(family_id, partner_id, name, product_count)| ManagedFamily {
                family_id,
                partner_id,
                name,
                product_count,
            })
            .collect(),
    })
}

/// One product for editing, its row locked on PostgreSQL so two saves apply one after the other.
pub async fn product_for_update(tx: &mut DbTx, slug: &str) -> Result<Option<ManagedProduct>, sqlx::Error> {
    let lock = if tx.is_postgres() { " for update of p" } else { "" };
    let sql = format!(
        "select {PRODUCT_COLUMNS}, p.product_family_id, p.active, p.refundable {PRODUCT_JOINS} where p.slug = $1{lock}"
    );
    let row = on_tx!(tx, |conn| sqlx::query_as::<_, ManagedRow>(sqlx::AssertSqlSafe(sql))
        .bind(slug)
        .fetch_optional(conn)
        .await)?;
    row.map(ManagedRow::into_managed).transpose()
}

/// The partner ids, and every family as (family id, partner id): what a product may point to.
pub async fn references(tx: &mut DbTx) -> Result<(Vec<String>, Vec<(String, String)>), sqlx::Error> {
    let partners = on_tx!(tx, |conn| sqlx::query_scalar::<_, String>(
        "select partner_id from partner"
    )
    .fetch_all(conn)
    .await)?;
    let families = on_tx!(tx, |conn| sqlx::query_as::<_, (String, String)>(
        "select product_family_id, partner_id from product_family"
    )
    .fetch_all(conn)
    .await)?;
    Ok((partners, families))
}

/// Whether a product already has this slug.
pub async fn slug_taken(tx: &mut DbTx, slug: &str) -> Result<bool, sqlx::Error> {
    let count = on_tx!(tx, |conn| sqlx::query_scalar::<_, i64>(
        "select count(*) from product where slug = $1"
    )
    .bind(slug)
    .fetch_one(conn)
    .await)?;
    Ok(count > 0)
}

/// Adds a product from the staff form.
pub async fn insert_managed_product(
    tx: &mut DbTx,
    product: &ValidProduct,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let id = insert_product(
        tx,
        &NewProduct {
            slug: &product.slug,
            partner_id: &product.partner_id,
            kind: product.kind,
            product_family_id: product.family_id.as_deref(),
            licence_type: product.licence_type,
            software_assurance: product.software_assurance,
            name: &product.name,
            description: &product.description,
            admin_fee: Money::from_cents(product.admin_fee_cents),
            commercial_value: Money::from_cents(product.commercial_value_cents),
            active: product.active,
        },
        now,
    )
    .await?;
    on_tx!(tx, |conn| {
        sqlx::query(
        "update product set offer = $2, conditions_fr = $3, conditions_nl = $4, conditions_en = $5, refundable = $6 \
         where product_id = $1"
    )
    .bind(&id)
    .bind(&product.offer)
    .bind(&product.conditions.fr)
    .bind(&product.conditions.nl)
    .bind(&product.conditions.en)
    .bind(product.refundable)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Saves the staff form over the product with `product.slug`. Past order lines keep their
/// own copy of the name and fee, so editing never rewrites an invoice.
pub async fn update_managed_product(
    tx: &mut DbTx,
    product: &ValidProduct,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update product set partner_id = $2, kind = $3, product_family_id = $4, licence_type = $5, \
         software_assurance = $6, name = $7, description_fr = $8, description_nl = $9, description_en = $10, \
         conditions_fr = $11, conditions_nl = $12, conditions_en = $13, admin_fee_cents = $14, \
         commercial_value_cents = $15, offer = $16, active = $17, updated_at = $18, refundable = $19 where slug = $1"
    )
    .bind(&product.slug)
    .bind(&product.partner_id)
    .bind(product.kind.as_str())
    .bind(product.family_id.as_deref())
    .bind(product.licence_type.map(LicenceType::as_str))
    .bind(product.software_assurance)
    .bind(&product.name)
    .bind(&product.description.fr)
    .bind(&product.description.nl)
    .bind(&product.description.en)
    .bind(&product.conditions.fr)
    .bind(&product.conditions.nl)
    .bind(&product.conditions.en)
    .bind(product.admin_fee_cents)
    .bind(product.commercial_value_cents)
    .bind(&product.offer)
    .bind(product.active)
    .bind(now)
    .bind(product.refundable)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))
}

/// One partner, locked for an edit.
pub async fn partner_for_update(tx: &mut DbTx, partner_id: &str) -> Result<Option<(String, i32, bool)>, sqlx::Error> {
    let lock = if tx.is_postgres() { " for update" } else { "" };
    let sql = format!("select name, sort_order, active from partner where partner_id = $1{lock}");
    on_tx!(tx, |conn| sqlx::query_as::<_, (String, i32, bool)>(
        sqlx::AssertSqlSafe(sql)
    )
    .bind(partner_id)
    .fetch_optional(conn)
    .await)
}

pub async fn update_partner(
    tx: &mut DbTx,
    partner_id: &str,
    name: &str,
    sort_order: i32,
    active: bool,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update partner set name = $2, sort_order = $3, active = $4, updated_at = $5 where partner_id = $1"
    )
    .bind(partner_id)
    .bind(name)
    .bind(sort_order)
    .bind(active)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))
}

/// A family's (partner id, name), if it exists.
pub async fn family(tx: &mut DbTx, family_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as::<_, (String, String)>(
        "select partner_id, name from product_family where product_family_id = $1"
    )
    .bind(family_id)
    .fetch_optional(conn)
    .await)
}

pub async fn rename_family(tx: &mut DbTx, family_id: &str, name: &str) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update product_family set name = $2 where product_family_id = $1"
    )
    .bind(family_id)
    .bind(name)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))
}
