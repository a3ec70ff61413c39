"""HTTP in: what a GraphQL-over-HTTP request may look like, and its parameters read once.

Refusals happen here, before any GraphQL work: a method other than GET/POST (405), a POST body
type a browser may send cross-site without a CORS preflight (415), a body over the size limit
(413), a body that arrives too slowly (408), a cross-site GET (403).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson
from starlette.requests import ClientDisconnect, Request

from pipedrive_graphql.ascii_digits import ascii_int
from pipedrive_graphql.errors import ErrorCode

# The two body types the GraphQL-over-HTTP spec names; both need a CORS preflight cross-site.
JSON_BODY_TYPES = frozenset({"application/json", "application/graphql-response+json"})


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """The parameters of a GraphQL-over-HTTP request."""

    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: Mapping[str, Any] | None = None


class RequestError(Exception):
    """A request that cannot be executed; answered with one error and an HTTP status."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        status: int = 400,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.headers = dict(headers or {})


# The rest of a refused body is never read: the connection cannot carry another request.
_CLOSE = {"connection": "close"}


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """How large (bytes) and how slow (seconds for the whole body) a request body may be."""

    max_bytes: int
    read_timeout: float


async def read_graphql_request(
    request: Request, limits: BodyLimits, allowed_origins: tuple[str, ...]
) -> GraphQLRequest:
    """The request's GraphQL parameters, from the query string (GET) or the JSON body (POST)."""
    if request.method == "GET":
        refuse_cross_site(request, allowed_origins)
        return _parse_query_string(request)
    if request.method != "POST":
        raise RequestError(
            ErrorCode.BAD_USER_INPUT,
            f"{request.method} is not allowed on /graphql: use POST (or GET for queries)",
            405,
            {"allow": "GET, POST"},
        )
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in JSON_BODY_TYPES:
        raise RequestError(
            ErrorCode.BAD_USER_INPUT,
            "a POST to /graphql needs content-type: application/json",
            415,
        )
    return _parse_body(await read_body(request, limits))


def refuse_cross_site(request: Request, allowed_origins: tuple[str, ...]) -> None:
    """Refuse a GET a page of another origin made without a preflight (links, images, fetch).

    Browsers label such requests with `Sec-Fetch-Site` (and fetch adds `Origin`); an origin the
    operator listed in CORS_ORIGINS is trusted like the server's own.
    """
    origin = request.headers.get("origin")
    if origin is not None:
        trusted = origin in allowed_origins or urlsplit(origin).netloc == request.headers.get(
            "host"
        )
    else:
        trusted = request.headers.get("sec-fetch-site") not in ("cross-site", "same-site")
    if not trusted:
        raise RequestError(
            ErrorCode.FORBIDDEN,
            "cross-origin GET requests are refused: POST application/json from an allowed origin",
            403,
        )


async def read_body(request: Request, limits: BodyLimits) -> bytes:
    """The whole body, refused past `max_bytes` (413) or `read_timeout` seconds (408)."""
    too_large = RequestError(
        ErrorCode.BAD_USER_INPUT,
        f"request body exceeds the limit of {limits.max_bytes} bytes",
        413,
        _CLOSE,
    )
    declared = request.headers.get("content-length", "")
    if (ascii_int(declared) or 0) > limits.max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(limits.read_timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limits.max_bytes:
                    raise too_large
                chunks.append(chunk)
    except TimeoutError:
        message = f"request body not received within {limits.read_timeout:g}s"
        raise RequestError(ErrorCode.BAD_USER_INPUT, message, 408, _CLOSE) from None
    except ClientDisconnect:
        raise RequestError(ErrorCode.BAD_USER_INPUT, "client disconnected", 400) from None
    return b"".join(chunks)


def _parse_body(raw: bytes) -> GraphQLRequest:
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise RequestError(ErrorCode.BAD_USER_INPUT, "request body is not valid JSON") from error
    if not isinstance(payload, dict):
        raise RequestError(ErrorCode.BAD_USER_INPUT, "request body must be a JSON object")
    return request_from(payload)


def _parse_query_string(request: Request) -> GraphQLRequest:
    params: dict[str, Any] = dict(request.query_params)
    for name in ("variables", "extensions"):
        if name in params:
            try:
                params[name] = orjson.loads(params[name])
            except orjson.JSONDecodeError as error:
                message = f"{name} is not valid JSON"
                raise RequestError(ErrorCode.BAD_USER_INPUT, message) from error
    return request_from(params)


def request_from(payload: Mapping[str, Any]) -> GraphQLRequest:
    """The GraphQL parameters of a POST body, a query string or a subscribe message."""
    query = payload.get("query")
    extensions = payload.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(ErrorCode.BAD_USER_INPUT, "'extensions' must be a JSON object")
    has_hash = extensions is not None and "persistedQuery" in extensions
    if query is None and has_hash:
        pass  # the query comes from the persisted query store
    elif not isinstance(query, str) or not query.strip():
        raise RequestError(ErrorCode.BAD_USER_INPUT, "a GraphQL request needs a 'query' string")
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(ErrorCode.BAD_USER_INPUT, "'variables' must be a JSON object")
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(ErrorCode.BAD_USER_INPUT, "'operationName' must be a string")
    return GraphQLRequest(query, variables, operation_name, extensions)
