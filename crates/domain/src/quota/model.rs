//! Inputs and outputs of the rules engine, shared by the server and the browser.

use crate::catalog::model::{LicenceType, ProductKind};
use crate::order::model::OrderSummary;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which offer of its partner a product is, where the partner's rules tell offers apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Offer {
    /// Counted under the partner's ordinary rules.
    Standard,
    /// Microsoft discount programme: minimum quantity and a valid certificate.
    MicrosoftDiscount,
    /// Adobe Creative Cloud discount: one subscription per named new user, outside the 4.
    AdobeCreativeCloud,
    /// Zoom Pro (at most 9 licences).
    ZoomPro,
    /// Zoom Business (at most 99 licences).
    ZoomBusiness,
    /// The renewal of an AWS credit grant (any other AWS product is a first grant); only after
    /// a first grant.
    AwsRenewal,
}

/// A product as the engine needs to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProduct {
    pub product_id: String,
    pub partner_id: String,
    pub kind: ProductKind,
    pub offer: Offer,
    /// Microsoft product family ("Office", "Windows Server"…).
    pub family: Option<String>,
    pub licence: Option<LicenceType>,
    /// "Frais administratifs" per unit, excl. VAT, in cents.
    pub fee_cents: i64,
}

/// A product that can go in a cart, with what the engine needs to judge it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartProduct {
    pub slug: String,
    pub name: String,
    pub partner_name: String,
    pub product: LineProduct,
}

/// Everything the engine needs besides the cart, as of one day: what the browser receives to
/// run the live allowance meter with the server's own inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineInputs {
    pub today: NaiveDate,
    pub standing: Standing,
    pub rules: RuleSet,
    /// Only the lines that can count today (see `rules::HistoryWindow`).
    pub history: Vec<PastLine>,
    pub products: Vec<CartProduct>,
}

/// A cart line as the browser holds and sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CartInput {
    pub slug: String,
    pub quantity: u32,
    pub aws_account_id: String,
    pub aws_account_name: String,
    /// Adobe Creative Cloud: the e-mail address of the person the subscription is for.
    pub named_user: String,
    /// Zoom: the add-ons wanted with the plan (codes of `cart::model::ZOOM_ADDONS`).
    pub zoom_addons: Vec<String>,
}

impl CartInput {
    /// The engine's line for this input and its product (fields trimmed, empty ones dropped).
    pub fn to_line(&self, product: &LineProduct) -> CartLine {
        let account = (
            self.aws_account_id.trim().to_owned(),
            self.aws_account_name.trim().to_owned(),
        );
        CartLine {
            product: product.clone(),
            quantity: self.quantity,
            aws_account: (!account.0.is_empty() || !account.1.is_empty()).then_some(account),
            named_user: Some(self.named_user.trim().to_owned()).filter(|n| !n.is_empty()),
        }
    }
}

/// A line of the cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product: LineProduct,
    pub quantity: u32,
    /// AWS only: the organisation's account id and name.
    pub aws_account: Option<(String, String)>,
    /// Adobe Creative Cloud only: the person the subscription is for (their e-mail address).
    pub named_user: Option<String>,
}

/// A line of a past order that is not cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastLine {
    pub order_id: String,
    pub product: LineProduct,
    pub quantity: u32,
    /// The order's validation date, or its submission date while it is not validated.
    pub date: NaiveDate,
    pub validated: bool,
    /// Adobe Creative Cloud only: the person the subscription is for.
    pub named_user: Option<String>,
}

/// What the engine knows of the organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// Partners the organisation is qualified for.
    pub qualified: Vec<String>,
    /// Microsoft discount eligibility certificate: its issue date.
    pub discount_certificate_issued: Option<NaiveDate>,
    /// Last direct purchase from Autodesk, as declared.
    pub autodesk_direct_purchase: Option<NaiveDate>,
    /// Autodesk's waiver, recorded by staff.
    pub autodesk_waiver: bool,
}

/// The parameters of every partner's rules, as in force on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub microsoft_cycle_months: u32,
    pub microsoft_max_families: u32,
    pub microsoft_max_per_family: u32,
    pub microsoft_max_non_core: u32,
    pub microsoft_discount_min_licences: u32,
    pub microsoft_certificate_months: u32,
    pub adobe_max_per_year: u32,
    pub autodesk_max_per_year: u32,
    pub autodesk_waiver_lookback_years: u32,
    pub cisco_orders_per_year: u32,
    pub cisco_fee_cap_cents: i64,
    pub zoom_max_licences: u32,
    pub zoom_pro_max_licences: u32,
    /// AWS credit grants, new or renewal, in any 12 months.
    #[serde(default = "one")]
    pub aws_grants_per_12_months: u32,
}

fn one() -> u32 {
    1
}

impl Default for RuleSet {
    /// The rules of `domain.md`.
    fn default() -> Self {
        RuleSet {
            microsoft_cycle_months: 24,
            microsoft_max_families: 10,
            microsoft_max_per_family: 50,
            microsoft_max_non_core: 5,
            microsoft_discount_min_licences: 5,
            microsoft_certificate_months: 12,
            adobe_max_per_year: 4,
            autodesk_max_per_year: 2,
            autodesk_waiver_lookback_years: 3,
            cisco_orders_per_year: 1,
            cisco_fee_cap_cents: 300_000,
            zoom_max_licences: 99,
            zoom_pro_max_licences: 9,
            aws_grants_per_12_months: 1,
        }
    }
}

/// The rule a line broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    NotQualified,
    ValidationOnly,
    MicrosoftFamilies,
    MicrosoftPerFamily,
    MicrosoftNonCore,
    MicrosoftDiscountMinimum,
    MicrosoftDiscountCertificate,
    AdobePerYear,
    AutodeskPerYear,
    AutodeskWaiver,
    CiscoOrdersPerYear,
    CiscoFeeCap,
    ZoomLicences,
    AwsAccount,
    /// One AWS grant (new or renewal) in any 12 months.
    AwsGrantsPer12Months,
    /// An AWS renewal with no grant before it.
    AwsRenewalWithoutGrant,
    /// A Creative Cloud line names no person.
    CreativeCloudNamedUser,
    /// One Creative Cloud subscription per person, new users only.
    CreativeCloudOnePerUser,
    QuantityZero,
}

/// The verdict on one cart line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineVerdict {
    Accepted,
    Refused {
        rule: Rule,
        /// What is already used (history and the rest of the cart), what this cart asks,
        /// and the limit.
        used: i64,
        requested: i64,
        limit: i64,
        /// The first day the line would be allowed again, if waiting helps.
        allowed_from: Option<NaiveDate>,
    },
}

impl LineVerdict {
    pub fn is_accepted(&self) -> bool {
        matches!(self, LineVerdict::Accepted)
    }
}

/// One counter of a partner's allowance ("Office : 20/50").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    /// `families`, `family:<name>:<licence>`, `non_core`, `products`, `orders`, `fee_cents`.
    pub name: String,
    /// Used by past orders.
    pub used: i64,
    /// What the cart would add.
    pub in_cart: i64,
    pub limit: i64,
}

/// A partner's allowance in the current window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    pub partner_id: String,
    /// The window the counters cover: [start, end).
    pub window_start: Option<NaiveDate>,
    pub window_end: Option<NaiveDate>,
    pub counters: Vec<Counter>,
}

/// The engine's answer: one verdict per cart line, in cart order, and the allowances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub lines: Vec<LineVerdict>,
    pub allowances: Vec<Allowance>,
}

/// One stored version of one partner's rules for a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVersion {
    pub partner_id: String,
    pub effective_from: NaiveDate,
    /// Only that partner's keys of [`RuleSet`] (`adobe_max_per_year`…).
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// "Mes dons Microsoft" and the other partners' allowances, as the engine computes them for
/// an empty cart, with the history of Microsoft requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Donations {
    pub today: NaiveDate,
    pub allowances: Vec<Allowance>,
    /// (partner id, name) of every partner in the catalogue.
    pub partner_names: Vec<(String, String)>,
    /// Every order with a Microsoft line, newest first (first page).
    pub microsoft_orders: Vec<OrderSummary>,
    pub microsoft_order_count: i64,
}

/// The partner documents staff record for an organisation, which the rules engine reads:
/// Microsoft's discount eligibility certificate (good for a year), the organisation's last
/// direct Autodesk purchase and Autodesk's waiver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerDocuments {
    pub discount_certificate_issued: Option<NaiveDate>,
    /// The certificate's last valid day.
    pub discount_certificate_until: Option<NaiveDate>,
    pub autodesk_direct_purchase: Option<NaiveDate>,
    pub autodesk_waiver_on: Option<NaiveDate>,
}

/// A stored version of a partner's rules, as the rules page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRuleVersion {
    pub partner_id: String,
    pub country: String,
    pub effective_from: NaiveDate,
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Who added it; `None` for the rules the portal ships with.
    pub created_by: Option<String>,
}

/// "Règles des partenaires": every version, and the parameters in force today per country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesOverview {
    pub today: NaiveDate,
    /// (partner id, name), in catalogue order.
    pub partners: Vec<(String, String)>,
    pub versions: Vec<StoredRuleVersion>,
    /// (country, every parameter in force today).
    pub in_force: Vec<(String, RuleSet)>,
}

/// What a new rule version would change on its effective date, before it is saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulePreview {
    /// Organisations of the country looked at.
    pub organisations: i64,
    /// Organisations whose allowances (limits, windows or counts) move.
    pub allowances_moved: Vec<String>,
    /// Current carts with a line the new version refuses and the old one accepted.
    pub refused_carts: Vec<RefusedCart>,
}

/// A current cart the new rules would refuse, with the products they refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedCart {
    pub organisation: String,
    pub products: Vec<String>,
}
