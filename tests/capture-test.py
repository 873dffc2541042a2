#!/usr/bin/env python3
"""Capture tests: run real tshark with the build-tree plugin over a capture
and compare ikediag's findings (and, where a golden file exists, its
tracking fields) with hand-reviewed expectations.

  capture-test.py --plugin-dir DIR --tshark-wrapper tests/lib/tshark-nobody.sh \
      --scenario test-captures/<name>            # expected.txt [+ tracking.txt]
  capture-test.py ... --capture FILE --keys DIR --tracking GOLDEN [--no-failures]

expected.txt (see test-captures/README.md):
  frame=<N> cause=<keyword> failure=<0|1> [field~substring ...] [pass=2] [xfail]
  # prefs: ikediag.report_deletes:TRUE ...    (tshark -o for this capture)
Every finding ikediag reports must be listed; every listed finding must be
reported on that frame.  Checks: offered/chosen/mismatch/hint/finding~substring
(quote it when it has spaces: finding~"deletes the IKE SA"), evidence~N[,N...]
(each frame is among the finding's evidence frames), possible~KEYWORD[,KEYWORD...] (each
keyword is one of the ikediag.possible values; like the other optional strings they cannot be
paired with one finding of the frame, so they are the frame's), possible_why~substring.
'pass=1' marks what a single pass says before later frames correct it (a refusal
the negotiation later recovered from).  'pass=2' marks a finding that needs the whole
capture (tshark -2, the GUI); 'xfail' one whose rule is not written yet; 'wrong' a finding
ikediag reports today that the evidence does not support (tolerated until it disappears).

The tracking golden is the output of the TRACK_FIELDS below with -2, one
line per frame, reviewed by hand.  One pass must give the same values except
for the fields that look forward (response_in, diagnosed_in, outcome).
"""

import argparse
import os
import shlex
import subprocess
import sys

FINDING_FIELDS = ["ikediag.cause", "ikediag.verdict", "ikediag.offered", "ikediag.chosen",
                  "ikediag.mismatch", "ikediag.hint", "ikediag.finding", "ikediag.evidence",
                  "ikediag.failure", "ikediag.possible", "ikediag.possible_why"]
TRACK_FIELDS = ["ikediag.sa", "ikediag.exchange", "ikediag.message", "ikediag.state",
                "ikediag.request_in", "ikediag.response_in", "ikediag.retransmission_of",
                "ikediag.icmp_for"]
FORWARD_LOOKING = {"ikediag.response_in"}
SEP = "\x1f"


def run_tshark(args, capture, keys, fields, two_pass, prefs=()):
    cmd = [args.tshark_wrapper, args.plugin_dir, keys or "-", "-r", capture, "-T", "fields",
           "-E", "occurrence=a", "-E", "aggregator=" + SEP, "-E", "separator=\t",
           "-e", "frame.number"]
    for f in fields:
        cmd += ["-e", f]
    for p in prefs:
        cmd += ["-o", p]
    if two_pass:
        cmd.insert(3, "-2")
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit("tshark failed (exit %d): %s" % (res.returncode, " ".join(cmd)))
    if "ikediag" not in res.stderr and res.stderr.strip():
        # tshark warnings (e.g. about keys) are worth seeing
        sys.stderr.write(res.stderr)
    rows = {}
    for line in res.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(fields) + 1 - len(cols))
        rows[int(cols[0])] = [c.split(SEP) if c else [] for c in cols[1:]]
    return rows


def findings_of(rows):
    """frame -> list of dicts {cause, failure, offered, ...}"""
    out = {}
    for frame, cols in rows.items():
        causes = cols[0]
        for i, cause in enumerate(causes):
            f = {"cause": cause}
            for j, name in enumerate(FINDING_FIELDS[1:], start=1):
                vals = cols[j]
                # the verdict is present for every finding (ikediag.failure
                # only on failures); the optional strings are not, so they
                # cannot be paired by index: keep them all.
                if name == "ikediag.verdict":
                    f["failure"] = "1" if i < len(vals) and vals[i] == "failure" else "0"
                elif name == "ikediag.failure":
                    # present only when true, once per failing finding
                    n_fail = sum(1 for v in cols[1] if v == "failure")
                    if vals != ["1"] * n_fail and vals != ["True"] * n_fail:
                        f["flag_error"] = "frame %d: ikediag.failure %r for %d failing findings" % (
                            frame, vals, n_fail)
                else:
                    f[name.split(".")[1]] = SEP.join(vals)
            out.setdefault(frame, []).append(f)
    return out


def parse_expected(path):
    """(expected findings, tshark preferences from '# prefs:' lines)"""
    exp, prefs = [], []
    with open(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            if raw.startswith("# prefs:"):
                prefs += raw.split(":", 1)[1].split()
                continue
            if raw.startswith("# outcome:"):
                # "# outcome: SA <n> <outcome>": ikediag.outcome of IKE SA n (-2)
                words = raw.split(":", 1)[1].split(None, 2)
                if len(words) != 3 or words[0] != "SA" or not words[1].isdigit():
                    raise SystemExit("%s:%d: want '# outcome: SA <n> <outcome>'" % (path, lineno))
                exp.append({"line": lineno, "outcome_sa": int(words[1]), "outcome": words[2].strip()})
                continue
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            e = {"line": lineno, "checks": [], "xfail": False, "pass2": False, "pass1": False, "wrong": False}
            for tok in shlex.split(line):
                if tok == "xfail":
                    e["xfail"] = True
                elif tok == "wrong":
                    e["wrong"] = True
                elif tok == "pass=2":
                    e["pass2"] = True
                elif tok == "pass=1":
                    e["pass1"] = True
                elif "~" in tok and "=" not in tok.split("~", 1)[0]:
                    k, v = tok.split("~", 1)
                    e["checks"].append((k, v))
                elif "=" in tok:
                    k, v = tok.split("=", 1)
                    if k == "frame":
                        e["frame"] = int(v)
                    elif k == "cause":
                        e["cause"] = v
                    elif k == "failure":
                        e["failure"] = v
                    else:
                        raise SystemExit("%s:%d: unknown key %s" % (path, lineno, k))
                else:
                    raise SystemExit("%s:%d: cannot parse %r" % (path, lineno, tok))
            if "frame" not in e or "cause" not in e:
                raise SystemExit("%s:%d: needs frame= and cause=" % (path, lineno))
            exp.append(e)
    return exp, prefs


def matches(e, f):
    if f["cause"] != e["cause"]:
        return False
    if "failure" in e and f["failure"] != e["failure"]:
        return False
    for k, v in e["checks"]:
        if k == "evidence":
            if not set(v.split(",")) <= set(f.get(k, "").split(SEP)):
                return False
        elif k == "possible":
            # each listed keyword is one of the frame's ikediag.possible values
            if not set(v.split(",")) <= set(f.get(k, "").split(SEP)):
                return False
        elif v not in f.get(k, ""):
            return False
    return True


def check_findings(name, expected, found, two_pass, report):
    ok = True
    used = set()
    for e in expected:
        if (e["pass2"] and not two_pass) or (e["pass1"] and two_pass):
            continue
        cands = found.get(e["frame"], [])
        hit = None
        for idx, f in enumerate(cands):
            if (e["frame"], idx) not in used and matches(e, f):
                hit = idx
                break
        label = "%s frame %d %s" % (name, e["frame"], e["cause"])
        if hit is None:
            if e["wrong"]:
                report.append("FIXED %s: ikediag no longer reports this wrong finding: delete the "
                              "line (%d)" % (label, e["line"]))
                ok = False
            elif e["xfail"]:
                report.append("XFAIL %s (rule not written yet)" % label)
            else:
                report.append("FAIL  %s: expected (line %d), found %s" %
                              (label, e["line"], cands or "nothing"))
                ok = False
        else:
            used.add((e["frame"], hit))
            if e["wrong"]:
                report.append("WRONG %s: reported today, not supported by the evidence (line %d)" %
                              (label, e["line"]))
            elif e["xfail"]:
                report.append("XPASS %s: remove the xfail mark (line %d)" % (label, e["line"]))
                ok = False
            else:
                report.append("ok    %s" % label)
    for frame, cands in sorted(found.items()):
        for idx, f in enumerate(cands):
            if "flag_error" in f and idx == 0:
                report.append("FAIL  %s %s" % (name, f["flag_error"]))
                ok = False
            if (frame, idx) in used:
                continue
            # a finding only expected with -2 may legitimately be there
            report.append("FAIL  %s frame %d: unexpected finding %s (failure=%s)" %
                          (name, frame, f["cause"], f["failure"]))
            ok = False
    return ok


def check_tracking(golden_path, rows_1, rows_2, report):
    ok = True
    with open(golden_path) as fh:
        golden = [l.rstrip("\n") for l in fh if l.strip() and not l.startswith("#")]
    got = []
    for frame in sorted(rows_2):
        got.append("\t".join([str(frame)] + [",".join(v) for v in rows_2[frame]]))
    if golden != got:
        ok = False
        report.append("FAIL  tracking differs from %s (-2):" % golden_path)
        for g, n in zip(golden + [""] * max(0, len(got) - len(golden)),
                        got + [""] * max(0, len(golden) - len(got))):
            if g != n:
                report.append("      want: %s\n      got:  %s" % (g, n))
    # One pass: equal but for the forward-looking fields.
    for frame in sorted(rows_2):
        r1 = rows_1.get(frame)
        for i, fname in enumerate(TRACK_FIELDS):
            if fname in FORWARD_LOOKING:
                continue
            v1 = r1[i] if r1 else []
            if v1 != rows_2[frame][i]:
                ok = False
                report.append("FAIL  frame %d %s: one pass %s, two passes %s" %
                              (frame, fname, v1, rows_2[frame][i]))
    if ok:
        report.append("ok    tracking fields (%d frames) match %s, one pass and -2" %
                      (len(rows_2), os.path.basename(golden_path)))
    return ok


def check_outcomes(name, outcomes, rows2, n, report):
    """'# outcome: SA <n> <outcome>' lines against ikediag.outcome (-2)."""
    ok = True
    sa_col = n + TRACK_FIELDS.index("ikediag.sa")
    out_col = n + len(TRACK_FIELDS)
    seen = {}
    for frame in sorted(rows2):
        cols = rows2[frame]
        for sa, outcome in zip(cols[sa_col], cols[out_col]):
            seen.setdefault(int(sa), outcome)
    for e in outcomes:
        got = seen.get(e["outcome_sa"])
        if got != e["outcome"]:
            report.append("FAIL  %s: IKE SA %d outcome %r, expected %r (line %d)" %
                          (name, e["outcome_sa"], got, e["outcome"], e["line"]))
            ok = False
        else:
            report.append("ok    %s: IKE SA %d %s" % (name, e["outcome_sa"], got))
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin-dir", required=True)
    ap.add_argument("--tshark-wrapper", required=True)
    ap.add_argument("--scenario")
    ap.add_argument("--capture")
    ap.add_argument("--keys")
    ap.add_argument("--tracking")
    ap.add_argument("--expected")
    ap.add_argument("--no-failures", action="store_true",
                    help="assert that no frame carries ikediag.failure == 1")
    ap.add_argument("--skip-if-missing", action="store_true")
    args = ap.parse_args()

    expected, prefs = None, []
    if args.scenario:
        d = args.scenario
        caps = [f for f in sorted(os.listdir(d)) if f.startswith("capture.")]
        if not caps:
            raise SystemExit("no capture.* in " + d)
        capture = os.path.join(d, caps[0])
        keys = d
        expected, prefs = parse_expected(os.path.join(d, "expected.txt"))
        tracking = os.path.join(d, "tracking.txt")
        if not os.path.exists(tracking):
            tracking = None
        name = os.path.basename(os.path.normpath(d))
    else:
        capture, keys, tracking = args.capture, args.keys, args.tracking
        name = os.path.basename(capture)
        if args.expected:
            expected, prefs = parse_expected(args.expected)
        if args.skip_if_missing and not os.path.exists(capture):
            print("SKIP: %s is absent (../shared is not beside this clone)" % capture)
            return 77

    report = []
    ok = True
    fields = FINDING_FIELDS + TRACK_FIELDS + ["ikediag.outcome"]
    rows1 = run_tshark(args, capture, keys, fields, False, prefs)
    rows2 = run_tshark(args, capture, keys, fields, True, prefs)
    n = len(FINDING_FIELDS)
    find1 = findings_of({k: v[:n] for k, v in rows1.items()})
    find2 = findings_of({k: v[:n] for k, v in rows2.items()})
    if expected is not None:
        outcomes = [e for e in expected if "outcome_sa" in e]
        expected = [e for e in expected if "outcome_sa" not in e]
        ok &= check_findings(name + " (one pass)", expected, find1, False, report)
        ok &= check_findings(name + " (-2)", expected, find2, True, report)
        ok &= check_outcomes(name, outcomes, rows2, n, report)
    if args.no_failures:
        for frame, fs in sorted(find2.items()):
            for f in fs:
                if f["failure"] == "1":
                    report.append("FAIL  %s frame %d: false alarm %s" % (name, frame, f["cause"]))
                    ok = False
        if ok:
            report.append("ok    %s: no ikediag.failure on any frame" % name)
    if tracking:
        t = n + len(TRACK_FIELDS)
        ok &= check_tracking(tracking, {k: v[n:t] for k, v in rows1.items()},
                             {k: v[n:t] for k, v in rows2.items()}, report)
    print("\n".join(report))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
