"""Helpers shared by the route modules: the store of a request, ids and JSON bodies."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from .envelopes import bad_request
from .store import Store


def store_of(request: Request) -> Store:
    """The store of the emulator serving `request`."""
    store: Store = request.app.state.emulator.store
    return store


def path_id(request: Request) -> int:
    """The integer `{id}` path parameter (400 when not a number)."""
    raw = request.path_params["id"]
    try:
        return int(raw)
    except ValueError:
        raise bad_request('"id" must be a number') from None


async def json_body(request: Request) -> Any:
    """The parsed JSON body (400 when absent or malformed)."""
    raw = await request.body()
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise bad_request("Request body is not valid JSON") from None
