"""handoff.py: CPython twin of handoff.lua / handoff_event.lua.

Two threads play ping-pong with two threading.Events: each waits for its
own Event, clears it and sets the other's. N round trips are 2*N handoffs
of the GIL (each one a real wake-up of the other OS thread).

Timing: inside, time.perf_counter() around start..join (interpreter
start-up excluded). usage: python3 bench/handoff.py [N]
"""
import sys
import threading
import time


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    ev = [threading.Event(), threading.Event()]

    def player(me, other):
        mine, theirs = ev[me], ev[other]
        for _ in range(n):
            mine.wait()
            mine.clear()
            theirs.set()

    a = threading.Thread(target=player, args=(0, 1))
    b = threading.Thread(target=player, args=(1, 0))
    t0 = time.perf_counter()
    a.start()
    b.start()
    ev[0].set()
    a.join()
    b.join()
    print(f"handoffs={2 * n} elapsed={time.perf_counter() - t0:.6f}")


main()
