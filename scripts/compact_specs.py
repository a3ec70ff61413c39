"""Derive the compact Pipedrive specs the emulator ships from the official OpenAPI files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "pipedrive-openapi"
DEFAULT_TARGET = REPO_ROOT / "pipedrive_graphql" / "emulator" / "spec"
# The client's price list: every operation's `x-token-cost`, by version and "METHOD /path".
COSTS_TARGET = REPO_ROOT / "pipedrive_graphql" / "datasources" / "pipedrive" / "token_costs.json"
METHODS = ("get", "post", "put", "patch", "delete")

# The operations the project serves or calls; every other operation is kept only as a token cost.
USED_PATHS: dict[str, tuple[str, ...]] = {
    "v2": (
        "/persons",
        "/persons/{id}",
        "/persons/search",
        "/deals",
        "/deals/{id}",
        "/deals/archived",
        "/deals/search",
        "/organizations",
        "/organizations/{id}",
        "/organizations/search",
        "/activities",
        "/activities/{id}",
        "/pipelines",
        "/pipelines/{id}",
        "/stages",
        "/stages/{id}",
        "/dealFields",
        "/personFields",
        "/organizationFields",
        "/activityFields",
    ),
    "v1": (
        "/notes",
        "/notes/{id}",
        "/users",
        "/users/{id}",
        "/users/me",
        "/mailbox/mailMessages/{id}",
        "/mailbox/mailThreads/{id}",
        "/deals/{id}/mailMessages",
        "/persons/{id}/mailMessages",
        "/organizations/{id}/mailMessages",
        "/deals/summary",
        "/deals/timeline",
        "/pipelines/{id}/conversion_statistics",
        "/pipelines/{id}/movement_statistics",
        "/webhooks",
        "/webhooks/{id}",
        "/dealFields",
        "/personFields",
        "/organizationFields",
        "/activityFields",
    ),
}
# Schema annotations that do not constrain a value; dropped to keep the files small.
ANNOTATIONS = frozenset(
    {"description", "example", "examples", "title", "x-tool-description", "externalDocs"}
)


def _resolve(node: Any, root: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """Inline every local $ref (the official files are mostly inlined already)."""
    if isinstance(node, list):
        return [_resolve(item, root, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            return {}  # a recursive schema: accept anything below the cycle
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return _resolve(target, root, (*seen, ref))
    return {key: _resolve(value, root, seen) for key, value in node.items()}


def _strip_schema(schema: Any) -> Any:
    """Drop annotations from a schema, keeping property names that look like annotations."""
    if isinstance(schema, list):
        return [_strip_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ANNOTATIONS:
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _strip_schema(sub) for name, sub in value.items()}
        else:
            out[key] = _strip_schema(value)
    return out


def _content_schemas(content: dict[str, Any]) -> dict[str, Any]:
    """Map each media type to its stripped schema."""
    return {
        media: _strip_schema(body.get("schema", {}))
        for media, body in content.items()
        if isinstance(body, dict)
    }


def _compact_operation(op: dict[str, Any], shared_params: list[Any]) -> dict[str, Any]:
    """Keep what a validator needs from one operation."""
    params = []
    for param in [*shared_params, *op.get("parameters", [])]:
        kept = {k: param[k] for k in ("name", "in", "required", "style", "explode") if k in param}
        kept["schema"] = _strip_schema(param.get("schema", {}))
        params.append(kept)
    compact: dict[str, Any] = {
        "operationId": op["operationId"],
        "x-token-cost": op.get("x-token-cost", 0),
        "parameters": params,
        "responses": {
            str(status): _content_schemas(resp.get("content", {}))
            for status, resp in op.get("responses", {}).items()
        },
    }
    body = op.get("requestBody")
    if body:
        compact["requestBody"] = {
            "required": body.get("required", False),
            "content": _content_schemas(body.get("content", {})),
        }
    return compact


def compact(spec: dict[str, Any], version: str) -> dict[str, Any]:
    """Return the compact form of one version's spec."""
    spec = _resolve(spec, spec)
    operations: dict[str, dict[str, Any]] = {}
    costs: dict[str, dict[str, Any]] = {}
    for path, item in sorted(spec["paths"].items()):
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            costs[f"{method.upper()} {path}"] = {
                "operationId": op.get("operationId", ""),
                "x-token-cost": op.get("x-token-cost", 0),
            }
            if path in USED_PATHS[version]:
                shared = item.get("parameters", [])
                operations.setdefault(path, {})[method] = _compact_operation(op, shared)
    return {
        "version": version,
        "source": spec["info"].get("version", ""),
        "operations": operations,
        "token_costs": costs,
    }


def write_compact(source: Path, target: Path, costs_target: Path = COSTS_TARGET) -> list[Path]:
    """Write v1.json and v2.json under `target`, and the price list at `costs_target`."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    prices: dict[str, dict[str, int]] = {}
    for version in ("v1", "v2"):
        with (source / f"{version}.yaml").open(encoding="utf-8") as fh:
            spec = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        document = compact(spec, version)
        out = target / f"{version}.json"
        text = json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False)
        out.write_text(text + "\n", encoding="utf-8")
        written.append(out)
        prices[version] = {
            key: int(cost["x-token-cost"]) for key, cost in document["token_costs"].items()
        }
    costs_target.write_text(json.dumps(prices, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    written.append(costs_target)
    return written


def main() -> None:
    """Command-line entry: `python scripts/compact_specs.py [--source DIR] [--target DIR]`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--costs-target", type=Path, default=COSTS_TARGET)
    args = parser.parse_args()
    for path in write_compact(args.source, args.target, args.costs_target):
        print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
