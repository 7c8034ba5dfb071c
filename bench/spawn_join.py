"""spawn_join.py: CPython twin of spawn_join.lua.

Spawn and join N threads (default 10 000) in batches of 100.

Timing: inside, time.perf_counter() around the loop (interpreter start-up
excluded). usage: python3 bench/spawn_join.py [N] [batch]
"""
import sys
import threading
import time


def nothing():
    pass


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    b = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    t0 = time.perf_counter()
    done = 0
    while done < n:
        batch = [threading.Thread(target=nothing) for _ in range(min(b, n - done))]
        for t in batch:
            t.start()
        for t in batch:
            t.join()
        done += len(batch)
    elapsed = time.perf_counter() - t0
    print(f"threads={done} elapsed={elapsed:.6f}")


main()
