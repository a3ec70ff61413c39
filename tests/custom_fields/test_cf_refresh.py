"""Definitions are fetched again when a name is not found (at most once per refresh interval)."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.settings import Settings
from tests.conftest import GraphQLCall, make_settings
from tests.custom_fields.cf_support import DEAL, calls

NEW_KEY = "f" * 40


@pytest.fixture
def settings() -> Settings:
    return make_settings(custom_fields_refresh_interval=0.0)


async def test_a_field_added_in_pipedrive_is_found_after_one_refresh(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = f'{{ deal(dealId: {DEAL}) {{ customField(name: "Renewal owner") {{ text }} }} }}'
    first = await gql(query)
    assert first.codes() == ["BAD_USER_INPUT"]
    # the cached definitions were fetched in this request: no second call for the refresh
    assert calls(upstream)["GET /api/v2/dealFields"] == 1
    upstream.store.insert(
        "field_definitions",
        {"entity": "deal", "field_code": NEW_KEY, "field_name": "Renewal owner",
         "field_type": "varchar", "order_nr": 99},
    )  # fmt: skip
    upstream.store.update("deals", DEAL, {"custom_fields": {NEW_KEY: "Iris"}})
    second = await gql(query)
    assert second.errors == []
    assert second.data["deal"]["customField"] == {"text": "Iris"}
    assert calls(upstream)["GET /api/v2/dealFields"] == 1  # the refresh


async def test_an_unknown_name_in_a_write_refreshes_then_refuses_without_writing(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    await gql(f'{{ deal(dealId: {DEAL}) {{ customField(name: "Region") {{ text }} }} }}')
    result = await gql(
        'mutation { updateDeal(dealId: 54321, customFields: [{name: "Nope", value: 1}]) { id } }'
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert calls(upstream) == {"GET /api/v2/dealFields": 1}
