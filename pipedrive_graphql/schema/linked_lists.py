"""The linked lists (a person's deals, a deal's activities, …), each declared once for every
parent that links to it: its arguments and the loader call they make.

A declaration is a `LinkedList` for `fields.to_many`: `call(context, parent_id, **arguments)`,
whose parameters after the first two are the field's GraphQL arguments, and how the key of one
parent's list becomes another's. The field's resolver and its warm-up are both made from it.
Adding an argument to, say, every linked deal list is one parameter here and where it goes in
the call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Literal

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.batching import LoaderCall
from pipedrive_graphql.datasources.loading.loaders import MailKey
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.pipedrive.client import ParentKind
from pipedrive_graphql.datasources.pipedrive.records import (
    ActivityRecord,
    DealRecord,
    MailMessageRecord,
    NoteRecord,
    OffsetPage,
    PersonRecord,
)
from pipedrive_graphql.execution import LinkedList
from pipedrive_graphql.resolvers import activities as activity_resolvers
from pipedrive_graphql.resolvers import deals as deal_resolvers
from pipedrive_graphql.resolvers import mail as mail_resolvers
from pipedrive_graphql.resolvers import notes as note_resolvers
from pipedrive_graphql.resolvers import persons as person_resolvers
from pipedrive_graphql.schema.arguments import Done, Limit, NoteSort, Start
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


def _filtered_by(by: str) -> Callable[[ListKey, int], ListKey]:
    """A v2 list's key for another parent: the same filters, `by` set to the parent's id."""

    def rekey(key: ListKey, parent_id: int) -> ListKey:
        return key.with_filter(by, parent_id)

    return rekey


def deals(
    by: Literal["person_id", "org_id", "pipeline_id", "stage_id"],
) -> LinkedList[ListKey, OffsetPage[DealRecord]]:
    """The deals whose `by` is the parent's id (`GET /api/v2/deals`)."""

    def linked_deals(
        ctx: Context,
        parent_id: int,
        start: Start = None,
        limit: Limit = None,
        status: DealStatus = None,
        owner_id: OwnerFilter = None,
        updated_since: UpdatedSince = None,
        updated_until: UpdatedUntil = None,
        sort_by: Sort = None,
        sort_direction: Direction = None,
    ) -> LoaderCall[ListKey, OffsetPage[DealRecord]]:
        return deal_resolvers.deal_list_call(
            ctx,
            start,
            limit,
            status=status,
            filters=linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction),
            archived=False,
            **{by: parent_id},
        )

    return LinkedList(linked_deals, _filtered_by(by))


def activities(
    by: Literal["person_id", "org_id", "deal_id"],
) -> LinkedList[ListKey, OffsetPage[ActivityRecord]]:
    """The activities whose `by` is the parent's id (`GET /api/v2/activities`)."""

    def linked_activities(
        ctx: Context,
        parent_id: int,
        start: Start = None,
        limit: Limit = None,
        done: Done = None,
        owner_id: OwnerFilter = None,
        updated_since: UpdatedSince = None,
        updated_until: UpdatedUntil = None,
        sort_by: ActivitySort = None,
        sort_direction: Direction = None,
    ) -> LoaderCall[ListKey, OffsetPage[ActivityRecord]]:
        filters = linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction)
        return activity_resolvers.activity_list_call(
            ctx, start, limit, done=done, filters=filters, **{by: parent_id}
        )

    return LinkedList(linked_activities, _filtered_by(by))


def persons(by: Literal["org_id"]) -> LinkedList[ListKey, OffsetPage[PersonRecord]]:
    """The persons whose `by` is the parent's id (`GET /api/v2/persons`)."""

    def linked_persons(
        ctx: Context,
        parent_id: int,
        start: Start = None,
        limit: Limit = None,
        owner_id: OwnerFilter = None,
        updated_since: UpdatedSince = None,
        updated_until: UpdatedUntil = None,
        sort_by: Sort = None,
        sort_direction: Direction = None,
    ) -> LoaderCall[ListKey, OffsetPage[PersonRecord]]:
        filters = linked_filters(owner_id, updated_since, updated_until, sort_by, sort_direction)
        return person_resolvers.person_list_call(
            ctx, start, limit, filters=filters, **{by: parent_id}
        )

    return LinkedList(linked_persons, _filtered_by(by))


def notes(
    by: Literal["person_id", "org_id", "deal_id"],
) -> LinkedList[ListKey, OffsetPage[NoteRecord]]:
    """The notes whose `by` is the parent's id (`GET /api/v1/notes`)."""

    def linked_notes(
        ctx: Context,
        parent_id: int,
        start: Start = None,
        limit: Limit = None,
        sort: NoteSort = None,
    ) -> LoaderCall[ListKey, OffsetPage[NoteRecord]]:
        return note_resolvers.note_list_call(ctx, start, limit, sort=sort, **{by: parent_id})

    return LinkedList(linked_notes, _filtered_by(by))


def _mail_of(key: MailKey, parent_id: int) -> MailKey:
    return dataclasses.replace(key, parent_id=parent_id)


def mail_messages(kind: ParentKind) -> LinkedList[MailKey, OffsetPage[MailMessageRecord]]:
    """The mail messages of the parent, a `kind` (`GET /api/v1/{kind}s/{id}/mailMessages`)."""

    def linked_mail_messages(
        ctx: Context, parent_id: int, start: Start = None, limit: Limit = None
    ) -> LoaderCall[MailKey, OffsetPage[MailMessageRecord]]:
        return mail_resolvers.mail_list_call(ctx, kind, parent_id, start, limit)

    return LinkedList(linked_mail_messages, _mail_of)
