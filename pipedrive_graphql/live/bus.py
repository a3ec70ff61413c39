"""How a webhook received by one replica reaches every replica: in process, or Redis pub/sub.

Both buses do two things: `claim` an event id once (Pipedrive retries a delivery with the same
`meta.id`, and a load balancer may hand the retry to another replica), and `publish` the event
to every replica's handler, the publishing one included. Without Redis there is one replica.
With Redis, a claim is one `SET NX` with a day's expiry (Pipedrive's last retry comes ~3 min
after the first attempt); while Redis is unreachable both fall back to this process alone, so
the replica that received the webhook still invalidates and notifies its own subscribers.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from pipedrive_graphql.datasources.state.redis_link import RedisLink
from pipedrive_graphql.live.events import ChangeEvent

logger = logging.getLogger("pipedrive_graphql")

Handler = Callable[[ChangeEvent], None]
CHANNEL = "pgql:live:events"
CLAIM_PREFIX = "pgql:live:seen:"
CLAIM_SECONDS = 24 * 3600
LOCAL_CLAIMS = 10_000
RECONNECT_SECONDS = 1.0
LISTEN_SECONDS = 1.0


class EventBus(Protocol):
    """What the webhook endpoint and the hub need from a bus."""

    async def start(self, handler: Handler) -> None:
        """Deliver every published event to `handler` from now on."""

    async def claim(self, key: str) -> bool:
        """True the first time `key` is claimed on any replica."""

    async def publish(self, event: ChangeEvent) -> None:
        """Hand `event` to the handler of every replica."""

    async def close(self) -> None:
        """Stop delivering and release connections."""


def _deliver(handler: Handler, data: bytes | str) -> None:
    try:
        event = ChangeEvent.from_json(data)
    except (ValueError, KeyError, TypeError):
        # only replicas publish here; a message of another version must not stop the listener
        logger.warning("ignored a live-updates message that is not an event")
        return
    handler(event)


class LocalClaims:
    """The event ids this process has seen, the oldest forgotten past `capacity`."""

    def __init__(self, capacity: int = LOCAL_CLAIMS) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def claim(self, key: str) -> bool:
        """True unless `key` was claimed before."""
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True


class LocalBus:
    """One replica: events go straight to this process's handler."""

    def __init__(self) -> None:
        self._claims = LocalClaims()
        self._handler: Handler | None = None

    async def start(self, handler: Handler) -> None:
        """Deliver published events to `handler`."""
        self._handler = handler

    async def claim(self, key: str) -> bool:
        """True the first time this process sees `key`."""
        return self._claims.claim(key)

    async def publish(self, event: ChangeEvent) -> None:
        """Call the handler now."""
        if self._handler is not None:
            self._handler(event)

    async def close(self) -> None:
        """Nothing to release."""
        self._handler = None


class RedisBus:
    """Every replica subscribed to one Redis channel; claims are keys with an expiry.

    Commands go through the replica's one Redis connection (`RedisLink.run`: bounded, and None
    instead of an error while Redis is slow or down); the listener holds a pub/sub connection
    of the same client and reconnects after an outage.
    """

    def __init__(self, link: RedisLink) -> None:
        self._link = link
        self._local = LocalBus()
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = False  # this replica's listener hears the channel right now

    async def start(self, handler: Handler) -> None:
        """Subscribe (waiting for Redis to confirm, if it is up), then listen in the background."""
        await self._local.start(handler)
        ready = asyncio.get_running_loop().create_future()
        self._listener = asyncio.ensure_future(self._listen(handler, ready))
        await asyncio.wait([ready], timeout=2.0)

    async def claim(self, key: str) -> bool:
        """`SET key 1 NX EX 86400` in Redis; this process's memory while Redis is down."""

        async def claim_in_redis(r: aioredis.Redis) -> bool:
            return bool(await r.set(CLAIM_PREFIX + key, "1", nx=True, ex=CLAIM_SECONDS))

        claimed = await self._link.run(claim_in_redis)
        if claimed is None:
            return await self._local.claim(key)
        return claimed

    async def publish(self, event: ChangeEvent) -> None:
        """`PUBLISH` to every replica; only to this one while Redis is down.

        While this replica's own listener is not (yet, again) subscribed, the event is also
        handed to this process directly: Redis only delivers to the subscribers it has now.
        """
        data = event.to_json()

        async def publish_in_redis(r: aioredis.Redis) -> int:
            return int(await r.publish(CHANNEL, data))

        receivers = await self._link.run(publish_in_redis)
        if receivers is None:
            await self._local.publish(event)
            return
        if not self._subscribed:
            await self._local.publish(event)

    async def close(self) -> None:
        """Stop listening (the connection belongs to the runtime, which closes it)."""
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None

    async def _listen(self, handler: Handler, ready: asyncio.Future[None]) -> None:
        while True:
            pubsub = self._link.client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(CHANNEL)
                # Redis confirms on the listener's own connection: from then on it delivers
                await pubsub.get_message(ignore_subscribe_messages=False, timeout=LISTEN_SECONDS)
                self._subscribed = True
                if not ready.done():
                    ready.set_result(None)
                while True:
                    # a bounded wait: the link's socket timeout is shorter than an idle channel
                    message = await pubsub.get_message(timeout=LISTEN_SECONDS)
                    data = None if message is None else message.get("data")
                    if isinstance(data, bytes | str):
                        _deliver(handler, data)
            except (RedisError, OSError, TimeoutError):
                pass  # RedisLink logs an outage once; this loop just reconnects after it
            finally:
                self._subscribed = False
                await asyncio.gather(pubsub.aclose(), return_exceptions=True)  # type: ignore[no-untyped-call]
            if not ready.done():
                ready.set_result(None)
            await asyncio.sleep(RECONNECT_SECONDS)
