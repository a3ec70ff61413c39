"""v2 keyset cursors (opaque base64url JSON) and v1 offset slices."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

import orjson

from .entities import Record
from .envelopes import bad_request


def encode_cursor(payload: dict[str, Any]) -> str:
    """Encode a cursor payload as unpadded base64url JSON."""
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """Decode a cursor, answering 400 when it was not made here."""
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        raise bad_request("Invalid cursor") from None
    if not isinstance(payload, dict):
        raise bad_request("Invalid cursor")
    return payload


def _key(record: Record, field: str) -> tuple[bool, Any, int]:
    value = record.get(field)
    # None sorts first, like a missing due date in an ascending list.
    return (value is not None, value if value is not None else 0, int(record["id"]))


def keyset_page(
    rows: Iterable[Record], sort_by: str, direction: str, cursor: str | None, limit: int
) -> tuple[list[Record], str | None]:
    """Sort rows by (sort_by, id), continue after the cursor, return a page and the next cursor."""
    reverse = direction == "desc"
    ordered = sorted(rows, key=lambda r: _key(r, sort_by), reverse=reverse)
    if cursor is not None:
        state = decode_cursor(cursor)
        if state.get("field") != sort_by or state.get("sortDirection") != direction:
            raise bad_request("Cursor does not match the sort order")
        value = state.get("fieldValue")
        after = (value is not None, value if value is not None else 0, int(state.get("id", 0)))
        if reverse:
            ordered = [r for r in ordered if _key(r, sort_by) < after]
        else:
            ordered = [r for r in ordered if _key(r, sort_by) > after]
    page = ordered[:limit]
    if len(ordered) <= limit:
        return page, None
    last = page[-1]
    payload = {
        "field": sort_by,
        "fieldValue": last.get(sort_by),
        "sortDirection": direction,
        "id": last["id"],
    }
    return page, encode_cursor(payload)


def offset_cursor(offset: int) -> str:
    """An opaque cursor for result lists ordered by relevance (search)."""
    return encode_cursor({"offset": offset})


def offset_from_cursor(cursor: str | None) -> int:
    """The offset stored in a search cursor."""
    if cursor is None:
        return 0
    offset = decode_cursor(cursor).get("offset")
    if not isinstance(offset, int) or offset < 0:
        raise bad_request("Invalid cursor")
    return offset
