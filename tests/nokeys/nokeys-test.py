#!/usr/bin/env python3
"""Every lab capture again without its keys (ctest nokeys.<scenario>).

  nokeys-test.py --plugin-dir DIR --tshark-wrapper tests/lib/tshark-nobody.sh \\
      --table tests/nokeys/expected.txt --scenario test-captures/<name>
  nokeys-test.py ... --table tests/nokeys/expected.txt --check-table test-captures

tshark reads test-captures/<name>/capture.pcap with no key files, in one
pass and with -2.  A capture whose expected.txt has no failure line is
healthy: no frame may carry a failure.  A failing capture must have its row
in the table (tests/nokeys/expected.txt, reviewed by hand against the wire),
which says for each failure of expected.txt what ikediag concludes without
keys, and the run must give exactly that:

  <scenario>  K:cause>F:cause2 ...   the failure of frame K (with keys) is
                                     proven by the structure: a failure
                                     'cause2' on the same frame (F == K)
              K:cause>note:N ...     not proven: the encrypted-outcome note
                                     of frame N, on the same IKE SA as K
              K:cause>xfail          neither yet: a known gap (the report
                                     says XFAIL), to be closed
              note:N ...             another encrypted-outcome note
              F:cause2!              a failure without keys that has no
                                     failure line with keys (none today)

Failure lines marked 'wrong' (what ikediag says today and the evidence does
not support, test-captures/README.md) are no keyed failures, and the same
wrong failure without keys is reported as WRONG, not counted.

A token ending in /2 is expected only with -2.  The failures and the
encrypted-outcome notes of the run must be exactly those of the row; other
notes (nat-detected, weak-crypto, ...) are the capture tests' business.
--check-table: every row names a failing capture, every failing capture has
a row, and each row lists exactly its expected.txt failures.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys


def parse_expected(path):
    """(failure=1 lines as 'frame:cause', the 'wrong' ones, tshark -o preferences)"""
    fails, wrong, prefs = [], [], []
    with open(path) as fh:
        for raw in fh:
            if raw.startswith("# prefs:"):
                prefs += raw.split(":", 1)[1].split()
                continue
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            toks = shlex.split(line)
            kv = dict(t.split("=", 1) for t in toks if "=" in t and "~" not in t.split("=", 1)[0])
            # 'wrong': what ikediag says today and the evidence does not
            # support (test-captures/README.md); the true line is beside it
            # 'xfail': the truth that ikediag does not report even with keys
            # yet: nothing to say about it without keys either
            if kv.get("failure") == "1" and "xfail" not in toks:
                (wrong if "wrong" in toks else fails).append("%s:%s" % (kv["frame"], kv["cause"]))
    return fails, wrong, prefs


def parse_table(path):
    rows = {}
    with open(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.split("#", 1)[0].split()
            if not line:
                continue
            name, toks = line[0], line[1:]
            if name in rows:
                raise SystemExit("%s:%d: second row for %s" % (path, lineno, name))
            row = {"line": lineno, "keyed": [], "proven": [], "covered": [], "notes": [], "extra": [],
                   "xfail": []}
            for tok in toks:
                pass2 = tok.endswith("/2")
                if pass2:
                    tok = tok[:-2]
                m = re.fullmatch(r"(\d+:[a-z0-9-]+)>(\d+):([a-z0-9-]+)", tok)
                if m:
                    row["keyed"].append(m.group(1))
                    row["proven"].append((m.group(1), int(m.group(2)), m.group(3), pass2))
                    continue
                m = re.fullmatch(r"(\d+:[a-z0-9-]+)>note:(\d+)", tok)
                if m:
                    row["keyed"].append(m.group(1))
                    row["covered"].append((m.group(1), int(m.group(2))))
                    row["notes"].append((int(m.group(2)), pass2))
                    continue
                m = re.fullmatch(r"(\d+:[a-z0-9-]+)>xfail", tok)
                if m:
                    row["keyed"].append(m.group(1))
                    row["xfail"].append(m.group(1))
                    continue
                m = re.fullmatch(r"note:(\d+)", tok)
                if m:
                    row["notes"].append((int(m.group(1)), pass2))
                    continue
                m = re.fullmatch(r"(\d+):([a-z0-9-]+)!", tok)
                if m:
                    row["extra"].append((int(m.group(1)), m.group(2), pass2))
                    continue
                raise SystemExit("%s:%d: cannot parse %r" % (path, lineno, tok))
            rows[name] = row
    return rows


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def run(args, capture, prefs, two_pass):
    """frame -> {'sa': str, 'findings': [(cause, failure)]}"""
    cmd = [args.tshark_wrapper, args.plugin_dir, "-", "-r", capture, "-T", "json", "-J", "frame ikediag",
           "--no-duplicate-keys"]
    for p in prefs:
        cmd += ["-o", p]
    if two_pass:
        cmd.insert(3, "-2")
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit("tshark failed (exit %d): %s" % (res.returncode, " ".join(cmd)))
    out = {}
    for pkt in json.loads(res.stdout or "[]"):
        layers = pkt["_source"]["layers"]
        frame = layers.get("frame", {}).get("frame.number")
        frame = int(as_list(frame)[0]) if frame is not None else None
        diag = layers.get("ikediag")
        if frame is None or not isinstance(diag, dict):
            continue
        findings = []
        for tree in as_list(diag.get("ikediag.finding_tree")):
            cause = as_list(tree.get("ikediag.cause"))[0]
            failure = as_list(tree.get("ikediag.failure", "0"))[0] in ("1", "True", "true")
            findings.append((cause, failure))
        out[frame] = {"sa": as_list(diag.get("ikediag.sa", ""))[0], "findings": findings}
    return out


def check_scenario(args, table):
    d = args.scenario
    name = os.path.basename(os.path.normpath(d))
    caps = [f for f in sorted(os.listdir(d)) if f.startswith("capture.")]
    keyed, wrong, prefs = parse_expected(os.path.join(d, "expected.txt"))
    report, ok = [], True
    row = table.get(name)
    if keyed and not row:
        print("FAIL  %s has failures with keys (%s) and no row in %s: run it without keys, review what "
              "ikediag says against the wire and add the row" % (name, " ".join(keyed), args.table))
        return 1
    if row and sorted(row["keyed"]) != sorted(keyed):
        print("FAIL  %s: the row lists the keyed failures %s, expected.txt has %s" %
              (name, " ".join(sorted(row["keyed"])), " ".join(sorted(keyed))))
        return 1
    for two_pass in (False, True):
        label = "%s (%s, no keys)" % (name, "-2" if two_pass else "one pass")
        got = run(args, os.path.join(d, caps[0]), prefs, two_pass)
        fails = sorted("%d:%s" % (fr, c) for fr, v in got.items() for c, f in v["findings"] if f)
        # a failure expected.txt marks 'wrong' is wrong with keys as well:
        # not this test's business
        known = [f for f in fails if f in wrong]
        fails = [f for f in fails if f not in wrong]
        if known:
            report.append("WRONG %s: %s, marked wrong in expected.txt (with keys too)" % (label, " ".join(known)))
        notes = sorted(fr for fr, v in got.items() for c, f in v["findings"]
                       if c == "encrypted-outcome" and not f)
        if not row:
            if fails:
                report.append("FAIL  %s: a healthy capture, yet failures %s" % (label, " ".join(fails)))
                ok = False
            else:
                report.append("ok    %s: healthy, no failure" % label)
            continue
        want_fails = sorted(["%d:%s" % (fr, c) for _k, fr, c, p2 in row["proven"] if two_pass or not p2] +
                            ["%d:%s" % (fr, c) for fr, c, p2 in row["extra"] if two_pass or not p2])
        want_notes = sorted(fr for fr, p2 in row["notes"] if two_pass or not p2)
        if fails != want_fails:
            report.append("FAIL  %s: failures %s, the table says %s" %
                          (label, " ".join(fails) or "none", " ".join(want_fails) or "none"))
            ok = False
        if notes != want_notes:
            report.append("FAIL  %s: encrypted-outcome notes on frames %s, the table says %s" %
                          (label, notes or "none", want_notes or "none"))
            ok = False
        for k, fr, c, p2 in row["proven"]:
            if int(k.split(":")[0]) != fr:
                report.append("FAIL  %s: %s is proven on frame %d, not on its own frame" % (label, k, fr))
                ok = False
        for k, n in row["covered"]:
            kf = int(k.split(":")[0])
            if kf in got and n in got and got[kf]["sa"] != got[n]["sa"]:
                report.append("FAIL  %s: the note of frame %d (IKE SA %s) is not on the IKE SA of %s (%s)" %
                              (label, n, got[n]["sa"], k, got[kf]["sa"]))
                ok = False
        for k in row["xfail"]:
            report.append("XFAIL %s: %s is neither proven nor noted without keys yet" % (label, k))
        if ok:
            report.append("ok    %s: failures %s, encrypted-outcome notes %s" %
                          (label, " ".join(fails) or "none", notes or "none"))
    print("\n".join(report))
    return 0 if ok else 1


def check_table(args, table):
    ok = True
    failing = {}
    for name in sorted(os.listdir(args.check_table)):
        exp = os.path.join(args.check_table, name, "expected.txt")
        if os.path.exists(exp):
            keyed, _, _ = parse_expected(exp)
            if keyed:
                failing[name] = keyed
    for name in sorted(set(table) - set(failing)):
        print("FAIL  row %s (line %d): no such failing capture" % (name, table[name]["line"]))
        ok = False
    for name in sorted(set(failing) - set(table)):
        print("FAIL  %s: failing capture without a row" % name)
        ok = False
    for name in sorted(set(failing) & set(table)):
        if sorted(table[name]["keyed"]) != sorted(failing[name]):
            print("FAIL  %s: row %s, expected.txt %s" % (name, table[name]["keyed"], failing[name]))
            ok = False
    if ok:
        print("ok    %d rows, one per failing lab capture, each with its expected.txt failures" % len(table))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin-dir")
    ap.add_argument("--tshark-wrapper")
    ap.add_argument("--table", required=True)
    ap.add_argument("--scenario")
    ap.add_argument("--check-table", metavar="TEST_CAPTURES_DIR")
    args = ap.parse_args()
    table = parse_table(args.table)
    if args.check_table:
        return check_table(args, table)
    return check_scenario(args, table)


if __name__ == "__main__":
    sys.exit(main())
