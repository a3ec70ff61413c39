"""Process-level upstream memory per credential: v2 cursors, collection sizes, reference lists."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from pipedrive_graphql.datasources.state.shared_memory import SharedMemory

K = TypeVar("K")
V = TypeVar("V")

# (credential key, upstream path, filters) — everything that makes one cursor sequence.
Scope = tuple[str, str, tuple[tuple[str, str], ...]]


class BoundedLRU(Generic[K, V]):
    """A small least-recently-used map with a fixed capacity."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value for `key` (now most recently used), or None."""
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: K, value: V) -> None:
        """Store `value`, evicting the least recently used entry when full."""
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self._capacity:
            self._data.popitem(last=False)

    def pop(self, key: K) -> None:
        """Forget `key` if present."""
        self._data.pop(key, None)

    def snapshot(self) -> list[K]:
        """A snapshot of the keys, least recently used first."""
        return list(self._data)

    def __len__(self) -> int:
        return len(self._data)


@dataclass
class UpstreamMemory:
    """What the server remembers about each credential's account between GraphQL requests.

    This is the in-process level; with `shared` set (Redis), misses here read the shared level
    and everything remembered is written through, so a replica starts warm from the others.
    Cursors and sizes are trusted for `max_age` seconds at most and dropped on every write.
    """

    cursors: BoundedLRU[Scope, dict[int, tuple[str, float]]] = field(
        default_factory=lambda: BoundedLRU(2048)
    )
    sizes: BoundedLRU[Scope, tuple[int, bool, float]] = field(
        default_factory=lambda: BoundedLRU(1024)
    )
    reference: BoundedLRU[tuple[str, str], tuple[float, tuple[object, ...]]] = field(
        default_factory=lambda: BoundedLRU(1024)
    )
    max_cursors_per_scope: int = 256
    max_age: float = 60.0
    shared: SharedMemory | None = None

    def cursor_at(self, scope: Scope, start: int) -> tuple[int, str | None]:
        """The known position nearest below or at `start` and its cursor (0 / None: the head)."""
        oldest = time.time() - self.max_age
        known = self.cursors.get(scope) or {}
        fresh = [offset for offset, (_, at) in known.items() if offset <= start and at >= oldest]
        best = max(fresh, default=0)
        return (best, known[best][0]) if best else (0, None)

    async def cursor_near(self, scope: Scope, start: int) -> tuple[int, str | None]:
        """`cursor_at`, reading the shared level first when this replica knows no cursor."""
        position, cursor = self.cursor_at(scope, start)
        if cursor is None and start > 0 and self.shared is not None:
            await self._load_scope(scope)
            position, cursor = self.cursor_at(scope, start)
        return position, cursor

    def remember_cursor(self, scope: Scope, offset: int, cursor: str) -> None:
        """Record that `cursor` starts the page at `offset`."""
        now = time.time()
        self._keep_cursor(scope, offset, cursor, now)
        if self.shared is not None:
            self.shared.put_cursor(scope, offset, cursor, now, self.max_age)

    def _keep_cursor(self, scope: Scope, offset: int, cursor: str, at: float) -> None:
        known = self.cursors.get(scope)
        if known is None:
            known = {}
            self.cursors.put(scope, known)
        if len(known) >= self.max_cursors_per_scope and offset not in known:
            known.pop(next(iter(known)))
        known[offset] = (cursor, at)

    def remember_size(self, scope: Scope, size: int, *, exact: bool = True) -> None:
        """Record a collection size seen by a walk or scan (or, not exact, a lower bound)."""
        now = time.time()
        self.sizes.put(scope, (size, exact, now))
        if self.shared is not None:
            self.shared.put_size(scope, size, exact, now, self.max_age)

    def size_of(self, scope: Scope) -> tuple[int, bool] | None:
        """A collection size younger than `max_age` (and whether it is exact), or None."""
        hit = self.sizes.get(scope)
        if hit is None or hit[2] < time.time() - self.max_age:
            return None
        return hit[0], hit[1]

    async def size_near(self, scope: Scope) -> tuple[int, bool] | None:
        """`size_of`, reading the shared level when this replica knows none."""
        found = self.size_of(scope)
        if found is None and self.shared is not None:
            await self._load_scope(scope)
            found = self.size_of(scope)
        return found

    async def _load_scope(self, scope: Scope) -> None:
        assert self.shared is not None
        loaded = await self.shared.get_scope(scope)
        if loaded is None:
            return
        cursors, size = loaded
        for offset, (cursor, at) in cursors.items():
            self._keep_cursor(scope, offset, cursor, at)
        if size is not None and scope not in self.sizes.snapshot():
            self.sizes.put(scope, size)

    def reference_get(self, key: tuple[str, str], ttl: float) -> tuple[object, ...] | None:
        """A cached reference list (pipelines, stages, users) younger than `ttl` seconds."""
        hit = self.reference.get(key)
        if hit is None or time.monotonic() - hit[0] > ttl:
            return None
        return hit[1]

    async def reference_near(self, key: tuple[str, str], ttl: float) -> tuple[object, ...] | None:
        """`reference_get`, reading the shared level (written within `ttl`) on a miss here."""
        found = self.reference_get(key, ttl)
        if found is None and self.shared is not None:
            loaded = await self.shared.get_reference(key)
            if loaded is not None:
                age, found = loaded
                self.reference.put(key, (time.monotonic() - age, found))
        return found

    async def references_near(
        self, keys: list[tuple[str, str]], ttl: float
    ) -> list[tuple[object, ...] | None]:
        """`reference_near` for many keys, with one shared read for those missing here."""
        found = [self.reference_get(key, ttl) for key in keys]
        missing = [key for key, hit in zip(keys, found, strict=True) if hit is None]
        if missing and self.shared is not None:
            loaded = dict(zip(missing, await self.shared.get_references(missing), strict=True))
            for index, key in enumerate(keys):
                hit = loaded.get(key)
                if hit is not None:
                    self.reference.put(key, (time.monotonic() - hit[0], hit[1]))
                    found[index] = hit[1]
        return found

    def reference_put(self, key: tuple[str, str], items: tuple[object, ...], ttl: float) -> None:
        """Cache a reference list now (in the shared level too, for `ttl` seconds)."""
        self.reference.put(key, (time.monotonic(), items))
        if self.shared is not None:
            self.shared.put_reference(key, items, ttl)

    def reference_drop(self, key: tuple[str, str]) -> None:
        """Forget a reference list here and on every replica (after a write that changed it)."""
        self.reference.pop(key)
        if self.shared is not None:
            self.shared.drop_reference(key)

    def wrote(self, credential_key: str) -> None:
        """A write went to Pipedrive: offsets may have moved, so drop cursors and sizes.

        Here at once; with Redis, in the shared level and on every other replica too.
        """
        self.forget_positions(credential_key)
        if self.shared is not None:
            self.shared.drop_positions(credential_key)

    def forget_positions(self, credential_key: str) -> None:
        """Drop this replica's cursors and sizes of one credential."""
        for store in (self.cursors, self.sizes):
            for scope in store.snapshot():
                if scope[0] == credential_key:
                    store.pop(scope)

    def forget_credential(self, credential_key: str) -> None:
        """Drop everything remembered for one credential (e.g. after a 401)."""
        self.forget_positions(credential_key)
        for key in self.reference.snapshot():
            if key[0] == credential_key:
                self.reference.pop(key)

    def forget_all(self) -> None:
        """Drop the whole in-process level (Redis came back: invalidations may have been missed)."""
        for store in (self.cursors, self.sizes, self.reference):
            for key in store.snapshot():
                store.pop(key)  # type: ignore[arg-type]
