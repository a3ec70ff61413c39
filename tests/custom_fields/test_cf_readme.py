"""The README's custom fields example is what the server answers on the demo data."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> tuple[str, object]:
    text = README.read_text()
    section = text[text.index("## Custom fields") :]
    query = re.search(r"```graphql\n(.*?)```", section, re.S)
    answer = re.search(r"```json\n(.*?)```", section, re.S)
    assert query is not None
    assert answer is not None
    return query.group(1), json.loads(answer.group(1))


async def test_readme_example_is_the_real_answer(gql: GraphQLCall, upstream: Emulator) -> None:
    query, answer = _example()
    result = await gql(query)
    assert {"data": result.data} == answer
    assert [e.path for e in upstream.log.entries] == [
        "/api/v2/deals/54321",
        "/api/v2/dealFields",
        "/api/v2/persons/42",
    ]


async def test_readme_write_example_is_the_real_answer(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    text = README.read_text()
    section = text[text.index("## Custom fields") : text.index("## Examples for each kind")]
    mutation = re.findall(r"```graphql\n(.*?)```", section, re.S)[1]
    result = await gql(mutation)
    # the answer and the body as the README's prose gives them
    assert result.data == {"updateDeal": {"customFields": [
        {"name": "Budget", "text": "75,000.00 USD"}, {"name": "Tags", "text": "Enterprise, EU"},
    ]}}  # fmt: skip
    key = {
        d["field_name"]: d["field_code"]
        for d in upstream.store.all("field_definitions")
        if d["entity"] == "deal"
    }
    writes = [(e.method, e.path, e.body) for e in upstream.log.entries if e.method != "GET"]
    assert writes == [("PATCH", "/api/v2/deals/54321", {"custom_fields": {
        key["Tags"]: [5, 7],
        key["Budget"]: {"value": 75000, "currency": "USD"},
        key["Trial period"]: None,
    }})]  # fmt: skip
    assert [e.path for e in upstream.log.entries if e.method == "GET"] == [
        "/api/v2/dealFields",
        "/api/v2/deals/54321",  # the bare amount's currency
    ]
