"""Cached offset cursors never give wrong rows: dropped on writes, bounded in age."""

from __future__ import annotations

import asyncio

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.shared.shared_support import AppReplica, app_replicas

PAGE = "query Page($start: Int!) { deals(start: $start, limit: 10) { results { id } } }"
WALK = "{ deals(limit: 70) { results { id } } }"


async def _page(server: AppReplica, start: int) -> list[object]:
    answer = await server.gql(PAGE, variables={"start": start})
    results: list[object] = answer["data"]["deals"]["results"]
    return results


def _thin_out(emu: Emulator) -> None:
    """Another Pipedrive user archives three and deletes two of the first fifty deals."""
    deals = sorted(emu.store.all("deals"), key=lambda d: int(d["id"]))
    for deal in deals[:3]:
        emu.store.update("deals", int(deal["id"]), {"is_archived": True})
    for deal in deals[3:5]:
        emu.store.delete("deals", int(deal["id"]))


async def test_a_write_through_the_server_drops_cached_cursors() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    async with app_replicas(emu, None, count=1) as (server,):
        await _page(server, 50)  # remembers the cursor that starts row 60
        _thin_out(emu)
        deal = sorted(emu.store.all("deals"), key=lambda d: int(d["id"]))[10]
        rename = f'mutation {{ updateDeal(dealId: {deal["id"]}, title: "Renamed") {{ id }} }}'
        renamed = await server.gql(rename)
        assert "errors" not in renamed
        emu.log.clear()
        page = await _page(server, 60)
        walked = [dict(entry.query) for entry in emu.log.entries]
        fresh = (await server.gql(WALK))["data"]["deals"]["results"]
    assert "cursor" not in walked[0]  # walked again from the head
    assert page == fresh[60:70]


async def test_a_cursor_older_than_its_bound_is_walked_again() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    async with app_replicas(emu, None, count=1, cursor_max_age=0.2) as (server,):
        await _page(server, 50)
        _thin_out(emu)  # behind the server's back: only the age bound can catch it
        await asyncio.sleep(0.3)
        emu.log.clear()
        page = await _page(server, 60)
        walked = [dict(entry.query) for entry in emu.log.entries]
        fresh = (await server.gql(WALK))["data"]["deals"]["results"]
    assert "cursor" not in walked[0]
    assert page == fresh[60:70]


async def test_a_young_cursor_is_reused_while_nothing_was_written() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    async with app_replicas(emu, None, count=1) as (server,):
        await _page(server, 50)
        emu.log.clear()
        page = await _page(server, 60)
        walked = [dict(entry.query) for entry in emu.log.entries]
        fresh = (await server.gql(WALK))["data"]["deals"]["results"]
    assert len(walked) == 1
    assert "cursor" in walked[0]  # one request per page when walking in order
    assert page == fresh[60:70]
