//! Catalogue types shared by the server and the browser.

use crate::lang::Lang;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// What an offer is; the partner rules and the order split depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    SoftwareLicence,
    /// Subscription or discount code (Zoom, Adobe Creative Cloud…).
    Subscription,
    CloudCredit,
    /// Refurbished computers and donated network equipment.
    Hardware,
    /// Obtained from the partner with a validation token; never ordered here.
    ValidationOnly,
}

impl ProductKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::SoftwareLicence => "software_licence",
            ProductKind::Subscription => "subscription",
            ProductKind::CloudCredit => "cloud_credit",
            ProductKind::Hardware => "hardware",
            ProductKind::ValidationOnly => "validation_only",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            ProductKind::SoftwareLicence,
            ProductKind::Subscription,
            ProductKind::CloudCredit,
            ProductKind::Hardware,
            ProductKind::ValidationOnly,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == value)
    }
}

/// Microsoft licence types, counted separately by the donation quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceType {
    Desktop,
    /// Core-based server licence.
    CoreServer,
    /// Non-core-based server licence (at most 5 per cycle, all families together).
    NonCoreServer,
}

impl LicenceType {
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceType::Desktop => "desktop",
            LicenceType::CoreServer => "core_server",
            LicenceType::NonCoreServer => "non_core_server",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            LicenceType::Desktop,
            LicenceType::CoreServer,
            LicenceType::NonCoreServer,
        ]
        .into_iter()
        .find(|t| t.as_str() == value)
    }
}

/// A text written in each UI language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalizedText {
    pub fr: String,
    pub nl: String,
    pub en: String,
}

impl LocalizedText {
    /// The text in `lang`, falling back to French when a translation is missing.
    pub fn get(&self, lang: impl Into<Lang>) -> &str {
        let text = match lang.into() {
            Lang::Fr => &self.fr,
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        };
        if text.is_empty() { &self.fr } else { text }
    }
}

/// One offer as the catalogue lists it, its texts of type `Text`: [`LocalizedText`] in
/// [`ProductSummary`] (the three languages, for staff and the database) or `String` in
/// [`CatalogueProduct`] (the visitor's language only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product<Text> {
    pub slug: String,
    pub name: String,
    pub partner_id: String,
    pub partner_name: String,
    pub kind: ProductKind,
    pub family_name: Option<String>,
    pub licence_type: Option<LicenceType>,
    pub software_assurance: bool,
    pub description: Text,
    /// The product's own conditions (beyond its partner's), written by staff; may be empty.
    pub conditions: Text,
    /// "Frais administratifs", excl. VAT.
    pub admin_fee: Money,
    pub commercial_value: Money,
    /// The partner's offer this product belongs to (`standard`, `adobe_creative_cloud`…).
    pub offer: String,
}

/// A product with its texts in the three languages.
pub type ProductSummary = Product<LocalizedText>;

/// One offer as the public catalogue and a product page show it: its texts in the visitor's
/// language only, so a page carries one language, not three.
pub type CatalogueProduct = Product<String>;

/// Who is looking at the catalogue, for "Ajouter au panier" or the reason it is not offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    Anonymous,
    Staff,
    /// A member of an organisation, with the partners it is qualified for.
    Member {
        qualified: Vec<String>,
    },
}

impl<Text> Product<Text> {
    /// What the organisation saves compared with the commercial price.
    pub fn saving(&self) -> Money {
        Money::from_cents((self.commercial_value.cents() - self.admin_fee.cents()).max(0))
    }
}

impl ProductSummary {
    /// This product with its description and conditions in `lang` (French where a
    /// translation is missing).
    pub fn in_language(self, lang: impl Into<Lang>) -> CatalogueProduct {
        let lang = lang.into();
        Product {
            description: self.description.get(lang).to_owned(),
            conditions: self.conditions.get(lang).to_owned(),
            slug: self.slug,
            name: self.name,
            partner_id: self.partner_id,
            partner_name: self.partner_name,
            kind: self.kind,
            family_name: self.family_name,
            licence_type: self.licence_type,
            software_assurance: self.software_assurance,
            admin_fee: self.admin_fee,
            commercial_value: self.commercial_value,
            offer: self.offer,
        }
    }
}

/// The offers the partner rules tell apart (see `quota::model::Offer`).
pub const OFFERS: [&str; 6] = [
    "standard",
    "microsoft_discount",
    "adobe_creative_cloud",
    "zoom_pro",
    "zoom_business",
    "aws_renewal",
];

/// A product as staff see it in catalogue management: every field, active or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedProduct {
    pub summary: ProductSummary,
    pub family_id: Option<String>,
    pub active: bool,
    /// `false`: never refunded ("jamais remboursé", e.g. Windows Get Genuine), whatever the
    /// partner's refund rule.
    pub refundable: bool,
}

/// A partner (donor) as staff manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedPartner {
    pub partner_id: String,
    pub name: String,
    pub sort_order: i32,
    pub active: bool,
    pub product_count: i64,
}

/// A Microsoft product family ("famille de produits"), which the quotas count by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedFamily {
    pub family_id: String,
    pub partner_id: String,
    pub name: String,
    pub product_count: i64,
}

/// "Gestion du catalogue": everything staff edit, in catalogue order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedCatalogue {
    pub products: Vec<ManagedProduct>,
    pub partners: Vec<ManagedPartner>,
    pub families: Vec<ManagedFamily>,
}

/// The product form, as typed: amounts in euros ("45,00"), check boxes present or absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    /// Only read for a new product; a product's slug (its address) never changes.
    pub slug: String,
    pub name: String,
    pub partner_id: String,
    pub kind: String,
    pub family_id: String,
    pub licence_type: String,
    pub software_assurance: Option<String>,
    pub offer: String,
    pub admin_fee: String,
    pub commercial_value: String,
    pub description_fr: String,
    pub description_nl: String,
    pub description_en: String,
    pub conditions_fr: String,
    pub conditions_nl: String,
    pub conditions_en: String,
    pub active: Option<String>,
    /// "Jamais remboursé": present when the product is never refunded.
    pub never_refunded: Option<String>,
}
