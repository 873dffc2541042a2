#!/usr/bin/env python3
"""Tests of ikediag's analyst surfaces through real tshark:

  -z ikediag,sa / -z ikediag,tree on the lab captures (test-captures/) and on
  Wireshark's own test captures (../shared, skipped when absent); a bad -z
  argument; the ikediag fields in -T ek and -T json output.

  test-stats.py --plugin-dir DIR --wrapper tests/lib/tshark-nobody.sh \
      --captures test-captures [--shared ../shared] CASE

Each CASE asserts specific values on specific captures.  What the lead may
still refine (extra notes on an SA, wording) is not asserted; what the
scenario is about (the SA's outcome, the cause expected.txt puts on its
frame) is.  Exit 77 = skipped (ctest SKIP_RETURN_CODE).
"""

import argparse
import json
import os
import re
import subprocess
import sys

SKIP = 77
ARGS = None


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from ikdtest import Failure, check, run_tshark  # noqa: E402


def tshark(args, keys="-", capture=None, expect_rc=0):
    return run_tshark(ARGS.wrapper, ARGS.plugin_dir, args, keys, capture, expect_rc)


def lab(name):
    d = os.path.join(ARGS.captures, name)
    for f in ("capture.pcap", "capture.pcapng"):
        if os.path.exists(os.path.join(d, f)):
            return d, os.path.join(d, f)
    raise Failure("no capture in %s" % d)


# ------------------------------------------------------------ output parsers

SA_COLS = ["sa", "peers", "version", "mode", "outcome", "first", "last", "retrans", "causes"]


def parse_sa_table(text):
    """-z ikediag,sa output -> (filter, [row dict])"""
    lines = text.splitlines()
    try:
        start = lines.index("IKE SAs (ikediag)")
    except ValueError:
        raise Failure("no 'IKE SAs (ikediag)' table in:\n" + text)
    filt = lines[start + 1]
    check(filt.startswith("Filter: "), "no Filter line: %r" % filt)
    count = lines[start + 2]
    check(count.startswith("IKE SAs: "), "no count line: %r" % count)
    header = lines[start + 4]
    check(re.split(r"\s{2,}", header.strip()) ==
          ["SA", "Initiator -> Responder", "Version", "Mode", "Outcome", "First", "Last",
           "Retrans", "Causes"], "unexpected header %r" % header)
    rows = []
    for line in lines[start + 5:]:
        if line.startswith("====="):
            break
        cols = re.split(r"\s{2,}", line.strip())
        check(len(cols) == len(SA_COLS), "bad row %r" % line)
        row = dict(zip(SA_COLS, cols))
        for k in ("sa", "first", "last", "retrans"):
            row[k] = int(row[k])
        row["causes"] = [] if row["causes"] == "-" else row["causes"].split(", ")
        rows.append(row)
    check(int(count.split(": ")[1]) == len(rows), "count line disagrees with rows")
    return filt[len("Filter: "):], rows


def parse_tree(text):
    """-z ikediag,tree output -> {"Parent/child/...": count}"""
    lines = text.splitlines()
    try:
        start = lines.index("IKE Diagnostics (ikediag):")
    except ValueError:
        raise Failure("no 'IKE Diagnostics (ikediag):' tree in:\n" + text)
    out, path = {}, []
    for line in lines[start + 3:]:
        if line.startswith("-----"):
            break
        m = re.match(r"^( *)(\S.*?)\s{2,}(\d+)\s", line)
        if not m:
            continue
        depth = len(m.group(1))
        path = path[:depth] + [m.group(2)]
        out["/".join(path)] = int(m.group(3))
    return out


def the_row(rows, sa):
    for r in rows:
        if r["sa"] == sa:
            return r
    raise Failure("no row for IKE SA %d in %r" % (sa, rows))


# ------------------------------------------------------------------- cases

def case_sa_lab():
    # IKEv2 proposal mismatch: one SA, refused in frame 2 (expected.txt).
    d, cap = lab("ikev2-proposal-mismatch-ss6-ss6")
    filt, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], d, cap).stdout)
    check(filt == "<none>", "filter shown as %r" % filt)
    check(len(rows) == 1, "expected 1 IKE SA, got %r" % rows)
    r = rows[0]
    check(r["peers"] == "198.51.100.10 -> 203.0.113.20", "peers %r" % r["peers"])
    check(r["version"] == "IKEv2" and r["mode"] == "-", "version/mode %r %r" % (r["version"], r["mode"]))
    check(r["outcome"] == "failed", "outcome %r" % r["outcome"])
    check(r["causes"][:1] == ["ike-proposal-mismatch"], "causes %r" % r["causes"])
    check((r["first"], r["last"], r["retrans"]) == (1, 2, 0), "frames/retrans %r" % r)

    # A success: established, no failure cause.
    d, cap = lab("ikev2-psk-ok-ss6-ss6")
    _, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], d, cap).stdout)
    check(len(rows) == 1 and rows[0]["outcome"] == "established", "psk-ok: %r" % rows)
    check(rows[0]["first"] == 1, "psk-ok first frame %r" % rows[0])

    # IKEv1 Aggressive Mode with PSK: mode column, warning cause, established.
    d, cap = lab("ikev1-aggressive-psk-ok-ss6-ss6")
    _, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], d, cap).stdout)
    r = the_row(rows, 1)
    check(r["version"] == "IKEv1" and r["mode"] == "Aggressive Mode", "AM: %r" % r)
    check(r["outcome"] == "established", "AM outcome %r" % r["outcome"])
    check("aggressive-mode-psk" in r["causes"], "AM causes %r" % r["causes"])

    # INVALID_KE_PAYLOAD then a successful retry: a recovered cause on an
    # established SA.
    d, cap = lab("ikev2-dh-invalid-ke-ss6-ss6")
    _, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], d, cap).stdout)
    r = the_row(rows, 1)
    check(r["outcome"] == "established" and "dh-group-mismatch" in r["causes"], "INVALID_KE: %r" % r)

    # Retransmissions counted; no-response (expected.txt: frame 4).
    d, cap = lab("ikev2-no-response-ss6-ss6")
    _, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], d, cap).stdout)
    r = the_row(rows, 1)
    check(r["outcome"] == "failed" and r["causes"][:1] == ["no-response"], "no-response: %r" % r)
    check((r["first"], r["last"], r["retrans"]) == (1, 4, 3), "no-response frames %r" % r)

    # Two IKE SAs (the initiator retries), rows sorted by SA number, and a
    # display filter limits the table to the SAs of the matching frames.
    d, cap = lab("ikev2-proposal-mismatch-ls-ss6")
    _, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], d, cap).stdout)
    check([r["sa"] for r in rows] == [1, 2], "two SAs sorted: %r" % rows)
    check(all(r["outcome"] == "failed" and "ike-proposal-mismatch" in r["causes"] for r in rows),
          "both refused: %r" % rows)
    check(rows[0]["last"] < rows[1]["first"], "SA 2 starts after SA 1: %r" % rows)
    filt, rows2 = parse_sa_table(tshark(["-q", "-z", "ikediag,sa,frame.number >= %d" % rows[1]["first"]],
                                        d, cap).stdout)
    check(filt == "frame.number >= %d" % rows[1]["first"], "filter line %r" % filt)
    check([r["sa"] for r in rows2] == [2], "filtered table: %r" % rows2)


def case_sa_final():
    # End-of-capture conclusions in a single pass: with the threshold above
    # the 3 retransmissions in the capture, no frame carries no-response in
    # one pass, but the SA table is drawn after the whole file was read and
    # must say failed / no-response, exactly as with -2.
    d, cap = lab("ikev2-no-response-ss6-ss6")
    pref = ["-o", "ikediag.no_response_retransmits:10"]
    frames = tshark(pref + ["-T", "fields", "-e", "ikediag.cause"], d, cap).stdout
    check("no-response" not in frames, "threshold 10 should keep one pass quiet: %r" % frames)
    one = tshark(pref + ["-q", "-z", "ikediag,sa", "-z", "ikediag,tree"], d, cap).stdout
    two = tshark(pref + ["-2", "-q", "-z", "ikediag,sa", "-z", "ikediag,tree"], d, cap).stdout
    _, rows = parse_sa_table(one)
    check(rows[0]["outcome"] == "failed" and rows[0]["causes"][:1] == ["no-response"], "one pass: %r" % rows)
    check(parse_sa_table(one) == parse_sa_table(two), "one pass and -2 differ:\n%s\n%s" % (one, two))
    check(parse_tree(one) == parse_tree(two), "tree: one pass and -2 differ:\n%s\n%s" % (one, two))
    # Stable: the same run twice gives the same bytes.
    again = tshark(pref + ["-q", "-z", "ikediag,sa", "-z", "ikediag,tree"], d, cap).stdout
    check(one == again, "output not stable between runs")


def case_tree_lab():
    d, cap = lab("ikev2-proposal-mismatch-ss6-ss6")
    t = parse_tree(tshark(["-q", "-z", "ikediag,tree"], d, cap).stdout)
    check(t.get("IKE SAs by outcome") == 1, "SA total %r" % t)
    check(t.get("IKE SAs by outcome/failed") == 1, "failed %r" % t)
    for o in ("established", "child-failed", "incomplete", "unknown (encrypted)"):
        check(t.get("IKE SAs by outcome/" + o) == 0, "%s should be 0: %r" % (o, t))
    check(t.get("Findings by cause/ike-proposal-mismatch") == 1, "cause count %r" % t)
    check(t.get("IKE SAs by peers/198.51.100.10 -> 203.0.113.20") == 1, "peer %r" % t)
    check(t.get("IKE SAs by peers/198.51.100.10 -> 203.0.113.20/failed") == 1, "peer outcome %r" % t)

    # Two refused SAs between the same peers.
    d, cap = lab("ikev2-proposal-mismatch-ls-ss6")
    t = parse_tree(tshark(["-q", "-z", "ikediag,tree"], d, cap).stdout)
    check(t.get("IKE SAs by outcome/failed") == 2, "two failed %r" % t)
    check(t.get("Findings by cause/ike-proposal-mismatch", 0) >= 2, "two refusals %r" % t)
    check(t.get("IKE SAs by peers/198.51.100.10 -> 203.0.113.20/failed") == 2, "peer %r" % t)

    # Sorted by name whatever the counts: causes in alphabetical order.
    d, cap = lab("ikev2-dh-invalid-ke-ss6-ls")
    out = tshark(["-q", "-z", "ikediag,tree"], d, cap).stdout
    t = parse_tree(out)
    causes = [k.split("/", 1)[1] for k in t if k.startswith("Findings by cause/")]
    check(causes == sorted(causes), "causes not sorted: %r" % causes)
    check("dh-group-mismatch" in causes, "dh-group-mismatch missing: %r" % causes)
    # A tree filter counts only the SAs with matching frames.
    t = parse_tree(tshark(["-q", "-z", "ikediag,tree,ikediag.cause == \"no-such-cause\""], d, cap).stdout)
    check(t.get("IKE SAs by outcome") == 0, "filtered-out tree should count 0 SAs: %r" % t)


def case_bad_arg():
    d, cap = lab("ikev2-psk-ok-ss6-ss6")
    for arg in ("ikediag,foo", "ikediag", "ikediag,sabc"):
        res = tshark(["-q", "-z", arg], d, cap, expect_rc=None)
        check(res.returncode != 0, "-z %s should fail, exit %d" % (arg, res.returncode))
        check('invalid -z argument "%s"' % arg in res.stderr, "-z %s: message %r" % (arg, res.stderr))
        check("-z ikediag,sa" in res.stderr and "-z ikediag,tree" in res.stderr,
              "-z %s: the message should list what exists: %r" % (arg, res.stderr))
        check("IKE_SA_INIT" not in res.stdout, "-z %s: packets printed anyway" % arg)
    res = tshark(["-q", "-z", "ikediag,sa,ip.addr ==="], d, cap, expect_rc=None)
    check(res.returncode != 0 and "ikediag,sa" in res.stderr, "bad filter: %r" % res.stderr)
    # Both statistics are listed by -z help.
    res = tshark(["-z", "help"], expect_rc=None)
    check("ikediag,sa" in res.stderr and "ikediag,tree" in res.stderr, "-z help: %r" % res.stderr[-400:])


def wireshark_capture(name):
    shared = ARGS.shared
    base = os.path.join(ARGS.tests_dir, "wireshark-tests", name)
    with open(os.path.join(base, "CAPTURE")) as fh:
        cap = os.path.join(shared, "captures", "wireshark-tests", fh.read().strip())
    return base, cap


def case_wireshark():
    if not ARGS.shared or not os.path.isdir(os.path.join(ARGS.shared, "captures", "wireshark-tests")):
        print("SKIP: ../shared/captures/wireshark-tests is absent")
        return SKIP
    # IKEv2 with keys: established; without keys the IKE_AUTH answer cannot
    # be read and the outcome says so.
    keys, cap = wireshark_capture("ikev2-decrypt-aes256cbc")
    _, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], keys, cap).stdout)
    r = the_row(rows, 1)
    check(r["outcome"] == "established" and r["version"] == "IKEv2", "aes256cbc with keys: %r" % r)
    check(r["peers"] == "192.168.1.2 -> 192.168.1.14", "peers %r" % r["peers"])
    _, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], "-", cap).stdout)
    r = the_row(rows, 1)
    check(r["outcome"] == "unknown (encrypted)", "aes256cbc without keys: %r" % r)
    t = parse_tree(tshark(["-q", "-z", "ikediag,tree"], "-", cap).stdout)
    check(t.get("IKE SAs by outcome/unknown (encrypted)") == 1, "tree without keys %r" % t)

    # IKEv1 Main Mode with certificates, decrypted: established.
    keys, cap = wireshark_capture("ikev1-certs")
    _, rows = parse_sa_table(tshark(["-q", "-z", "ikediag,sa"], keys, cap).stdout)
    r = the_row(rows, 1)
    check(r["version"] == "IKEv1" and r["mode"] == "Main Mode" and r["outcome"] == "established",
          "ikev1-certs: %r" % r)
    t = parse_tree(tshark(["-q", "-z", "ikediag,tree"], keys, cap).stdout)
    check(t.get("IKE SAs by outcome/established") == 1, "ikev1-certs tree %r" % t)


def case_ek_json():
    # The ikediag fields travel in -T ek (one JSON document per line, for
    # Elasticsearch/OpenSearch _bulk) and -T json, on the frame that
    # carries the finding (expected.txt: frame 2).
    d, cap = lab("ikev2-proposal-mismatch-ss6-ss6")
    out = tshark(["-T", "ek"], d, cap).stdout
    docs = [json.loads(l) for l in out.splitlines() if l.strip()]
    packets = [x for x in docs if "layers" in x]
    check(len(packets) == 2, "ek: expected 2 packet documents, got %d" % len(packets))
    check(all("index" in docs[i] for i in range(0, len(docs), 2)), "ek: bulk index lines missing")
    lay = packets[1]["layers"]
    check("ikediag" in lay, "ek: no ikediag layer in frame 2: %r" % list(lay))
    ik = lay["ikediag"]

    def ek(layer, field):
        # ikediag.cause is "ikediag_ikediag_cause" in 4.0's ek output; accept
        # the shorter spellings other versions may use.
        for k in ("ikediag_ikediag_" + field, "ikediag_" + field, "ikediag." + field):
            if k in layer:
                v = layer[k]
                return v[0] if isinstance(v, list) and len(v) == 1 else v
        return None

    check(ek(ik, "cause") == "ike-proposal-mismatch", "ek: ikediag.cause in frame 2: %r" % ik)
    check(str(ek(ik, "sa")) == "1", "ek: ikediag.sa %r" % ik)
    check(ek(ik, "failure") in (True, "1", "true"), "ek: ikediag.failure: %r" % ik)
    check(ek(packets[0]["layers"].get("ikediag", {}), "cause") is None, "ek: frame 1 carries no finding")

    out = tshark(["-T", "json"], d, cap).stdout
    pk = json.loads(out)
    check(len(pk) == 2, "json: 2 packets expected")
    ik = pk[1]["_source"]["layers"].get("ikediag")
    check(ik is not None, "json: no ikediag in frame 2")

    def find(obj, key):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == key:
                    yield v
                yield from find(v, key)
        elif isinstance(obj, list):
            for v in obj:
                yield from find(v, key)

    check("ike-proposal-mismatch" in list(find(ik, "ikediag.cause")), "json: ikediag.cause %r" % ik)
    check(list(find(ik, "ikediag.sa")) == ["1"], "json: ikediag.sa %r" % ik)
    check(list(find(ik, "ikediag.exchange")) == ["IKE_SA_INIT"], "json: ikediag.exchange %r" % ik)
    # -j / -J select protocols for json: ikediag alone still works.
    out = tshark(["-T", "json", "-J", "ikediag"], d, cap).stdout
    check("ikediag.cause" in out, "json -J ikediag lost the fields")


def case_prefs():
    # Each preference of Edit > Preferences > Protocols > IKEDIAG changes
    # what ikediag reports (docs/fields.md, "Preferences").
    def causes(d, cap, extra):
        out = tshark(extra + ["-Y", "ikediag.cause", "-T", "fields", "-e", "frame.number",
                              "-e", "ikediag.cause"], d, cap).stdout
        return [tuple(l.split("\t")) for l in out.splitlines()]

    # no_response_retransmits: the finding moves with the threshold; above
    # the 3 retransmissions of the capture only -2 reports it (end of file).
    d, cap = lab("ikev2-no-response-ss6-ss6")
    check(causes(d, cap, []) == [("4", "no-response")], "default threshold: %r" % causes(d, cap, []))
    got = causes(d, cap, ["-o", "ikediag.no_response_retransmits:2"])
    check(got == [("3", "no-response")], "threshold 2: %r" % got)
    got = causes(d, cap, ["-o", "ikediag.no_response_retransmits:10"])
    check(got == [], "threshold 10, one pass: %r" % got)
    got = causes(d, cap, ["-2", "-o", "ikediag.no_response_retransmits:10"])
    check(got == [("4", "no-response")], "threshold 10, -2: %r" % got)

    # weak_crypto: off removes the weak-crypto findings (3DES chosen).
    d, cap = lab("ikev2-weak-crypto-ss6-ss6")
    on = [c for _, c in causes(d, cap, [])]
    check("weak-crypto" in on, "weak-crypto expected by default: %r" % on)
    off = [c for _, c in causes(d, cap, ["-o", "ikediag.weak_crypto:FALSE"])]
    check("weak-crypto" not in off, "weak_crypto:FALSE still reports it: %r" % off)

    # info_tags: the [IKE: <cause>] tag, in the summary line (no tree) and
    # in the Info column field (tree); off removes it, the finding stays.
    d, cap = lab("ikev2-proposal-mismatch-ss6-ss6")
    tag = "[IKE: ike-proposal-mismatch]"
    plain = tshark([], d, cap).stdout.splitlines()
    check(tag in plain[1] and tag not in plain[0], "summary lines: %r" % plain)
    # (-e _ws.col.Info is not checked: from Wireshark 4.4 on that field is
    # filled before post-dissectors run, so no post-dissector's column text
    # is in it; docs/fields.md says so.)
    plain = tshark(["-o", "ikediag.info_tags:FALSE"], d, cap).stdout
    check("[IKE:" not in plain, "info_tags:FALSE still tags: %r" % plain)
    got = causes(d, cap, ["-o", "ikediag.info_tags:FALSE"])
    check(got == [("2", "ike-proposal-mismatch")], "info_tags:FALSE lost the finding: %r" % got)

    # report_deletes: off by default (every orderly teardown ends with a
    # Delete); on, the initiator's Delete of the IKE SA gets its note.
    d, cap = lab("ikev2-psk-ok-ss6-ss6")
    check(causes(d, cap, []) == [], "deletes reported by default: %r" % causes(d, cap, []))
    got = causes(d, cap, ["-o", "ikediag.report_deletes:TRUE"])
    check(got == [("11", "sa-deleted")], "report_deletes:TRUE: %r" % got)

    # esp_one_way_packets: the finding moves with the count of one-way ESP
    # packets; above what the capture holds, one pass reports nothing.
    d, cap = lab("ikev2-esp-one-way-ss6-ss6")
    check(causes(d, cap, []) == [("8", "esp-one-way")], "default count: %r" % causes(d, cap, []))
    got = causes(d, cap, ["-o", "ikediag.esp_one_way_packets:2"])
    check(got == [("7", "esp-one-way")], "count 2: %r" % got)
    got = causes(d, cap, ["-o", "ikediag.esp_one_way_packets:8"])
    check(got == [], "count 8, one pass: %r" % got)


CASES = {
    "sa-lab": case_sa_lab,
    "sa-final": case_sa_final,
    "tree-lab": case_tree_lab,
    "bad-arg": case_bad_arg,
    "wireshark": case_wireshark,
    "ek-json": case_ek_json,
    "prefs": case_prefs,
}


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--plugin-dir", required=True)
    p.add_argument("--wrapper", required=True)
    p.add_argument("--captures", required=True)
    p.add_argument("--tests-dir", required=True, help="the repository's tests/ directory")
    p.add_argument("--shared", default="")
    p.add_argument("case", choices=sorted(CASES))
    ARGS = p.parse_args()
    try:
        rc = CASES[ARGS.case]()
    except Failure as e:
        print("FAIL (%s): %s" % (ARGS.case, e))
        return 1
    if rc == SKIP:
        return SKIP
    print("PASS (%s)" % ARGS.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
