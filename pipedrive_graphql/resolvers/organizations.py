"""Organization reads: arguments -> loaders -> organization records."""

from __future__ import annotations

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.pipedrive.records import OffsetPage, OrganizationRecord
from pipedrive_graphql.resolvers.common import found, page_args, search_term
from pipedrive_graphql.resolvers.list_filters import NO_FILTERS, ListFilters
from pipedrive_graphql.resolvers.search_args import ANY_MATCH, SearchArgs


async def get_organization(ctx: Context, org_id: int) -> OrganizationRecord:
    """One organization by id; NOT_FOUND when absent."""
    record = await ctx.loaders.organization_by_id.load(org_id)
    return found(record, "organization", org_id)


async def list_organizations(
    ctx: Context, start: int | None, limit: int | None, filters: ListFilters = NO_FILTERS
) -> OffsetPage[OrganizationRecord]:
    """A window of organizations (`GET /api/v2/organizations`) matching `filters`."""
    w = page_args(start, limit)
    key = ListKey.of(w.start, w.limit, **filters.params("organizations"))
    return await ctx.loaders.organizations_where.load(key)


async def search_organizations(
    ctx: Context,
    term: str,
    start: int | None,
    limit: int | None,
    search: SearchArgs = ANY_MATCH,
) -> OffsetPage[OrganizationRecord]:
    """Organizations matching a term (name, address, notes), hydrated in one batch."""
    checked = search_term(term, exact=bool(search.exact_match))
    w = page_args(start, limit)
    options = search.options("organizations")
    hits = await ctx.loaders.search_organizations(checked, w.start, w.limit, options)
    records = await ctx.loaders.organization_by_id.load_many([hit.id for hit in hits.items])
    return OffsetPage(tuple(r for r in records if r is not None), hits.has_more, hits.next_start)
