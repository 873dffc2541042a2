#!/bin/bash
# tools/screenshots.sh [BUILD_DIR [OUT_DIR]]
#
# Makes docs/screenshots/*.png from the real Wireshark GUI (Qt) running
# under Xvfb with the build tree's plugin:
#   packet-details.png   the ikediag tree of a failing frame, expanded
#   expert-info.png      Analyze > Expert Information
#   statistics-sa.png    Statistics > IKE SAs (ikediag)
#   statistics-tree.png  Statistics > IKE Diagnostics (ikediag)
#   flow-graph.png       Statistics > Flow Graph, flow type "IKE (ikediag)"
#
# Needs: apt-get install wireshark-qt xvfb xauth xdotool imagemagick
# (and tshark, mergecap: already there for the tests).  Takes ~30 s.
#
# The capture shown is a demo file made here from eight lab captures of
# test-captures/ placed one after the other (mergecap -a): real packets,
# several negotiations in one file.  Their key tables are concatenated.
# The flow graph gets a shorter one, two lab captures one after the other
# (an IKEv2 PSK mismatch, then an IKEv1 Main + Quick Mode tunnel with ESP),
# so that the whole ladder fits the window.
#
# Wireshark ignores WIRESHARK_PLUGIN_DIR as root, so as root the GUI runs as
# nobody; everything it reads is staged in a world-readable directory.
# Without a window manager, windows open at fixed places and keyboard focus
# follows the pointer: the script clicks into a window before typing.
# Menus are driven by their mnemonics (Alt+A, Alt+S) and arrow keys; each
# step checks that the expected window opened and stops with a message if
# not (another Wireshark version may order its Statistics menu differently:
# adjust SA_MENU_DOWNS).  KEEP=1 keeps the staging directory (raw shots,
# wireshark.log, failure.png of the screen when a window did not appear).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
outdir=${2:-$repo/docs/screenshots}
SA_MENU_DOWNS=${SA_MENU_DOWNS:-9}   # Statistics menu: items above "IKE SAs (ikediag)" (Wireshark 4.0; Alt+S highlights the first)
FLOW_MENU_DOWNS=${FLOW_MENU_DOWNS:-17}   # ... and above "Flow Graph"

die() { echo "screenshots.sh: $*" >&2; exit 1; }
for t in wireshark xvfb-run xdotool import convert mergecap; do
    command -v "$t" >/dev/null || die "$t is missing: apt-get install wireshark-qt xvfb xauth xdotool imagemagick"
done
so=$(ls "$build"/plugins/*/epan/ikediag.so 2>/dev/null | head -1)
[ -n "$so" ] || die "no ikediag.so below $build/plugins (build first)"
majmin=$(basename "$(dirname "$(dirname "$so")")")

stage=$(mktemp -d /tmp/ikediag-shots.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$stage"' EXIT
mkdir -p "$stage/plugins/$majmin/epan" "$stage/cfg" "$stage/home" "$stage/out"
cp "$so" "$stage/plugins/$majmin/epan/"

# The demo capture: successes and failures of both IKE versions.
scenarios=(ikev2-psk-ok-ss6-ss6 ikev2-proposal-mismatch-ss6-ss6 ikev2-dh-invalid-ke-ss6-ss6
           ikev2-psk-mismatch-ss6-ss6 ikev2-ts-mismatch-ss6-ss6 ikev2-no-response-ss6-ss6
           ikev1-aggressive-psk-ok-ss6-ss6 ikev1-qm-pfs-mismatch-ss6-ss6)
caps=()
for s in "${scenarios[@]}"; do
    d=$repo/test-captures/$s
    caps+=("$(ls "$d"/capture.pcap* | head -1)")
    for k in ikev1_decryption_table ikev2_decryption_table; do
        [ -f "$d/$k" ] && cat "$d/$k" >> "$stage/cfg/$k"
    done
done
cap=ikediag-demo.pcapng
mergecap -a -w "$stage/$cap" "${caps[@]}"

flowcap=ikediag-flow.pcapng
flowcaps=()
for s in ikev2-psk-mismatch-ss6-ss6 ikev1-psk-ok-ss6-ss6; do
    flowcaps+=("$(ls "$repo/test-captures/$s"/capture.pcap* | head -1)")
    for k in ikev1_decryption_table ikev2_decryption_table; do
        [ -f "$repo/test-captures/$s/$k" ] && cat "$repo/test-captures/$s/$k" >> "$stage/cfg/$k"
    done
done
mergecap -a -w "$stage/$flowcap" "${flowcaps[@]}"

# A fixed, uncluttered main window: no byte view, the details pane large.
cat > "$stage/cfg/recent_common" <<'EOF'
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1280
gui.geometry_main_height: 760
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
sys.warn_if_no_capture: FALSE
EOF
cat > "$stage/cfg/recent" <<'EOF'
gui.toolbar_main_show: TRUE
gui.filter_toolbar_show: TRUE
gui.wireless_toolbar_show: FALSE
gui.packet_list_show: TRUE
gui.tree_view_show: TRUE
gui.byte_view_show: FALSE
gui.statusbar_show: TRUE
gui.geometry_main_upper_pane: 190
gui.time_format: UTC
EOF

# The frame to show in the details: the TS_UNACCEPTABLE answer (decrypted).
frame=$("$repo/tests/lib/tshark-nobody.sh" "$build/plugins" "$stage/cfg" -r "$stage/$cap" \
        -Y 'ikediag.cause == "ts-mismatch"' -T fields -e frame.number | head -1)
[ -n "$frame" ] || die "no ts-mismatch finding in the demo capture"

cat > "$stage/gui.sh" <<EOF
#!/bin/bash
set -euo pipefail
cd "$stage"
export XDG_RUNTIME_DIR="\$HOME/xdg"     # Qt wants one, owned by the user, mode 0700
mkdir -p -m 700 "\$XDG_RUNTIME_DIR"
cap=$cap
frame=$frame
sa_downs=$SA_MENU_DOWNS
flowcap=$flowcap
flow_downs=$FLOW_MENU_DOWNS
EOF
cat >> "$stage/gui.sh" <<'EOF'
ws=
wait_window() {   # regex -> window id
    local id
    for _ in $(seq 1 80); do
        id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | tail -1 || true)
        if [ -n "$id" ]; then echo "$id"; return 0; fi
        sleep 0.25
    done
    echo "gui.sh: no window matching '$1' appeared; windows: $(xdotool search --name . getwindowname %@ 2>/dev/null | tr '\n' '|')" >&2
    import -window root out/failure.png || true
    return 1
}
start() {
    local file=${FILE:-$cap}
    wireshark -r "$file" "$@" >> out/wireshark.log 2>&1 &
    ws=$!
    main=$(wait_window "^$file\$")
    sleep 3                      # file read, first packet drawn
}
stop() { kill "$ws"; wait "$ws" 2>/dev/null || true; }

# 1. Packet details: select the failing frame, then the last top-level item
#    of the details (IKE Diagnostics) and expand it with its subtrees.
start -g "$frame"
xdotool mousemove 200 300 click 1      # the first row of the details pane
sleep 0.3
xdotool key End shift+Right
sleep 1
import -window "$main" out/packet-details.png
stop

# 2. Analyze > Expert Information (last item of the menu); open the error
#    groups (one finding each in the demo capture).
start
xdotool mousemove 400 120 click 1
xdotool key alt+a
sleep 0.7
xdotool key Up Return
id=$(wait_window "Expert Information")
xdotool windowmove "$id" 0 0 windowsize "$id" 1180 420
sleep 2
xdotool mousemove --window "$id" 60 41 click 1
for _ in 1 2 3 4 5; do xdotool key Right Down Down; sleep 0.2; done
xdotool key Home
sleep 1
import -window "$id" out/expert-info.png
stop

# 3. Statistics > IKE SAs (ikediag)
start
xdotool mousemove 400 120 click 1
xdotool key alt+s
sleep 0.7
for _ in $(seq 1 "$sa_downs"); do xdotool key Down; done
xdotool key Return
id=$(wait_window "IKE SAs \\(ikediag\\)")
xdotool windowmove "$id" 0 0 windowsize "$id" 1180 300
sleep 2
import -window "$id" out/statistics-sa.png
stop

# 4. Statistics > IKE Diagnostics (ikediag): the last item of the menu.
start
xdotool mousemove 400 120 click 1
xdotool key alt+s
sleep 0.7
xdotool key Up Return
id=$(wait_window "IKE Diagnostics \\(ikediag\\)")
xdotool windowmove "$id" 0 0 windowsize "$id" 760 540
sleep 2
import -window "$id" out/statistics-tree.png
stop

# 5. Statistics > Flow Graph, then flow type "IKE (ikediag)": the combo box
#    sits 55 pixels above the dialog's bottom edge, right of the middle; a
#    click opens its list, typing selects, Return draws the graph.
FILE=$flowcap start
xdotool mousemove 400 120 click 1
xdotool key alt+s
sleep 0.7
for _ in $(seq 1 "$flow_downs"); do xdotool key Down; done
xdotool key Return
id=$(wait_window "Flow · $flowcap")
xdotool windowmove "$id" 0 0 windowsize "$id" 1280 790
sleep 2
xdotool mousemove --window "$id" 676 735 click 1
sleep 1
xdotool type "IKE ("
xdotool key Return
sleep 3
import -window "$id" out/flow-graph.png
stop
EOF
chmod -R a+rX "$stage"
chmod 777 "$stage/out" "$stage/home" "$stage/cfg"   # Wireshark writes its profile there
chmod 755 "$stage/gui.sh"

envs=(HOME="$stage/home" WIRESHARK_PLUGIN_DIR="$stage/plugins" WIRESHARK_CONFIG_DIR="$stage/cfg"
      LC_ALL=C.UTF-8 TZ=UTC)
if [ "$(id -u)" = 0 ]; then
    as=(runuser -u nobody --)
else
    as=()
fi
"${as[@]}" env "${envs[@]}" xvfb-run -a -s "-screen 0 1280x800x24" "$stage/gui.sh" \
    || { cat "$stage/out/wireshark.log" >&2; die "the GUI run failed"; }

# Small files: a 256-colour palette keeps text crisp at a fraction of the size.
mkdir -p "$outdir"
for f in packet-details expert-info statistics-sa statistics-tree flow-graph; do
    [ -s "$stage/out/$f.png" ] || die "$f.png was not made"
    convert "$stage/out/$f.png" -strip -colors 256 "PNG8:$outdir/$f.png"
    echo "$outdir/$f.png: $(stat -c %s "$outdir/$f.png") bytes"
done
