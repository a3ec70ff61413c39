"""The Activity type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.pricing import PRICE
from pipedrive_graphql.schema.fields import to_one
from pipedrive_graphql.schema.ids import ID_FITS, link_id
from pipedrive_graphql.schema.pagination import Page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.deals import Deal
    from pipedrive_graphql.schema.organizations import Organization
    from pipedrive_graphql.schema.persons import Person
    from pipedrive_graphql.schema.users import User

_DEALS = "pipedrive_graphql.schema.deals"
_ORGS = "pipedrive_graphql.schema.organizations"
_PERSONS = "pipedrive_graphql.schema.persons"
_USERS = "pipedrive_graphql.schema.users"


@strawberry.type(description="A person taking part in an activity.")
class ActivityParticipant:
    """One of an activity's participants, read from its `ParticipantRecord`."""

    person_id: int | None = strawberry.field(
        description=link_id("The ID of the participating person.")
    )
    primary: bool = strawberry.field(
        description="Whether this is the primary participant (the activity's `personId`)."
    )
    person: Annotated[Person, strawberry.lazy(_PERSONS)] | None = to_one(
        "person_id",
        lambda loaders: loaders.person_by_id,
        pricing.BY_ID,
        "The participating person (batched with every other person link of the level).",
    )


@strawberry.type(description="An activity: a call, meeting, task or other scheduled action.")
class Activity:
    """A Pipedrive activity, read from its `ActivityRecord`."""

    id: int = strawberry.field(description="The ID of the activity." + ID_FITS)
    type: str | None = strawberry.field(description="The type of the activity.")
    subject: str | None = strawberry.field(description="The subject of the activity.")
    note: str | None = strawberry.field(
        description='The note of the activity (HTML); null when it has none (Pipedrive sends "").',
    )
    done: bool = strawberry.field(description="Whether the activity is marked as done or not.")
    due_date: str | None = strawberry.field(description="The due date of the activity.")
    due_time: str | None = strawberry.field(
        description="The due time of the activity (UTC); null for an all-day activity"
        ' (Pipedrive sends "").'
    )
    duration: str | None = strawberry.field(
        description='The duration of the activity; null when not set (Pipedrive sends "").'
    )
    add_time: str | None = strawberry.field(
        description="The creation date and time of the activity."
    )
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the activity."
    )
    marked_as_done_time: str | None = strawberry.field(
        description="The date and time when the activity was marked as done."
    )
    deal_id: int | None = strawberry.field(
        description=link_id("The ID of the deal linked to the activity.")
    )
    person_id: int | None = strawberry.field(
        description=link_id("The ID of the person linked to the activity.")
    )
    org_id: int | None = strawberry.field(
        description=link_id("The ID of the organization linked to the activity.")
    )
    owner_id: int | None = strawberry.field(
        description=link_id("The ID of the user who owns the activity.")
    )

    deal: Annotated[Deal, strawberry.lazy(_DEALS)] | None = to_one(
        "deal_id",
        lambda loaders: loaders.deal_by_id,
        pricing.DEAL_BY_ID,
        "The deal linked to the activity.",
    )
    person: Annotated[Person, strawberry.lazy(_PERSONS)] | None = to_one(
        "person_id",
        lambda loaders: loaders.person_by_id,
        pricing.BY_ID,
        "The person linked to the activity.",
    )
    organization: Annotated[Organization, strawberry.lazy(_ORGS)] | None = to_one(
        "org_id",
        lambda loaders: loaders.organization_by_id,
        pricing.BY_ID,
        "The organization linked to the activity.",
    )
    owner: Annotated[User, strawberry.lazy(_USERS)] | None = to_one(
        "owner_id",
        lambda loaders: loaders.user_by_id,
        pricing.USERS,
        "The user who owns the activity.",
    )
    participants: list[ActivityParticipant] = strawberry.field(
        description=(
            "Every person taking part in the activity, the primary one marked (`personId` "
            "names only the primary). Estimated at up to 10 per activity."
        ),
        metadata={PRICE: pricing.PARTICIPANTS},
    )


@strawberry.type(description="A window of activities.")
class ActivityList(Page[Activity]):
    """Activitys with `hasMore` and `nextStart`, read from an `OffsetPage` of records."""
