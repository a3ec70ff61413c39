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
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from pipedrive_graphql.live.events import ChangeEvent

logger = logging.getLogger("pipedrive_graphql")

Handler = Callable[[ChangeEvent], None]
CHANNEL = "pgql:live:events"
CLAIM_PREFIX = "pgql:live:seen:"
CLAIM_SECONDS = 24 * 3600
LOCAL_CLAIMS = 10_000
RECONNECT_SECONDS = 1.0
CALL_SECONDS = 0.5  # past this a claim or publish is treated as Redis being down


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


def redis_client(url: str) -> aioredis.Redis:
    """A client that fails fast: no retries of its own (redis-py's default backs off for
    seconds), half a second to connect; reads stay unbounded for the pub/sub listener."""
    return aioredis.Redis.from_url(
        url, retry=Retry(NoBackoff(), 0), socket_connect_timeout=CALL_SECONDS
    )


class RedisBus:
    """Every replica subscribed to one Redis channel; claims are keys with an expiry."""

    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client
        self._local = LocalBus()
        self._listener: asyncio.Task[None] | None = None
        self._down = False
        self._subscribed = False  # this replica's listener hears the channel right now

    async def start(self, handler: Handler) -> None:
        """Subscribe (waiting for Redis to confirm, if it is up), then listen in the background."""
        await self._local.start(handler)
        ready = asyncio.get_running_loop().create_future()
        self._listener = asyncio.ensure_future(self._listen(handler, ready))
        await asyncio.wait([ready], timeout=2.0)

    async def claim(self, key: str) -> bool:
        """`SET key 1 NX EX 86400` in Redis; this process's memory while Redis is down."""
        try:
            async with asyncio.timeout(CALL_SECONDS):
                claimed = await self._client.set(CLAIM_PREFIX + key, "1", nx=True, ex=CLAIM_SECONDS)
        except (RedisError, OSError, TimeoutError) as error:
            self._fell_back(error)
            return await self._local.claim(key)
        self._back()
        return bool(claimed)

    async def publish(self, event: ChangeEvent) -> None:
        """`PUBLISH` to every replica; only to this one while Redis is down.

        While this replica's own listener is not (yet, again) subscribed, the event is also
        handed to this process directly: Redis only delivers to the subscribers it has now.
        """
        try:
            async with asyncio.timeout(CALL_SECONDS):
                await self._client.publish(CHANNEL, event.to_json())
        except (RedisError, OSError, TimeoutError) as error:
            self._fell_back(error)
            await self._local.publish(event)
            return
        self._back()
        if not self._subscribed:
            await self._local.publish(event)

    async def close(self) -> None:
        """Stop listening and close the connections."""
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
        await self._client.aclose()

    async def _listen(self, handler: Handler, ready: asyncio.Future[None]) -> None:
        while True:
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(CHANNEL)
                # Redis confirms on the listener's own connection: from then on it delivers
                await pubsub.get_message(ignore_subscribe_messages=False, timeout=CALL_SECONDS)
                self._subscribed = True
                if not ready.done():
                    ready.set_result(None)
                async for message in pubsub.listen():
                    data = message.get("data")
                    if isinstance(data, bytes | str):
                        _deliver(handler, data)
            except (RedisError, OSError, TimeoutError) as error:
                self._fell_back(error)
            finally:
                self._subscribed = False
                await asyncio.gather(pubsub.aclose(), return_exceptions=True)  # type: ignore[no-untyped-call]
            if not ready.done():
                ready.set_result(None)
            await asyncio.sleep(RECONNECT_SECONDS)

    def _fell_back(self, error: BaseException) -> None:
        if not self._down:
            self._down = True
            logger.warning(
                "Redis unavailable for live updates (%s): webhooks reach this replica's "
                "subscribers only until it returns",
                type(error).__name__,
            )

    def _back(self) -> None:
        if self._down:
            self._down = False
            logger.warning("Redis is back: live updates reach every replica again")
