"""Reading custom fields through GraphQL: every field type's text, value and typed accessor."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.execution.fast_paths import DIRECT, LinkRead
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION
from pipedrive_graphql.schema import build_schema
from tests.conftest import GraphQLCall
from tests.custom_fields.cf_support import DEAL, KNOWN_DEAL_VALUES, calls, keys, set_values

ALL_PARTS = """key name fieldType text value number currency date dateEnd time timeEnd
  options { id label } address { value streetNumber route locality adminAreaLevel1 country
  postalCode formattedAddress } user { id name } person { id name } organization { id name }"""
ACCESSORS = ("number", "currency", "date", "dateEnd", "time", "timeEnd", "options", "address",
             "user", "person", "organization")  # fmt: skip


async def _deal_fields(gql: GraphQLCall) -> dict[str, dict[str, Any]]:
    result = await gql(f"{{ deal(dealId: {DEAL}) {{ customFields {{ {ALL_PARTS} }} }} }}")
    assert result.errors == []
    return {f["name"]: f for f in result.data["deal"]["customFields"]}


def _only(field: dict[str, Any], *accessors: str) -> None:
    """The accessors that do not apply to the field's type are null."""
    assert [a for a in ACCESSORS if a not in accessors and field[a] is not None] == []


async def test_every_field_type_reads_text_value_and_typed_accessor(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    set_values(upstream, "deals", DEAL, KNOWN_DEAL_VALUES)
    user_2 = upstream.store.get("users", 2)
    assert user_2 is not None
    fields = await _deal_fields(gql)
    by_key = keys(upstream, "deal")
    # the account's field order, every field type once
    assert list(fields) == list(by_key)
    assert {f["fieldType"] for f in fields.values()} == {
        "monetary", "enum", "set", "people", "org", "user", "date", "daterange", "timerange",
        "time", "address", "phone", "text", "varchar", "varchar_auto", "double",
    }  # fmt: skip
    for name, field in fields.items():
        assert field["key"] == by_key[name]
        assert field["value"] == KNOWN_DEAL_VALUES[name]

    budget = fields["Budget"]
    assert (budget["text"], budget["number"], budget["currency"]) == ("1,200.50 EUR", 1200.5, "EUR")
    _only(budget, "number", "currency")
    lead = fields["Lead source"]
    assert (lead["text"], lead["options"]) == ("Partner", [{"id": 3, "label": "Partner"}])
    _only(lead, "options")
    tags = fields["Tags"]
    assert tags["text"] == "Enterprise, EU"
    assert tags["options"] == [{"id": 5, "label": "Enterprise"}, {"id": 7, "label": "EU"}]
    contact = fields["Technical contact"]
    assert (contact["text"], contact["person"]) == ("John Doe", {"id": 12345, "name": "John Doe"})
    _only(contact, "person")
    partner = fields["Partner organization"]
    assert partner["organization"] == {"id": 67890, "name": "Acme Corp"}
    assert partner["text"] == "Acme Corp"
    _only(partner, "organization")
    manager = fields["Account manager"]
    assert manager["user"] == {"id": 2, "name": user_2["name"]}
    assert manager["text"] == user_2["name"]
    _only(manager, "user")
    end = fields["Contract end"]
    assert (end["text"], end["date"]) == ("2025-12-31", "2025-12-31")
    _only(end, "date")
    trial = fields["Trial period"]
    assert (trial["text"], trial["date"], trial["dateEnd"]) == (
        "2025-01-01 – 2025-03-31",
        "2025-01-01",
        "2025-03-31",
    )
    _only(trial, "date", "dateEnd")
    window = fields["Call window"]
    assert (window["text"], window["time"], window["timeEnd"]) == (
        "09:00:00 – 17:30:00",
        "09:00:00",
        "17:30:00",
    )
    _only(window, "time", "timeEnd")
    kickoff = fields["Kick-off time"]
    assert (kickoff["text"], kickoff["time"]) == ("10:15:00", "10:15:00")
    _only(kickoff, "time")
    address = fields["Delivery address"]
    assert address["text"] == "Unter den Linden 1, 10117 Berlin, Germany"
    assert address["address"] == {
        "value": "Unter den Linden 1, Berlin",
        "streetNumber": "1",
        "route": "Unter den Linden",
        "locality": "Berlin",
        "adminAreaLevel1": "Berlin",
        "country": "Germany",
        "postalCode": "10117",
        "formattedAddress": "Unter den Linden 1, 10117 Berlin, Germany",
    }
    _only(address, "address")
    for name in ("Hotline", "Win plan", "Region", "Campaign"):
        assert fields[name]["text"] == KNOWN_DEAL_VALUES[name]
        _only(fields[name])
    seats = fields["Seats"]
    assert (seats["text"], seats["number"]) == ("1,250", 1250.0)
    _only(seats, "number")


async def test_person_and_organization_fields(gql: GraphQLCall, upstream: Emulator) -> None:
    set_values(upstream, "persons", 12345, {"Persona": 10, "Languages": [14, 13], "Region": "DACH"})
    set_values(
        upstream,
        "organizations",
        67890,
        {"Annual budget": {"value": 99000, "currency": "USD"}, "Key account": 12345},
    )
    result = await gql("""{ person(personId: 12345) { customFields { name text options { label } } }
      organization(orgId: 67890) { customFields { name text number person { id } } } }""")
    assert result.errors == []
    # options keep the order Pipedrive stored them in
    assert result.data["person"]["customFields"] == [
        {"name": "Region", "text": "DACH", "options": None},
        {"name": "Persona", "text": "Champion", "options": [{"label": "Champion"}]},
        {"name": "Languages", "text": "French, German",
         "options": [{"label": "French"}, {"label": "German"}]},
    ]  # fmt: skip
    assert result.data["organization"]["customFields"] == [
        {"name": "Key account", "text": "John Doe", "number": None, "person": {"id": 12345}},
        {"name": "Annual budget", "text": "99,000.00 USD", "number": 99000.0, "person": None},
    ]


async def test_deleted_option_shows_its_id_and_a_null_label(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    set_values(upstream, "deals", DEAL, {"Lead source": 4, "Tags": [6, 4]})
    fields = await _deal_fields(gql)
    assert fields["Lead source"]["options"] == [{"id": 4, "label": None}]
    assert fields["Lead source"]["text"] == "4"
    # id 4 belongs to the other field: as unknown to Tags as a deleted option
    assert fields["Tags"]["options"] == [{"id": 6, "label": "SMB"}, {"id": 4, "label": None}]


async def test_one_field_by_name_or_key_null_when_unset(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    set_values(upstream, "deals", DEAL, {"Region": "EMEA"})
    key = keys(upstream, "deal")["Region"]
    result = await gql(f"""{{ deal(dealId: {DEAL}) {{
      byName: customField(name: "rEGION") {{ key text }}
      byKey: customField(key: "{key}") {{ name text }}
      unset: customField(name: "Budget") {{ text }}
      some: customFields(names: ["budget", "region"]) {{ name }} }} }}""")
    assert result.errors == []
    assert result.data["deal"] == {
        "byName": {"key": key, "text": "EMEA"},
        "byKey": {"name": "Region", "text": "EMEA"},
        "unset": None,
        "some": [{"name": "Region"}],
    }


async def test_unknown_name_is_bad_user_input_naming_the_closest(gql: GraphQLCall) -> None:
    result = await gql(
        f'{{ deal(dealId: {DEAL}) {{ id customField(name: "Budgett") {{ text }} }} }}'
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == 'no deal custom field named "Budgett"; closest: Budget'
    assert result.errors[0]["extensions"]["suggestions"] == ["Budget"]
    assert result.data == {"deal": {"id": DEAL, "customField": None}}


async def test_records_without_values_have_none(gql: GraphQLCall) -> None:
    result = await gql("{ deal(dealId: 10) { customFields { name } } }")
    assert result.errors == []
    assert result.data["deal"]["customFields"] == []


async def test_person_field_on_100_deals_is_one_batched_call(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ deals(limit: 100) { results { id
      customField(name: "Technical contact") { value person { id name } } } } }"""
    await gql(query)  # the definitions are cached from here on
    result = await gql(query)
    assert result.errors == []
    deals = result.data["deals"]["results"]
    linked = {d["customField"]["value"] for d in deals if d["customField"]}
    assert len(linked) > 30
    for deal in deals:
        if deal["customField"]:
            assert deal["customField"]["person"]["id"] == deal["customField"]["value"]
    person_calls = [e for e in upstream.log.entries if e.path == "/api/v2/persons"]
    assert len(person_calls) == 1
    assert set(map(int, person_calls[0].query["ids"].split(","))) == linked
    assert calls(upstream) == {"GET /api/v2/deals": 1, "GET /api/v2/persons": 1}


async def test_names_on_deals_select_deal_values_only(gql: GraphQLCall, upstream: Emulator) -> None:
    """A name also used by a person field ("Region") selects nothing on the linked persons."""
    result = await gql("""{ deals(limit: 20) { results { customField(name: "Region") { text }
      person { id name } } } }""")
    assert result.errors == []
    assert calls(upstream) == {
        "GET /api/v2/dealFields": 1,
        "GET /api/v2/deals": 1,
        "GET /api/v2/persons": 1,
    }
    persons = next(e for e in upstream.log.entries if e.path == "/api/v2/persons")
    assert "custom_fields" not in persons.query


async def test_definitions_are_fetched_once_per_credential(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = '{ deals(limit: 5) { results { customField(name: "Region") { text } } } }'
    for _ in range(3):
        assert (await gql(query, keep_log=True)).errors == []
    other = {"X-Pipedrive-Api-Token": "second-credential-0123456789"}
    assert (await gql(query, headers=other, keep_log=True)).errors == []
    assert (await gql(query, headers=other, keep_log=True)).errors == []
    fetches = [e for e in upstream.log.entries if e.path == "/api/v2/dealFields"]
    assert len(fetches) == 2
    assert len({e.credential_id for e in fetches}) == 2


async def test_named_fields_are_the_only_values_requested(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    by_key = keys(upstream, "deal")
    await gql('{ deals(limit: 3) { results { customField(name: "Region") { text } '
              'customFields(keys: ["' + by_key["Seats"] + '"]) { text } } } }')  # fmt: skip
    listed = [e for e in upstream.log.entries if e.path == "/api/v2/deals"]
    assert listed[0].query["custom_fields"] == f"{by_key['Region']},{by_key['Seats']}"
    # a selection of every field: Pipedrive sends them all, no parameter
    await gql("{ deals(limit: 3) { results { customFields { text } customField(name: \"Region\") "
              "{ text } } } }")  # fmt: skip
    listed = [e for e in upstream.log.entries if e.path == "/api/v2/deals"]
    assert "custom_fields" not in listed[0].query
    # no custom field selected: neither the parameter nor a definitions call
    await gql("{ deals(limit: 3) { results { id } } }")
    assert calls(upstream) == {"GET /api/v2/deals": 1}
    assert "custom_fields" not in upstream.log.entries[0].query


async def test_more_than_15_named_fields_request_all_values(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    names = list(keys(upstream, "deal"))
    assert len(names) == 16
    variables = {"names": names}
    result = await gql(
        "query($names: [String!]) { deals(limit: 2) { results { customFields(names: $names) "
        "{ name } } } }",
        variables,
    )
    assert result.errors == []
    listed = [e for e in upstream.log.entries if e.path == "/api/v2/deals"]
    assert "custom_fields" not in listed[0].query
    # 15 names by variable: sent as keys
    result = await gql(
        "query($names: [String!]) { deals(limit: 2) { results { customFields(names: $names) "
        "{ name } } } }",
        {"names": names[:15]},
    )
    listed = [e for e in upstream.log.entries if e.path == "/api/v2/deals"]
    assert listed[0].query["custom_fields"].split(",") == [
        keys(upstream, "deal")[n] for n in names[:15]
    ]


async def test_search_hits_say_which_custom_field_matched(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    set_values(upstream, "deals", DEAL, {"Region": "Nordics", "Campaign": "Nordic summit"})
    result = await gql("""{ searchDeals(term: "nordic") { results { id
      matchedCustomFields { name text } } } }""")
    assert result.errors == []
    assert result.data["searchDeals"]["results"] == [
        {"id": DEAL, "matchedCustomFields": [
            {"name": "Region", "text": "Nordics"}, {"name": "Campaign", "text": "Nordic summit"},
        ]},
    ]  # fmt: skip
    # outside a search, nothing matched
    result = await gql(f"{{ deal(dealId: {DEAL}) {{ matchedCustomFields {{ name }} }} }}")
    assert result.data["deal"]["matchedCustomFields"] == []


async def test_person_search_hits_say_which_custom_field_matched(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    set_values(upstream, "persons", 12345, {"Region": "Baltics", "Direct line": "+372 555 0101"})
    result = await gql("""{ searchPersons(term: "baltics") { results { id name
      matchedCustomFields { name key value } } } }""")
    assert result.errors == []
    region = keys(upstream, "person")["Region"]
    assert result.data["searchPersons"]["results"] == [
        {"id": 12345, "name": "John Doe",
         "matchedCustomFields": [{"name": "Region", "key": region, "value": "Baltics"}]},
    ]  # fmt: skip
    searches = [e for e in upstream.log.entries if e.path == "/api/v2/persons/search"]
    assert [e.query["term"] for e in searches] == ["baltics"]


async def test_estimate_prices_definitions_and_linked_records(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    plain = await gql('{ deals(limit: 100) { results { customField(name: "Region") { value } } } }')
    # the deals list and, at most once, the deal field definitions
    assert plain.extensions["cost"]["estimate"] == {"upstreamCalls": 2, "pipedriveTokens": 20}
    assert plain.extensions["cost"]["upstreamRequests"] == 2  # cold: both happened
    linked = await gql("""{ deals(limit: 100) { results { id
      customField(name: "Technical contact") { person { id } } } } }""")
    # the person link is priced as every by-id link: 10 tokens, and as many calls as the planner
    # might send single GETs (up to 9) instead of the one ids= batch it sends here
    assert linked.extensions["cost"]["estimate"] == {"upstreamCalls": 11, "pipedriveTokens": 30}
    assert calls(upstream) == {"GET /api/v2/deals": 1, "GET /api/v2/persons": 1}


def test_hot_custom_field_reads_take_the_direct_resolvers() -> None:
    """customField and text run without Strawberry's wrapper; the links are declared links."""
    schema = build_schema()._schema
    deal, value = schema.type_map["Deal"], schema.type_map["CustomFieldValue"]
    assert isinstance(deal, GraphQLObjectType)
    assert isinstance(value, GraphQLObjectType)
    for field in (deal.fields["customField"], value.fields["text"]):
        definition = field.extensions[STRAWBERRY_DEFINITION]
        assert field.resolve is definition.metadata[DIRECT]
    for name in ("user", "person", "organization"):
        assert isinstance(value.fields[name].resolve, LinkRead)
