"""Offset windows over Pipedrive's v2 cursor pages, with a cross-request cursor cache."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pipedrive_graphql.datasources.pipedrive.client import MAX_PAGE
from pipedrive_graphql.datasources.pipedrive.records import CursorPage, OffsetPage
from pipedrive_graphql.datasources.state.memory import Scope, UpstreamMemory
from pipedrive_graphql.datasources.state.stats import CallStats

T = TypeVar("T")
# fetch(cursor, limit) → one v2 page
Fetch = Callable[[str | None, int], Awaitable[CursorPage[T]]]


async def window(
    fetch: Fetch[T],
    memory: UpstreamMemory,
    scope: Scope,
    start: int,
    limit: int,
    stats: CallStats | None = None,
) -> OffsetPage[T]:
    """Rows `start … start+limit` of a cursor-paged list and whether more follow.

    Resumes from the nearest cursor already seen for this scope (so walking pages in order costs
    one request per page) and requests pages sized to end exactly at `start + limit`, so the
    next window's cursor is remembered too.
    """
    target = start + limit
    position, cursor = await memory.cursor_near(scope, start)
    if cursor is not None and stats is not None:
        stats.cache_hits += 1
    rows: list[T] = []
    more = True
    while position < target:
        page = await fetch(cursor, min(MAX_PAGE, target - position))
        if position + len(page.items) > start:
            skip = max(0, start - position)
            rows.extend(page.items[skip : skip + (target - max(start, position))])
        position += len(page.items)
        cursor = page.next_cursor
        if cursor is None or not page.items:
            more = False
            memory.remember_size(scope, position)
            break
        memory.remember_cursor(scope, position, cursor)
    if limit == 0:
        more = True  # nothing was asked for; stay honest about the unknown rest
    has_more = more and len(rows) == limit
    return OffsetPage(tuple(rows), has_more, target if has_more else None)


async def scan(
    fetch: Fetch[T], memory: UpstreamMemory, scope: Scope, max_pages: int
) -> tuple[T, ...] | None:
    """Every row of a list in pages of 500, or None when it needs more than `max_pages` pages."""
    rows: list[T] = []
    cursor: str | None = None
    for _ in range(max_pages):
        page = await fetch(cursor, MAX_PAGE)
        rows.extend(page.items)
        cursor = page.next_cursor
        if cursor is None or not page.items:
            memory.remember_size(scope, len(rows))
            return tuple(rows)
    memory.remember_size(scope, len(rows) + 1, exact=False)  # at least one more row exists
    return None
