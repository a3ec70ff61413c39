"""The one Redis connection of a replica: bounded calls, outage fallback, invalidation pub/sub.

Every call goes through `RedisLink.run`, which bounds it by `timeout` seconds and answers None
instead of raising when Redis is slow or gone: callers then use their in-process state. The
first failure (a refused connection, or `SLOW_CALLS_FOR_OUTAGE` timeouts in a row: one slow
answer on a busy machine is not an outage) is logged once and the link stays down: from then on
calls answer None at once, and a background probe pings Redis every `retry_after` seconds until
it answers. No client request ever waits on a Redis that is known to be down.

One outage is counted and logged once, from the first failure until Redis answers again:
marking the link down closes every pooled connection (none opened before a restart may serve
a call after it), and a call only changes the link's state if the state did not change while
it ran (a call that was in flight when Redis went down, or came back, says nothing new).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis.asyncio as aioredis
from redis.asyncio.client import PubSub
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.maint_notifications import MaintNotificationsConfig
from redis.retry import Retry

logger = logging.getLogger("pipedrive_graphql")

T = TypeVar("T")
Operation = Callable[[aioredis.Redis], Awaitable[T]]
Handler = Callable[[str], None]

PREFIX = "pgql:"
SLOW_CALLS_FOR_OUTAGE = 3
INVALIDATION_CHANNEL = PREFIX + "invalidate"


class RedisLink:
    """A replica's shared-state connection; `healthy` says whether Redis is in use right now."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 0.5,
        retry_after: float = 2.0,
    ) -> None:
        self.timeout = timeout
        self.retry_after = retry_after
        # redis-py retries on its own by default; a bounded call must fail once, not three times.
        # Maintenance notifications (a Redis Cloud feature) are off: while they are on, redis-py
        # 8.1's asyncio pool skips its check for connections the server closed and hands each
        # one to a command that then fails (redis/redis-py#4252), one failure per pooled
        # connection after every Redis restart or idle-timeout reap.
        self.client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
            decode_responses=True,
            maint_notifications_config=MaintNotificationsConfig(enabled=False),
        )
        self.channel = INVALIDATION_CHANNEL
        self.healthy = True
        self.outages = 0
        self.failures = 0
        self._slow = 0  # timeouts in a row
        self._generation = 0  # changes whenever `healthy` does
        self._prober: asyncio.Task[None] | None = None
        self._handlers: list[Handler] = []
        self._reconnect_handlers: list[Callable[[], None]] = []
        self._listener: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[object]] = set()
        self._scripts: dict[str, AsyncScript] = {}

    def script(self, source: str) -> AsyncScript:
        """A Lua script run by hash (EVALSHA), loaded once per Redis server."""
        found = self._scripts.get(source)
        if found is None:
            found = self._scripts[source] = self.client.register_script(source)
        return found

    @staticmethod
    def key(*parts: str) -> str:
        """A namespaced key: `pgql:` + the parts joined by `:`."""
        return PREFIX + ":".join(parts)

    async def run(self, operation: Operation[T]) -> T | None:
        """`operation(client)` within the timeout; None while Redis is down or when it fails."""
        if not self.healthy:
            return None  # the background probe finds out when Redis is back
        generation = self._generation
        try:
            async with asyncio.timeout(self.timeout):
                result = await operation(self.client)
        except (TimeoutError, RedisTimeoutError) as error:
            self.failures += 1
            if generation == self._generation:
                self._slow += 1
                if self._slow >= SLOW_CALLS_FOR_OUTAGE:
                    self._mark_down(error)
            return None
        except (RedisError, OSError) as error:
            self.failures += 1
            if generation == self._generation:
                self._mark_down(error)
            return None
        if generation == self._generation:
            self._slow = 0
            self._mark_up()
        return result

    def spawn(
        self, operation: Operation[object], *, after: asyncio.Task[object] | None = None
    ) -> asyncio.Task[object]:
        """Run `operation` in the background (a write nobody waits for), after `after` ends.

        Pooled connections run concurrent commands in any order; `after` keeps one writer's
        updates in the order it made them.
        """

        async def ordered() -> object:
            if after is not None:
                await asyncio.gather(after, return_exceptions=True)
            return await self.run(operation)

        task: asyncio.Task[object] = asyncio.ensure_future(ordered())
        self._track(task)
        return task

    def _track(self, task: asyncio.Task[object]) -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait for the background writes spawned so far (what another replica reads next)."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def publish(self, message: str) -> None:
        """Tell every replica (this one included) that `message` went stale."""
        await self.run(lambda r: r.publish(self.channel, message))

    def on_invalidate(self, handler: Handler) -> None:
        """Call `handler(message)` for every invalidation published by any replica."""
        self._handlers.append(handler)

    def on_reconnect(self, handler: Callable[[], None]) -> None:
        """Call `handler()` when Redis comes back: what was missed meanwhile is unknown."""
        self._reconnect_handlers.append(handler)

    def start(self) -> None:
        """Start listening for invalidations (call inside the running event loop)."""
        if self._listener is None:
            self._listener = asyncio.ensure_future(self._listen())

    async def close(self) -> None:
        """Stop listening and probing, and close the connections."""
        if self._prober is not None:
            self._prober.cancel()
            await asyncio.gather(self._prober, return_exceptions=True)
            self._prober = None
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
        await self.drain()
        await self.client.aclose()

    def state(self) -> dict[str, object]:
        """For `/readyz` detail and metrics: whether Redis is in use, and the outage count."""
        return {"connected": self.healthy, "outages": self.outages, "failedCalls": self.failures}

    async def _listen(self) -> None:
        while True:
            pubsub: PubSub = self.client.pubsub(ignore_subscribe_messages=True)
            generation = self._generation
            try:
                await pubsub.subscribe(self.channel)
                if generation == self._generation:
                    self._mark_up()
                generation = -1  # from now on a lost subscription is news, whenever it started
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None and isinstance(message.get("data"), str):
                        for handler in self._handlers:
                            handler(message["data"])
            except (RedisError, OSError, TimeoutError) as error:
                self.failures += 1
                if generation in {-1, self._generation}:
                    self._mark_down(error)
            finally:
                await asyncio.gather(pubsub.aclose(), return_exceptions=True)  # type: ignore[no-untyped-call]
            await asyncio.sleep(self.retry_after)

    def _mark_down(self, error: BaseException) -> None:
        self._slow = 0
        if self.healthy:
            self.healthy = False
            self._generation += 1
            self.outages += 1
            logger.warning(
                "Redis unavailable (%s); serving from in-process state until it returns",
                type(error).__name__,
            )
            self._track(asyncio.ensure_future(self._drop_connections()))
            if self._prober is None or self._prober.done():
                self._prober = asyncio.ensure_future(self._probe_until_back())

    async def _probe_until_back(self) -> None:
        """Ping Redis every `retry_after` seconds until it answers, then mark the link up."""
        while not self.healthy:
            await asyncio.sleep(self.retry_after)
            generation = self._generation
            try:
                async with asyncio.timeout(self.timeout):
                    await self.client.ping()
            except (TimeoutError, RedisError, OSError):
                self.failures += 1
                continue
            if generation == self._generation:
                self._mark_up()

    async def _drop_connections(self) -> None:
        # in-use ones too: a command waiting on a dead server fails now instead of at its timeout
        with contextlib.suppress(RedisError, OSError):
            await self.client.connection_pool.disconnect()

    def _mark_up(self) -> None:
        if not self.healthy:
            self.healthy = True
            self._generation += 1
            logger.warning("Redis is back; shared state in use again")
            for handler in self._reconnect_handlers:
                handler()
