"""Redis down: a webhook still reaches the receiving replica's subscribers; back, every replica."""

from __future__ import annotations

import asyncio

from tests.live.live_support import Companies, replicas, subscriber
from tests.live.test_live_webhooks import COMPANY_A, GOOD, TITLES, deal_change, post
from tests.redis_server import RedisServer


async def test_without_redis_the_receiving_replica_still_delivers_and_dedupes(
    redis_url: str, redis_server: RedisServer
) -> None:
    async with (
        replicas(Companies(), redis_url) as (first, second),
        subscriber(first) as near,
        subscriber(second) as far,
    ):
        await near.subscribe(TITLES)
        await far.subscribe(TITLES)
        await asyncio.sleep(0.1)
        redis_server.stop()
        body = deal_change(COMPANY_A, 3)
        answers = [await post(first, body, GOOD), await post(first, body, GOOD)]
        during = (await near.receive())["payload"]["data"]["dealChanged"]["id"]
        near_silent = await near.nothing_within(0.5)
        far_silent = await far.nothing_within(0.1)
        redis_server.start()
        # the listeners reconnect within a second or two; then events cross replicas again
        after, attempts = None, 0
        while after is None and attempts < 40:
            attempts += 1
            assert (await post(first, deal_change(COMPANY_A, 5), GOOD)).status_code == 200
            await near.receive()
            try:
                after = await far.receive(wait=0.5)
            except TimeoutError:
                continue

    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["status"] for a in answers] == ["accepted", "duplicate"]
    assert during == 3
    assert near_silent
    assert far_silent  # without Redis the other replica cannot hear of it
    assert after is not None
    assert after["payload"]["data"]["dealChanged"]["id"] == 5
