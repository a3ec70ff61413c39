"""The Person type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.schema import linked_lists as linked
from pipedrive_graphql.schema.common import LabeledValue
from pipedrive_graphql.schema.custom_fields import (
    CustomFieldValue,
    custom_field_field,
    custom_fields_field,
    matched_custom_fields_field,
)
from pipedrive_graphql.schema.fields import to_many, to_one
from pipedrive_graphql.schema.ids import ID_FITS, link_id
from pipedrive_graphql.schema.pagination import Page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.activities import ActivityList
    from pipedrive_graphql.schema.deals import DealList
    from pipedrive_graphql.schema.mail import MailMessageList
    from pipedrive_graphql.schema.notes import NoteList
    from pipedrive_graphql.schema.organizations import Organization
    from pipedrive_graphql.schema.users import User

_ACT = "pipedrive_graphql.schema.activities"
_DEALS = "pipedrive_graphql.schema.deals"
_MAIL = "pipedrive_graphql.schema.mail"
_NOTES = "pipedrive_graphql.schema.notes"
_ORGS = "pipedrive_graphql.schema.organizations"
_USERS = "pipedrive_graphql.schema.users"


@strawberry.type(description="A person: a contact in Pipedrive, usually linked to an organization.")
class Person:
    """A Pipedrive person, read from its `PersonRecord`."""

    id: int = strawberry.field(description="The ID of the person." + ID_FITS)
    name: str = strawberry.field(description="The name of the person.")
    first_name: str | None = strawberry.field(description="The first name of the person.")
    last_name: str | None = strawberry.field(description="The last name of the person.")
    email: str | None = strawberry.field(description="The primary email address of the person.")
    phone: str | None = strawberry.field(description="The primary phone number of the person.")
    emails: list[LabeledValue] = strawberry.field(description="The emails of the person.")
    phones: list[LabeledValue] = strawberry.field(description="The phones of the person.")
    org_id: int | None = strawberry.field(
        description=link_id("The ID of the organization linked to the person.")
    )
    owner_id: int | None = strawberry.field(
        description=link_id("The ID of the user who owns the person.")
    )
    add_time: str | None = strawberry.field(
        description="The creation date and time of the person (ISO 8601 UTC)."
    )
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the person (ISO 8601 UTC)."
    )
    active_flag: bool = strawberry.field(
        description="Whether the person is active (not deleted). Deleted persons are never "
        "served: lists, links and `person` leave them out alike, as v2 `ids=` cannot return them."
    )
    visible_to: int | None = strawberry.field(
        description="The visibility of the person (1, 3, 5 or 7; see Pipedrive's visible_to)."
    )
    custom_fields: list[CustomFieldValue] = custom_fields_field("person")
    custom_field: CustomFieldValue | None = custom_field_field("person")
    matched_custom_fields: list[CustomFieldValue] = matched_custom_fields_field("person")

    organization: Annotated[Organization, strawberry.lazy(_ORGS)] | None = to_one(
        "org_id",
        lambda loaders: loaders.organization_by_id,
        pricing.BY_ID,
        "The organization linked to the person.",
    )
    owner: Annotated[User, strawberry.lazy(_USERS)] | None = to_one(
        "owner_id",
        lambda loaders: loaders.user_by_id,
        pricing.USERS,
        "The user who owns the person.",
    )
    deals: Annotated[DealList, strawberry.lazy(_DEALS)] | None = to_many(
        linked.deals("person_id"), pricing.TO_MANY_V2, "The deals linked to the person."
    )
    activities: Annotated[ActivityList, strawberry.lazy(_ACT)] | None = to_many(
        linked.activities("person_id"),
        pricing.TO_MANY_V2,
        "The activities whose primary participant is the person (Pipedrive's `person_id` "
        "filter); activities where they are another participant are not listed.",
    )
    notes: Annotated[NoteList, strawberry.lazy(_NOTES)] | None = to_many(
        linked.notes("person_id"), pricing.TO_MANY_NOTES, "The notes attached to the person."
    )
    mail_messages: Annotated[MailMessageList, strawberry.lazy(_MAIL)] | None = to_many(
        linked.mail_messages("person"),
        pricing.TO_MANY_MAIL,
        "The mail messages linked to the person.",
    )


@strawberry.type(description="A window of persons.")
class PersonList(Page[Person]):
    """Persons with `hasMore` and `nextStart`, read from an `OffsetPage` of person records."""
