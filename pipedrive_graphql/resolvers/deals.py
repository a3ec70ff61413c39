"""Deal reads and writes: arguments -> loaders / client -> deal records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from strawberry.types.unset import UnsetType

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.batching import LoaderCall
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.pipedrive.inputs import UNSET, DealInput, Unset
from pipedrive_graphql.datasources.pipedrive.records import DealRecord, OffsetPage
from pipedrive_graphql.resolvers.common import (
    changes,
    date,
    deal_status,
    deal_statuses,
    found,
    given,
    not_null,
    page_args,
    search_term,
)
from pipedrive_graphql.resolvers.custom_fields import remember_search_matches
from pipedrive_graphql.resolvers.list_filters import NO_FILTERS, ListFilters
from pipedrive_graphql.resolvers.search_args import ANY_MATCH, SearchArgs


async def get_deal(ctx: Context, deal_id: int) -> DealRecord:
    """One deal by id; NOT_FOUND when absent."""
    return found(await ctx.loaders.deal_by_id.load(deal_id), "deal", deal_id)


def deal_list_call(
    ctx: Context,
    start: int | None,
    limit: int | None,
    *,
    person_id: int | None = None,
    org_id: int | None = None,
    stage_id: int | None = None,
    pipeline_id: int | None = None,
    status: str | None = None,
    filters: ListFilters = NO_FILTERS,
    archived: bool = False,
) -> LoaderCall[ListKey, OffsetPage[DealRecord]]:
    """The loader call of a window of deals, filtered by parent, status and `filters`;
    BAD_USER_INPUT for an argument out of range.

    `archived`: the archived deals (`GET /api/v2/deals/archived`) instead of the others
    (`GET /api/v2/deals` lists "all not archived deals").
    """
    w = page_args(start, limit)
    params = filters.params(
        "deals",
        person_id=person_id,
        org_id=org_id,
        stage_id=stage_id,
        pipeline_id=pipeline_id,
        status=None if status is None else deal_statuses(status),
    )
    lists = ctx.loaders.archived_deals_where if archived else ctx.loaders.deals_where
    return LoaderCall(lists, ListKey.of(w.start, w.limit, **params))


async def search_deals(
    ctx: Context,
    term: str,
    start: int | None,
    limit: int | None,
    search: SearchArgs = ANY_MATCH,
) -> OffsetPage[DealRecord]:
    """Deals matching a term (title, notes, custom fields), hydrated in one batch."""
    checked = search_term(term, exact=bool(search.exact_match))
    w = page_args(start, limit)
    options = search.options("deals")
    hits = await ctx.loaders.search_deals(checked, w.start, w.limit, options)
    remember_search_matches(ctx, "deal", hits.items)
    records = await ctx.loaders.deal_by_id.load_many([hit.id for hit in hits.items])
    return OffsetPage(tuple(r for r in records if r is not None), hits.has_more, hits.next_start)


def _written(ctx: Context, record: DealRecord) -> DealRecord:
    """Forget what the write changed, then remember the deal as Pipedrive returned it."""
    ctx.loaders.clear_deal(record.id)
    ctx.loaders.deal_by_id.prime(record.id, record)
    ctx.deal_scans.clear()  # analytics later in this request must see the write
    return record


def _status(value: str | UnsetType | None) -> str | Unset:
    checked = not_null("status", value)
    return checked if isinstance(checked, Unset) else deal_status(checked)


def _close_date(value: str | UnsetType | None) -> str | Unset | None:
    return UNSET if isinstance(value, UnsetType) else date("expectedCloseDate", value)


def currency_of(
    ctx: Context, currency: str | UnsetType | None, *, deal_id: int | None = None
) -> Callable[[], Awaitable[str | None]]:
    """The currency a bare monetary custom value takes: the write's, else the deal's own."""

    async def read() -> str | None:
        if isinstance(currency, str):
            return currency
        if deal_id is None:
            return None
        return (await get_deal(ctx, deal_id)).currency

    return read


async def create_deal(
    ctx: Context,
    *,
    title: str,
    value: float | UnsetType | None,
    currency: str | UnsetType | None,
    person_id: int | UnsetType | None,
    org_id: int | UnsetType | None,
    stage_id: int | UnsetType | None,
    status: str | UnsetType | None,
    expected_close_date: str | UnsetType | None,
    custom_fields: Mapping[str, object] | Unset = UNSET,
) -> DealRecord:
    """Create a deal (v2 `POST /deals`)."""
    data = DealInput(
        title=title,
        value=given(value),
        currency=given(currency),
        person_id=given(person_id),
        org_id=given(org_id),
        stage_id=given(stage_id),
        status=_status(status),
        expected_close_date=_close_date(expected_close_date),
        custom_fields=custom_fields,
    )
    return _written(ctx, await ctx.client.add_deal(data))


async def update_deal(
    ctx: Context,
    deal_id: int,
    *,
    title: str | UnsetType | None,
    value: float | UnsetType | None,
    currency: str | UnsetType | None,
    person_id: int | UnsetType | None,
    org_id: int | UnsetType | None,
    stage_id: int | UnsetType | None,
    status: str | UnsetType | None,
    expected_close_date: str | UnsetType | None,
    lost_reason: str | UnsetType | None,
    custom_fields: Mapping[str, object] | Unset = UNSET,
) -> DealRecord:
    """Patch a deal (v2 `PATCH /deals/{id}`); only the given arguments are sent."""
    data = DealInput(
        title=not_null("title", title),
        value=given(value),
        currency=given(currency),
        person_id=given(person_id),
        org_id=given(org_id),
        stage_id=not_null("stageId", stage_id),
        status=_status(status),
        expected_close_date=_close_date(expected_close_date),
        lost_reason=given(lost_reason),
        custom_fields=custom_fields,
    )
    return _written(ctx, await ctx.client.update_deal(deal_id, changes(data)))
