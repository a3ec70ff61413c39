"""Mutation results are nullable: one failed write never hides the writes beside it."""

from __future__ import annotations

from graphql import GraphQLNonNull

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.schema import build_schema
from tests.conftest import GraphQLCall


def test_every_mutation_result_is_nullable() -> None:
    mutation = build_schema()._schema.mutation_type
    assert mutation is not None
    non_null = sorted(
        name for name, field in mutation.fields.items() if isinstance(field.type, GraphQLNonNull)
    )
    assert len(mutation.fields) >= 16
    assert non_null == []


async def test_a_failed_delete_keeps_the_note_written_beside_it(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        """mutation { n: createNote(content: "keep me", dealId: 1) { id content }
        x: deleteActivity(activityId: 999999) { id deleted } }"""
    )
    assert result.codes() == ["NOT_FOUND"]
    assert result.data is not None
    assert result.data["x"] is None
    note = result.data["n"]
    assert note["content"] == "keep me"
    stored = upstream.store.get("notes", int(note["id"]))
    assert stored is not None
    assert stored["content"] == "keep me"
