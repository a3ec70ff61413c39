"""Activity reads: arguments -> loaders -> activity records (writes: `activity_writes`)."""

from __future__ import annotations

import asyncio

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.batching import LoaderCall
from pipedrive_graphql.datasources.loading.planner import ListKey
from pipedrive_graphql.datasources.pipedrive.records import ActivityRecord, OffsetPage
from pipedrive_graphql.resolvers.common import found, page_args
from pipedrive_graphql.resolvers.list_filters import NO_FILTERS, ListFilters
from pipedrive_graphql.resolvers.persons import get_person


async def get_activity(ctx: Context, activity_id: int) -> ActivityRecord:
    """One activity by id; NOT_FOUND when absent."""
    record = await ctx.loaders.activity_by_id.load(activity_id)
    return found(record, "activity", activity_id)


def activity_list_call(
    ctx: Context,
    start: int | None,
    limit: int | None,
    *,
    person_id: int | None = None,
    deal_id: int | None = None,
    org_id: int | None = None,
    done: bool | None = None,
    filters: ListFilters = NO_FILTERS,
) -> LoaderCall[ListKey, OffsetPage[ActivityRecord]]:
    """The loader call of a window of activities (`GET /api/v2/activities`) by parent, `done`
    and `filters`; BAD_USER_INPUT for an argument out of range."""
    w = page_args(start, limit)
    params = filters.params(
        "activities", person_id=person_id, deal_id=deal_id, org_id=org_id, done=done
    )
    return LoaderCall(ctx.loaders.activities_where, ListKey.of(w.start, w.limit, **params))


async def person_activities(
    ctx: Context,
    person_id: int,
    start: int | None,
    limit: int | None,
    done: bool | None,
    filters: ListFilters = NO_FILTERS,
) -> OffsetPage[ActivityRecord]:
    """The activities of a person; NOT_FOUND when the person does not exist."""
    listed = activity_list_call(ctx, start, limit, person_id=person_id, done=done, filters=filters)
    # Both go out in the same loader tick; the person check turns an unknown id into NOT_FOUND.
    _, page = await asyncio.gather(get_person(ctx, person_id), listed.load())
    return page
