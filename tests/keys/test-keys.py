#!/usr/bin/env python3
"""tools/ikediag-keys on real lab logs (tests/keys/<scenario>/, see README.md there).

  test-keys.py --tool T --plugin-dir D --wrapper W --fixtures F CASE [SCENARIO]

CASE decrypt SCENARIO: the tables the tool writes from the scenario's logs are the lab's, and
  decrypt its capture to the same findings (tshark -T fields frame.number ikediag.cause
  ikediag.failure) as the lab's tables, with every encrypted IKE message decrypted.
CASE print SCENARIO: the printed -o uat:... options give tshark the same findings.
CASE merge: --out twice, and into a directory with other lines: no duplicate, nothing lost.
CASE errors: no key lines; truncated and unreadable lines; an algorithm the UAT cannot express;
  rekeyed IKE SA without the capture; a libreswan log; bad usage.
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from ikdtest import Failure, check, run_tshark  # noqa: E402

A = None
FIELDS = ['-T', 'fields', '-e', 'frame.number', '-e', 'ikediag.cause', '-e', 'ikediag.failure']
TABLES = ('ikev1_decryption_table', 'ikev2_decryption_table')
ENCRYPTED = 'isakmp.enc.data || (isakmp.version == 0x10 && isakmp.flags & 1)'
DECRYPTED = ('(isakmp.enc.decrypted && !_ws.malformed) || '
             '(isakmp.version == 0x10 && isakmp.flags & 1 && isakmp.typepayload && !_ws.malformed)')


def tool(args, cwd=None):
    return subprocess.run([A.tool] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)


def logs(d):
    return [os.path.join(d, n) for n in ('initiator-keys.log', 'responder-keys.log') if os.path.exists(os.path.join(d, n))]


def lab_tables(d, into):
    for t in TABLES:
        if os.path.exists(os.path.join(d, 'lab-' + t)):
            shutil.copy(os.path.join(d, 'lab-' + t), os.path.join(into, t))


def findings(cap, keys='-', extra=()):
    return run_tshark(A.wrapper, A.plugin_dir, list(extra) + ['-2'] + FIELDS, keys, cap).stdout


def count(cap, flt, keys='-', extra=()):
    return len(run_tshark(A.wrapper, A.plugin_dir, list(extra) + ['-Y', flt], keys, cap).stdout.splitlines())


def case_decrypt(name):
    d = os.path.join(A.fixtures, name)
    cap = os.path.join(d, 'capture.pcap')
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as lab:
        r = tool(['--out', out, '--pcap', cap] + logs(d))
        check(r.returncode == 0, 'ikediag-keys exit %d: %s' % (r.returncode, r.stderr))
        lab_tables(d, lab)
        for t in TABLES:
            mine = open(os.path.join(out, t)).read() if os.path.exists(os.path.join(out, t)) else None
            ref = open(os.path.join(lab, t)).read() if os.path.exists(os.path.join(lab, t)) else None
            check(mine == ref, '%s differs from the lab\'s:\n%s\nlab:\n%s' % (t, mine, ref))
        total = count(cap, ENCRYPTED)
        ok_mine, ok_lab = count(cap, DECRYPTED, out), count(cap, DECRYPTED, lab)
        check(total > 0 and ok_mine == ok_lab and ok_mine > 0,
              'decrypted IKE messages: %d with the tool\'s tables, %d with the lab\'s, of %d' % (ok_mine, ok_lab, total))
        f_mine, f_lab, f_none = findings(cap, out), findings(cap, lab), findings(cap)
        check(f_mine == f_lab, 'findings differ:\ntool:\n%s\nlab:\n%s' % (f_mine, f_lab))
        print('%s: tables equal to the lab\'s; %d of %d encrypted IKE messages decrypt; findings equal%s' % (
            name, ok_mine, total, '' if f_mine == f_none else ' (and differ from the undecrypted ones)'))


def case_print(name):
    d = os.path.join(A.fixtures, name)
    cap = os.path.join(d, 'capture.pcap')
    r = tool(['--pcap', cap] + logs(d))
    check(r.returncode == 0, 'ikediag-keys exit %d: %s' % (r.returncode, r.stderr))
    opts = shlex.split(r.stdout)
    check(opts and all(o == '-o' or o.startswith('uat:ikev') for o in opts), 'not -o uat options: %r' % r.stdout)
    with tempfile.TemporaryDirectory() as lab:
        lab_tables(d, lab)
        f_opts, f_lab = findings(cap, '-', opts), findings(cap, lab)
        check(f_opts == f_lab, 'findings with -o uat differ:\n%s\nlab:\n%s' % (f_opts, f_lab))
        check(count(cap, DECRYPTED, '-', opts) == count(cap, DECRYPTED, lab), 'fewer messages decrypt with -o uat')
    print('%s: %d -o uat options, same findings as the lab\'s tables' % (name, len(opts) // 2))


def case_merge():
    v2 = os.path.join(A.fixtures, 'ikev2-ike-rekey-ok-ss6-ss6')
    v1 = os.path.join(A.fixtures, 'ikev1-psk-ok-ss6-ss6')
    with tempfile.TemporaryDirectory() as out:
        other = 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb,00,00,"AES-CBC-128 [RFC3602]",00,00,"HMAC_SHA1_96 [RFC2404]"'
        with open(os.path.join(out, 'ikev2_decryption_table'), 'w') as f:
            f.write(other + '\n')
        for _ in range(2):
            r = tool(['--out', out, '--pcap', os.path.join(v2, 'capture.pcap')] + logs(v2))
            check(r.returncode == 0, 'merge v2: exit %d: %s' % (r.returncode, r.stderr))
            r = tool(['--out', out] + logs(v1))
            check(r.returncode == 0, 'merge v1: exit %d: %s' % (r.returncode, r.stderr))
        t2 = open(os.path.join(out, 'ikev2_decryption_table')).read().splitlines()
        t1 = open(os.path.join(out, 'ikev1_decryption_table')).read().splitlines()
        lab2 = open(os.path.join(v2, 'lab-ikev2_decryption_table')).read().splitlines()
        lab1 = open(os.path.join(v1, 'lab-ikev1_decryption_table')).read().splitlines()
        check(t2 == [other] + lab2, 'ikev2 table after merging twice: %r' % t2)
        check(t1 == lab1, 'ikev1 table after merging twice: %r' % t1)
        # a different key for a cookie already in the table is reported and not added
        with open(os.path.join(out, 'ikev1_decryption_table'), 'w') as f:
            f.write(lab1[0].split(',')[0] + ',' + '00' * 32 + '\n')
        r = tool(['--out', out] + logs(v1))
        check(r.returncode == 1 and 'already has other keys' in r.stderr, 'conflicting IKEv1 key: %d %s' % (r.returncode, r.stderr))
        check(len(open(os.path.join(out, 'ikev1_decryption_table')).read().splitlines()) == 1, 'conflicting key added')
    print('merge: existing lines kept, no duplicates after two runs, a conflicting key reported')


def expect(args, rc, *words, cwd=None):
    r = tool(args, cwd)
    check(r.returncode == rc and all(w in r.stderr for w in words),
          'ikediag-keys %s: exit %d (want %d), stderr lacks %r:\n%s' % (' '.join(args), r.returncode, rc, words, r.stderr))
    return r


def case_errors():
    ok = os.path.join(A.fixtures, 'ikev2-psk-ok-ss6-ss6')
    with open(os.path.join(ok, 'initiator-keys.log'), 'rb') as f:
        lines = f.read().split(b'\n')
    sk = next(i for i, l in enumerate(lines) if b'Sk_ei secret' in l)
    with tempfile.TemporaryDirectory() as tmp:
        def write(name, ls):
            p = os.path.join(tmp, name)
            with open(p, 'wb') as f:
                f.write(b'\n'.join(ls))
            return p
        # the committed lab logs are at ike = 2: no key lines
        ike2 = os.path.join(A.captures, 'ikev2-psk-ok-ss6-ss6', 'initiator.log')
        expect([ike2], 2, 'no IKE keys', 'ike = 4')
        # truncated: the log stops inside the dump of Sk_ei
        p = write('cut.log', lines[:sk + 2])
        expect([p], 2, '%s:%d: truncated' % (p, sk + 1), 'Sk_ei secret')
        # an unreadable line inside the dump of Sk_ei
        p = write('bin.log', lines[:sk + 1] + [b'\xff\xfe\x00garbage'] + lines[sk + 1:])
        expect([p], 2, '%s:%d: unreadable line' % (p, sk + 2), '%s:%d: truncated' % (p, sk + 1))
        # an IKE proposal Wireshark's UAT cannot express: reported, no row written
        p = write('chacha.log', [l.replace(b'IKE:AES_CBC_256/HMAC_SHA2_256_128/', b'IKE:CHACHA20_POLY1305/')
                                 for l in lines])
        r = expect([p], 2, 'CHACHA20_POLY1305', 'cannot express')
        check(r.stdout == '', 'a row was printed for CHACHA20_POLY1305: %r' % r.stdout)
        p = write('xcbc.log', [l.replace(b'HMAC_SHA2_256_128', b'AES_XCBC_96') for l in lines])
        expect([p], 2, 'AES_XCBC_96', 'cannot express')
        # a rekeyed IKE SA has no SPIs in the log: without the capture it is reported, not guessed
        rk = os.path.join(A.fixtures, 'ikev2-ike-rekey-ok-ss6-ss6')
        r = expect(logs(rk), 1, 'without SPIs', '--pcap')
        check(len(r.stdout.splitlines()) == 1, 'rekey without --pcap: %r' % r.stdout)
        # libreswan 4.10 logs its keys as NSS references only
        expect([os.path.join(A.fixtures, 'pluto-4.10-debug-all.log')], 2, 'libreswan')
        expect(['--out', os.path.join(tmp, 'nope'), ike2], 2, 'not a directory')
        expect([], 2, 'usage')
        expect([os.path.join(tmp, 'missing.log')], 2, 'cannot read')
    print('errors: no key lines, truncated and unreadable lines (with line numbers), CHACHA20_POLY1305 and '
          'AES_XCBC_96 reported, rekey without SPIs, libreswan, usage')


def main():
    global A
    p = argparse.ArgumentParser()
    for o in ('--tool', '--plugin-dir', '--wrapper', '--fixtures', '--captures'):
        p.add_argument(o, required=True)
    p.add_argument('case')
    p.add_argument('scenario', nargs='?')
    A = p.parse_args()
    try:
        if A.case == 'decrypt':
            case_decrypt(A.scenario)
        elif A.case == 'print':
            case_print(A.scenario)
        elif A.case == 'merge':
            case_merge()
        elif A.case == 'errors':
            case_errors()
        else:
            raise Failure('unknown case %s' % A.case)
    except Failure as e:
        print('FAIL: %s' % e)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
