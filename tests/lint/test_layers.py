#!/usr/bin/env python3
"""The folders of host/ depend one way: each includes only its own headers,
those of earlier stages and the public textsim.h (docs/ARCHITECTURE.md).

    base < text < engine < index < align < output < cli < mpi

A file that includes a header of a later stage (or an unknown folder) fails
the test, with the line to move.  Run: python3 tests/lint/test_layers.py
"""
import os
import re
import sys
import tempfile

ORDER = ["base", "text", "engine", "index", "align", "output", "cli", "mpi"]
ROOT = os.environ.get("TS_SOURCE_DIR",
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
HOST = os.path.join(ROOT, "host")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(path):
    """The folder of an include written "FOLDER/NAME.h"; None for a bare name."""
    return path.split("/")[0] if "/" in path else None


def check(host):
    """(problems, files seen) of the tree at host."""
    problems = []
    seen = 0
    for folder in sorted(os.listdir(host)):
        full = os.path.join(host, folder)
        if not os.path.isdir(full):
            problems.append(f"host/{folder}: a file outside the stage folders")
            continue
        if folder not in ORDER:
            problems.append(f"host/{folder}: not a known stage (add it to ORDER and "
                            "docs/ARCHITECTURE.md)")
            continue
        rank = ORDER.index(folder)
        for name in sorted(os.listdir(full)):
            if not name.endswith((".c", ".h")):
                continue
            seen += 1
            text = open(os.path.join(full, name), encoding="utf-8").read()
            for m in INCLUDE.finditer(text):
                inc = m.group(1)
                line = text.count("\n", 0, m.start()) + 1
                where = f"host/{folder}/{name}:{line}"
                if inc == "textsim.h":
                    continue
                other = folder_of(inc)
                if other is None:
                    if not os.path.exists(os.path.join(full, inc)):
                        problems.append(f'{where}: "{inc}" is not in host/{folder}/; '
                                        "name another folder's header as \"FOLDER/NAME.h\"")
                    continue
                if other not in ORDER or not os.path.exists(os.path.join(host, inc)):
                    problems.append(f'{where}: "{inc}" is no header of host/')
                elif other == folder:
                    problems.append(f'{where}: "{inc}" names its own folder; write "{inc.split("/", 1)[1]}"')
                elif ORDER.index(other) > rank:
                    problems.append(f'{where}: {folder}/ includes "{inc}" of the later stage '
                                    f"{other}/: move what it needs to {folder}/ or earlier")
    return problems, seen


def self_test():
    """The check fails on a planted backward include and a stray header."""
    with tempfile.TemporaryDirectory() as tmp:
        for path, text in (("base/a.c", '#include "engine/x.h"\n#include "y.h"\n'),
                           ("engine/x.h", '#include "base/a.h"\n'), ("base/a.h", "")):
            os.makedirs(os.path.join(tmp, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(tmp, path), "w", encoding="utf-8") as f:
                f.write(text)
        problems, _ = check(tmp)
    return len(problems) == 2 and "later stage" in problems[0] and "y.h" in problems[1]


def main():
    if not self_test():
        print("the layering check missed a planted backward include: fix the check")
        return 1
    problems, seen = check(HOST)
    for p in problems:
        print(p)
    print(f"{seen} files in {len(ORDER)} stage folders, {len(problems)} problems")
    return 1 if problems or seen == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
