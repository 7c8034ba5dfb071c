"""lock_uncontended.py: CPython twin of lock_uncontended.lua.

acquire + release of an uncontended threading.Lock, N times in one thread.

Timing: inside, time.perf_counter() around the loop (interpreter start-up
excluded). usage: python3 bench/lock_uncontended.py [N]
"""
import sys
import threading
import time


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    lock = threading.Lock()
    t0 = time.perf_counter()
    for _ in range(n):
        lock.acquire()
        lock.release()
    elapsed = time.perf_counter() - t0
    assert not lock.locked()
    print(f"ops={n} elapsed={elapsed:.6f}")


main()
