"""The upstream-call targets at the loader level, on the emulator's `target` dataset."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from pipedrive_graphql.datasources.loading.loaders import Loaders
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.pipedrive.records import DealRecord
from pipedrive_graphql.datasources.state.memory import UpstreamMemory

from .ds_support import upstream


async def _persons_with_links(loaders: Loaders) -> None:
    """`persons(limit: 50) { deals activities organization }`, level by level like GraphQL."""
    page = await loaders.persons_where.load(ListKey.of(limit=50))

    async def person_links(person_id: int, org_id: int | None) -> None:
        loads: list[Awaitable[object]] = [
            loaders.deals_where.load(ListKey.of(person_id=person_id, limit=25)),
            loaders.activities_where.load(ListKey.of(person_id=person_id, limit=25)),
        ]
        if org_id is not None:
            await asyncio.gather(*loads, loaders.organization_by_id.load(org_id))
        else:
            await asyncio.gather(*loads)

    await asyncio.gather(*(person_links(p.id, p.org_id) for p in page.items))


async def _deals_with_links(loaders: Loaders) -> None:
    """`deals(limit: 100) { person { organization } organization stage { pipeline } owner }`."""
    page = await loaders.deals_where.load(ListKey.of(limit=100))

    async def person(deal: DealRecord) -> None:
        found = await loaders.person_by_id.load(deal.person_id) if deal.person_id else None
        if found is not None and found.org_id is not None:
            await loaders.organization_by_id.load(found.org_id)

    async def stage(deal: DealRecord) -> None:
        found = await loaders.stage_by_id.load(deal.stage_id) if deal.stage_id else None
        if found is not None:
            await loaders.pipeline_by_id.load(found.pipeline_id)

    async def links(deal: DealRecord) -> None:
        parts: list[Awaitable[object]] = [person(deal), stage(deal)]
        if deal.org_id is not None:
            parts.append(loaders.organization_by_id.load(deal.org_id))
        if deal.owner_id is not None:
            parts.append(loaders.user_by_id.load(deal.owner_id))
        await asyncio.gather(*parts)

    await asyncio.gather(*(links(d) for d in page.items))


async def test_fifty_persons_with_deals_activities_and_organization() -> None:
    async with upstream("target") as up:
        loaders = up.loaders(UpstreamMemory())
        await _persons_with_links(loaders)
        tokens = sum(e.token_cost for e in up.emu.log.entries)
        assert len(up.emu.log.entries) == loaders.stats.requests <= 10
        assert tokens == loaders.stats.tokens <= 100


async def test_fifty_persons_without_batching_is_the_naive_baseline() -> None:
    async with upstream("target") as up:
        loaders = up.loaders(UpstreamMemory(), batching=False)
        await _persons_with_links(loaders)
        assert loaders.stats.requests > 100  # one call per person per link


async def test_hundred_deals_with_person_org_stage_pipeline_owner() -> None:
    async with upstream("target") as up:
        deals = (await up.client().list_deals(limit=100)).items
        owners = len({d.owner_id for d in deals if d.owner_id is not None})
        up.emu.log.clear()
        loaders = up.loaders(UpstreamMemory())
        await _deals_with_links(loaders)
        paths = [p for _, p, _ in up.requests()]
        assert loaders.stats.tokens == sum(e.token_cost for e in up.emu.log.entries) <= 46
        # deals, persons, organizations and stages: one list call each; pipelines and users by
        # single GETs (2 and 3 ids cost fewer tokens than their lists)
        assert paths.count("/api/v2/deals") == 1
        assert paths.count("/api/v2/persons") == 1
        assert paths.count("/api/v2/organizations") == 1
        assert paths.count("/api/v2/stages") == 1
        assert len(paths) == 4 + 2 + owners
        assert len(paths) <= 9  # the target: an expert-configured gateway needs 16


async def test_hundred_deals_with_the_reference_cache_warm() -> None:
    async with upstream("target") as up:
        memory = UpstreamMemory()
        warm = up.loaders(memory)
        await asyncio.gather(warm.all_stages(), warm.all_pipelines(), warm.all_users())
        up.emu.log.clear()
        loaders = up.loaders(memory)
        await _deals_with_links(loaders)
        assert loaders.stats.requests == 3  # deals, persons, organizations
        assert loaders.stats.tokens == 30


async def test_hundred_deals_again_reuse_the_reference_records_fetched_one_by_one() -> None:
    async with upstream("target") as up:
        memory = UpstreamMemory()
        cold = up.loaders(memory)
        await _deals_with_links(cold)
        assert any("single GET" in note for note in cold.stats.plan_notes)
        up.emu.log.clear()
        warm = up.loaders(memory)
        await _deals_with_links(warm)
        paths = sorted(p for _, p, _ in up.requests())
        # owners and pipelines fetched by single GETs last time come from the process memory
        assert paths == ["/api/v2/deals", "/api/v2/organizations", "/api/v2/persons"]
        assert warm.stats.tokens == 30
        assert warm.stats.cache_hits >= 2
