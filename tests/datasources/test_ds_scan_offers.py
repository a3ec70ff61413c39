"""A whole-collection scan serves its rows by id without parsing or priming each up front."""

from __future__ import annotations

from pipedrive_graphql.datasources.loading.batching import Outcome, loader
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.state.memory import UpstreamMemory

from .ds_support import upstream


async def test_every_scanned_row_is_served_by_id_without_a_call_until_cleared() -> None:
    async with upstream("target") as up:
        client = up.client()
        persons = (await client.list_persons(limit=5)).items
        every_deal = (await client.list_deals(limit=500)).items
        up.emu.log.clear()
        loaders = up.loaders(UpstreamMemory())
        keys = [ListKey.of(person_id=p.id, limit=1) for p in persons]
        pages = await loaders.deals_where.load_many(keys)
        assert [(p, q["limit"]) for _, p, q in up.requests()] == [("/api/v2/deals", "500")]
        for person, page in zip(persons, pages, strict=True):
            own = [d for d in every_deal if d.person_id == person.id]
            assert list(page.items) == own[:1]
            assert page.has_more == (len(own) > 1)
        # rows beyond the windows and rows of other persons: served as the list answered them
        outside = [d for d in every_deal if d.person_id not in {p.id for p in persons}]
        assert outside
        assert await loaders.deal_by_id.load_many([d.id for d in every_deal]) == list(every_deal)
        assert len(up.requests()) == 1
        # a window's record and the by-id record are one object
        served = pages[0].items[0]
        assert await loaders.deal_by_id.load(served.id) is served
        loaders.clear_deal(outside[0].id)
        await loaders.deal_by_id.load(outside[0].id)
        assert up.requests()[-1][1] == f"/api/v2/deals/{outside[0].id}"


async def _loaded(keys: list[int]) -> list[Outcome[str]]:
    return [f"loaded {key}" for key in keys]


async def test_an_offer_is_made_on_first_use_and_the_first_offer_or_prime_wins() -> None:
    made: list[str] = []

    def make(row: str) -> str | None:
        made.append(row)
        return None if row == "refused" else row.upper()

    by_id = loader(_loaded)
    by_id.prime(1, "primed first")
    by_id.offer({1: "row 1", 2: "row 2", 3: "refused", 4: "row 4"}, make)
    by_id.offer({2: "second offer of 2"}, make)
    by_id.prime(2, "primed after the offer")
    assert made == ["row 2"]  # only what was asked for (the prime took the offer)
    assert await by_id.load_many([1, 2, 3]) == ["primed first", "ROW 2", "loaded 3"]
    by_id.clear(4)
    assert await by_id.load(4) == "loaded 4"
    by_id.offer({5: "row 5"}, make)
    by_id.clear_all()
    assert await by_id.load(5) == "loaded 5"
    assert made == ["row 2", "refused"]
