"""Reading Pipedrive answers: JSON bodies, error messages and rate-limit headers."""

from __future__ import annotations

import httpx
import orjson


def json_body(content: bytes) -> object:
    """The parsed body, or None when it is empty or not JSON."""
    if not content:
        return None
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return None


def upstream_message(body: object) -> str | None:
    """The `error` text of a Pipedrive error body, if any."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    return str(error) if error else None


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
