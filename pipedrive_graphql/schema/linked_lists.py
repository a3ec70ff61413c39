"""The linked lists (a person's deals, a deal's activities, …), each declared once for every
parent that links to it: its arguments and the loader call they make.

A declaration is a load, `load(context, parent, **arguments)`, for `fields.to_many`: the
parameters after the first two are the field's GraphQL arguments, and the field's resolver and
its warm-up are both made from it. Adding an argument to, say, every linked deal list is one
parameter here and where it goes in the call.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.client import ParentKind
from pipedrive_graphql.datasources.pipedrive.records import (
    ActivityRecord,
    DealRecord,
    MailMessageRecord,
    NoteRecord,
    OffsetPage,
    PersonRecord,
)
from pipedrive_graphql.resolvers import activities as activity_resolvers
from pipedrive_graphql.resolvers import deals as deal_resolvers
from pipedrive_graphql.resolvers import mail as mail_resolvers
from pipedrive_graphql.resolvers import notes as note_resolvers
from pipedrive_graphql.resolvers import persons as person_resolvers
from pipedrive_graphql.schema.fields import Load
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


class Identified(Protocol):
    """A parent record: the linked list is filtered by its id."""

    @property
    def id(self) -> int: ...


def deals(by: Literal["person_id", "org_id", "pipeline_id", "stage_id"]) -> Load:
    """The deals whose `by` is the parent's id (`GET /api/v2/deals`)."""

    async def linked_deals(
        ctx: Context,
        parent: Identified,
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
            status=status,
            filters=linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction),
            archived=False,
            **{by: parent.id},
        )

    return linked_deals


def activities(by: Literal["person_id", "org_id", "deal_id"]) -> Load:
    """The activities whose `by` is the parent's id (`GET /api/v2/activities`)."""

    async def linked_activities(
        ctx: Context,
        parent: Identified,
        start: int | None = None,
        limit: int | None = None,
        done: bool | None = None,
        owner_id: OwnerFilter = None,
        updated_since: UpdatedSince = None,
        updated_until: UpdatedUntil = None,
        sort_by: ActivitySort = None,
        sort_direction: Direction = None,
    ) -> OffsetPage[ActivityRecord]:
        filters = linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction)
        return await activity_resolvers.list_activities(
            ctx, start, limit, done=done, filters=filters, **{by: parent.id}
        )

    return linked_activities


def persons(by: Literal["org_id"]) -> Load:
    """The persons whose `by` is the parent's id (`GET /api/v2/persons`)."""

    async def linked_persons(
        ctx: Context,
        parent: Identified,
        start: int | None = None,
        limit: int | None = None,
        owner_id: OwnerFilter = None,
        updated_since: UpdatedSince = None,
        updated_until: UpdatedUntil = None,
        sort_by: Sort = None,
        sort_direction: Direction = None,
    ) -> OffsetPage[PersonRecord]:
        filters = linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction)
        return await person_resolvers.list_persons(
            ctx, start, limit, filters=filters, **{by: parent.id}
        )

    return linked_persons


def notes(by: Literal["person_id", "org_id", "deal_id"]) -> Load:
    """The notes whose `by` is the parent's id (`GET /api/v1/notes`)."""

    async def linked_notes(
        ctx: Context, parent: Identified, start: int | None = None, limit: int | None = None
    ) -> OffsetPage[NoteRecord]:
        return await note_resolvers.list_notes(ctx, start, limit, sort=None, **{by: parent.id})

    return linked_notes


def mail_messages(kind: ParentKind) -> Load:
    """The mail messages of the parent, a `kind` (`GET /api/v1/{kind}s/{id}/mailMessages`)."""

    async def linked_mail_messages(
        ctx: Context, parent: Identified, start: int | None = None, limit: int | None = None
    ) -> OffsetPage[MailMessageRecord]:
        return await mail_resolvers.mail_messages_of(ctx, kind, parent.id, start, limit)

    return linked_mail_messages
