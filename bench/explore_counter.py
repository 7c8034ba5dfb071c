"""explore_counter.py: CPython twin of explore_counter.lua (the lost update).

2 threading.Threads each add 1 to a shared global counter N times (default
100) with no lock, then the script prints `counter=FINAL` (200 when no
update was lost). bench/harness.py runs it in many fresh interpreters, one
after another and 2 at a time, as the CPython way of "exploring" a race:
interpreter runs per second, and the share of runs that lose an update.

How the increment is written. CPython 3.11 can hand the GIL to another
thread only where it checks its "eval breaker": at the start of a Python
function (RESUME), at a backward jump and in a few call paths, never between
plain load and store bytecodes. So neither `counter += 1` nor
`v = counter; v += 1; counter = v` can lose an update in 3.11: both were
measured losing 0 of 2x1000000 increments. The read and the write are
therefore separated by a call to a Python function, `v = add1(v)`, whose
RESUME is a switch point: this is the smallest change that makes the lost
update possible in CPython 3.11 (2x1000000 increments lose about a quarter
of them; `bench/harness.py` checks that on every run of the suite).

Timing: none inside; the harness times the whole batch of processes from
outside. An optional argument after N is ignored (xargs passes a run index).
usage: python3 bench/explore_counter.py [N] [ignored]
"""
import sys
import threading

counter = 0


def add1(x):
    return x + 1


def worker(n):
    global counter
    for _ in range(n):
        v = counter
        v = add1(v)          # a Python call: the GIL can switch here
        counter = v


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    threads = [threading.Thread(target=worker, args=(n,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # one write: batches run 2 at a time into one pipe (and PYTHONUNBUFFERED
    # would make print() write the text and the newline separately)
    sys.stdout.write(f"counter={counter}\n")


main()
