"""Run the CLI with only the runtime image's distributions importable.

`python -m tests.production.runtime_only serve` refuses to import any module that belongs to
neither the standard library nor a distribution in the closure of `[project.dependencies]`
(what the Docker image installs): a dev-only or extra dependency needed by `serve` fails loudly.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]


def canonical(name: str) -> str:
    """PEP 503 name: `Typing_Extensions` -> `typing-extensions`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements() -> list[str]:
    """`[project.dependencies]` of pyproject.toml, as the image's build stage reads them."""
    with (REPO / "pyproject.toml").open("rb") as file:
        dependencies: list[str] = tomllib.load(file)["project"]["dependencies"]
    return dependencies


def runtime_closure() -> set[str]:
    """Every distribution the runtime dependencies pull in (markers evaluated, no extras)."""
    seen: set[str] = set()
    todo = [Requirement(line) for line in runtime_requirements()]
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonical(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        todo.extend(Requirement(line) for line in importlib.metadata.requires(name) or [])
    return seen


def allowed_modules() -> set[str]:
    """Top-level modules of the standard library, the runtime closure and this package."""
    closure = runtime_closure()
    allowed = set(sys.stdlib_module_names) | {"pipedrive_graphql", "tests", "_virtualenv"}
    for module, distributions in importlib.metadata.packages_distributions().items():
        if any(canonical(d) in closure for d in distributions):
            allowed.add(module)
    return allowed


class RuntimeOnly(importlib.abc.MetaPathFinder):
    """Refuses top-level imports outside `allowed` (recorded in `refused`)."""

    def __init__(self, allowed: set[str]) -> None:
        self.allowed = allowed
        self.refused: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """None (look further) for allowed modules; ModuleNotFoundError for the others."""
        top = fullname.partition(".")[0]
        if top in self.allowed or top.startswith("_"):
            return None
        self.refused.append(fullname)
        message = f"No module named {fullname!r} (not installed in the runtime image)"
        raise ModuleNotFoundError(message, name=fullname)


def main(argv: Sequence[str]) -> int:
    """Install the finder, then run the CLI with `argv`."""
    sys.meta_path.insert(0, RuntimeOnly(allowed_modules()))
    from pipedrive_graphql.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
