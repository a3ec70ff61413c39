"""Custom field definitions are shared by replicas through Redis, like other reference lists."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig

from .shared_support import app_replicas, upstream_paths

QUERY = '{ deals(limit: 5) { results { id customField(name: "Region") { text } } } }'


@pytest.fixture
def emu() -> Emulator:
    return Emulator(EmulatorConfig(dataset="demo", strict=True))


async def test_one_replica_fetches_the_definitions_for_all(emu: Emulator, redis_url: str) -> None:
    async with app_replicas(emu, redis_url) as (first, second):
        answer = await first.gql(QUERY)
        assert "errors" not in answer, answer
        assert upstream_paths(emu).count("/api/v2/dealFields") == 1
        emu.log.clear()
        other = await second.gql(QUERY)
    assert other["data"] == answer["data"]
    assert upstream_paths(emu) == ["/api/v2/deals"]


async def test_without_redis_each_replica_fetches_its_own(emu: Emulator) -> None:
    async with app_replicas(emu, None) as (first, second):
        await first.gql(QUERY)
        emu.log.clear()
        await second.gql(QUERY)
    assert upstream_paths(emu).count("/api/v2/dealFields") == 1
