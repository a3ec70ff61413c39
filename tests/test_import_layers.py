"""Imports flow one way (docs/ARCHITECTURE.md): a module never imports a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipedrive_graphql"

# For each layer, the layers it must never import, at module level or inside a function.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "resolvers": ("schema", "execution"),
    "execution": ("schema",),
    "datasources": ("schema", "resolvers", "execution", "live"),
    "datasources.state": (
        "datasources.loading",
        "datasources.pipedrive",
        "datasources.resilience",
    ),
    "datasources.resilience": ("datasources.loading", "datasources.pipedrive"),
    "datasources.pipedrive": ("datasources.loading",),
}


def _layer_modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer.replace(".", "/")).rglob("*.py"))


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(layer: str) -> None:
    modules = _layer_modules(layer)
    assert modules, f"no modules under {layer}"
    wrong = sorted(
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in modules
        for name in _imported(path)
        for above in FORBIDDEN[layer]
        if name == f"pipedrive_graphql.{above}" or name.startswith(f"pipedrive_graphql.{above}.")
    )
    assert wrong == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from pipedrive_graphql.schema import build_schema\n")
    assert "pipedrive_graphql.schema.build_schema" in _imported(module)
