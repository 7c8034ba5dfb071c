#!/bin/sh
# fuzz/run.sh [N] [START]: the tsbox scenario fuzzer.
#
# For each seed START..START+N-1 (defaults: N=200, START=1), generates a
# scenario with `lua5.4 fuzz/gen.lua SEED` and runs it under each scheduler
# of $SCHEDS (default "random os") with
#   $TSBOX --seed SEED --sched S --max-steps 2000000 --timeout 10 --max-memory 256M
# under `timeout -s KILL 30` (a scenario's "-- fuzz-options: --max-memory X"
# line replaces the 256M). One seed in five sends the first scheduler's run
# SIGINT, SIGTERM or SIGHUP shortly after it starts. Each seed also runs
# `tsbox merge` on a damaged report (`lua5.4 fuzz/gen.lua --json SEED`).
# Exit statuses 0-4 (and 130, or 128 + the signal sent) are legitimate
# outcomes. A failure is: a signal or another status >= 128, a status
# outside 0-4, a sanitizer report, "internal error", an ORACLE check (mutual
# exclusion, see gen.lua) or "killed by signal" (a crashed exploration run)
# on stderr, or a hang that only the KILL ended. A failing scenario is saved
# as tests/fuzz_regress/SEED.lua (with a header saying how it failed) and
# SEED.err (the failing run's stderr).
#
# Environment: TSBOX (default ./tsbox-asan if present, else ./tsbox), JOBS
# (parallel scenarios, default 2), SCHEDS, FUZZ_ARGS (more tsbox options),
# FUZZ_AVOID (see gen.lua), FUZZ_KEEP=1 keeps the work directory,
# ASAN_OPTIONS / UBSAN_OPTIONS (defaults below). See fuzz/README.
# Prints `fuzz: N passed, M failed` (counting scenarios) last, and exits 1
# when anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2

# ---- one scenario (run by the xargs workers below) ------------------------
if [ "${1:-}" = "--one" ]; then
  seed=$2
  dir=$FUZZ_WORK
  script=$dir/$seed.lua
  lua5.4 fuzz/gen.lua "$seed" > "$script" || { echo "generator failed" > "$dir/$seed.fail"; exit 0; }
  # a scenario may ask for another memory limit: "-- fuzz-options: --max-memory 32M"
  mem=$(sed -n '1,3s/^-- fuzz-options: --max-memory \([0-9]*[KMG]\)$/\1/p' "$script")
  mem=${mem:-256M}
  fails=""
  first_err=""
  for sched in $SCHEDS; do
    out=$dir/$seed.$sched.out
    err=$dir/$seed.$sched.err
    t0=$(date +%s)
    # One run in five of the first scheduler gets a signal a moment after it
    # starts (SIGINT, SIGTERM or SIGHUP): it must end with 128 + the signal,
    # its output flushed, or finish first with an ordinary status.
    sig=""
    ok_sig=130
    if [ "$sched" = "${SCHEDS%% *}" ] && [ $((seed % 5)) = 0 ]; then
      case $((seed / 5 % 3)) in
        0) sig=INT ok_sig=130 ;;
        1) sig=TERM ok_sig=143 ;;
        *) sig=HUP ok_sig=129 ;;
      esac
    fi
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
    timeout -s KILL 30 "$TSBOX" --seed "$seed" --sched "$sched" --max-steps 2000000 --timeout 10 \
      --max-memory "$mem" ${FUZZ_ARGS:-} "$script" < /dev/null > "$out" 2> "$err" &
    pid=$!
    if [ -n "$sig" ]; then
      sleep "0.0$((seed % 9 + 1))"
      kill -s "$sig" "$pid" 2> /dev/null   # `timeout` passes it on to tsbox
    fi
    { wait "$pid"; } 2> /dev/null   # no "Hangup" from the shell: rc says it
    rc=$?
    t1=$(date +%s)
    why=""
    if [ "$rc" = 137 ] && [ $((t1 - t0)) -ge 29 ]; then
      why="hang: killed by timeout -s KILL after 30 s"
    elif [ "$rc" -ge 128 ] && [ "$rc" != 130 ] && [ "$rc" != "$ok_sig" ]; then
      sig=$((rc - 128))
      why="crash: exit status $rc (signal $sig, $(kill -l "$sig" 2>/dev/null || echo '?'))"
    elif [ "$rc" -gt 4 ] && [ "$rc" != 130 ] && [ "$rc" != "$ok_sig" ]; then
      why="unexpected exit status $rc"
    fi
    if grep -qE 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|: runtime error: |ThreadSanitizer' "$err"; then
      # the most telling line: UBSan's message, else ASan's/TSan's SUMMARY (names the function)
      line=$(grep -m1 ': runtime error: ' "$err" || grep -m1 '^SUMMARY: ' "$err" ||
        grep -m1 -E 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: ThreadSanitizer' "$err")
      why="${why:+$why; }sanitizer report (exit status $rc): $(echo "$line" | cut -c1-200)"
    fi
    if grep -q 'ORACLE' "$err"; then
      why="${why:+$why; }oracle (exit status $rc): $(grep -m1 'ORACLE' "$err" | cut -c1-200)"
    fi
    if grep -q 'killed by signal' "$err"; then   # a crashed child of an exploration (--runs)
      why="${why:+$why; }crash in a run (exit status $rc): $(grep -m1 'killed by signal' "$err" | cut -c1-200)"
    fi
    if grep -q 'internal error' "$err"; then
      why="${why:+$why; }internal error (exit status $rc): $(grep -m1 'internal error' "$err" | cut -c1-200)"
    fi
    if [ -n "$why" ]; then
      fails="$fails--sched $sched: $why
"
      [ -n "$first_err" ] || first_err=$err
      echo "FAIL seed $seed --sched $sched: $why"
    elif [ "$sched" != os ] && grep -q 'of wall time (--timeout)' "$err"; then
      # not a failure, but a virtual-time run should rarely need 10 s of wall time
      echo "$seed $sched" >> "$dir/slow"
    fi
    echo "$seed $sched $rc $((t1 - t0))" >> "$dir/runs"
  done
  # A damaged report for tsbox merge, alone or given twice: exit 0-4, never a crash.
  json=$dir/$seed.json
  lua5.4 fuzz/gen.lua --json "$seed" > "$json"
  if [ $((seed % 2)) = 0 ]; then set -- "$json"; else set -- "$json" "$json"; fi
  timeout -s KILL 30 "$TSBOX" merge "$@" < /dev/null > /dev/null 2> "$dir/$seed.merge.err"
  rc=$?
  if [ "$rc" -gt 4 ] || grep -qE 'ERROR: AddressSanitizer|: runtime error: ' "$dir/$seed.merge.err"; then
    fails="$fails""merge of fuzz/gen.lua --json $seed: exit status $rc $(grep -m1 -E 'SUMMARY|runtime error' "$dir/$seed.merge.err" | cut -c1-200)
"
    echo "FAIL seed $seed merge: exit status $rc"
    [ -n "$first_err" ] || first_err=$dir/$seed.merge.err
  else
    rm -f "$json" "$dir/$seed.merge.err"
  fi
  if [ -n "$fails" ]; then
    printf '%s' "$fails" > "$dir/$seed.fail"
    cp "$first_err" "$dir/$seed.err"
  else
    rm -f "$script" "$dir/$seed".*.out "$dir/$seed".*.err
  fi
  exit 0
fi

# ---- driver ----------------------------------------------------------------
N=${1:-200}
START=${2:-1}
if [ -z "${TSBOX:-}" ]; then
  if [ -x ./tsbox-asan ]; then TSBOX=./tsbox-asan; else TSBOX=./tsbox; fi
fi
case "$TSBOX" in */*) TSBOX=$(realpath "$TSBOX") ;; *) TSBOX=$(command -v "$TSBOX") ;; esac
[ -x "$TSBOX" ] || { echo "fuzz: no tsbox binary (TSBOX=$TSBOX); run make or make asan" >&2; exit 2; }
command -v lua5.4 > /dev/null || { echo "fuzz: lua5.4 is missing (apt-get install lua5.4)" >&2; exit 2; }
JOBS=${JOBS:-2}
SCHEDS=${SCHEDS:-"random os"}
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1:halt_on_error=1:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
FUZZ_WORK=$(mktemp -d "${TMPDIR:-/tmp}/tsbox-fuzz.XXXXXX")
[ "${FUZZ_KEEP:-0}" = 1 ] || trap 'rm -rf "$FUZZ_WORK"' EXIT
# run a snapshot of the binary: a rebuild during the run must not change it
TSBOX_NAME=$(basename "$TSBOX")
cp "$TSBOX" "$FUZZ_WORK/$TSBOX_NAME" || exit 2
echo "fuzz: $TSBOX, $(date -r "$TSBOX" '+built %Y-%m-%d %H:%M:%S')"
TSBOX=$FUZZ_WORK/$TSBOX_NAME
export TSBOX SCHEDS FUZZ_WORK ASAN_OPTIONS UBSAN_OPTIONS NO_COLOR=1
trap 'exit 130' INT TERM

REGRESS=tests/fuzz_regress
last=$((START + N - 1))
echo "fuzz: seeds $START..$last, scheds: $SCHEDS, $JOBS jobs${FUZZ_ARGS:+, options: $FUZZ_ARGS}${FUZZ_AVOID:+, FUZZ_AVOID=$FUZZ_AVOID}"
t0=$(date +%s)
seq "$START" "$last" | xargs -P "$JOBS" -n 1 sh fuzz/run.sh --one
t1=$(date +%s)

failed=0
for f in "$FUZZ_WORK"/*.fail; do
  [ -e "$f" ] || continue
  seed=$(basename "$f" .fail)
  failed=$((failed + 1))
  mkdir -p "$REGRESS"
  name=$seed.lua
  # a deliberately malformed scenario must not break `luacheck tests`
  lua5.4 -e "if not loadfile('$FUZZ_WORK/$seed.lua') then os.exit(1) end" || name=$seed.lua.malformed
  {
    echo "-- luacheck: ignore"
    echo "-- fuzz regression case (fuzz/run.sh), seed $seed: lua5.4 fuzz/gen.lua $seed"
    mem=$(sed -n '1,3s/^-- fuzz-options: --max-memory \([0-9]*[KMG]\)$/\1/p' "$FUZZ_WORK/$seed.lua")
    echo "-- command: $TSBOX_NAME --seed $seed --sched SCHED --max-steps 2000000 --timeout 10"
    echo "--   --max-memory ${mem:-256M} $name"
    sed 's/^/-- failed: /' "$f"
    echo "-- stderr of the first failing run: $seed.err"
    cat "$FUZZ_WORK/$seed.lua"
  } > "$REGRESS/$name"
  [ -f "$FUZZ_WORK/$seed.err" ] && head -c 200000 "$FUZZ_WORK/$seed.err" > "$REGRESS/$seed.err"
  echo "---- seed $seed: saved $REGRESS/$name and $REGRESS/$seed.err"
  cat "$f"
  [ -f "$FUZZ_WORK/$seed.err" ] && head -n 40 "$FUZZ_WORK/$seed.err" | cut -c1-300
done

if [ "$failed" -gt 0 ]; then
  echo "fuzz: distinct failures (runs):"
  cat "$FUZZ_WORK"/*.fail | sed 's/^--sched [a-z]*: //; s/exit status [0-9]*/exit status N/' | sort | uniq -c | sort -rn
fi
if [ -f "$FUZZ_WORK/slow" ]; then
  echo "fuzz: note: $(wc -l < "$FUZZ_WORK/slow") deterministic run(s) hit the 10 s wall-clock --timeout (exit 4, not a failure): $(awk '{printf "%s/%s ", $1, $2}' "$FUZZ_WORK/slow")"
fi
[ -f "$FUZZ_WORK/runs" ] && echo "fuzz: exit statuses (status:runs): $(awk '{c[$3]++} END {for (k in c) printf "%s:%d ", k, c[k]}' "$FUZZ_WORK/runs")"
runs=$(wc -l < "$FUZZ_WORK/runs" 2> /dev/null || echo 0)
echo "fuzz: $runs runs in $((t1 - t0)) s"
echo "fuzz: $((N - failed)) passed, $failed failed"
[ "$failed" = 0 ]
