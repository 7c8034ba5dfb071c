# The timeline: --timeline FILE.json is valid Chrome trace-event JSON; --timeline FILE.html
# embeds the same data and renders one swimlane per thread in a headless browser (SPEC §2).
. "$(dirname "$0")/lib.sh"

run --seed 3 --timeline "$T/race.json" scripts/race.lua
expect_rc "race.lua fails its check (the timeline is still written)" 1
run --seed 3 --timeline "$T/race.html" scripts/race.lua

# validate.py JSON: prints one line per problem, "valid" when the trace is well formed.
cat > "$T/validate.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
if d.get("displayTimeUnit") not in (None, "ms", "ns"): bad.append("displayTimeUnit %r" % d.get("displayTimeUnit"))
od = d.get("otherData", {})
for k in ("tsbox", "script", "sched", "seed", "clock", "dropped_events", "failures"):
    if k not in od: bad.append("otherData lacks " + k)
evs = d["traceEvents"]
names, tids, flows = {}, set(), {}
for i, e in enumerate(evs):
    for k in ("name", "ph", "pid", "tid"):
        if k not in e: bad.append("event %d lacks %s: %s" % (i, k, e))
    ph = e.get("ph")
    if ph not in ("M", "X", "i", "s", "f"): bad.append("event %d: unexpected ph %r" % (i, ph))
    if ph == "M":
        if e.get("name") == "thread_name":
            names.setdefault(e["tid"], []).append(e["args"]["name"])
        continue
    if not isinstance(e.get("ts"), (int, float)): bad.append("event %d lacks a numeric ts: %s" % (i, e))
    # the zero-length "tsbox" slice on tid 0 (cat meta) is a marker, not a thread
    if not (e.get("cat") == "meta" and e.get("tid") == 0): tids.add(e.get("tid"))
    if ph == "X" and not (isinstance(e.get("dur"), (int, float)) and e["dur"] >= 0): bad.append("event %d: X without dur >= 0: %s" % (i, e))
    if ph == "i" and e.get("s") not in (None, "t", "p", "g"): bad.append("event %d: bad instant scope" % i)
    if ph in ("s", "f"): flows.setdefault(e.get("id"), []).append(ph)
for fid, phs in flows.items():
    if sorted(phs) != ["f", "s"]: bad.append("flow id %r has %s" % (fid, phs))
for t in sorted(tids):
    if len(names.get(t, [])) != 1: bad.append("tid %r has %d thread_name records" % (t, len(names.get(t, []))))
print("\n".join(bad) if bad else "valid")
PY

# seq.py JSON: the HTML page's "event order" axis relies on this: instants carry unique args.seq,
# and the seq numbers they skip are the scheduling events that start the `running` slices.
cat > "$T/seq.py" <<'PY'
import json, sys
evs = json.load(open(sys.argv[1]))["traceEvents"]
seqs = [e["args"]["seq"] for e in evs if e["ph"] == "i"]
runs = [e for e in evs if e["ph"] == "X" and e.get("cat") == "run"]
if len(set(seqs)) != len(seqs): print("duplicate seq")
if any("seq" not in e.get("args", {}) for e in runs): 
    missing = len(set(range(max(seqs) + 1)) - set(seqs))
    if missing > len(runs): print("%d seq gaps but only %d running slices" % (missing, len(runs)))
print("checked")
PY

have_py=$(python3 -c 'print("yes")' 2> /dev/null)
if [ "$have_py" != yes ]; then
  for c in 1 2 3; do n=$((n + 1)); echo "ok $n # SKIP python3 not available"; done
else
  out=$(python3 "$T/validate.py" "$T/race.json" 2>&1)
  if [ "$out" = valid ]; then pass "the JSON timeline is well-formed trace-event data (name, ph, pid, tid, ts, dur, flows, thread names)"
  else fail "the JSON timeline is well-formed trace-event data" "$(echo "$out" | head -5)"; fi
  out=$(python3 "$T/seq.py" "$T/race.json" 2>&1)
  if [ "$out" = checked ]; then pass "instants carry unique seq numbers that leave room for the running slices"
  else fail "instants carry unique seq numbers that leave room for the running slices" "$out"; fi
  # The page embeds exactly the JSON trace at its marker.
  if python3 - "$T/race.html" "$T/race.json" <<'PY' 2>/dev/null
import json, sys
page = open(sys.argv[1]).read()
a = page.index("const TRACE = ") + len("const TRACE = ")
b = page.index("</script>", a)
data = json.loads(page[a:b].rstrip().rstrip(";"))
sys.exit(0 if data == json.load(open(sys.argv[2])) else 1)
PY
  then pass "the HTML page embeds the same trace as the JSON file"; else fail "the HTML page embeds the same trace as the JSON file"; fi
fi

lua deadlock.lua <<'L'
local ts = require "tsbox"
local a, b = ts.Lock("left-fork"), ts.Lock("right-fork")
local both = ts.Barrier{parties = 2, name = "both-seated"}
local function grab(first, second) first:acquire(); both:wait(); second:acquire() end
ts.Thread{name = "lefty", target = grab, args = {a, b}}:start()
ts.Thread{name = "righty", target = grab, args = {b, a}}:start()
L
run --seed 1 --timeline "$T/deadlock.html" "$T/deadlock.lua"
expect_rc "a deadlocked run exits 3 and still writes its timeline" 3

# The headless browser (Debian's chromium): `make test` installs it (see the
# README); this test never installs anything and says SKIP without it.
browser() {  # browser ARGS... : one headless chromium run, fresh profile, bounded time
  prof=$(mktemp -d "$T/profile.XXXXXX")
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$prof" "$@" 2> "$T/chromium.err"
}
status_attr() {  # status_attr FILE NAME: an attribute of the page's #status element
  python3 - "$1" "$2" <<'PY'
import re, sys
m = re.search(r'<div id="status"([^>]*)>', open(sys.argv[1], errors="replace").read())
a = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1))) if m else {}
print(a.get(sys.argv[2], ""))
PY
}
if ! command -v chromium > /dev/null 2>&1 || [ "$have_py" != yes ]; then
  why="chromium not installed (make test installs it unless TSBOX_NO_BROWSER=1)"
  [ "$have_py" = yes ] || why="python3 not installed (make test installs it)"
  for c in 1 2 3 4 5 6 7 8; do n=$((n + 1)); echo "ok $n # SKIP $why"; done
else
  threads=$(python3 -c 'import json,sys; print(sum(1 for e in json.load(open(sys.argv[1]))["traceEvents"] if e.get("name") == "thread_name"))' "$T/race.json")
  browser --dump-dom "file://$T/race.html" > "$T/race.dom"
  err=$(status_attr "$T/race.dom" data-error)
  if [ "$(status_attr "$T/race.dom" data-ok)" = 1 ] && [ -z "$err" ]; then pass "the race timeline renders without JavaScript errors"
  else fail "the race timeline renders without JavaScript errors" "data-error: $err" "$(head -c 300 "$T/chromium.err")"; fi
  lanes=$(grep -o '<g class="lane[ "]' "$T/race.dom" | wc -l)
  if [ "$lanes" = "$threads" ] && [ "$(status_attr "$T/race.dom" data-lanes)" = "$threads" ]; then pass "one swimlane per thread ($threads)"
  else fail "one swimlane per thread" "lanes drawn: $lanes, threads in the JSON: $threads"; fi
  if grep -q 'lost updates: counter is' "$T/race.dom" && grep -q 'class="lane failed"' "$T/race.dom"; then pass "the failed check is shown in a banner and its thread's lane is marked"
  else fail "the failed check is shown in a banner and its thread's lane is marked"; fi

  browser --window-size=1400,700 --screenshot="$T/race.png" "file://$T/race.html" > /dev/null
  size=$(python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
w, h = struct.unpack(">II", b[16:24]) if b[:8] == b"\x89PNG\r\n\x1a\n" else (0, 0)
print(w, h, len(b))' "$T/race.png" 2> /dev/null)
  set -- $size
  if [ "${1:-0}" = 1400 ] && [ "${2:-0}" = 700 ] && [ "${3:-0}" -gt 15000 ]; then pass "a 1400x700 screenshot of the timeline is non-trivial (${3} bytes)"
  else fail "a 1400x700 screenshot of the timeline is non-trivial" "png: ${size:-missing}"; fi

  browser --dump-dom "file://$T/deadlock.html#axis=time" > "$T/deadlock.dom"
  if [ "$(status_attr "$T/deadlock.dom" data-ok)" = 1 ] && [ "$(status_attr "$T/deadlock.dom" data-lanes)" = 3 ]; then pass "the deadlock timeline renders three lanes"
  else fail "the deadlock timeline renders three lanes" "status: $(grep -o '<div id="status"[^>]*>' "$T/deadlock.dom")"; fi
  if grep -q '<b>deadlock</b>' "$T/deadlock.dom" && grep -q 'class="fail"' "$T/deadlock.dom"; then pass "the deadlock is named in the banner and marked on the timeline"
  else fail "the deadlock is named in the banner and marked on the timeline"; fi
  if [ "$(status_attr "$T/deadlock.dom" data-axis)" = time ] && grep -q 'class="b-Lock' "$T/deadlock.dom" && grep -q 'class="b-Barrier' "$T/deadlock.dom"; then
    pass "the URL hash picks the time axis; waits are coloured by what they wait for"
  else fail "the URL hash picks the time axis; waits are coloured by what they wait for" "axis: $(status_attr "$T/deadlock.dom" data-axis)"; fi

  # Interaction: synthetic wheel, key and mouse events, results written into a #probe element.
  cat > "$T/probe.js" <<'JS'
<script>
(function () {
  const r = {}, wrap = document.getElementById("wrap"), box = wrap.getBoundingClientRect(), span = () => v1 - v0, s0 = span();
  const key = k => window.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
  wrap.dispatchEvent(new WheelEvent("wheel", { deltaY: -400, clientX: box.left + 400, clientY: box.top + 60, bubbles: true, cancelable: true }));
  r.wheel = span() < s0 * 0.8;
  const a = v0; key("ArrowRight"); r.pan = v0 > a;
  key("0"); r.fit = Math.abs(span() - s0) < s0 * 0.01;
  const ax = axis; key("t"); r.axis = axis !== ax; key("t"); render();
  const lane = document.querySelector("#tl g.lane[data-tid='4']").getBoundingClientRect(), tip = document.getElementById("tip");
  for (let x = lane.left + 200; x < lane.right && !r.tip; x += 5) {
    (document.elementFromPoint(x, lane.top + 16) || window).dispatchEvent(new MouseEvent("mousemove", { clientX: x, clientY: lane.top + 16, bubbles: true }));
    if (tip.style.display === "block" && /counter-1/.test(tip.textContent)) r.tip = true;
  }
  const d = document.createElement("div"); d.id = "probe"; d.textContent = JSON.stringify(r); document.body.appendChild(d);
})();
</script>
JS
  python3 -c '
import sys
page, probe = open(sys.argv[1]).read(), open(sys.argv[2]).read()
i = page.rindex("</body>")
open(sys.argv[3], "w").write(page[:i] + probe + page[i:])' "$T/race.html" "$T/probe.js" "$T/probe.html"
  browser --dump-dom "file://$T/probe.html" > "$T/probe.dom"
  probe=$(grep -o '<div id="probe">[^<]*' "$T/probe.dom")
  if [ "$probe" = '<div id="probe">{"wheel":true,"pan":true,"fit":true,"axis":true,"tip":true}' ]; then
    pass "the wheel zooms, arrow keys pan, 0 fits, t switches the axis, hovering a lane shows a tooltip"
  else fail "the wheel zooms, arrow keys pan, 0 fits, t switches the axis, hovering a lane shows a tooltip" "probe: $probe"; fi
fi

finish
