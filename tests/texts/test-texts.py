#!/usr/bin/env python3
"""Finding sentences in every way of running tshark (issue 15).

A one-pass tshark that prints summary lines and no tree makes its findings
without their sentences (packet-ikediag.c, texts_wanted()): nobody reads
them there, and formatting them was most of ikediag's cost.  Everyone who
does read them must still get the same text.  Real lab captures, with and
without their keys; the reference is the one-pass -T fields run (a visible
tree, so the sentences are made):

- tshark -2 -T fields: the first pass builds no columns and its records are
  drawn again in the second pass: every sentence the reference has, at
  least (the second pass may add to it: "Recovered: ...");
- tshark -V (one pass): the "Finding:" lines are the reference's sentences;
- tshark -q -z expert: each sentence is the text of an expert info (cut at
  Wireshark's label length);
- a display filter on ikediag.finding, without -V: the frames whose
  sentences match;
- a display filter on _ws.expert or on an ikediag.expert field, without
  -V: every frame with a finding has its expert info;
- plain tshark -r: the summary lines (with their [IKE: cause] tags) are the
  same as in a run that references ikediag.finding, which makes the texts.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ikdtest  # noqa: E402

CAPTURES = [
    ("ikev1-psk-mismatch-ss6-ss6", True), ("ikev1-psk-mismatch-ss6-ss6", False),
    ("ikev1-proposal-mismatch-ss6-ss6", True), ("ikev1-nat-ok-ss6-ss6", True),
    ("ikev1-xauth-wrong-password-vpnc-ss6", True), ("ikev2-dh-invalid-ke-ss6-ss6", True),
    ("ikev2-cert-expired-ss6-ss6", True), ("ikev2-cert-expired-ss6-ss6", False),
    ("ikev2-child-proposal-mismatch-ss6-ss6", True), ("ikev2-esp-one-way-ss6-ss6", False),
]
FIELDS = ["frame.number", "ikediag.cause", "ikediag.finding", "ikediag.hint"]
LABEL_MAX = 239                 # ITEM_LABEL_LENGTH - 1: an expert info's text is cut there


def rows(wrapper, plugin_dir, keys, capture, extra):
    res = ikdtest.run_tshark(wrapper, plugin_dir, extra + ["-T", "fields", "-E", "occurrence=a",
                                                           "-E", "aggregator=\x1f"] +
                             sum((["-e", f] for f in FIELDS), []), keys=keys, capture=capture)
    out = {}
    for line in res.stdout.splitlines():
        cols = line.split("\t") + [""] * len(FIELDS)
        causes = cols[1].split("\x1f") if cols[1] else []
        texts = cols[2].split("\x1f") if cols[2] else []
        out[cols[0]] = list(zip(causes, texts))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin-dir", required=True)
    ap.add_argument("--wrapper", required=True)
    ap.add_argument("--captures", required=True)
    args = ap.parse_args()

    problems, checked = [], 0
    for name, with_keys in CAPTURES:
        d = os.path.join(args.captures, name)
        caps = sorted(f for f in os.listdir(d) if f.startswith("capture.pcap"))
        cap = os.path.join(d, caps[0])
        keys = d if with_keys else "-"
        tag = "%s (%s)" % (name, "keys" if with_keys else "no keys")
        ref = rows(args.wrapper, args.plugin_dir, keys, cap, [])
        sentences = [t for fr in sorted(ref, key=int) for _, t in ref[fr]]
        if not sentences:
            problems.append("%s: no finding at all, so this capture tests nothing" % tag)
            continue
        checked += len(sentences)

        two = rows(args.wrapper, args.plugin_dir, keys, cap, ["-2"])
        for fr, found in ref.items():
            later = dict(two.get(fr, []))
            for cause, text in found:
                if cause in later and not later[cause].startswith(text):
                    problems.append("%s: frame %s, %s: -2 says %r, one pass %r" %
                                    (tag, fr, cause, later[cause][:120], text[:120]))

        verbose = ikdtest.run_tshark(args.wrapper, args.plugin_dir, ["-V"], keys=keys, capture=cap).stdout
        # generated items print in brackets, long labels cut: "[Finding [truncated]: ...]"
        # up to 4.0, "[Finding […]: ...…]" from 4.2 on
        shown = [(cut, text.rstrip("\u2026") if cut else text)
                 for cut, text in re.findall(r"^\s+\[Finding( \[[^\]]*\])?: (.*)\]$", verbose, re.M)]
        if len(shown) != len(sentences):
            problems.append("%s: -V shows %d findings, not the %d of -T fields" % (tag, len(shown), len(sentences)))
        for (cut, text), want in zip(shown, sentences):
            if not (want.startswith(text) if cut else want == text) or len(text) < min(len(want), 200):
                problems.append("%s: -V shows %r for %r" % (tag, text[:100], want[:100]))

        # not -q: with summary lines printed, only the tap asks for the texts
        expert = ikdtest.run_tshark(args.wrapper, args.plugin_dir, ["-z", "expert"],
                                    keys=keys, capture=cap).stdout
        for text in sentences:
            if text[:LABEL_MAX] not in expert:
                problems.append("%s: -z expert lacks %r" % (tag, text[:100]))

        # a display filter on the text: the sentences are made for it (the
        # titles they would fall back to name no frame)
        want = sorted((fr for fr in ref if any("frame" in t for _, t in ref[fr])), key=int)
        got = ikdtest.run_tshark(args.wrapper, args.plugin_dir, ["-Y", 'ikediag.finding contains "frame"',
                                                                "-T", "fields", "-e", "frame.number"],
                                 keys=keys, capture=cap).stdout.split()
        summary = ikdtest.run_tshark(args.wrapper, args.plugin_dir, ["-Y", 'ikediag.finding contains "frame"'],
                                     keys=keys, capture=cap).stdout.splitlines()
        if got != want or len(summary) != len(want):
            problems.append("%s: -Y 'ikediag.finding contains \"frame\"' shows frames %s (%d summary lines), "
                            "the sentences say %s" % (tag, got, len(summary), want))

        # expert infos are left out only where nobody collects them: a
        # filter on _ws.expert, or on an ikediag.expert field, finds them
        want = sorted((fr for fr in ref if ref[fr]), key=int)
        ei = "ikediag.expert.%s" % ref[want[0]][0][0].replace("-", "_")
        for flt in ("_ws.expert and ikediag.cause", "%s or %s.info" % (ei, ei)):
            got = ikdtest.run_tshark(args.wrapper, args.plugin_dir, ["-Y", flt],
                                     keys=keys, capture=cap).stdout.splitlines()
            n = len(want) if flt.startswith("_ws") else None
            if (n is not None and len(got) != n) or not got:
                problems.append("%s: -Y '%s' shows %d frames, findings are on %s" % (tag, flt, len(got), want))

        plain = ikdtest.run_tshark(args.wrapper, args.plugin_dir, [], keys=keys, capture=cap).stdout
        texts_on = ikdtest.run_tshark(args.wrapper, args.plugin_dir, ["-Y", "frame or ikediag.finding"],
                                      keys=keys, capture=cap).stdout
        if plain != texts_on:
            problems.append("%s: the summary lines of plain -r differ from those of a run that makes the texts"
                            % tag)
    for p in problems:
        print("FAIL " + p)
    print("%d captures, %d sentences checked in -2, -V, -z expert and summary runs: %d problems"
          % (len(CAPTURES), checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
