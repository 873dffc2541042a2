#!/bin/bash
# ws-source.sh: fetch and unpack the Debian source of the installed
# Wireshark (for its tools/ checkers: tests/checkers) and print the path of
# the unpacked tree on stdout; progress goes to stderr.
#
#   IKEDIAG_WS_SOURCE=$(tools/ws-source.sh) ctest -R checkers
#
# It uses apt-get source with a private apt configuration in the cache
# (deb-src lines for the archives the installed libwireshark-dev came from),
# so it needs neither root nor a deb-src line in /etc/apt, and changes
# nothing outside the cache.  Needs apt and dpkg-dev (dpkg-source); about
# 47 MB to download, 300 MB unpacked.  A second run with the same version
# only prints the path.
#
# Cache: $IKEDIAG_WS_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/ikediag/ws-source.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

pkg=libwireshark-dev
cache=${IKEDIAG_WS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ikediag/ws-source}

say() { echo "ws-source.sh: $*" >&2; }
die() { say "$*"; exit 1; }

command -v apt-get >/dev/null || die "needs apt-get (Debian)"
command -v dpkg-source >/dev/null || die "needs dpkg-source (apt-get install dpkg-dev)"
srcver=$(dpkg-query -W -f='${source:Version}' "$pkg" 2>/dev/null) || die "$pkg is not installed"
srcpkg=$(dpkg-query -W -f='${source:Package}' "$pkg")
upver=${srcver#*:}
upver=${upver%-*}
tree=$cache/$srcpkg-$upver

# VERSION: the installed source version the tree was fetched for; TREE: its path.
if [ "$(cat "$cache/VERSION" 2>/dev/null)" = "$srcver" ] && [ -f "$(cat "$cache/TREE")/tools/checkAPIs.pl" ]; then
    cat "$cache/TREE"
    exit 0
fi

# deb-src for every archive that carries the installed version (from
# apt-cache policy: "500 http://deb.debian.org/debian bookworm/main amd64 Packages").
inst=$(dpkg-query -W -f='${Version}' "$pkg")
mapfile -t lines < <(apt-cache policy "$pkg" | awk -v v="$inst" '
    ($1 == "***" && NF == 3) || (NF == 2 && $1 !~ /^[0-9]+$/) { mine = ($1 == v || $2 == v); next }
    mine && $2 ~ /^[a-z]+:\/\// && $NF == "Packages" {
        n = split($3, p, "/"); comp = p[n]; suite = substr($3, 1, length($3) - length(comp) - 1)
        print "deb-src " $2 " " suite " " comp }' | sort -u)
[ ${#lines[@]} -gt 0 ] || die "no archive carries $pkg $inst (apt-cache policy $pkg); cannot fetch its source"

apt=$cache/apt
rm -rf "$apt" "$cache/VERSION" "$cache/TREE" "$cache/$srcpkg"-*/
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts"
printf '%s\n' "${lines[@]}" >"$apt/sources.list"
opts=(-q -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/parts"
      -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
      -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
say "apt-get update for: ${lines[*]}"
apt-get "${opts[@]}" update >&2
cd "$cache"
say "apt-get source $srcpkg=$srcver"
if ! apt-get "${opts[@]}" source "$srcpkg=$srcver" >&2; then
    # The archive may have moved on (a newer security update): its checkers
    # are the same for a point release.
    say "$srcpkg $srcver is no longer in the archive; fetching the newest $srcpkg there instead"
    apt-get "${opts[@]}" source "$srcpkg" >&2
    tree=$(find "$cache" -maxdepth 1 -type d -name "$srcpkg-*" | sort | tail -1)
fi
rm -f "$cache"/"${srcpkg}"_*.orig.tar.* "$cache"/"${srcpkg}"_*.debian.tar.* "$cache"/"${srcpkg}"_*.dsc
[ -f "$tree/tools/checkAPIs.pl" ] || die "unpacked, but no $tree/tools/checkAPIs.pl"
rm -rf "$apt"
echo "$tree" >"$cache/TREE"
echo "$srcver" >"$cache/VERSION"
echo "$tree"
