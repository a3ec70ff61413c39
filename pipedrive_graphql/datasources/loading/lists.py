"""List-window batch functions for v2 collections, with the whole-level scan planner."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic

from pipedrive_graphql.datasources.loading.batching import Outcome, R
from pipedrive_graphql.datasources.loading.planner import (
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

ListCall = Callable[[Filters | None, int, str | None], Awaitable[CursorPage[R]]]


@dataclass(frozen=True)
class Collection(Generic[R]):
    """A v2 collection as the list loaders see it."""

    path: str
    list_call: ListCall[R]
    parent_fields: tuple[str, ...]
    prime: Callable[[R], None]


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

    def _fetch(self, filters: tuple[tuple[str, str], ...]) -> Fetch[R]:
        params = dict(filters)

        def fetch(cursor: str | None, limit: int) -> Awaitable[CursorPage[R]]:
            return self._c.list_call(params, limit, cursor)

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
        scope = (self._cred, self._c.path, key.filters)
        page = await window(
            self._fetch(key.filters), self._memory, scope, key.start, key.limit, self._stats
        )
        for item in page.items:
            self._c.prime(item)
        return page

    async def _try_scan(
        self, group: ParentGroup, answers: dict[ListKey, Outcome[OffsetPage[R]]]
    ) -> None:
        parents = group.parents()
        scope = (self._cred, self._c.path, group.common)
        plan = plan_scan(len(parents), await self._memory.size_near(scope))
        label = f"{self._c.path} by {group.parent_field} x{len(parents)}"
        if plan is None:
            self._stats.note(f"{label}: one call per parent")
            return
        rows = await scan(self._fetch(group.common), self._memory, scope, plan.max_pages)
        if rows is None:
            self._stats.note(f"{label}: {plan.reason}; too large, one call per parent")
            return
        self._stats.note(f"{label}: {plan.reason}; scanned {len(rows)} rows")
        by_parent: dict[str, list[R]] = {p: [] for p in parents}
        for row in rows:
            self._c.prime(row)
            value = getattr(row, group.parent_field, None)
            if value is not None and str(value) in by_parent:
                by_parent[str(value)].append(row)
        for key in group.keys:
            answers[key] = _slice(by_parent[key.filter_map()[group.parent_field]], key)


def _slice(rows: Sequence[R], key: ListKey) -> OffsetPage[R]:
    end = key.start + key.limit
    more = len(rows) > end
    return OffsetPage(tuple(rows[key.start : end]), more, end if more else None)
