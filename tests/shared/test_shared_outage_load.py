"""Redis killed and restarted empty under concurrent load: no GraphQL error, no burst of 429s."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.redis_server import RedisServer

from .shared_support import AppReplica, app_replicas

DASHBOARD = (
    "{ deals(limit: 10) { results { id title person { name organization { name } } "
    "stage { name pipeline { name } } owner { name } } } }"
)
PERSON = "query P($id: Int!) { person(personId: $id) { name organization { name } } }"
CLIENTS = 8  # more than the lite plan (10 calls a second) serves: the governors must queue


async def _client(
    number: int, replicas: list[AppReplica], stop: asyncio.Event, codes: Counter[str]
) -> None:
    for turn in itertools.count(number):
        if stop.is_set():
            return
        replica = replicas[turn % len(replicas)]
        if turn % 2:
            body = await replica.gql(DASHBOARD)
        else:
            body = await replica.gql(PERSON, variables={"id": 1 + turn % 5})
        codes["answers"] += 1
        for error in body.get("errors") or []:
            codes[str(error.get("extensions", {}).get("code"))] += 1


async def test_redis_killed_and_restarted_under_load(
    redis_url: str, redis_server: RedisServer
) -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True, rate_limit="lite", latency_ms=20))
    codes: Counter[str] = Counter()
    stop = asyncio.Event()
    # a deadline long enough that queueing behind the governors is never cut: any RATE_LIMITED
    # is then a 429 that retries could not get past
    settings = {"plan": "lite", "request_deadline": 60.0}
    async with app_replicas(emu, redis_url, count=3, **settings) as replicas:
        clients = [asyncio.ensure_future(_client(n, replicas, stop, codes)) for n in range(CLIENTS)]
        try:
            await asyncio.sleep(3)
            redis_server.stop()  # SIGKILL: the replicas fall back to their own governors
            await asyncio.sleep(3)
            redis_server.start()  # back empty: the shared window forgot every call it held
            restarted = time.monotonic()
            await asyncio.sleep(3)
        finally:
            stop.set()
            await asyncio.gather(*clients)
    statuses = [entry.status for entry in emu.log.entries]
    assert codes["answers"] > 0
    assert codes["RATE_LIMITED"] == 0, codes  # every 429 was waited out and retried
    assert statuses.count(200) > 40  # served throughout, not stalled
    # Right after the restart each replica's own window still holds what Pipedrive counts: a
    # few stray 429s, not the whole window sent again by every replica at once.
    after_restart = [e for e in emu.log.entries if restarted <= e.time < restarted + 1.0]
    assert [e.status for e in after_restart].count(429) <= 2 * len(replicas)
