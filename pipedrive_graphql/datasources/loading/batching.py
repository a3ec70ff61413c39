"""Batch-function building blocks: concurrent single GETs, id matching, reference lists."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from typing import Any, Generic, NamedTuple, Protocol, Self, TypeAlias, TypeVar, cast

from aiodataloader import DataLoader

from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.errors import NotFoundError


class HasId(Protocol):
    """Any record with an integer id."""

    @property
    def id(self) -> int:
        """The Pipedrive id."""
        ...


R = TypeVar("R", bound=HasId)
K = TypeVar("K")
V = TypeVar("V")

# One slot of a batch function's answer: the value for that key, or the error that rejects
# just that key (aiodataloader raises it to that key's callers only).
Outcome: TypeAlias = V | BaseException


class Loader(DataLoader[K, V]):
    """aiodataloader's `DataLoader`, which also takes values offered in bulk (`offer`).

    A whole-collection scan hands every row it read to the by-id loader, and most are never
    asked for by id: `prime` would make a resolved future per row, and the scan would parse
    rows it does not serve. An offered value becomes a primed future when its key is first
    loaded or primed, made then from the row as sent when it came unparsed; the first offer
    (or prime) of a key wins, as with `prime`, and `clear` forgets offers too.
    """

    def __init__(self, batch: Callable[[list[K]], Coroutine[Any, Any, list[V]]]) -> None:
        """As `DataLoader(batch)`."""
        super().__init__(batch)
        self._offers: list[tuple[dict[K, Any], Callable[[Any], V | None]]] = []

    def offer(self, values: dict[K, Any], make: Callable[[Any], V | None]) -> None:
        """Serve `make(values[key])` for a key not loaded yet (None from `make`: not served).

        The loader owns `values` from here (it removes what it takes or forgets).
        """
        if values:
            self._offers.append((values, make))

    def _take_offer(self, key: K) -> None:
        for values, make in self._offers:
            offered = values.pop(key, _NOT_OFFERED)
            if offered is _NOT_OFFERED:
                continue
            value = make(offered)
            if value is not None:
                super().prime(key, value)
                return

    def load(self, key: K) -> asyncio.Future[V]:
        """As `DataLoader.load`, taking an offered value first."""
        if self._offers and key not in self._cache:
            self._take_offer(key)
        return super().load(key)

    def prime(self, key: K, value: V) -> Self:
        """As `DataLoader.prime`; a value offered earlier wins."""
        if self._offers and key not in self._cache:
            self._take_offer(key)
        super().prime(key, value)
        return self

    def clear(self, key: K) -> Self:
        """As `DataLoader.clear`, offers of `key` included."""
        for values, _ in self._offers:
            values.pop(key, None)
        super().clear(key)
        return self

    def clear_all(self) -> Self:
        """As `DataLoader.clear_all`, offers included."""
        self._offers.clear()
        super().clear_all()
        return self


_NOT_OFFERED = object()


class LoaderCall(NamedTuple, Generic[K, V]):
    """A loader and the key to load from it: a list's call once its arguments are checked."""

    loader: DataLoader[K, V]
    key: K

    def load(self) -> asyncio.Future[V]:
        """`loader.load(key)`: the answer of the batch the key joins."""
        return self.loader.load(self.key)


def loader(batch: Callable[[list[K]], Coroutine[Any, Any, list[Outcome[V]]]]) -> Loader[K, V]:
    """A per-request `Loader[K, V]` over `batch`, one answer per key, in key order.

    aiodataloader's hints say a batch returns only values; it also accepts an exception in a
    slot, which is what `Outcome` states, so the one cast between the two is here.
    """
    values = cast("Callable[[list[K]], Coroutine[Any, Any, list[V]]]", batch)
    return Loader(values)


def match_by_id(keys: Sequence[int], records: Iterable[R]) -> list[R | None]:
    """Records in key order; ids the upstream left out become None."""
    index = {record.id: record for record in records}
    return [index.get(key) for key in keys]


async def single_gets(
    keys: Sequence[int], get: Callable[[int], Awaitable[R | None]], limit: asyncio.Semaphore
) -> list[Outcome[R | None]]:
    """One GET per id with bounded concurrency: record (or the None `get` gives), None for 404,
    the error otherwise."""

    async def one(key: int) -> Outcome[R | None]:
        async with limit:
            try:
                return await get(key)
            except NotFoundError:
                return None
            except Exception as exc:  # handed to the loader, which rejects just this key
                return exc

    return list(await asyncio.gather(*(one(k) for k in keys)))


class ReferenceList(Generic[R]):
    """A whole reference list (pipelines, stages, users), fetched at most once per request.

    A fresh copy in the process memory (per credential, with a TTL) saves even that call.
    """

    def __init__(
        self,
        kind: str,
        fetch: Callable[[], Awaitable[tuple[R, ...]]],
        *,
        memory: UpstreamMemory,
        credential_key: str,
        ttl: float,
        stats: CallStats,
    ) -> None:
        self._key = (credential_key, kind)
        self.kind = kind
        self._fetch = fetch
        self._memory = memory
        self._ttl = ttl
        self._stats = stats
        self._task: asyncio.Task[tuple[R, ...]] | None = None

    def known(self) -> tuple[R, ...] | None:
        """The list if it is already at hand (this request or the process cache), else None."""
        if self._task is not None and self._task.done() and not self._task.exception():
            return self._task.result()
        if self._ttl <= 0:
            return None
        # only _load() stores under this key, always a tuple of this list's records
        return cast("tuple[R, ...] | None", self._memory.reference_get(self._key, self._ttl))

    async def cached(self) -> tuple[R, ...] | None:
        """`known`, or the copy another replica shared (Redis), else None."""
        found = self.known()
        if found is None and self._ttl > 0 and self._task is None:
            shared = await self._memory.reference_near(self._key, self._ttl)
            found = cast("tuple[R, ...] | None", shared)
        return found

    async def get(self) -> tuple[R, ...]:
        """The whole list: from memory, from this request's call, or from one new call."""
        if self._task is None:
            cached = await self.cached()
            if cached is not None and self._task is None:
                self._stats.cache_hits += 1
                return cached
        if self._task is None:
            self._task = asyncio.ensure_future(self._load())
        return await self._task

    async def _load(self) -> tuple[R, ...]:
        items = await self._fetch()
        if self._ttl > 0:
            self._memory.reference_put(self._key, items, self._ttl)
        return items

    async def known_records(self, ids: Sequence[int]) -> dict[int, R]:
        """Records of this list fetched one by one earlier (any replica) and still fresh, by id."""
        if self._ttl <= 0:
            return {}
        keys = [self._record_key(record_id) for record_id in ids]
        hits = await self._memory.references_near(keys, self._ttl)
        return {rid: cast("R", hit[0]) for rid, hit in zip(ids, hits, strict=True) if hit}

    def remember_records(self, records: Sequence[tuple[int, R]]) -> None:
        """Keep records fetched by single GETs for the next requests (same TTL as the list)."""
        if self._ttl > 0:
            for record_id, record in records:
                self._memory.reference_put(self._record_key(record_id), (record,), self._ttl)

    def _record_key(self, record_id: int) -> tuple[str, str]:
        return (self._key[0], f"{self.kind}/{record_id}")

    def invalidate(self) -> None:
        """Forget the list here, in the process cache and on every replica (after a write)."""
        self._task = None
        self._memory.reference_drop(self._key)
