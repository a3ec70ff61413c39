"""List-window batch functions for v2 collections, with the whole-level scan planner."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from pipedrive_graphql.datasources.loading.batching import Loader, Outcome, R
from pipedrive_graphql.datasources.loading.planner import (
    FilterKey,
    ListKey,
    ParentGroup,
    parent_groups,
    plan_scan,
)
from pipedrive_graphql.datasources.loading.windows import Fetch, scan, window
from pipedrive_graphql.datasources.pipedrive.client import Filters
from pipedrive_graphql.datasources.pipedrive.records import CursorPage, OffsetPage
from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.datasources.state.stats import CallStats

T = TypeVar("T")
ListCall = Callable[[Filters | None, int, str | None], Awaitable[CursorPage[T]]]
Row = dict[str, Any]  # one list row as the upstream sent it
# GraphQL's Int is 32-bit: a row whose id or parent id is outside it is parsed to be read
_INT_RANGE = range(-(2**31), 2**31)


@dataclass(frozen=True)
class CursorPaging(Generic[T]):
    """A v2 list, paged by cursor: a window is walked from the nearest remembered cursor."""

    list_call: ListCall[T]


@dataclass(frozen=True)
class OffsetPaging(Generic[T]):
    """A v1 list, paged by offset: `offset_call(filters, start, limit)` is any window in one
    call (the collection's `row_call` takes the next offset as its cursor, for scans)."""

    offset_call: Callable[[Filters | None, int, int], Awaitable[OffsetPage[T]]]


@dataclass(frozen=True)
class Collection(Generic[R]):
    """A collection as the list loaders see it."""

    path: str
    paging: CursorPaging[R] | OffsetPaging[R]
    parent_fields: tuple[str, ...]
    by_id: Loader[int, R | None]
    row_call: ListCall[Row]  # the same list, rows as sent (for scans)
    parse: Callable[[Row], R | None]  # one row as sent; None: refused (and noted)


class WindowBatcher(Generic[R]):
    """Answers a batch of `ListKey`s with as few upstream calls and tokens as it can."""

    def __init__(
        self,
        collection: Collection[R],
        *,
        memory: UpstreamMemory,
        credential_key: str,
        stats: CallStats,
        plan: bool,
    ) -> None:
        self._c = collection
        self._memory = memory
        self._cred = credential_key
        self._stats = stats
        self._plan = plan
        # whole collections (by their quick filters) read to price the operation
        # (`probe`): this request's scans serve their lists from these rows
        self._in_hand: dict[FilterKey, tuple[Row, ...]] = {}
        self._probes: dict[FilterKey, asyncio.Future[int | None]] = {}

    def _fetch(self, call: ListCall[T], filters: tuple[tuple[str, str], ...]) -> Fetch[T]:
        params = dict(filters)

        def fetch(cursor: str | None, limit: int) -> Awaitable[CursorPage[T]]:
            return call(params, limit, cursor)

        return fetch

    async def load(self, keys: list[ListKey]) -> list[Outcome[OffsetPage[R]]]:
        """The batch function: planned scans first, then one window per remaining key."""
        answers: dict[ListKey, Outcome[OffsetPage[R]]] = {}
        if self._plan:
            groups = parent_groups(keys, self._c.parent_fields)
            await asyncio.gather(*(self._try_scan(g, answers) for g in groups))
        rest = [k for k in dict.fromkeys(keys) if k not in answers]
        pages = await asyncio.gather(*(self._window(k) for k in rest), return_exceptions=True)
        answers.update(zip(rest, pages, strict=True))
        return [answers[k] for k in keys]

    async def _window(self, key: ListKey) -> OffsetPage[R]:
        paging = self._c.paging
        if isinstance(paging, OffsetPaging):
            page = await paging.offset_call(dict(key.filters), key.start, key.limit)
        else:
            scope = (self._cred, self._c.path, key.filters)
            fetch = self._fetch(paging.list_call, key.filters)
            page = await window(fetch, self._memory, scope, key.start, key.limit, self._stats)
        self._c.by_id.offer({item.id: item for item in reversed(page.items)}, _as_is)
        return page

    async def probe(self, key: ListKey, parents: int) -> int | None:
        """Read the whole collection a level of `parents` lists like `key` would scan, for
        this request's scans to serve (`_try_scan`): the pages read (0 when another probe of
        this request read it), or None when no scan would be planned, the collection is too
        large (the pages read are spent; the process memory now knows it), the read fails (the
        lists' own calls report that) or `key` does not group with its siblings.

        This is the scan the level would make (the same plan, pages and parameters), read
        earlier: the cost estimate is then priced with the pages instead of a call per parent.
        """
        groups = parent_groups([key], self._c.parent_fields) if self._plan else []
        if not groups:
            return None
        common = groups[0].common
        earlier = self._probes.get(common)
        if earlier is not None:
            return None if await earlier is None else 0
        done: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._probes[common] = done
        pages: int | None = None
        try:
            pages = await self._read_whole(common, parents)
        except Exception:  # the lists' own calls fail the same way, and report it
            pages = None
        finally:
            done.set_result(pages)
        return pages

    async def _read_whole(self, common: FilterKey, parents: int) -> int | None:
        scope = (self._cred, self._c.path, common)
        plan = plan_scan(parents, await self._memory.size_near(scope))
        if plan is None:
            return None
        fetch = self._fetch(self._c.row_call, common)
        pages = 0

        def counted(cursor: str | None, limit: int) -> Awaitable[CursorPage[Row]]:
            nonlocal pages
            pages += 1
            return fetch(cursor, limit)

        rows = await scan(counted, self._memory, scope, plan.max_pages)
        label = f"{self._c.path} for up to {parents} parents, read to price the operation"
        if rows is None:
            self._stats.note(f"{label}: {plan.reason}; too large")
            return None
        self._stats.note(f"{label}: {plan.reason}; scanned {len(rows)} rows")
        self._in_hand[common] = rows
        return pages

    def release(self) -> None:
        """Forget the rows read to price the operation (`Loaders.release`)."""
        self._in_hand.clear()
        self._probes.clear()

    async def _try_scan(
        self, group: ParentGroup, answers: dict[ListKey, Outcome[OffsetPage[R]]]
    ) -> None:
        parents = group.parents()
        label = f"{self._c.path} by {group.parent_field} x{len(parents)}"
        rows = self._in_hand.get(group.common)
        if rows is not None:
            self._stats.note(
                f"{label}: served from the {len(rows)} rows read to price the operation"
            )
            self._serve(group, parents, rows, answers)
            return
        scope = (self._cred, self._c.path, group.common)
        plan = plan_scan(len(parents), await self._memory.size_near(scope))
        if plan is None:
            self._stats.note(f"{label}: one call per parent")
            return
        fetch = self._fetch(self._c.row_call, group.common)
        rows = await scan(fetch, self._memory, scope, plan.max_pages)
        if rows is None:
            self._stats.note(f"{label}: {plan.reason}; too large, one call per parent")
            return
        self._stats.note(f"{label}: {plan.reason}; scanned {len(rows)} rows")
        self._serve(group, parents, rows, answers)

    def _serve(
        self,
        group: ParentGroup,
        parents: set[str],
        rows: Sequence[Row],
        answers: dict[ListKey, Outcome[OffsetPage[R]]],
    ) -> None:
        """Answer every key of `group` (its `parents`) from `rows`, the whole collection for
        the group's filters."""
        by_parent, offered = self._sorted(rows, group.parent_field, parents)
        for key, parent in zip(group.keys, group.values, strict=True):
            siblings = by_parent[parent]
            answers[key] = _slice(self._parsed(siblings, key.start + key.limit + 1, offered), key)
        parse = self._c.parse
        self._c.by_id.offer(offered, lambda item: parse(item) if isinstance(item, dict) else item)

    def _sorted(
        self, rows: Sequence[Row], field: str, parents: set[str]
    ) -> tuple[dict[str, list[Row | R]], dict[int, Row | R]]:
        """The rows of each parent, in scan order, and every row read by id (for the by-id
        loader: parsed only if served or asked for). A row stays unparsed when its id and
        parent id are plain ids; the others are read as the record reads them."""
        by_parent: dict[str, list[Row | R]] = {p: [] for p in parents}
        lists = {_as_sent(p): siblings for p, siblings in by_parent.items()}
        offered: dict[int, Row | R] = {}
        for row in rows:
            row_id, parent = row.get("id"), row.get(field)
            item: Row | R = row
            if not (
                type(row_id) is int
                and row_id in _INT_RANGE
                and (parent is None or (type(parent) is int and parent in _INT_RANGE))
            ):
                record = self._c.parse(row)  # read the ids as the record does
                if record is None:
                    continue
                item, row_id, parent = record, record.id, getattr(record, field, None)
            if row_id not in offered:
                offered[row_id] = item
            siblings = lists.get(parent)
            if siblings is not None:
                siblings.append(item)
        return by_parent, offered

    def _parsed(self, items: list[Row | R], count: int, offered: dict[int, Row | R]) -> list[R]:
        """The first `count` records of `items`, parsing them in place; rows the parser
        refuses are dropped, as the typed list calls drop them."""
        index = 0
        while index < len(items) and index < count:
            item = items[index]
            if isinstance(item, dict):
                row_id = item["id"]
                record = self._c.parse(item)
                if offered.get(row_id) is item:  # the by-id loader serves this same record
                    if record is None:
                        del offered[row_id]
                    else:
                        offered[row_id] = record
                if record is None:
                    del items[index]
                    continue
                items[index] = record
            index += 1
        return cast("list[R]", items[:count])


def _as_sent(value: str) -> object:
    """A parent filter's value as a row sends the parent's id: the int it writes, if any."""
    try:
        number = int(value)
    except ValueError:
        return value
    return number if str(number) == value else value


def _as_is(item: T) -> T:
    return item


def _slice(rows: Sequence[R], key: ListKey) -> OffsetPage[R]:
    end = key.start + key.limit
    more = len(rows) > end
    return OffsetPage(tuple(rows[key.start : end]), more, end if more else None)
