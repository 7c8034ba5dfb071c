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
Each timing is the best of BENCH_REPS runs (default 3); deterministic
schedulers run with a fixed seed so every repetition runs the same
interleaving and only machine noise varies.

Environment: TSBOX (binary, default ../tsbox), LUA (default lua5.4),
BENCH_REPS (default 3), BENCH_OUT (default bench/RESULTS.md).
"""
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TSBOX = os.environ.get("TSBOX") or os.path.join(ROOT, "tsbox")
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
SPAWN_N = 10000
RSS_N = 1000
VM_N = 10000000


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


def run(cmd, timeout=PY_TIMEOUT):
    """Run cmd to completion; (wall seconds, stdout, stderr)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise Killed(f"killed after {timeout:g} s") from e
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        err = (p.stderr or p.stdout).strip().splitlines()[-3:]
        raise BenchError(f"`{' '.join(cmd)}` exited {p.returncode}: {' | '.join(err)}")
    return dt, p.stdout, p.stderr


def cmdline(cmd):
    def short(c):
        if c == PYTHON:
            return "python3"
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


def outside(prefix, script, args=()):
    """Wall time of `prefix script args` minus the start-up of `prefix empty.lua`."""
    cmd = list(prefix) + [bench(script)] + [str(a) for a in args]
    times, out, err, killed = [], "", "", None
    for _ in range(REPS):
        try:
            dt, out, err = run(cmd, RUN_TIMEOUT)
        except Killed as e:
            dt, killed = None, e
        times.append(dt)
    if all(t is None for t in times):
        raise BenchError(f"`{cmdline(cmd)}`: every run {killed}")
    return Measure(cmd, times, startup(prefix), out, err)


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
            extra = f", {int(sw.group(1)) / h:.2f} scheduler switches per handoff" \
                if sw and sched != "os" else ""
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
            extra = f", {int(sw.group(1)) / inc:.2f} scheduler switches per increment" \
                if sw and sched != "os" else ""
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

- **handoff**: under `random` and `rr` every switch is a baton pass between
  two OS threads: the scheduler mutex, a `pthread_cond_signal` to the next
  thread and a `pthread_cond_wait` of the current one, i.e. a futex wake-up
  of a sleeping thread on another core, a few microseconds on a shared VM.
  Switch cost, not Lua, sets the rate; the raw measurements give switches
  per handoff. `random` adds random preemptions (mean quantum 16) that
  sometimes hand the baton to the thread that is not on turn; `rr`'s fixed
  quantum keeps preempting the thread on turn, so it needs about 3 switches
  per handoff and is the slowest. Under `os` a `ts.yield()` only gives the
  GIL away once the other thread is queued for it, so the thread off turn
  mostly spins (yields per handoff) while the other one is being woken up;
  it is the fastest mode but has bad outliers (rows marked `*`). CPython's
  Event ping-pong pays a Condition, a lock allocation and a GIL hand-over
  per handoff. The 1 M handoffs/s goal of the issue needs about 1 us per
  handoff: out of reach while each switch sleeps and wakes an OS thread; it
  would take spinning on the baton before sleeping.
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


def main():
    t0 = time.perf_counter()
    if not os.access(TSBOX, os.X_OK):
        sys.exit(f"bench: no tsbox binary at {TSBOX} (run make)")
    print(f"tsbox benchmarks: best of {REPS}; tsbox/lua5.4 timed from outside minus start-up,"
          f" CPython {platform.python_version()} timed inside", flush=True)
    print(f"  {'benchmark':<30} {'tsbox':<18} {'baseline':<26} ratio", flush=True)
    for fn in (b_handoff, b_lock, b_counter, b_spawn, b_rss, b_vm):
        guarded(fn.__name__, fn)
    if any(r[3].endswith("*") for r in ROWS):
        print(f"  *: repetitions differed by more than {NOISY:g}x or a run was killed"
              f" after {RUN_TIMEOUT:g} s; see {os.path.relpath(OUT, ROOT)}", flush=True)
    elapsed = time.perf_counter() - t0
    write_results(elapsed)
    print(f"bench: {elapsed:.1f} s; wrote {os.path.relpath(OUT, ROOT)}", flush=True)


if __name__ == "__main__":
    main()
