"""Reading Pipedrive answers: JSON bodies, error messages and rate-limit headers."""

from __future__ import annotations

import json
import re

import httpx
import orjson

from pipedrive_graphql.errors import (
    BadUserInputError,
    ForbiddenError,
    GatewayError,
    NotFoundError,
    UnauthenticatedError,
    UpstreamUnavailableError,
)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_body(content: bytes) -> object:
    """The parsed body, or None when it is empty or not JSON.

    orjson refuses an escaped unpaired surrogate (`"\\ud83d"`: an emoji cut in half by the
    writer), which JSON's grammar allows and Pipedrive does send in user text. Such a body is
    read by the standard library instead, each lone surrogate becoming U+FFFD so that the
    answer can be encoded as UTF-8 again.
    """
    if not content:
        return None
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        pass
    try:
        parsed: object = json.loads(content)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        return None
    return _without_lone_surrogates(parsed)


def _without_lone_surrogates(value: object) -> object:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {
            _LONE_SURROGATE.sub("\ufffd", key): _without_lone_surrogates(item)
            for key, item in value.items()
        }
    return value


# Pipedrive's `error_info` when it has nothing specific to say about the request.
_GENERIC_INFO = "Please check developers.pipedrive.com"
# Pipedrive's own text is passed on up to this many characters.
MESSAGE_LENGTH = 500


def upstream_message(body: object) -> str | None:
    """The `error` text of a Pipedrive error body with its `error_info` when that is specific.

    A refused write says "Validation failed" in `error` and which field and why in
    `error_info` (`"custom_fields.<key>" must be the id of an existing user`).
    """
    if not isinstance(body, dict):
        return None
    error, info = body.get("error"), body.get("error_info")
    parts = [str(part) for part in (error, info) if part]
    if len(parts) == 2 and parts[1].startswith(_GENERIC_INFO):
        parts.pop()
    if not parts:
        return None
    message = ": ".join(parts)
    return message if len(message) <= MESSAGE_LENGTH else f"{message[:MESSAGE_LENGTH]}…"


def answer_error(status: int, body: object, *, secret: str) -> GatewayError:
    """The error for a 4xx answer, or a 2xx saying `success: false`; `secret` never shows."""
    message = upstream_message(body)
    if message is not None and secret:
        message = message.replace(secret, "***")
    if status == 401:
        return UnauthenticatedError("Pipedrive refused the credential")
    if status == 403:
        if body is None:  # the edge's HTML page for clients that kept going after 429s
            return ForbiddenError("Pipedrive's edge blocked the request (HTML 403 page)")
        return ForbiddenError(message or "Pipedrive refused access (403)")
    if status in {404, 410}:
        return NotFoundError(message or "not found")
    if status in {400, 422}:
        return BadUserInputError(message or "Pipedrive rejected the request")
    if body is None:
        return UpstreamUnavailableError(f"Pipedrive answered HTTP {status}")
    return BadUserInputError(message or f"Pipedrive answered HTTP {status}")


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait: `Retry-After`, falling back to `x-ratelimit-reset`."""
    for name in ("retry-after", "x-ratelimit-reset"):
        value = number(headers, name)
        if value is not None:
            return max(0.0, value)
    return None


def integer(headers: httpx.Headers, name: str) -> int | None:
    """A numeric header as an int, or None when absent or malformed."""
    value = number(headers, name)
    return None if value is None else int(value)


def number(headers: httpx.Headers, name: str) -> float | None:
    """A numeric header, or None when absent or malformed."""
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        return None
