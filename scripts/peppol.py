#!/usr/bin/env python3
"""Judges UBL invoices and credit notes by the official Peppol BIS Billing 3.0 rules.

    python3 scripts/peppol.py [--must-fail FILE]... [--min-files N] FILE_OR_DIR...

The two rule sets an access point applies, EN 16931 (UBL binding) and Peppol BIS 3.0, are
Schematron files in third_party/peppol/rules/. Each is compiled to XSLT once, by SchXslt's
pipeline (third_party/peppol/schxslt/) in Saxon-HC (the `saxonche` package from PyPI), then
every document is transformed into an SVRL report whose failed assertions are read back.

A document fails when an assertion flagged `fatal` or `error` fails; warnings are printed and
do not count. Directories stand for the *.xml files they hold. Each file gets one line, `valid`
or its failures (rule id, flag, rule set, text); `--must-fail FILE` names a document that must be
rejected (a validator that passes everything is worthless), and `--min-files N` fails a run that
found fewer documents (an empty output directory would otherwise pass).

Exit status: 0 when every document is as expected, 1 when one is not, 2 on a usage error (a
missing file, too few files, saxonche not installed).
"""
import argparse
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEPPOL = ROOT / "third_party" / "peppol"
RULE_SETS = ("CEN-EN16931-UBL", "PEPPOL-EN16931-UBL")
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
FAILING_FLAGS = {"fatal", "error"}


def documents(paths):
    """The files named, directories replaced by the *.xml files they hold, in name order."""
    found, missing = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(p.glob("*.xml")))
        elif p.is_file():
            found.append(p)
        else:
            missing.append(str(p))
    return found, missing


def failures(svrl_text, rule_set):
    """(failing, warnings): lines for each failed assertion of one SVRL report."""
    failing, warnings = [], []
    root = ET.fromstring(svrl_text)
    for failed in root.iter(f"{SVRL}failed-assert"):
        flag = failed.get("flag") or "error"  # an unflagged assertion is an error
        node = failed.find(f"{SVRL}text")
        text = " ".join("".join(node.itertext()).split()) if node is not None else ""
        line = f"  {failed.get('id', '?')} [{flag}] ({rule_set}) {text}"
        (failing if flag in FAILING_FLAGS else warnings).append(line)
    return failing, warnings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="UBL documents, or directories of them")
    parser.add_argument("--must-fail", action="append", default=[], metavar="FILE",
                        help="a document the rules must reject (repeatable)")
    parser.add_argument("--min-files", type=int, default=1, metavar="N",
                        help="fail when fewer documents than this are to be valid (default 1)")
    parser.add_argument("--rules", type=Path, default=PEPPOL,
                        help="folder holding rules/ and schxslt/ (default third_party/peppol)")
    args = parser.parse_args()

    try:
        from saxonche import PySaxonProcessor
    except ImportError:
        print("peppol: saxonche is not installed (pip install saxonche)", file=sys.stderr)
        return 2
    valid_expected, missing = documents(args.paths)
    must_fail, missing_too = documents(args.must_fail)
    missing += missing_too
    if missing:
        print(f"peppol: no such file or directory: {' '.join(missing)}", file=sys.stderr)
        return 2
    if len(valid_expected) < args.min_files:
        print(f"peppol: {len(valid_expected)} documents found, at least {args.min_files} expected "
              f"in {' '.join(args.paths) or '(nothing given)'}", file=sys.stderr)
        return 2

    start = time.monotonic()
    status = 0
    with PySaxonProcessor(license=False) as proc:
        xslt = proc.new_xslt30_processor()
        pipeline = xslt.compile_stylesheet(stylesheet_file=str(args.rules / "schxslt" / "pipeline-for-svrl.xsl"))
        validators = []
        for name in RULE_SETS:
            compiled = pipeline.transform_to_string(source_file=str(args.rules / "rules" / f"{name}.sch"))
            if not compiled:
                print(f"peppol: {name}.sch did not compile", file=sys.stderr)
                return 2
            validators.append((name, xslt.compile_stylesheet(stylesheet_text=compiled)))
        compiled_at = time.monotonic()

        def judge(path):
            failing, warnings = [], []
            for name, validator in validators:
                svrl = validator.transform_to_string(source_file=str(path.resolve()))
                if not svrl:
                    failing.append(f"  ({name}) no report: the document could not be read as XML")
                    continue
                f, w = failures(svrl, name)
                failing += f
                warnings += w
            return failing, warnings

        for path in valid_expected:
            failing, warnings = judge(path)
            if failing:
                status = 1
                print(f"{path}: {len(failing)} errors, {len(warnings)} warnings")
            else:
                print(f"{path}: valid" + (f" ({len(warnings)} warnings)" if warnings else ""))
            for line in failing + warnings:
                print(line)
        for path in must_fail:
            failing, _ = judge(path)
            if failing:
                print(f"{path}: rejected as it must be ({len(failing)} errors, first {failing[0].strip()})")
            else:
                status = 1
                print(f"{path}: valid, but it must be rejected: the validator is broken")

    print(f"peppol: {len(valid_expected)} documents judged, {len(must_fail)} that must fail; "
          f"rules compiled in {compiled_at - start:.1f} s, documents judged in {time.monotonic() - compiled_at:.1f} s: "
          + ("all as expected" if status == 0 else "FAILED"))
    return status


if __name__ == "__main__":
    sys.exit(main())
