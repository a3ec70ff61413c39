"""Fail when schema.graphql breaks clients compared with the previous commit's schema.graphql.

Usage: python scripts/check_schema_compat.py [--base REV] [--file schema.graphql]
Exit 1 on breaking changes (graphql-core's find_breaking_changes), 0 otherwise; dangerous
changes are printed as warnings. With no previous version of the file there is nothing to break.
Exit 2 when the base revision is not in the clone (a shallow clone has no HEAD~1): the check
cannot pass without comparing; fetch the history (`git fetch --deepen=1`) or pass --base.
A breaking change listed, with its reason, in scripts/schema_compat_allowed.txt is let through.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from graphql import BreakingChange, DangerousChange, build_schema
from graphql.utilities import find_breaking_changes, find_dangerous_changes


def compare(old_sdl: str, new_sdl: str) -> tuple[list[BreakingChange], list[DangerousChange]]:
    """The breaking and dangerous changes from `old_sdl` to `new_sdl`."""
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    return find_breaking_changes(old, new), find_dangerous_changes(old, new)


ALLOWED_FILE = Path(__file__).with_name("schema_compat_allowed.txt")


def allowed_changes(path: Path = ALLOWED_FILE) -> frozenset[str]:
    """The descriptions of breaking changes made on purpose (comment lines give the reason)."""
    if not path.exists():
        return frozenset()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def previous_sdl(path: str, base: str) -> str | None:
    """The file's text at `base`, or None when git has no such version."""
    result = subprocess.run(
        ["git", "show", f"{base}:{path}"], capture_output=True, text=True, check=False
    )
    return result.stdout if result.returncode == 0 else None


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def missing_base(base: str) -> str | None:
    """Why `base` cannot be compared with, or None when it is a commit in this clone.

    The first commit of a full clone has no parent: there is nothing to break, so that is
    not a reason. A shallow clone cut at HEAD also has no parent, and is one.
    """
    if _git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").returncode == 0:
        return None
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        return (
            f"{base} is not in this shallow clone; fetch the history "
            "(git fetch --deepen=1, or a full clone) or pass --base REV"
        )
    roots = _git("rev-list", "--max-parents=0", "HEAD").stdout.split()
    head = _git("rev-parse", "HEAD").stdout.strip()
    if head in roots and base in ("HEAD~1", "HEAD^"):
        return None
    return f"unknown revision {base}"


def main(argv: list[str] | None = None) -> int:
    """Compare the working copy of the schema with its version at the base revision."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="HEAD~1", help="git revision to compare with")
    parser.add_argument("--file", default="schema.graphql")
    args = parser.parse_args(argv)
    reason = missing_base(args.base)
    if reason is not None:
        print(f"schema-compat: cannot check: {reason}")
        return 2
    old = previous_sdl(args.file, args.base)
    if old is None:
        print(f"schema-compat: no {args.file} at {args.base}; nothing to compare")
        return 0
    breaking, dangerous = compare(old, Path(args.file).read_text(encoding="utf-8"))
    for change in dangerous:
        print(f"schema-compat: warning: {change.type.name}: {change.description}")
    allowed = allowed_changes()
    for deliberate in [b for b in breaking if b.description in allowed]:
        print(f"schema-compat: allowed: {deliberate.type.name}: {deliberate.description}")
    breaking = [b for b in breaking if b.description not in allowed]
    for broken in breaking:
        print(f"schema-compat: BREAKING: {broken.type.name}: {broken.description}")
    if breaking:
        print(f"schema-compat: {len(breaking)} breaking change(s) against {args.base}")
        return 1
    print(f"schema-compat: no breaking changes against {args.base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
