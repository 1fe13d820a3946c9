//! Loading what the rules engine needs: rule versions, the organisation's standing, its
//! order history and the products of a cart.

use crate::catalog::model::{LicenceType, ProductKind};
use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::on_tx;
use crate::quota::model::{
    CartProduct, EngineInputs, LineProduct, Offer, PastLine, RuleSet, RuleVersion, Standing, StoredRuleVersion,
};
use crate::quota::rules::HistoryWindow;
use chrono::{Days, NaiveDate};
use domain::calendar::{add_months, us_fiscal_year};
use std::collections::HashMap;

fn offer(value: &str) -> Offer {
    match value {
        "microsoft_discount" => Offer::MicrosoftDiscount,
        "adobe_creative_cloud" => Offer::AdobeCreativeCloud,
        "zoom_pro" => Offer::ZoomPro,
        "zoom_business" => Offer::ZoomBusiness,
        "aws_renewal" => Offer::AwsRenewal,
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
pub async fn rule_versions(tx: &mut DbTx, country: &str) -> Result<Vec<RuleVersion>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = on_tx!(tx, |conn| sqlx::query_as(
        "select partner_id, effective_from, params_json from partner_rule_version where country = $1 \
         order by partner_id, effective_from"
    )
    .bind(country)
    .fetch_all(conn)
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
pub async fn standing(tx: &mut DbTx, organisation_id: &str) -> Result<Option<(String, Standing)>, sqlx::Error> {
    type Row = (String, String, Option<String>, Option<String>, bool);
    let row: Option<Row> = on_tx!(tx, |conn| {
        sqlx::query_as(
        "select country, eligibility_status, discount_certificate_issued, autodesk_direct_purchase, autodesk_waiver \
         from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await
    })?;
    let Some((country, eligibility, certificate, autodesk, waiver)) = row else {
        return Ok(None);
    };
    let qualified: Vec<String> = if eligibility == "eligible" {
        on_tx!(tx, |conn| sqlx::query_scalar(
            "select partner_id from qualification where organisation_id = $1 and status = 'qualified' \
             order by partner_id"
        )
        .bind(organisation_id)
        .fetch_all(conn)
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

/// The start of the Microsoft donation cycle running on `today`, if one runs. It steps from
/// cycle to cycle as [`microsoft_cycle_from_dates`] chains them over every validation date, but
/// each step asks only for the first Microsoft donation order validated on or after a date (one
/// row through `purchase_order_validated_idx`), so an organisation with ten years of orders
/// costs five small queries, not its whole history.
///
/// [`microsoft_cycle_from_dates`]: crate::quota::rules::microsoft_cycle_from_dates
pub async fn microsoft_cycle_start(
    tx: &mut DbTx,
    organisation_id: &str,
    rules: &RuleSet,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, sqlx::Error> {
    let tomorrow = midnight(today + Days::new(1));
    let mut from = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    loop {
        let first: Option<Timestamp> = on_tx!(tx, |conn| sqlx::query_scalar(
            "select o.validated_at from purchase_order o \
             where o.organisation_id = $1 and o.status <> 'cancelled' \
             and o.validated_at >= $2 and o.validated_at < $3 \
             and exists (select 1 from order_line l join product p on p.product_id = l.product_id \
                         where l.order_id = o.order_id and p.partner_id = 'microsoft' and l.cancelled_at is null \
                         and p.offer <> 'microsoft_discount') \
             order by o.validated_at limit 1"
        )
        .bind(organisation_id)
        .bind(midnight(from))
        .bind(tomorrow)
        .fetch_optional(conn)
        .await)?;
        let Some(first) = first else {
            return Ok(None);
        };
        let start = first.with_timezone(&domain::calendar::BELGIUM).date_naive();
        let end = add_months(start, rules.microsoft_cycle_months);
        if today < end {
            return Ok(Some(start));
        }
        if end <= start {
            // A zero-length cycle never runs.
            return Ok(None);
        }
        from = end;
    }
}

/// The instant the Belgian day `date` starts.
fn midnight(date: NaiveDate) -> Timestamp {
    domain::calendar::business_day_start(date)
}

/// The live lines (neither they nor their order cancelled) of the organisation's orders that [`check`] can
/// still count on `today` (see [`HistoryWindow`]), dated by validation (or submission while
/// not validated), with every Creative Cloud subscription ever ordered; validated lines come
/// summed per product (see below), so fewer lines than were ordered. `products`: the whole
/// catalogue, inactive products included (see [`all_products`]).
///
/// [`check`]: crate::quota::rules::check
pub async fn history(
    tx: &mut DbTx,
    organisation_id: &str,
    rules: &RuleSet,
    today: NaiveDate,
    products: &[(bool, CartProduct)],
) -> Result<Vec<PastLine>, sqlx::Error> {
    let window = HistoryWindow {
        microsoft_from: microsoft_cycle_start(tx, organisation_id, rules, today).await?,
        others_from: us_fiscal_year(today).0,
        rolling_from: HistoryWindow::rolling_from(today),
    };
    // Four index ranges: the organisation's orders validated inside the window, its orders
    // not validated yet, and its Creative Cloud lines from before the window (a person who ever
    // had a subscription is not a new user), and its Zoom lines of the last 12 months and AWS
    // lines of any date, line by line (a rolling window drops each line on its own
    // anniversary; a renewal needs a grant, however old). Validated Microsoft lines count only
    // inside a running cycle; $3 is still named when none runs, so both engines see six
    // parameters.
    //
    // Validated lines are summed per product (and per person for Creative Cloud, per order for
    // Cisco, whose rule counts orders): every one of them counts in full, so the sums are what
    // the engine would add up, and each group keeps its earliest date, so the line that opened
    // the Microsoft cycle still dates it. Orders submitted or validated after `today` (possible
    // only when judging a past day) are left out. The test
    // `the_windowed_history_judges_like_the_whole_history` holds the verdicts equal to those on
    // every line.
    let microsoft = if window.microsoft_from.is_some() {
        "o.validated_at >= $3"
    } else {
        "(false and o.validated_at >= $3)"
    };
    const SUMMED: &str = "l.product_id, min(o.order_id), cast(sum(l.quantity) as bigint), \
                          min(o.submitted_at), min(o.validated_at), l.named_user";
    const EACH: &str = "l.product_id, o.order_id, cast(l.quantity as bigint), o.submitted_at, \
                        o.validated_at, l.named_user";
    let sql = format!(
        "select {SUMMED} from purchase_order o join order_line l on l.order_id = o.order_id \
         join product p on p.product_id = l.product_id \
         where o.organisation_id = $1 and o.status <> 'cancelled' and l.cancelled_at is null \
         and o.validated_at >= $2 and o.validated_at < $5 \
         and ((p.partner_id = 'microsoft' and {microsoft}) \
              or (p.partner_id in ('adobe', 'autodesk', 'cisco') and o.validated_at >= $4) \
              or p.offer = 'adobe_creative_cloud') \
         group by l.product_id, l.named_user, case when p.partner_id = 'cisco' then o.order_id else '' end \
         union all \
         select {EACH} from purchase_order o join order_line l on l.order_id = o.order_id \
         join product p on p.product_id = l.product_id \
         where o.organisation_id = $1 and o.status <> 'cancelled' and l.cancelled_at is null and o.validated_at is null \
         and o.submitted_at < $5 and p.partner_id in ('microsoft', 'adobe', 'autodesk', 'cisco', 'zoom', 'aws') \
         union all \
         select {EACH} from purchase_order o join order_line l on l.order_id = o.order_id \
         join product p on p.product_id = l.product_id \
         where o.organisation_id = $1 and o.status <> 'cancelled' and l.cancelled_at is null \
         and o.validated_at < $5 and (p.partner_id = 'aws' or (p.partner_id = 'zoom' and o.validated_at >= $6)) \
         union all \
         select {SUMMED} from order_line l join purchase_order o on o.order_id = l.order_id \
         where l.organisation_id = $1 \
         and l.product_id in (select product_id from product where offer = 'adobe_creative_cloud') \
         and o.status <> 'cancelled' and l.cancelled_at is null and o.validated_at < $2 \
         group by l.product_id, l.named_user"
    );
    type Row = (String, String, i64, Timestamp, Option<Timestamp>, Option<String>);
    let since = window
        .microsoft_from
        .map_or(window.others_from, |from| from.min(window.others_from));
    let microsoft_from = midnight(window.microsoft_from.unwrap_or(window.others_from));
    let rows: Vec<Row> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(organisation_id)
        .bind(midnight(since))
        .bind(microsoft_from)
        .bind(midnight(window.others_from))
        .bind(midnight(today + Days::new(1)))
        .bind(midnight(window.rolling_from))
        .fetch_all(conn)
        .await)?;
    let by_id: HashMap<&str, &LineProduct> = products
        .iter()
        .map(|(_, p)| (p.product.product_id.as_str(), &p.product))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(product_id, order_id, quantity, submitted, validated, named_user)| {
            Some(PastLine {
                order_id,
                product: (*by_id.get(product_id.as_str())?).clone(),
                quantity: u32::try_from(quantity).unwrap_or(0),
                date: validated
                    .unwrap_or(submitted)
                    .with_timezone(&domain::calendar::BELGIUM)
                    .date_naive(),
                validated: validated.is_some(),
                named_user,
            })
        })
        .collect())
}

/// Every product, with whether it can go in a cart now (product and partner active), in
/// catalogue order (partner, then name).
pub async fn all_products(tx: &mut DbTx) -> Result<Vec<(bool, CartProduct)>, sqlx::Error> {
    let sql = format!(
        "select p.active and pa.active, p.slug, p.name, pa.name, {PRODUCT_COLUMNS} from product p \
         join partner pa on pa.partner_id = p.partner_id \
         left join product_family f on f.product_family_id = p.product_family_id \
         order by pa.sort_order, p.name"
    );
    type Row = (
        bool,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
    );
    let rows: Vec<Row> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(conn)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(active, slug, name, partner_name, a, b, c, d, e, f, g)| {
            (
                active,
                CartProduct {
                    slug,
                    name,
                    partner_name,
                    product: product((a, b, c, d, e, f, g)),
                },
            )
        })
        .collect())
}

/// The engine's inputs for an organisation on `today`; `None` for an unknown organisation.
pub async fn engine_inputs(
    db: &Db,
    organisation_id: &str,
    today: NaiveDate,
) -> Result<Option<EngineInputs>, sqlx::Error> {
    let mut tx = db.begin_read().await?;
    let inputs = engine_inputs_in(&mut tx, organisation_id, today).await?;
    tx.commit().await?;
    Ok(inputs)
}

/// [`engine_inputs`] inside a transaction: checkout judges the cart on what its own
/// transaction sees.
pub async fn engine_inputs_in(
    tx: &mut DbTx,
    organisation_id: &str,
    today: NaiveDate,
) -> Result<Option<EngineInputs>, sqlx::Error> {
    let Some((country, standing)) = standing(tx, organisation_id).await? else {
        return Ok(None);
    };
    let versions = rule_versions(tx, &country).await?;
    let rules = crate::quota::rules::rules_in_force(&versions, today);
    let catalogue = all_products(tx).await?;
    let history = history(tx, organisation_id, &rules, today, &catalogue).await?;
    let products = catalogue
        .into_iter()
        .filter_map(|(active, product)| active.then_some(product))
        .collect();
    Ok(Some(EngineInputs {
        today,
        standing,
        rules,
        history,
        products,
    }))
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

/// The organisation's partner documents as stored: certificate issue day, last direct
/// Autodesk purchase, Autodesk waiver day (YYYY-MM-DD texts).
pub type DocumentDays = (Option<String>, Option<String>, Option<String>);

/// The partner documents of an organisation, `None` when it does not exist.
pub async fn partner_documents(tx: &mut DbTx, organisation_id: &str) -> Result<Option<DocumentDays>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select discount_certificate_issued, autodesk_direct_purchase, autodesk_waiver_on \
         from organisation where organisation_id = $1"
    )
    .bind(organisation_id)
    .fetch_optional(conn)
    .await)
}

/// Stores staff's record; the engine's `autodesk_waiver` flag follows the waiver's day.
pub async fn set_partner_documents(
    tx: &mut DbTx,
    organisation_id: &str,
    days: &DocumentDays,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update organisation set discount_certificate_issued = $2, autodesk_direct_purchase = $3, \
         autodesk_waiver_on = $4, autodesk_waiver = $5 where organisation_id = $1"
    )
    .bind(organisation_id)
    .bind(days.0.as_deref())
    .bind(days.1.as_deref())
    .bind(days.2.as_deref())
    .bind(days.2.is_some())
    .execute(conn)
    .await
    .map(|d| d.rows_affected()))
}

/// Every rule version of every country, newest effective date first, with its author's name.
pub async fn stored_rule_versions(tx: &mut DbTx) -> Result<Vec<StoredRuleVersion>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, Option<String>)> = on_tx!(tx, |conn| sqlx::query_as(
        "select v.partner_id, v.country, v.effective_from, v.params_json, p.full_name \
         from partner_rule_version v left join person p on p.person_id = v.created_by \
         order by v.effective_from desc, v.partner_id, v.country"
    )
    .fetch_all(conn)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(partner_id, country, from, params, created_by)| {
            Some(StoredRuleVersion {
                partner_id,
                country,
                effective_from: NaiveDate::parse_from_str(&from, "%Y-%m-%d").ok()?,
                params: serde_json::from_str(&params).ok()?,
                created_by,
            })
        })
        .collect())
}

/// The organisations of a country, by name: (id, name).
pub async fn organisations_in(tx: &mut DbTx, country: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query_as(
        "select organisation_id, legal_name from organisation where country = $1 order by legal_name, organisation_id"
    )
    .bind(country)
    .fetch_all(conn)
    .await)
}
