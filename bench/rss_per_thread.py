"""rss_per_thread.py: CPython twin of rss_per_thread.lua.

N live threads pass a Barrier of N+1 parties, then wait on one Event. The
main thread prints "parked" and blocks reading a line from stdin; meanwhile
bench/harness.py reads VmHWM from /proc/<pid>/status, then lets it finish.
No timing. usage: python3 bench/rss_per_thread.py [N] < go
"""
import sys
import threading


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    barrier = threading.Barrier(n + 1)
    go = threading.Event()

    def parked():
        barrier.wait()
        go.wait()

    threads = [threading.Thread(target=parked) for _ in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    sys.stdout.write(f"parked threads={n}\n")
    sys.stdout.flush()
    sys.stdin.readline()
    go.set()
    for t in threads:
        t.join()


main()
