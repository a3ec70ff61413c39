"""Shapes Pipedrive sends that the spec and its examples disagree on: both are read."""

from __future__ import annotations

import httpx
import orjson
import pytest

from pipedrive_graphql.datasources.pipedrive import parse
from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.settings import Secret

MESSAGE = {"id": 7, "subject": "Hi", "mail_thread_id": 3, "read_flag": 1, "draft_flag": 0}


def _client(additional_data: dict[str, object], seen: list[httpx.Request]) -> PipedriveClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = {"object": "mailMessage", "timestamp": "2025-01-01 00:00:00", "data": MESSAGE}
        body = {"success": True, "data": [item], "additional_data": additional_data}
        return httpx.Response(200, content=orjson.dumps(body))

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return PipedriveClient(http, Secret("tok-123456789"), base_url="http://p", stats=CallStats())


@pytest.mark.parametrize(
    "additional_data",
    [
        # the response schema of the mailbox lists: flat
        {"start": 0, "limit": 1, "more_items_in_collection": True, "next_start": 1},
        # their example (and every other v1 list): nested under `pagination`
        {"pagination": {"start": 0, "limit": 1, "more_items_in_collection": True, "next_start": 1}},
    ],
)
async def test_mail_list_paging_read_flat_or_nested(additional_data: dict[str, object]) -> None:
    seen: list[httpx.Request] = []
    page = await _client(additional_data, seen).list_mail_messages("deal", 9, limit=1)
    assert (page.has_more, page.next_start) == (True, 1)
    assert [(m.id, m.deal_id, m.read, m.draft) for m in page.items] == [(7, 9, True, False)]
    [request] = seen
    assert request.url.path == "/api/v1/deals/9/mailMessages"
    assert dict(request.url.params) == {"start": "0", "limit": "1"}


def test_organization_address_object_with_null_parts_or_null() -> None:
    empty = dict.fromkeys(("value", "country", "locality", "route", "postal_code"))
    cases: list[tuple[object, str | None]] = [
        (empty, None),  # what v2 declares: an object, all parts null without an address
        (None, None),
        ({"value": "1 Main St", "country": "US"}, "1 Main St"),
        ("1 Main St", "1 Main St"),
    ]
    for address, expected in cases:
        record = parse.organization({"id": 1, "name": "O", "address": address})
        assert record.address == expected


def test_undeclared_keys_are_not_read() -> None:
    # v2 sends smart_bcc_email (include_fields), never cc_email; users carry access[], not is_admin
    org = parse.organization({"id": 1, "name": "O", "cc_email": "x@y.z"})
    assert org.cc_email is None
    user = parse.user({"id": 1, "name": "U", "is_admin": 1, "access": [{"app": "sales"}]})
    assert user.is_admin is False
    admin = parse.user({"id": 1, "name": "U", "access": [{"app": "global", "admin": True}]})
    assert admin.is_admin is True


@pytest.mark.parametrize("unset", ["", None])
def test_unset_activity_text_reads_as_null_whether_empty_or_null(unset: str | None) -> None:
    base = {"id": 3, "due_date": "2025-01-02", "due_time": unset, "duration": unset, "note": unset}
    record = parse.activity(base)
    assert (record.due_date, record.due_time, record.duration, record.note) == (
        "2025-01-02", None, None, None,
    )  # fmt: skip
    timed = parse.activity({**base, "due_time": "09:30", "duration": "01:00", "note": "<p>x</p>"})
    assert (timed.due_time, timed.duration, timed.note) == ("09:30", "01:00", "<p>x</p>")
