//! Pure catalogue rules: search matching and the product form's validation.

use crate::catalog::model::{LicenceType, LocalizedText, OFFERS, ProductForm, ProductKind};
use crate::error::FieldErrors;

/// Lower-cases and strips the accents of Latin letters, so that "eligibilite" finds
/// "éligibilité" and "CŒUR" finds "cœur".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            other => out.push(other),
        }
    }
    out
}

/// The catalogue's search box, folded once: a product matches when every word occurs in one
/// of its fields (accent- and case-insensitive). An empty query matches everything, without
/// folding anything (the page renders the whole catalogue that way, on every request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery(Vec<String>);

impl SearchQuery {
    pub fn new(text: &str) -> Self {
        Self(fold(text).split_whitespace().map(str::to_owned).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn matches(&self, fields: &[&str]) -> bool {
        if self.is_empty() {
            return true;
        }
        let haystack = fold(&fields.join(" "));
        self.0.iter().all(|word| haystack.contains(word.as_str()))
    }
}

/// Longest search text the catalogue's address may carry, in characters. The search box
/// stops there; a longer text (a hand-made address) is ignored rather than searched.
pub const MAX_QUERY_CHARS: usize = 200;

/// The catalogue's filters as its address carries them (`/catalogue?q=…&partner=…&kind=…`): the
/// form works without WASM, and a shared link shows the same selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogueFilter {
    /// The search box's text, as typed.
    pub q: String,
    /// A partner id, or empty for every partner. The page ignores one it does not list.
    pub partner: String,
    /// The kind of offer; `None` for any, and for a value that names no kind.
    pub kind: Option<ProductKind>,
}

impl CatalogueFilter {
    /// The filters of the query parameters `q`, `partner` and `kind`, each possibly absent.
    pub fn from_params(q: Option<&str>, partner: Option<&str>, kind: Option<&str>) -> Self {
        let q = q.unwrap_or_default();
        Self {
            q: if q.chars().count() > MAX_QUERY_CHARS {
                String::new()
            } else {
                q.to_owned()
            },
            partner: partner.unwrap_or_default().trim().to_owned(),
            kind: kind.and_then(ProductKind::parse),
        }
    }

    /// `?q=…&partner=…&kind=…` with the filters that are set (form-encoded), or `""` when none is.
    pub fn query_string(&self) -> String {
        let pairs = [
            ("q", self.q.as_str()),
            ("partner", self.partner.as_str()),
            ("kind", self.kind.map(ProductKind::as_str).unwrap_or_default()),
        ];
        let query = pairs
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| format!("{key}={}", form_encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() { query } else { format!("?{query}") }
    }
}

/// `text` encoded as a browser encodes a form field in a query string: unreserved characters
/// as they are, a space as `+`, every other byte of its UTF-8 as `%XX`.
pub fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Longest product name, and longest description or conditions, in characters.
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 4000;

/// A product form that passed [`validate_product`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProduct {
    pub slug: String,
    pub name: String,
    pub partner_id: String,
    pub kind: ProductKind,
    pub family_id: Option<String>,
    pub licence_type: Option<LicenceType>,
    pub software_assurance: bool,
    pub offer: String,
    pub admin_fee_cents: i64,
    pub commercial_value_cents: i64,
    pub description: LocalizedText,
    pub conditions: LocalizedText,
    pub active: bool,
    /// `false` when the form says "never refunded".
    pub refundable: bool,
}

/// "84,70", "84.70", "1 234,5", "0" → cents; `None` for signs, letters or three decimals.
pub fn parse_price(text: &str) -> Option<i64> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('€')
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect::<String>()
        .replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 9 || fraction.len() > 2 || !digits(whole) || !digits(fraction) {
        return None;
    }
    Some(whole.parse::<i64>().ok()? * 100 + format!("{fraction:0<2}").parse::<i64>().ok()?)
}

/// A slug is 3–80 of `a-z`, `0-9` and inner hyphens: it becomes the product's address
/// (`new` is taken by the form that creates a product).
pub fn valid_slug(slug: &str) -> bool {
    slug != "new"
        && (3..=80).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// Checks a product form against the partners and families that exist (`families` holds
/// `(family id, partner id)`). Every problem is reported at once, by field.
pub fn validate_product(
    form: &ProductForm,
    partners: &[String],
    families: &[(String, String)],
) -> Result<ValidProduct, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, code: &str| errors.entry(field.to_owned()).or_default().push(code.to_owned());
    let text = |value: &str| value.trim().to_owned();

    let slug = text(&form.slug);
    if !valid_slug(&slug) {
        fail("slug", "slug_invalid");
    }
    let name = text(&form.name);
    if name.is_empty() {
        fail("name", "required");
    } else if name.chars().count() > MAX_NAME_CHARS {
        fail("name", "too_long");
    }
    let partner_id = text(&form.partner_id);
    if !partners.contains(&partner_id) {
        fail("partner_id", "unknown_partner");
    }
    let kind = ProductKind::parse(form.kind.trim());
    if kind.is_none() {
        fail("kind", "choose_one");
    }
    let family_id = Some(text(&form.family_id)).filter(|f| !f.is_empty());
    if let Some(family) = &family_id
        && !families
            .iter()
            .any(|(id, partner)| id == family && *partner == partner_id)
    {
        fail("family_id", "family_other_partner");
    }
    let licence_type = match form.licence_type.trim() {
        "" => None,
        raw => {
            let parsed = LicenceType::parse(raw);
            if parsed.is_none() {
                fail("licence_type", "choose_one");
            }
            parsed
        }
    };
    let offer = text(&form.offer);
    let offer = if offer.is_empty() { "standard".to_owned() } else { offer };
    if !OFFERS.contains(&offer.as_str()) {
        fail("offer", "choose_one");
    }
    let admin_fee = parse_price(&form.admin_fee);
    if admin_fee.is_none() {
        fail("admin_fee", "amount_invalid");
    }
    let commercial_value = parse_price(&form.commercial_value);
    match (admin_fee, commercial_value) {
        (_, None) => fail("commercial_value", "amount_invalid"),
        (Some(fee), Some(value)) if value < fee => fail("commercial_value", "value_below_fee"),
        _ => {}
    }
    let mut texts = |fr: &str, nl: &str, en: &str, prefix: &str, required: bool| {
        let t = LocalizedText {
            fr: text(fr),
            nl: text(nl),
            en: text(en),
        };
        for (lang, value) in [("fr", &t.fr), ("nl", &t.nl), ("en", &t.en)] {
            let field = format!("{prefix}_{lang}");
            if required && value.is_empty() {
                fail(&field, "required");
            } else if value.chars().count() > MAX_TEXT_CHARS {
                fail(&field, "too_long");
            }
        }
        t
    };
    let description = texts(
        &form.description_fr,
        &form.description_nl,
        &form.description_en,
        "description",
        true,
    );
    let conditions = texts(
        &form.conditions_fr,
        &form.conditions_nl,
        &form.conditions_en,
        "conditions",
        false,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidProduct {
        slug,
        name,
        partner_id,
        kind: kind.unwrap_or(ProductKind::SoftwareLicence),
        family_id,
        licence_type,
        software_assurance: form.software_assurance.is_some(),
        offer,
        admin_fee_cents: admin_fee.unwrap_or_default(),
        commercial_value_cents: commercial_value.unwrap_or_default(),
        description,
        conditions,
        active: form.active.is_some(),
        refundable: form.never_refunded.is_none(),
    })
}

/// The id of a new family from its name: "Windows Server" → `windows-server`.
pub fn family_id_for(name: &str) -> String {
    let folded = fold(name);
    let mut id = String::with_capacity(folded.len());
    for ch in folded.chars() {
        if ch.is_ascii_alphanumeric() {
            id.push(ch);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Éligibilité"), "eligibilite");
        assert_eq!(fold("CŒUR Ångström"), "coeur angstrom");
        assert_eq!(fold("Matériel reconditionné"), "materiel reconditionne");
    }

    #[test]
    fn every_word_must_match() {
        let fields = ["Windows Server Standard 2022", "Microsoft", "Licence serveur par cœur"];
        let matches = |query: &str| SearchQuery::new(query).matches(&fields);
        assert!(matches(""));
        assert!(matches("  "));
        assert!(SearchQuery::new(" \t ").is_empty());
        assert!(matches("windows coeur"));
        assert!(matches("MICROSOFT server"));
        assert!(matches("Cœur"));
        assert!(!matches("windows adobe"));
        assert!(!SearchQuery::new("windows").matches(&[]));
    }

    #[test]
    fn the_filters_read_from_the_address_and_write_back_to_it() {
        let filter = CatalogueFilter::from_params(Some("matériel 50%"), Some("hardware"), Some("hardware"));
        assert_eq!(filter.kind, Some(ProductKind::Hardware));
        assert_eq!(
            filter.query_string(),
            "?q=mat%C3%A9riel+50%25&partner=hardware&kind=hardware"
        );
        assert_eq!(CatalogueFilter::default().query_string(), "");
        assert_eq!(
            CatalogueFilter::from_params(None, Some("adobe"), None).query_string(),
            "?partner=adobe"
        );
        assert_eq!(form_encode("a&b=c/d?é"), "a%26b%3Dc%2Fd%3F%C3%A9");
    }

    #[test]
    fn unknown_or_oversized_filters_filter_nothing() {
        let filter = CatalogueFilter::from_params(Some(&"x".repeat(MAX_QUERY_CHARS + 1)), None, Some("licence"));
        assert_eq!(filter, CatalogueFilter::default());
        let longest = "é".repeat(MAX_QUERY_CHARS);
        assert_eq!(CatalogueFilter::from_params(Some(&longest), None, None).q, longest);
        assert_eq!(
            CatalogueFilter::from_params(None, Some(" adobe "), None).partner,
            "adobe"
        );
    }

    fn form() -> ProductForm {
        ProductForm {
            slug: "office-2027".into(),
            name: "Office 2027".into(),
            partner_id: "microsoft".into(),
            kind: "software_licence".into(),
            family_id: "office".into(),
            licence_type: "desktop".into(),
            admin_fee: "45,00".into(),
            commercial_value: "469".into(),
            description_fr: "Bureautique".into(),
            description_nl: "Kantoor".into(),
            description_en: "Office".into(),
            active: Some("on".into()),
            ..ProductForm::default()
        }
    }

    #[test]
    fn a_complete_form_passes() {
        let partners = vec!["microsoft".to_owned()];
        let families = vec![("office".to_owned(), "microsoft".to_owned())];
        let valid = validate_product(&form(), &partners, &families).unwrap();
        assert_eq!((valid.admin_fee_cents, valid.commercial_value_cents), (4500, 46900));
        assert_eq!(valid.offer, "standard");
        assert!(valid.active && !valid.software_assurance);
    }

    #[test]
    fn every_problem_is_reported_by_field() {
        let partners = vec!["microsoft".to_owned(), "adobe".to_owned()];
        let families = vec![("office".to_owned(), "microsoft".to_owned())];
        let bad = ProductForm {
            slug: "Office 2027".into(),
            name: " ".into(),
            partner_id: "adobe".into(),
            kind: "gift".into(),
            licence_type: "floppy".into(),
            admin_fee: "-3".into(),
            commercial_value: "12,345".into(),
            description_nl: String::new(),
            offer: "free".into(),
            ..form()
        };
        let errors = validate_product(&bad, &partners, &families).unwrap_err();
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .flat_map(|(field, codes)| codes.iter().map(move |c| (field.as_str(), c.as_str())))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("admin_fee", "amount_invalid"),
                ("commercial_value", "amount_invalid"),
                ("description_nl", "required"),
                ("family_id", "family_other_partner"),
                ("kind", "choose_one"),
                ("licence_type", "choose_one"),
                ("name", "required"),
                ("offer", "choose_one"),
                ("slug", "slug_invalid"),
            ]
        );
        let cheap = ProductForm {
            commercial_value: "10".into(),
            ..form()
        };
        let errors = validate_product(&cheap, &partners, &families).unwrap_err();
        assert_eq!(errors["commercial_value"], vec!["value_below_fee".to_owned()]);
    }

    #[test]
    fn prices_and_slugs() {
        assert_eq!(parse_price("0"), Some(0));
        assert_eq!(parse_price("1 234,5 €"), Some(123_450));
        assert_eq!(parse_price("84.70"), Some(8470));
        assert_eq!(parse_price("8,475"), None);
        assert_eq!(parse_price("-1"), None);
        assert_eq!(parse_price(""), None);
        assert!(valid_slug("adobe-acrobat-pro"));
        assert!(
            !valid_slug("ab") && !valid_slug("-ab-") && !valid_slug("a--b") && !valid_slug("Été") && !valid_slug("new")
        );
        assert_eq!(
            family_id_for("  Windows Server (Datacenter) "),
            "windows-server-datacenter"
        );
        assert_eq!(family_id_for("Système Center"), "systeme-center");
    }
}
