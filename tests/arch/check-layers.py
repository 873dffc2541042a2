#!/usr/bin/env python3
"""check-layers.py SRCDIR OBJECT...

The plugin's parts form a ladder (docs/architecture.md): no source file may
reach, by #include or by calling a function, a file that reaches it back.
Calls are read from the object files (nm: a symbol one file leaves undefined
and another defines), includes from the sources.  Prints each circle found
and exits 1; prints the graph's layers and exits 0 when there is none.
"""
import os
import re
import subprocess
import sys


def nm(path, flags):
    out = subprocess.run(["nm", "-P"] + flags + [path], check=True,
                         capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def call_edges(objs):
    defined, undefined = {}, {}
    for o in objs:
        unit = os.path.basename(o)[:-len(".c.o")]
        defined[unit] = nm(o, ["--defined-only", "-g"])
        undefined[unit] = nm(o, ["-u"])
    owner = {}
    for unit, syms in defined.items():
        for s in syms:
            owner[s] = unit
    edges = {u: set() for u in defined}
    for unit, syms in undefined.items():
        for s in syms:
            if s in owner and owner[s] != unit:
                edges[unit].add(owner[s])
    return edges


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def include_edges(srcdir):
    """Edges between translation units: a.c includes b.h means a reaches b."""
    edges = {}
    for root, _dirs, files in os.walk(srcdir):
        for f in files:
            if not f.endswith((".c", ".h")):
                continue
            unit = os.path.splitext(f)[0]
            with open(os.path.join(root, f), encoding="utf-8") as fh:
                for inc in INCLUDE.findall(fh.read()):
                    target = os.path.splitext(os.path.basename(inc))[0]
                    if target != unit:
                        edges.setdefault(unit, set()).add(target)
            edges.setdefault(unit, set())
    return edges


def cycles(edges):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges.get(v, ()):
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def layers(edges):
    depth = {}

    def d(v):
        if v not in depth:
            depth[v] = 0
            depth[v] = 1 + max((d(w) for w in edges.get(v, ())), default=-1)
        return depth[v]

    for v in edges:
        d(v)
    by = {}
    for v, n in depth.items():
        by.setdefault(n, []).append(v)
    return [sorted(by[n]) for n in sorted(by)]


def main():
    srcdir, objs = sys.argv[1], sys.argv[2:]
    bad = 0
    calls = call_edges(objs)
    if not calls:
        print("no object files given")
        return 1
    incs = include_edges(srcdir)
    for what, edges in (("call", calls), ("include", incs)):
        for c in cycles(edges):
            print("%s circle: %s" % (what, " <-> ".join(c)))
            bad = 1
    # The tracker places frames and knows no rule.
    for f in sorted(incs.get("tracker", ())):
        if f.startswith("rules") or f in ("findings", "diagnose"):
            print("tracker includes %s.h: the tracker must not know findings or rules" % f)
            bad = 1
    for f in sorted(calls.get("tracker", ())):
        if f.startswith("rules") or f in ("findings", "diagnose"):
            print("tracker calls into %s.c: the tracker must not call findings or rules" % f)
            bad = 1
    if not bad:
        merged = {v: calls.get(v, set()) | incs.get(v, set()) for v in set(calls) | set(incs)}
        if cycles(merged):
            print("circle through includes and calls together: %s" % cycles(merged))
            return 1
        for n, layer in enumerate(layers(merged)):
            print("layer %d: %s" % (n, " ".join(layer)))
    return bad


if __name__ == "__main__":
    sys.exit(main())
