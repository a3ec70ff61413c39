"""Filtered linked lists: a paged scan answers exactly what one call per parent answers."""

from __future__ import annotations

from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from tests.datasources.ds_support import upstream

SORT = {"sort_by": "update_time", "sort_direction": "desc"}


def _stage_keys(stages: list[int]) -> list[ListKey]:
    return [ListKey.of(0, 100, stage_id=s, status="open", owner_id=2, **SORT) for s in stages]


async def test_scan_with_filters_equals_one_call_per_parent_and_sends_the_filters() -> None:
    async with upstream() as up:
        stages = sorted({d["stage_id"] for d in up.emu.store.all("deals")})
        assert len(stages) >= 4
        scanned = await up.loaders(UpstreamMemory()).deals_where.load_many(_stage_keys(stages))
        scan_calls = up.requests("/api/v2/deals")
        up.emu.log.clear()
        per_parent = await up.loaders(UpstreamMemory(), batching=False).deals_where.load_many(
            _stage_keys(stages)
        )
        parent_calls = up.requests("/api/v2/deals")
    assert [[d.id for d in p.items] for p in scanned] == [
        [d.id for d in p.items] for p in per_parent
    ]
    # The scan went out once with every filter but the parent; per parent, once per stage.
    assert len(scan_calls) == 1
    assert scan_calls[0][2] == {
        "status": "open",
        "owner_id": "2",
        "sort_by": "update_time",
        "sort_direction": "desc",
        "limit": "500",
    }
    assert len(parent_calls) == len(stages)
    assert {q["stage_id"] for _, _, q in parent_calls} == {str(s) for s in stages}
    # Pipedrive's answer: open deals of owner 2 in that stage, most recently updated first.
    for stage, page in zip(stages, scanned, strict=True):
        expected = sorted(
            (
                d
                for d in up.emu.store.all("deals")
                if d["stage_id"] == stage
                and d["owner_id"] == 2
                and d["status"] == "open"
                and not d["is_deleted"]
            ),
            key=lambda d: (d["update_time"], d["id"]),
            reverse=True,
        )
        assert [d.id for d in page.items] == [d["id"] for d in expected]
    assert sum(len(p.items) for p in scanned) > 0


async def test_a_saved_filter_makes_pipedrive_ignore_owner_and_status() -> None:
    async with upstream() as up:
        client = up.client()
        page = await client.list_deals({"filter_id": 1, "owner_id": 2, "status": "won"}, limit=500)
        open_deals = [
            d
            for d in up.emu.store.all("deals")
            if d["status"] == "open" and not d["is_deleted"] and not d["is_archived"]
        ]
    assert sorted(d.id for d in page.items) == sorted(d["id"] for d in open_deals)
    assert {d.owner_id for d in page.items} > {2}
