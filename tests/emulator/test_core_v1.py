"""v1 notes, users and mail messages through HTTP."""

from __future__ import annotations

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator


async def test_offset_walk_over_notes(
    emulator: Emulator, emulator_client: httpx.AsyncClient
) -> None:
    expected = sorted(n["id"] for n in emulator.store.all("notes") if n["active_flag"])
    seen: list[int] = []
    start = 0
    while True:
        params = {"start": str(start), "limit": "13"}
        body = (await emulator_client.get("/v1/notes", params=params)).json()
        seen += [n["id"] for n in body["data"]]
        page = body["additional_data"]["pagination"]
        assert (page["start"], page["limit"]) == (start, 13)
        if not page["more_items_in_collection"]:
            assert "next_start" not in page
            break
        assert page["next_start"] == start + 13
        start = page["next_start"]
    assert seen == expected


async def test_notes_filter_and_sort(emulator_client: httpx.AsyncClient) -> None:
    params = {"deal_id": "54321", "sort": "add_time DESC"}
    body = (await emulator_client.get("/api/v1/notes", params=params)).json()
    notes = body["data"]
    assert {n["deal_id"] for n in notes} == {54321}
    assert 98765 in [n["id"] for n in notes]
    times = [n["add_time"] for n in notes]
    assert times == sorted(times, reverse=True)
    assert all(isinstance(n["pinned_to_deal_flag"], bool) for n in notes)


async def test_users_and_me(emulator_client: httpx.AsyncClient) -> None:
    users = (await emulator_client.get("/v1/users")).json()["data"]
    assert len(users) >= 3
    me = (await emulator_client.get("/v1/users/me")).json()["data"]
    assert me["is_you"] is True
    assert isinstance(me["company_domain"], str)
    assert me["company_domain"]
    one = (await emulator_client.get(f"/api/v1/users/{users[1]['id']}")).json()["data"]
    assert one["id"] == users[1]["id"]
    assert "company_domain" not in one


@pytest.mark.parametrize(("flag", "has_body"), [("0", False), ("1", True)])
async def test_mail_message_body_only_on_request(
    emulator_client: httpx.AsyncClient, flag: str, has_body: bool
) -> None:
    params = {"include_body": flag}
    body = (await emulator_client.get("/v1/mailbox/mailMessages/11111", params=params)).json()
    assert (body["statusCode"], body["statusText"], body["service"]) == (
        2000,
        "Success",
        "email-api",
    )
    assert body["data"]["id"] == 11111
    assert ("body" in body["data"]) is has_body


@pytest.mark.parametrize(
    "path",
    [
        "/v1/deals/54321/mailMessages",
        "/v1/persons/12345/mailMessages",
        "/v1/organizations/67890/mailMessages",
    ],
)
async def test_parent_mail_messages(emulator_client: httpx.AsyncClient, path: str) -> None:
    body = (await emulator_client.get(path)).json()
    assert 11111 in [m["data"]["id"] for m in body["data"]]
    assert all(m["object"] == "mailMessage" for m in body["data"])
    assert body["additional_data"]["pagination"]["more_items_in_collection"] is False
