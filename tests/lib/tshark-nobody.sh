#!/bin/bash
# tshark-nobody.sh PLUGIN_DIR CONFIG_DIR|- [tshark arguments...]
#
# Runs tshark with the build tree's plugin.  Wireshark ignores
# WIRESHARK_PLUGIN_DIR and the personal plugin directory when it runs as
# root (CI does), so as root tshark runs as 'nobody'.  Everything nobody must
# read (the plugin, the key files, the capture after -r) is staged in a
# world-readable temporary directory first: a clone below a 0700 home
# directory would otherwise be unreadable.
#
# Environment: TSHARK (default tshark); IKEDIAG_PRELOAD (LD_PRELOAD for a
# sanitizer build); IKEDIAG_TSHARK_ENV (extra VAR=value words).
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 PLUGIN_DIR CONFIG_DIR|- [tshark args...]" >&2; exit 2; }
plugin_dir=$1 config_dir=$2
shift 2
tshark=${TSHARK:-tshark}

stage=$(mktemp -d "${TMPDIR:-/tmp}/ikediag-tshark.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
mkdir -p "$stage/plugins" "$stage/config" "$stage/home"
cp -r "$plugin_dir"/. "$stage/plugins/"
if [ "$config_dir" != - ]; then
    cp -r "$config_dir"/. "$stage/config/" 2>/dev/null || true
fi
args=()
while [ $# -gt 0 ]; do
    case $1 in
        -r)
            cp "$2" "$stage/$(basename "$2")"
            args+=(-r "$stage/$(basename "$2")")
            shift 2 ;;
        *)
            args+=("$1")
            shift ;;
    esac
done
chmod -R a+rX "$stage"
chmod 777 "$stage/home"

envs=(HOME="$stage/home" WIRESHARK_PLUGIN_DIR="$stage/plugins" WIRESHARK_CONFIG_DIR="$stage/config"
      LC_ALL=C.UTF-8 TZ=UTC)
# A sanitizer build of the plugin (-DIKEDIAG_SANITIZE=ON) loads only into a
# tshark that has the sanitizer runtimes preloaded (tshark itself is not
# instrumented): find them from the plugin when IKEDIAG_PRELOAD is not given,
# so that every test of such a build runs under ASan+UBSan.
if [ -z "${IKEDIAG_PRELOAD:-}" ]; then
    for so in "$stage"/plugins/*/epan/ikediag.so; do
        [ -f "$so" ] || continue
        san=$(ldd "$so" 2>/dev/null | awk '$1 ~ /^libasan\.so/ { a = $3 } $1 ~ /^libubsan\.so/ { u = $3 }
                                          END { if (a) printf "%s %s", a, u }')
        [ -n "$san" ] && IKEDIAG_PRELOAD=$san
    done
fi
if [ -n "${IKEDIAG_PRELOAD:-}" ]; then
    # The preload reaches the extcap helpers that tshark -G starts too, and
    # androiddump then hangs: point tshark at an empty extcap directory.
    mkdir -p "$stage/extcap"
    envs+=(WIRESHARK_EXTCAP_DIR="$stage/extcap")
    envs+=(LD_PRELOAD="$IKEDIAG_PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
           UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}")
fi
# shellcheck disable=SC2206
[ -n "${IKEDIAG_TSHARK_ENV:-}" ] && envs+=($IKEDIAG_TSHARK_ENV)

if [ "$(id -u)" = 0 ]; then
    exec_prefix=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
else
    exec_prefix=()
fi
set +e
"${exec_prefix[@]}" env "${envs[@]}" "$tshark" "${args[@]}"
rc=$?
exit $rc
