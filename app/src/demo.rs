//! Demo data: the partners, a realistic catalogue, a staff user and organisations in
//! different states, loaded into an empty database when `DEMO_DATA=true`.
//!
//! Demo logins exist only here and in `demo/*.json`: no other code path knows them.

use crate::catalog::db::{NewProduct, insert_partner, insert_product, insert_product_family};
use crate::catalog::model::{LicenceType, LocalizedText, ProductKind};
use crate::db::{Db, DbTx};
use crate::money::Money;
use crate::order::db::{NewOrder, insert_order, insert_order_line};
use crate::order::model::{OrderCategory, OrderStatus};
use crate::org::db::{
    NewOrganisation, NewPerson, QualificationDecision, insert_membership, insert_organisation, insert_person,
    upsert_qualification,
};
use crate::org::model::{Country, EligibilityStatus, LegalForm, MemberRole, StaffRole};
use crate::org::rules::EnterpriseNumber;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::HashMap;

const CATALOGUE_JSON: &str = include_str!("../../demo/catalogue.json");
const PEOPLE_JSON: &str = include_str!("../../demo/organisations.json");

/// Why the demo data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo data file is malformed: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("demo data is inconsistent: {0}")]
    Invalid(String),
    #[error("database error while loading demo data: {0}")]
    Db(#[from] sqlx::Error),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// The second factor of the demo's staff accounts (TOTP, base32): fixed, so that a person
/// trying the demo can add it to an authenticator app, and the tests can compute its codes.
/// Demo only: a real staff member enrols a secret of their own at their first login.
pub const DEMO_MFA_SECRET: &str = "DONSDEMODONSDEMODONSDEMODONSDEMO";

/// A login to show on the console after start.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub description: String,
}

#[derive(Deserialize)]
struct CatalogueFile {
    partners: Vec<PartnerSeed>,
    families: Vec<FamilySeed>,
    products: Vec<ProductSeed>,
}

#[derive(Deserialize)]
struct PartnerSeed {
    id: String,
    name: String,
    sort_order: i32,
}

#[derive(Deserialize)]
struct FamilySeed {
    id: String,
    partner: String,
    name: String,
}

#[derive(Deserialize)]
struct ProductSeed {
    slug: String,
    partner: String,
    kind: ProductKind,
    family: Option<String>,
    licence_type: Option<LicenceType>,
    software_assurance: bool,
    name: String,
    description: LocalizedText,
    admin_fee_cents: i64,
    commercial_value_cents: i64,
    active: bool,
    /// Which offer of its partner the product is, when the partner's rules tell them apart.
    #[serde(default)]
    offer: Option<String>,
    /// `false` for products never refunded (Windows Get Genuine).
    #[serde(default = "yes")]
    refundable: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct PeopleFile {
    password: String,
    staff: Vec<PersonSeed>,
    organisations: Vec<OrganisationSeed>,
}

#[derive(Deserialize)]
struct PersonSeed {
    username: String,
    email: String,
    full_name: String,
    #[serde(default)]
    staff_role: Option<StaffRole>,
    #[serde(default)]
    role: Option<MemberRole>,
    /// An agent limited to these partners' orders (the "Cisco desk").
    #[serde(default)]
    partner_scope: Vec<String>,
}

#[derive(Deserialize)]
struct OrganisationSeed {
    legal_name: String,
    legal_form: LegalForm,
    country: Country,
    enterprise_number: String,
    street: String,
    postal_code: String,
    city: String,
    contact_email: String,
    mission_category: String,
    eligibility_status: EligibilityStatus,
    /// How many days ago the file was complete (to show the review clock running).
    #[serde(default)]
    submitted_days_ago: i64,
    #[serde(default)]
    qualified: Vec<String>,
    #[serde(default)]
    not_qualified: Vec<String>,
    people: Vec<PersonSeed>,
    #[serde(default)]
    orders: Vec<OrderSeed>,
}

#[derive(Deserialize)]
struct OrderSeed {
    reference: String,
    category: OrderCategory,
    status: OrderStatus,
    /// When it was placed; or, with `submitted_days_ago`, that many days before the load (the
    /// unpaid demo order, so that it is always within its payment delay when the demo starts,
    /// then reminded and expired like any other).
    #[serde(default)]
    submitted_at: Option<DateTime<Utc>>,
    #[serde(default)]
    submitted_days_ago: Option<i64>,
    validated_at: Option<DateTime<Utc>>,
    lines: Vec<LineSeed>,
}

impl OrderSeed {
    fn submitted_at(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, DemoError> {
        match (self.submitted_at, self.submitted_days_ago) {
            (Some(at), None) => Ok(at),
            (None, Some(days)) => Ok(now - chrono::Duration::days(days)),
            _ => Err(DemoError::Invalid(format!(
                "order {} needs one of submitted_at and submitted_days_ago",
                self.reference
            ))),
        }
    }
}

/// The terms of the demo orders' invoices: the configuration's, as checkout uses them.
#[derive(Debug, Clone, Copy)]
pub struct InvoiceTerms {
    /// Belgian VAT in basis points (2100 = 21 %).
    pub vat_rate_bps: i64,
    /// Days an unpaid order waits for its transfer (its invoice's due date).
    pub expiry_days: u32,
}

impl Default for InvoiceTerms {
    /// The configuration's defaults (`PROGRAMME_VAT_RATE=21`, `ORDER_EXPIRY_DAYS=30`).
    fn default() -> Self {
        InvoiceTerms {
            vat_rate_bps: 2100,
            expiry_days: 30,
        }
    }
}

impl From<&crate::config::Config> for InvoiceTerms {
    fn from(config: &crate::config::Config) -> Self {
        InvoiceTerms {
            vat_rate_bps: i64::from(config.programme.vat_rate_bps),
            expiry_days: config.order_expiry_days,
        }
    }
}

/// A demo product as orders need it.
struct SeededProduct {
    id: String,
    fee_cents: i64,
}

#[derive(Deserialize)]
struct LineSeed {
    product: String,
    quantity: i32,
}

/// Loads the demo data if the database has no partner yet; returns the demo logins either
/// way (so the run command can print them), or `None` when the database already held other data.
pub async fn load_if_empty(db: &Db, now: DateTime<Utc>) -> Result<Option<Vec<DemoLogin>>, DemoError> {
    load_if_empty_with(db, now, InvoiceTerms::default()).await
}

/// [`load_if_empty`], the demo orders invoiced on `terms`.
pub async fn load_if_empty_with(
    db: &Db,
    now: DateTime<Utc>,
    terms: InvoiceTerms,
) -> Result<Option<Vec<DemoLogin>>, DemoError> {
    let people: PeopleFile = serde_json::from_str(PEOPLE_JSON)?;
    let logins = logins(&people);
    if crate::catalog::db::count_partners(db).await? > 0 {
        let demo_staff = people.staff.first().map(|s| s.username.as_str()).unwrap_or_default();
        let has_demo_staff = crate::org::db::username_exists(db, demo_staff).await?;
        return Ok(has_demo_staff.then_some(logins));
    }
    let catalogue: CatalogueFile = serde_json::from_str(CATALOGUE_JSON)?;
    let hash = hash_password(people.password.clone()).await?;
    let mut tx = db.begin().await?;
    // Checked again under the loader's lock: another instance started at the same time may
    // have loaded it meanwhile, which is success, not a duplicate key.
    if crate::catalog::db::count_partners_for_demo_load(&mut tx).await? > 0 {
        drop(tx); // Rolls back: nothing was written.
        let demo_staff = people.staff.first().map(|s| s.username.as_str()).unwrap_or_default();
        let has_demo_staff = crate::org::db::username_exists(db, demo_staff).await?;
        return Ok(has_demo_staff.then_some(logins));
    }
    let products = load_catalogue(&mut tx, &catalogue, now).await?;
    load_people(&mut tx, &people, &products, &hash, now, terms).await?;
    load_rules(&mut tx, &catalogue, now).await?;
    tx.commit().await?;
    tracing::info!(
        products = products.len(),
        organisations = people.organisations.len(),
        "demo data loaded"
    );
    Ok(Some(logins))
}

/// The rules of `domain.md`, as one version per partner and country in force since 2016.
async fn load_rules(tx: &mut DbTx, catalogue: &CatalogueFile, now: DateTime<Utc>) -> Result<(), DemoError> {
    use crate::quota::model::{RuleSet, RuleVersion};
    let defaults = match serde_json::to_value(RuleSet::default())? {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let since = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
    for partner in &catalogue.partners {
        let keys = crate::quota::rules::partner_keys(&partner.id);
        if keys.is_empty() {
            continue;
        }
        let params = defaults
            .iter()
            .filter(|(k, _)| keys.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let version = RuleVersion {
            partner_id: partner.id.clone(),
            effective_from: since,
            params,
        };
        for country in ["BE", "LU"] {
            crate::quota::db::insert_rule_version(tx, &version, country, None, now).await?;
        }
    }
    Ok(())
}

fn logins(people: &PeopleFile) -> Vec<DemoLogin> {
    let staff = people.staff.iter().map(|s| DemoLogin {
        username: s.username.clone(),
        password: people.password.clone(),
        description: if s.partner_scope.is_empty() {
            format!(
                "staff ({}), TOTP secret {DEMO_MFA_SECRET}",
                s.staff_role.map_or("agent", StaffRole::as_str)
            )
        } else {
            format!(
                "staff ({}, orders of {} only), TOTP secret {DEMO_MFA_SECRET}",
                s.staff_role.map_or("agent", StaffRole::as_str),
                s.partner_scope.join(", ")
            )
        },
    });
    let members = people.organisations.iter().flat_map(|o| {
        o.people.iter().map(move |p| DemoLogin {
            username: p.username.clone(),
            password: people.password.clone(),
            description: format!(
                "{} of {} ({})",
                p.role.map_or("member", MemberRole::as_str),
                o.legal_name,
                o.eligibility_status.as_str()
            ),
        })
    });
    staff.chain(members).collect()
}

/// The reason shown for the demo's refusals.
const NOT_QUALIFIED_REASON: &str =
    "La mission principale de l'organisation ne correspond pas aux critères de ce partenaire.";

/// argon2id, the same as for real accounts.
async fn hash_password(password: String) -> Result<String, DemoError> {
    crate::auth::session::hash_password(password)
        .await
        .map_err(|e| DemoError::Hash(e.to_string()))
}

/// Inserts partners, families and products; returns slug → product id.
async fn load_catalogue(
    tx: &mut DbTx,
    file: &CatalogueFile,
    now: DateTime<Utc>,
) -> Result<HashMap<String, SeededProduct>, DemoError> {
    for partner in &file.partners {
        insert_partner(tx, &partner.id, &partner.name, partner.sort_order, now).await?;
    }
    for family in &file.families {
        insert_product_family(tx, &family.id, &family.partner, &family.name, now).await?;
    }
    let mut ids = HashMap::new();
    for p in &file.products {
        let product = NewProduct {
            slug: &p.slug,
            partner_id: &p.partner,
            kind: p.kind,
            product_family_id: p.family.as_deref(),
            licence_type: p.licence_type,
            software_assurance: p.software_assurance,
            name: &p.name,
            description: &p.description,
            admin_fee: Money::from_cents(p.admin_fee_cents),
            commercial_value: Money::from_cents(p.commercial_value_cents),
            active: p.active,
        };
        let id = insert_product(tx, &product, now).await?;
        ids.insert(
            p.slug.clone(),
            SeededProduct {
                id,
                fee_cents: p.admin_fee_cents,
            },
        );
        if !p.refundable {
            crate::catalog::db::set_refundable(tx, &p.slug, false).await?;
        }
        if let Some(offer) = &p.offer {
            crate::quota::db::set_offer(tx, &p.slug, offer).await?;
        }
    }
    Ok(ids)
}

async fn load_people(
    tx: &mut DbTx,
    file: &PeopleFile,
    products: &HashMap<String, SeededProduct>,
    password_hash: &str,
    now: DateTime<Utc>,
    terms: InvoiceTerms,
) -> Result<(), DemoError> {
    let mut staff_ids = Vec::new();
    for staff in &file.staff {
        let person_id = insert_person(tx, &person(staff, password_hash, staff.staff_role), now).await?;
        crate::auth::mfa_db::enrol(tx, &person_id, DEMO_MFA_SECRET, now).await?;
        if !staff.partner_scope.is_empty() {
            crate::auth::db::set_partner_scope(tx, &person_id, &staff.partner_scope, now).await?;
        }
        staff_ids.push(person_id);
    }
    // Orders are invoiced once every organisation is in, oldest first: invoice numbers follow
    // their issue dates, as a real year's would.
    let mut orders = Vec::new();
    for org in &file.organisations {
        let number = EnterpriseNumber::parse(org.country, &org.enterprise_number)
            .map_err(|e| DemoError::Invalid(format!("{}: {e}", org.legal_name)))?;
        let org_id = insert_organisation(
            tx,
            &NewOrganisation {
                legal_name: &org.legal_name,
                legal_form: org.legal_form,
                enterprise_number: &number,
                street: &org.street,
                postal_code: &org.postal_code,
                city: &org.city,
                contact_email: &org.contact_email,
                mission_category: &org.mission_category,
                eligibility_status: org.eligibility_status,
                submitted_at: Some(now - chrono::Duration::days(org.submitted_days_ago)),
                language: "fr",
                vat_status: domain::invoice::VatStatus::None,
                vat_number: None,
            },
            now,
        )
        .await?;
        for seed in &org.people {
            let person_id = insert_person(tx, &person(seed, password_hash, None), now).await?;
            insert_membership(tx, &org_id, &person_id, seed.role.unwrap_or(MemberRole::Member), now).await?;
        }
        for partner_id in &org.qualified {
            let decision = QualificationDecision {
                partner_id,
                qualified: true,
                reason: None,
                decided_by: None,
            };
            upsert_qualification(tx, &org_id, &decision, now).await?;
        }
        for partner_id in &org.not_qualified {
            let decision = QualificationDecision {
                partner_id,
                qualified: false,
                reason: Some(NOT_QUALIFIED_REASON),
                decided_by: None,
            };
            upsert_qualification(tx, &org_id, &decision, now).await?;
        }
        for order in &org.orders {
            let submitted_at = order.submitted_at(now)?;
            let order_id = insert_order(
                tx,
                &NewOrder {
                    reference: &order.reference,
                    organisation_id: &org_id,
                    category: order.category,
                    status: order.status,
                    submitted_at,
                    validated_at: order.validated_at,
                },
                now,
            )
            .await?;
            let mut fees = Vec::with_capacity(order.lines.len());
            for line in &order.lines {
                let product = products.get(&line.product).ok_or_else(|| {
                    DemoError::Invalid(format!(
                        "order {} names unknown product {}",
                        order.reference, line.product
                    ))
                })?;
                insert_order_line(tx, &order_id, &product.id, line.quantity, None, now).await?;
                fees.push((product.fee_cents, u32::try_from(line.quantity).unwrap_or(0)));
            }
            seed_lifecycle(tx, &order_id, order, submitted_at).await?;
            orders.push((submitted_at, org_id.clone(), order_id, order, fees));
        }
    }
    orders.sort_by_key(|(submitted_at, ..)| *submitted_at);
    for (submitted_at, org_id, order_id, order, fees) in orders {
        invoice_order(
            tx,
            DemoInvoice {
                organisation_id: &org_id,
                order_id: &order_id,
                order,
                submitted_at,
                fees: &fees,
                recorded_by: staff_ids.first().map(String::as_str),
            },
            terms,
        )
        .await?;
    }
    Ok(())
}

/// A demo order to invoice.
struct DemoInvoice<'a> {
    organisation_id: &'a str,
    order_id: &'a str,
    order: &'a OrderSeed,
    submitted_at: DateTime<Utc>,
    fees: &'a [(i64, u32)],
    /// The staff member who recorded the transfers of the orders past payment.
    recorded_by: Option<&'a str>,
}

/// The invoice checkout would have issued on the order's day, and, for an order past payment,
/// the transfer that paid it (on its validation day), so that reminders, expiry, payments and
/// credit notes apply to demo orders as to any other.
async fn invoice_order(tx: &mut DbTx, demo: DemoInvoice<'_>, terms: InvoiceTerms) -> Result<(), DemoError> {
    use crate::order::db::{NewInvoice, customer, insert_invoice};
    use chrono::Datelike;
    let invalid = |e: crate::error::AppError| DemoError::Invalid(format!("{}: {e}", demo.order.reference));
    let belgian_day = |at: DateTime<Utc>| at.with_timezone(&domain::calendar::BELGIUM).date_naive();
    let issued_on = belgian_day(demo.submitted_at);
    let year = issued_on.year();
    let (number, communication) = crate::order::checkout::next_invoice(tx, year).await.map_err(invalid)?;
    let customer = customer(tx, demo.organisation_id)
        .await?
        .ok_or_else(|| DemoError::Invalid(format!("{}: no customer", demo.order.reference)))?;
    let amounts = crate::order::invoice::totals(demo.fees, terms.vat_rate_bps);
    let invoice_id = insert_invoice(
        tx,
        &NewInvoice {
            order_id: demo.order_id,
            year,
            number,
            communication: &communication.digits(),
            issued_on,
            due_on: issued_on + chrono::Days::new(u64::from(terms.expiry_days)),
            customer: &customer,
            totals: amounts,
            vat_rate_bps: terms.vat_rate_bps,
            vat_category: "S",
        },
        demo.submitted_at,
    )
    .await?;
    if demo.order.status == OrderStatus::Submitted {
        return Ok(());
    }
    let paid_at = demo.order.validated_at.unwrap_or(demo.submitted_at);
    let digits = communication.digits();
    crate::payment::db::insert_payment(
        tx,
        &crate::payment::db::NewPayment {
            source: "manual",
            bank_reference: None,
            statement_id: None,
            invoice_id: Some(&invoice_id),
            amount_cents: amounts.total_cents,
            currency: "EUR",
            communication: Some(&digits),
            debtor_name: Some(&customer.legal_name),
            debtor_iban: None,
            booked_on: belgian_day(paid_at),
            outcome: crate::payment::model::PaymentOutcome::Matched,
            recorded_by: demo.recorded_by,
        },
        paid_at,
    )
    .await?;
    Ok(())
}

/// The timeline of a demo order (placed, then the step that brought it where it is), Cisco's
/// approval of a Cisco order past payment, and the expiry of yearly products once fulfilled.
async fn seed_lifecycle(
    tx: &mut DbTx,
    order_id: &str,
    order: &OrderSeed,
    submitted_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    use crate::order::db::{NewEvent, default_expiry, insert_event, set_approval};
    let placed = NewEvent {
        order_id,
        kind: "status",
        from_status: None,
        to_status: Some(OrderStatus::Submitted),
        note: "",
        person_id: None,
    };
    insert_event(tx, &placed, submitted_at).await?;
    if order.status != OrderStatus::Submitted {
        let moved = NewEvent {
            from_status: Some(OrderStatus::Submitted),
            to_status: Some(order.status),
            ..placed
        };
        insert_event(tx, &moved, order.validated_at.unwrap_or(submitted_at)).await?;
    }
    if order.lines.iter().any(|l| l.product.starts_with("cisco-")) {
        let approval = if order.status == OrderStatus::Submitted {
            crate::order::model::Approval::Pending
        } else {
            crate::order::model::Approval::Approved
        };
        set_approval(tx, order_id, approval).await?;
    }
    if order.status == OrderStatus::Fulfilled
        && let Some(validated) = order.validated_at
    {
        default_expiry(
            tx,
            order_id,
            crate::order::rules::yearly_expiry(validated.with_timezone(&domain::calendar::BELGIUM).date_naive()),
        )
        .await?;
    }
    Ok(())
}

fn person<'a>(seed: &'a PersonSeed, password_hash: &'a str, staff_role: Option<StaffRole>) -> NewPerson<'a> {
    NewPerson {
        username: &seed.username,
        email: &seed.email,
        full_name: &seed.full_name,
        password_hash,
        staff_role,
    }
}
