# TAP helpers for the shell tests. Source it; call `finish` at the end.
# Each test names the behaviour it checks.
n=0
failed=0
TSBOX=${TSBOX:-./tsbox}
unset LUA_INIT LUA_INIT_5_4   # tsbox runs them as lua does; a test sets its own
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$(dirname "$0")/.."

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# run CMD...: runs tsbox with the arguments, keeps stdout, stderr and status.
run() { "$TSBOX" "$@" > "$T/out" 2> "$T/err"; rc=$?; }

# expect_rc NAME CODE: the last run exited with CODE.
expect_rc() {
  if [ "$rc" = "$2" ]; then pass "$1"; else fail "$1" "exit status $rc, expected $2" "stderr: $(head -c 600 "$T/err")"; fi
}

# expect_err NAME TEXT / expect_out NAME TEXT: the last run's stderr/stdout contains TEXT.
expect_err() {
  if grep -qF -- "$2" "$T/err"; then pass "$1"; else fail "$1" "stderr lacks: $2" "stderr: $(head -c 600 "$T/err")"; fi
}
expect_out() {
  if grep -qF -- "$2" "$T/out"; then pass "$1"; else fail "$1" "stdout lacks: $2" "stdout: $(head -c 600 "$T/out")"; fi
}

# lua FILE: writes stdin to $T/FILE.
lua() { cat > "$T/$1"; }

# skip REASON: one test that cannot run here, and why (TAP's SKIP directive).
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

finish() { echo "1..$n"; [ "$failed" = 0 ]; }
