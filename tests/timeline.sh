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
names, tids, flows, spans, slices = {}, set(), {}, {}, {}
for i, e in enumerate(evs):
    for k in ("name", "ph", "pid", "tid"):
        if k not in e: bad.append("event %d lacks %s: %s" % (i, k, e))
    ph = e.get("ph")
    if ph not in ("M", "X", "i", "s", "f", "b", "e"): bad.append("event %d: unexpected ph %r" % (i, ph))
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
    if ph in ("b", "e"): spans.setdefault((e.get("cat"), e.get("id")), []).append(e)
    if ph == "X": slices.setdefault(e.get("tid"), []).append((round(e["ts"] * 1000), round(e["ts"] * 1000) + round(e["dur"] * 1000)))
for fid, phs in flows.items():
    if sorted(phs) != ["f", "s"]: bad.append("flow id %r has %s" % (fid, phs))
for key, es in spans.items():
    if sorted(x["ph"] for x in es) != ["b", "e"] or len({(x["name"], x["tid"]) for x in es}) != 1: bad.append("async span %r: %s" % (key, es))
    elif min(x["ts"] for x in es if x["ph"] == "e") < max(x["ts"] for x in es if x["ph"] == "b"): bad.append("async span %r ends before it begins" % (key,))
# Perfetto drops complete events that overlap on one track without nesting.
for tid, ss in slices.items():
    stack = []
    for a, b in sorted(ss, key=lambda s: (s[0], -s[1])):
        while stack and stack[-1] <= a: stack.pop()
        if stack and b > stack[-1]: bad.append("tid %r: slice [%s, %s] overlaps one ending at %s without nesting (ns)" % (tid, a, b, stack[-1])); break
        stack.append(b)
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

# holds.lua: a Lock held while its holder sleeps; an RLock taken twice, let go of by a
# Condition wait and taken back; a Semaphore released by another thread.
lua holds.lua <<'L'
local ts = require "tsbox"
local vault, account, tellers = ts.Lock("vault"), ts.RLock("account"), ts.Semaphore(1, "tellers")
local ready = ts.Condition(account, "ready")
local go = false
local function worker()
  vault:with(function() ts.sleep(0.1) end)
  account:acquire(); account:acquire()
  while not go do ready:wait() end
  account:release(); account:release()
  tellers:acquire()
end
local w = ts.Thread{target = worker, name = "worker"}
w:start()
ts.sleep(1)
ready:acquire(); go = true; ready:notify(); ready:release()
w:join()
tellers:release()
L
run --seed 1 --timeline "$T/holds.json" "$T/holds.lua"
expect_rc "a run that holds locks writes its timeline" 0

# holds.py JSON: each holding as the async begin/end pair Perfetto draws, at the times of the
# acquire and release instants that open and close it.
cat > "$T/holds.py" <<'PY'
import json, sys
evs = json.load(open(sys.argv[1]))["traceEvents"]
name = {e["tid"]: e["args"]["name"] for e in evs if e.get("name") == "thread_name"}
inst = [e for e in evs if e["ph"] == "i"]
def at(who, what, k):  # the time of the k-th instant of thread `who` named `what`
    return [e["ts"] for e in inst if name[e["tid"]] == who and e["name"] == what][k]
spans = {}
for e in evs:
    if e["ph"] in ("b", "e") and e.get("cat") == "lock":
        spans.setdefault(e["id"], {})[e["ph"]] = e
got = sorted((s["b"]["name"], s["b"]["ts"], s["e"]["ts"]) for s in spans.values())
want = sorted([
    ('worker holds Lock "vault"', at("worker", 'acquire Lock "vault"', 0), at("worker", 'release Lock "vault"', 0)),
    ('worker holds RLock "account"', at("worker", 'acquire RLock "account"', 0), at("worker", 'release RLock "account"', 0)),
    ('worker holds RLock "account"', at("worker", 'acquire RLock "account"', 2), at("worker", 'release RLock "account"', 2)),
    ('MainThread holds RLock "account"', at("MainThread", 'acquire RLock "account"', 0), at("MainThread", 'release RLock "account"', 0)),
    ('worker holds Semaphore "tellers"', at("worker", 'acquire Semaphore "tellers"', 0), at("MainThread", 'release Semaphore "tellers"', 0)),
])
print("ok" if got == want else "got  %s\nwant %s" % (got, want))
PY

# order.py JSON: per thread, instants in event order have strictly increasing times (a quantum
# shares one virtual instant: the writer spreads its events 1 ns apart).
cat > "$T/order.py" <<'PY'
import json, sys
evs = json.load(open(sys.argv[1]))["traceEvents"]
inst = sorted((e for e in evs if e["ph"] == "i"), key=lambda e: e["args"]["seq"])
last, bad = {}, []
for e in inst:
    if e["tid"] in last and e["ts"] <= last[e["tid"]]["ts"]:
        bad.append("tid %d: %s (seq %d) at %s, not after %s (seq %d)" % (e["tid"], e["name"], e["args"]["seq"], e["ts"], last[e["tid"]]["name"], last[e["tid"]]["args"]["seq"]))
    last[e["tid"]] = e
lines = sum(1 for e in inst if e["cat"] == "line")
print("ok %d lines" % lines if not bad and lines > 100 else "\n".join(bad[:3]) or "only %d line markers" % lines)
PY

have_py=$(python3 -c 'print("yes")' 2> /dev/null)
if [ "$have_py" != yes ]; then
  for c in 1 2 3 4 5; do n=$((n + 1)); echo "ok $n # SKIP python3 not available"; done
else
  out=$(python3 "$T/holds.py" "$T/holds.json" 2>&1)
  if [ "$out" = ok ]; then pass "the JSON timeline has a lock-held slice per holding (Lock across a sleep, RLock around a Condition wait, Semaphore released by another thread)"
  else fail "the JSON timeline has a lock-held slice per holding" "$out"; fi
  out=$(python3 "$T/order.py" "$T/race.json" 2>&1)
  case "$out" in
    "ok "*) pass "line and operation markers have strictly increasing timestamps per thread ($out)" ;;
    *) fail "line and operation markers have strictly increasing timestamps per thread" "$out" ;;
  esac
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
