"""A per-request cache of one credential's custom field definitions, over the process memory.

Definitions change rarely, so they are kept in the reference-list memory
(`UpstreamMemory.reference_*`: in process, and on Redis for every replica when `REDIS_URL` is
set; one entry per credential and entity, `REFERENCE_CACHE_TTL`) and fetched again only when a
name or key is not found.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import cast

from pipedrive_graphql.datasources.pipedrive.custom_field_records import (
    Entity,
    FieldDefinition,
    FieldDefinitions,
)
from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.datasources.state.stats import CallStats

Fetch = Callable[[Entity], Awaitable[tuple[FieldDefinition, ...]]]


class CustomFieldDefinitions:
    """Definitions of one credential for one GraphQL request, backed by the process memory.

    Each entity's definitions are fetched at most once per request (concurrent callers share the
    call), and not at all while the memory holds a copy younger than the TTL. `refresh` fetches
    again (at most once per request and entity) when a name or key is not found.
    """

    def __init__(
        self,
        fetch: Fetch,
        *,
        memory: UpstreamMemory,
        credential_key: str,
        ttl: float,
        stats: CallStats,
        refresh_interval: float = 30.0,
    ) -> None:
        self._fetch = fetch
        self._refresh_interval = refresh_interval
        self._memory = memory
        self._credential_key = credential_key
        self._ttl = ttl
        self._stats = stats
        self._tasks: dict[Entity, asyncio.Task[FieldDefinitions]] = {}
        self._refreshed: set[Entity] = set()
        # The custom values each search hit of this request matched, by (entity, id).
        self.search_matches: dict[tuple[Entity, int], tuple[str, ...]] = {}
        # The error for each name or key this request found unknown, built once per name
        self.unknown: dict[tuple[Entity, str, str], Exception] = {}
        # The field nodes (by id) that already reported an unknown name in this request
        self.reported: set[int] = set()

    def _memory_key(self, entity: Entity) -> tuple[str, str]:
        return (self._credential_key, f"custom-fields:{entity}")

    def known(self, entity: Entity) -> FieldDefinitions | None:
        """The definitions if already at hand (this request's call or the memory), else None."""
        task = self._tasks.get(entity)
        if task is not None:
            return task.result() if task.done() and not task.exception() else None
        return self._cached(entity)

    async def of(self, entity: Entity) -> FieldDefinitions:
        """The custom fields of `entity` (memory, this request's call, or one new call)."""
        task = self._tasks.get(entity)
        if task is None:
            cached = self._cached(entity)
            if cached is not None:
                self._stats.cache_hits += 1
                return cached
            task = self._tasks[entity] = asyncio.ensure_future(self._load(entity))
        return await task

    async def refresh(self, entity: Entity) -> FieldDefinitions:
        """Fetch `entity`'s definitions again unless this request did or they are very fresh.

        The interval keeps a client that sends unknown names from costing a definitions call
        (10 tokens a page) on every request.
        """
        if entity in self._refreshed or self._age(entity) < self._refresh_interval:
            return await self.of(entity)
        self._refreshed.add(entity)
        task = self._tasks.get(entity)
        if task is not None and not task.done():
            return await task
        self._tasks[entity] = asyncio.ensure_future(self._load(entity, fresh=True))
        return await self._tasks[entity]

    def _cached(self, entity: Entity) -> FieldDefinitions | None:
        if self._ttl <= 0:
            return None
        hit = self._memory.reference_get(self._memory_key(entity), self._ttl)
        # only _load() stores under this key: a one-tuple of FieldDefinitions
        return cast("FieldDefinitions", hit[0]) if hit else None

    def _age(self, entity: Entity) -> float:
        """Seconds since the cached definitions were fetched (infinite when none are)."""
        entry = self._memory.reference.get(self._memory_key(entity))
        return time.monotonic() - entry[0] if entry is not None else float("inf")

    async def _load(self, entity: Entity, *, fresh: bool = False) -> FieldDefinitions:
        key = self._memory_key(entity)
        if not fresh and self._ttl > 0:
            # another replica may have fetched them (the memory's shared level, when there is one)
            shared = await self._memory.reference_near(key, self._ttl)
            if shared:
                self._stats.cache_hits += 1
                return cast("FieldDefinitions", shared[0])
        self._refreshed.add(entity)
        definitions = FieldDefinitions(entity, await self._fetch(entity))
        if self._ttl > 0:
            self._memory.reference_put(key, (definitions,), self._ttl)
        return definitions
