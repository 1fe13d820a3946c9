//! Loading what the rules engine needs: rule versions, the organisation's standing, its
//! order history and the products of a cart.

use crate::catalog::model::{LicenceType, ProductKind};
use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::quota::model::{LineProduct, Offer, PastLine, RuleVersion, Standing};
use crate::{on_pool, on_tx};
use chrono::NaiveDate;

fn offer(value: &str) -> Offer {
    match value {
        "microsoft_discount" => Offer::MicrosoftDiscount,
        "adobe_creative_cloud" => Offer::AdobeCreativeCloud,
        "zoom_pro" => Offer::ZoomPro,
        "zoom_business" => Offer::ZoomBusiness,
        _ => Offer::Standard,
    }
}

fn kind(value: &str) -> ProductKind {
    match value {
        "subscription" => ProductKind::Subscription,
        "cloud_credit" => ProductKind::CloudCredit,
        "hardware" => ProductKind::Hardware,
        "validation_only" => ProductKind::ValidationOnly,
        _ => ProductKind::SoftwareLicence,
    }
}

fn licence(value: Option<&str>) -> Option<LicenceType> {
    match value? {
        "core_server" => Some(LicenceType::CoreServer),
        "non_core_server" => Some(LicenceType::NonCoreServer),
        _ => Some(LicenceType::Desktop),
    }
}

/// Every rule version for a country (the engine picks the one in force).
pub async fn rule_versions(db: &Db, country: &str) -> Result<Vec<RuleVersion>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select partner_id, effective_from, params_json from partner_rule_version where country = $1 \
         order by partner_id, effective_from"
    )
    .bind(country)
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(partner_id, from, params)| {
            let effective_from = NaiveDate::parse_from_str(&from, "%Y-%m-%d").ok()?;
            let params = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&params).ok()?;
            Some(RuleVersion {
                partner_id,
                effective_from,
                params,
            })
        })
        .collect())
}

/// Stores a version; `Ok(false)` when one already exists for that partner, country and day.
pub async fn insert_rule_version(
    tx: &mut DbTx,
    version: &RuleVersion,
    country: &str,
    created_by: Option<&str>,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let params = serde_json::Value::Object(version.params.clone()).to_string();
    let result = on_tx!(tx, |conn| sqlx::query(
        "insert into partner_rule_version (rule_version_id, partner_id, country, effective_from, params_json, \
         created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7) \
         on conflict (partner_id, country, effective_from) do nothing"
    )
    .bind(new_id())
    .bind(&version.partner_id)
    .bind(country)
    .bind(version.effective_from.format("%Y-%m-%d").to_string())
    .bind(params)
    .bind(created_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(result == 1)
}

/// The organisation's country, qualified partners, certificate and Autodesk standing.
pub async fn standing(db: &Db, organisation_id: &str) -> Result<Option<(String, Standing)>, sqlx::Error> {
    type Row = (String, String, Option<String>, Option<String>, bool);
    let row: Option<Row> = on_pool!(db, |pool| {
        sqlx::query_as(
        "select country, eligibility_status, discount_certificate_issued, autodesk_direct_purchase, autodesk_waiver \
         from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(pool)
    .await
    })?;
    let Some((country, eligibility, certificate, autodesk, waiver)) = row else {
        return Ok(None);
    };
    let qualified: Vec<String> = if eligibility == "eligible" {
        on_pool!(db, |pool| sqlx::query_scalar(
            "select partner_id from qualification where organisation_id = $1 and status = 'qualified' \
             order by partner_id"
        )
        .bind(organisation_id)
        .fetch_all(pool)
        .await)?
    } else {
        // Nobody orders before programme eligibility, whatever the partners say.
        Vec::new()
    };
    let date = |value: Option<String>| value.and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok());
    Ok(Some((
        country,
        Standing {
            qualified,
            discount_certificate_issued: date(certificate),
            autodesk_direct_purchase: date(autodesk),
            autodesk_waiver: waiver,
        },
    )))
}

const PRODUCT_COLUMNS: &str = "p.product_id, p.partner_id, p.kind, p.offer, f.name, p.licence_type, p.admin_fee_cents";

type ProductRow = (String, String, String, String, Option<String>, Option<String>, i64);

fn product(row: ProductRow) -> LineProduct {
    let (product_id, partner_id, kind_value, offer_value, family, licence_value, fee_cents) = row;
    LineProduct {
        product_id,
        partner_id,
        kind: kind(&kind_value),
        offer: offer(&offer_value),
        family,
        licence: licence(licence_value.as_deref()),
        fee_cents,
    }
}

/// Every line of the organisation's orders that are not cancelled, dated by validation (or
/// submission while not validated).
pub async fn history(db: &Db, organisation_id: &str) -> Result<Vec<PastLine>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        String,
        i64,
        Timestamp,
        Option<Timestamp>,
    );
    let sql = format!(
        "select {PRODUCT_COLUMNS}, o.order_id, cast(l.quantity as bigint), o.submitted_at, o.validated_at \
         from order_line l join purchase_order o on o.order_id = l.order_id \
         join product p on p.product_id = l.product_id \
         left join product_family f on f.product_family_id = p.product_family_id \
         where o.organisation_id = $1 and o.status <> 'cancelled'"
    );
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(organisation_id)
        .fetch_all(pool)
        .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(a, b, c, d, e, f, g, order_id, quantity, submitted, validated)| PastLine {
                order_id,
                product: product((a, b, c, d, e, f, g)),
                quantity: u32::try_from(quantity).unwrap_or(0),
                date: validated.unwrap_or(submitted).date_naive(),
                validated: validated.is_some(),
            },
        )
        .collect())
}

/// The active products with these slugs.
pub async fn products_by_slug(db: &Db, slugs: &[String]) -> Result<Vec<(String, LineProduct)>, sqlx::Error> {
    let sql = format!(
        "select p.slug, {PRODUCT_COLUMNS} from product p \
         left join product_family f on f.product_family_id = p.product_family_id where p.active"
    );
    type Row = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
    );
    let rows: Vec<Row> = on_pool!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .filter(|row| slugs.contains(&row.0))
        .map(|(slug, a, b, c, d, e, f, g)| (slug, product((a, b, c, d, e, f, g))))
        .collect())
}

/// Sets a product's offer (demo data and catalogue management).
pub async fn set_offer(tx: &mut DbTx, slug: &str, offer: &str) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query("update product set offer = $2 where slug = $1")
        .bind(slug)
        .bind(offer)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}
