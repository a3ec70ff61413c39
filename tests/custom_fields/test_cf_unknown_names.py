"""Unknown and hostile custom field names: bounded work, one error per field, parents kept."""

from __future__ import annotations

import time

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.resolvers.custom_field_names import MAX_NAME_LENGTH, MAX_NAMES
from pipedrive_graphql.resolvers.echo import ECHO_LENGTH
from tests.conftest import GraphQLCall
from tests.custom_fields.cf_support import calls, keys, set_values


async def test_an_overlong_name_is_refused_before_any_upstream_call(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    name = "x" * 10_000
    aliases = " ".join(f'a{i}: customField(name: "{name}") {{ text }}' for i in range(20))
    started = time.perf_counter()
    result = await gql(f"{{ deals(limit: 100) {{ results {{ id {aliases} }} }} }}")
    assert time.perf_counter() - started < 5  # generous: the old code stalled for ~27 s
    assert result.codes() == ["BAD_USER_INPUT"]
    assert str(MAX_NAME_LENGTH) in result.errors[0]["message"]
    assert len(result.errors[0]["message"]) < 400
    assert calls(upstream) == {}


async def test_too_many_names_are_refused_before_any_upstream_call(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    names = [f"Field {i}" for i in range(MAX_NAMES + 1)]
    result = await gql(
        "query($names: [String!]) { deals(limit: 5) { results { id "
        "customFields(names: $names) { name } } } }",
        {"names": names},
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert f"at most {MAX_NAMES}" in result.errors[0]["message"]
    assert calls(upstream) == {}


async def test_one_unknown_name_among_names_keeps_the_records(gql: GraphQLCall) -> None:
    result = await gql(
        '{ deals(limit: 100) { results { title customFields(names: ["Region", "Regoin"]) '
        "{ name } } } }"
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["path"] == ["deals", "results", 0, "customFields"]
    assert result.errors[0]["extensions"]["suggestions"][0] == "Region"
    deals = result.data["deals"]["results"]
    assert len(deals) == 100
    assert all(d["title"] for d in deals)
    assert all(d["customFields"] == [] for d in deals)


async def test_an_unknown_name_on_100_deals_is_one_error_per_field(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        '{ deals(limit: 100) { results { id a: customField(name: "Budgte") { text } '
        'b: customField(name: "Budgte") { text } customField(name: "Region") { text } } } }'
    )
    assert result.codes() == ["BAD_USER_INPUT", "BAD_USER_INPUT"]
    assert [e["path"] for e in result.errors] == [
        ["deals", "results", 0, "a"],
        ["deals", "results", 0, "b"],
    ]
    assert result.errors[0]["message"] == 'no deal custom field named "Budgte"; closest: Budget'
    deals = result.data["deals"]["results"]
    assert all(d["a"] is None and d["b"] is None for d in deals)
    assert any(d["customField"] is not None for d in deals)
    # the definitions are fetched once, and once more for the unknown name, never per record
    assert calls(upstream)["GET /api/v2/dealFields"] <= 2


async def test_an_echoed_name_is_clipped(gql: GraphQLCall) -> None:
    name = "y" * MAX_NAME_LENGTH
    result = await gql(
        f'{{ deals(limit: 3) {{ results {{ customField(name: "{name}") {{ text }} }} }} }}'
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    error = result.errors[0]
    assert error["message"].count("y") == ECHO_LENGTH
    assert error["message"].endswith('…"')
    assert error["extensions"]["field"] == "y" * ECHO_LENGTH + "…"


async def test_a_mutation_selecting_an_unknown_name_sends_nothing(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    deals_before = len(list(upstream.store.all("deals")))
    result = await gql(
        'mutation { createDeal(title: "x", customFields: [{name: "Region", value: "LATAM"}]) '
        '{ id customFields(names: ["Regoin"]) { name } } }'
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"].startswith('no deal custom field named "Regoin"')
    assert [e.method for e in upstream.log.entries if e.method != "GET"] == []
    assert len(list(upstream.store.all("deals"))) == deals_before


async def test_a_mutation_selecting_known_names_writes_once(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        'mutation { createDeal(title: "x", customFields: [{name: "Region", value: "LATAM"}]) '
        '{ title customField(name: "region") { text } } }'
    )
    assert result.errors == []
    assert result.data == {"createDeal": {"title": "x", "customField": {"text": "LATAM"}}}
    assert [e.path for e in upstream.log.entries if e.method == "POST"] == ["/api/v2/deals"]


async def test_an_overflowing_number_is_refused_everywhere(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    for mutation in (
        'updateDeal(dealId: 54321, customFields: [{name: "Seats", value: 1e400}]) { id }',
        'updateDeal(dealId: 54321, customFields: [{name: "Budget", value: {value: -1e999, '
        'currency: "EUR"}}]) { id }',
        "updateDeal(dealId: 54321, value: 1e400) { id }",
        'createDeal(title: "x", value: -1e400) { id }',
    ):
        result = await gql(f"mutation {{ {mutation} }}")
        assert result.codes() == ["BAD_USER_INPUT"], mutation
        assert "out of range" in result.errors[0]["message"]
        assert upstream.log.entries == []


async def test_pipedrive_explains_a_refused_write_by_field_name(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    key = keys(upstream, "deal")["Account manager"]
    result = await gql(
        'mutation { updateDeal(dealId: 54321, customFields: [{name: "Account manager", '
        "value: 987654}]) { id } }"
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == (
        f'Validation failed: "custom_fields.{key}" (custom field "Account manager") must be '
        "the id of an existing user"
    )
    assert [e.method for e in upstream.log.entries if e.method != "GET"] == ["PATCH"]


async def test_numbers_keep_their_digits_and_money_its_minor_unit(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    set_values(
        upstream,
        "deals",
        54321,
        {"Seats": 1234.5678, "Budget": {"value": 1200, "currency": "JPY"}},
    )
    query = (
        '{ deal(dealId: 54321) { seats: customField(name: "Seats") { text } '
        'budget: customField(name: "Budget") { text } } }'
    )
    result = await gql(query)
    assert result.data == {
        "deal": {"seats": {"text": "1,234.5678"}, "budget": {"text": "1,200 JPY"}}
    }
    set_values(upstream, "deals", 54321, {"Seats": 1e-6})
    result = await gql(query)
    assert result.data["deal"]["seats"] == {"text": "0.000001"}


async def test_an_option_id_given_as_a_string_is_accepted(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    by_key = keys(upstream, "deal")
    result = await gql(
        'mutation { updateDeal(dealId: 54321, customFields: [{name: "Lead source", value: "3"}, '
        '{name: "Tags", value: ["5", "EU"]}]) { id } }'
    )
    assert result.errors == []
    sent = [e.body for e in upstream.log.entries if e.method == "PATCH"]
    assert sent == [{"custom_fields": {by_key["Lead source"]: 3, by_key["Tags"]: [5, 7]}}]
