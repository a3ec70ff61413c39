"""The MailMessage type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql.datasources.records import MailMessageRecord, MailParty, OffsetPage
from pipedrive_graphql.schema.common import Info, resolved_field
from pipedrive_graphql.schema.links import follow
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
    """An email address with its display name."""

    email: str = strawberry.field(description="The email address.")
    name: str | None = strawberry.field(description="The display name.")
    linked_person_id: int | None = strawberry.field(
        description="The ID of the person this address is linked to."
    )


def _parties(parties: tuple[MailParty, ...]) -> list[MailAddress]:
    return [
        MailAddress(email=p.email, name=p.name, linked_person_id=p.linked_person_id)
        for p in parties
    ]


def _linked_person(r: MailMessageRecord) -> int | None:
    """The first party linked to a person: GET by id names no parent, the parties do."""
    for party in (*r.from_, *r.to, *r.cc, *r.bcc):
        if party.linked_person_id is not None:
            return party.linked_person_id
    return None


@strawberry.type(description="A mail message synced to Pipedrive's mailbox.")
class MailMessage:
    """A Pipedrive mail message with its scalar fields copied from the record."""

    record: strawberry.Private[MailMessageRecord]
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
    person_id: int | None = strawberry.field(
        description="The ID of the linked person (else the first party linked to a person)."
    )
    org_id: int | None = strawberry.field(description="The ID of the linked organization.")
    add_time: str | None = strawberry.field(
        description="The insertion time of the mail message into the database."
    )
    update_time: str | None = strawberry.field(
        description="The update time of the mail message in the database."
    )

    @classmethod
    def from_record(cls, r: MailMessageRecord) -> MailMessage:
        """Wrap a mail message record."""
        return cls(
            record=r,
            id=r.id,
            subject=r.subject,
            snippet=r.snippet,
            body=r.body,
            body_url=r.body_url,
            from_=_parties(r.from_),
            to=_parties(r.to),
            cc=_parties(r.cc),
            bcc=_parties(r.bcc),
            mail_thread_id=r.mail_thread_id,
            message_time=r.message_time,
            has_attachments=r.has_attachments,
            read=r.read,
            draft=r.draft,
            deal_id=r.deal_id,
            person_id=r.person_id if r.person_id is not None else _linked_person(r),
            org_id=r.org_id,
            add_time=r.add_time,
            update_time=r.update_time,
        )

    @resolved_field("The deal linked to the mail message.")
    def deal(self, info: Info) -> Annotated[Deal, strawberry.lazy(_DEALS)] | None:
        from pipedrive_graphql.schema.deals import Deal

        return follow(info.context, self, "MailMessage", "deal", Deal.from_record)

    @resolved_field("The person linked to the mail message.")
    def person(self, info: Info) -> Annotated[Person, strawberry.lazy(_PERSONS)] | None:
        from pipedrive_graphql.schema.persons import Person

        return follow(info.context, self, "MailMessage", "person", Person.from_record)

    @resolved_field("The organization linked to the mail message.")
    def organization(self, info: Info) -> Annotated[Organization, strawberry.lazy(_ORGS)] | None:
        from pipedrive_graphql.schema.organizations import Organization

        return follow(info.context, self, "MailMessage", "organization", Organization.from_record)


@strawberry.type(description="A window of mail messages.")
class MailMessageList(Page[MailMessage]):
    """Mail messages with `hasMore` and `nextStart`."""

    @classmethod
    def from_page(cls, page: OffsetPage[MailMessageRecord]) -> MailMessageList:
        """Wrap an offset page of mail message records."""
        return cls(
            results=[MailMessage.from_record(r) for r in page.items],
            has_more=page.has_more,
            next_start=page.next_start,
        )
