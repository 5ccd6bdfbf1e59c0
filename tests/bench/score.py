#!/usr/bin/env python3
"""Scores a `cfmigrate scan --format json` report against the generator's manifest.json.

A planted key with expected=true is found when a finding has the same path and line, the same
credential and the same state. Every other finding is a false positive (this includes a finding
for a key planted where the scanner skips by design: node_modules, .git/objects, binaries).

    score.py MANIFEST SCAN_JSON [--json]      exit 0 when recall is 100 % and there is no false positive
"""

import json
import sys


def score(manifest, report):
    expected = {}
    for p in manifest["planted"]:
        if p["expected"]:
            expected[(p["path"], p["line"])] = p
    matched = set()
    false_positives = []
    wrong = []
    for f in report["findings"]:
        key = (f["path"], f["line"])
        p = expected.get(key)
        if p is None:
            false_positives.append(f)
            continue
        if f["credential"] != p["credential"] or f["state"] != p["state"]:
            wrong.append((p, f))
            continue
        matched.add(key)
    missed = [p for k, p in sorted(expected.items()) if k not in matched]
    return {
        "expected": len(expected),
        "found": len(matched),
        "recall": (len(matched) / len(expected)) if expected else 1.0,
        "false_positives": len(false_positives) + len(wrong),
        "decoys": manifest.get("decoys", 0),
        "missed": [{"path": p["path"], "line": p["line"], "style": p["style"], "state": p["state"]} for p in missed],
        "unexpected": [{"path": f["path"], "line": f["line"], "credential": f["credential"], "state": f["state"],
                        "program": f.get("program"), "name": f.get("name")} for f in false_positives],
        "wrong_kind": [{"path": p["path"], "line": p["line"], "planted": "%s/%s" % (p["credential"], p["state"]),
                        "reported": "%s/%s" % (f["credential"], f["state"])} for p, f in wrong],
    }


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    with open(sys.argv[2]) as f:
        report = json.load(f)
    result = score(manifest, report)
    if "--json" in sys.argv:
        print(json.dumps(result, indent=1))
    else:
        print("recall: %d/%d (%.1f %%)  false positives: %d  (decoys planted: %d)" % (
            result["found"], result["expected"], 100 * result["recall"], result["false_positives"], result["decoys"]))
        for m in result["missed"]:
            print("  MISSED  %s:%d (%s, %s)" % (m["path"], m["line"], m["style"], m["state"]))
        for u in result["unexpected"]:
            print("  FP      %s:%d %s/%s program=%s name=%s" % (u["path"], u["line"], u["credential"], u["state"],
                                                               u["program"], u["name"]))
        for w in result["wrong_kind"]:
            print("  WRONG   %s:%d planted %s, reported %s" % (w["path"], w["line"], w["planted"], w["reported"]))
    ok = result["found"] == result["expected"] and result["false_positives"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
