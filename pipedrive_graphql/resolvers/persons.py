"""Person reads and writes: arguments -> loaders / client -> person records."""

from __future__ import annotations

from collections.abc import Mapping

from strawberry.types.unset import UnsetType

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.batching import LoaderCall
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.pipedrive.inputs import UNSET, PersonInput, Unset
from pipedrive_graphql.datasources.pipedrive.records import LabeledValue, OffsetPage, PersonRecord
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.common import (
    changes,
    found,
    given,
    not_null,
    page_args,
    search_term,
)
from pipedrive_graphql.resolvers.custom_fields import remember_search_matches
from pipedrive_graphql.resolvers.list_filters import NO_FILTERS, ListFilters
from pipedrive_graphql.resolvers.search_args import ANY_MATCH, SearchArgs

DEFAULT_LABEL = "work"


async def get_person(ctx: Context, person_id: int) -> PersonRecord:
    """One person by id; NOT_FOUND when absent."""
    return found(await ctx.loaders.person_by_id.load(person_id), "person", person_id)


def person_list_call(
    ctx: Context,
    start: int | None,
    limit: int | None,
    *,
    org_id: int | None = None,
    deal_id: int | None = None,
    filters: ListFilters = NO_FILTERS,
) -> LoaderCall[ListKey, OffsetPage[PersonRecord]]:
    """The loader call of a window of persons (`GET /api/v2/persons`), by organization, deal
    and `filters`; BAD_USER_INPUT for an argument out of range."""
    w = page_args(start, limit)
    params = filters.params("persons", org_id=org_id, deal_id=deal_id)
    return LoaderCall(ctx.loaders.persons_where, ListKey.of(w.start, w.limit, **params))


async def search_persons(
    ctx: Context,
    term: str,
    start: int | None,
    limit: int | None,
    search: SearchArgs = ANY_MATCH,
) -> OffsetPage[PersonRecord]:
    """Persons matching a term (name, email, phone, notes), hydrated in one batch."""
    checked = search_term(term, exact=bool(search.exact_match))
    w = page_args(start, limit)
    options = search.options("persons")
    hits = await ctx.loaders.search_persons(checked, w.start, w.limit, options)
    remember_search_matches(ctx, "person", hits.items)
    records = await ctx.loaders.person_by_id.load_many([hit.id for hit in hits.items])
    return OffsetPage(tuple(r for r in records if r is not None), hits.has_more, hits.next_start)


def _written(ctx: Context, record: PersonRecord) -> PersonRecord:
    """Forget what the write changed, then remember the person as Pipedrive returned it."""
    ctx.loaders.clear_person(record.id)
    ctx.loaders.person_by_id.prime(record.id, record)
    return record


def _replace_primary(
    current: tuple[LabeledValue, ...], value: str | None
) -> tuple[LabeledValue, ...]:
    """Swap the primary entry for `value` (None drops it) and keep every other address.

    Pipedrive may send a primary entry whose value is empty, or no entry marked primary: then
    there is no primary to replace, and `value` is added as the primary ahead of the others.
    Entries with an empty value are not addresses and are not sent back.
    """
    primary = next((v for v in current if v.primary and v.value), None)
    others = tuple(
        LabeledValue(v.value, False, v.label)
        for v in current
        if v is not primary and v.value and v.value != value
    )
    if value is None:
        if not others:
            return ()
        first = others[0]
        return (LabeledValue(first.value, True, first.label), *others[1:])
    label = primary.label if primary is not None and primary.label else DEFAULT_LABEL
    return (LabeledValue(value, True, label), *others)


def _not_blank(name: str, value: str | UnsetType | None) -> None:
    """An empty address is no address: Pipedrive would store it as the primary entry."""
    if isinstance(value, str) and not value.strip():
        raise BadUserInputError(f"{name} cannot be empty: give an address, or null to remove it")


def _new_values(value: str | UnsetType | None) -> tuple[LabeledValue, ...] | Unset:
    if isinstance(value, UnsetType):
        return UNSET
    return () if value is None else (LabeledValue(value, True, DEFAULT_LABEL),)


async def add_person(
    ctx: Context,
    *,
    name: str,
    email: str | UnsetType | None,
    phone: str | UnsetType | None,
    org_id: int | UnsetType | None,
    owner_id: int | UnsetType | None,
    visible_to: int | UnsetType | None,
    custom_fields: Mapping[str, object] | Unset = UNSET,
) -> PersonRecord:
    """Create a person; email and phone become the primary entries of v2 `emails`/`phones`.

    An empty (or blank) email or phone is a BAD_USER_INPUT, refused before anything is sent.
    """
    _not_blank("email", email)
    _not_blank("phone", phone)
    data = PersonInput(
        name=name,
        emails=_new_values(email),
        phones=_new_values(phone),
        org_id=given(org_id),
        owner_id=given(owner_id),
        visible_to=given(visible_to),
        custom_fields=custom_fields,
    )
    return _written(ctx, await ctx.client.add_person(data))


async def update_person(
    ctx: Context,
    person_id: int,
    *,
    name: str | UnsetType | None,
    email: str | UnsetType | None,
    phone: str | UnsetType | None,
    org_id: int | UnsetType | None,
    owner_id: int | UnsetType | None,
    custom_fields: Mapping[str, object] | Unset = UNSET,
) -> PersonRecord:
    """Patch a person; a new email or phone replaces the primary one and keeps the others.

    Null removes the primary entry (the next one becomes primary); an empty (or blank) string
    is a BAD_USER_INPUT, refused before anything is read or sent.
    """
    _not_blank("email", email)
    _not_blank("phone", phone)
    emails: tuple[LabeledValue, ...] | Unset = UNSET
    phones: tuple[LabeledValue, ...] | Unset = UNSET
    if not isinstance(email, UnsetType) or not isinstance(phone, UnsetType):
        current = await get_person(ctx, person_id)
        if not isinstance(email, UnsetType):
            emails = _replace_primary(current.emails, email)
        if not isinstance(phone, UnsetType):
            phones = _replace_primary(current.phones, phone)
    data = PersonInput(
        name=not_null("name", name),
        emails=emails,
        phones=phones,
        org_id=given(org_id),
        owner_id=given(owner_id),
        custom_fields=custom_fields,
    )
    return _written(ctx, await ctx.client.update_person(person_id, changes(data)))
