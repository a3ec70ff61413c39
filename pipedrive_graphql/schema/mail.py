"""The MailMessage type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.schema.fields import to_one
from pipedrive_graphql.schema.pagination import Page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.deals import Deal
    from pipedrive_graphql.schema.organizations import Organization
    from pipedrive_graphql.schema.persons import Person

_DEALS = "pipedrive_graphql.schema.deals"
_ORGS = "pipedrive_graphql.schema.organizations"
_PERSONS = "pipedrive_graphql.schema.persons"


@strawberry.type(description="A sender or recipient of a mail message.")
class MailAddress:
    """An email address with its display name, read from `records.MailParty`."""

    email: str = strawberry.field(description="The email address.")
    name: str | None = strawberry.field(description="The display name.")
    linked_person_id: int | None = strawberry.field(
        description="The ID of the person this address is linked to."
    )


@strawberry.type(description="A mail message synced to Pipedrive's mailbox.")
class MailMessage:
    """A Pipedrive mail message, read from its `MailMessageRecord`."""

    id: int = strawberry.field(description="ID of the mail message.")
    subject: str | None = strawberry.field(description="The subject of the mail message.")
    snippet: str | None = strawberry.field(
        description="The snippet of the mail message, up to 225 characters."
    )
    body: str | None = strawberry.field(description="The mail message body content, if present.")
    body_url: str | None = strawberry.field(description="The mail message body URL.")
    from_: list[MailAddress] = strawberry.field(name="from", description="The senders.")
    to: list[MailAddress] = strawberry.field(description="The receivers.")
    cc: list[MailAddress] = strawberry.field(description="The copy receivers.")
    bcc: list[MailAddress] = strawberry.field(description="The blind copy receivers.")
    mail_thread_id: int | None = strawberry.field(description="ID of the mail message thread.")
    message_time: str | None = strawberry.field(
        description="Creation or receival time of the mail message."
    )
    has_attachments: bool = strawberry.field(
        description="Whether the mail message has an attachment or not."
    )
    read: bool = strawberry.field(description="Whether the mail message is read by the user.")
    draft: bool = strawberry.field(description="Whether the mail message is a draft.")
    deal_id: int | None = strawberry.field(description="The ID of the linked deal.")
    person_or_party_id: int | None = strawberry.field(
        name="personId",
        description="The ID of the linked person (else the first party linked to a person).",
    )
    org_id: int | None = strawberry.field(description="The ID of the linked organization.")
    add_time: str | None = strawberry.field(
        description="The insertion time of the mail message into the database."
    )
    update_time: str | None = strawberry.field(
        description="The update time of the mail message in the database."
    )

    deal: Annotated[Deal, strawberry.lazy(_DEALS)] | None = to_one(
        "deal_id",
        lambda loaders: loaders.deal_by_id,
        pricing.BY_ID,
        "The deal linked to the mail message.",
    )
    person: Annotated[Person, strawberry.lazy(_PERSONS)] | None = to_one(
        "person_or_party_id",
        lambda loaders: loaders.person_by_id,
        pricing.BY_ID,
        "The person linked to the mail message.",
    )
    organization: Annotated[Organization, strawberry.lazy(_ORGS)] | None = to_one(
        "org_id",
        lambda loaders: loaders.organization_by_id,
        pricing.BY_ID,
        "The organization linked to the mail message.",
    )


@strawberry.type(description="A window of mail messages.")
class MailMessageList(Page[MailMessage]):
    """MailMessages with `hasMore` and `nextStart`, read from an `OffsetPage` of records."""
