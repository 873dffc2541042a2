#!/usr/bin/env python3
"""Truncated captures: the healthy lab captures cut by a small snapshot length
(editcap -s 120 and -s 300: IKE messages lose their payloads).  Synthetic in
the sense that the cut is ours; the packets are the daemons'.

Checks, two passes with the capture's keys:
- no failure that the uncut capture does not have (same frame, same cause);
- every frame whose IKE message was cut carries the malformed note, and says
  how much was captured (a retransmission of it is not noted again);
- no finding claims that no key is configured (the keys are: what is missing
  is the rest of the message).
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ikdtest  # noqa: E402

FIELDS = ["frame.number", "frame.len", "frame.cap_len", "isakmp.ispi",
          "ikediag.cause", "ikediag.verdict", "ikediag.finding", "ikediag.retransmission_of"]


def findings(wrapper, plugin_dir, keys, capture):
    res = ikdtest.run_tshark(wrapper, plugin_dir, ["-2", "-T", "fields", "-E", "occurrence=a",
                                                  "-E", "aggregator=|"] +
                             sum((["-e", f] for f in FIELDS), []), keys=keys, capture=capture)
    rows = []
    for line in res.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        rows.append(dict(zip(FIELDS, cols)))
    return rows


def failures(rows):
    out = set()
    for r in rows:
        causes = r["ikediag.cause"].split("|") if r["ikediag.cause"] else []
        verdicts = r["ikediag.verdict"].split("|") if r["ikediag.verdict"] else []
        for c, v in zip(causes, verdicts):
            if v == "failure":
                out.add((r["frame.number"], c))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin-dir", required=True)
    ap.add_argument("--wrapper", required=True)
    ap.add_argument("--captures", required=True)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="ikediag-truncated-")
    os.chmod(work, 0o755)
    problems, runs, cut_frames = [], 0, 0
    try:
        for d in sorted(glob.glob(os.path.join(args.captures, "*-ok-*"))):
            caps = sorted(glob.glob(os.path.join(d, "capture.pcap*")))
            if not caps:
                continue
            name = os.path.basename(d)
            base = failures(findings(args.wrapper, args.plugin_dir, d, caps[0]))
            for snap in (120, 300):
                cut = os.path.join(work, "%s-s%d.pcapng" % (name, snap))
                subprocess.run(["editcap", "-s", str(snap), caps[0], cut], check=True,
                               stdout=subprocess.DEVNULL)
                os.chmod(cut, 0o644)
                rows = findings(args.wrapper, args.plugin_dir, d, cut)
                runs += 1
                for extra in sorted(failures(rows) - base):
                    problems.append("%s -s %d: frame %s: failure %s that the uncut capture does not have"
                                    % (name, snap, extra[0], extra[1]))
                for r in rows:
                    if "no key is configured" in r["ikediag.finding"]:
                        problems.append("%s -s %d: frame %s claims no key is configured: %s"
                                        % (name, snap, r["frame.number"], r["ikediag.finding"]))
                    try:
                        cut_ike = r["isakmp.ispi"] and int(r["frame.cap_len"]) < int(r["frame.len"])
                    except ValueError:
                        cut_ike = False
                    if not cut_ike or r["ikediag.retransmission_of"]:
                        continue
                    cut_frames += 1
                    if "malformed" not in r["ikediag.cause"].split("|") or \
                            "bytes captured" not in r["ikediag.finding"]:
                        problems.append("%s -s %d: frame %s is cut (%s of %s bytes) but has no malformed "
                                        "note saying so: causes '%s'" % (name, snap, r["frame.number"],
                                                                         r["frame.cap_len"], r["frame.len"],
                                                                         r["ikediag.cause"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("truncated: %d cut captures, %d cut IKE frames checked" % (runs, cut_frames))
    ikdtest.check(runs > 0 and cut_frames > 0, "no truncated capture was checked")
    for p in problems:
        print("FAIL " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ikdtest.Failure as e:
        print("FAIL %s" % e)
        sys.exit(1)
