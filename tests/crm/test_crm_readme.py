"""The README's sales dashboard and organization/activity write examples are real answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "### A sales dashboard: filters, sorting, organizations, activities"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION) + len(SECTION) :]
    return section[: section.index("\n## ")]


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", _section(), re.S)


async def test_the_dashboard_example_is_the_real_answer(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query, answer = _blocks("graphql")[0], json.loads(_blocks("json")[0])
    variables = re.search(r"With `(\{.*?\})` on the demo dataset", _section())
    assert variables is not None
    result = await gql(query, json.loads(variables.group(1)))
    assert result.errors == []
    assert result.data == answer["data"]
    assert result.extensions == answer["extensions"]
    assert len(upstream.log.entries) == answer["extensions"]["cost"]["upstreamRequests"]
    deals = [e for e in upstream.log.entries if e.path == "/api/v2/deals" and "owner_id" in e.query]
    assert [e.query for e in deals] == [{
        "owner_id": "1", "pipeline_id": "1", "sort_by": "update_time", "sort_direction": "desc",
        "status": "open", "limit": "3",
    }]  # fmt: skip


async def test_the_write_example_is_the_real_answer(gql: GraphQLCall, upstream: Emulator) -> None:
    query, answer = _blocks("graphql")[1], json.loads(_blocks("json")[1])
    result = await gql(query)
    assert result.errors == []
    assert {"data": result.data} == answer
    fields = {
        d["field_name"]: d["field_code"]
        for d in upstream.store.all("field_definitions")
        if d["entity"] == "organization"
    }
    writes = [(e.method, e.path, e.body) for e in upstream.log.entries if e.method != "GET"]
    assert writes == [
        ("POST", "/api/v2/organizations", {
            "name": "Globex", "owner_id": 1,
            "address": {"value": "Market Street 500, San Francisco"},
            "custom_fields": {fields["Tier"]: 15, fields["Employees"]: 250},
        }),
        ("POST", "/api/v2/activities", {
            "subject": "Kick-off call", "type": "call", "due_date": "2025-07-01",
            "due_time": "09:30", "deal_id": 54321,
            "participants": [{"person_id": 12345, "primary": True}],
        }),
    ]  # fmt: skip
