"""Offsets over v2 cursors: one request per page when walking, right rows on any jump."""

from __future__ import annotations

from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.state.memory import UpstreamMemory

from .ds_support import upstream


async def test_walking_persons_25_at_a_time_costs_one_request_per_page() -> None:
    async with upstream("demo") as up:
        every = (await up.client().list_persons(limit=500)).items
        up.emu.log.clear()
        memory = UpstreamMemory()
        seen: list[int] = []
        start: int | None = 0
        pages = 0
        while start is not None:
            loaders = up.loaders(memory)  # a new GraphQL request each page
            page = await loaders.persons_where.load(ListKey.of(start=start, limit=25))
            seen.extend(p.id for p in page.items)
            start = page.next_start
            pages += 1
        assert seen == [p.id for p in every]
        requests = up.requests()
        assert len(requests) == pages
        assert all(q["limit"] == "25" for _, _, q in requests)
        assert "cursor" not in requests[0][2]
        assert all("cursor" in q for _, _, q in requests[1:])


async def test_jump_to_start_50_returns_the_right_rows_in_one_request() -> None:
    async with upstream("demo") as up:
        every = (await up.client().list_persons(limit=500)).items
        up.emu.log.clear()
        memory = UpstreamMemory()
        page = await up.loaders(memory).persons_where.load(ListKey.of(start=50, limit=10))
        assert [p.id for p in page.items] == [p.id for p in every[50:60]]
        assert page.has_more == (len(every) > 60)
        assert page.next_start == (60 if len(every) > 60 else None)
        assert [q["limit"] for _, _, q in up.requests()] == ["60"]
        # the jump remembered the cursor at 60: the next page is a single 10-row request
        nxt = await up.loaders(memory).persons_where.load(ListKey.of(start=60, limit=10))
        assert [p.id for p in nxt.items] == [p.id for p in every[60:70]]
        assert [q["limit"] for _, _, q in up.requests()] == ["60", "10"]


async def test_last_window_has_no_more_and_cursor_cache_is_per_credential() -> None:
    async with upstream("demo") as up:
        total = len((await up.client().list_deals(limit=500)).items)
        up.emu.log.clear()
        memory = UpstreamMemory()
        tail = await up.loaders(memory).deals_where.load(ListKey.of(start=total - 5, limit=25))
        assert len(tail.items) == 5
        assert (tail.has_more, tail.next_start) == (False, None)
        await up.loaders(memory).deals_where.load(ListKey.of(start=0, limit=25))
        await up.loaders(memory).deals_where.load(ListKey.of(start=25, limit=25))
        await up.loaders(memory, token="another-credential").deals_where.load(
            ListKey.of(start=25, limit=25)
        )
        cursors = ["cursor" in q for _, _, q in up.requests()]
        # own cursor reused for start=25; the other credential starts from the head
        assert cursors == [False, False, True, False]
