//! The engine's table tests at every boundary, and its properties over random carts.

use super::microsoft::is_microsoft_donation;
use super::*;
use crate::calendar::us_fiscal_year;
use crate::catalog::model::{LicenceType, ProductKind};
use std::collections::{BTreeMap, BTreeSet};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn product(partner: &str, id: &str) -> LineProduct {
    LineProduct {
        product_id: id.into(),
        partner_id: partner.into(),
        kind: ProductKind::SoftwareLicence,
        offer: Offer::Standard,
        family: None,
        licence: None,
        fee_cents: 1_000,
    }
}

fn ms(family: &str, licence: LicenceType) -> LineProduct {
    LineProduct {
        family: Some(family.into()),
        licence: Some(licence),
        ..product("microsoft", family)
    }
}

fn line(product: LineProduct, quantity: u32) -> CartLine {
    CartLine {
        product,
        quantity,
        aws_account: None,
        named_user: None,
    }
}

fn past(order: &str, product: LineProduct, quantity: u32, date: &str) -> PastLine {
    PastLine {
        order_id: order.into(),
        product,
        quantity,
        date: day(date),
        validated: true,
        named_user: None,
    }
}

fn everyone() -> Standing {
    Standing {
        qualified: [
            "microsoft",
            "adobe",
            "autodesk",
            "cisco",
            "zoom",
            "aws",
            "hardware",
            "google",
        ]
        .map(String::from)
        .to_vec(),
        ..Default::default()
    }
}

fn verdict(history: &[PastLine], cart: &[CartLine], today: &str) -> Vec<LineVerdict> {
    check(&everyone(), &RuleSet::default(), history, cart, day(today)).lines
}

fn rule_of(v: &LineVerdict) -> Option<Rule> {
    match v {
        LineVerdict::Accepted => None,
        LineVerdict::Refused { rule, .. } => Some(*rule),
    }
}

#[test]
fn the_us_fiscal_year_turns_on_the_first_of_july() {
    let four = [past("a1", product("adobe", "ps"), 4, "2026-06-30")];
    let cart = [line(product("adobe", "ai"), 1)];
    match &verdict(&four, &cart, "2026-06-30")[0] {
        LineVerdict::Refused {
            rule,
            used,
            limit,
            allowed_from,
            ..
        } => {
            assert_eq!((*rule, *used, *limit), (Rule::AdobePerYear, 4, 4));
            assert_eq!(*allowed_from, Some(day("2026-07-01")));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(verdict(&four, &cart, "2026-07-01")[0], LineVerdict::Accepted);
    assert_eq!(
        us_fiscal_year(day("2026-06-30")),
        (day("2025-07-01"), day("2026-07-01"))
    );
    assert_eq!(
        us_fiscal_year(day("2026-07-01")),
        (day("2026-07-01"), day("2027-07-01"))
    );
}

#[test]
fn a_microsoft_cycle_ends_after_two_years_to_the_day() {
    let history = [past("m1", ms("Office", LicenceType::Desktop), 50, "2016-03-01")];
    let cart = [line(ms("Office", LicenceType::Desktop), 1)];
    let last_day = verdict(&history, &cart, "2018-02-28");
    assert_eq!(rule_of(&last_day[0]), Some(Rule::MicrosoftPerFamily));
    assert!(matches!(last_day[0], LineVerdict::Refused { allowed_from: Some(d), .. } if d == day("2018-03-01")));
    assert_eq!(verdict(&history, &cart, "2018-03-01")[0], LineVerdict::Accepted);
    // The next cycle starts with the next validated order, not on the anniversary.
    let renewed = [
        history[0].clone(),
        past("m2", ms("Office", LicenceType::Desktop), 50, "2018-06-15"),
    ];
    assert_eq!(
        microsoft_cycle(&renewed, &RuleSet::default(), day("2019-01-01")),
        Some((day("2018-06-15"), day("2020-06-15")))
    );
    assert_eq!(
        rule_of(&verdict(&renewed, &cart, "2020-06-14")[0]),
        Some(Rule::MicrosoftPerFamily)
    );
    assert_eq!(verdict(&renewed, &cart, "2020-06-15")[0], LineVerdict::Accepted);
}

#[test]
fn fifty_licences_per_family_but_not_fifty_one() {
    let history = [past("m1", ms("Office", LicenceType::Desktop), 30, "2026-01-10")];
    assert_eq!(
        verdict(&history, &[line(ms("Office", LicenceType::Desktop), 20)], "2026-11-27")[0],
        LineVerdict::Accepted
    );
    let refused = verdict(&history, &[line(ms("Office", LicenceType::Desktop), 21)], "2026-11-27");
    assert!(matches!(
        refused[0],
        LineVerdict::Refused {
            rule: Rule::MicrosoftPerFamily,
            used: 30,
            requested: 21,
            limit: 50,
            ..
        }
    ));
    // Core-based server licences of the same family count on their own.
    assert_eq!(
        verdict(
            &history,
            &[line(ms("Office", LicenceType::CoreServer), 50)],
            "2026-11-27"
        )[0],
        LineVerdict::Accepted
    );
}

#[test]
fn ten_families_but_not_eleven() {
    let history: Vec<PastLine> = (1..=9)
        .map(|n| past("m1", ms(&format!("F{n}"), LicenceType::Desktop), 1, "2026-01-10"))
        .collect();
    let tenth = [line(ms("F10", LicenceType::Desktop), 1)];
    assert_eq!(verdict(&history, &tenth, "2026-11-27"), vec![LineVerdict::Accepted]);
    let eleventh = [
        line(ms("F10", LicenceType::Desktop), 1),
        line(ms("F11", LicenceType::Desktop), 1),
    ];
    let v = verdict(&history, &eleventh, "2026-11-27");
    assert!(v.iter().all(|l| rule_of(l) == Some(Rule::MicrosoftFamilies)), "{v:?}");
    // A family already used this cycle is never refused for the family count.
    let known = [
        line(ms("F1", LicenceType::Desktop), 1),
        line(ms("F10", LicenceType::Desktop), 1),
        line(ms("F11", LicenceType::Desktop), 1),
    ];
    assert_eq!(verdict(&history, &known, "2026-11-27")[0], LineVerdict::Accepted);
}

#[test]
fn five_non_core_server_licences_but_not_six() {
    let history = [past(
        "m1",
        ms("Exchange Server", LicenceType::NonCoreServer),
        3,
        "2026-01-10",
    )];
    let two = [line(ms("SharePoint Server", LicenceType::NonCoreServer), 2)];
    assert_eq!(verdict(&history, &two, "2026-11-27")[0], LineVerdict::Accepted);
    let three = [line(ms("SharePoint Server", LicenceType::NonCoreServer), 3)];
    assert_eq!(
        rule_of(&verdict(&history, &three, "2026-11-27")[0]),
        Some(Rule::MicrosoftNonCore)
    );
}

#[test]
fn one_cisco_order_per_fiscal_year_under_a_fee_cap() {
    let history = [past("c1", product("cisco", "switch"), 1, "2026-08-01")];
    let cart = [line(product("cisco", "router"), 1)];
    assert_eq!(
        rule_of(&verdict(&history, &cart, "2027-06-30")[0]),
        Some(Rule::CiscoOrdersPerYear)
    );
    assert_eq!(verdict(&history, &cart, "2027-07-01")[0], LineVerdict::Accepted);

    let cap = RuleSet::default().cisco_fee_cap_cents;
    let priced = |cents| {
        line(
            LineProduct {
                fee_cents: cents,
                ..product("cisco", "router")
            },
            1,
        )
    };
    assert_eq!(verdict(&[], &[priced(cap)], "2026-11-27")[0], LineVerdict::Accepted);
    assert_eq!(
        rule_of(&verdict(&[], &[priced(cap + 1)], "2026-11-27")[0]),
        Some(Rule::CiscoFeeCap)
    );
}

#[test]
fn a_discount_certificate_is_good_up_to_the_day_before_its_anniversary() {
    let discount = LineProduct {
        offer: Offer::MicrosoftDiscount,
        ..ms("Office", LicenceType::Desktop)
    };
    let with_certificate = |issued: &str| Standing {
        discount_certificate_issued: Some(day(issued)),
        ..everyone()
    };
    let rules = RuleSet::default();
    // domain.md: issued 2025-12-04, last valid day 2026-12-03.
    let issued = with_certificate("2025-12-04");
    let on = |today: &str| check(&issued, &rules, &[], &[line(discount.clone(), 5)], day(today));
    assert_eq!(on("2025-12-04").lines[0], LineVerdict::Accepted);
    assert_eq!(on("2026-12-03").lines[0], LineVerdict::Accepted);
    assert_eq!(
        rule_of(&on("2026-12-04").lines[0]),
        Some(Rule::MicrosoftDiscountCertificate)
    );
    assert_eq!(
        rule_of(&on("2025-12-03").lines[0]),
        Some(Rule::MicrosoftDiscountCertificate),
        "not yet issued"
    );
    let today = day("2026-11-27");
    let four = check(
        &with_certificate("2026-01-01"),
        &rules,
        &[],
        &[line(discount, 4)],
        today,
    );
    assert_eq!(rule_of(&four.lines[0]), Some(Rule::MicrosoftDiscountMinimum));
}

#[test]
fn a_rule_version_applies_from_its_effective_date() {
    let version = |partner: &str, from: &str, params: serde_json::Value| RuleVersion {
        partner_id: partner.into(),
        effective_from: day(from),
        params: params.as_object().cloned().unwrap(),
    };
    let versions = [
        version("adobe", "2020-01-01", serde_json::json!({ "adobe_max_per_year": 4 })),
        version("adobe", "2026-11-28", serde_json::json!({ "adobe_max_per_year": 2 })),
        version(
            "cisco",
            "2026-01-01",
            serde_json::json!({ "cisco_fee_cap_cents": 150_000 }),
        ),
        // Another partner's key is ignored, whole version and all.
        version("zoom", "2026-01-01", serde_json::json!({ "adobe_max_per_year": 0 })),
    ];
    let today = rules_in_force(&versions, day("2026-11-27"));
    assert_eq!(today.adobe_max_per_year, 4, "tomorrow's version is not in force today");
    assert_eq!(today.cisco_fee_cap_cents, 150_000);
    assert_eq!(today.zoom_max_licences, 99);
    assert_eq!(rules_in_force(&versions, day("2026-11-28")).adobe_max_per_year, 2);
    assert_eq!(rules_in_force(&[], day("2026-11-27")), RuleSet::default());
    // The stricter version refuses tomorrow what it accepts today.
    let three = [past("a1", product("adobe", "ps"), 3, "2026-09-01")];
    let cart = [line(product("adobe", "ai"), 1)];
    let judge = |date: &str| {
        check(
            &everyone(),
            &rules_in_force(&versions, day(date)),
            &three,
            &cart,
            day(date),
        )
    };
    assert_eq!(judge("2026-11-27").lines[0], LineVerdict::Accepted);
    assert_eq!(rule_of(&judge("2026-11-28").lines[0]), Some(Rule::AdobePerYear));
    assert!(
        check_params(
            "adobe",
            &serde_json::json!({ "adobe_max_per_year": -1 })
                .as_object()
                .cloned()
                .unwrap()
        )
        .is_err()
    );
    assert!(
        check_params(
            "adobe",
            &serde_json::json!({ "cisco_fee_cap_cents": 1 })
                .as_object()
                .cloned()
                .unwrap()
        )
        .is_err()
    );
}

#[test]
fn the_line_alone_rules() {
    let cases: Vec<(CartLine, Option<Rule>)> = vec![
        (
            line(
                LineProduct {
                    kind: ProductKind::ValidationOnly,
                    ..product("google", "g")
                },
                1,
            ),
            Some(Rule::ValidationOnly),
        ),
        (
            line(
                LineProduct {
                    offer: Offer::ZoomPro,
                    ..product("zoom", "pro")
                },
                9,
            ),
            None,
        ),
        (
            line(
                LineProduct {
                    offer: Offer::ZoomPro,
                    ..product("zoom", "pro")
                },
                10,
            ),
            Some(Rule::ZoomLicences),
        ),
        (
            line(
                LineProduct {
                    offer: Offer::ZoomBusiness,
                    ..product("zoom", "biz")
                },
                99,
            ),
            None,
        ),
        (
            line(
                LineProduct {
                    offer: Offer::ZoomBusiness,
                    ..product("zoom", "biz")
                },
                100,
            ),
            Some(Rule::ZoomLicences),
        ),
        (line(product("aws", "credit"), 1), Some(Rule::AwsAccount)),
        (
            CartLine {
                aws_account: Some(("123456789012".into(), "asbl".into())),
                ..line(product("aws", "credit"), 1)
            },
            None,
        ),
        (
            CartLine {
                aws_account: Some((" 123456789012 ".into(), "asbl".into())),
                ..line(product("aws", "credit"), 1)
            },
            None,
        ),
        (
            CartLine {
                aws_account: Some(("123456789012".into(), "  ".into())),
                ..line(product("aws", "credit"), 1)
            },
            Some(Rule::AwsAccount),
        ),
        (
            line(
                LineProduct {
                    kind: ProductKind::Hardware,
                    ..product("hardware", "laptop")
                },
                500,
            ),
            None,
        ),
        (line(product("hardware", "laptop"), 0), Some(Rule::QuantityZero)),
    ];
    for (cart_line, expected) in cases {
        let got = verdict(&[], std::slice::from_ref(&cart_line), "2026-11-27");
        assert_eq!(rule_of(&got[0]), expected, "{cart_line:?}");
    }
    // domain.md: the AWS account id is exactly 12 digits.
    for id in [
        "hello",
        "12345678901",
        "1234567890123",
        "12345678901a",
        "1234 5678 901",
        "١٢٣٤٥٦٧٨٩٠١٢",
    ] {
        let cart_line = CartLine {
            aws_account: Some((id.into(), "asbl".into())),
            ..line(product("aws", "credit"), 1)
        };
        let got = verdict(&[], std::slice::from_ref(&cart_line), "2026-11-27");
        assert_eq!(rule_of(&got[0]), Some(Rule::AwsAccount), "{id:?}");
    }
    let only_microsoft = Standing {
        qualified: vec!["microsoft".into()],
        ..Default::default()
    };
    let v = check(
        &only_microsoft,
        &RuleSet::default(),
        &[],
        &[line(product("cisco", "x"), 1)],
        day("2026-11-27"),
    );
    assert_eq!(rule_of(&v.lines[0]), Some(Rule::NotQualified));
}

#[test]
fn autodesk_needs_a_waiver_within_three_years_of_a_direct_purchase() {
    let bought = |date: &str, waiver| Standing {
        autodesk_direct_purchase: Some(day(date)),
        autodesk_waiver: waiver,
        ..everyone()
    };
    let cart = [line(product("autodesk", "autocad"), 1)];
    let rules = RuleSet::default();
    let today = day("2026-11-27");
    assert_eq!(
        rule_of(&check(&bought("2023-11-28", false), &rules, &[], &cart, today).lines[0]),
        Some(Rule::AutodeskWaiver)
    );
    assert_eq!(
        check(&bought("2023-11-27", false), &rules, &[], &cart, today).lines[0],
        LineVerdict::Accepted
    );
    assert_eq!(
        check(&bought("2025-01-01", true), &rules, &[], &cart, today).lines[0],
        LineVerdict::Accepted
    );
    let two = [past("a1", product("autodesk", "revit"), 2, "2026-09-01")];
    assert_eq!(
        rule_of(&check(&everyone(), &rules, &two, &cart, today).lines[0]),
        Some(Rule::AutodeskPerYear)
    );
}

/// Deterministic pseudo-random numbers (xorshift64), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A Creative Cloud user among three, or none (ignored on other products' lines).
fn random_person(rng: &mut Rng) -> Option<String> {
    match rng.below(4) {
        0 => None,
        1 => Some("ana@asbl.be".into()),
        2 => Some(" Ana@ASBL.be ".into()),
        n => Some(format!("user{n}@asbl.be")),
    }
}

fn random_product(rng: &mut Rng) -> LineProduct {
    match rng.below(12) {
        9 => zoom(Offer::ZoomBusiness),
        10 => aws(Offer::Standard),
        11 => aws(Offer::AwsRenewal),
        7 => LineProduct {
            offer: Offer::AdobeCreativeCloud,
            ..product("adobe", "cc")
        },
        0 => ms(&format!("F{}", rng.below(14)), LicenceType::Desktop),
        1 => ms(&format!("F{}", rng.below(14)), LicenceType::CoreServer),
        2 => ms(&format!("S{}", rng.below(4)), LicenceType::NonCoreServer),
        3 => product("adobe", &format!("a{}", rng.below(6))),
        4 => product("autodesk", &format!("d{}", rng.below(4))),
        5 => LineProduct {
            fee_cents: 40_000 + i64::try_from(rng.below(100_000)).unwrap(),
            ..product("cisco", "c")
        },
        6 => zoom(Offer::ZoomPro),
        _ => LineProduct {
            kind: ProductKind::Hardware,
            ..product("hardware", "h")
        },
    }
}

fn random_case(rng: &mut Rng) -> (Vec<PastLine>, Vec<CartLine>) {
    let history = (0..rng.below(12))
        .map(|n| {
            let date = day("2025-07-01") + chrono::Days::new(rng.below(500));
            PastLine {
                order_id: format!("o{n}"),
                product: random_product(rng),
                quantity: 1 + u32::try_from(rng.below(30)).unwrap(),
                date,
                validated: rng.below(4) > 0,
                named_user: random_person(rng),
            }
        })
        .collect();
    let cart = (0..1 + rng.below(8))
        .map(|_| {
            let quantity = if rng.below(2) == 0 {
                1
            } else {
                1 + u32::try_from(rng.below(25)).unwrap()
            };
            random_line(rng, quantity)
        })
        .collect();
    (history, cart)
}

/// A cart line of a random product, with a Creative Cloud user and an AWS account (mostly
/// well formed) that lines of other products ignore.
fn random_line(rng: &mut Rng, quantity: u32) -> CartLine {
    let account = match rng.below(6) {
        0 => "hello",
        1 => "12345678901",
        _ => "123456789012",
    };
    CartLine {
        named_user: random_person(rng),
        aws_account: Some((account.into(), "asbl".into())),
        ..line(random_product(rng), quantity)
    }
}

const TODAY: &str = "2026-11-27";

#[test]
fn software_refurbished_hardware_and_cisco_become_three_orders() {
    let laptop = LineProduct {
        kind: ProductKind::Hardware,
        ..product("hardware", "laptop")
    };
    let switch = LineProduct {
        kind: ProductKind::Hardware,
        ..product("cisco", "switch")
    };
    let cart = [
        line(laptop, 2),
        line(ms("Office", LicenceType::Desktop), 5),
        line(switch, 1),
        line(product("adobe", "ps"), 1),
    ];
    assert_eq!(
        split_orders(&cart),
        vec![
            (OrderCategory::Software, vec![1, 3]),
            (OrderCategory::Hardware, vec![0]),
            (OrderCategory::Hardware, vec![2])
        ]
    );
    assert_eq!(
        split_orders(&[cart[0].clone(), cart[1].clone()]),
        vec![(OrderCategory::Software, vec![1]), (OrderCategory::Hardware, vec![0])]
    );
    assert_eq!(split_orders(&cart[1..2]), vec![(OrderCategory::Software, vec![0])]);
    assert!(split_orders(&[]).is_empty());
}

#[test]
fn creative_cloud_is_one_subscription_per_new_named_person_outside_the_four() {
    let cc = LineProduct {
        offer: Offer::AdobeCreativeCloud,
        ..product("adobe", "cc")
    };
    let for_person = |name: Option<&str>, quantity: u32| CartLine {
        named_user: name.map(String::from),
        ..line(cc.clone(), quantity)
    };
    let four_titles = [past("a1", product("adobe", "ps"), 4, "2026-08-01")];
    assert_eq!(
        verdict(&four_titles, &[for_person(Some("ana@asbl.be"), 1)], TODAY),
        vec![LineVerdict::Accepted],
        "not counted in the 4 titles"
    );
    assert_eq!(
        rule_of(&verdict(&[], &[for_person(None, 1)], TODAY)[0]),
        Some(Rule::CreativeCloudNamedUser)
    );
    assert_eq!(
        rule_of(&verdict(&[], &[for_person(Some("  "), 1)], TODAY)[0]),
        Some(Rule::CreativeCloudNamedUser)
    );
    assert_eq!(
        rule_of(&verdict(&[], &[for_person(Some("ana@asbl.be"), 2)], TODAY)[0]),
        Some(Rule::CreativeCloudOnePerUser),
        "two subscriptions for one person"
    );
    let twice = verdict(
        &[],
        &[for_person(Some("ana@asbl.be"), 1), for_person(Some(" ANA@asbl.be"), 1)],
        TODAY,
    );
    assert!(twice.iter().all(|v| rule_of(v) == Some(Rule::CreativeCloudOnePerUser)));
    let mut earlier = past("c1", cc.clone(), 1, "2019-01-10");
    earlier.named_user = Some("ana@asbl.be".into());
    assert_eq!(
        rule_of(&verdict(&[earlier.clone()], &[for_person(Some("ana@asbl.be"), 1)], TODAY)[0]),
        Some(Rule::CreativeCloudOnePerUser),
        "not a new user, however long ago"
    );
    assert_eq!(
        verdict(&[earlier], &[for_person(Some("ben@asbl.be"), 1)], TODAY),
        vec![LineVerdict::Accepted]
    );
}

#[test]
fn property_the_trimmed_history_gives_the_same_verdict() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let today = day(TODAY);
    let rules = RuleSet::default();
    let mut dropped = 0;
    for _ in 0..2_000 {
        let (_, cart) = random_case(&mut rng);
        // Six years of history, so that Microsoft cycles chain and several fiscal years pass.
        let history: Vec<PastLine> = (0..rng.below(40))
            .map(|n| PastLine {
                order_id: format!("o{}", n / 3),
                product: random_product(&mut rng),
                quantity: 1 + u32::try_from(rng.below(20)).unwrap(),
                date: day("2020-12-01") + chrono::Days::new(rng.below(2_200)),
                validated: rng.below(5) > 0,
                named_user: random_person(&mut rng),
            })
            .collect();
        let microsoft_validated = history
            .iter()
            .filter(|l| l.validated && is_microsoft_donation(&l.product))
            .map(|l| l.date);
        let window = HistoryWindow::on(microsoft_validated, &rules, today);
        let trimmed: Vec<PastLine> = history.iter().filter(|l| window.needs(l)).cloned().collect();
        assert_eq!(
            check(&everyone(), &rules, &history, &cart, today),
            check(&everyone(), &rules, &trimmed, &cart, today),
            "{window:?}: {history:?} / {cart:?}"
        );
        dropped += history.len() - trimmed.len();
    }
    assert!(
        dropped > 10_000,
        "the cases must trim something: {dropped} lines dropped"
    );
}

#[test]
fn property_the_accepted_lines_alone_stay_within_every_limit() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2_000 {
        let (history, cart) = random_case(&mut rng);
        let first = verdict(&history, &cart, TODAY);
        let accepted: Vec<CartLine> = cart
            .iter()
            .zip(&first)
            .filter(|(_, v)| v.is_accepted())
            .map(|(l, _)| l.clone())
            .collect();
        let again = check(&everyone(), &RuleSet::default(), &history, &accepted, day(TODAY));
        assert!(
            again.lines.iter().all(LineVerdict::is_accepted),
            "{accepted:?} → {:?}",
            again.lines
        );
        within_limits_by_hand(&history, &accepted);
    }
}

/// An independent recount of every limit over history + the accepted lines (an oracle
/// that shares no code with the engine but the cycle and fiscal-year dates).
fn within_limits_by_hand(history: &[PastLine], accepted: &[CartLine]) {
    let found = violations(history, accepted, day(TODAY));
    assert!(found.is_empty(), "{found:?}: {history:?} / {accepted:?}");
}

/// What the oracle finds wrong with accepting `accepted` after `history` on `today`.
fn violations(history: &[PastLine], accepted: &[CartLine], today: NaiveDate) -> Vec<String> {
    let rules = RuleSet::default();
    let mut found = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            found.push(what);
        }
    };
    let (fy_start, fy_end) = us_fiscal_year(today);
    let cycle = microsoft_cycle(history, &rules, today);
    let counts_for_microsoft = |l: &PastLine| match cycle {
        Some((start, end)) => l.date >= start && l.date < end,
        None => !l.validated,
    };
    let mut per_family: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut old_families: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut non_core = 0;
    let items: Vec<(&LineProduct, u32, bool)> = history
        .iter()
        .filter(|l| l.product.partner_id == "microsoft" && counts_for_microsoft(l))
        .map(|l| (&l.product, l.quantity, true))
        .chain(
            accepted
                .iter()
                .filter(|l| l.product.partner_id == "microsoft")
                .map(|l| (&l.product, l.quantity, false)),
        )
        .collect();
    type Snapshot = (BTreeMap<(String, String), i64>, i64);
    let mut snapshot: Option<Snapshot> = None;
    for (p, q, past) in items {
        if !past && snapshot.is_none() {
            snapshot = Some((per_family.clone(), non_core));
        }
        let licence = format!("{:?}", p.licence);
        if p.licence == Some(LicenceType::NonCoreServer) {
            non_core += i64::from(q);
        } else {
            *per_family
                .entry((licence.clone(), p.family.clone().unwrap_or_default()))
                .or_default() += i64::from(q);
            if past {
                old_families
                    .entry(licence)
                    .or_default()
                    .insert(p.family.clone().unwrap_or_default());
            }
        }
    }
    let (past_per_family, past_non_core) = snapshot.unwrap_or_else(|| (per_family.clone(), non_core));
    for (key, total) in &per_family {
        if past_per_family.get(key) != Some(total) {
            check(*total <= 50, format!("{key:?}: {total} licences"));
        }
    }
    if non_core != past_non_core {
        check(non_core <= 5, format!("{non_core} non-core licences"));
    }
    for licence in ["Some(Desktop)", "Some(CoreServer)"] {
        let old = old_families.get(licence).cloned().unwrap_or_default();
        let new: BTreeSet<String> = accepted
            .iter()
            .filter(|l| l.product.partner_id == "microsoft" && format!("{:?}", l.product.licence) == licence)
            .filter_map(|l| l.product.family.clone())
            .filter(|f| !old.contains(f))
            .collect();
        check(
            new.is_empty() || old.len() + new.len() <= 10,
            format!("{licence}: {} + {} families", old.len(), new.len()),
        );
    }
    // The Creative Cloud discount is a separate offer, outside the 4 Adobe products.
    let titles = |p: &LineProduct, partner: &str| p.partner_id == partner && p.offer == Offer::Standard;
    for (partner, limit) in [("adobe", 4), ("autodesk", 2)] {
        let in_cart: i64 = accepted
            .iter()
            .filter(|l| titles(&l.product, partner))
            .map(|l| i64::from(l.quantity))
            .sum();
        let used: i64 = history
            .iter()
            .filter(|l| titles(&l.product, partner) && l.date >= fy_start && l.date < fy_end)
            .map(|l| i64::from(l.quantity))
            .sum();
        check(
            in_cart == 0 || used + in_cart <= limit,
            format!("{partner}: {used} + {in_cart}"),
        );
    }
    // Creative Cloud: one unit per named person, never a person who had one before.
    let mut people: BTreeSet<String> = history
        .iter()
        .filter(|l| l.product.offer == Offer::AdobeCreativeCloud)
        .filter_map(|l| l.named_user.as_ref().map(|n| n.trim().to_lowercase()))
        .collect();
    for l in accepted.iter().filter(|l| l.product.offer == Offer::AdobeCreativeCloud) {
        let name = l
            .named_user
            .as_ref()
            .map(|n| n.trim().to_lowercase())
            .unwrap_or_default();
        check(!name.is_empty() && l.quantity == 1, format!("{l:?}"));
        let again = !people.insert(name);
        check(!again, format!("a second subscription for {:?}", l.named_user));
    }
    let cisco: Vec<&CartLine> = accepted.iter().filter(|l| l.product.partner_id == "cisco").collect();
    if !cisco.is_empty() {
        let fee: i64 = cisco.iter().map(|l| l.product.fee_cents * i64::from(l.quantity)).sum();
        check(fee <= rules.cisco_fee_cap_cents, format!("cisco fee {fee}"));
        check(
            !history
                .iter()
                .any(|l| l.product.partner_id == "cisco" && l.date >= fy_start && l.date < fy_end),
            "a second Cisco order in the fiscal year".into(),
        );
    }
    // Zoom and AWS: a rolling 12 months, counted by hand from the anniversary of each line.
    let in_last_year =
        |l: &PastLine| l.date <= today && today < l.date.checked_add_months(chrono::Months::new(12)).unwrap();
    let count = |partner: &str, pro_only: bool| -> (i64, i64) {
        let wanted = |p: &LineProduct| p.partner_id == partner && (!pro_only || p.offer == Offer::ZoomPro);
        let used = history
            .iter()
            .filter(|l| wanted(&l.product) && in_last_year(l))
            .map(|l| i64::from(l.quantity))
            .sum();
        let in_cart = accepted
            .iter()
            .filter(|l| wanted(&l.product))
            .map(|l| i64::from(l.quantity))
            .sum();
        (used, in_cart)
    };
    for (partner, pro_only, limit) in [("zoom", true, 9), ("zoom", false, 99), ("aws", false, 1)] {
        let (used, in_cart) = count(partner, pro_only);
        check(
            in_cart == 0 || used + in_cart <= limit,
            format!("{partner} (pro only: {pro_only}): {used} + {in_cart} of {limit}"),
        );
    }
    for l in accepted.iter().filter(|l| l.product.partner_id == "aws") {
        let id = l.aws_account.as_ref().map(|(id, _)| id.trim()).unwrap_or_default();
        check(
            id.len() == 12 && id.chars().all(|c| c.is_ascii_digit()),
            format!("AWS account {id:?}"),
        );
        check(
            l.product.offer != Offer::AwsRenewal
                || history.iter().any(|p| p.product.partner_id == "aws" && p.date <= today),
            "an AWS renewal without a grant".into(),
        );
    }
    found
}

#[test]
fn property_adding_a_line_never_accepts_a_refused_one() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..2_000 {
        let (history, cart) = random_case(&mut rng);
        let before = verdict(&history, &cart, TODAY);
        let mut bigger = cart.clone();
        let quantity = 1 + u32::try_from(rng.below(25)).unwrap();
        bigger.push(random_line(&mut rng, quantity));
        let after = verdict(&history, &bigger, TODAY);
        for (b, a) in before.iter().zip(&after) {
            assert!(
                b.is_accepted() || !a.is_accepted(),
                "{b:?} became {a:?} after adding {:?}",
                bigger.last()
            );
        }
    }
}

#[test]
fn property_verdicts_do_not_depend_on_the_order_of_the_lines() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..2_000 {
        let (history, cart) = random_case(&mut rng);
        let mut order: Vec<usize> = (0..cart.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, usize::try_from(rng.below(u64::try_from(i + 1).unwrap())).unwrap());
        }
        let shuffled: Vec<CartLine> = order.iter().map(|&i| cart[i].clone()).collect();
        let straight = verdict(&history, &cart, TODAY);
        let mixed = verdict(&history, &shuffled, TODAY);
        for (position, &i) in order.iter().enumerate() {
            assert_eq!(mixed[position], straight[i]);
        }
    }
}

fn zoom(offer: Offer) -> LineProduct {
    LineProduct {
        offer,
        kind: ProductKind::Subscription,
        ..product("zoom", if offer == Offer::ZoomPro { "pro" } else { "biz" })
    }
}

fn aws(offer: Offer) -> LineProduct {
    LineProduct {
        offer,
        kind: ProductKind::CloudCredit,
        ..product("aws", if offer == Offer::AwsRenewal { "renewal" } else { "grant" })
    }
}

fn aws_line(offer: Offer, quantity: u32) -> CartLine {
    CartLine {
        aws_account: Some(("123456789012".into(), "asbl".into())),
        ..line(aws(offer), quantity)
    }
}

#[test]
fn zoom_caps_count_the_whole_cart_and_the_last_twelve_months() {
    let pro = zoom(Offer::ZoomPro);
    let business = zoom(Offer::ZoomBusiness);
    // Two lines of 9 Pro: 18 in one cart, both refused (issue 22).
    let two = verdict(&[], &[line(pro.clone(), 9), line(pro.clone(), 9)], TODAY);
    assert!(two.iter().all(|v| rule_of(v) == Some(Rule::ZoomLicences)), "{two:?}");
    // 99 + 99 Business: refused; 50 + 49: accepted.
    let big = verdict(&[], &[line(business.clone(), 99), line(business.clone(), 99)], TODAY);
    assert!(big.iter().all(|v| rule_of(v) == Some(Rule::ZoomLicences)));
    assert!(
        verdict(&[], &[line(business.clone(), 50), line(business.clone(), 49)], TODAY)
            .iter()
            .all(LineVerdict::is_accepted)
    );
    // Pro counts toward the 99 too: 9 Pro + 90 Business fit, 9 + 91 do not.
    assert!(
        verdict(&[], &[line(pro.clone(), 9), line(business.clone(), 90)], TODAY)
            .iter()
            .all(LineVerdict::is_accepted)
    );
    assert!(
        verdict(&[], &[line(pro.clone(), 9), line(business.clone(), 91)], TODAY)
            .iter()
            .all(|v| rule_of(v) == Some(Rule::ZoomLicences))
    );
    // The last 12 months: 5 Pro ordered on 2026-01-10 leave 4 until 2027-01-09; on 2027-01-10
    // they have dropped out.
    let earlier = [past("z1", pro.clone(), 5, "2026-01-10")];
    assert!(verdict(&earlier, &[line(pro.clone(), 4)], TODAY)[0].is_accepted());
    let five_more = verdict(&earlier, &[line(pro.clone(), 5)], "2027-01-09");
    assert_eq!(
        five_more[0],
        LineVerdict::Refused {
            rule: Rule::ZoomLicences,
            used: 5,
            requested: 5,
            limit: 9,
            allowed_from: Some(day("2027-01-10")),
        }
    );
    assert!(verdict(&earlier, &[line(pro.clone(), 9)], "2027-01-10")[0].is_accepted());
    // An order not validated yet counts as well (it reserves its licences).
    let pending = [PastLine {
        validated: false,
        ..past("z2", business.clone(), 95, "2026-11-20")
    }];
    assert_eq!(
        rule_of(&verdict(&pending, &[line(business.clone(), 5)], TODAY)[0]),
        Some(Rule::ZoomLicences)
    );
    // Ten Pro in a cart alone: waiting does not help.
    assert_eq!(
        verdict(&[], &[line(pro, 10)], TODAY)[0],
        LineVerdict::Refused {
            rule: Rule::ZoomLicences,
            used: 0,
            requested: 10,
            limit: 9,
            allowed_from: None,
        }
    );
}

#[test]
fn one_aws_grant_in_any_twelve_months_and_a_renewal_only_after_a_grant() {
    use Offer::{AwsRenewal, Standard};
    // Five grants and three renewals in one cart: every line refused.
    let cart = [aws_line(Standard, 5), aws_line(AwsRenewal, 3)];
    let first_time = verdict(&[], &cart, TODAY);
    assert_eq!(rule_of(&first_time[0]), Some(Rule::AwsGrantsPer12Months));
    assert_eq!(rule_of(&first_time[1]), Some(Rule::AwsRenewalWithoutGrant));
    // Two lines of one grant each: refused together.
    let two = verdict(&[], &[aws_line(Standard, 1), aws_line(Standard, 1)], TODAY);
    assert!(two.iter().all(|v| rule_of(v) == Some(Rule::AwsGrantsPer12Months)));
    assert!(verdict(&[], &[aws_line(Standard, 1)], TODAY)[0].is_accepted());
    assert_eq!(
        rule_of(&verdict(&[], &[aws_line(AwsRenewal, 1)], TODAY)[0]),
        Some(Rule::AwsRenewalWithoutGrant)
    );
    // A grant on 2026-03-15: nothing more until 2027-03-15, then a renewal.
    let granted = [past("a1", aws(Standard), 1, "2026-03-15")];
    assert_eq!(
        verdict(&granted, &[aws_line(AwsRenewal, 1)], "2027-03-14")[0],
        LineVerdict::Refused {
            rule: Rule::AwsGrantsPer12Months,
            used: 1,
            requested: 1,
            limit: 1,
            allowed_from: Some(day("2027-03-15")),
        }
    );
    assert!(verdict(&granted, &[aws_line(AwsRenewal, 1)], "2027-03-15")[0].is_accepted());
    // A new grant is refused in the same 12 months, in another fiscal year too.
    assert_eq!(
        rule_of(&verdict(&granted, &[aws_line(Standard, 1)], "2026-07-02")[0]),
        Some(Rule::AwsGrantsPer12Months)
    );
    // A grant from years ago still allows a renewal.
    let long_ago = [past("a0", aws(Standard), 1, "2019-05-01")];
    assert!(verdict(&long_ago, &[aws_line(AwsRenewal, 1)], TODAY)[0].is_accepted());
}

/// Splits line `i` of `cart` into two lines of the same product, `first` units and the rest.
fn split_line(cart: &[CartLine], i: usize, first: u32) -> Vec<CartLine> {
    let mut split = cart.to_vec();
    let rest = CartLine {
        quantity: cart[i].quantity - first,
        ..cart[i].clone()
    };
    split[i].quantity = first;
    split.push(rest);
    split
}

#[test]
fn property_splitting_a_line_over_more_lines_never_accepts_a_refused_total() {
    let mut rng = Rng(0x5851_F42D_4C95_7F2D);
    let mut refused_and_split = 0;
    for _ in 0..4_000 {
        let (history, cart) = random_case(&mut rng);
        let i = usize::try_from(rng.below(cart.len() as u64)).unwrap();
        if cart[i].quantity < 2 {
            continue;
        }
        let first = 1 + u32::try_from(rng.below(u64::from(cart[i].quantity - 1))).unwrap();
        let whole = verdict(&history, &cart, TODAY);
        let split = verdict(&history, &split_line(&cart, i, first), TODAY);
        let both_accepted = split[i].is_accepted() && split[cart.len()].is_accepted();
        if !whole[i].is_accepted() {
            refused_and_split += 1;
            assert!(!both_accepted, "{:?} split into {first} + the rest: {split:?}", cart[i]);
        }
        // Merging never the reverse: a total accepted in two lines is accepted in one, except
        // where a rule is about the line itself (the Microsoft discount's minimum per request,
        // one Creative Cloud subscription per line).
        let per_line_rule = matches!(
            cart[i].product.offer,
            Offer::MicrosoftDiscount | Offer::AdobeCreativeCloud
        );
        if both_accepted && !per_line_rule {
            assert!(whole[i].is_accepted(), "{:?}: accepted split, refused whole", cart[i]);
        }
    }
    assert!(
        refused_and_split > 300,
        "the cases must refuse lines: {refused_and_split}"
    );
}

#[test]
fn property_splitting_a_line_over_successive_orders_never_accepts_a_refused_total() {
    let mut rng = Rng(0x1405_7B7E_F767_814F);
    let mut refused_and_split = 0;
    for _ in 0..4_000 {
        let (_, cart) = random_case(&mut rng);
        // A history that stays whole for the next four weeks: nothing drops out of a rolling
        // year, a Microsoft cycle or the fiscal year between the two orders.
        let history: Vec<PastLine> = (0..rng.below(10))
            .map(|n| PastLine {
                order_id: format!("o{n}"),
                product: random_product(&mut rng),
                quantity: 1 + u32::try_from(rng.below(20)).unwrap(),
                date: day("2026-07-01") + chrono::Days::new(rng.below(149)),
                validated: rng.below(4) > 0,
                named_user: random_person(&mut rng),
            })
            .collect();
        let i = usize::try_from(rng.below(cart.len() as u64)).unwrap();
        if cart[i].quantity < 2 {
            continue;
        }
        let whole = verdict(&history, &cart, TODAY);
        if whole[i].is_accepted() {
            continue;
        }
        refused_and_split += 1;
        let first = 1 + u32::try_from(rng.below(u64::from(cart[i].quantity - 1))).unwrap();
        // The first order: the cart with `first` units of the line; its accepted lines become a
        // submitted order of today.
        let mut first_cart = cart.clone();
        first_cart[i].quantity = first;
        let first_verdict = verdict(&history, &first_cart, TODAY);
        let mut later_history = history.clone();
        later_history.extend(
            first_cart
                .iter()
                .zip(&first_verdict)
                .filter(|(_, v)| v.is_accepted())
                .map(|(l, _)| PastLine {
                    order_id: "first".into(),
                    product: l.product.clone(),
                    quantity: l.quantity,
                    date: day(TODAY),
                    validated: false,
                    named_user: l.named_user.clone(),
                }),
        );
        // The rest on a later day of the same windows.
        let later = (day(TODAY) + chrono::Days::new(1 + rng.below(27))).to_string();
        let rest = CartLine {
            quantity: cart[i].quantity - first,
            ..cart[i].clone()
        };
        let second = verdict(&later_history, std::slice::from_ref(&rest), &later);
        assert!(
            !(first_verdict[i].is_accepted() && second[0].is_accepted()),
            "{:?} refused whole, accepted as {first} today and the rest on {later}",
            cart[i]
        );
    }
    assert!(
        refused_and_split > 300,
        "the cases must refuse lines: {refused_and_split}"
    );
}

/// Each limit switched off in the engine, one at a time (a seeded mutation of the rule): the
/// oracle must notice accepted lines past it, so the property tests above would catch a
/// broken rule of every partner.
#[test]
fn the_oracle_catches_each_rule_switched_off() {
    type Mutation = (&'static str, &'static str, fn(&mut RuleSet));
    let mutations: [Mutation; 10] = [
        ("microsoft families", "microsoft", |r| r.microsoft_max_families = 1_000),
        ("microsoft per family", "microsoft", |r| {
            r.microsoft_max_per_family = 1_000
        }),
        ("microsoft non-core", "microsoft", |r| r.microsoft_max_non_core = 1_000),
        ("adobe per year", "adobe", |r| r.adobe_max_per_year = 1_000),
        ("autodesk per year", "autodesk", |r| r.autodesk_max_per_year = 1_000),
        ("cisco orders per year", "cisco", |r| r.cisco_orders_per_year = 1_000),
        ("cisco fee cap", "cisco", |r| r.cisco_fee_cap_cents = i64::MAX / 4),
        ("zoom licences", "zoom", |r| r.zoom_max_licences = 1_000),
        ("zoom pro licences", "zoom", |r| r.zoom_pro_max_licences = 1_000),
        ("aws grants", "aws", |r| r.aws_grants_per_12_months = 1_000),
    ];
    for (name, partner, mutate) in mutations {
        let mut rules = RuleSet::default();
        mutate(&mut rules);
        let mut rng = Rng(0xA076_1D64_78BD_642F);
        // Carts and histories of the partner's products only, so that every limit is within reach.
        let of_partner = |rng: &mut Rng, quantity: u32| loop {
            let l = random_line(rng, quantity);
            if l.product.partner_id == partner {
                break l;
            }
        };
        let caught = (0..5_000).any(|_| {
            let history: Vec<PastLine> = (0..rng.below(6))
                .map(|n| {
                    let quantity = 1 + u32::try_from(rng.below(30)).unwrap();
                    let l = of_partner(&mut rng, quantity);
                    PastLine {
                        order_id: format!("o{n}"),
                        product: l.product,
                        quantity: l.quantity,
                        date: day("2025-12-01") + chrono::Days::new(rng.below(360)),
                        validated: rng.below(4) > 0,
                        named_user: l.named_user,
                    }
                })
                .collect();
            let cart: Vec<CartLine> = (0..1 + rng.below(20))
                .map(|_| {
                    let quantity = 1 + u32::try_from(rng.below(30)).unwrap();
                    of_partner(&mut rng, quantity)
                })
                .collect();
            let v = check(&everyone(), &rules, &history, &cart, day(TODAY));
            let accepted: Vec<CartLine> = cart
                .iter()
                .zip(&v.lines)
                .filter(|(_, v)| v.is_accepted())
                .map(|(l, _)| l.clone())
                .collect();
            !violations(&history, &accepted, day(TODAY)).is_empty()
        });
        assert!(caught, "{name}: switched off, and no case noticed it");
    }
}
