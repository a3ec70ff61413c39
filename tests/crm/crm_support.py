"""Helpers for the CRM surface tests: what the emulator's store says Pipedrive would answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pipedrive_graphql.emulator import Emulator

Record = dict[str, Any]


def visible(emu: Emulator, table: str) -> list[Record]:
    """The rows a v2 list returns without filters: not deleted, not archived."""
    return [r for r in emu.store.all(table) if not r.get("is_deleted") and not r.get("is_archived")]


def ordered_ids(rows: Iterable[Record], sort_by: str = "id", direction: str = "asc") -> list[int]:
    """Ids in Pipedrive's v2 order: by `sort_by` (missing values first), then by id."""

    def key(r: Record) -> tuple[bool, Any, int]:
        value = r.get(sort_by)
        return (value is not None, value if value is not None else 0, int(r["id"]))

    return [int(r["id"]) for r in sorted(rows, key=key, reverse=direction == "desc")]


def matching(emu: Emulator, table: str, keep: Callable[[Record], bool]) -> list[Record]:
    """The visible rows of `table` that `keep` accepts."""
    return [r for r in visible(emu, table) if keep(r)]


def sent(emu: Emulator, method: str, path: str) -> list[dict[str, str]]:
    """The query parameters of each logged request for `method path`."""
    return [dict(e.query) for e in emu.log.entries if e.method == method and e.path == path]


def bodies(emu: Emulator, method: str, path: str) -> list[Any]:
    """The JSON bodies of each logged request for `method path`."""
    return [e.body for e in emu.log.entries if e.method == method and e.path == path]


def carries(query: dict[str, str], expected: dict[str, str]) -> bool:
    """Whether a logged query holds every expected parameter with its value."""
    return all(query.get(name) == value for name, value in expected.items())
