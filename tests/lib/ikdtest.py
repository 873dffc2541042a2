"""Helpers shared by the Python test drivers (tests/docs, tests/stats)."""

import subprocess
import sys


class Failure(Exception):
    """A check that did not hold; the driver prints it and exits 1."""


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run_tshark(wrapper, plugin_dir, args, keys="-", capture=None, expect_rc=0):
    """tshark with the build tree's plugin, through tests/lib/tshark-nobody.sh."""
    cmd = [wrapper, plugin_dir, keys]
    if capture:
        cmd += ["-r", capture]
    cmd += args
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if expect_rc is not None and res.returncode != expect_rc:
        sys.stderr.write(res.stderr)
        raise Failure("tshark exit %d (expected %d): %s" % (res.returncode, expect_rc, " ".join(cmd)))
    return res
