"""Organization and activity writes (composed into `Mutation`).

Every result is nullable, as in `schema/mutations.py`: a failed write is null beside its error,
and the writes that succeeded beside it in the same operation stay visible.

An argument left out is not sent; Pipedrive's v2 bodies make none of these fields nullable, so
an argument given as null is a BAD_USER_INPUT.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.records import ActivityRecord, OrganizationRecord
from pipedrive_graphql.resolvers import activity_writes, organization_writes
from pipedrive_graphql.resolvers.activity_writes import ActivityArgs
from pipedrive_graphql.schema.activities import Activity
from pipedrive_graphql.schema.custom_field_inputs import CustomFieldInputs, custom_fields_argument
from pipedrive_graphql.schema.fields import Info, mutation
from pipedrive_graphql.schema.organizations import Organization


def _arg(description: str) -> object:
    return strawberry.argument(description=description)


UNSET = strawberry.UNSET
OptStr = str | None
OptInt = int | None
OrgName = Annotated[OptStr, _arg("The name of the organization.")]
OwnerId = Annotated[OptInt, _arg("The ID of the user who owns the record.")]
Address = Annotated[OptStr, _arg("The full address of the organization, as one line.")]
VisibleTo = Annotated[OptInt, _arg("The visibility of the record (1, 3, 5 or 7).")]
Subject = Annotated[OptStr, _arg("The subject of the activity.")]
ActivityType = Annotated[OptStr, _arg("The type of the activity, e.g. call, meeting, task.")]
DueDate = Annotated[OptStr, _arg("The due date, YYYY-MM-DD.")]
DueTime = Annotated[OptStr, _arg("The due time, HH:MM (UTC).")]
Duration = Annotated[OptStr, _arg("The duration, HH:MM.")]
DealId = Annotated[OptInt, _arg("The ID of the deal the activity is linked to.")]
PersonId = Annotated[OptInt, _arg("The ID of the primary participant (a person).")]
OrgId = Annotated[OptInt, _arg("The ID of the organization the activity is linked to.")]
Participants = Annotated[
    list[int] | None,
    _arg("Person IDs taking part; the first (or `personId` when given) is the primary one."),
]
ActivityNote = Annotated[OptStr, _arg("The note of the activity (HTML).")]
Done = Annotated[bool | None, _arg("Whether the activity is done.")]


async def _add_organization(
    info: Info,
    name: Annotated[str, _arg("The name of the organization.")],
    owner_id: OwnerId = UNSET,
    address: Address = UNSET,
    visible_to: VisibleTo = UNSET,
    custom_fields: CustomFieldInputs = UNSET,
) -> OrganizationRecord:
    custom = await custom_fields_argument(info, "organization", custom_fields)
    return await organization_writes.add_organization(
        info.context,
        name=name,
        owner_id=owner_id,
        address=address,
        visible_to=visible_to,
        custom_fields=custom,
    )


async def _update_organization(
    info: Info,
    org_id: Annotated[int, _arg("The ID of the organization to update.")],
    name: OrgName = UNSET,
    owner_id: OwnerId = UNSET,
    address: Address = UNSET,
    visible_to: VisibleTo = UNSET,
    custom_fields: CustomFieldInputs = UNSET,
) -> OrganizationRecord:
    custom = await custom_fields_argument(info, "organization", custom_fields)
    return await organization_writes.update_organization(
        info.context,
        org_id,
        name=name,
        owner_id=owner_id,
        address=address,
        visible_to=visible_to,
        custom_fields=custom,
    )


async def _create_activity(
    info: Info,
    subject: Annotated[str, _arg("The subject of the activity.")],
    type: ActivityType = UNSET,
    due_date: DueDate = UNSET,
    due_time: DueTime = UNSET,
    duration: Duration = UNSET,
    deal_id: DealId = UNSET,
    person_id: PersonId = UNSET,
    org_id: OrgId = UNSET,
    participants: Participants = UNSET,
    note: ActivityNote = UNSET,
    done: Done = UNSET,
    owner_id: OwnerId = UNSET,
) -> ActivityRecord:
    args = ActivityArgs(
        subject, type, due_date, due_time, duration, deal_id, person_id, org_id,
        participants, note, done, owner_id,
    )  # fmt: skip
    return await activity_writes.create_activity(info.context, args)


async def _update_activity(
    info: Info,
    activity_id: Annotated[int, _arg("The ID of the activity to update.")],
    subject: Subject = UNSET,
    type: ActivityType = UNSET,
    due_date: DueDate = UNSET,
    due_time: DueTime = UNSET,
    duration: Duration = UNSET,
    deal_id: DealId = UNSET,
    person_id: PersonId = UNSET,
    org_id: OrgId = UNSET,
    participants: Participants = UNSET,
    note: ActivityNote = UNSET,
    done: Done = UNSET,
    owner_id: OwnerId = UNSET,
) -> ActivityRecord:
    args = ActivityArgs(
        subject, type, due_date, due_time, duration, deal_id, person_id, org_id,
        participants, note, done, owner_id,
    )  # fmt: skip
    return await activity_writes.update_activity(info.context, activity_id, args)


async def _mark_activity_done(
    info: Info,
    activity_id: Annotated[int, _arg("The ID of the activity.")],
    done: Annotated[bool, _arg("Done (default) or not done.")] = True,
) -> ActivityRecord:
    return await activity_writes.mark_activity_done(info.context, activity_id, done)


@strawberry.type
class CrmMutation:
    """Organization and activity writes at the root."""

    add_organization: Organization | None = mutation(
        _add_organization, pricing.WRITE_V2, "Add an organization."
    )
    update_organization: Organization | None = mutation(
        _update_organization,
        pricing.WRITE_V2,
        "Update an organization; only the given arguments change. "
        "With nothing to change it is a BAD_USER_INPUT and nothing is sent.",
    )
    create_activity: Activity | None = mutation(
        _create_activity,
        pricing.WRITE_V2,
        "Create an activity. Takes no customFields: Pipedrive's v2 activity bodies carry no "
        "custom field values.",
    )
    update_activity: Activity | None = mutation(
        _update_activity,
        pricing.WRITE_V2,
        "Update an activity; only the given arguments change. "
        "With nothing to change it is a BAD_USER_INPUT and nothing is sent. Takes no "
        "customFields: Pipedrive's v2 activity bodies carry no custom field values.",
    )
    mark_activity_done: Activity | None = mutation(
        _mark_activity_done,
        pricing.WRITE_V2,
        "Mark an activity done (or, with done: false, not done).",
    )
