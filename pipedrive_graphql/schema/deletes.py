"""`DeleteResult` and the delete mutations (composed into `Mutation`).

Results are nullable like every mutation's: a failed delete is null beside its error and does
not hide the writes that succeeded in the same operation.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.resolvers import deletes
from pipedrive_graphql.resolvers.deletes import Deleted
from pipedrive_graphql.schema.fields import Info, mutation


def _id(what: str) -> object:
    return strawberry.argument(description=f"The ID of the {what} to delete.")


@strawberry.type(description="What a delete did: the id Pipedrive deleted.")
class DeleteResult:
    """A successful delete, read from `Deleted` (a failed one is an error: NOT_FOUND)."""

    id: int = strawberry.field(description="The ID of the deleted record.")
    deleted: bool = strawberry.field(description="Always true: a failed delete is an error.")


async def _delete_person(info: Info, person_id: Annotated[int, _id("person")]) -> Deleted:
    return await deletes.delete_person(info.context, person_id)


async def _delete_deal(info: Info, deal_id: Annotated[int, _id("deal")]) -> Deleted:
    return await deletes.delete_deal(info.context, deal_id)


async def _delete_organization(info: Info, org_id: Annotated[int, _id("organization")]) -> Deleted:
    return await deletes.delete_organization(info.context, org_id)


async def _delete_activity(info: Info, activity_id: Annotated[int, _id("activity")]) -> Deleted:
    return await deletes.delete_activity(info.context, activity_id)


async def _delete_note(info: Info, note_id: Annotated[int, _id("note")]) -> Deleted:
    return await deletes.delete_note(info.context, note_id)


@strawberry.type
class DeleteMutation:
    """The five deletes: one call each, retried only when Pipedrive surely did not apply it."""

    delete_person: DeleteResult | None = mutation(
        _delete_person,
        pricing.DELETE_V2,
        "Delete a person (Pipedrive keeps it 30 days as deleted).",
    )
    delete_deal: DeleteResult | None = mutation(
        _delete_deal, pricing.DELETE_V2, "Delete a deal (Pipedrive keeps it 30 days as deleted)."
    )
    delete_organization: DeleteResult | None = mutation(
        _delete_organization,
        pricing.DELETE_V2,
        "Delete an organization (Pipedrive keeps it 30 days as deleted).",
    )
    delete_activity: DeleteResult | None = mutation(
        _delete_activity,
        pricing.DELETE_V2,
        "Delete an activity (Pipedrive keeps it 30 days as deleted).",
    )
    delete_note: DeleteResult | None = mutation(_delete_note, pricing.DELETE_NOTE, "Delete a note.")
