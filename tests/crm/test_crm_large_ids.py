"""Ids beyond GraphQL's 32-bit Int: one decision for a record's own id and for every link."""

from __future__ import annotations

from graphql import GraphQLNonNull, GraphQLObjectType

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.schema import build_schema
from tests.conftest import GraphQLCall

BEYOND = 3_000_000_001  # > 2^31 - 1
DEAL = 54321
# Int ids that echo an argument or a record already read (they always fit), not a Pipedrive id
ECHOED = {
    "DeleteResult.id",
    "DealSummary.pipelineId",
    "DealSummary.stageId",
    "PipelineForecast.pipelineId",
    "StageConversion.fromStageId",
    "StageConversion.toStageId",
    "PipelineConversion.pipelineId",
    "PipelineConversion.userId",
    "CustomFieldOption.id",
}


def _id_fields() -> dict[str, str]:
    schema = build_schema()._schema
    found: dict[str, str] = {}
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for name, field in graphql_type.fields.items():
            named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            if getattr(named, "name", None) == "Int" and (name == "id" or name.endswith("Id")):
                found[f"{type_name}.{name}"] = field.description or ""
    return found


def test_every_int_id_field_states_the_32_bit_decision() -> None:
    fields = _id_fields()
    assert len(fields) > 30
    undecided = sorted(
        name
        for name, description in fields.items()
        if name not in ECHOED and "A 32-bit GraphQL Int:" not in description
    )
    assert undecided == []
    assert set(fields) >= ECHOED


async def test_a_link_beyond_32_bits_is_null_not_an_error(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    upstream.store.update("deals", DEAL, {"person_id": BEYOND, "org_id": BEYOND + 1})
    upstream.store.update("activities", 1, {"deal_id": BEYOND, "owner_id": BEYOND})
    result = await gql(
        f"""{{ deal(dealId: {DEAL}) {{ id title personId person {{ id }} orgId
        organization {{ id }} }}
        activity: activities(limit: 5) {{ results {{ id dealId deal {{ id }} ownerId }} }} }}"""
    )
    assert result.errors == []
    deal = result.data["deal"]
    assert deal["id"] == DEAL
    stored = upstream.store.get("deals", DEAL)
    assert stored is not None
    assert deal["title"] == stored["title"]
    assert (deal["personId"], deal["person"], deal["orgId"], deal["organization"]) == (
        None, None, None, None,
    )  # fmt: skip
    first = next(a for a in result.data["activity"]["results"] if a["id"] == 1)
    assert first == {"id": 1, "dealId": None, "deal": None, "ownerId": None}
    assert not [e for e in upstream.log.entries if str(BEYOND) in str(e.query) + e.path]
