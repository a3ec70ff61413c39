"""Reference records cross Redis as plain JSON; an entry that does not decode is a cache miss."""

from __future__ import annotations

import base64
import json
import pickle
import time

import pytest

from pipedrive_graphql.datasources.pipedrive.custom_field_records import (
    FieldDefinition,
    FieldDefinitions,
    FieldOption,
)
from pipedrive_graphql.datasources.pipedrive.records import (
    PipelineRecord,
    StageRecord,
    UserRecord,
)
from pipedrive_graphql.datasources.pipedrive.reference_codec import ReferenceRecords
from pipedrive_graphql.datasources.state.redis_link import RedisLink
from pipedrive_graphql.datasources.state.shared_memory import SharedMemory
from pipedrive_graphql.emulator import Emulator, EmulatorConfig

from .shared_support import HEALTHY_REDIS_TIMEOUT, app_replicas, upstream_paths

PIPELINE = PipelineRecord(
    id=3,
    name="Enterprise",
    order_nr=2,
    is_deleted=False,
    is_deal_probability_enabled=True,
    add_time="2024-01-05T10:00:00Z",
    update_time=None,
)
STAGE = StageRecord(
    id=17,
    name="Proposal made",
    pipeline_id=3,
    order_nr=4,
    is_deleted=True,
    deal_probability=60,
    is_deal_rot_enabled=True,
    days_to_rotten=None,
    add_time="2024-01-05T10:00:00Z",
    update_time="2025-03-01T08:30:00Z",
)
USER = UserRecord(
    id=9,
    name="Zoë Ålander",
    email="zoe@example.com",
    active_flag=True,
    is_admin=False,
    role_id=None,
    default_currency="EUR",
    locale="sv_SE",
    timezone_name="Europe/Stockholm",
    icon_url=None,
    created="2023-02-01 09:00:00",
    modified="2025-01-01 00:00:00",
    last_login=None,
    company_id=4411,
)
DEFINITIONS = FieldDefinitions(
    "deal",
    (
        FieldDefinition(
            "a" * 40, "Lead source", "enum", (FieldOption(1, "Web"), FieldOption(2, ""))
        ),
        FieldDefinition("b" * 40, "Budget", "monetary"),
    ),
)
codec = ReferenceRecords()


@pytest.mark.parametrize("items", [(PIPELINE,), (STAGE,), (USER,), (DEFINITIONS,), ()])
def test_each_record_type_comes_back_equal(items: tuple[object, ...]) -> None:
    assert codec.decode(codec.encode(items)) == items


def test_the_entry_is_plain_json_naming_every_field() -> None:
    entry = json.loads(codec.encode((PIPELINE, STAGE)))
    assert entry == [
        [
            "pipeline",
            {
                "id": 3,
                "name": "Enterprise",
                "order_nr": 2,
                "is_deleted": False,
                "is_deal_probability_enabled": True,
                "add_time": "2024-01-05T10:00:00Z",
                "update_time": None,
            },
        ],
        ["stage", json.loads(codec.encode((STAGE,)))[0][1]],
    ]
    assert entry[1][1]["deal_probability"] == 60


def test_decoded_definitions_answer_lookups() -> None:
    decoded = codec.decode(codec.encode((DEFINITIONS,)))
    assert decoded is not None
    copy = decoded[0]
    assert isinstance(copy, FieldDefinitions)
    assert copy.find(name="lead SOURCE") == DEFINITIONS.fields[0]
    assert copy.by_key["a" * 40].option(2) == FieldOption(2, "")


def _pipeline_fields(**changes: object) -> str:
    fields = json.loads(codec.encode((PIPELINE,)))[0][1]
    fields.update(changes)
    return json.dumps([["pipeline", {k: v for k, v in fields.items() if v != "DROP"}]])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "{}",
        '[["pipeline"]]',
        '[["deal", {"id": 1}]]',  # not a reference record type
        _pipeline_fields(id="3"),  # a string where the record has an int
        _pipeline_fields(order_nr=True),  # a bool is not an int
        _pipeline_fields(is_deleted=0),
        _pipeline_fields(name=None),  # not optional
        _pipeline_fields(update_time="DROP"),  # a field missing (another version)
        _pipeline_fields(url_title="x"),  # a field the record does not have
        '[["fields", {"entity": "lead", "fields": []}]]',
        '[["fields", {"entity": "deal", "fields": [{"key": "k", "name": "n", "type": "t"}]}]]',
        '[["fields", {"entity": "deal", "fields": [{"key": "k", "name": "n", "type": "t", '
        '"options": [{"id": "1", "label": "x"}]}]}]]',
        base64.b64encode(pickle.dumps((PIPELINE,))).decode(),  # what older servers wrote
    ],
)
def test_an_entry_that_does_not_decode_is_none(text: str) -> None:
    assert codec.decode(text) is None


def test_only_reference_records_can_be_encoded() -> None:
    with pytest.raises(TypeError, match="not a shared reference record"):
        codec.encode(({"id": 1},))


async def test_records_cross_redis_and_a_corrupt_entry_is_a_miss(redis_url: str) -> None:
    link = RedisLink(redis_url, timeout=HEALTHY_REDIS_TIMEOUT)
    try:
        shared = SharedMemory(link, codec)
        shared.put_reference(("abc", "users"), (USER,), ttl=60)
        shared.put_reference(("abc", "stages/17"), (STAGE,), ttl=60)
        await link.drain()
        hits = await SharedMemory(link, ReferenceRecords()).get_references(
            [("abc", "users"), ("abc", "stages/17"), ("abc", "pipelines")]
        )
        assert [hit[1] if hit else None for hit in hits] == [(USER,), (STAGE,), None]
        assert hits[0] is not None
        assert 0.0 <= hits[0][0] < 5.0  # the entry's age in seconds
        await link.client.set(link.key("ref", "abc", "users"), f'{time.time()}|[["user",{{}}]]')
        assert await shared.get_reference(("abc", "users")) is None
    finally:
        await link.close()


async def test_a_replica_that_finds_a_corrupt_entry_fetches_the_list_again(redis_url: str) -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    query = "{ users { results { id name email } } }"
    async with app_replicas(emu, redis_url) as (first, second):
        loaded = await first.gql(query)
        assert loaded.get("errors") is None
        assert loaded["data"]["users"]["results"]
        link = runtime_link(first)
        names = [key async for key in link.client.scan_iter(link.key("ref", "*", "users"))]
        assert len(names) == 1
        await link.client.set(names[0], f"{time.time()}|garbage")
        emu.log.clear()
        again = await second.gql(query)
        assert (again.get("errors"), again["data"]) == (None, loaded["data"])
        assert upstream_paths(emu) == ["/api/v1/users"]  # the corrupt entry was a miss
        emu.log.clear()
        warm = await second.gql(query)
        assert warm["data"] == loaded["data"]
        assert upstream_paths(emu) == []  # and the fresh copy is used from then on


def runtime_link(replica: object) -> RedisLink:
    """The Redis link of an `AppReplica` (it has one in these tests)."""
    link = replica.runtime.link  # type: ignore[attr-defined]
    assert isinstance(link, RedisLink)
    return link
