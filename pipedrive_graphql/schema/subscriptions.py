"""The Subscription root: changes in the account, pushed as Pipedrive's webhooks arrive.

Served over WebSocket (`graphql-transport-ws`) at `/graphql`. Each event carries what the
webhook said (`action`, `changedFields`, `previous`, `occurredAt`) and the record as a graph
object, loaded with the subscriber's own credential through a fresh request context, so its
links batch like any query's and never reuse an earlier event's records.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from enum import Enum
from typing import Annotated, Any, TypeVar, cast

import strawberry
from strawberry.scalars import JSON

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.parse import MAX_GRAPHQL_INT
from pipedrive_graphql.datasources.pipedrive.records import (
    ActivityRecord,
    DealRecord,
    NoteRecord,
    OrganizationRecord,
    PersonRecord,
)
from pipedrive_graphql.execution import prefetched_one
from pipedrive_graphql.live.connection import changes
from pipedrive_graphql.live.events import ChangeEvent
from pipedrive_graphql.pricing import PRICE
from pipedrive_graphql.schema.activities import Activity
from pipedrive_graphql.schema.deals import Deal
from pipedrive_graphql.schema.fields import Info, resolved
from pipedrive_graphql.schema.notes import Note
from pipedrive_graphql.schema.organizations import Organization
from pipedrive_graphql.schema.persons import Person

OWNER = ("owner_id", "user_id")  # v2 names the owner owner_id, v1 user_id
F = TypeVar("F", bound=Callable[..., Any])


def subscription_field(description: str) -> Callable[[F], F]:
    """A Subscription root field; subscribing calls nothing upstream (each event's record
    fields carry their own price)."""
    return cast(
        "Callable[[F], F]",
        strawberry.subscription(description=description, metadata={PRICE: pricing.FREE}),
    )


@strawberry.enum(description="What happened to the record.")
class ChangeAction(Enum):
    """Pipedrive's webhook actions create, change and delete."""

    added = "added"
    changed = "changed"
    deleted = "deleted"


def _action(parent: strawberry.Parent[ChangeEvent]) -> ChangeAction:
    return ChangeAction(parent.action)


def _previous(parent: strawberry.Parent[ChangeEvent]) -> JSON | None:
    return cast("JSON | None", parent.previous)


@strawberry.type(description="What every change event says, from Pipedrive's webhook.")
class ChangeEventFields:
    """The webhook's own fields, read from the `ChangeEvent`; the subclasses add the record."""

    action: ChangeAction = resolved(_action, pricing.FREE, "added, changed or deleted.")
    changed_fields: list[str] = strawberry.field(
        description="Pipedrive's names (snake_case) of the fields this change touched; "
        "empty when the record was added or deleted."
    )
    previous: JSON | None = resolved(
        _previous,
        pricing.FREE,
        "The changed fields' values before the change, as Pipedrive sent them "
        "(on delete: the record's last state; on add: null).",
    )
    occurred_at: str = strawberry.field(
        description="When Pipedrive recorded the change (ISO 8601 UTC)."
    )
    id: int = strawberry.field(
        description="The changed record's ID. A 32-bit GraphQL Int: an event whose record's "
        "Pipedrive id does not fit is not delivered."
    )


async def _deal(parent: strawberry.Parent[ChangeEvent], info: Info) -> DealRecord | None:
    if parent.action == "deleted":
        return None
    return await prefetched_one(info, await info.context.loaders.deal_by_id.load(parent.id))


async def _person(parent: strawberry.Parent[ChangeEvent], info: Info) -> PersonRecord | None:
    if parent.action == "deleted":
        return None
    return await prefetched_one(info, await info.context.loaders.person_by_id.load(parent.id))


async def _organization(
    parent: strawberry.Parent[ChangeEvent], info: Info
) -> OrganizationRecord | None:
    if parent.action == "deleted":
        return None
    loader = info.context.loaders.organization_by_id
    return await prefetched_one(info, await loader.load(parent.id))


async def _activity(parent: strawberry.Parent[ChangeEvent], info: Info) -> ActivityRecord | None:
    if parent.action == "deleted":
        return None
    loader = info.context.loaders.activity_by_id
    return await prefetched_one(info, await loader.load(parent.id))


async def _note(parent: strawberry.Parent[ChangeEvent], info: Info) -> NoteRecord | None:
    return await prefetched_one(info, await info.context.loaders.note_by_id.load(parent.id))


@strawberry.type(description="A deal was added, changed or deleted.")
class DealEvent(ChangeEventFields):
    """`dealChanged`'s event."""

    deal: Deal | None = resolved(_deal, pricing.GET_DEAL, "The deal now (null once deleted).")


@strawberry.type(description="A person was added, changed or deleted.")
class PersonEvent(ChangeEventFields):
    """`personChanged`'s event."""

    person: Person | None = resolved(_person, pricing.GET_V2, "The person now (null once deleted).")


@strawberry.type(description="An organization was added, changed or deleted.")
class OrganizationEvent(ChangeEventFields):
    """`organizationChanged`'s event."""

    organization: Organization | None = resolved(
        _organization, pricing.GET_V2, "The organization now (null once deleted)."
    )


@strawberry.type(description="An activity was added, changed or deleted.")
class ActivityEvent(ChangeEventFields):
    """`activityChanged`'s event."""

    activity: Activity | None = resolved(
        _activity, pricing.GET_V2, "The activity now (null once deleted)."
    )


@strawberry.type(description="A note was added.")
class NoteEvent(ChangeEventFields):
    """`noteAdded`'s event."""

    note: Note | None = resolved(_note, pricing.GET_NOTE, "The note.")


def _events(
    info: Info, entity: str, wanted: Callable[[ChangeEvent], bool]
) -> AsyncGenerator[Any, None]:
    """The connection's `entity` events as the event types read them: each type takes the
    `ChangeEvent` record itself as its parent, as every type here reads its record. An event
    whose record id does not fit GraphQL's 32-bit `Int` is not delivered (its `id` could not be
    sent)."""

    def deliverable(e: ChangeEvent) -> bool:
        return e.entity_id <= MAX_GRAPHQL_INT and wanted(e)

    return changes(info.context, entity, deliverable)


def _id(what: str) -> object:
    return strawberry.argument(description=f"Only events of this {what} (now or before).")


@strawberry.type(
    description="Live changes in the account, pushed over WebSocket (graphql-transport-ws) as "
    "Pipedrive's webhooks arrive."
)
class Subscription:
    """Live changes, from Pipedrive's webhooks (see `pipedrive-graphql webhooks register`)."""

    @subscription_field("Deals added, changed or deleted.")
    def deal_changed(
        self,
        info: Info,
        deal_id: Annotated[int | None, _id("deal")] = None,
        pipeline_id: Annotated[int | None, _id("pipeline")] = None,
        owner_id: Annotated[int | None, _id("owner (user ID)")] = None,
    ) -> AsyncGenerator[DealEvent, None]:
        def wanted(e: ChangeEvent) -> bool:
            return deal_id in (None, e.entity_id) and e.matches(
                pipeline=(pipeline_id, ("pipeline_id",)), owner=(owner_id, OWNER)
            )

        return _events(info, "deal", wanted)

    @subscription_field("Persons added, changed or deleted.")
    def person_changed(
        self,
        info: Info,
        person_id: Annotated[int | None, _id("person")] = None,
        org_id: Annotated[int | None, _id("organization")] = None,
    ) -> AsyncGenerator[PersonEvent, None]:
        def wanted(e: ChangeEvent) -> bool:
            return person_id in (None, e.entity_id) and e.matches(org=(org_id, ("org_id",)))

        return _events(info, "person", wanted)

    @subscription_field("Organizations added, changed or deleted.")
    def organization_changed(
        self, info: Info, org_id: Annotated[int | None, _id("organization")] = None
    ) -> AsyncGenerator[OrganizationEvent, None]:
        def wanted(e: ChangeEvent) -> bool:
            return org_id in (None, e.entity_id)

        return _events(info, "organization", wanted)

    @subscription_field("Activities added, changed or deleted.")
    def activity_changed(
        self,
        info: Info,
        person_id: Annotated[int | None, _id("person")] = None,
        deal_id: Annotated[int | None, _id("deal")] = None,
        owner_id: Annotated[int | None, _id("owner (user ID)")] = None,
    ) -> AsyncGenerator[ActivityEvent, None]:
        def wanted(e: ChangeEvent) -> bool:
            return e.matches(
                person=(person_id, ("person_id",)),
                deal=(deal_id, ("deal_id",)),
                owner=(owner_id, OWNER),
            )

        return _events(info, "activity", wanted)

    @subscription_field("Notes added (to a deal, person or organization).")
    def note_added(
        self,
        info: Info,
        deal_id: Annotated[int | None, _id("deal")] = None,
        person_id: Annotated[int | None, _id("person")] = None,
        org_id: Annotated[int | None, _id("organization")] = None,
    ) -> AsyncGenerator[NoteEvent, None]:
        def wanted(e: ChangeEvent) -> bool:
            return e.action == "added" and e.matches(
                deal=(deal_id, ("deal_id",)),
                person=(person_id, ("person_id",)),
                org=(org_id, ("org_id",)),
            )

        return _events(info, "note", wanted)
