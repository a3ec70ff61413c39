"""Root reads of the CRM surface: organization and activity lists, organization search, users."""

from __future__ import annotations

from typing import Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.records import (
    ActivityRecord,
    OffsetPage,
    OrganizationRecord,
    UserRecord,
)
from pipedrive_graphql.execution import prefetched_one, prefetched_page
from pipedrive_graphql.resolvers import activities, organizations, users
from pipedrive_graphql.schema.activities import Activity, ActivityList
from pipedrive_graphql.schema.arguments import Done, Limit, Start, Term
from pipedrive_graphql.schema.fields import Info, resolved
from pipedrive_graphql.schema.list_arguments import (
    ActivitySort,
    Direction,
    ExactMatch,
    FilterId,
    OwnerFilter,
    SearchFields,
    Sort,
    UpdatedSince,
    UpdatedUntil,
    list_filters,
    search_args,
)
from pipedrive_graphql.schema.organizations import OrganizationList
from pipedrive_graphql.schema.pagination import served
from pipedrive_graphql.schema.users import User, UserList


def _id(what: str) -> object:
    return strawberry.argument(description=f"The ID of the {what}.")


async def _organizations(
    info: Info,
    start: Start = None,
    limit: Limit = None,
    owner_id: OwnerFilter = None,
    filter_id: FilterId = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: Sort = None,
    sort_direction: Direction = None,
) -> OffsetPage[OrganizationRecord]:
    filters = list_filters(
        owner_id=owner_id,
        filter_id=filter_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )
    page = await organizations.list_organizations(info.context, start, limit, filters)
    return await prefetched_page(info, page)


async def _activities(
    info: Info,
    start: Start = None,
    limit: Limit = None,
    owner_id: OwnerFilter = None,
    deal_id: Annotated[int | None, _id("deal whose activities to list")] = None,
    person_id: Annotated[int | None, _id("primary participant")] = None,
    org_id: Annotated[int | None, _id("organization whose activities to list")] = None,
    done: Done = None,
    filter_id: FilterId = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: ActivitySort = None,
    sort_direction: Direction = None,
) -> OffsetPage[ActivityRecord]:
    filters = list_filters(
        owner_id=owner_id,
        filter_id=filter_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )
    page = await activities.activity_list_call(
        info.context,
        start,
        limit,
        deal_id=deal_id,
        person_id=person_id,
        org_id=org_id,
        done=done,
        filters=filters,
    ).load()
    return await prefetched_page(info, page)


async def _search_organizations(
    info: Info,
    term: Term,
    start: Start = None,
    limit: Limit = None,
    exact_match: ExactMatch = None,
    fields: SearchFields = None,
) -> OffsetPage[OrganizationRecord]:
    search = search_args(exact_match, fields)
    page = await organizations.search_organizations(info.context, term, start, limit, search)
    return await prefetched_page(info, page)


async def _activity(
    info: Info, activity_id: Annotated[int, _id("activity")]
) -> ActivityRecord | None:
    return await prefetched_one(info, await activities.get_activity(info.context, activity_id))


async def _users(info: Info) -> UserList:
    return UserList(items=served(await users.list_users(info.context)))


async def _me(info: Info) -> UserRecord:
    return await users.current_user(info.context)


@strawberry.type
class CrmQuery:
    """Organizations, activities and users at the root (composed into `Query`)."""

    organizations: OrganizationList | None = resolved(
        _organizations,
        pricing.LIST_V2,
        "Organizations, optionally filtered and sorted (by ID by default), one window at a time.",
    )
    activities: ActivityList | None = resolved(
        _activities,
        pricing.LIST_V2,
        "Activities, optionally filtered and sorted (by ID by default), one window at a time.",
    )
    activity: Activity | None = resolved(
        _activity, pricing.GET_V2, "One activity by ID; null with a NOT_FOUND error when absent."
    )
    search_organizations: OrganizationList | None = resolved(
        _search_organizations,
        pricing.SEARCH,
        "Search organizations by name, address, notes or custom fields.",
    )
    users: UserList | None = resolved(_users, pricing.USER_LIST, "Every user of the company.")
    me: User | None = resolved(_me, pricing.GET_USER, "The user of the credential in use.")
