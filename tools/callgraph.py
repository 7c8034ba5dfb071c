#!/usr/bin/env python3
"""Which C file of src/ calls which, derived from the compiler's own call
graph (gcc -fcallgraph-info): a direct call from a function defined in
a.c to one defined in b.c is an edge a -> b. A call through a function
pointer (a hook) is not an edge: that is how the ground tells the roof.

  tools/callgraph.py            the file list: each file and what it calls
  tools/callgraph.py --cycles   the cycles only; exit 1 when there is one
  tools/callgraph.py --check-doc docs/ARCHITECTURE.md
                                exit 1 when the doc's "calls" column differs,
                                or a file calls one listed below it
  --src DIR (first) reads the C files of DIR instead of src/.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE = re.compile(r'^node: \{ title: "([^"]+)" label: "[^\\]*\\n([^:"]+):\d+:\d+"( shape : ellipse)? \}')
EDGE = re.compile(r'^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')


def lua_cflags():
    try:
        out = subprocess.run(["pkg-config", "--cflags", "lua5.4"], capture_output=True, text=True, check=True)
        return out.stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return ["-I/usr/include/lua5.4"]


def graphs(srcdir, incdir):
    """Each file's call graph, as gcc writes it: {file: text}."""
    cc = os.environ.get("CC_CALLGRAPH", "gcc")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        # The generated headers (toolbox_lua.h, timeline_html.h) stand in
        # empty when the tree has not been built: only calls matter here.
        for name in ("toolbox_lua.h", "timeline_html.h"):
            if not os.path.exists(os.path.join(incdir, name)):
                with open(os.path.join(tmp, name), "w") as f:
                    f.write("static const unsigned char %s[] = {0};\n" % name[:-2])
        for src in sorted(glob.glob(os.path.join(srcdir, "*.c"))):
            base = os.path.basename(src)[:-2]
            cmd = [cc, "-std=c11", "-D_GNU_SOURCE", "-O0", "-w"] + lua_cflags() + \
                  ["-I" + incdir, "-I" + tmp, "-fcallgraph-info", "-dumpdir", tmp + "/",
                   "-c", src, "-o", os.path.join(tmp, base + ".o")]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit("callgraph: %s failed:\n%s" % (" ".join(cmd), r.stderr))
            with open(os.path.join(tmp, base + ".ci")) as f:
                out[os.path.basename(src)] = f.read()
    return out


def file_calls(srcdir, incdir):
    """{file: {file it calls: [function, ...]}} over src/*.c."""
    texts = graphs(srcdir, incdir)
    home = {}                    # function -> the .c file defining it
    edges = []
    for name, text in texts.items():
        for line in text.splitlines():
            m = NODE.match(line)
            # A function defined in a header (static inline) belongs to
            # every file that includes it: no file calls another through it.
            if m and not m.group(3) and m.group(2).endswith(".c"):
                home[m.group(1)] = name
            m = EDGE.match(line)
            if m:
                edges.append((name, m.group(1), m.group(2)))
    calls = {name: {} for name in texts}
    for name, _, target in edges:
        to = home.get(target)
        if to is not None and to != name:
            calls[name].setdefault(to, set()).add(target)
    return calls


def cycles(calls):
    """The strongly connected components with more than one file (Tarjan)."""
    index, low, stack, on, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(calls[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    for v in sorted(calls):
        if v not in index:
            visit(v)
    return comps


def doc_rows(path):
    """{file: set of files} from the doc's table rows `| `x.c` | ... | calls |`."""
    rows = {}
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and re.fullmatch(r"`\w+\.c`", cells[0]):
                rows[cells[0].strip("`")] = set(re.findall(r"(\w+\.c)", cells[-1]))
    return rows


def main(argv):
    srcdir = os.path.join(ROOT, "src")
    if argv[1:2] == ["--src"]:
        srcdir = argv[2]
        argv = argv[:1] + argv[3:]
    incdir = os.path.join(ROOT, "build", "release")
    calls = file_calls(srcdir, incdir)
    if argv[1:2] == ["--cycles"]:
        comps = cycles(calls)
        for comp in comps:
            print("cycle: " + " ".join(comp))
            for a in comp:
                for b in sorted(calls[a]):
                    if b in comp:
                        print("  %s -> %s (%s)" % (a, b, ", ".join(sorted(calls[a][b]))))
        return 1 if comps else 0
    if argv[1:2] == ["--check-doc"]:
        rows = doc_rows(argv[2])
        bad = 0
        for name in sorted(calls):
            want = set(calls[name])
            if name not in rows:
                print("%s: not in %s" % (name, argv[2]))
                bad = 1
            elif rows[name] != want:
                print("%s: the doc says it calls %s; it calls %s" % (
                    name, " ".join(sorted(rows[name])) or "nothing", " ".join(sorted(want)) or "nothing"))
                bad = 1
        for name in sorted(set(rows) - set(calls)):
            print("%s: in %s but not in src/" % (name, argv[2]))
            bad = 1
        # The list runs from the ground up: each file calls only files above it.
        order = list(rows)
        for name in order:
            for callee in sorted(calls.get(name, ())):
                if callee in rows and order.index(callee) > order.index(name):
                    print("%s calls %s, which %s lists below it" % (name, callee, argv[2]))
                    bad = 1
        return bad
    for name in sorted(calls):
        print("%-10s %s" % (name, " ".join(sorted(calls[name])) or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
