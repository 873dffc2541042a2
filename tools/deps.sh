#!/bin/bash
# deps.sh [--test]
# Installs what building ikediag needs on Debian (12 and later), and with
# --test what the test suite needs too.  Uses sudo when not root.  Quiet when
# everything is there already.
set -euo pipefail

pkgs=(build-essential cmake pkg-config libglib2.0-dev wireshark-dev tshark python3)
if [ "${1:-}" = --test ]; then
    pkgs+=(util-linux)        # setpriv: tshark runs as nobody under root
    pkgs+=(clang libclang-rt-dev)   # fuzz.libfuzzer (libFuzzer runtime); skipped without them
    pkgs+=(perl dpkg-dev)     # checkers.wireshark: Wireshark's perl checkers, tools/ws-source.sh
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
echo "deps.sh: installing ${missing[*]}"
# tshark asks whether non-root users may capture; the answer does not matter here
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
