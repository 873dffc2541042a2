#!/bin/bash
# deb-check.sh - runs INSIDE a fresh Debian chroot (see test-deb.sh), in a
# directory holding wireshark-ikediag_*.deb and scenario directories
# (capture.*, key tables, "expect": FRAME CAUSE).  Installs the package
# the way a user does (apt-get install ./….deb), then checks that it pulled
# its libwireshark, that tshark lists and loads ikediag from the global
# plugin dir (as root, and as an ordinary user), that each capture gives its
# expected finding, and that removing the package leaves no plugin behind.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
say() { printf 'deb: %s\n' "$*"; }
fail() { printf 'deb: FAIL: %s\n' "$*"; exit 1; }
# Quiet apt, log shown on failure; waits while another chroot run of this
# suite holds the shared .deb cache's lock (see in-chroot.sh).
apt_q() {
    local i
    for i in $(seq 1 60); do
        apt-get "$@" >/tmp/apt.log 2>&1 && return 0
        grep -q 'Could not get lock' /tmp/apt.log || break
        sleep 10
    done
    tail -n 30 /tmp/apt.log
    return 1
}
t0=$(date +%s)

deb=$(ls wireshark-ikediag_*.deb)
say "Debian $(cat /etc/debian_version): installing $deb"
apt_q update -q
# Only the package: its Depends must bring what the plugin needs.
apt_q install -y -q --no-install-recommends "./$deb" || fail "apt-get install ./$deb"
libws=$(dpkg-deb -f "$deb" Depends | grep -o 'libwireshark[0-9]*' | head -n 1)
[ -n "$libws" ] || fail "the package does not depend on a libwireshark"
dpkg-query -W -f='${Status} ${Version}\n' "$libws" | grep -q 'install ok installed' ||
    fail "$libws was not installed with the package"
say "installed with its dependency $libws $(dpkg-query -W -f='${Version}' "$libws") ($(($(date +%s) - t0)) s)"
so=$(dpkg -L wireshark-ikediag | grep '/wireshark/plugins/[0-9.]*/epan/ikediag\.so$') ||
    fail "no plugin in the global plugin dir: $(dpkg -L wireshark-ikediag | tr '\n' ' ')"
say "plugin: $so"
# The docs are in the package (this chroot does not unpack /usr/share/doc,
# as Debian's slim images do not, so look into the .deb).
dpkg-deb -c "$deb" | awk '{ print $NF }' >/tmp/contents
for f in README.md copyright docs/diagnoses.md docs/fields.md docs/ikediag.colorfilters; do
    grep -qx "./usr/share/doc/wireshark-ikediag/$f" /tmp/contents || fail "$f missing from the package"
done
say "docs: $(grep -c '^./usr/share/doc/wireshark-ikediag/.*[^/]$' /tmp/contents) files in /usr/share/doc/wireshark-ikediag"

apt_q install -y -q --no-install-recommends tshark || fail "apt-get install tshark"
version=$(tshark --version 2>/dev/null | head -n 1)
say "$version"
minor=$(echo "$version" | awk '{ split($3, v, "."); print v[1] * 100 + v[2] }')
check_plugins() {   # WHO COMMAND...
    local who=$1 line
    shift
    line=$("$@" tshark -G plugins 2>/dev/null | grep '^ikediag\.so' || true)
    [ -n "$line" ] || fail "tshark -G plugins as $who does not list ikediag.so"
    case $line in *"$so"*) ;; *) fail "ikediag.so is not loaded from $so: $line" ;; esac
    if [ "$minor" -ge 404 ] && ! grep -qw dissector <<<"$line"; then
        fail "ikediag.so is not of type dissector: $line"
    fi
    say "tshark -G plugins as $who: $(echo "$line" | tr -s ' \t' ' ')"
}
check_plugins root env
check_plugins nobody setpriv --reuid=nobody --regid=nogroup --clear-groups -- env HOME=/tmp

for d in scenario-*/; do
    d=${d%/}
    read -r frame cause <"$d/expect"
    cap=$(ls "$d"/capture.* | head -n 1)
    chmod -R a+rX "$d"
    # The key tables, if any, are in the scenario directory: use it as the
    # configuration directory, as a user would put them in their profile.
    got=$(setpriv --reuid=nobody --regid=nogroup --clear-groups -- env HOME=/tmp WIRESHARK_CONFIG_DIR="$PWD/$d" \
          tshark -r "$cap" -Y "frame.number == $frame" -T fields -E occurrence=a -E aggregator=, -e ikediag.cause 2>/dev/null)
    case ",$got," in
        *",$cause,"*) say "${d#scenario-}: frame $frame has ikediag.cause $cause" ;;
        *) fail "${d#scenario-}: frame $frame: expected ikediag.cause $cause, got '${got}'" ;;
    esac
done

apt_q remove -y -q wireshark-ikediag || fail "apt-get remove wireshark-ikediag"
[ ! -e "$so" ] || fail "$so is still there after removing the package"
after=$(tshark -G plugins 2>/dev/null || true)
if grep -q '^ikediag\.so' <<<"$after"; then fail "ikediag still loads after removal"; fi
say "removed cleanly; all checks passed in $(($(date +%s) - t0)) s: $version"
