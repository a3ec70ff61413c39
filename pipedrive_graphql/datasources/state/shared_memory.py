"""The shared level of `UpstreamMemory` in Redis: cursors, sizes and reference lists.

Keys (all under `pgql:`): `pos:{credential}:{scope}` a hash of `c{offset}` -> `at|cursor` and
`size` -> `size|exact|at`, expiring after the cursor age bound; `posidx:{credential}` the set of
those keys (a write deletes them all); `ref:{credential}:{kind}` a reference list, expiring
with its TTL. Invalidations go out on the link's channel as `pos|{credential}` and
`ref|{credential}|{kind}`; every replica drops the matching in-process entries.
"""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Protocol, cast

from redis.asyncio import Redis

from pipedrive_graphql.datasources.state.redis_link import RedisLink

if TYPE_CHECKING:
    from pipedrive_graphql.datasources.state.memory import Scope, UpstreamMemory

Cursors = dict[int, tuple[str, float]]
Size = tuple[int, bool, float]

# KEYS: the credential's index set. Deletes every position hash it names, then the set.
_DROP_POSITIONS = """
local keys = redis.call('SMEMBERS', KEYS[1])
for i = 1, #keys do redis.call('DEL', keys[i]) end
redis.call('DEL', KEYS[1])
return #keys
"""


class ReferenceCodec(Protocol):
    """How reference records become text in Redis and back (data only: nothing executable)."""

    def encode(self, items: tuple[object, ...]) -> str:
        """Text for a reference list or record."""

    def decode(self, text: str) -> tuple[object, ...] | None:
        """The items back, or None when `text` cannot be read (a cache miss)."""


def _decode(value: str, codec: ReferenceCodec) -> tuple[float, tuple[object, ...]] | None:
    """(age in seconds, items) from `{wall time}|{encoded items}`; None if unreadable."""
    stamp, _, payload = value.partition("|")
    try:
        age = max(0.0, time.time() - float(stamp))
    except ValueError:
        return None
    items = codec.decode(payload)
    return None if items is None else (age, items)


class SharedMemory:
    """Reads and writes of the shared level; every call bounded, None when Redis is down."""

    def __init__(self, link: RedisLink, codec: ReferenceCodec) -> None:
        self._link = link
        self._codec = codec
        self._drop = link.script(_DROP_POSITIONS)

    def attach(self, memory: UpstreamMemory) -> None:
        """Make `memory` use this level and follow every replica's invalidations."""
        memory.shared = self

        def invalidate(message: str) -> None:
            kind, _, rest = message.partition("|")
            if kind == "pos":
                memory.forget_positions(rest)
            elif kind == "ref":
                credential, _, name = rest.partition("|")
                memory.reference.pop((credential, name))

        self._link.on_invalidate(invalidate)
        self._link.on_reconnect(memory.forget_all)

    # -- cursors and sizes -------------------------------------------------------------------
    def _scope_key(self, scope: Scope) -> str:
        digest = hashlib.sha256(repr(scope[1:]).encode()).hexdigest()[:16]
        return self._link.key("pos", scope[0], digest)

    async def get_scope(self, scope: Scope) -> tuple[Cursors, Size | None] | None:
        """The cursors and size other replicas saw for `scope` (None: Redis unreachable)."""
        key = self._scope_key(scope)
        raw = await self._link.run(lambda r: r.hgetall(key))
        if raw is None:
            return None
        fields = cast("dict[str, str]", raw)  # the link decodes answers to str
        cursors: Cursors = {}
        size: Size | None = None
        for name, value in fields.items():
            if name == "size":
                count, exact, at = value.split("|")
                size = (int(count), exact == "1", float(at))
            elif name.startswith("c"):
                at, _, cursor = value.partition("|")
                cursors[int(name[1:])] = (cursor, float(at))
        return cursors, size

    def put_cursor(self, scope: Scope, offset: int, cursor: str, at: float, ttl: float) -> None:
        """Share that `cursor` starts the page at `offset` (seen at wall time `at`)."""
        self._put_position(scope, f"c{offset}", f"{at}|{cursor}", ttl)

    def put_size(self, scope: Scope, size: int, exact: bool, at: float, ttl: float) -> None:
        """Share a collection size."""
        self._put_position(scope, "size", f"{size}|{int(exact)}|{at}", ttl)

    def _put_position(self, scope: Scope, name: str, value: str, ttl: float) -> None:
        key, index = self._scope_key(scope), self._link.key("posidx", scope[0])
        seconds = max(1, int(ttl))

        async def put(r: Redis) -> object:
            async with r.pipeline(transaction=True) as pipe:
                pipe.hset(key, name, value)
                pipe.expire(key, seconds)
                pipe.sadd(index, key)
                pipe.expire(index, seconds)
                return await pipe.execute()

        self._link.spawn(put)

    def drop_positions(self, credential_key: str) -> None:
        """Delete one credential's shared cursors and sizes and tell every replica."""
        index = self._link.key("posidx", credential_key)

        async def drop(r: Redis) -> object:
            await self._drop([index], [], r)
            return await r.publish(self._link.channel, f"pos|{credential_key}")

        self._link.spawn(drop)

    # -- reference lists ---------------------------------------------------------------------
    async def get_reference(self, key: tuple[str, str]) -> tuple[float, tuple[object, ...]] | None:
        """(age in seconds, items) of a shared reference list, or None."""
        return (await self.get_references([key]))[0]

    async def get_references(
        self, keys: list[tuple[str, str]]
    ) -> list[tuple[float, tuple[object, ...]] | None]:
        """`get_reference` for many keys in one round trip (all None when Redis is down)."""
        names = [self._link.key("ref", *key) for key in keys]
        raw = await self._link.run(lambda r: r.mget(names))
        if not isinstance(raw, list):
            return [None] * len(keys)
        return [_decode(value, self._codec) if isinstance(value, str) else None for value in raw]

    def put_reference(self, key: tuple[str, str], items: tuple[object, ...], ttl: float) -> None:
        """Share a reference list for `ttl` seconds."""
        name = self._link.key("ref", *key)
        value = f"{time.time()}|{self._codec.encode(items)}"
        self._link.spawn(lambda r: r.set(name, value, ex=max(1, int(ttl))))

    def drop_reference(self, key: tuple[str, str]) -> None:
        """Delete a shared reference list and tell every replica."""
        name = self._link.key("ref", *key)

        async def drop(r: Redis) -> object:
            await r.delete(name)
            return await r.publish(self._link.channel, f"ref|{key[0]}|{key[1]}")

        self._link.spawn(drop)
