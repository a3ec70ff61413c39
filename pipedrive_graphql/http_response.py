"""HTTP out: the response media type a client accepts, the status a result gets, the encoding.

GraphQL over HTTP defines two response types. With `application/graphql-response+json` a
request that fails before execution (document, validation, variables, limits) answers 400;
with the legacy `application/json` a well-formed request always answers 200 and the errors
travel in the body. Authentication (401/403) and malformed HTTP keep their own codes on both.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.responses import Response

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
_ACCEPTABLE = {
    GRAPHQL_RESPONSE_JSON: GRAPHQL_RESPONSE_JSON,
    JSON: JSON,
    "application/*": JSON,
    "*/*": JSON,
}


def response_media_type(accept: str | None) -> str | None:
    """The type to answer in, by the client's `Accept` (q-values, then order); None: none fits.

    A missing `Accept` means `application/json`, as the spec asks of servers during the
    migration to `application/graphql-response+json`.
    """
    if accept is None or not accept.strip():
        return JSON
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        chosen = _ACCEPTABLE.get(media.lower())
        if chosen is not None and quality > 0:
            ranked.append((-quality, position, chosen))
    return min(ranked)[2] if ranked else None


def request_error_status(media_type: str) -> int:
    """The status of a GraphQL request error (no execution happened) in `media_type`."""
    return 400 if media_type == GRAPHQL_RESPONSE_JSON else 200


def graphql_response(
    body: Mapping[str, object],
    media_type: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Encode with orjson (several times faster than the standard library on large results)."""
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type=f"{media_type}; charset=utf-8",
        headers=dict(headers or {}),
    )


def json_response(body: Mapping[str, object], status: int = 200) -> Response:
    """A plain JSON answer (health, readiness)."""
    return Response(orjson.dumps(body), status_code=status, media_type=JSON)
