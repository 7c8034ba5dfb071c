# Calls go one way: no cycle among the C files' calls (a call through a
# hook, a function pointer registered at init, is not a call), and
# docs/ARCHITECTURE.md's file list says which files each file calls.
. "$(dirname "$0")/lib.sh"

if ! command -v gcc > /dev/null || ! command -v python3 > /dev/null; then
  skip "gcc and python3 are needed to derive the call graph"
  finish
  exit
fi

if python3 tools/callgraph.py --cycles > "$T/out" 2> "$T/err"; then
  pass "no cycle among the C files' calls"
else
  fail "no cycle among the C files' calls" "$(cat "$T/out" "$T/err" | head -20)"
fi

# The check sees a cycle when there is one: report.c calling outcome.c,
# which calls report.c, in a copy of the sources.
mkdir "$T/src"
cp src/*.c src/*.h "$T/src/"
cat >> "$T/src/outcome.c" <<'C'
const char *report_safe(const char *s);
void outcome_probe(void) { report_safe(""); }
C
cat >> "$T/src/report.c" <<'C'
void report_probe(void) { outcome_end(1); }
C
python3 tools/callgraph.py --src "$T/src" --cycles > "$T/out" 2> "$T/err"; rc=$?
if [ "$rc" = 1 ] && grep -q "outcome.c -> report.c (report_safe)" "$T/out" &&
   grep -q "report.c -> outcome.c (outcome_end)" "$T/out"; then
  pass "a call from outcome.c up to report.c is reported as a cycle"
else
  fail "a call from outcome.c up to report.c is reported as a cycle" "exit $rc" "$(cat "$T/out" "$T/err" | head -20)"
fi

# The same call through a function pointer is a hook: no cycle.
cp src/outcome.c "$T/src/outcome.c"
cat >> "$T/src/outcome.c" <<'C'
const char *(*outcome_probe_hook)(const char *s);
void outcome_probe(void) { outcome_probe_hook(""); }
C
if python3 tools/callgraph.py --src "$T/src" --cycles > "$T/out" 2> "$T/err"; then
  pass "a call through a hook is not a cycle"
else
  fail "a call through a hook is not a cycle" "$(cat "$T/out" "$T/err" | head -20)"
fi

if python3 tools/callgraph.py --check-doc docs/ARCHITECTURE.md > "$T/out" 2> "$T/err"; then
  pass "docs/ARCHITECTURE.md lists every C file with the files it calls"
else
  fail "docs/ARCHITECTURE.md lists every C file with the files it calls" "$(cat "$T/out" "$T/err" | head -20)"
fi

# ... and the check reads the list's order: main.c moved to the ground.
awk -v main="$(grep '^| `main.c`' docs/ARCHITECTURE.md)" \
  '/^\| `main\.c`/ { next } /^\| `map\.c`/ { print main } { print }' docs/ARCHITECTURE.md > "$T/arch.md"
python3 tools/callgraph.py --check-doc "$T/arch.md" > "$T/out" 2> "$T/err"; rc=$?
if [ "$rc" = 1 ] && grep -q "main.c calls run.c, which .* lists below it" "$T/out"; then
  pass "a file listed below a file it calls is reported"
else
  fail "a file listed below a file it calls is reported" "exit $rc" "$(cat "$T/out" "$T/err" | head -20)"
fi
finish
