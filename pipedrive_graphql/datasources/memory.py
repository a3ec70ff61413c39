"""Process-level upstream memory per credential: v2 cursors, collection sizes, reference lists."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Generic, TypeVar

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
    """What the server remembers about each credential's account between GraphQL requests."""

    cursors: BoundedLRU[Scope, dict[int, str]] = field(default_factory=lambda: BoundedLRU(2048))
    sizes: BoundedLRU[Scope, tuple[int, bool]] = field(default_factory=lambda: BoundedLRU(1024))
    reference: BoundedLRU[tuple[str, str], tuple[float, tuple[object, ...]]] = field(
        default_factory=lambda: BoundedLRU(1024)
    )
    max_cursors_per_scope: int = 256

    def cursor_at(self, scope: Scope, start: int) -> tuple[int, str | None]:
        """The known position nearest below or at `start` and its cursor (0 / None: the head)."""
        known = self.cursors.get(scope) or {}
        best = max((offset for offset in known if offset <= start), default=0)
        return (best, known[best]) if best else (0, None)

    def remember_cursor(self, scope: Scope, offset: int, cursor: str) -> None:
        """Record that `cursor` starts the page at `offset`."""
        known = self.cursors.get(scope)
        if known is None:
            known = {}
            self.cursors.put(scope, known)
        if len(known) >= self.max_cursors_per_scope and offset not in known:
            known.pop(next(iter(known)))
        known[offset] = cursor

    def remember_size(self, scope: Scope, size: int, *, exact: bool = True) -> None:
        """Record a collection size seen by a walk or scan (or, not exact, a lower bound)."""
        self.sizes.put(scope, (size, exact))

    def reference_get(self, key: tuple[str, str], ttl: float) -> tuple[object, ...] | None:
        """A cached reference list (pipelines, stages, users) younger than `ttl` seconds."""
        hit = self.reference.get(key)
        if hit is None or time.monotonic() - hit[0] > ttl:
            return None
        return hit[1]

    def reference_put(self, key: tuple[str, str], items: tuple[object, ...]) -> None:
        """Cache a reference list now."""
        self.reference.put(key, (time.monotonic(), items))

    def forget_credential(self, credential_key: str) -> None:
        """Drop everything remembered for one credential (e.g. after a 401)."""
        for store in (self.cursors, self.sizes):
            for scope in store.snapshot():
                if scope[0] == credential_key:
                    store.pop(scope)
        for key in self.reference.snapshot():
            if key[0] == credential_key:
                self.reference.pop(key)
