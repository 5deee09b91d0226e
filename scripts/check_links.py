#!/usr/bin/env python3
"""Checks every relative link of the tree's Markdown files: the file (or directory) exists, and
an anchor (#section) names a heading of that file as GitHub spells it. Exit 1 with one line per
broken link. Usage: scripts/check_links.py [ROOT]  (default: the repository)."""
import os
import re
import sys

SKIP_DIRS = {".build", ".git", ".swiftpm", ".venv-test", "node_modules", "dist"}
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def markdown_files(root):
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = [d for d in subdirs if d not in SKIP_DIRS and not d.startswith(".build")]
        for name in files:
            if name.endswith(".md"):
                yield os.path.join(directory, name)


def lines_outside_fences(path):
    inside = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                inside = not inside
                continue
            if not inside:
                yield number, line


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|__", "", heading.strip()).lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        seen, found = {}, set()
        for _, line in lines_outside_fences(path):
            m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if m:
                base = slug(m.group(1))
                n = seen.get(base, 0)
                found.add(base if n == 0 else f"{base}-{n}")
                seen[base] = n + 1
        cache[path] = found
    return cache[path]


def broken_links(root):
    for path in sorted(markdown_files(root)):
        for number, line in lines_outside_fences(path):
            line = re.sub(r"`[^`]*`", "", line)  # code spans are not links
            for m in LINK.finditer(line):
                target = m.group(1) or m.group(2)
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue  # http:, https:, mailto:
                file_part, _, anchor = target.partition("#")
                resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                where = f"{os.path.relpath(path, root)}:{number}"
                if not os.path.exists(resolved):
                    yield f"{where}: '{target}' names a file that does not exist"
                elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                    yield f"{where}: '{target}': no heading '#{anchor}' in {os.path.relpath(resolved, root)}"


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    problems = list(broken_links(root))
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} broken links")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
