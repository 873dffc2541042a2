#!/usr/bin/env python3
"""Keep docs/ true: each CASE checks one document against the plugin.

  fields     docs/fields.md lists exactly the ikediag.* fields tshark -G fields
             shows, with their types; every registered per-cause expert
             info belongs to a cause of the list (plugin/core/causes.def);
             the preferences and their
             defaults match -G defaultprefs; every example filter compiles.
  diagnoses  docs/diagnoses.md has one entry per cause keyword of causes.def,
             no entry for a keyword that does not exist, and every entry has
             the parts an analyst needs (wire, meaning, fixes per
             implementation, what is concluded without keys, keys) and
             its expert infos' severities.
  training   every exercise of docs/training.md: its filter, run on its
             capture, gives exactly the frames its answer states; a "Flow
             arrow:" answer is the arrow tshark -z flow,ikediag draws there.
  coloring   docs/ikediag.colorfilters parses, every rule's filter compiles,
             and the failure rule colours the failing frame of a lab capture
             but no frame of a successful one.

  test-docs.py --plugin-dir DIR --wrapper tests/lib/tshark-nobody.sh --repo . CASE
"""

import argparse
import os
import re
import subprocess
import sys

ARGS = None


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from ikdtest import Failure, check, run_tshark  # noqa: E402


def tshark(args, keys="-", capture=None, expect_rc=0):
    return run_tshark(ARGS.wrapper, ARGS.plugin_dir, args, keys, capture, expect_rc)


def read(rel):
    with open(os.path.join(ARGS.repo, rel), encoding="utf-8") as fh:
        return fh.read()


def lab(name):
    d = os.path.join(ARGS.repo, "test-captures", name)
    for f in ("capture.pcap", "capture.pcapng"):
        if os.path.exists(os.path.join(d, f)):
            return d, os.path.join(d, f)
    raise Failure("no capture in %s" % d)


SEV = {"CHAT": "Chat", "NOTE": "Note", "WARN": "Warning", "ERROR": "Error"}


def cause_table():
    """[(keyword, expert_name, severity, recovered_severity, group)] from causes.def"""
    src = read("plugin/core/causes.def")
    rows = re.findall(r'^IKD_CAUSE\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*"[^"]*"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*\)',
                      src, re.M)
    check(len(rows) >= 20, "could not read the cause list from causes.def (%d rows)" % len(rows))
    return [(k, k.replace("-", "_"), SEV[s], SEV[r], g.capitalize()) for k, g, s, r in rows]


def table_rows(text, heading):
    """Rows (lists of cells) of the first table after '## heading'."""
    m = re.search(r"^## %s\s*$(.*?)(?=^## |\Z)" % re.escape(heading), text, re.M | re.S)
    check(m, "no section '## %s'" % heading)
    rows = []
    for line in m.group(1).splitlines():
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append(cells)
    return rows[1:]  # without the header


def code(cell):
    m = re.fullmatch(r"`([^`]*)`", cell)
    return m.group(1) if m else None


# ------------------------------------------------------------------ fields

def case_fields():
    doc = read("docs/fields.md")
    out = tshark(["-G", "fields"]).stdout
    registered = {}
    for line in out.splitlines():
        cols = line.split("\t")
        if cols[0] == "F" and cols[2].startswith("ikediag."):
            registered[cols[2]] = cols[3]
    check(len(registered) >= 20, "tshark -G fields shows only %d ikediag fields: plugin not loaded?"
          % len(registered))

    documented, examples = {}, []
    for heading in ("Tracking fields", "Finding fields"):
        for cells in table_rows(doc, heading):
            name = code(cells[0])
            check(name, "%s: first cell is not a `field`: %r" % (heading, cells))
            documented[name] = cells[1]
            ex = code(cells[3])
            check(ex, "%s: %s has no example filter" % (heading, name))
            examples.append(ex)
    # Per-cause expert infos are documented with their cause (docs/diagnoses.md).
    for kw, ename, _sev, _rsev, _grp in cause_table():
        for name in ("ikediag.expert." + ename, "ikediag.expert.%s.info" % ename):
            if name in registered:
                documented[name] = registered[name]
    for cells in re.findall(r"^\| `(ikediag\.expert\.[a-z_.]+)` \| (FT_\w+) \| (\w+) \|", doc, re.M):
        documented[cells[0]] = cells[1]

    missing = sorted(set(registered) - set(documented))
    stale = sorted(set(documented) - set(registered))
    check(not missing, "registered but not in docs/fields.md: %s" % ", ".join(missing))
    check(not stale, "in docs/fields.md but not registered: %s" % ", ".join(stale))
    wrong = ["%s: doc %s, registered %s" % (n, documented[n], t)
             for n, t in sorted(registered.items()) if documented[n] != t]
    check(not wrong, "types differ: %s" % "; ".join(wrong))

    prefs = {}
    for line in tshark(["-G", "defaultprefs"]).stdout.splitlines():
        m = re.match(r"^#(ikediag\.\w+): (.*)$", line)
        if m:
            prefs[m.group(1)] = m.group(2)
    doc_prefs = {code(c[0]): c[1] for c in table_rows(doc, "Preferences")}
    check(prefs == doc_prefs, "preferences: registered %r, documented %r" % (prefs, doc_prefs))

    d, cap = lab("ikev2-proposal-mismatch-ss6-ss6")
    for ex in examples:
        res = tshark(["-Y", ex], d, cap, expect_rc=None)
        check(res.returncode == 0, "example filter %r does not compile: %s" % (ex, res.stderr.strip()))


# --------------------------------------------------------------- diagnoses

PARTS = ["On the wire", "Meaning", "strongSwan", "libreswan", "Cisco", "Without keys", "Keys"]


def case_diagnoses():
    doc = read("docs/diagnoses.md")
    entries = {}
    for m in re.finditer(r"^## `([a-z0-9-]+)`[^\n]*\n(.*?)(?=^## |\Z)", doc, re.M | re.S):
        check(m.group(1) not in entries, "two entries for %s" % m.group(1))
        entries[m.group(1)] = m.group(2)
    table = cause_table()
    keywords = [k for k, _, _, _, _ in table]
    missing = [k for k in keywords if k not in entries]
    stale = [k for k in entries if k not in keywords]
    check(not missing, "cause keywords without an entry in docs/diagnoses.md: %s" % ", ".join(missing))
    check(not stale, "entries in docs/diagnoses.md for unknown keywords: %s" % ", ".join(stale))
    for k, body in entries.items():
        for part in PARTS:
            check(re.search(r"^\*\*%s" % re.escape(part), body, re.M),
                  "entry %s has no '**%s…**' part" % (k, part))
    for kw, ename, sev, rsev, grp in table:
        want = ("**Expert info:** `ikediag.expert.%s` (%s) when it is a failure, "
                "`ikediag.expert.%s.info` (%s) otherwise; group %s." % (ename, sev, ename, rsev, grp))
        check(kw not in entries or want in entries[kw],
              "entry %s: expected the line %r (from causes.def)" % (kw, want))
    # Same order as the list, so a reader can follow causes.def.
    check(list(entries) == keywords, "entries not in causes.def order")


# ---------------------------------------------------------------- training

def frames_of(res_stdout):
    return [int(x) for x in res_stdout.split()]


def case_training():
    doc = read("docs/training.md")
    blocks = re.findall(r"^### Exercise (\d+)[^\n]*\n(.*?)(?=^### |^## |\Z)", doc, re.M | re.S)
    check(len(blocks) >= 8, "expected at least 8 exercises, found %d" % len(blocks))
    for num, body in blocks:
        cap = re.search(r"^Capture: `((?:test-captures|tests/keys)/[^`/]+)/`", body, re.M)
        keys = re.search(r"^Keys: `tools/ikediag-keys (.+)`$", body, re.M)
        flt = re.search(r"^Filter: `(.+)`$", body, re.M)
        ans = re.search(r"^Frames: ([0-9, ]+|none)$", body, re.M)
        two = re.search(r"^Passes: 2$", body, re.M)
        check(cap and flt and ans, "exercise %s lacks a Capture:, Filter: or Frames: line" % num)
        d = os.path.join(ARGS.repo, cap.group(1))
        capfile = os.path.join(d, "capture.pcap")
        check(os.path.exists(capfile), "exercise %s: no %s" % (num, capfile))
        if keys:
            # the key tables come from the daemon's log through ikediag-keys,
            # run as the exercise says, in the capture's directory
            d = os.path.join(ARGS.tmp, "training-keys-%s" % num)
            os.makedirs(d, exist_ok=True)
            words = [w.replace("DIR", d) for w in keys.group(1).split()]
            res = subprocess.run([os.path.join(ARGS.repo, "tools", "ikediag-keys")] + words,
                                 cwd=os.path.dirname(capfile), capture_output=True, text=True)
            check(res.returncode == 0, "exercise %s: ikediag-keys failed: %s" % (num, res.stderr))
            os.chmod(d, 0o755)
        args = (["-2"] if two else []) + ["-Y", flt.group(1), "-T", "fields", "-e", "frame.number"]
        got = frames_of(tshark(args, d, capfile).stdout)
        want = [] if ans.group(1) == "none" else [int(x) for x in ans.group(1).replace(" ", "").split(",")]
        check(got == want, "exercise %s (%s on %s): answer says %r, tshark gives %r"
              % (num, flt.group(1), cap.group(1), want, got))
        # A flow graph answer: the arrow at that frame of -z flow,ikediag
        # has that label (as far as tshark's 20 columns show it) and the
        # comment names its causes.
        for fnum, label in re.findall(r"^Flow arrow: frame (\d+) `(.+)`$", body, re.M):
            out = tshark(["-q", "-z", "flow,ikediag,network"], d, capfile).stdout
            lines = out.splitlines()
            hit = [i for i, ln in enumerate(lines) if re.search(r"\|frame %s(,|$)" % fnum, ln)]
            check(hit, "exercise %s: no flow graph arrow at frame %s" % (num, fnum))
            top = lines[hit[0]]
            shown = top[:top.rindex("|")].split("|")
            got_label = " ".join(x.strip() for x in shown[2:] if x.strip())
            check(got_label == label[:20], "exercise %s: flow arrow at frame %s is %r, answer says %r"
                  % (num, fnum, got_label, label))
            for cause in re.findall(r"\[([a-z0-9-]+)\]", label):
                check(cause in top[top.rindex("|"):], "exercise %s: flow arrow at frame %s: no %s in %r"
                      % (num, fnum, cause, top))


# ---------------------------------------------------------------- coloring

def case_coloring():
    text = read("docs/ikediag.colorfilters")
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = re.fullmatch(r"@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]", line)
        check(m, "not a colorfilters line: %r" % line)
        for v in m.groups()[2:]:
            check(0 <= int(v) <= 65535, "colour out of range in %r" % line)
        rules.append((m.group(1), m.group(2)))
    check(len(rules) >= 3, "expected at least 3 rules")
    d, cap = lab("ikev2-ts-mismatch-ss6-ss6")
    for name, flt in rules:
        res = tshark(["-Y", flt], d, cap, expect_rc=None)
        check(res.returncode == 0, "rule %r: filter does not compile: %s" % (name, res.stderr.strip()))
    # The first rule is the failure rule: it colours the TS_UNACCEPTABLE
    # answer (expected.txt: frame 4) and nothing in a clean negotiation.
    name, flt = rules[0]
    got = frames_of(tshark(["-Y", flt, "-T", "fields", "-e", "frame.number"], d, cap).stdout)
    check(4 in got, "rule %r does not colour frame 4 of ikev2-ts-mismatch: %r" % (name, got))
    d, cap = lab("ikev2-psk-ok-ss6-ss6")
    got = frames_of(tshark(["-Y", flt, "-T", "fields", "-e", "frame.number"], d, cap).stdout)
    check(got == [], "rule %r colours frames of a successful negotiation: %r" % (name, got))
    # Wireshark itself accepts the file: tshark --color reads colorfilters
    # from the profile; a broken file makes it complain on stderr.
    cfg = os.path.join(ARGS.tmp, "colorcfg")
    os.makedirs(cfg, exist_ok=True)
    with open(os.path.join(cfg, "colorfilters"), "w") as fh:
        fh.write(text)
    res = tshark(["--color", "-Y", flt], cfg, cap, expect_rc=None)
    check(res.returncode == 0 and "olor" not in res.stderr,
          "tshark --color with the file as profile colorfilters: rc %d %s" % (res.returncode, res.stderr))


CASES = {"fields": case_fields, "diagnoses": case_diagnoses, "training": case_training,
         "coloring": case_coloring}


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--plugin-dir", required=True)
    p.add_argument("--wrapper", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("--tmp", default=os.environ.get("TMPDIR", "/tmp"))
    p.add_argument("case", choices=sorted(CASES))
    ARGS = p.parse_args()
    try:
        CASES[ARGS.case]()
    except Failure as e:
        print("FAIL (%s): %s" % (ARGS.case, e))
        return 1
    print("PASS (%s)" % ARGS.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
