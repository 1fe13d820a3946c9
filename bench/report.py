#!/usr/bin/env python3
"""Prints the benchmark figures against their budgets and writes them as a Markdown table.

    bench/report.py RESULTS.jsonl bench/budgets.json --mode short|full --machine TEXT --out FILE

Each budget in budgets.json applies to the figures whose names match its pattern (fnmatch).
`max` / `min` is the budget itself: a figure past it is a MISS, printed and kept in the
table. `ci_max` / `ci_min` is the loose limit that `--mode short` (CI) enforces: the command
fails only when a figure passes it, so a slower shared CI machine does not fail the build, but
a regression of several times does.

`--build test` says the server was the test command's test build (opt-level 0, not the release
build the budgets are for): a budget marked `"speed": true` is then printed but not judged, in
full or short mode. The figures that say whether something works (stalled renders, hostile
loads, bundle sizes, which are those of the release WASM) are judged as usual.
"""

import argparse
import datetime
import fnmatch
import json
import sys


def budget_for(name, budgets):
    for pattern, budget in budgets.items():
        if fnmatch.fnmatchcase(name, pattern):
            return budget
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("budgets")
    parser.add_argument("--mode", default="full")
    parser.add_argument("--machine", default="")
    parser.add_argument("--build", choices=["release", "test"], default="release")
    parser.add_argument("--out")
    args = parser.parse_args()
    results = [json.loads(line) for line in open(args.results) if line.strip()]
    budgets = {k: v for k, v in json.load(open(args.budgets)).items() if not k.startswith("_")}

    rows = []
    misses, ci_failures = [], []
    for r in results:
        name, value, unit = r["name"], r["value"], r.get("unit", "")
        b = budget_for(name, budgets)
        budget, status = "", "—"
        if b and b.get("speed") and args.build == "test":
            limit = f"≤ {b['max']}" if "max" in b else f"≥ {b['min']}"
            budget, status = f"{limit} {unit}".strip(), "not judged (test build)"
        elif b and "max" in b:
            budget = f"≤ {b['max']} {unit}".strip()
            status = "met" if value <= b["max"] else "MISS"
            if "ci_max" in b and value > b["ci_max"]:
                ci_failures.append(f"{name} = {value} {unit} > CI limit {b['ci_max']}")
        elif b and "min" in b:
            budget = f"≥ {b['min']} {unit}".strip()
            status = "met" if value >= b["min"] else "MISS"
            if "ci_min" in b and value < b["ci_min"]:
                ci_failures.append(f"{name} = {value} {unit} < CI limit {b['ci_min']}")
        if status == "MISS":
            misses.append(name)
        rows.append((name, f"{value} {unit}".strip(), budget, status))

    today = datetime.date.today().isoformat()
    lines = [
        f"Benchmark suite, {args.mode} mode, {args.build} build, {today}; {args.machine}",
        "",
        "| figure | measured | budget | status |",
        "|---|---:|---:|---|",
    ] + [f"| `{n}` | {v} | {b} | {s} |" for n, v, b, s in rows]
    table = "\n".join(lines)
    print()
    print(table)
    print()
    print(f"{len(rows)} figures, {sum(1 for r in rows if r[3] == 'met')} within budget, {len(misses)} missed"
          + (f": {', '.join(misses)}" if misses else ""))
    if args.out:
        with open(args.out, "w") as out:
            out.write(table + "\n")
    if args.mode == "short" and ci_failures:
        print("past the CI limits:\n  " + "\n  ".join(ci_failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
