#!/usr/bin/env python3
"""The IKE ladder in the flow graph (plugin/flow.c), through real tshark.

Each CASE reads the text graph tshark prints for -z flow,ikediag,network
(and ,standard, which must draw the same arrows on these IP captures) on a
real lab capture and checks specific arrows: at which frame, which way,
what the label says and what the comment says (frame, IKE SA, causes, ESP
counts).  tshark's text graph cuts a label to the 20 columns between two
nodes, so a label is compared on what tshark shows of it; the causes are
also in the comment, which is printed whole.

  ikev2-failure   ikev2-psk-mismatch-ss6-ss6: IKE_AUTH response [psk-mismatch]
  ikev1-esp       ikev1-psk-ok-ss6-ss6: MM1..MM6, QM1..QM3, one ESP arrow per
                  SPI and direction with its packet count (not one per packet)
  icmp            ikev2-no-response-icmp-ss6-none: one arrow per ICMP error,
                  from the responder, the first with no-response
  esp-one-way     ikev2-esp-one-way-ss6-ss6: the finding of a later ESP packet
                  on its SPI's one arrow

  test-flow.py --plugin-dir DIR --wrapper tests/lib/tshark-nobody.sh --captures DIR CASE
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from ikdtest import Failure, check, run_tshark  # noqa: E402

ARGS = None
WIDTH = 20          # tshark: NODE_CHARS_WIDTH, the columns between two nodes


def lab(name):
    d = os.path.join(ARGS.captures, name)
    for f in ("capture.pcap", "capture.pcapng"):
        if os.path.exists(os.path.join(d, f)):
            return d, os.path.join(d, f)
    raise Failure("no capture in %s" % d)


def parse_graph(text):
    """[{frame, label, comment, src, dst, sport, dport}] from tshark's text graph."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    check(len(lines) >= 4, "no flow graph in tshark's output:\n%s" % text)
    check(lines[0].startswith("|Time") or lines[0].startswith("Conv.|"),
          "not a flow graph header: %r" % lines[0])
    header_len = 16 if lines[0].startswith("Conv.|") else 10
    # Node names: first header line holds the even nodes, the second the odd.
    nodes = {}
    for row in (0, 1):
        for m in re.finditer(r"\| (\S+)", lines[row][header_len:]):
            pos = header_len + m.start()
            nodes[(pos - header_len) // WIDTH] = m.group(1)
    arrows = []
    body = lines[2:]
    check(len(body) % 2 == 0, "odd number of graph lines")
    for i in range(0, len(body), 2):
        top, arrow = body[i], body[i + 1]
        # The comment follows the graph's last "|" (a time of 100 s or more
        # overflows its column and shifts the rest of the line).
        cut = top.rindex("|")
        comment = top[cut + 1:]
        label = top[header_len:cut].replace("|", " ").strip()
        m = re.search(r"[<-]-*[->]", arrow[header_len:])
        check(m, "no arrow in %r" % arrow)
        left = m.start() // WIDTH
        right = (m.end() - 1) // WIDTH
        rightward = arrow[header_len + m.end() - 1] == ">"
        src, dst = (nodes.get(left), nodes.get(right + 1 if right == left else right))
        if not rightward:
            src, dst = dst, src
        ports = [int(p) for p in re.findall(r"\((\d+)\)", arrow)]
        fm = re.match(r"frame (\d+)", comment)
        check(fm, "comment does not start with the frame: %r" % comment)
        arrows.append({"frame": int(fm.group(1)), "label": label, "comment": comment,
                       "src": src, "dst": dst, "ports": ports})
    return arrows


def graph(scenario, mode="network", two_pass=False):
    d, cap = lab(scenario)
    args = (["-2"] if two_pass else []) + ["-q", "-z", "flow,ikediag,%s" % mode]
    res = run_tshark(ARGS.wrapper, ARGS.plugin_dir, args, d, cap)
    return parse_graph(res.stdout)


def shown(label):
    """What tshark shows of a label: its first 20 characters."""
    return label[:WIDTH]


def expect(arrows, frame, label, src, dst, comment=None):
    got = [a for a in arrows if a["frame"] == frame]
    check(len(got) == 1, "expected one arrow at frame %d, found %d: %r" % (frame, len(got), got))
    a = got[0]
    check(a["label"] == shown(label), "frame %d: label %r, expected %r" % (frame, a["label"], shown(label)))
    check((a["src"], a["dst"]) == (src, dst),
          "frame %d: arrow %s -> %s, expected %s -> %s" % (frame, a["src"], a["dst"], src, dst))
    if comment is not None:
        check(re.search(comment, a["comment"]), "frame %d: comment %r does not match %r"
              % (frame, a["comment"], comment))
    return a


def same_in_both_modes(scenario):
    net = graph(scenario, "network")
    std = graph(scenario, "standard")
    check([(a["frame"], a["label"], a["src"], a["dst"]) for a in net]
          == [(a["frame"], a["label"], a["src"], a["dst"]) for a in std],
          "-z flow,ikediag,network and ,standard draw different arrows on %s" % scenario)
    frames = [a["frame"] for a in net]
    check(frames == sorted(frames), "arrows not in frame order: %r" % frames)
    return net


I, R = "198.51.100.10", "203.0.113.20"


def case_ikev2_failure():
    g = same_in_both_modes("ikev2-psk-mismatch-ss6-ss6")
    check([a["frame"] for a in g] == [1, 2, 3, 4], "arrows at frames %r" % [a["frame"] for a in g])
    expect(g, 1, "IKE_SA_INIT request", I, R, r"^frame 1, IKE SA 1$")
    expect(g, 2, "IKE_SA_INIT response", R, I)
    expect(g, 3, "IKE_AUTH request", I, R)
    a = expect(g, 4, "IKE_AUTH response [psk-mismatch]", R, I, r"^frame 4, IKE SA 1: psk-mismatch$")
    check(a["ports"] == [4500, 4500], "frame 4: ports %r" % a["ports"])


def case_ikev1_esp():
    g = same_in_both_modes("ikev1-psk-ok-ss6-ss6")
    for n in range(1, 7):
        expect(g, n, "MM%d" % n, I if n % 2 else R, R if n % 2 else I, r"^frame %d, IKE SA 1$" % n)
    for n in range(1, 4):
        expect(g, 6 + n, "QM%d" % n, I if n % 2 else R, R if n % 2 else I)
    # Six ESP packets (frames 10-15), two SPIs: two arrows, not six.
    esp = [a for a in g if a["label"].startswith("ESP")]
    check(len(esp) == 2, "expected 2 ESP arrows (one per SPI and direction), got %d: %r" % (len(esp), esp))
    expect(g, 10, "ESP SPI 0x0f33eecc", I, R, r"^frame 10, IKE SA 1: 3 ESP packets, frames 10-14$")
    expect(g, 11, "ESP SPI 0x4e6d6f46", R, I, r"^frame 11, IKE SA 1: 3 ESP packets, frames 11-15$")
    expect(g, 16, "Informational", I, R)


def case_icmp():
    g = same_in_both_modes("ikev2-no-response-icmp-ss6-none")
    check([a["frame"] for a in g] == list(range(1, 9)), "arrows at frames %r" % [a["frame"] for a in g])
    for n in (1, 3, 5, 7):
        expect(g, n, "IKE_SA_INIT request", I, R)
    expect(g, 2, "ICMP (IKE_SA_INIT) [no-response]", R, I,
           r"^frame 2, IKE SA 1, Destination unreachable \(Port unreachable\): no-response$")
    for n in (4, 6, 8):
        expect(g, n, "ICMP (IKE_SA_INIT)", R, I, r"^frame %d, IKE SA 1, Destination unreachable" % n)


def case_esp_one_way():
    g = same_in_both_modes("ikev2-esp-one-way-ss6-ss6")
    esp = [a for a in g if a["label"].startswith("ESP")]
    check(len(esp) == 1, "expected one ESP arrow (no ESP comes back), got %r" % esp)
    expect(g, 5, "ESP SPI 0x57b4af9b [esp-one-way]", I, R,
           r"^frame 5, IKE SA 1: 4 ESP packets, frames 5-8; esp-one-way in frame 8$")
    expect(g, 9, "INFORMATIONAL request", I, R)
    expect(g, 10, "INFORMATIONAL response", R, I)


CASES = {"ikev2-failure": case_ikev2_failure, "ikev1-esp": case_ikev1_esp, "icmp": case_icmp,
         "esp-one-way": case_esp_one_way}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin-dir", required=True)
    ap.add_argument("--wrapper", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("case", choices=sorted(CASES))
    ARGS = ap.parse_args()
    try:
        CASES[ARGS.case]()
    except Failure as e:
        print("FAIL %s: %s" % (ARGS.case, e))
        return 1
    print("ok %s" % ARGS.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
