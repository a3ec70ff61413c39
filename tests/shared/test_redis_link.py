"""`RedisLink` against a real Redis: one outage per incident, and pooled connections recover."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

import pytest
import redis
from redis.asyncio import Redis

from pipedrive_graphql.datasources.state.redis_link import SLOW_CALLS_FOR_OUTAGE, RedisLink
from tests.redis_server import RedisServer

from .shared_support import HEALTHY_REDIS_TIMEOUT, eventually

CONCURRENT = 8  # calls at once: the pool keeps this many connections open


async def _round(link: RedisLink) -> list[object | None]:
    """`CONCURRENT` PINGs at once through the link (None where a call failed)."""
    return await asyncio.gather(*(link.run(lambda r: r.ping()) for _ in range(CONCURRENT)))


def _lines(caplog: pytest.LogCaptureFixture, text: str) -> int:
    return sum(text in record.getMessage() for record in caplog.records)


async def test_a_restart_is_one_outage_logged_once_and_every_connection_recovers(
    redis_url: str, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    link = RedisLink(redis_url, timeout=HEALTHY_REDIS_TIMEOUT, retry_after=0.5)
    link.start()
    forgotten: list[int] = []
    link.on_reconnect(lambda: forgotten.append(1))
    try:
        assert await _round(link) == [True] * CONCURRENT
        with caplog.at_level(logging.WARNING, logger="pipedrive_graphql"):
            redis_server.stop()
            # one call notices; the other pooled connections sit unused until Redis is back
            assert await link.run(lambda r: r.ping()) is None
            assert await _round(link) == [None] * CONCURRENT  # down: Redis is not asked
            redis_server.start()

            async def answers() -> bool:
                return None not in await _round(link)

            assert await eventually(answers, seconds=10)
            # every connection opened before the restart is gone: no call fails any more
            rounds = [await _round(link) for _ in range(5)]
        assert rounds == [[True] * CONCURRENT] * 5
        assert (link.healthy, link.outages) == (True, 1)
        assert _lines(caplog, "Redis unavailable") == 1
        assert _lines(caplog, "Redis is back") == 1
        assert forgotten == [1]  # the in-process level was dropped once, not once per failure
    finally:
        await link.close()


async def test_connections_the_server_closed_while_idle_are_replaced_not_an_outage(
    redis_url: str,
) -> None:
    # a Redis `timeout` setting or a proxy reaps idle clients; the next call must reconnect
    link = RedisLink(redis_url, timeout=HEALTHY_REDIS_TIMEOUT)
    try:
        assert await _round(link) == [True] * CONCURRENT
        with redis.Redis.from_url(redis_url) as admin:
            killed = admin.client_kill_filter(_type="normal", skipme=True)
        assert killed >= CONCURRENT
        await asyncio.sleep(0.1)  # the closes reach this process's sockets
        assert await _round(link) == [True] * CONCURRENT
        assert link.state() == {"connected": True, "outages": 0, "failedCalls": 0}
    finally:
        await link.close()


async def test_a_hanging_redis_is_probed_in_the_background_never_on_a_call(
    redis_url: str, redis_server: RedisServer
) -> None:
    link = RedisLink(redis_url, timeout=0.3, retry_after=0.2)  # no listener: calls alone
    asked: list[int] = []

    def ping(client: Redis) -> Awaitable[bool]:
        asked.append(1)
        return client.ping()

    try:
        assert await link.run(ping) is True
        redis_server.freeze()  # accepts nothing, answers nothing
        try:
            await asyncio.gather(*(link.run(ping) for _ in range(SLOW_CALLS_FOR_OUTAGE)))
            assert not link.healthy
            asked.clear()
            for _ in range(5):  # across several retry intervals: the caller never waits on Redis
                assert await link.run(ping) is None
                await asyncio.sleep(0.1)
            assert asked == []
        finally:
            redis_server.thaw()
        assert await eventually(lambda: link.healthy, seconds=10)  # no call needed to see it
        assert await link.run(ping) is True
    finally:
        await link.close()
