"""Custom field definitions per credential: records, parsing, and a per-request cache.

Pipedrive describes each account's own fields in `GET /api/v2/{deal,person,organization,
activity}Fields` (10 tokens a page, cursor paged); values travel in an entity's `custom_fields`
object keyed by the field's 40-character `field_code`. Definitions change rarely, so they are kept
in the reference-list memory (`UpstreamMemory.reference_*`: in process, and on Redis for every
replica when `REDIS_URL` is set; one entry per credential and entity, `REFERENCE_CACHE_TTL`)
and fetched again only when a name or key is not found.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from pipedrive_graphql.datasources.memory import UpstreamMemory
from pipedrive_graphql.datasources.stats import CallStats

Entity = Literal["deal", "person", "organization", "activity"]
FIELD_PATHS: Mapping[Entity, str] = {
    "deal": "/dealFields",
    "person": "/personFields",
    "organization": "/organizationFields",
    "activity": "/activityFields",
}
# The v2 list paths whose `custom_fields=` parameter selects values (at most 15 keys).
VALUE_PATHS: Mapping[str, Entity] = {
    "/deals": "deal",
    "/persons": "person",
    "/organizations": "organization",
}
MAX_SELECTED_KEYS = 15


@dataclass(frozen=True, slots=True)
class FieldOption:
    """One option of an `enum` or `set` field."""

    id: int
    label: str


@dataclass(frozen=True, slots=True)
class FieldDefinition:
    """One custom field of an account: its key (`field_code`), name, type and options."""

    key: str
    name: str
    field_type: str
    options: tuple[FieldOption, ...] = ()

    def option(self, option_id: int) -> FieldOption | None:
        """The option with this id, or None (it may have been deleted)."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class FieldDefinitions:
    """The custom fields of one entity type of one account, in the account's field order."""

    entity: Entity
    fields: tuple[FieldDefinition, ...]
    by_key: Mapping[str, FieldDefinition] = field(init=False)
    by_name: Mapping[str, FieldDefinition] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: f for f in self.fields})
        # The first of two fields sharing a name wins, as in Pipedrive's own field order.
        names: dict[str, FieldDefinition] = {}
        for definition in self.fields:
            names.setdefault(definition.name.casefold(), definition)
        object.__setattr__(self, "by_name", names)

    def find(self, *, name: str | None = None, key: str | None = None) -> FieldDefinition | None:
        """The field with this key, or with this name (case-insensitive), or None."""
        if key is not None:
            return self.by_key.get(key)
        if name is not None:
            return self.by_name.get(name.strip().casefold())
        return None


def parse_definition(obj: dict[str, Any]) -> FieldDefinition | None:
    """A v2 field object; None for Pipedrive's built-in fields (`is_custom_field` false)."""
    if obj.get("is_custom_field") is not True:
        return None
    key, name, kind = obj.get("field_code"), obj.get("field_name"), obj.get("field_type")
    if not isinstance(key, str) or not isinstance(name, str) or not isinstance(kind, str):
        return None
    options = tuple(
        FieldOption(option["id"], str(option.get("label") or ""))
        for option in obj.get("options") or ()
        if isinstance(option, dict) and type(option.get("id")) is int
    )
    return FieldDefinition(key, name, kind, options)


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
