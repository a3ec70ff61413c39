"""Typed reading of query parameters, with Pipedrive's 400 on bad values."""

from __future__ import annotations

from starlette.datastructures import QueryParams

from .clock import parse_rfc3339
from .envelopes import bad_request


def int_param(query: QueryParams, name: str) -> int | None:
    """Read an optional integer parameter."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f'"{name}" must be a number') from None


def bool_param(query: QueryParams, name: str, *, numeric: bool = False) -> bool | None:
    """Read an optional boolean: `true|false` (v2) or `0|1` when `numeric` (v1)."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    accepted = {"0": False, "1": True} if numeric else {"true": True, "false": False}
    if raw.lower() not in accepted:
        raise bad_request(f'"{name}" must be a boolean')
    return accepted[raw.lower()]


def choice_param(query: QueryParams, name: str, choices: tuple[str, ...], default: str) -> str:
    """Read an enum parameter."""
    raw = query.get(name) or default
    if raw not in choices:
        raise bad_request(f'"{name}" must be one of [{", ".join(choices)}]')
    return raw


def time_param(query: QueryParams, name: str) -> str | None:
    """Read an RFC 3339 parameter, normalised to the stored `...Z` form."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    moment = parse_rfc3339(raw)
    if moment is None:
        raise bad_request(f'"{name}" must be a valid RFC 3339 date-time')
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z"  # strftime("%Y") writes 999 as "999"


def limit_param(query: QueryParams, default: int = 100, maximum: int = 500) -> int:
    """Read `limit` (1..maximum)."""
    limit = int_param(query, "limit")
    if limit is None:
        return default
    if limit < 1 or limit > maximum:
        raise bad_request(f'"limit" must be between 1 and {maximum}')
    return limit


def ids_param(query: QueryParams) -> list[int] | None:
    """Read the comma-separated `ids` (at most 100)."""
    raw = query.get("ids")
    if raw is None or raw == "":
        return None
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) > 100:
        raise bad_request('"ids" must contain at most 100 items')
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise bad_request('"ids" must be a comma separated list of numbers') from None
