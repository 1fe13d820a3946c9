//! The migration files' reading and checks, on small tables.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use super::parse::{Catalogue, decode, read_table};
use super::*;
use crate::catalog::model::{LicenceType, ProductKind};
use crate::quota::model::{LineProduct, Offer};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
}

fn catalogue() -> Catalogue {
    let product = |id: &str, partner: &str, kind: ProductKind, offer: Offer| LineProduct {
        product_id: id.into(),
        partner_id: partner.into(),
        kind,
        offer,
        family: (partner == "microsoft").then(|| "Office".to_owned()),
        licence: (partner == "microsoft").then_some(LicenceType::Desktop),
        fee_cents: 4_500,
    };
    [
        (
            "office",
            product("p1", "microsoft", ProductKind::SoftwareLicence, Offer::Standard),
        ),
        (
            "laptop",
            product("p2", "hardware", ProductKind::Hardware, Offer::Standard),
        ),
        ("switch", product("p3", "cisco", ProductKind::Hardware, Offer::Standard)),
        (
            "cc",
            product("p4", "adobe", ProductKind::Subscription, Offer::AdobeCreativeCloud),
        ),
        (
            "google",
            product("p5", "google", ProductKind::ValidationOnly, Offer::Standard),
        ),
    ]
    .into_iter()
    .map(|(slug, p)| (slug.to_owned(), p))
    .collect()
}

fn partners() -> Vec<String> {
    ["microsoft", "adobe", "cisco", "hardware"].map(str::to_owned).to_vec()
}

const ORGS: &str = "legacy_id;legal_name;legal_form;country;enterprise_number;street;postal_code;city;contact_email;mission_category;eligibility_status;vat_status;vat_number\n\
L1;Les Amis;asbl;BE;0403.170.701;Rue 1;1000;Bruxelles;a@example.org;social_cohesion;eligible;;\n\
L2;Les Autres;asbl;BE;0203.201.340;Rue 2;1000;Bruxelles;b@example.org;social_cohesion;eligible;;\n";

const PEOPLE: &str = "organisation_legacy_id;full_name;email;role\nL1;Anne;anne@example.org;account_holder\nL2;Bob;bob@example.org;account_holder\n";

fn files(orders: &str, lines: &str) -> MigrationFiles {
    MigrationFiles {
        organisations: ORGS.into(),
        people: PEOPLE.into(),
        orders: orders.into(),
        order_lines: lines.into(),
        ..MigrationFiles::default()
    }
}

fn run(files: &MigrationFiles) -> (Plan, Vec<FileError>) {
    let (tables, errors) = read_files(files, WEB_LIMITS);
    (plan(&tables, &catalogue(), &partners(), today()), errors)
}

fn errors_of(plan: &Plan, file: &str, line: u32) -> Vec<String> {
    plan.refused
        .iter()
        .filter(|r| r.file == file && r.line == line)
        .flat_map(|r| r.errors.clone())
        .collect()
}

#[test]
fn good_files_plan_every_organisation_with_its_orders() {
    let (plan, errors) = run(&files(
        "legacy_reference;organisation_legacy_id;status;submitted_on;validated_on\nA-1;L1;fulfilled;2026-03-01;2026-03-02\nA-2;L1;submitted;2026-12-01;\n",
        "legacy_reference;product;quantity;fee\nA-1;office;10;45,00\nA-2;laptop;2;\n",
    ));
    assert!(errors.is_empty(), "{errors:?}");
    assert!(plan.refused.is_empty(), "{:?}", plan.refused);
    assert_eq!(plan.organisations.len(), 2);
    let amis = &plan.organisations[0];
    assert_eq!(amis.key, "L1");
    assert_eq!(amis.organisation.enterprise_number.as_str(), "0403170701");
    assert_eq!(amis.orders.len(), 2);
    assert_eq!(amis.orders[0].lines[0].fee_cents, 4_500);
    assert_eq!(amis.orders[0].fulfilled_on, NaiveDate::from_ymd_opt(2026, 3, 2));
    assert_eq!(amis.orders[1].category, crate::order::model::OrderCategory::Hardware);
    assert_eq!(
        amis.orders[1].lines[0].fee_cents, 4_500,
        "the catalogue's fee when none is given"
    );
}

#[test]
fn a_bad_row_refuses_its_organisation_whole_and_never_the_others() {
    let (plan, _) = run(&files(
        "legacy_reference;organisation_legacy_id;status;submitted_on;validated_on\nA-1;L1;fulfilled;2026-03-01;2026-03-02\nB-1;L2;paid;2026-03-01;2026-03-02\n",
        "legacy_reference;product;quantity\nA-1;office;-3\nB-1;office;1\n",
    ));
    assert_eq!(plan.organisations.len(), 1);
    assert_eq!(plan.organisations[0].key, "L2");
    assert_eq!(errors_of(&plan, "order_lines", 2), ["quantity:quantity_invalid"]);
    let skipped: Vec<_> = plan
        .refused
        .iter()
        .filter(|r| r.outcome == Outcome::Skipped)
        .map(|r| (r.file.as_str(), r.line))
        .collect();
    assert!(skipped.contains(&("organisations", 2)), "{skipped:?}");
    assert!(skipped.contains(&("people", 2)), "{skipped:?}");
    assert!(skipped.contains(&("orders", 2)), "{skipped:?}");
}

#[test]
fn hostile_rows_are_row_errors() {
    let (plan, _) = run(&files(
        "legacy_reference;organisation_legacy_id;status;submitted_on;validated_on\n\
         A-1;L9;fulfilled;2026-03-01;2026-03-02\n\
         A-2;L1;fulfilled;2027-03-01;2027-03-02\n\
         A-3;L1;paid;2026-03-01;\n\
         A-4;L1;fulfilled;2026-03-05;2026-03-01\n\
         A-5;L1;paid;2026-03-01;2026-03-01\n\
         A-5;L1;paid;2026-03-01;2026-03-01\n\
         A-6;L1;paid;2026-03-01;2026-03-01\n\
         A-7;L1;paid;2026-03-01;2026-03-01\n",
        "legacy_reference;product;quantity;named_user\nA-1;office;1;\nA-6;office;1;\nA-6;laptop;1;\nA-7;no-such;1;\nA-7;cc;1;\nA-7;google;1;\nZ-1;office;1;\nA-7;office;99999;\n",
    ));
    assert!(plan.organisations.iter().all(|o| o.key != "L1"));
    assert_eq!(
        errors_of(&plan, "orders", 2),
        ["organisation_legacy_id:unknown_organisation"]
    );
    assert_eq!(
        errors_of(&plan, "orders", 3),
        ["submitted_on:date_in_future", "validated_on:date_in_future"]
    );
    assert_eq!(errors_of(&plan, "orders", 4), ["validated_on:validated_date_required"]);
    assert_eq!(
        errors_of(&plan, "orders", 5),
        ["validated_on:validated_before_submitted"]
    );
    assert!(errors_of(&plan, "orders", 6).contains(&"legacy_reference:duplicate".to_owned()));
    assert_eq!(errors_of(&plan, "orders", 7), ["legacy_reference:duplicate"]);
    assert_eq!(errors_of(&plan, "orders", 8), ["legacy_reference:order_mixes_paths"]);
    assert_eq!(errors_of(&plan, "order_lines", 5), ["product:unknown_product"]);
    assert_eq!(errors_of(&plan, "order_lines", 6), ["named_user:required"]);
    assert_eq!(errors_of(&plan, "order_lines", 7), ["product:not_orderable"]);
    assert_eq!(errors_of(&plan, "order_lines", 8), ["legacy_reference:unknown_order"]);
    assert_eq!(errors_of(&plan, "order_lines", 9), ["quantity:quantity_too_large"]);
    // L2 is untouched by L1's troubles.
    assert!(plan.organisations.iter().any(|o| o.key == "L2"));
}

#[test]
fn duplicate_legacy_ids_and_enterprise_numbers_refuse_both_rows() {
    let organisations =
        format!("{ORGS}L1;Encore;asbl;BE;0203.201.340;Rue 3;1000;Bruxelles;c@example.org;social_cohesion;eligible;;\n");
    let files = MigrationFiles {
        organisations,
        people: PEOPLE.into(),
        ..MigrationFiles::default()
    };
    let (plan, _) = run(&files);
    assert!(plan.organisations.is_empty(), "{:?}", plan.organisations);
    assert_eq!(errors_of(&plan, "organisations", 2), ["legacy_id:duplicate"]);
    assert_eq!(
        errors_of(&plan, "organisations", 4),
        ["legacy_id:duplicate", "enterprise_number:duplicate"]
    );
    assert_eq!(errors_of(&plan, "organisations", 3), ["enterprise_number:duplicate"]);
}

#[test]
fn an_organisation_needs_exactly_one_holder() {
    let files = MigrationFiles {
        organisations: ORGS.into(),
        people: "organisation_legacy_id;full_name;email;role\nL1;Anne;anne@example.org;member\nL2;Bob;bob@example.org;account_holder\nL2;Eve;eve@example.org;account_holder\n".into(),
        ..MigrationFiles::default()
    };
    let (plan, _) = run(&files);
    assert!(plan.organisations.is_empty());
    assert_eq!(errors_of(&plan, "organisations", 2), ["legacy_id:one_holder_required"]);
    assert_eq!(errors_of(&plan, "organisations", 3), ["legacy_id:one_holder_required"]);
}

#[test]
fn files_as_spreadsheets_save_them_are_read() {
    // Windows-1252 with a comma delimiter; UTF-16 with its mark; UTF-8 with a BOM.
    let latin: Vec<u8> = b"counter,value\norganisations,15600\n"
        .iter()
        .copied()
        .chain(b"".iter().copied())
        .collect();
    assert_eq!(decode(&latin), "counter,value\norganisations,15600\n");
    assert_eq!(decode(&[b'R', 0xE9, b'a']), "Réa");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("a;b".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(decode(&utf16), "a;b");
    assert_eq!(decode("\u{feff}x".as_bytes()), "x");
    let rows = read_table("counters", "\u{feff}counter\tvalue\nsaved_cents\t100\n", WEB_LIMITS).unwrap();
    assert_eq!(rows[0].get("value"), "100");
    assert_eq!(rows[0].line, 2);
}

#[test]
fn files_refused_whole_say_why() {
    assert_eq!(
        read_table("people", "name;email\nA;a@b.c\n", WEB_LIMITS)
            .unwrap_err()
            .code,
        "csv_missing_columns:organisation_legacy_id, full_name, role"
    );
    let many = format!("counter;value\n{}", "organisations;1\n".repeat(3));
    assert_eq!(
        read_table("counters", &many, Limits { max_rows: 2 }).unwrap_err().code,
        "csv_too_many_rows:2"
    );
    let (_, errors) = read_files(&MigrationFiles::default(), WEB_LIMITS);
    assert_eq!(errors[0].code, "csv_empty");
}

#[test]
fn counters_take_known_names_once() {
    let files = MigrationFiles {
        counters: "counter;value\norganisations;15600\nsaved_cents;-1\nproducts_distributed;595000\norganisations;1\nvisitors;3\n".into(),
        ..MigrationFiles::default()
    };
    let (plan, errors) = run(&files);
    assert!(errors.is_empty());
    assert_eq!(plan.counters.len(), 2);
    assert_eq!(errors_of(&plan, "counters", 3), ["value:amount_invalid"]);
    assert_eq!(errors_of(&plan, "counters", 5), ["counter:duplicate"]);
    assert_eq!(errors_of(&plan, "counters", 6), ["counter:choose_one"]);
}

#[test]
fn digests_change_with_the_record() {
    let (plan, _) = run(&files(
        "legacy_reference;organisation_legacy_id;status;submitted_on;validated_on\nA-1;L1;fulfilled;2026-03-01;2026-03-02\n",
        "legacy_reference;product;quantity\nA-1;office;10\n",
    ));
    let order = &plan.organisations[0].orders[0];
    let mut changed = order.clone();
    changed.lines[0].quantity = 11;
    assert_ne!(order.digest_text("L1"), changed.digest_text("L1"));
    let mut org = plan.organisations[0].clone();
    let before = org.digest_text();
    org.people[0].full_name = "Anne B.".into();
    assert_ne!(before, org.digest_text());
}
