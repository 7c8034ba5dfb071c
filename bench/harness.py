"""harness.py: the tsbox benchmark driver (bench/run.sh runs it).

Runs every benchmark pair (a tsbox script and its baseline: a CPython
`threading` twin, plain `lua5.4`, or tsbox itself in another mode), prints
one table and writes bench/RESULTS.md. Every figure is a ratio against a
baseline measured in the same run; nothing here is a pass/fail test.

How time is measured:
- tsbox and lua5.4: wall time around the whole process
  (time.perf_counter() around subprocess.run), minus the median wall time of
  bench/empty.lua run with the same interpreter and options (start-up, exit
  and the cost of spawning a process). Never os.clock() or ts.time(): they
  are virtual under tsbox's deterministic schedulers.
- CPython twins (*.py): time.perf_counter() inside the script, around the
  work only; the script prints `elapsed=SECONDS`.
- Memory: VmHWM (peak RSS) read from /proc/<pid>/status while the script
  holds its threads parked.
- Exploration (`tsbox --runs N`, NO_PROGRESS=1): wall time around the whole
  exploration, start-up included, against the wall time of N fresh CPython
  processes of the twin run by `xargs -P1` / `xargs -P2`: schedules per
  second vs interpreter runs per second, measured once each. The share of
  runs that lose an update comes from the same runs (tsbox's `--json`
  outcomes, the twins' printed counters).
Each other timing is the best of BENCH_REPS runs (default 3); deterministic
schedulers run with a fixed seed so every repetition runs the same
interleaving and only machine noise varies. Every row measures a private
copy of the tsbox binary taken at start, so a rebuild during the suite
changes nothing.

Environment: TSBOX (binary, default ../tsbox), LUA (default lua5.4),
BENCH_REPS (default 3), BENCH_OUT (default bench/RESULTS.md),
BENCH_EXPLORE_RUNS (tsbox --runs, default 2000), BENCH_EXPLORE_PY_RUNS
(CPython processes per batch, default 200), BENCH_ONLY (comma-separated
groups to run, e.g. `explore,handoff`; default all).
"""
import atexit
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TSBOX = os.environ.get("TSBOX") or os.path.join(ROOT, "tsbox")
TSBOX_SHOWN = TSBOX              # TSBOX becomes a private copy in main()
LUA = os.environ.get("LUA") or "lua5.4"
PYTHON = sys.executable          # the real interpreter, not a pyenv shim
REPS = max(1, int(os.environ.get("BENCH_REPS", "3")))
OUT = os.environ.get("BENCH_OUT") or os.path.join(HERE, "RESULTS.md")
STARTUP_REPS = 7
# A tsbox/lua5.4 run longer than this is killed and reported as an outlier
# (normal runs take well under a second); CPython runs get PY_TIMEOUT.
RUN_TIMEOUT = float(os.environ.get("BENCH_RUN_TIMEOUT", "4"))
PY_TIMEOUT = 60.0
NOISY = 2.0                      # flag a row whose runs differ by more than this factor
SEED = "1"                       # fixed: same interleaving every repetition

# Sizes. Per-op figures are compared, so both sides of a pair may use
# different N where one side would otherwise take too long (noted below).
HANDOFF_N = 20000                # round trips (2 handoffs each)
LOCK_N = 1000000                 # acquire+release pairs
COUNTER_N_DET = 10000            # increments per thread, random/rr
COUNTER_N_FREE = 50000           # increments per thread, os and CPython
COUNTER_T = 4
EXPLORE_RUNS = int(os.environ.get("BENCH_EXPLORE_RUNS", "2000"))  # tsbox --runs
EXPLORE_PY_RUNS = int(os.environ.get("BENCH_EXPLORE_PY_RUNS", "200"))  # CPython processes per batch
EXPLORE_INC = 100                # increments per thread (2 threads)
EXPLORE_CHECK_INC = 200000       # twin sanity check: the race must show at this size
EXPLORE_TIMEOUT = 180.0          # one whole exploration or batch of processes
SPAWN_N = 10000
RSS_N = 1000
VM_N = 10000000
TRACE_N = 5000            # handoff round trips for the tracing overhead
BUSY_N = 500000           # loop iterations shared by the busy threads
BUSY_T = (2, 4, 8, 16)
DEPTH_N = 100000          # recursion depth
WAITERS_N = 20000         # threads waiting on one Event
WAITERS_TIMEOUT = 60.0


class BenchError(Exception):
    pass


def bench(name):
    return os.path.join(HERE, name)


def kv(text):
    """key=value pairs of the last line of `text` that has any."""
    for line in reversed(text.splitlines()):
        pairs = dict(re.findall(r"(\w+)=(\S+)", line))
        if pairs:
            return pairs
    return {}


class Killed(Exception):
    pass


def run(cmd, timeout=PY_TIMEOUT, stdin=None, env=None, codes=(0,)):
    """Run cmd to completion (exit status in `codes`); (wall seconds, stdout, stderr)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, input=stdin,
                           text=True, check=False, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        raise Killed(f"killed after {timeout:g} s") from e
    dt = time.perf_counter() - t0
    if p.returncode not in codes:
        err = (p.stderr or p.stdout).strip().splitlines()[-3:]
        raise BenchError(f"`{' '.join(cmd)}` exited {p.returncode}: {' | '.join(err)}")
    return dt, p.stdout, p.stderr


def cmdline(cmd):
    def short(c):
        if c == PYTHON:
            return "python3"
        if c == TSBOX:
            c = TSBOX_SHOWN
        if c.startswith(ROOT + os.sep):
            return os.path.relpath(c, ROOT)
        return c
    return " ".join(short(c) for c in cmd)


_startup = {}


def startup(prefix):
    """Median wall time of `prefix bench/empty.lua`."""
    key = tuple(prefix)
    if key not in _startup:
        ts = [run(list(prefix) + [bench("empty.lua")])[0] for _ in range(STARTUP_REPS)]
        _startup[key] = statistics.median(ts)
    return _startup[key]


class Measure:
    """Best-of-REPS seconds of one command, with what it printed."""

    def __init__(self, cmd, times, base, out, err):
        self.cmd, self.times, self.base, self.out, self.err = cmd, times, base, out, err
        done = [t for t in times if t is not None]
        self.best = max(min(done) - base, 1e-9)
        self.noisy = len(done) < len(times) or max(done) > NOISY * min(done)

    def raw(self):
        t = ", ".join(f"{x:.3f}" if x is not None else f">{RUN_TIMEOUT:g} (killed)"
                      for x in self.times)
        flag = " -- runs differ by more than %gx" % NOISY if self.noisy else ""
        if self.base:
            return f"runs {t} s, minus start-up {self.base * 1e3:.1f} ms{flag}"
        return f"runs {t} s (timed inside){flag}"


def outside(prefix, script, args=(), codes=(0,), timeout=None):
    """Wall time of `prefix script args` minus the start-up of `prefix empty.lua`."""
    cmd = list(prefix) + [bench(script)] + [str(a) for a in args]
    times, out, err, killed = [], "", "", None
    for _ in range(REPS):
        try:
            dt, out, err = run(cmd, timeout or RUN_TIMEOUT, codes=codes)
        except Killed as e:
            dt, killed = None, e
        times.append(dt)
    if all(t is None for t in times):
        raise BenchError(f"`{cmdline(cmd)}`: every run {killed}")
    return Measure(cmd, times, startup(prefix), out, err)


def inside_plain(cmd):
    """stdout of one run of cmd."""
    return run(cmd)[1]


def inside(script, args=()):
    """CPython twin: the `elapsed=` it prints (perf_counter around the work)."""
    cmd = [PYTHON, bench(script)] + [str(a) for a in args]
    times, out, err = [], "", ""
    for _ in range(REPS):
        _, out, err = run(cmd)
        times.append(float(kv(out)["elapsed"]))
    return Measure(cmd, times, 0.0, out, err)


def tsbox(sched, *extra):
    flags = [TSBOX, "--sched", sched]
    if sched != "os":
        flags += ["--seed", SEED]
    return flags + list(extra)


def peak_rss_kb(cmd, n):
    """VmHWM of `cmd n` while it holds its n threads parked."""
    p = subprocess.Popen(cmd + [str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        if not line.startswith("parked"):
            raise BenchError(f"`{cmdline(cmd)} {n}` did not park: {line.strip()!r}")
        hwm = None
        with open(f"/proc/{p.pid}/status") as f:
            for row in f:
                if row.startswith("VmHWM:"):
                    hwm = int(row.split()[1])
        p.stdin.write("go\n")
        p.stdin.flush()
        _, err = p.communicate(timeout=60)
    except BaseException:
        p.kill()
        p.wait()
        raise
    if p.returncode != 0:
        raise BenchError(f"`{cmdline(cmd)} {n}` exited {p.returncode}: {err.strip()[-200:]}")
    return hwm


# ---------------------------------------------------------------- formatting

def fmt_rate(per_s):
    if per_s >= 1e6:
        return f"{per_s / 1e6:.2f}M/s"
    if per_s >= 1e3:
        return f"{per_s / 1e3:.0f}k/s"
    return f"{per_s:.0f}/s"


def fmt_time(s):
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    if s >= 1e-6:
        return f"{s * 1e6:.1f} us"
    return f"{s * 1e9:.0f} ns"


def fmt_speed(t_tsbox, t_base):
    """Ratio of two per-op times (lower is better)."""
    r = t_base / t_tsbox
    return f"{r:.1f}x faster" if r >= 1 else f"{1 / r:.1f}x slower"


def fmt_size(kb_tsbox, kb_base):
    r = kb_base / kb_tsbox if kb_tsbox > 0 else float("inf")
    return f"{r:.1f}x smaller" if r >= 1 else f"{1 / r:.1f}x larger"


ROWS = []      # (benchmark, tsbox, baseline, ratio)
DETAILS = []   # lines for RESULTS.md


def row(name, a, b, ratio, *measures):
    if any(m.noisy for m in measures):
        ratio += " *"
    ROWS.append((name, a, b, ratio))
    print(f"  {name:<30} {a:<18} {b:<26} {ratio}", flush=True)


def detail(name, *lines):
    DETAILS.append(f"- **{name}**")
    for x in lines:
        DETAILS.append(f"  - {x}")


def guarded(name, fn):
    try:
        fn()
    except (BenchError, KeyError, ValueError, OSError, subprocess.SubprocessError) as e:
        row(name, "error", "", "")
        detail(name, f"failed: {e}")


# ---------------------------------------------------------------- benchmarks

def b_handoff():
    py = inside("handoff.py", [HANDOFF_N])
    n = int(kv(py.out)["handoffs"])
    py_per = py.best / n
    detail("handoff: CPython (two Events)", f"`{cmdline(py.cmd)}`: {n} handoffs, {py.raw()}")
    for sched in ("random", "rr", "os"):
        name = f"handoff yield ({sched})"

        def one(sched=sched, name=name):
            m = outside(tsbox(sched, "-v"), "handoff.lua", [HANDOFF_N])
            out = kv(m.out)
            h, y = int(out["handoffs"]), int(out["yields"])
            per = m.best / h
            sw = re.search(r"(\d+) switches", m.err)
            extra = f", {int(sw.group(1)) / h:.2f} {'GIL' if sched == 'os' else 'scheduler'}" \
                " switches per handoff" if sw else ""
            row(name, f"{fmt_rate(1 / per)} {fmt_time(per)}",
                f"CPython {fmt_rate(1 / py_per)} {fmt_time(py_per)}", fmt_speed(per, py_per), m, py)
            detail(name, f"`{cmdline(m.cmd)}`: {h} handoffs, {y / h:.2f} yields per handoff{extra}",
                   m.raw())
        guarded(name, one)
    for sched in ("random", "os"):
        name = f"handoff Event ({sched})"

        def one(sched=sched, name=name):
            m = outside(tsbox(sched), "handoff_event.lua", [HANDOFF_N])
            h = int(kv(m.out)["handoffs"])
            per = m.best / h
            row(name, f"{fmt_rate(1 / per)} {fmt_time(per)}",
                f"CPython {fmt_rate(1 / py_per)} {fmt_time(py_per)}", fmt_speed(per, py_per), m, py)
            detail(name, f"`{cmdline(m.cmd)}`: {h} handoffs", m.raw())
        guarded(name, one)


def b_lock():
    py = inside("lock_uncontended.py", [LOCK_N])
    py_per = py.best / LOCK_N
    detail("lock_uncontended: CPython", f"`{cmdline(py.cmd)}`: {LOCK_N} acquire+release, {py.raw()}")
    for sched in ("random", "os"):
        name = f"lock uncontended ({sched})"

        def one(sched=sched, name=name):
            m = outside(tsbox(sched), "lock_uncontended.lua", [LOCK_N])
            floor = outside(tsbox(sched), "lock_floor.lua", [LOCK_N])
            per, fper = m.best / LOCK_N, floor.best / LOCK_N
            row(name, f"{fmt_time(per)}/op", f"CPython {fmt_time(py_per)}/op", fmt_speed(per, py_per), m, py)
            fname = f"  vs Lua call floor ({sched})"
            row(fname, f"{fmt_time(per)}/op", f"2 Lua calls {fmt_time(fper)}/op",
                f"{per / fper:.1f}x the floor", m, floor)
            detail(name, f"`{cmdline(m.cmd)}`: {m.raw()}",
                   f"floor `{cmdline(floor.cmd)}`: {floor.raw()}",
                   f"Lock cost above the floor: {fmt_time(max(per - fper, 0))}/op")
        guarded(name, one)


def b_counter():
    py = inside("counter_contended.py", [COUNTER_N_FREE, COUNTER_T])
    n_py = COUNTER_N_FREE * COUNTER_T
    py_per = py.best / n_py
    detail("counter_contended: CPython", f"`{cmdline(py.cmd)}`: {n_py} increments, {py.raw()}")
    for sched in ("random", "rr", "os"):
        name = f"counter 4 threads ({sched})"

        def one(sched=sched, name=name):
            n = COUNTER_N_FREE if sched == "os" else COUNTER_N_DET
            m = outside(tsbox(sched, "-v"), "counter_contended.lua", [n, COUNTER_T])
            inc = int(kv(m.out)["increments"])
            per = m.best / inc
            sw = re.search(r"(\d+) switches", m.err)
            extra = ""
            if sw and sched == "os":      # few: a thread keeps the GIL for a time slice
                extra = f", {int(sw.group(1))} GIL switches in all"
            elif sw:
                extra = f", {int(sw.group(1)) / inc:.2f} scheduler switches per increment"
            row(name, f"{fmt_time(per)}/inc", f"CPython {fmt_time(py_per)}/inc", fmt_speed(per, py_per), m, py)
            detail(name, f"`{cmdline(m.cmd)}`: {inc} increments{extra}", m.raw())
        guarded(name, one)


def b_spawn():
    py = inside("spawn_join.py", [SPAWN_N])
    py_per = py.best / SPAWN_N
    detail("spawn_join: CPython", f"`{cmdline(py.cmd)}`: {py.raw()}")
    for sched in ("random", "os"):
        name = f"spawn+join 10k ({sched})"

        def one(sched=sched, name=name):
            m = outside(tsbox(sched), "spawn_join.lua", [SPAWN_N])
            n = int(kv(m.out)["threads"])
            per = m.best / n
            row(name, f"{fmt_rate(1 / per)} {fmt_time(per)}",
                f"CPython {fmt_rate(1 / py_per)} {fmt_time(py_per)}", fmt_speed(per, py_per), m, py)
            detail(name, f"`{cmdline(m.cmd)}`: {n} threads in batches of 100, {m.raw()}")
        guarded(name, one)


def rss_per_thread(cmd):
    """Median over REPS of (VmHWM(N) - VmHWM(1)) / (N - 1), in KB."""
    vals, pairs = [], []
    for _ in range(REPS):
        one, many = peak_rss_kb(cmd, 1), peak_rss_kb(cmd, RSS_N)
        pairs.append((one, many))
        vals.append((many - one) / (RSS_N - 1))
    return statistics.median(vals), pairs


def b_rss():
    py_kb, py_pairs = rss_per_thread([PYTHON, bench("rss_per_thread.py")])
    detail("rss_per_thread: CPython", f"VmHWM 1 thread / {RSS_N} threads (KB): {py_pairs}")
    for sched in ("random", "os"):
        name = f"RSS per thread ({sched})"

        def one(sched=sched, name=name):
            kb, pairs = rss_per_thread(tsbox(sched) + [bench("rss_per_thread.lua")])
            row(name, f"{kb:.1f} KB", f"CPython {py_kb:.1f} KB", fmt_size(kb, py_kb))
            detail(name, f"VmHWM 1 thread / {RSS_N} threads (KB): {pairs}")
        guarded(name, one)


def b_vm():
    lua = outside([LUA], "vm_overhead.lua", [VM_N])
    ref = kv(lua.out)
    detail("vm_overhead: lua5.4", f"`{cmdline(lua.cmd)}`: {lua.raw()}")
    cases = [("random", []), ("rr", []), ("os", []), ("random", ["--quantum", "100000"])]
    for sched, extra in cases:
        name = f"vm loop 10M ({sched}{', q=1e5' if extra else ''})"

        def one(sched=sched, extra=extra, name=name):
            m = outside(tsbox(sched, *extra), "vm_overhead.lua", [VM_N])
            if kv(m.out) != ref:
                raise BenchError(f"tsbox printed {m.out.strip()!r}, lua5.4 {lua.out.strip()!r}")
            row(name, fmt_time(m.best), f"lua5.4 {fmt_time(lua.best)}", fmt_speed(m.best, lua.best), m, lua)
            detail(name, f"`{cmdline(m.cmd)}`: {m.raw()}")
        guarded(name, one)


def b_busy():
    """Steps/s of T threads that only compute, against 2 threads, same run."""
    for sched in ("random", "rr"):
        rates = {}
        for t in BUSY_T:
            name = f"busy threads {t} ({sched})"

            def one(sched=sched, t=t, name=name):
                m = outside(tsbox(sched, "-v"), "busy_threads.lua", [t, BUSY_N], timeout=WAITERS_TIMEOUT)
                steps = int(re.search(r"(\d+) VM instructions", m.err).group(1))
                sw = int(re.search(r"(\d+) switches", m.err).group(1))
                rates[t] = (steps / m.best, m)
                if t == BUSY_T[0]:
                    row(name, f"{fmt_rate(rates[t][0])} steps", "", "baseline", m)
                else:
                    base, bm = rates[BUSY_T[0]]
                    row(name, f"{fmt_rate(rates[t][0])} steps", f"{BUSY_T[0]} threads {fmt_rate(base)}",
                        f"{rates[t][0] / base:.2f}x the rate", m, bm)
                detail(name, f"`{cmdline(m.cmd)}`: {steps} VM instructions, {sw} switches, {m.raw()}")
            guarded(name, one)


def b_recursion():
    lua = outside([LUA], "recursion.lua", [DEPTH_N])
    detail("recursion: lua5.4", f"`{cmdline(lua.cmd)}`: {lua.raw()}")
    for sched in ("random", "rr", "os"):
        name = f"recursion depth 100k ({sched})"

        def one(sched=sched, name=name):
            m = outside(tsbox(sched), "recursion.lua", [DEPTH_N])
            if kv(m.out) != kv(lua.out):
                raise BenchError(f"tsbox printed {m.out.strip()!r}, lua5.4 {lua.out.strip()!r}")
            row(name, fmt_time(m.best), f"lua5.4 {fmt_time(lua.best)}", fmt_speed(m.best, lua.best), m, lua)
            detail(name, f"`{cmdline(m.cmd)}`: {m.raw()}")
        guarded(name, one)


def b_waiters():
    """20 000 threads wait on one Event under os: cost per waiter vs 2 000, and vs random."""
    limit = ["--max-threads", str(WAITERS_N + 1)]
    few = outside(tsbox("os", *limit), "event_waiters.lua", [WAITERS_N // 10], timeout=WAITERS_TIMEOUT)
    detail("event waiters: os, 2k", f"`{cmdline(few.cmd)}`: {few.raw()}")
    many = outside(tsbox("os", *limit), "event_waiters.lua", [WAITERS_N], timeout=WAITERS_TIMEOUT)
    per, few_per = many.best / WAITERS_N, few.best / (WAITERS_N // 10)
    row("Event waiters 20k (os)", f"{fmt_time(many.best)}, {fmt_time(per)}/thr",
        f"2k waiters {fmt_time(few_per)}/thr", f"{per / few_per:.2f}x per waiter", many, few)
    detail("Event waiters 20k (os)", f"`{cmdline(many.cmd)}`: {many.raw()}")

    def vs_random():
        det = outside(tsbox("random", *limit), "event_waiters.lua", [WAITERS_N], timeout=WAITERS_TIMEOUT)
        row("  vs random", f"{fmt_time(many.best)}", f"random {fmt_time(det.best)}",
            fmt_speed(many.best, det.best), many, det)
        detail("Event waiters 20k (random)", f"`{cmdline(det.cmd)}`: {det.raw()}")
    guarded("  vs random", vs_random)


def counts(outcomes):
    """{final counter: runs} from a list of (outcome, runs)."""
    out = {}
    for text, n in outcomes:
        m = re.fullmatch(r"counter=(\d+)", text.strip())
        if not m:
            raise BenchError(f"unexpected outcome {text!r}")
        out[int(m.group(1))] = out.get(int(m.group(1)), 0) + n
    return out


def lost_share(c):
    """(runs with counter < 2*EXPLORE_INC, all runs)."""
    return sum(n for v, n in c.items() if v < 2 * EXPLORE_INC), sum(c.values())


def fmt_counts(c, top=4):
    items = sorted(c.items(), key=lambda kv_: (-kv_[1], kv_[0]))
    shown = ", ".join(f"{v}: {n}" for v, n in items[:top])
    more = f", {len(items) - top} more values" if len(items) > top else ""
    return f"counter value: runs {{{shown}{more}}}"


def explore(sched, jobs, runs, *extra):
    """One `tsbox --runs` exploration, timed from outside.

    (wall seconds, runs done, counts, report): runs done is the JSON's "runs"
    (dfs stops early when its bounded space is exhausted)."""
    fd, js = tempfile.mkstemp(prefix="tsbox-bench-", suffix=".json")
    os.close(fd)
    cmd = [TSBOX, "--sched", sched]
    if sched in ("random", "pct"):
        cmd += ["--seed", SEED]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    cmd += list(extra) + ["--runs", str(runs), "--json", js, bench("explore_counter.lua")]
    env = dict(os.environ, NO_PROGRESS="1")
    try:
        (dt, _, err), cpu = cpu_of(lambda: run(cmd, EXPLORE_TIMEOUT, env=env))
        with open(js) as f:
            rep = json.load(f)
    finally:
        os.unlink(js)
    if rep.get("failures"):
        raise BenchError(f"`{cmdline(cmd)}`: failures {rep['failures']}")
    c = counts((o["outcome"], o["runs"]) for o in rep["outcomes"])
    if sum(c.values()) != rep["runs"]:
        raise BenchError(f"`{cmdline(cmd)}`: outcomes cover {sum(c.values())} of {rep['runs']} runs")
    rep["cmd"] = cmdline(cmd).replace(js, "FILE")
    rep["cpu"] = cpu
    rep["summary"] = err.strip().splitlines()[0] if err.strip() else ""
    return dt, rep["runs"], c, rep


def py_batch(parallel, runs):
    """`runs` fresh CPython processes of the twin, `parallel` at a time
    (xargs -P), timed from outside: (wall seconds, counts, command)."""
    cmd = ["xargs", "-P", str(parallel), "-n", "1",
           PYTHON, "-S", bench("explore_counter.py"), str(EXPLORE_INC)]
    (dt, out, _), cpu = cpu_of(lambda: run(cmd, EXPLORE_TIMEOUT,
                                             stdin="".join(f"{i}\n" for i in range(runs))))
    c = counts((line, 1) for line in out.splitlines() if line.strip())
    if sum(c.values()) != runs:
        raise BenchError(f"`{cmdline(cmd)}`: {sum(c.values())} of {runs} runs printed a counter")
    return dt, c, f"seq {runs} | {cmdline(cmd)}", cpu


def cpu_of(fn):
    """(fn(), user+sys CPU seconds of the child processes it waited for)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = fn()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return out, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def first_lost(rep):
    """', first in run K (replay TOKEN)' for the first run that lost an update."""
    lost = [o for o in rep["outcomes"]
            if int(o["outcome"].split("=")[1]) < 2 * EXPLORE_INC and "first_run" in o]
    if not lost:
        return ""
    o = min(lost, key=lambda o: o["first_run"])
    return f", first in run {o['first_run']} (replay {o.get('replay', '?')})"


def fmt_share(lost, n):
    return f"{100 * lost / n:.1f} % of {n}"


def fmt_share_ratio(lost, n, py_lost, py_n):
    """How much more often tsbox shows the lost update than CPython."""
    if lost == 0:
        return "never seen" if py_lost == 0 else "CPython only"
    if py_lost == 0:
        # rule of three: 0 of n bounds the true share below 3/n at 95 %
        return f"> {(lost / n) / (3 / py_n):.0f}x as often (95 %)"
    return f"{(lost / n) / (py_lost / py_n):.1f}x as often"


def b_explore():
    chk = inside_plain([PYTHON, "-S", bench("explore_counter.py"), str(EXPLORE_CHECK_INC)])
    got = int(kv(chk)["counter"])
    detail("explore_counter: CPython twin sanity check",
           f"`python3 -S bench/explore_counter.py {EXPLORE_CHECK_INC}`: counter={got}, "
           f"{2 * EXPLORE_CHECK_INC - got} of {2 * EXPLORE_CHECK_INC} increments lost "
           "(the twin's race is real; it needs a long run to show)")
    seq_t, seq_c, seq_cmd, seq_cpu = py_batch(1, EXPLORE_PY_RUNS)
    par_t, par_c, par_cmd, par_cpu = py_batch(2, EXPLORE_PY_RUNS)
    py_rate = {1: EXPLORE_PY_RUNS / seq_t, 2: EXPLORE_PY_RUNS / par_t}
    py_c = dict(seq_c)
    for v, n in par_c.items():
        py_c[v] = py_c.get(v, 0) + n
    py_lost, py_n = lost_share(py_c)
    detail("explore_counter: CPython, fresh interpreters",
           f"`{seq_cmd}`: {EXPLORE_PY_RUNS} runs in {seq_t:.2f} s wall ({seq_cpu:.2f} s CPU), "
           f"{py_rate[1]:.1f} runs/s, {fmt_counts(seq_c)}",
           f"`{par_cmd}`: {EXPLORE_PY_RUNS} runs in {par_t:.2f} s wall ({par_cpu:.2f} s CPU), "
           f"{py_rate[2]:.1f} runs/s, {fmt_counts(par_c)}",
           "one batch each (not best of several); each process pays CPython's start-up, "
           "which is what a fresh run costs")

    shares = {}
    cases = [("random, 1 job", "random", 1, ()), ("random, 2 jobs", "random", 2, ()),
             ("pct, 2 jobs", "pct", 2, ()), ("dfs p<=1, 1 job", "dfs", None, ("--preemptions", "1"))]
    for label, sched, jobs, extra in cases:
        name = f"explore {label}"

        def one(label=label, sched=sched, jobs=jobs, extra=extra, name=name):
            dt, n, c, rep = explore(sched, jobs, EXPLORE_RUNS, *extra)
            rate = n / dt
            p = jobs or 1
            row(name, f"{rate:.0f} runs/s",
                f"CPython {py_rate[p]:.0f} runs/s {'seq' if p == 1 else f'-P{p}'}",
                fmt_speed(1 / rate, 1 / py_rate[p]))
            lost, total = lost_share(c)
            ex = f", space exhausted after {n} schedules" if rep.get("exhausted") else ""
            detail(name, f"`{rep['cmd']}`: {n} runs in {dt:.2f} s wall ({rep['cpu']:.2f} s CPU){ex} "
                   f"(tsbox's own figure: {rep.get('runs_per_s')}/s)",
                   f"{fmt_counts(c)}; lost update in {fmt_share(lost, total)} runs{first_lost(rep)}")
            shares.setdefault(sched, (lost, total, c))
            if sched == "random" and shares[sched][2] != c:
                detail(name, "**outcomes differ between --jobs 1 and --jobs 2** "
                       "(SPEC 4: the summary must not depend on --jobs)")
        guarded(name, one)

    def rr_one():
        # rr has no seed: every run replays the same schedule, so fewer runs
        runs = max(1, EXPLORE_RUNS // 4)
        dt, n, c, rep = explore("rr", 2, runs)
        lost, total = lost_share(c)
        shares["rr"] = (lost, total, c)
        detail("explore rr, 2 jobs", f"`{rep['cmd']}`: {n} runs in {dt:.2f} s wall ({rep['cpu']:.2f} s CPU), "
               f"{n / dt:.0f} runs/s; "
               f"{fmt_counts(c)} (rr is deterministic and has no seed: every run is the same schedule)")
    guarded("explore rr, 2 jobs", rr_one)

    for sched in ("random", "pct", "rr"):
        name = f"lost update seen ({sched})"
        if sched not in shares:
            row(name, "error", "", "")
            continue
        lost, total, _ = shares[sched]
        row(name, fmt_share(lost, total), f"CPython {fmt_share(py_lost, py_n)}",
            fmt_share_ratio(lost, total, py_lost, py_n))
    detail("lost update seen", f"a run shows it when its final counter < {2 * EXPLORE_INC}; "
           f"CPython: both batches above ({py_n} fresh interpreters), {py_lost} lost an update"
           + ("; 0 of n bounds CPython's true share below 3/n (rule of three, 95 %)" if py_lost == 0 else ""))


# ---------------------------------------------------------------- machine

def sh(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, check=False).stdout.strip()
    except OSError as e:
        return f"unavailable ({e})"


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return [
        ("date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z")),
        ("nproc", sh(["nproc"])),
        ("CPU", cpu),
        ("kernel", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("loadavg", " ".join(open("/proc/loadavg").read().split()[:3])),
        ("tsbox", sh([TSBOX, "--version"])),
        ("python3", f"{sh([PYTHON, '--version'])} ({PYTHON})"),
        ("lua5.4", sh([LUA, "-v"]).split("  ")[0]),
        ("repetitions", f"best of {REPS} (RSS: median of {REPS})"),
    ]


NOTES = """\
## What limits each figure

- **handoff**: under `random` and `rr` a thread that gives way at
  `ts.yield()` leaves its POSIX thread (its coroutine yields), and that
  POSIX thread resumes the thread picked next: a switch is a yield and a
  resume on one OS thread, with no system call, so the figure hardly
  depends on the machine's load (`TSBOX_CARRY=0` makes every switch a
  baton pass between two OS threads, several times slower: the taker
  spins on the baton, 300 `pause`s, then sleeps on a futex). `Event`
  handoffs block in a primitive, so each is a baton pass between OS
  threads: a cache-line transfer when both have a core, a futex wake-up
  and the OS's scheduling latency when they do not (`loadavg` above
  `nproc`), like CPython's. Switches per handoff are in
  the raw measurements: `random` adds random preemptions (mean quantum 16)
  that sometimes hand the baton to the thread that is not on turn; `rr`'s
  fixed quantum keeps preempting the thread on turn (3 switches per
  handoff). Under `os` a `ts.yield()` waits until another runnable thread
  has taken the GIL, so one yield is one handoff. CPython's Event ping-pong
  pays a Condition, a lock allocation and a GIL hand-over per handoff.
- **lock uncontended**: a method call into C, the Lock bookkeeping, and a
  scheduling point at every `release()` (the scheduler mutex, plus a random
  draw under `random`) even with nobody waiting. The floor row is the same
  loop calling two empty Lua methods under the same scheduler, so the
  difference is what the Lock costs.
- **counter**: under `random`/`rr` the count hook preempts every ~16
  instructions and every `release()` is a scheduling point, so each
  increment costs more than one baton pass (switches per increment in the
  raw measurements): the figure is switch cost again. These modes run fewer
  increments (N per thread differs from CPython's; the figure is per
  increment). Under `os` and in CPython a thread keeps the GIL for a time
  slice (5 ms), and the cost is how often a lock holder loses the GIL and the
  convoy that follows, which CPython suffers more from.
- **spawn+join**: a `pthread_create` (1 MiB stack) plus a Lua coroutine per
  thread, and the scheduling points at start, exit and join. Batches of 100.
- **RSS per thread**: the touched part of each thread's C stack, its Lua
  coroutine and tsbox's per-thread record; CPython adds its thread state and
  Python frames. (VmHWM with 1000 threads - VmHWM with 1) / 999.
- **vm loop**: once a count hook is installed Lua 5.4 routes every VM
  instruction through its hook check, so even `--quantum 100000` (almost
  no scheduling points) costs a good part of the overhead; the rest under
  `random`/`rr` is the scheduling point every ~16 instructions (scheduler
  mutex, random draw, virtual clock). `os` polls every 100 instructions and
  costs about the same as the bare hook.
- **busy threads**: T threads that only compute share the same 500 000
  loop iterations; steps/s against 2 threads in the same run. A preempted
  thread leaves its POSIX thread, which resumes the thread picked next
  (they all left theirs): no switch wakes an OS thread, whatever T is, so
  the rate hardly falls with T. With `TSBOX_CARRY=0` (bench/handoff.sh's
  baseline) every switch wakes a thread that is usually asleep, and 8
  threads run at 0.06 x the rate of 2.
- **recursion**: recursion to depth 100 000, three times. The count hook is
  re-armed only when its count changes (arming walks every Lua frame); on a
  deep stack it fires at every instruction and counts the gap down itself,
  which is what the ratio to lua5.4 costs.
- **Event waiters**: 20 000 threads block on one Event, which is then set.
  Under `os` each woken thread queues for the GIL on its own condition
  variable and only the head of the queue keeps time, so a hand-over wakes
  one thread; the per-waiter ratio against 2 000 waiters shows the growth
  (1.0 is linear). Thread creation dominates. Since Linux 6.16 a process's
  futex table is sized by its CPUs, not its threads; tsbox grows it with
  the live threads.
- **explore**: `tsbox --runs N` on bench/explore_counter.lua (2 threads x
  100 unlocked increments of one counter), wall time of the whole
  exploration from outside, against the same number of fresh CPython
  processes of the twin bench/explore_counter.py, one at a time and 2 at a
  time (`xargs -P2`): schedules explored per second vs interpreter runs per
  second. A tsbox run is a fresh Lua universe in a process that is already
  up; a CPython run pays an interpreter start-up (run with `-S`, which skips
  site-packages and is the fast case for CPython) and that dominates. Both
  sides are measured once (not best of 3). `dfs --preemptions 1` runs one
  job and stops when its bounded space is exhausted (1673 schedules here);
  its rate is over the runs it made. The raw measurements give the CPU time
  (user+sys of the processes) beside the wall time: a tsbox run spawns two
  OS threads and, under `random`, passes the baton between them and the
  main thread 30 to 40 times (`tsbox -v` counts switches); every pass the
  spin does not catch sleeps on a futex (about 22 voluntary context
  switches per run, `/usr/bin/time -f %w`).
  On an idle machine that costs little, but when other processes hold the
  cores each such wake-up waits for the OS scheduler, and one job then uses
  well under one core (the wall time is several times the CPU time) while a
  second job overlaps its waits: under load `--jobs 2` can be more than
  twice as fast as `--jobs 1`.
- **lost update seen**: share of runs whose final counter is below 200.
  `random` preempts at geometric gaps (mean 16 instructions) so nearly every
  run splits some read from its write. `pct` keeps one thread running until
  a priority change point (depth 3), so many runs are serial (200) or lose
  one whole thread's work (100). `rr` has no seed: every run is the same
  schedule, and its fixed quantum of 16 instructions is a multiple of the
  4 instructions one iteration executes (`GETTABUP`, `ADDI`, `SETTABUP`,
  `FORLOOP`; `ADDI` skips its `MMBINI` fallback), so it preempts at the same
  point of the loop every time, never between the read and the write: with
  quantum 4, 8, 16 or 32 it never shows the race, with 5, 7, 15 or 17 it
  always does (`tsbox --sched rr --quantum 7 --runs 4 bench/explore_counter.lua`). CPython 3.11 can only switch threads where it checks
  its eval breaker (function entry, backward jumps), and only after the
  other thread has waited a 5 ms switch interval, while 100 increments take
  microseconds: the first thread is done before the second one asks for the
  GIL. The twin puts a Python call between the read and the write (see its
  docstring: without it CPython 3.11 cannot lose an update at all), and the
  sanity check in the raw measurements shows it losing updates once the
  threads run long enough to overlap. 0 of n CPython runs bounds the true
  share below 3/n at 95 % confidence (rule of three), which is what the
  `>` ratio uses.
- **--race**: the count hook then runs before every VM instruction (Lua
  enters the hook through `luaD_hook`, which saves and restores the frame),
  decodes the instruction, and for a shared read or write looks the
  location up in two hash maps and checks its epochs. Where threads switch
  every few instructions (race.lua, the lost update at quantum 16, the
  lock-heavy loop) the baton passes dominate and the difference is within
  the noise; with rare switches (`--quantum 100000`) it shows: the lost
  update, one shared global access per 2 instructions, and the pure VM
  loop, where every instruction pays the hook call and no access is
  tracked.
"""


def write_results(elapsed):
    lines = ["# tsbox benchmark results", "",
             "Generated by `sh bench/run.sh` (`make bench`). Every figure is a ratio",
             "against a baseline measured in the same run; see bench/harness.py for",
             "how each side is timed. Benchmarks are not tests: numbers vary with the",
             "machine and its load.", "", "## Machine", ""]
    for k, v in machine():
        lines.append(f"- {k}: {v}")
    lines += ["", "## Results", "", "```",
              f"  {'benchmark':<30} {'tsbox':<18} {'baseline':<26} ratio"]
    for r in ROWS:
        lines.append(f"  {r[0]:<30} {r[1]:<18} {r[2]:<26} {r[3]}")
    lines += ["```", "", "`*`: the repetitions of one side differed by more than "
              f"{NOISY:g}x, or a run was killed after {RUN_TIMEOUT:g} s (see the raw measurements).",
              "", f"Whole suite: {elapsed:.1f} s wall.", "",
              "## Raw measurements", ""] + DETAILS + ["", NOTES]
    with open(OUT, "w") as f:
        f.write("\n".join(lines))


def snapshot(path):
    """A private copy of the tsbox binary, in a temporary directory.

    Others may rebuild ./tsbox while the suite runs (the linker rewrites it:
    runs fail with EACCES/ETXTBSY, or later rows measure another build).
    Every row of one run measures this copy; it is removed at exit."""
    tmp = tempfile.mkdtemp(prefix="tsbox-bench-")
    atexit.register(shutil.rmtree, tmp, True)
    copy = os.path.join(tmp, "tsbox")
    for _ in range(10):
        try:
            shutil.copy2(path, copy)
            if subprocess.run([copy, "--version"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0:
                return copy
        except OSError:
            pass
        time.sleep(1)              # caught mid-link: try again
    sys.exit(f"bench: could not take a working copy of {path}")


def b_trace():
    """Cost of recording: the switch-heavy handoff with and without tracing."""
    plain = outside(tsbox("random"), "handoff.lua", [TRACE_N])
    detail("trace: no tracing", f"`{cmdline(plain.cmd)}`: {plain.raw()}")
    json_out = os.path.join(tempfile.gettempdir(), "tsbox-bench-timeline.json")
    cases = [("--trace", ["--trace"]), ("--timeline", ["--timeline", json_out])]
    for label, extra in cases:
        name = f"tracing ({label})"

        def one(extra=extra, name=name):
            m = outside(tsbox("random", *extra), "handoff.lua", [TRACE_N])
            row(name, fmt_time(m.best), f"no trace {fmt_time(plain.best)}",
                fmt_speed(m.best, plain.best), m, plain)
            detail(name, f"`{cmdline(m.cmd)}`: {m.raw()}")
        guarded(name, one)


def b_race():
    """--race against the same run without it: a learner script, the lost
    update (a global read and written at every step) and a lock-bound loop,
    which switch threads often; then the lost update, the VM loop and a
    loop of table library calls (each element they index is an access)
    with rare switches, where the per-instruction cost of the hook shows."""
    rare = ["--quantum", "100000"]
    cases = [("race.lua", "../scripts/race.lua", [], (1,), []),
             ("lost update 2x20000", "explore_counter.lua", [20000], (0, 1), []),
             ("lock-heavy 4x5000", "lock_heavy.lua", [5000], (0,), []),
             ("lost update, q=1e5", "explore_counter.lua", [200000], (0, 1), rare),
             ("vm loop 10M, q=1e5", "vm_overhead.lua", [VM_N], (0,), rare),
             ("table lib 2000x, q=1e5", "table_lib.lua", [2000], (0,), rare)]
    for label, script, args, codes, extra in cases:
        name = f"--race: {label}"

        def one(script=script, args=args, codes=codes, extra=extra, name=name):
            plain = outside(tsbox("random", *extra), script, args, codes=codes)
            m = outside(tsbox("random", "--race", *extra), script, args, codes=(0, 1))
            if m.out != plain.out:
                raise BenchError(f"--race changed the output of {script}")
            row(name, fmt_time(m.best), f"no --race {fmt_time(plain.best)}",
                fmt_speed(m.best, plain.best), m, plain)
            detail(name, f"`{cmdline(m.cmd)}`: {m.raw()}", f"`{cmdline(plain.cmd)}`: {plain.raw()}")
        guarded(name, one)


def main():
    global TSBOX, TSBOX_SHOWN
    t0 = time.perf_counter()
    if not os.access(TSBOX, os.X_OK):
        sys.exit(f"bench: no tsbox binary at {TSBOX} (run make)")
    TSBOX_SHOWN = TSBOX
    TSBOX = snapshot(TSBOX)
    print(f"tsbox benchmarks: best of {REPS}; tsbox/lua5.4 timed from outside minus start-up,"
          f" CPython {platform.python_version()} timed inside", flush=True)
    print(f"  {'benchmark':<30} {'tsbox':<18} {'baseline':<26} ratio", flush=True)
    only = [x for x in os.environ.get("BENCH_ONLY", "").split(",") if x]
    for fn in (b_handoff, b_lock, b_counter, b_spawn, b_rss, b_vm, b_busy, b_recursion, b_waiters,
               b_explore, b_trace, b_race):
        if not only or fn.__name__[2:] in only:
            guarded(fn.__name__, fn)
    if any(r[3].endswith("*") for r in ROWS):
        print(f"  *: repetitions differed by more than {NOISY:g}x or a run was killed"
              f" after {RUN_TIMEOUT:g} s; see {os.path.relpath(OUT, ROOT)}", flush=True)
    elapsed = time.perf_counter() - t0
    write_results(elapsed)
    print(f"bench: {elapsed:.1f} s; wrote {os.path.relpath(OUT, ROOT)}", flush=True)


if __name__ == "__main__":
    main()
