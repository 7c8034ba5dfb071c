"""counter_contended.py: CPython twin of counter_contended.lua.

4 threads each add 1 to a shared counter N times, every increment under one
shared threading.Lock.

Timing: inside, time.perf_counter() around start..join (interpreter
start-up excluded). usage: python3 bench/counter_contended.py [N] [threads]
"""
import sys
import threading
import time


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    nthreads = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    lock = threading.Lock()
    counter = 0

    def worker():
        nonlocal counter
        for _ in range(n):
            lock.acquire()
            counter += 1
            lock.release()

    threads = [threading.Thread(target=worker) for _ in range(nthreads)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    assert counter == nthreads * n, "lost updates under a Lock"
    print(f"increments={counter} elapsed={elapsed:.6f}")


main()
