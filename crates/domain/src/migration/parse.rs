//! Reading the migration files and checking every row: pure, so the dry run, the staff page
//! and the command line judge the files alike.

use super::model::*;
use crate::auth::rules::normalise_email;
use crate::invoice::VatStatus;
use crate::order::model::OrderStatus;
use crate::org::model::{Country, EligibilityStatus, LegalForm, MISSION_CATEGORIES, MemberRole};
use crate::org::rules::EnterpriseNumber;
use crate::quota::model::{LineProduct, Offer};
use crate::quota::rules::FulfilmentPath;
use crate::registration::{MAX_TEXT_CHARS, enterprise_number_code, validate_vat};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Decodes an uploaded file: UTF-8 (with or without a byte-order mark), UTF-16 with its
/// mark, or else Windows-1252 as spreadsheets on Windows save "CSV" (its first 256 code
/// points read as Latin-1, which covers é, è, ç, ë).
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |rest: &[u8], little: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| {
                if little {
                    u16::from_le_bytes([pair[0], pair[1]])
                } else {
                    u16::from_be_bytes([pair[0], pair[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Reads one file: header, delimiter (`;`, `,` or tab, whichever the header uses most),
/// rows. An empty text is a file not given (no rows).
pub fn read_table(file: &str, text: &str, limits: Limits) -> Result<Vec<Row>, FileError> {
    let error = |code: String| FileError {
        file: file.to_owned(),
        code,
    };
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let header = text.lines().next().unwrap_or_default();
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| header.matches(char::from(*d)).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| error("csv_unreadable:1".into()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let missing: Vec<&str> = required_columns(file)
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(error(format!("csv_missing_columns:{}", missing.join(", "))));
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => return Err(error(format!("csv_unreadable:{}", line.max(2)))),
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() == limits.max_rows {
            return Err(error(format!("csv_too_many_rows:{}", limits.max_rows)));
        }
        let line = u32::try_from(record.position().map_or(line, csv::Position::line)).unwrap_or(u32::MAX);
        let cells = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.clone(), v.to_owned()))
            .collect();
        rows.push(Row { line, cells });
    }
    Ok(rows)
}

/// Reads every file; a file refused as a whole is reported and contributes no rows.
pub fn read_files(files: &MigrationFiles, limits: Limits) -> (Tables, Vec<FileError>) {
    let mut tables = Tables::default();
    let mut errors = Vec::new();
    for file in FILES {
        match read_table(file, files.get(file), limits) {
            Ok(rows) => {
                tables.files.insert(file.to_owned(), rows);
            }
            Err(error) => errors.push(error),
        }
    }
    if files.organisations.trim().is_empty() && files.counters.trim().is_empty() {
        errors.push(FileError {
            file: "organisations".into(),
            code: "csv_empty".into(),
        });
    }
    (tables, errors)
}

/// A day: `YYYY-MM-DD` or `DD/MM/YYYY`; not after `today`.
fn day(value: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d/%m/%Y"))
        .map_err(|_| "date_invalid")?;
    if date > today { Err("date_in_future") } else { Ok(date) }
}

/// An optional day.
fn optional_day(value: &str, today: NaiveDate) -> Result<Option<NaiveDate>, &'static str> {
    if value.is_empty() {
        Ok(None)
    } else {
        day(value, today).map(Some)
    }
}

/// Euros with up to two decimals (`12.50`, `12,5`, `7`) into cents.
fn cents(value: &str) -> Result<i64, &'static str> {
    let value = value.trim().trim_start_matches('€').trim_end_matches('€').trim();
    let (whole, fraction) = value.split_once(['.', ',']).unwrap_or((value, ""));
    let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || fraction.len() > 2 || !(fraction.is_empty() || digits(fraction)) {
        return Err("amount_invalid");
    }
    let whole: i64 = whole.parse().map_err(|_| "amount_invalid")?;
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| "amount_invalid")?;
    Ok(whole * 100 + fraction)
}

/// A required single-line text, whitespace collapsed, bounded.
fn text(value: &str) -> Result<String, &'static str> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        Err("required")
    } else if value.chars().count() > MAX_TEXT_CHARS {
        Err("too_long")
    } else {
        Ok(value)
    }
}

/// The errors of one row, as `column:code`.
#[derive(Default)]
struct Errors(Vec<String>);

impl Errors {
    fn check<T>(&mut self, column: &str, result: Result<T, &str>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(code) => {
                self.0.push(format!("{column}:{code}"));
                None
            }
        }
    }
}

fn refused(file: &str, row: &Row, key: &str, errors: Vec<String>) -> RowOutcome {
    RowOutcome {
        file: file.to_owned(),
        line: row.line,
        key: key.to_owned(),
        outcome: Outcome::Error,
        errors,
    }
}

fn row_ref(file: &str, row: &Row) -> RowRef {
    RowRef {
        file: file.to_owned(),
        line: row.line,
    }
}

fn organisation(row: &Row, today: NaiveDate) -> Result<OrganisationRecord, Vec<String>> {
    let mut e = Errors::default();
    let legacy_id = e.check("legacy_id", text(row.get("legacy_id")));
    let legal_name = e.check("legal_name", text(row.get("legal_name")));
    let legal_form = e.check(
        "legal_form",
        LegalForm::parse(&row.get("legal_form").to_lowercase()).ok_or("choose_one"),
    );
    let country = e.check(
        "country",
        Country::parse(&row.get("country").to_uppercase()).ok_or("choose_one"),
    );
    let enterprise_number = match country {
        Some(country) if !row.get("enterprise_number").is_empty() => e.check(
            "enterprise_number",
            EnterpriseNumber::parse(country, row.get("enterprise_number")).map_err(enterprise_number_code),
        ),
        Some(_) => e.check::<EnterpriseNumber>("enterprise_number", Err("required")),
        None => None,
    };
    let street = e.check("street", text(row.get("street")));
    let postal_code = {
        let value = row.get("postal_code");
        let digits = value
            .strip_prefix("L-")
            .or_else(|| value.strip_prefix("l-"))
            .unwrap_or(value);
        e.check(
            "postal_code",
            if digits.is_empty() {
                Err("required")
            } else if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
                Ok(digits.to_owned())
            } else {
                Err("postal_code_invalid")
            },
        )
    };
    let city = e.check("city", text(row.get("city")));
    let contact_email = e.check("contact_email", normalise_email(row.get("contact_email")));
    let mission_category = e.check(
        "mission_category",
        MISSION_CATEGORIES
            .iter()
            .find(|c| **c == row.get("mission_category"))
            .map(|c| (*c).to_owned())
            .ok_or("choose_one"),
    );
    let eligibility = e.check(
        "eligibility_status",
        EligibilityStatus::parse(&row.get("eligibility_status").to_lowercase()).ok_or("choose_one"),
    );
    let vat = match validate_vat(row.get("vat_status"), row.get("vat_number"), enterprise_number.as_ref()) {
        Ok(vat) => Some(vat),
        Err((column, code)) => e.check::<(VatStatus, Option<String>)>(column, Err(code)),
    };
    let language = match row.get("language") {
        "" => Some("fr".to_owned()),
        value => e.check(
            "language",
            ["fr", "nl", "en"]
                .into_iter()
                .find(|l| *l == value.to_lowercase())
                .map(str::to_owned)
                .ok_or("choose_one"),
        ),
    };
    let registered_on = e.check("registered_on", optional_day(row.get("registered_on"), today));
    match (
        legacy_id,
        legal_name,
        legal_form,
        country,
        enterprise_number,
        street,
        postal_code,
        city,
        contact_email,
        mission_category,
        eligibility,
        vat,
        language,
        registered_on,
    ) {
        (
            Some(legacy_id),
            Some(legal_name),
            Some(legal_form),
            Some(country),
            Some(enterprise_number),
            Some(street),
            Some(postal_code),
            Some(city),
            Some(contact_email),
            Some(mission_category),
            Some(eligibility),
            Some((vat_status, vat_number)),
            Some(language),
            Some(registered_on),
        ) if e.0.is_empty() => Ok(OrganisationRecord {
            legacy_id,
            legal_name,
            legal_form,
            country,
            enterprise_number,
            street,
            postal_code,
            city,
            contact_email,
            mission_category,
            eligibility,
            vat_status,
            vat_number,
            language,
            registered_on,
        }),
        _ => Err(e.0),
    }
}

fn person(row: &Row) -> Result<PersonRecord, Vec<String>> {
    let mut e = Errors::default();
    let full_name = e.check("full_name", text(row.get("full_name")));
    let email = e.check("email", normalise_email(row.get("email")));
    let role = e.check(
        "role",
        match row.get("role").to_lowercase().as_str() {
            "account_holder" | "holder" | "titulaire" => Ok(MemberRole::AccountHolder),
            "member" | "membre" => Ok(MemberRole::Member),
            _ => Err("choose_one"),
        },
    );
    let language = match row.get("language") {
        "" => Some(None),
        value => e.check(
            "language",
            ["fr", "nl", "en"]
                .into_iter()
                .find(|l| *l == value.to_lowercase())
                .map(|l| Some(l.to_owned()))
                .ok_or("choose_one"),
        ),
    };
    match (full_name, email, role, language) {
        (Some(full_name), Some(email), Some(role), Some(language)) if e.0.is_empty() => Ok(PersonRecord {
            full_name,
            email,
            role,
            language,
        }),
        _ => Err(e.0),
    }
}

fn boolean(value: &str) -> Result<bool, &'static str> {
    match value.to_lowercase().as_str() {
        "" | "0" | "no" | "non" | "nee" | "false" => Ok(false),
        "1" | "yes" | "oui" | "ja" | "true" => Ok(true),
        _ => Err("choose_one"),
    }
}

/// The catalogue as the plan needs it: slug → product.
pub type Catalogue = HashMap<String, LineProduct>;

/// An order's row and its lines' rows, still to be checked together.
struct OrderDraft {
    organisation: String,
    record: Option<OrderRecord>,
    rows: Vec<RowRef>,
    errors: Vec<RowOutcome>,
}

fn order(row: &Row, today: NaiveDate) -> Result<OrderRecord, Vec<String>> {
    let mut e = Errors::default();
    let reference = e.check("legacy_reference", text(row.get("legacy_reference")));
    let status = e.check(
        "status",
        OrderStatus::parse(&row.get("status").to_lowercase()).ok_or("choose_one"),
    );
    let submitted_on = e.check("submitted_on", day(row.get("submitted_on"), today));
    let validated_on = e.check("validated_on", optional_day(row.get("validated_on"), today));
    let fulfilled_on = e.check("fulfilled_on", optional_day(row.get("fulfilled_on"), today));
    if let (Some(submitted), Some(Some(validated))) = (submitted_on, validated_on)
        && validated < submitted
    {
        e.0.push("validated_on:validated_before_submitted".into());
    }
    if let (Some(status), Some(validated)) = (status, validated_on) {
        match status {
            OrderStatus::Paid | OrderStatus::Transmitted | OrderStatus::Fulfilled | OrderStatus::Refunded
                if validated.is_none() =>
            {
                e.0.push("validated_on:validated_date_required".into());
            }
            OrderStatus::Submitted if validated.is_some() => {
                e.0.push("validated_on:validated_date_unexpected".into());
            }
            _ => {}
        }
    }
    match (reference, status, submitted_on, validated_on, fulfilled_on) {
        (Some(reference), Some(status), Some(submitted_on), Some(validated_on), Some(fulfilled_on))
            if e.0.is_empty() =>
        {
            Ok(OrderRecord {
                reference,
                status,
                category: crate::order::model::OrderCategory::Software,
                submitted_on,
                validated_on,
                // A fulfilled order's day for the home counters: its own, else its validation.
                fulfilled_on: if status == OrderStatus::Fulfilled {
                    fulfilled_on.or(validated_on)
                } else {
                    None
                },
                lines: Vec::new(),
            })
        }
        _ => Err(e.0),
    }
}

fn line(row: &Row, catalogue: &Catalogue) -> Result<(LineRecord, FulfilmentPath), Vec<String>> {
    let mut e = Errors::default();
    let product = match catalogue.get(row.get("product")) {
        Some(p) if p.kind == crate::catalog::model::ProductKind::ValidationOnly => {
            e.check::<&LineProduct>("product", Err("not_orderable"))
        }
        Some(p) => Some(p),
        None => e.check::<&LineProduct>("product", Err("unknown_product")),
    };
    let quantity = e.check(
        "quantity",
        match row.get("quantity").parse::<i64>() {
            Ok(q) if q <= 0 => Err("quantity_invalid"),
            Ok(q) if q > i64::from(MAX_LINE_QUANTITY) => Err("quantity_too_large"),
            Ok(q) => u32::try_from(q).map_err(|_| "quantity_invalid"),
            Err(_) => Err("quantity_invalid"),
        },
    );
    let fee = match row.get("fee") {
        "" => Some(product.map(|p| p.fee_cents)),
        value => e.check("fee", cents(value).map(Some)),
    };
    let named_user = match row.get("named_user") {
        "" => {
            if product.is_some_and(|p| p.offer == Offer::AdobeCreativeCloud) {
                e.check::<Option<String>>("named_user", Err("required"))
            } else {
                Some(None)
            }
        }
        value => e.check("named_user", normalise_email(value).map(Some)),
    };
    let aws_account_id = match row.get("aws_account_id") {
        "" => Some(None),
        value if value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) => Some(Some(value.to_owned())),
        _ => e.check::<Option<String>>("aws_account_id", Err("aws_account_invalid")),
    };
    let cancelled = e.check("cancelled", boolean(row.get("cancelled")));
    match (product, quantity, fee, named_user, aws_account_id, cancelled) {
        (
            Some(product),
            Some(quantity),
            Some(Some(fee_cents)),
            Some(named_user),
            Some(aws_account_id),
            Some(cancelled),
        ) if e.0.is_empty() => Ok((
            LineRecord {
                product: row.get("product").to_owned(),
                product_id: product.product_id.clone(),
                quantity,
                fee_cents,
                named_user,
                aws_account_id,
                cancelled,
            },
            FulfilmentPath::of(product),
        )),
        _ => Err(e.0),
    }
}

/// Checks every row against its neighbours, the catalogue (`catalogue`: slug → product),
/// the partners and `today` (no date after it), and groups the good rows per organisation.
/// An organisation with any bad row (its own, a person's, an order's, a line's) is refused
/// whole: its other rows are `Skipped`.
pub fn plan(tables: &Tables, catalogue: &Catalogue, partners: &[String], today: NaiveDate) -> Plan {
    let empty = Vec::new();
    let rows = |file: &str| tables.files.get(file).unwrap_or(&empty);
    let mut refused: Vec<RowOutcome> = Vec::new();
    // Organisations, keyed by legacy id; duplicates (of the id or of the enterprise number)
    // refuse every row that shares them.
    let mut organisations: BTreeMap<String, (OrganisationRecord, RowRef)> = BTreeMap::new();
    let mut bad_organisations: HashSet<String> = HashSet::new();
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    let mut seen_numbers: HashMap<String, usize> = HashMap::new();
    for row in rows("organisations") {
        *seen_ids.entry(row.get("legacy_id").to_owned()).or_default() += 1;
        if let Ok(record) = organisation(row, today) {
            *seen_numbers
                .entry(record.enterprise_number.as_str().to_owned())
                .or_default() += 1;
        }
    }
    for row in rows("organisations") {
        let key = row.get("legacy_id").to_owned();
        let mut errors = Vec::new();
        let record = organisation(row, today).map_err(|e| errors.extend(e)).ok();
        if !key.is_empty() && seen_ids.get(&key).copied().unwrap_or(0) > 1 {
            errors.push("legacy_id:duplicate".into());
        }
        if let Some(record) = &record
            && seen_numbers
                .get(record.enterprise_number.as_str())
                .copied()
                .unwrap_or(0)
                > 1
        {
            errors.push("enterprise_number:duplicate".into());
        }
        match record {
            Some(record) if errors.is_empty() => {
                organisations.insert(key, (record, row_ref("organisations", row)));
            }
            _ => {
                bad_organisations.insert(key.clone());
                refused.push(refused_row("organisations", row, &key, errors));
            }
        }
    }
    let known_keys: HashSet<String> = organisations.keys().chain(bad_organisations.iter()).cloned().collect();
    let known = |key: &str| known_keys.contains(key);
    let mut children: HashMap<String, Vec<RowRef>> = HashMap::new();
    let mut people: HashMap<String, Vec<PersonRecord>> = HashMap::new();
    for row in rows("people") {
        let key = row.get("organisation_legacy_id").to_owned();
        let mut errors = match person(row) {
            Ok(record) => {
                let list = people.entry(key.clone()).or_default();
                if list.iter().any(|p| p.email == record.email) {
                    vec!["email:duplicate".to_owned()]
                } else {
                    list.push(record);
                    Vec::new()
                }
            }
            Err(errors) => errors,
        };
        if !known(&key) {
            errors.push("organisation_legacy_id:unknown_organisation".into());
        }
        child_row(
            &mut refused,
            &mut children,
            &mut bad_organisations,
            "people",
            row,
            &key,
            errors,
        );
    }
    let mut qualifications: HashMap<String, Vec<QualificationRecord>> = HashMap::new();
    for row in rows("qualifications") {
        let key = row.get("organisation_legacy_id").to_owned();
        let mut e = Errors::default();
        let partner = e.check(
            "partner",
            partners
                .iter()
                .find(|p| **p == row.get("partner").to_lowercase())
                .cloned()
                .ok_or("unknown_partner"),
        );
        let qualified = e.check(
            "status",
            match row.get("status").to_lowercase().as_str() {
                "qualified" => Ok(true),
                "not_qualified" => Ok(false),
                _ => Err("choose_one"),
            },
        );
        let decided_on = e.check("decided_on", optional_day(row.get("decided_on"), today));
        if let (Some(partner_id), Some(qualified), Some(decided_on)) = (partner, qualified, decided_on) {
            let list = qualifications.entry(key.clone()).or_default();
            if list.iter().any(|q| q.partner_id == partner_id) {
                e.0.push("partner:duplicate".into());
            } else {
                list.push(QualificationRecord {
                    partner_id,
                    qualified,
                    decided_on,
                });
            }
        }
        if !known(&key) {
            e.0.push("organisation_legacy_id:unknown_organisation".into());
        }
        child_row(
            &mut refused,
            &mut children,
            &mut bad_organisations,
            "qualifications",
            row,
            &key,
            e.0,
        );
    }
    let mut documents: HashMap<String, DocumentsRecord> = HashMap::new();
    for row in rows("documents") {
        let key = row.get("organisation_legacy_id").to_owned();
        let mut e = Errors::default();
        let certificate = e.check(
            "discount_certificate_issued",
            optional_day(row.get("discount_certificate_issued"), today),
        );
        let direct = e.check(
            "autodesk_direct_purchase",
            optional_day(row.get("autodesk_direct_purchase"), today),
        );
        let waiver = e.check("autodesk_waiver_on", optional_day(row.get("autodesk_waiver_on"), today));
        if let (Some(a), Some(b), Some(c)) = (certificate, direct, waiver) {
            if documents.contains_key(&key) {
                e.0.push("organisation_legacy_id:duplicate".into());
            } else {
                documents.insert(
                    key.clone(),
                    DocumentsRecord {
                        discount_certificate_issued: a,
                        autodesk_direct_purchase: b,
                        autodesk_waiver_on: c,
                    },
                );
            }
        }
        if !known(&key) {
            e.0.push("organisation_legacy_id:unknown_organisation".into());
        }
        child_row(
            &mut refused,
            &mut children,
            &mut bad_organisations,
            "documents",
            row,
            &key,
            e.0,
        );
    }
    // Orders, keyed by legacy reference, then their lines.
    let mut orders: BTreeMap<String, OrderDraft> = BTreeMap::new();
    let mut order_keys: Vec<String> = Vec::new();
    let mut duplicate_references: HashSet<String> = HashSet::new();
    for row in rows("orders") {
        let reference = row.get("legacy_reference").to_owned();
        let organisation = row.get("organisation_legacy_id").to_owned();
        let mut draft = OrderDraft {
            organisation: organisation.clone(),
            record: None,
            rows: vec![row_ref("orders", row)],
            errors: Vec::new(),
        };
        let mut errors = match order(row, today) {
            Ok(record) => {
                draft.record = Some(record);
                Vec::new()
            }
            Err(errors) => errors,
        };
        if !known(&organisation) {
            errors.push("organisation_legacy_id:unknown_organisation".into());
        }
        if orders.contains_key(&reference) {
            duplicate_references.insert(reference.clone());
            errors.push("legacy_reference:duplicate".into());
        }
        if !errors.is_empty() {
            draft.record = None;
            draft.errors.push(refused_row("orders", row, &reference, errors));
        }
        if let Some(first) = orders.get_mut(&reference) {
            first.errors.extend(draft.errors);
            first.rows.extend(draft.rows);
            first.record = None;
        } else {
            order_keys.push(reference.clone());
            orders.insert(reference, draft);
        }
    }
    for reference in &duplicate_references {
        if let Some(first) = orders.get_mut(reference)
            && let Some(row) = rows("orders").iter().find(|r| r.get("legacy_reference") == reference)
            && !first.errors.iter().any(|e| e.line == row.line)
        {
            first.errors.push(refused_row(
                "orders",
                row,
                reference,
                vec!["legacy_reference:duplicate".into()],
            ));
        }
    }
    let mut paths: HashMap<String, Vec<FulfilmentPath>> = HashMap::new();
    for row in rows("order_lines") {
        let reference = row.get("legacy_reference").to_owned();
        let Some(draft) = orders.get_mut(&reference) else {
            let mut errors = line(row, catalogue).err().unwrap_or_default();
            errors.push("legacy_reference:unknown_order".into());
            refused.push(refused_row("order_lines", row, &reference, errors));
            continue;
        };
        draft.rows.push(row_ref("order_lines", row));
        match line(row, catalogue) {
            Ok((record, path)) => {
                paths.entry(reference.clone()).or_default().push(path);
                if let Some(order) = &mut draft.record {
                    order.lines.push(record);
                }
            }
            Err(errors) => {
                draft.record = None;
                draft.errors.push(refused_row("order_lines", row, &reference, errors));
            }
        }
    }
    let mut organisation_orders: HashMap<String, Vec<(OrderRecord, Vec<RowRef>)>> = HashMap::new();
    for reference in order_keys {
        let Some(mut draft) = orders.remove(&reference) else {
            continue;
        };
        let mut order_errors = Vec::new();
        if let Some(order) = &mut draft.record {
            let path = paths.get(&reference).cloned().unwrap_or_default();
            match path.first() {
                None => order_errors.push("legacy_reference:order_without_lines".to_owned()),
                Some(first) if path.iter().any(|p| p != first) => {
                    order_errors.push("legacy_reference:order_mixes_paths".to_owned())
                }
                Some(first) => order.category = first.category(),
            }
        }
        if !order_errors.is_empty()
            && let Some(row) = rows("orders").iter().find(|r| r.get("legacy_reference") == reference)
        {
            draft.record = None;
            draft.errors.push(refused_row("orders", row, &reference, order_errors));
        }
        match draft.record {
            Some(record) if draft.errors.is_empty() => organisation_orders
                .entry(draft.organisation.clone())
                .or_default()
                .push((record, draft.rows)),
            _ => {
                bad_organisations.insert(draft.organisation.clone());
                let failed: HashSet<(String, u32)> = draft.errors.iter().map(|e| (e.file.clone(), e.line)).collect();
                refused.extend(draft.errors);
                // The order's good rows are skipped with it.
                for r in draft.rows {
                    if !failed.contains(&(r.file.clone(), r.line)) {
                        refused.push(RowOutcome {
                            file: r.file,
                            line: r.line,
                            key: reference.clone(),
                            outcome: Outcome::Skipped,
                            errors: vec!["legacy_reference:order_has_errors".into()],
                        });
                    }
                }
            }
        }
    }
    // One account holder per organisation.
    let mut plans = Vec::new();
    for (key, (record, row)) in organisations {
        let people = people.remove(&key).unwrap_or_default();
        let holders = people.iter().filter(|p| p.role == MemberRole::AccountHolder).count();
        let mut rows = vec![row.clone()];
        rows.extend(children.remove(&key).unwrap_or_default());
        let orders = organisation_orders.remove(&key).unwrap_or_default();
        if holders != 1 {
            refused.push(RowOutcome {
                file: row.file.clone(),
                line: row.line,
                key: key.clone(),
                outcome: Outcome::Error,
                errors: vec!["legacy_id:one_holder_required".into()],
            });
            rows.retain(|r| *r != row);
            bad_organisations.insert(key.clone());
        }
        if bad_organisations.contains(&key) {
            for r in rows.into_iter().chain(orders.into_iter().flat_map(|(_, rows)| rows)) {
                refused.push(skipped(r, &key));
            }
            continue;
        }
        let (orders, order_rows) = orders.into_iter().unzip();
        plans.push(OrganisationPlan {
            key: key.clone(),
            organisation: record,
            people,
            qualifications: qualifications.remove(&key).unwrap_or_default(),
            documents: documents.remove(&key).unwrap_or_default(),
            orders,
            rows,
            order_rows,
        });
    }
    // Rows of organisations refused in their own file, or through a child row.
    for (key, rows) in children {
        if bad_organisations.contains(&key) {
            refused.extend(rows.into_iter().map(|r| skipped(r, &key)));
        }
    }
    for (key, orders) in organisation_orders {
        refused.extend(orders.into_iter().flat_map(|(_, rows)| rows).map(|r| skipped(r, &key)));
    }
    let mut counters = Vec::new();
    let mut seen_counters = HashSet::new();
    for row in rows("counters") {
        let name = row.get("counter").to_lowercase();
        let mut e = Errors::default();
        let known_name = e.check(
            "counter",
            COUNTERS
                .iter()
                .find(|c| **c == name)
                .map(|c| (*c).to_owned())
                .ok_or("choose_one"),
        );
        let value = e.check(
            "value",
            row.get("value")
                .parse::<i64>()
                .ok()
                .filter(|v| *v >= 0)
                .ok_or("amount_invalid"),
        );
        if known_name.is_some() && !seen_counters.insert(name.clone()) {
            e.0.push("counter:duplicate".into());
        }
        match (known_name, value) {
            (Some(name), Some(value)) if e.0.is_empty() => counters.push((name, value, row_ref("counters", row))),
            _ => refused.push(refused_row("counters", row, &name, e.0)),
        }
    }
    Plan {
        organisations: plans,
        counters,
        refused,
    }
}

fn refused_row(file: &str, row: &Row, key: &str, errors: Vec<String>) -> RowOutcome {
    refused(file, row, key, errors)
}

fn skipped(row: RowRef, key: &str) -> RowOutcome {
    RowOutcome {
        file: row.file,
        line: row.line,
        key: key.to_owned(),
        outcome: Outcome::Skipped,
        errors: vec!["organisation_legacy_id:organisation_has_errors".into()],
    }
}

/// Files a child row (person, qualification, documents) under its organisation, or refuses
/// it and, with it, its organisation.
fn child_row(
    refused: &mut Vec<RowOutcome>,
    children: &mut HashMap<String, Vec<RowRef>>,
    bad: &mut HashSet<String>,
    file: &str,
    row: &Row,
    key: &str,
    errors: Vec<String>,
) {
    if errors.is_empty() {
        children.entry(key.to_owned()).or_default().push(row_ref(file, row));
    } else {
        bad.insert(key.to_owned());
        refused.push(refused_row(file, row, key, errors));
    }
}
