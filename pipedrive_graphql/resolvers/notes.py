"""Note reads and writes (v1): arguments -> loaders / client -> note records."""

from __future__ import annotations

import re

from strawberry.types.unset import UnsetType

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.batching import LoaderCall
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.pipedrive.inputs import UNSET, NoteInput, Unset
from pipedrive_graphql.datasources.pipedrive.records import NoteRecord, OffsetPage
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.common import changes, found, given, not_null, page_args
from pipedrive_graphql.resolvers.echo import shown

SORT_FIELDS = (
    "id",
    "user_id",
    "deal_id",
    "person_id",
    "org_id",
    "content",
    "add_time",
    "update_time",
)
_SORT_PART = re.compile(r"^\s*(\w+)(?:\s+(ASC|DESC))?\s*$", re.IGNORECASE)


def _sort(value: str) -> str:
    """Check Pipedrive's v1 `field ASC, field DESC` sort over the fields notes support."""
    for part in value.split(","):
        match = _SORT_PART.match(part)
        if match is None or match.group(1) not in SORT_FIELDS:
            raise BadUserInputError(
                f"sort must look like 'add_time DESC' over {', '.join(SORT_FIELDS)}; "
                f"got {shown(value)}"
            )
    return value


async def get_note(ctx: Context, note_id: int) -> NoteRecord:
    """One note by id; NOT_FOUND when absent."""
    return found(await ctx.loaders.note_by_id.load(note_id), "note", note_id)


def note_list_call(
    ctx: Context,
    start: int | None,
    limit: int | None,
    *,
    deal_id: int | None = None,
    person_id: int | None = None,
    org_id: int | None = None,
    sort: str | None = None,
) -> LoaderCall[ListKey, OffsetPage[NoteRecord]]:
    """The loader call of a window of notes (`GET /api/v1/notes`), optionally of one deal,
    person or organization, sorted; BAD_USER_INPUT for an argument out of range."""
    w = page_args(start, limit)
    key = ListKey.of(
        w.start,
        w.limit,
        deal_id=deal_id,
        person_id=person_id,
        org_id=org_id,
        sort=None if sort is None else _sort(sort),
    )
    return LoaderCall(ctx.loaders.notes_where, key)


def _written(ctx: Context, record: NoteRecord) -> NoteRecord:
    """Forget what the write changed, then remember the note as Pipedrive returned it."""
    ctx.loaders.clear_note(record.id)
    ctx.loaders.note_by_id.prime(record.id, record)
    return record


def _flag(value: bool | UnsetType | None) -> bool | Unset:
    # A pin flag given as null means "not pinned": Pipedrive has no third state.
    return UNSET if isinstance(value, UnsetType) else bool(value)


async def create_note(
    ctx: Context,
    *,
    content: str,
    deal_id: int | UnsetType | None,
    person_id: int | UnsetType | None,
    org_id: int | UnsetType | None,
    pinned_to_deal_flag: bool | UnsetType | None,
    pinned_to_person_flag: bool | UnsetType | None,
    pinned_to_organization_flag: bool | UnsetType | None,
) -> NoteRecord:
    """Create a note (v1 `POST /notes`) attached to a deal, person or organization."""
    parents = (deal_id, person_id, org_id)
    if all(p is None or isinstance(p, UnsetType) for p in parents):
        raise BadUserInputError("a note needs one of dealId, personId or orgId")
    data = NoteInput(
        content=content,
        deal_id=given(deal_id),
        person_id=given(person_id),
        org_id=given(org_id),
        pinned_to_deal_flag=_flag(pinned_to_deal_flag),
        pinned_to_person_flag=_flag(pinned_to_person_flag),
        pinned_to_organization_flag=_flag(pinned_to_organization_flag),
    )
    return _written(ctx, await ctx.client.add_note(data))


async def update_note(
    ctx: Context,
    note_id: int,
    *,
    content: str | UnsetType | None,
    pinned_to_deal_flag: bool | UnsetType | None,
    pinned_to_person_flag: bool | UnsetType | None,
    pinned_to_organization_flag: bool | UnsetType | None,
) -> NoteRecord:
    """Update a note (v1 `PUT /notes/{id}`); only the given arguments are sent."""
    data = NoteInput(
        content=not_null("content", content),
        pinned_to_deal_flag=_flag(pinned_to_deal_flag),
        pinned_to_person_flag=_flag(pinned_to_person_flag),
        pinned_to_organization_flag=_flag(pinned_to_organization_flag),
    )
    return _written(ctx, await ctx.client.update_note(note_id, changes(data)))
