# The README's samples are the binary's real output (tools/readme.py, `make
# readme-check`): the check passes on README.md, fails on a copy whose sample
# was edited, and `--write` puts the real output back.
. "$(dirname "$0")/lib.sh"

if ! python3 -c 'print()' > /dev/null 2>&1; then
  for c in 1 2 3 4 5 6 7 8; do n=$((n + 1)); echo "ok $n # SKIP python3 not installed (make test installs it)"; done
  finish; exit
fi

check() { python3 tools/readme.py --tsbox "$TSBOX" "$@" > "$T/out" 2>&1; rc=$?; }

if [ -n "${TSBOX_SANITIZER:-}" ]; then
  # Sanitizer builds use the system allocator: explorations may group and
  # order differently from the release build the README was recorded with.
  n=$((n + 1)); echo "ok $n # SKIP the README records the release build's output, not $TSBOX_SANITIZER's"
else
  check README.md
  if [ "$rc" = 0 ]; then pass "every README sample is what the binary prints; the options and schedulers tables name all that --help lists"
  else fail "every README sample is what the binary prints" "$(head -c 1500 "$T/out")"; fi
fi

# mini.md: the README's first example (a file block and samples that use the random
# scheduler, alike in every build), its options table and its schedulers table.
python3 - README.md "$T/mini.md" <<'PY'
import sys
t = open(sys.argv[1]).read()
def section(title):
    return t[t.index(title):t.index("\n## ", t.index(title) + 1)] + "\n"
table = "".join(l + "\n" for l in section("## Schedulers").split("\n") if l.startswith("|"))
open(sys.argv[2], "w").write("# mini\n\n" + section("## A first look") + section("## Command line") + table)
PY
grep -q 'readme-check: file bank.lua' "$T/mini.md" && grep -q 'bank.lua:15: overdrawn' "$T/mini.md" ||
  echo "Bail out! README.md no longer has the bank example these tests edit"

check "$T/mini.md"
if [ "$rc" = 0 ]; then pass "the README's first example, on its own, passes the check"
else fail "the README's first example, on its own, passes the check" "exit $rc" "$(head -c 800 "$T/out")"; fi

sed 's/bank.lua:15: overdrawn/bank.lua:14: overdrawn/' "$T/mini.md" > "$T/edited.md"
check "$T/edited.md"
if [ "$rc" = 1 ] && grep -q 'line [0-9]*: sample of `./tsbox --runs 1000 --seed 1 bank.lua; ./tsbox --replay r:0x2 bank.lua' "$T/out" &&
   grep -q '^ *-tsbox: check failed in thread "MainThread": bank.lua:14: overdrawn' "$T/out"; then
  pass "a sample whose output was edited fails the check, named by its line and commands, with a diff"
else fail "a sample whose output was edited fails the check" "exit $rc" "$(head -c 800 "$T/out")"; fi

check --write "$T/edited.md"
if [ "$rc" = 0 ] && cmp -s "$T/edited.md" "$T/mini.md"; then pass "--write puts the binary's output back, byte for byte"
else fail "--write puts the binary's output back" "exit $rc" "$(diff "$T/mini.md" "$T/edited.md" | head -5)"; fi

# Wall-clock time and job count vary by machine: normalised, not compared.
sed -E 's/(seeds 0x1\.\.0x3e8), [0-9]+ jobs?\) in [0-9.]+ s/\1, 64 jobs) in 123.45 s/' "$T/mini.md" > "$T/timing.md"
check "$T/timing.md"
if [ "$rc" = 0 ] && grep -q '64 jobs) in 123.45 s' "$T/timing.md"; then pass "an exploration's duration and job count are not compared"
else fail "an exploration's duration and job count are not compared" "exit $rc" "$(head -c 600 "$T/out")"; fi

grep -v '^| `--trace`' "$T/mini.md" > "$T/noopt.md"
check "$T/noopt.md"
if [ "$rc" = 1 ] && grep -q 'options table (## Command line) lacks --trace, which --help lists' "$T/out"; then
  pass "an option --help lists but the options table lacks fails the check"
else fail "an option --help lists but the options table lacks fails the check" "exit $rc" "$(head -c 600 "$T/out")"; fi

grep -v '^| `rr` |' "$T/mini.md" > "$T/nosched.md"
check "$T/nosched.md"
if [ "$rc" = 1 ] && grep -q 'schedulers table has no row for rr, which --help lists' "$T/out"; then
  pass "a scheduler --help names but the schedulers table lacks fails the check"
else fail "a scheduler --help names but the schedulers table lacks fails the check" "exit $rc" "$(head -c 600 "$T/out")"; fi

# scripts/template.lua, the scenario to copy: right under every schedule when locked.
run --runs 200 --seed 1 scripts/template.lua
if [ "$rc" = 0 ] && grep -q 'sold 10 of 10  *200  *100.0 %' "$T/err"; then pass "scripts/template.lua, locked, sells each ticket once in 200 of 200 runs"
else fail "scripts/template.lua, locked, sells each ticket once in 200 of 200 runs" "exit $rc" "$(head -c 600 "$T/err")"; fi

finish
