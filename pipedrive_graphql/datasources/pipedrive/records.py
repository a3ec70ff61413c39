"""Frozen typed records: what the Pipedrive client hands to the rest of the server.

Field names follow Pipedrive's v2 names where v2 exists (v1 for notes, users and mail), already
normalised: timestamps are ISO 8601 UTC strings (``2024-05-01T09:30:00Z``), flags are booleans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Generic, TypeVar

from pipedrive_graphql.datasources.pipedrive.record_init import slot_init

T = TypeVar("T")
_NON_SLUG = re.compile(r"[^a-z0-9]+")

# A record's custom field values as Pipedrive sends them in v2 `custom_fields`, by field key:
# JSON scalars, lists and objects whose shape depends on the field type (see custom_fields.py).
CustomValues = Mapping[str, object]
NO_CUSTOM_VALUES: CustomValues = MappingProxyType({})


def _no_custom_values() -> CustomValues:
    return NO_CUSTOM_VALUES


@slot_init
@dataclass(frozen=True, slots=True)
class LabeledValue:
    """One email address or phone number of a person."""

    value: str
    primary: bool
    label: str | None


@slot_init
@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A Pipedrive person (contact)."""

    id: int
    name: str
    first_name: str | None
    last_name: str | None
    owner_id: int | None
    org_id: int | None
    emails: tuple[LabeledValue, ...]
    phones: tuple[LabeledValue, ...]
    add_time: str | None
    update_time: str | None
    is_deleted: bool
    visible_to: int | None
    custom_fields: CustomValues = field(default_factory=_no_custom_values, compare=False)

    @property
    def email(self) -> str | None:
        """The primary email address (None when it is empty); the first when none is primary."""
        return _primary(self.emails)

    @property
    def phone(self) -> str | None:
        """The primary phone number (None when it is empty); the first when none is primary."""
        return _primary(self.phones)

    @property
    def active_flag(self) -> bool:
        """Whether the record is active (not deleted)."""
        return not self.is_deleted


def _primary(values: tuple[LabeledValue, ...]) -> str | None:
    for item in values:
        if item.primary:
            return item.value or None
    return next((item.value for item in values if item.value), None)


@slot_init
@dataclass(frozen=True, slots=True)
class OrganizationRecord:
    """A Pipedrive organization (company)."""

    id: int
    name: str
    owner_id: int | None
    address: str | None
    cc_email: str | None
    is_deleted: bool
    add_time: str | None
    update_time: str | None
    visible_to: int | None
    custom_fields: CustomValues = field(default_factory=_no_custom_values, compare=False)

    @property
    def active_flag(self) -> bool:
        """Whether the record is active (not deleted)."""
        return not self.is_deleted


@slot_init
@dataclass(frozen=True, slots=True)
class DealRecord:
    """A Pipedrive deal."""

    id: int
    title: str
    value: float | None
    currency: str | None
    status: str
    stage_id: int | None
    pipeline_id: int | None
    person_id: int | None
    org_id: int | None
    owner_id: int | None
    expected_close_date: str | None
    won_time: str | None
    lost_time: str | None
    close_time: str | None
    lost_reason: str | None
    add_time: str | None
    update_time: str | None
    stage_change_time: str | None
    probability: float | None
    is_deleted: bool
    is_archived: bool
    visible_to: int | None
    custom_fields: CustomValues = field(default_factory=_no_custom_values, compare=False)


@slot_init
@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    """A person taking part in an activity (v2 `participants[]`: `person_id`, `primary`)."""

    person_id: int | None
    primary: bool


@slot_init
@dataclass(frozen=True, slots=True)
class ActivityRecord:
    """A Pipedrive activity (call, meeting, task, ...)."""

    id: int
    type: str | None
    subject: str | None
    note: str | None
    done: bool
    due_date: str | None
    due_time: str | None
    duration: str | None
    add_time: str | None
    update_time: str | None
    marked_as_done_time: str | None
    deal_id: int | None
    person_id: int | None
    org_id: int | None
    owner_id: int | None
    is_deleted: bool = False
    participants: tuple[ParticipantRecord, ...] = ()


@slot_init
@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A Pipedrive note (v1)."""

    id: int
    content: str
    user_id: int | None
    deal_id: int | None
    person_id: int | None
    org_id: int | None
    lead_id: str | None
    pinned_to_deal_flag: bool
    pinned_to_person_flag: bool
    pinned_to_organization_flag: bool
    active_flag: bool
    add_time: str | None
    update_time: str | None


@slot_init
@dataclass(frozen=True, slots=True)
class PipelineRecord:
    """A Pipedrive sales pipeline."""

    id: int
    name: str
    order_nr: int
    is_deleted: bool
    is_deal_probability_enabled: bool
    add_time: str | None
    update_time: str | None

    @property
    def url_title(self) -> str:
        """The name as a URL slug (`Sales Pipeline` -> `sales-pipeline`): derived here, as v2
        pipelines have no `url_title` (the GraphQL field is deprecated)."""
        return _NON_SLUG.sub("-", self.name.lower()).strip("-")

    @property
    def active(self) -> bool:
        """Whether the pipeline is active (not deleted)."""
        return not self.is_deleted

    @property
    def deal_probability(self) -> bool:
        """Whether deal probability is enabled for the pipeline."""
        return self.is_deal_probability_enabled


@slot_init
@dataclass(frozen=True, slots=True)
class StageRecord:
    """A stage of a pipeline."""

    id: int
    name: str
    pipeline_id: int
    order_nr: int
    is_deleted: bool
    deal_probability: int | None
    is_deal_rot_enabled: bool
    days_to_rotten: int | None
    add_time: str | None
    update_time: str | None

    @property
    def active_flag(self) -> bool:
        """Whether the record is active (not deleted)."""
        return not self.is_deleted

    @property
    def rotten_flag(self) -> bool:
        """Whether deals in the stage can become rotten."""
        return self.is_deal_rot_enabled

    @property
    def rotten_days(self) -> int | None:
        """Days without an update after which a deal in the stage is rotten."""
        return self.days_to_rotten


@slot_init
@dataclass(frozen=True, slots=True)
class UserRecord:
    """A Pipedrive user (owner of records), from v1 /users."""

    id: int
    name: str
    email: str | None
    active_flag: bool
    is_admin: bool
    role_id: int | None
    default_currency: str | None
    locale: str | None
    timezone_name: str | None
    icon_url: str | None
    created: str | None
    modified: str | None
    last_login: str | None
    company_id: int | None = None  # only `/users/me` says which company the credential is in


@slot_init
@dataclass(frozen=True, slots=True)
class MailParty:
    """A sender or recipient of a mail message."""

    email: str
    name: str | None
    linked_person_id: int | None


@slot_init
@dataclass(frozen=True, slots=True)
class MailMessageRecord:
    """A Pipedrive mail message (v1 mailbox)."""

    id: int
    subject: str | None
    snippet: str | None
    body: str | None
    body_url: str | None
    from_: tuple[MailParty, ...]
    to: tuple[MailParty, ...]
    cc: tuple[MailParty, ...]
    bcc: tuple[MailParty, ...]
    mail_thread_id: int | None
    message_time: str | None
    has_attachments: bool
    read: bool
    draft: bool
    # The message object names no deal, person or organization: these are the parent the list
    # was fetched by (None otherwise); the thread (`MailThreadRecord`) has the deal and parties.
    deal_id: int | None
    person_id: int | None
    org_id: int | None
    add_time: str | None
    update_time: str | None

    @property
    def person_or_party_id(self) -> int | None:
        """The linked person, else the first party linked to one (GET by id names no parent)."""
        if self.person_id is not None:
            return self.person_id
        for party in (*self.from_, *self.to, *self.cc, *self.bcc):
            if party.linked_person_id is not None:
                return party.linked_person_id
        return None


@slot_init
@dataclass(frozen=True, slots=True)
class MailThreadRecord:
    """A v1 mail thread: what a message is linked to (its deal, its parties' persons and orgs)."""

    id: int
    deal_id: int | None
    person_ids: tuple[int, ...]
    org_ids: tuple[int, ...]


@slot_init
@dataclass(frozen=True, slots=True)
class CursorPage(Generic[T]):
    """One page of a v2 list: the items and the cursor of the next page (None at the end)."""

    items: tuple[T, ...]
    next_cursor: str | None


@slot_init
@dataclass(frozen=True, slots=True)
class OffsetPage(Generic[T]):
    """A window of a list addressed by offset, the shape every GraphQL list returns."""

    items: tuple[T, ...]
    has_more: bool
    next_start: int | None


@slot_init
@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the id of the matched entity and its relevance."""

    id: int
    result_score: float
    # The custom field values the term matched, as Pipedrive lists them (strings).
    matched_custom_values: tuple[str, ...] = ()
