//! SQL for partners, product families and products.

use crate::catalog::model::{LicenceType, LocalizedText, ProductKind, ProductSummary};
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
            admin_fee: Money::from_cents(self.admin_fee_cents),
            commercial_value: Money::from_cents(self.commercial_value_cents),
            offer: self.offer,
        })
    }
}

/// Every active product of every active partner, in catalogue order (partner, then name).
pub async fn list_active_products(db: &Db) -> Result<Vec<ProductSummary>, sqlx::Error> {
    let rows = on_pool!(db, |pool| sqlx::query_as::<_, ProductRow>(
        "select p.slug, p.name, p.partner_id, pa.name as partner_name, p.kind, f.name as family_name, \
                p.licence_type, p.software_assurance, p.description_fr, p.description_nl, p.description_en, \
                p.admin_fee_cents, p.commercial_value_cents, p.offer \
         from product p \
         join partner pa on pa.partner_id = p.partner_id \
         left join product_family f on f.product_family_id = p.product_family_id \
         where p.active = $1 and pa.active = $1 \
         order by pa.sort_order, p.name"
    )
    .bind(true)
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(ProductRow::into_summary).collect()
}
