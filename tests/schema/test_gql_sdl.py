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


_COMMON_FILTERS = [
    "ownerId",
    "filterId",
    "updatedSince",
    "updatedUntil",
    "sortBy",
    "sortDirection",
]
_DEAL_FILTERS = ["status", "personId", "orgId", "pipelineId", "stageId"]
_PERSON_FILTERS = ["orgId", "dealId"]
_ACTIVITY_FILTERS = ["dealId", "personId", "orgId", "done"]
_ACTIVITY_WRITE = [
    "subject",
    "type",
    "dueDate",
    "dueTime",
    "duration",
    "dealId",
    "personId",
    "orgId",
    "participants",
    "note",
    "done",
    "ownerId",
]


def test_contract_root_fields_and_arguments() -> None:
    schema = _graphql_schema()
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    queries = {n: sorted(f.args) for n, f in schema.query_type.fields.items()}
    assert queries == {
        "searchPersons": ["exactMatch", "fields", "limit", "start", "term"],
        "person": ["personId"],
        "persons": sorted(["start", "limit", *_PERSON_FILTERS, *_COMMON_FILTERS]),
        "personActivities": ["done", "limit", "personId", "start"],
        "searchDeals": ["exactMatch", "fields", "limit", "start", "term"],
        "deal": ["dealId"],
        "deals": sorted(["start", "limit", "archived", *_DEAL_FILTERS, *_COMMON_FILTERS]),
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
        # the CRM surface
        "organizations": sorted(["start", "limit", *_COMMON_FILTERS]),
        "activities": sorted(["start", "limit", *_ACTIVITY_FILTERS, *_COMMON_FILTERS]),
        "activity": ["activityId"],
        "searchOrganizations": ["exactMatch", "fields", "limit", "start", "term"],
        "users": [],
        "me": [],
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
        # the CRM surface
        "addOrganization": ["address", "customFields", "name", "ownerId", "visibleTo"],
        "updateOrganization": ["address", "customFields", "name", "orgId", "ownerId", "visibleTo"],
        "createActivity": sorted(_ACTIVITY_WRITE),
        "updateActivity": sorted(["activityId", *_ACTIVITY_WRITE]),
        "markActivityDone": ["activityId", "done"],
        "deletePerson": ["personId"],
        "deleteDeal": ["dealId"],
        "deleteOrganization": ["orgId"],
        "deleteActivity": ["activityId"],
        "deleteNote": ["noteId"],
    }
