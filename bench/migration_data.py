#!/usr/bin/env python3
"""Writes a migration import's CSV files (docs/migration-import.md) for the benchmark:
N organisations, each with an account holder and a member, qualifications for every
partner, partner documents, and past orders whose lines add up to the requested total
(30 lines per organisation by default: 6 orders of 5 lines), dated over the last seven
years. Deterministic (seeded), so two runs write the same files.

usage: bench/migration_data.py OUT_DIR [--organisations 20000] [--lines 600000]
"""
import argparse
import datetime
import os
import random

SOFTWARE = [
    "office-ltsc-standard-2024", "office-ltsc-professional-plus-2024", "windows-11-pro-upgrade",
    "visio-ltsc-professional-2024", "project-professional-2024", "windows-server-2025-standard-2-core",
    "sql-server-2022-standard-2-core", "windows-server-2025-user-cal", "adobe-acrobat-pro-2024",
    "adobe-photoshop-elements-2025", "autodesk-autocad-2026", "autodesk-revit-2026",
    "zoom-workplace-pro-1-year-50", "zoom-workplace-business-1-year-50",
]
HARDWARE = ["lenovo-thinkpad-t14-gen-2", "dell-latitude-5420", "hp-elitebook-840-g8",
            "dell-optiplex-7090-sff", "dell-p2419h", "dell-wd19s-docking-station"]
PARTNERS = ["microsoft", "adobe", "autodesk", "cisco", "zoom", "aws", "hardware", "google"]
MISSIONS = ["social_cohesion", "disability_inclusion", "health", "culture_education", "youth",
            "environment", "sport_leisure", "other"]


def enterprise_number(i):
    # 0600000000 upwards: clear of the demo data's numbers; the last two digits are the checksum.
    base = 6_000_000 + i
    return f"{base:08d}{97 - base % 97:02d}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=600_000)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(24)
    today = datetime.date.today() - datetime.timedelta(days=1)
    per_org = args.lines // args.organisations
    extra = args.lines - per_org * args.organisations
    files = {name: open(os.path.join(args.out, f"{name}.csv"), "w", encoding="utf-8", newline="")
             for name in ["organisations", "people", "qualifications", "documents", "orders", "order_lines", "counters"]}
    w = {k: f.write for k, f in files.items()}
    w["organisations"]("legacy_id;legal_name;legal_form;country;enterprise_number;street;postal_code;city;"
                       "contact_email;mission_category;eligibility_status;vat_status;vat_number;language;registered_on\n")
    w["people"]("organisation_legacy_id;full_name;email;role;language\n")
    w["qualifications"]("organisation_legacy_id;partner;status;decided_on\n")
    w["documents"]("organisation_legacy_id;discount_certificate_issued;autodesk_direct_purchase;autodesk_waiver_on\n")
    w["orders"]("legacy_reference;organisation_legacy_id;status;submitted_on;validated_on;fulfilled_on\n")
    w["order_lines"]("legacy_reference;product;quantity;fee\n")
    lines_written = 0
    for i in range(args.organisations):
        key = f"LEG-{i:06d}"
        registered = today - datetime.timedelta(days=rng.randint(400, 2500))
        language = rng.choice(["fr", "fr", "nl", "en"])
        w["organisations"](f"{key};Organisation {i} ASBL;asbl;BE;{enterprise_number(i)};Rue {i % 300 + 1};"
                           f"{1000 + i % 8000};Ville {i % 500};contact{i}@migration.example.org;"
                           f"{rng.choice(MISSIONS)};eligible;none;;{language};{registered}\n")
        w["people"](f"{key};Titulaire {i};holder{i}@migration.example.org;account_holder;\n")
        w["people"](f"{key};Membre {i};member{i}@migration.example.org;member;\n")
        for partner in PARTNERS:
            w["qualifications"](f"{key};{partner};qualified;{registered}\n")
        w["documents"](f"{key};{today - datetime.timedelta(days=rng.randint(0, 700))};;\n")
        lines = per_org + (1 if i < extra else 0)
        n = 0
        while lines > 0:
            count = min(5, lines)
            lines -= count
            reference = f"{key}-{n:03d}"
            n += 1
            validated = registered + datetime.timedelta(days=rng.randint(10, (today - registered).days))
            submitted = validated - datetime.timedelta(days=rng.randint(0, 5))
            w["orders"](f"{reference};{key};fulfilled;{submitted};{validated};{validated}\n")
            pool = HARDWARE if n % 3 == 0 else SOFTWARE
            for slug in rng.sample(pool, count):
                w["order_lines"](f"{reference};{slug};{rng.randint(1, 5)};\n")
                lines_written += 1
    w["counters"]("counter;value\norganisations;0\nsaved_cents;18000000000\nproducts_distributed;0\n")
    for f in files.values():
        f.close()
    print(f"{args.organisations} organisations, {lines_written} order lines in {args.out}")


if __name__ == "__main__":
    main()
