"""Loaders against the emulator: ids batching, GET-vs-list planning, priming, clearing."""

from __future__ import annotations

from pipedrive_graphql.datasources.loading.loaders import MailKey
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.pipedrive.extras import UpstreamExtras
from pipedrive_graphql.datasources.state.memory import UpstreamMemory

from .ds_support import upstream


async def test_person_ids_batch_into_one_list_call_and_absent_ids_are_none() -> None:
    async with upstream("demo") as up:
        loaders = up.loaders(UpstreamMemory())
        ids = [12345, 999999, *range(1, 12)]
        people = await loaders.person_by_id.load_many(ids)
        assert people[1] is None
        assert all(
            p is not None and p.id == i for p, i in zip(people, ids, strict=True) if i != 999999
        )
        assert [(m, p) for m, p, _ in up.requests()] == [("GET", "/api/v2/persons")]
        sent = up.requests()[0][2]["ids"].split(",")
        assert sorted(map(int, sent)) == sorted(ids)
        # cached within the request
        await loaders.person_by_id.load(12345)
        assert len(up.requests()) == 1


async def test_more_than_100_ids_are_chunked() -> None:
    async with upstream("large") as up:
        loaders = up.loaders(UpstreamMemory())
        deals = await loaders.deal_by_id.load_many(list(range(1, 251)))
        assert sum(d is not None for d in deals) > 200
        lists = [q["ids"].split(",") for _, path, q in up.requests() if path == "/api/v2/deals"]
        assert sorted(len(c) for c in lists) == [50, 100, 100]
        # the ids the lists left out are asked of the archive: one more call per chunk of 100
        archived = [q["ids"] for _, path, q in up.requests() if path == "/api/v2/deals/archived"]
        missing = {i + 1 for i, d in enumerate(deals) if d is None or d.is_archived}
        assert [set(map(int, a.split(","))) for a in archived] == ([missing] if missing else [])


async def test_few_ids_use_single_gets_and_batching_off_always_does() -> None:
    async with upstream("demo") as up:
        await up.loaders(UpstreamMemory()).organization_by_id.load_many([99999, 67890])
        assert [p for _, p, _ in up.requests()] == [
            "/api/v2/organizations/99999",
            "/api/v2/organizations/67890",
        ]
        up.emu.log.clear()
        await up.loaders(UpstreamMemory(), batching=False).person_by_id.load_many(
            list(range(1, 21))
        )
        assert len(up.requests()) == 20
        assert all(p.startswith("/api/v2/persons/") for _, p, _ in up.requests())


async def test_reference_by_id_chooses_gets_or_the_whole_list() -> None:
    async with upstream("target") as up:
        loaders = up.loaders(UpstreamMemory())
        owners = await loaders.user_by_id.load_many([1, 2, 3])
        assert [u.id for u in owners if u] == [1, 2, 3]
        assert [p for _, p, _ in up.requests()] == [f"/api/v1/users/{i}" for i in (1, 2, 3)]
        assert sum(e.token_cost for e in up.emu.log.entries) == 6
        up.emu.log.clear()
        stages = await loaders.stage_by_id.load_many(list(range(1, 9)))
        assert all(s is not None for s in stages)
        assert [p for _, p, _ in up.requests()] == ["/api/v2/stages"]


async def test_list_results_prime_the_by_id_loaders_and_clear_forgets() -> None:
    async with upstream("demo") as up:
        loaders = up.loaders(UpstreamMemory())
        page = await loaders.deals_where.load(ListKey.of(limit=20))
        again = await loaders.deal_by_id.load_many([d.id for d in page.items])
        assert again == list(page.items)
        assert len(up.requests()) == 1
        loaders.clear_deal(page.items[0].id)
        await loaders.deal_by_id.load(page.items[0].id)
        assert up.requests()[-1][1] == f"/api/v2/deals/{page.items[0].id}"
        notes = await loaders.notes_where.load(ListKey.of(deal_id=54321, limit=5))
        assert await loaders.note_by_id.load(notes.items[0].id) is notes.items[0]
        assert up.requests()[-1][1] == "/api/v1/notes"


async def test_scan_plan_groups_rows_like_per_parent_calls() -> None:
    async with upstream("target") as up:
        client = up.client()
        persons = (await client.list_persons(limit=20)).items
        truth = {
            p.id: (await client.list_activities({"person_id": p.id}, limit=3)) for p in persons
        }
        up.emu.log.clear()
        loaders = up.loaders(UpstreamMemory())
        keys = [ListKey.of(person_id=p.id, start=0, limit=3) for p in persons]
        pages = await loaders.activities_where.load_many(keys)
        for person, page in zip(persons, pages, strict=True):
            assert [a.id for a in page.items] == [a.id for a in truth[person.id].items]
            assert page.has_more == (truth[person.id].next_cursor is not None)
        assert [(p, q["limit"]) for _, p, q in up.requests()] == [("/api/v2/activities", "500")]
        assert any("scan" in n for n in loaders.stats.plan_notes)


async def test_scan_is_skipped_when_a_known_collection_is_too_large() -> None:
    async with upstream("large") as up:
        memory = UpstreamMemory()
        keys = [ListKey.of(person_id=i, limit=5) for i in range(1, 4)]
        await up.loaders(memory).deals_where.load_many(keys)
        probe = up.requests()
        # unknown size: one probe page (cheaper than 3 calls only if it finishes), then fallback
        assert probe[0][2] == {"limit": "500"}
        assert sorted(q.get("person_id", "") for _, _, q in probe[1:]) == ["1", "2", "3"]
        up.emu.log.clear()
        await up.loaders(memory).deals_where.load_many(
            [ListKey.of(person_id=i, limit=5) for i in range(4, 7)]
        )
        assert len(up.requests()) == 3  # the size is remembered: no second probe
        assert all("person_id" in q for _, _, q in up.requests())


async def test_mail_messages_of_a_parent_fill_the_parent_id() -> None:
    async with upstream("demo") as up:
        loaders = up.loaders(UpstreamMemory())
        loaders.extras = UpstreamExtras(mail_body=True)
        page = await loaders.mail_messages_of.load(MailKey("deal", 54321, 0, 10))
        assert page.items
        assert all(m.deal_id == 54321 for m in page.items)
        method, path, query = up.requests()[0]
        assert (method, path, query["include_body"]) == (
            "GET",
            "/api/v1/deals/54321/mailMessages",
            "1",
        )
        assert page.items[0].body == (
            "<p>Hi John, please find the Enterprise License proposal attached.</p>"
        )
        assert await loaders.mail_message_by_id.load(page.items[0].id) is page.items[0]
        assert await loaders.note_by_id.load(424242) is None
