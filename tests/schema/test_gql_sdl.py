"""The committed `schema.graphql` is exactly what the code builds, and is fully described."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLObjectType, GraphQLSchema

from pipedrive_graphql.schema import build_schema

SDL_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def _graphql_schema() -> GraphQLSchema:
    return build_schema()._schema


def test_committed_sdl_matches_the_code() -> None:
    expected = str(build_schema()) + "\n"
    assert SDL_FILE.read_text() == expected, (
        "schema.graphql is stale: run `pipedrive-graphql schema > schema.graphql`"
    )


def test_every_type_and_field_has_a_description() -> None:
    missing: list[str] = []
    for name, gtype in _graphql_schema().type_map.items():
        if name.startswith("__") or not isinstance(gtype, GraphQLObjectType):
            continue
        if not gtype.description:
            missing.append(name)
        missing += [f"{name}.{f}" for f, field in gtype.fields.items() if not field.description]
    assert missing == []


def test_contract_root_fields_and_arguments() -> None:
    schema = _graphql_schema()
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    queries = {n: sorted(f.args) for n, f in schema.query_type.fields.items()}
    assert queries == {
        "searchPersons": ["limit", "start", "term"],
        "person": ["personId"],
        "persons": ["limit", "start"],
        "personActivities": ["done", "limit", "personId", "start"],
        "searchDeals": ["limit", "start", "term"],
        "deal": ["dealId"],
        "deals": ["archived", "limit", "start"],
        "notes": ["dealId", "limit", "orgId", "personId", "sort", "start"],
        "note": ["noteId"],
        "pipelines": [],
        "stages": ["pipelineId"],
        "mailMessage": ["mailMessageId"],
        "organization": ["orgId"],
        # dashboard analytics
        "pipelineSummary": ["from", "pipelineId", "to"],
        "pipelineForecast": ["from", "interval", "pipelineId", "to"],
        "pipelineConversion": ["from", "ownerId", "pipelineId", "to"],
        "rottenDeals": ["limit", "ownerId", "pipelineId", "start"],
    }
    mutations = {n: sorted(f.args) for n, f in schema.mutation_type.fields.items()}
    assert mutations == {
        "addPerson": ["customFields", "email", "name", "orgId", "ownerId", "phone", "visibleTo"],
        "updatePerson": ["customFields", "email", "name", "orgId", "ownerId", "personId", "phone"],
        "createDeal": sorted(
            [
                "title",
                "value",
                "currency",
                "personId",
                "orgId",
                "stageId",
                "status",
                "expectedCloseDate",
                "customFields",
            ]
        ),
        "updateDeal": sorted(
            [
                "dealId",
                "title",
                "value",
                "currency",
                "personId",
                "orgId",
                "stageId",
                "status",
                "expectedCloseDate",
                "lostReason",
                "customFields",
            ]
        ),
        "createNote": sorted(
            [
                "content",
                "dealId",
                "personId",
                "orgId",
                "pinnedToDealFlag",
                "pinnedToPersonFlag",
                "pinnedToOrganizationFlag",
            ]
        ),
        "updateNote": sorted(
            [
                "noteId",
                "content",
                "pinnedToDealFlag",
                "pinnedToPersonFlag",
                "pinnedToOrganizationFlag",
            ]
        ),
    }
