"""Caches shared by replicas through Redis, counted by what reached the emulator."""

from __future__ import annotations

import pytest

from pipedrive_graphql.apq import sha256_hex
from pipedrive_graphql.emulator import Emulator, EmulatorConfig

from .shared_support import AppReplica, app_replicas, eventually, upstream_paths

DASHBOARD = """{ deals(limit: 100) { results {
  id title person { id name organization { id name } } organization { id name }
  stage { id name pipeline { id name } } owner { id name } } hasMore } }"""
PAGE = "query Page($start: Int!) { deals(start: $start, limit: 10) { results { id } } }"
REFERENCE = ("/api/v1/users", "/api/v2/stages", "/api/v2/pipelines")


@pytest.fixture
def emu() -> Emulator:
    return Emulator(EmulatorConfig(dataset="demo", strict=True))


def _reference(paths: list[str]) -> list[str]:
    """Calls for users, stages and pipelines (whole lists or single records)."""
    return [p for p in paths if p.startswith(REFERENCE)]


async def _costs(emu: Emulator, replica: AppReplica, query: str, **body: object) -> list[str]:
    emu.log.clear()
    answer = await replica.gql(query, **body)
    assert "errors" not in answer, answer
    return upstream_paths(emu)


async def test_second_replicas_first_dashboard_costs_what_a_warm_one_does(
    emu: Emulator, redis_url: str
) -> None:
    async with app_replicas(emu, redis_url) as (first, second):
        cold = await _costs(emu, first, DASHBOARD)
        warm = await _costs(emu, first, DASHBOARD)
        other = await _costs(emu, second, DASHBOARD)
    assert len(_reference(cold)) >= 3  # the first dashboard anywhere loads them
    assert _reference(warm) == []
    assert sorted(other) == sorted(warm)  # the other replica read them from Redis


async def test_without_redis_each_replica_loads_its_own_reference_lists(emu: Emulator) -> None:
    async with app_replicas(emu, None) as (first, second):
        await _costs(emu, first, DASHBOARD)
        other = await _costs(emu, second, DASHBOARD)
    assert len(_reference(other)) >= 3


async def test_cursor_walked_on_one_replica_serves_the_other(emu: Emulator, redis_url: str) -> None:
    async with app_replicas(emu, redis_url) as (first, second):
        walked = await _costs(emu, first, PAGE, variables={"start": 50})
        emu.log.clear()
        answer = await second.gql(PAGE, variables={"start": 60})  # the next page, elsewhere
        jumped = [(e.path, dict(e.query)) for e in emu.log.entries]
        fresh = (await first.gql("{ deals(limit: 70) { results { id } } }"))["data"]
    assert walked == ["/api/v2/deals"]  # one page of 60 ending where the next page starts
    assert len(jumped) == 1
    assert jumped[0][1]["limit"] == "10"
    assert "cursor" in jumped[0][1]  # resumed from the first replica's cursor
    assert answer["data"]["deals"]["results"] == fresh["deals"]["results"][60:70]


async def test_a_write_on_one_replica_drops_the_cursors_of_every_replica(
    emu: Emulator, redis_url: str
) -> None:
    async with app_replicas(emu, redis_url) as (first, second):
        await first.gql(PAGE, variables={"start": 50})  # remembers the cursor of row 60
        before = (await second.gql(PAGE, variables={"start": 60}))["data"]
        deals = sorted(emu.store.all("deals"), key=lambda d: int(d["id"]))
        for deal in deals[:5]:  # another Pipedrive user removes five of the first fifty
            emu.store.delete("deals", int(deal["id"]))
        rename = f'mutation {{ updateDeal(dealId: {deals[10]["id"]}, title: "x") {{ id }} }}'
        assert "errors" not in await second.gql(rename)
        # the invalidation travels over pub/sub: it reaches the other replica within moments
        assert await eventually(lambda: len(first.runtime.memory.cursors) == 0, seconds=5)
        emu.log.clear()
        after = (await first.gql(PAGE, variables={"start": 60}))["data"]
        rewalked = [dict(e.query) for e in emu.log.entries]
        fresh = (await first.gql("{ deals(limit: 70) { results { id } } }"))["data"]
    assert "cursor" not in rewalked[0]  # the first replica walked again from the head
    assert after["deals"]["results"] == fresh["deals"]["results"][60:70]
    assert after != before


async def test_a_hash_registered_on_one_replica_works_on_every_replica(
    emu: Emulator, redis_url: str
) -> None:
    query = "{ pipelines { results { id name } } }"
    ref = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}
    async with app_replicas(emu, redis_url, count=3) as replicas:
        registered = await replicas[0].gql(query, extensions=ref)
        assert registered["data"]["pipelines"]["results"]
        answers = [await replica.gql(None, extensions=ref) for replica in replicas[1:]]
    assert [answer.get("data") for answer in answers] == [registered["data"]] * 2
    assert [answer.get("errors") for answer in answers] == [None, None]


async def test_only_record_types_come_back_out_of_redis(redis_url: str) -> None:
    # whoever can write to Redis must not be able to run code in the replicas
    import base64
    import pickle
    import time

    from pipedrive_graphql.datasources.pipedrive.reference_codec import ReferenceRecords
    from pipedrive_graphql.datasources.state.redis_link import RedisLink
    from pipedrive_graphql.datasources.state.shared_memory import SharedMemory

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("pwned",))

    link = RedisLink(redis_url)
    try:
        payload = base64.b64encode(pickle.dumps((Exploit(),))).decode()
        await link.client.set(link.key("ref", "abc", "users"), f"{time.time()}|{payload}")
        assert await SharedMemory(link, ReferenceRecords()).get_reference(("abc", "users")) is None
    finally:
        await link.close()
