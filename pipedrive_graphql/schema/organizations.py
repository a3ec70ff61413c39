"""The Organization type and its links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.extras import UPSTREAM_NEED, IncludeField
from pipedrive_graphql.datasources.pipedrive.records import (
    ActivityRecord,
    DealRecord,
    NoteRecord,
    OffsetPage,
    OrganizationRecord,
    PersonRecord,
)
from pipedrive_graphql.execution import prefetched_page, warmed
from pipedrive_graphql.resolvers import activities as activity_resolvers
from pipedrive_graphql.resolvers import deals as deal_resolvers
from pipedrive_graphql.resolvers import notes as note_resolvers
from pipedrive_graphql.resolvers import persons as person_resolvers
from pipedrive_graphql.schema.custom_fields import (
    CustomFieldValue,
    custom_field_field,
    custom_fields_field,
)
from pipedrive_graphql.schema.fields import Info, resolved, to_one
from pipedrive_graphql.schema.ids import ID_FITS, link_id
from pipedrive_graphql.schema.list_arguments import (
    ActivitySort,
    DealStatus,
    Direction,
    OwnerFilter,
    Sort,
    UpdatedSince,
    UpdatedUntil,
    linked_filters,
)
from pipedrive_graphql.schema.pagination import Page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.activities import ActivityList
    from pipedrive_graphql.schema.deals import DealList
    from pipedrive_graphql.schema.notes import NoteList
    from pipedrive_graphql.schema.persons import PersonList
    from pipedrive_graphql.schema.users import User

_ACT = "pipedrive_graphql.schema.activities"
_DEALS = "pipedrive_graphql.schema.deals"
_NOTES = "pipedrive_graphql.schema.notes"
_PERSONS = "pipedrive_graphql.schema.persons"
_USERS = "pipedrive_graphql.schema.users"


async def _persons_of(
    ctx: Context,
    parent: OrganizationRecord,
    start: int | None = None,
    limit: int | None = None,
    owner_id: OwnerFilter = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: Sort = None,
    sort_direction: Direction = None,
) -> OffsetPage[PersonRecord]:
    return await person_resolvers.list_persons(
        ctx,
        start,
        limit,
        org_id=parent.id,
        filters=linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction),
    )


async def _persons(
    parent: strawberry.Parent[OrganizationRecord],
    info: Info,
    start: int | None = None,
    limit: int | None = None,
    owner_id: OwnerFilter = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: Sort = None,
    sort_direction: Direction = None,
) -> OffsetPage[PersonRecord]:
    page = await warmed(
        info.context,
        _persons_of,
        parent,
        start=start,
        limit=limit,
        owner_id=owner_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )
    return await prefetched_page(info, page)


async def _deals_of(
    ctx: Context,
    parent: OrganizationRecord,
    start: int | None = None,
    limit: int | None = None,
    status: DealStatus = None,
    owner_id: OwnerFilter = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: Sort = None,
    sort_direction: Direction = None,
) -> OffsetPage[DealRecord]:
    return await deal_resolvers.list_deals(
        ctx,
        start,
        limit,
        org_id=parent.id,
        status=status,
        filters=linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction),
    )


async def _deals(
    parent: strawberry.Parent[OrganizationRecord],
    info: Info,
    start: int | None = None,
    limit: int | None = None,
    status: DealStatus = None,
    owner_id: OwnerFilter = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: Sort = None,
    sort_direction: Direction = None,
) -> OffsetPage[DealRecord]:
    page = await warmed(
        info.context,
        _deals_of,
        parent,
        start=start,
        limit=limit,
        status=status,
        owner_id=owner_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )
    return await prefetched_page(info, page)


async def _activities_of(
    ctx: Context,
    parent: OrganizationRecord,
    start: int | None = None,
    limit: int | None = None,
    done: bool | None = None,
    owner_id: OwnerFilter = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: ActivitySort = None,
    sort_direction: Direction = None,
) -> OffsetPage[ActivityRecord]:
    return await activity_resolvers.list_activities(
        ctx,
        start,
        limit,
        org_id=parent.id,
        done=done,
        filters=linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction),
    )


async def _activities(
    parent: strawberry.Parent[OrganizationRecord],
    info: Info,
    start: int | None = None,
    limit: int | None = None,
    done: bool | None = None,
    owner_id: OwnerFilter = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: ActivitySort = None,
    sort_direction: Direction = None,
) -> OffsetPage[ActivityRecord]:
    page = await warmed(
        info.context,
        _activities_of,
        parent,
        start=start,
        limit=limit,
        done=done,
        owner_id=owner_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )
    return await prefetched_page(info, page)


async def _notes_of(
    ctx: Context,
    parent: OrganizationRecord,
    start: int | None = None,
    limit: int | None = None,
) -> OffsetPage[NoteRecord]:
    return await note_resolvers.list_notes(ctx, start, limit, org_id=parent.id)


async def _notes(
    parent: strawberry.Parent[OrganizationRecord],
    info: Info,
    start: int | None = None,
    limit: int | None = None,
) -> OffsetPage[NoteRecord]:
    page = await warmed(info.context, _notes_of, parent, start=start, limit=limit)
    return await prefetched_page(info, page)


@strawberry.type(description="An organization: a company persons and deals belong to.")
class Organization:
    """A Pipedrive organization, read from its `OrganizationRecord`."""

    id: int = strawberry.field(description="The ID of the organization." + ID_FITS)
    name: str = strawberry.field(description="The name of the organization.")
    owner_id: int | None = strawberry.field(
        description=link_id("The ID of the user who owns the organization.")
    )
    address: str | None = strawberry.field(description="The address of the organization.")
    cc_email: str | None = strawberry.field(
        description=(
            "The BCC email address of the organization (Smart Email BCC). Pipedrive sends it "
            "only when asked (v2 `include_fields=smart_bcc_email`): selecting it adds that to "
            "the request's organization reads, at no extra call."
        ),
        metadata={UPSTREAM_NEED: IncludeField("organizations", "smart_bcc_email")},
    )
    active_flag: bool = strawberry.field(
        description="Whether the organization is active (not deleted). Deleted organizations "
        "are never served: lists, links and `organization` leave them out alike, as v2 `ids=` "
        "cannot return them."
    )
    add_time: str | None = strawberry.field(
        description="The creation date and time of the organization."
    )
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the organization."
    )
    visible_to: int | None = strawberry.field(description="The visibility of the organization.")
    custom_fields: list[CustomFieldValue] = custom_fields_field("organization")
    custom_field: CustomFieldValue | None = custom_field_field("organization")

    owner: Annotated[User, strawberry.lazy(_USERS)] | None = to_one(
        "owner_id",
        lambda loaders: loaders.user_by_id,
        pricing.USERS,
        "The user who owns the organization.",
    )
    persons: Annotated[PersonList, strawberry.lazy(_PERSONS)] | None = resolved(
        _persons, pricing.TO_MANY_V2, "The persons of the organization.", warm=_persons_of
    )
    deals: Annotated[DealList, strawberry.lazy(_DEALS)] | None = resolved(
        _deals, pricing.TO_MANY_V2, "The deals of the organization.", warm=_deals_of
    )
    activities: Annotated[ActivityList, strawberry.lazy(_ACT)] | None = resolved(
        _activities, pricing.TO_MANY_V2, "The activities of the organization.", warm=_activities_of
    )
    notes: Annotated[NoteList, strawberry.lazy(_NOTES)] | None = resolved(
        _notes, pricing.TO_MANY_V1, "The notes attached to the organization.", warm=_notes_of
    )


@strawberry.type(description="A window of organizations.")
class OrganizationList(Page[Organization]):
    """Organizations with `hasMore` and `nextStart`, read from an `OffsetPage` of records."""
