"""Access to the committed compact Pipedrive OpenAPI spec (`spec/v1.json`, `spec/v2.json`)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

SPEC_DIR = Path(__file__).with_name("spec")
Version = Literal["v1", "v2"]
# Where each version lives on Pipedrive's host; v1 answers on both prefixes.
PREFIXES: tuple[tuple[str, Version], ...] = (
    ("/api/v2", "v2"),
    ("/api/v1", "v1"),
    ("/v1", "v1"),
)
JsonSchema = dict[str, Any]
CONTROL_PREFIX = "/_emulator"  # the emulator's own control routes: not API, never limited


@dataclass(frozen=True)
class Parameter:
    """One declared path or query parameter."""

    name: str
    location: str
    required: bool
    schema: JsonSchema


@dataclass(frozen=True)
class OperationSpec:
    """The validation-relevant part of one operation kept in the compact spec."""

    version: Version
    method: str
    path_template: str
    operation_id: str
    token_cost: int
    parameters: tuple[Parameter, ...]
    request_body: JsonSchema | None
    request_body_required: bool
    responses: dict[str, JsonSchema]

    def response_schema(self, status: int) -> JsonSchema | None:
        """The JSON schema declared for `status` (or `default`), or None if undeclared."""
        return self.responses.get(str(status), self.responses.get("default"))


@dataclass(frozen=True)
class MatchedOperation:
    """One spec operation matched against a concrete request path."""

    operation_id: str
    token_cost: int
    path_template: str
    version: Version
    path_params: dict[str, str] = field(default_factory=dict)
    operation: OperationSpec | None = None  # None: known only by its token cost

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Declared parameters (empty for cost-only operations)."""
        return self.operation.parameters if self.operation else ()

    @property
    def request_body_schema(self) -> JsonSchema | None:
        """The JSON request body schema, if the operation declares one."""
        return self.operation.request_body if self.operation else None

    def response_schema(self, status: int) -> JsonSchema | None:
        """The JSON response schema declared for `status`, if any."""
        return self.operation.response_schema(status) if self.operation else None


@dataclass(frozen=True)
class _Route:
    segments: tuple[str, ...]
    template: str
    operation_id: str
    token_cost: int
    operation: OperationSpec | None

    def bind(self, parts: list[str]) -> dict[str, str] | None:
        params: dict[str, str] = {}
        for pattern, part in zip(self.segments, parts, strict=True):
            if pattern.startswith("{"):
                if not part:
                    return None
                params[pattern[1:-1]] = part
            elif pattern != part:
                return None
        return params


def split_version(path: str) -> tuple[Version, list[str]] | None:
    """Split `/api/v2/persons/1` into ("v2", ["persons", "1"]); None for non-API paths."""
    for prefix, version in PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            return version, path[len(prefix) :].strip("/").split("/")
    return None


def _json_media(content: dict[str, JsonSchema]) -> JsonSchema | None:
    return content.get("application/json")


def _operation(version: Version, method: str, path: str, raw: dict[str, Any]) -> OperationSpec:
    body = raw.get("requestBody")
    return OperationSpec(
        version=version,
        method=method.upper(),
        path_template=path,
        operation_id=raw["operationId"],
        token_cost=int(raw["x-token-cost"]),
        parameters=tuple(
            Parameter(p["name"], p["in"], bool(p.get("required", False)), p["schema"])
            for p in raw["parameters"]
        ),
        request_body=_json_media(body["content"]) if body else None,
        request_body_required=bool(body and body.get("required")),
        responses={
            status: schema
            for status, content in raw["responses"].items()
            if (schema := _json_media(content)) is not None
        },
    )


class CompactSpec:
    """The operations of both API versions, matched by method and concrete path."""

    def __init__(self, documents: dict[Version, dict[str, Any]]) -> None:
        """Index the compact documents produced by `scripts/compact_specs.py`."""
        self._routes: dict[tuple[Version, str, int], list[_Route]] = {}
        self._operations: list[OperationSpec] = []
        for version, doc in documents.items():
            for key, cost in doc["token_costs"].items():
                method, path = key.split(" ", 1)
                raw = doc["operations"].get(path, {}).get(method.lower())
                op = _operation(version, method, path, raw) if raw else None
                if op:
                    self._operations.append(op)
                segments = tuple(path.strip("/").split("/"))
                route = _Route(segments, path, cost["operationId"], cost["x-token-cost"], op)
                self._routes.setdefault((version, method, len(segments)), []).append(route)
        for routes in self._routes.values():
            # literal segments beat parameters: /persons/search before /persons/{id}
            routes.sort(key=lambda r: [s.startswith("{") for s in r.segments])

    def match(self, method: str, path: str) -> MatchedOperation | None:
        """Return the operation serving `method path`, or None when the spec has none."""
        split = split_version(path)
        if split is None:
            return None
        version, parts = split
        for route in self._routes.get((version, method.upper(), len(parts)), []):
            params = route.bind(parts)
            if params is not None:
                return MatchedOperation(
                    route.operation_id,
                    route.token_cost,
                    route.template,
                    version,
                    params,
                    route.operation,
                )
        return None

    def operations(self) -> Iterator[OperationSpec]:
        """Every operation kept with full detail (the ones the project uses)."""
        return iter(self._operations)

    def operation(self, operation_id: str) -> OperationSpec:
        """The detailed operation with this id; KeyError when it is not kept."""
        for op in self._operations:
            if op.operation_id == operation_id:
                return op
        raise KeyError(operation_id)


@functools.cache
def load_spec() -> CompactSpec:
    """Load the compact spec shipped with the package (once per process)."""
    documents: dict[Version, dict[str, Any]] = {}
    for version in ("v1", "v2"):
        with (SPEC_DIR / f"{version}.json").open(encoding="utf-8") as fh:
            documents[version] = json.load(fh)
    return CompactSpec(documents)
