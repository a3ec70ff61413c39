"""Strict mode: answer 400 to any request the compact spec does not allow."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from openapi_schema_validator import OAS30Validator, oas30_format_checker
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipedrive_graphql.emulator.spec import JsonSchema, MatchedOperation, Parameter

if TYPE_CHECKING:
    from pipedrive_graphql.emulator.state import EmulatorState

ERROR_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API."
# Credentials may travel in the query (legacy `api_token`); auth handles them, not the spec.
ALWAYS_ALLOWED_QUERY = frozenset({"api_token"})
_INTEGER = re.compile(r"-?\d+")
# Enum parameters Pipedrive documents as comma-separated lists although the spec types them as
# one value: live Pipedrive accepts `status=won,lost` on deal lists, and the searches' `fields`
# is "a comma-separated string array" in the v2 spec's own description.
COMMA_SEPARATED = frozenset(
    {
        ("getDeals", "status"),
        ("getArchivedDeals", "status"),
        ("searchPersons", "fields"),
        ("searchDeals", "fields"),
        ("searchOrganization", "fields"),
    }
)
# `include_fields` is "comma separated string array" in every operation's description while the
# schema types it as one enum value: each comma-separated name must be one of the enum.
COMMA_SEPARATED_EVERYWHERE = frozenset({"include_fields"})
_validators: dict[int, tuple[JsonSchema, Any]] = {}


class SpecViolationError(Exception):
    """A request the spec does not allow; the message is safe to show the client."""


def error_response(status: int, message: str) -> JSONResponse:
    """Pipedrive's generic error envelope."""
    body = {
        "success": False,
        "error": message,
        "error_info": ERROR_INFO,
        "data": None,
        "additional_data": None,
    }
    return JSONResponse(body, status_code=status)


def schema_errors(schema: JsonSchema, value: object) -> list[str]:
    """Validation messages for `value` against an OpenAPI 3.0 schema (validators cached)."""
    cached = _validators.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = (schema, OAS30Validator(schema, format_checker=oas30_format_checker))
        _validators[id(schema)] = cached
    return [_describe(err) for err in cached[1].iter_errors(value)]


def _describe(err: Any) -> str:
    where = ".".join(str(p) for p in err.absolute_path)
    return f"{where}: {err.message}" if where else str(err.message)


def _coerce(raw: str, schema: JsonSchema, version: str) -> object:
    """Turn a query-string value into the JSON value the schema speaks about."""
    kind = schema.get("type")
    if kind == "integer":
        return int(raw) if _INTEGER.fullmatch(raw) else raw
    if kind == "number":
        if _INTEGER.fullmatch(raw):
            return int(raw)
        try:
            return float(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        # v2 is strictly true/false; v1 also takes 0/1
        words = {"true": True, "false": False}
        if version == "v1":
            words |= {"1": True, "0": False}
        return words.get(raw, raw)
    if kind == "array":
        items = schema.get("items", {})
        return [_coerce(part, items, version) for part in raw.split(",")]
    return raw


def _check_parameter(
    param: Parameter, raw: str, version: str, operation_id: str = ""
) -> Iterator[str]:
    listed = (operation_id, param.name) in COMMA_SEPARATED
    parts = raw.split(",") if listed or param.name in COMMA_SEPARATED_EVERYWHERE else [raw]
    for part in parts:
        value = _coerce(part, param.schema, version)
        for message in schema_errors(param.schema, value):
            yield f"{param.location} parameter '{param.name}' is invalid: {message}"


def check_query(match: MatchedOperation, pairs: list[tuple[str, str]]) -> None:
    """Reject undeclared, repeated, missing or ill-typed path and query parameters."""
    declared = {p.name: p for p in match.parameters if p.location == "query"}
    seen: set[str] = set()
    for name, raw in pairs:
        if name in ALWAYS_ALLOWED_QUERY:
            continue
        param = declared.get(name)
        if param is None:
            raise SpecViolationError(f"Unknown query parameter '{name}' for this endpoint")
        if name in seen:
            raise SpecViolationError(f"Query parameter '{name}' given more than once")
        seen.add(name)
        for message in _check_parameter(param, raw, match.version, match.operation_id):
            raise SpecViolationError(message)
    for param in match.parameters:
        if param.location == "path" and param.name in match.path_params:
            for message in _check_parameter(param, match.path_params[param.name], match.version):
                raise SpecViolationError(message)
        elif param.required and param.location == "query" and param.name not in seen:
            raise SpecViolationError(f"Missing required query parameter '{param.name}'")


def _declared_keys(schema: JsonSchema) -> set[str] | None:
    """Property names an object schema declares, or None when it admits any key."""
    if "additionalProperties" in schema and schema["additionalProperties"] is not False:
        return None
    keys: set[str] = set(schema.get("properties", {}))
    for combinator in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(combinator, []):
            branch_keys = _declared_keys(branch)
            if branch_keys is None:
                return None
            keys |= branch_keys
    return keys or None


def _property_schema(schema: JsonSchema, key: str) -> JsonSchema | None:
    if key in schema.get("properties", {}):
        found: JsonSchema = schema["properties"][key]
        return found
    for combinator in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(combinator, []):
            if (sub := _property_schema(branch, key)) is not None:
                return sub
    return None


def undeclared_fields(value: object, schema: JsonSchema, where: str = "") -> Iterator[str]:
    """Paths of object keys the schema does not declare, at any depth."""
    if isinstance(value, dict):
        declared = _declared_keys(schema)
        for key, item in value.items():
            if declared is not None and key not in declared:
                yield f"{where}{key}"
            elif (sub := _property_schema(schema, key)) is not None:
                yield from undeclared_fields(item, sub, f"{where}{key}.")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from undeclared_fields(item, schema["items"], f"{where}{index}.")


def check_body(match: MatchedOperation, body: bytes, content_type: str) -> None:
    """Reject bodies that are not JSON, carry undeclared fields or have wrong types."""
    schema = match.request_body_schema
    if schema is None or not body.strip():
        if schema is not None and match.operation and match.operation.request_body_required:
            raise SpecViolationError("Request body is required")
        return
    if "json" not in content_type:
        raise SpecViolationError("Request body must be application/json")
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise SpecViolationError("Request body is not valid JSON") from exc
    for field in undeclared_fields(value, schema):
        raise SpecViolationError(f"Unknown body field '{field}' for this endpoint")
    for message in schema_errors(schema, value):
        raise SpecViolationError(f"Invalid body: {message}")


async def read_body(receive: Receive) -> bytes:
    """Drain the request body from an ASGI receive channel."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that hands `body` out once, then defers to the real one."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


class StrictValidationMiddleware:
    """ASGI middleware: 400 with Pipedrive's error body for requests the spec disallows."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        """Wrap `app`; strictness is read from `state.config.strict` on each request."""
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Validate the request against its operation, then pass it on."""
        if scope["type"] != "http" or not self.state.config.strict:
            await self.app(scope, receive, send)
            return
        match = self.state.spec.match(scope["method"], scope["path"])
        if match is None or match.operation is None:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        headers = dict(scope.get("headers", []))
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        try:
            check_query(match, query)
            check_body(match, body, content_type)
        except SpecViolationError as exc:
            await error_response(400, str(exc))(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)


def tolerate_nulls(schema: JsonSchema, names: frozenset[str] | None = None) -> JsonSchema:
    """A copy of a response schema where typed values may also be null.

    Pipedrive's specs omit `nullable` on many optional fields the live API returns as null
    (`picture_id`, `won_time`, v2 `next_cursor` at the end of a list...). With `names`, only
    properties of those names are relaxed (each one a documented case); without, every value.
    Every other constraint (types, enums, formats, shapes) is kept.
    """
    key = (id(schema), names)
    cached = _tolerant.get(key)
    if cached is not None and cached[0] is schema:
        return cached[1]
    relaxed: JsonSchema = _relax(schema, names, relax_here=names is None)
    _tolerant[key] = (schema, relaxed)
    return relaxed


_tolerant: dict[tuple[int, frozenset[str] | None], tuple[JsonSchema, JsonSchema]] = {}


def _relax(node: Any, names: frozenset[str] | None, *, relax_here: bool) -> Any:
    if isinstance(node, list):
        return [_relax(item, names, relax_here=relax_here) for item in node]
    if not isinstance(node, dict):
        return node
    everywhere = names is None
    combinators = ("allOf", "anyOf", "oneOf")  # a relaxed value relaxes each of its branches
    out = {
        key: _relax(value, names, relax_here=relax_here if key in combinators else everywhere)
        for key, value in node.items()
    }
    if "properties" in node:
        out["properties"] = {
            name: _relax(sub, names, relax_here=everywhere or name in (names or ()))
            for name, sub in node["properties"].items()
        }
    if relax_here and ("type" in node or "allOf" in node):
        out["nullable"] = True
        if "enum" in node and None not in node["enum"]:
            out["enum"] = [*node["enum"], None]
    return out
