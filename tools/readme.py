#!/usr/bin/env python3
"""Keeps the README's samples true: regenerates them from the real binary.

    python3 tools/readme.py [--write] [--tsbox BIN] [README.md]

A sample is a fenced block that follows an HTML comment line:

    <!-- readme-check -->
    ```
    $ ./tsbox -s 1 scripts/race.lua
    ...what it prints...
    ```

Every line of the block that starts with "$ " is a command; the lines up
to the next command are its output. Each command runs with `sh -c` in a
scratch directory where `./tsbox` is the binary under test and `scripts`,
`tests` and `docs` lead to the repository's own; its stdout and stderr go
to one pipe, in the order the user would see them, with NO_COLOR and
NO_PROGRESS set and stdin empty. `<!-- readme-check: file NAME -->` before
a block writes the block's text to NAME in that directory first (so the
README's own examples are what runs). Blocks run in document order, in one
directory; indented blocks (inside a list) keep their indentation.

A sample matches when its recorded output equals the fresh output after
both are normalised. Only what varies from run to run or machine to
machine is normalised, by these rules and no others:
  - the wall-clock time of an exploration, "in 0.84 s", becomes "in T s";
  - the number of worker processes, "2 jobs" or "1 job", becomes "J jobs";
  - spaces at the end of a line are dropped (Markdown does not keep them).

The README's options table must also name every option `--help` lists,
and its schedulers table have a row for every scheduler `--help` names.

Without --write: prints each sample that differs (its line and a diff)
and each option the table lacks, and exits 1 if there is any. With
--write: rewrites each differing sample with the fresh output (samples
and lines that match are left as they are, so the file does not churn).
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARK = re.compile(r"^(\s*)<!-- readme-check(?::\s*(.*?))?\s*-->\s*$")
FENCE = re.compile(r"^(\s*)```")
NORMALISE = [
    (re.compile(r"\bin \d+(?:\.\d+)? s\b"), "in T s"),
    (re.compile(r"\b\d+ jobs?\b"), "J jobs"),
]
TIMEOUT = 300


def normalise(lines):
    out = []
    for line in lines:
        line = line.rstrip()
        for pattern, repl in NORMALISE:
            line = pattern.sub(repl, line)
        out.append(line)
    return out


def merge(old, new):
    """The fresh output, keeping the recorded lines that match it once normalised."""
    out = []
    sm = difflib.SequenceMatcher(None, normalise(old), normalise(new), autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        out.extend(old[a0:a1] if op == "equal" else new[b0:b1])
    return out


def samples(lines):
    """Yields (marker options, first and last line index of the block's text, indent)."""
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if not m:
            i += 1
            continue
        f = FENCE.match(lines[i + 1]) if i + 1 < len(lines) else None
        if not f:
            sys.exit("line %d: a readme-check comment must be followed by a ``` block" % (i + 1))
        indent = f.group(1)
        j = i + 2
        while j < len(lines) and not (FENCE.match(lines[j]) and lines[j].strip() == "```"):
            j += 1
        if j == len(lines):
            sys.exit("line %d: the block never closes" % (i + 2))
        yield (m.group(2) or "").strip(), i + 2, j, indent
        i = j + 1


def unindent(line, indent):
    return line[len(indent):] if line.startswith(indent) else line.lstrip()


def run(cmd, cwd):
    env = dict(os.environ, NO_COLOR="1", NO_PROGRESS="1", LC_ALL="C", TERM="dumb")
    try:
        p = subprocess.run(["sh", "-c", cmd], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
        out = p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        out = "(readme-check: no answer in %d s)\n" % TIMEOUT
    return out.splitlines()


def regenerate(block, cwd):
    """The block with each command's output replaced by a fresh run's."""
    out = []
    for line in block:
        if line.startswith("$ "):
            out.append(line)
            out.extend(run(line[2:], cwd))
    return out


def help_text(tsbox):
    return subprocess.run([tsbox, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL).stdout.decode("utf-8", "replace")


def help_schedulers(tsbox):
    m = re.search(r"--sched NAME\s+(.*)", help_text(tsbox))
    return re.findall(r"[a-z]+(?= \(default\)|,|$)", m.group(1).strip()) if m else []


def help_options(tsbox):
    text = help_text(tsbox)
    opts = []
    for line in text.splitlines():
        m = re.match(r"^\s+(-\w)?(?:,\s*)?(--[\w-]+)?\s", line + " ")
        if m and (m.group(1) or m.group(2)):
            opts.append(m.group(2) or m.group(1))
    return opts


def main():
    args = sys.argv[1:]
    write = "--write" in args
    args = [a for a in args if a != "--write"]
    tsbox = "./tsbox"
    if "--tsbox" in args:
        k = args.index("--tsbox")
        tsbox = args[k + 1]
        del args[k:k + 2]
    path = args[0] if args else "README.md"
    repo = os.path.dirname(os.path.abspath(__file__)) + "/.."
    tsbox = os.path.realpath(tsbox)
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")

    differ, missing = [], []   # samples that differ; what the tables lack
    scratch = tempfile.mkdtemp(prefix="readme-check.")
    try:
        os.symlink(tsbox, os.path.join(scratch, "tsbox"))
        for d in ("scripts", "tests", "docs"):
            os.symlink(os.path.realpath(os.path.join(repo, d)), os.path.join(scratch, d))
        edits = []
        for opts, a, b, indent in samples(lines):
            block = [unindent(line, indent) for line in lines[a:b]]
            if opts.startswith("file "):
                with open(os.path.join(scratch, opts[5:].strip()), "w", encoding="utf-8") as f:
                    f.write("\n".join(block) + "\n")
                continue
            if opts:
                sys.exit("%s line %d: unknown readme-check option %r" % (path, a - 1, opts))
            if not any(line.startswith("$ ") for line in block):
                sys.exit("%s line %d: a sample needs at least one \"$ command\" line" % (path, a))
            fresh = regenerate(block, scratch)
            if normalise(fresh) != normalise(block):
                cmds = "; ".join(line[2:] for line in block if line.startswith("$ "))
                diff = difflib.unified_diff(normalise(block), normalise(fresh), "README",
                                            "fresh output", lineterm="", n=1)
                differ.append("%s line %d: sample of `%s` differs\n%s"
                                % (path, a, cmds, "\n".join("    " + d for d in diff)))
                edits.append((a, b, [(indent + line).rstrip() if line else line
                                     for line in merge(block, fresh)]))
    finally:
        shutil.rmtree(scratch)

    section = text[text.find("\n## Command line"):]
    section = section[:section.find("\n## ", 1)]
    table = "\n".join(line for line in section.split("\n") if line.startswith("|"))
    for opt in help_options(tsbox):
        if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), table):
            missing.append("%s: the options table (## Command line) lacks %s, which --help lists"
                            % (path, opt))

    for name in help_schedulers(tsbox):
        if not re.search(r"^\| `%s` \|" % re.escape(name), text, re.M):
            missing.append("%s: the schedulers table has no row for %s, which --help lists"
                            % (path, name))

    if write:
        for a, b, new in reversed(edits):
            lines[a:b] = new
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        for d in differ:
            print(d.splitlines()[0] + " (rewritten)")
        for m in missing:
            print(m)
        return 1 if missing else 0
    for p in differ + missing:
        print(p)
    return 1 if differ or missing else 0


if __name__ == "__main__":
    sys.exit(main())
