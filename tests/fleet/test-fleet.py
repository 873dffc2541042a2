#!/usr/bin/env python3
"""tools/ikediag-fleet.sh on real failure captures: its output is Elasticsearch bulk NDJSON
(index line, document, ...), every line JSON, and each document carries every ikediag field
that tshark -T fields shows for that frame, with the same values; docs/ikediag-ek-mapping.json
maps every ikediag field the plugin registers.

  test-fleet.py --script S --plugin-dir D --wrapper W --mapping M CAPTURE-DIR...
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from ikdtest import Failure, check, run_tshark  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    for o in ('--script', '--plugin-dir', '--wrapper', '--mapping'):
        p.add_argument(o, required=True)
    p.add_argument('dirs', nargs='+')
    a = p.parse_args()
    try:
        fields = [l.split('\t')[2] for l in run_tshark(a.wrapper, a.plugin_dir, ['-G', 'fields']).stdout.splitlines()
                  if l.startswith('F\t') and l.split('\t')[2].startswith('ikediag.')
                  and not l.split('\t')[2].startswith('ikediag.expert') and l.split('\t')[3] != 'FT_NONE']
        check(len(fields) > 10, 'tshark -G fields: only %r' % fields)
        mapping = json.load(open(a.mapping))['mappings']['properties']['layers']['properties']
        unmapped = [f for f in fields if f.replace('.', '_') not in mapping]
        check(not unmapped, '%s does not map %s' % (a.mapping, unmapped))
        with tempfile.TemporaryDirectory() as tmp:
            shim = os.path.join(tmp, 'tshark')
            with open(shim, 'w') as f:
                f.write('#!/bin/sh\nexec "%s" "%s" - "$@"\n' % (a.wrapper, a.plugin_dir))
            os.chmod(shim, 0o755)
            r = subprocess.run([a.script, '-i', 'ikediag-test'] + a.dirs, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=dict(os.environ, IKEDIAG_TSHARK=shim))
            check(r.returncode == 0, 'ikediag-fleet.sh exit %d: %s' % (r.returncode, r.stderr))
            check('[1/%d]' % len(a.dirs) in r.stderr, 'no progress on stderr: %r' % r.stderr)
        lines = r.stdout.splitlines()
        check(lines and len(lines) % 2 == 0, 'odd number of lines: %d' % len(lines))
        docs = []
        for i, l in enumerate(lines):
            try:
                j = json.loads(l)
            except ValueError as e:
                raise Failure('line %d is not JSON (%s): %.200s' % (i + 1, e, l))
            if i % 2 == 0:
                check(j == {'index': {'_index': 'ikediag-test'}}, 'line %d: not our index line: %s' % (i + 1, l))
            else:
                docs.append(j)
        nfields = 0
        for d in a.dirs:
            cap = os.path.join(d, 'capture.pcap')
            mine = [x for x in docs if x.get('capture') == cap]
            args = ['-2', '-Y', 'ikediag.cause', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=\x1f',
                    '-e', 'frame.number'] + sum((['-e', f] for f in fields), [])
            rows = [l.split('\t') for l in run_tshark(a.wrapper, a.plugin_dir, args, capture=cap).stdout.splitlines()]
            check(rows and len(rows) == len(mine), '%s: %d frames with a finding, %d documents' % (cap, len(rows), len(mine)))
            # -T fields writes a boolean as 1 (4.0) or True (4.4 and later)
            check(any(set(r[1 + fields.index('ikediag.failure')].split('\x1f')) & {'1', 'True'} for r in rows),
                  '%s: no failure' % cap)
            for row, doc in zip(rows, mine):
                lay = doc['layers']
                check(lay.get('frame_number') == [row[0]], 'frame %s: document is frame %r' % (row[0], lay.get('frame_number')))
                check(isinstance(doc.get('timestamp'), str) and doc['timestamp'].isdigit(), 'no timestamp: %r' % doc)
                for f, v in zip(fields, row[1:]):
                    k = f.replace('.', '_')
                    if v == '':
                        check(k not in lay, 'frame %s: %s in ek (%r) but not in -T fields' % (row[0], f, lay.get(k)))
                        continue
                    nfields += 1
                    check(lay.get(k) == v.split('\x1f'),
                          'frame %s: %s: ek %r, -T fields %r' % (row[0], f, lay.get(k), v.split('\x1f')))
                for k in ('ip_src', 'ip_dst', 'udp_srcport', 'isakmp_ispi'):
                    check(k in lay, 'frame %s: no %s' % (row[0], k))
        print('%d documents from %d captures; %d ikediag field values equal to -T fields; mapping covers %d fields'
              % (len(docs), len(a.dirs), nfields, len(fields)))
    except Failure as e:
        print('FAIL: %s' % e)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
