#!/usr/bin/env python3
"""Checks that src/common's folders include only downward.

The master's and the slave's folders are separate include paths, so the
compiler refuses an upward include there (src/CMakeLists.txt). src/common's
headers share one root (include/ddb/<folder>/), so this check stands in for
the compiler: a file in folder F may include ddb/G/... only when G is F or
below F in LAYERS.

Usage: check_layers.py <source dir>. Exit status 1 names every offending
include, with its file and line.
"""
import pathlib
import re
import sys

# Bottom first; each folder may use every folder before it.
LAYERS = ["base", "sql", "mysql", "protocol", "console", "daemon", "snapshot"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"ddb/([a-z_]+)/[^"]+"')


def folder_of(path, root):
    for base in (root / "include" / "ddb", root / "src" / "common"):
        try:
            return path.relative_to(base).parts[0]
        except ValueError:
            continue
    return None


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    files = list((root / "include" / "ddb").rglob("*.h"))
    files += list((root / "src" / "common").rglob("*.cpp"))
    problems = []
    for path in sorted(files):
        folder = folder_of(path, root)
        if folder not in LAYERS:
            problems.append(f"{path.relative_to(root)}: folder '{folder}' is not in LAYERS")
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target = match.group(1)
            if target not in LAYERS:
                problems.append(f"{path.relative_to(root)}:{number}: includes unknown folder ddb/{target}")
            elif LAYERS.index(target) > LAYERS.index(folder):
                problems.append(f"{path.relative_to(root)}:{number}: {folder} includes ddb/{target}, "
                                f"which is above it ({' < '.join(LAYERS)})")
    for problem in problems:
        print(problem)
    print(f"checked {len(files)} files: {len(problems)} upward includes")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
