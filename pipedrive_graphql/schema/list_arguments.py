"""Filter and sort arguments of the v2 lists, root and linked, and of the v2 searches.

Enum values are Pipedrive's own lowercase words, so `{"sortBy": "update_time"}` works as
variables; `status` stays a String (the type it has had on the linked deal lists).
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from pipedrive_graphql.resolvers.list_filters import NO_FILTERS, ListFilters
from pipedrive_graphql.resolvers.search_args import SearchArgs


@strawberry.enum(description="The order of a list: ascending or descending.")
class SortDirection(Enum):
    """Pipedrive's `sort_direction` values."""

    asc = "asc"
    desc = "desc"


@strawberry.enum(description="The field a deal, person or organization list is sorted by.")
class SortBy(Enum):
    """Pipedrive's `sort_by` values of the deal, person and organization lists."""

    id = "id"
    update_time = "update_time"
    add_time = "add_time"


@strawberry.enum(description="The field an activity list is sorted by.")
class ActivitySortBy(Enum):
    """Pipedrive's `sort_by` values of the activity list."""

    id = "id"
    update_time = "update_time"
    add_time = "add_time"
    due_date = "due_date"


def _arg(description: str) -> object:
    return strawberry.argument(description=description)


OwnerFilter = Annotated[int | None, _arg("Only records owned by this user.")]
FilterId = Annotated[
    int | None,
    _arg(
        "Only records matching this saved Pipedrive filter. Pipedrive then ignores the owner, "
        "parent and status filters, so combining them is refused."
    ),
]
UpdatedSince = Annotated[
    str | None,
    _arg("Only records updated at or after this RFC 3339 time, e.g. 2026-01-31T09:00:00Z."),
]
UpdatedUntil = Annotated[
    str | None, _arg("Only records updated before this RFC 3339 time, e.g. 2026-02-01T00:00:00Z.")
]
Sort = Annotated[SortBy | None, _arg("The field to sort by (default id).")]
ActivitySort = Annotated[ActivitySortBy | None, _arg("The field to sort by (default id).")]
Direction = Annotated[SortDirection | None, _arg("The sort direction (default asc).")]
DealStatus = Annotated[
    str | None,
    _arg(
        "Only deals with this status: open, won, lost or deleted, or several comma-separated "
        '(e.g. "won,lost").'
    ),
]
ExactMatch = Annotated[
    bool | None,
    _arg("Only whole-value matches (a 1-character term is then allowed); default false."),
]
SearchFields = Annotated[
    list[str] | None,
    _arg("Where to look, Pipedrive's `fields` names (e.g. name, email); default: all."),
]


def list_filters(
    *,
    owner_id: int | None = None,
    filter_id: int | None = None,
    updated_since: str | None = None,
    updated_until: str | None = None,
    sort_by: SortBy | ActivitySortBy | None = None,
    sort_direction: SortDirection | None = None,
) -> ListFilters:
    """The resolvers' `ListFilters` from the GraphQL arguments; `NO_FILTERS` when none is."""
    if (
        owner_id is None
        and filter_id is None
        and updated_since is None
        and updated_until is None
        and sort_by is None
        and sort_direction is None
    ):
        return NO_FILTERS  # the common case, which `ListFilters.params` answers without checks
    return ListFilters(
        owner_id=owner_id,
        filter_id=filter_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=None if sort_by is None else sort_by.value,
        sort_direction=None if sort_direction is None else sort_direction.value,
    )


def search_args(exact_match: bool | None, fields: list[str] | None) -> SearchArgs:
    """The resolvers' `SearchArgs` from the GraphQL arguments."""
    return SearchArgs(exact_match, None if fields is None else tuple(fields))


def linked_filters(
    owner_id: int | None,
    updated_since: str | None,
    updated_until: str | None,
    sort_by: SortBy | ActivitySortBy | None,
    sort_direction: SortDirection | None,
) -> ListFilters:
    """A linked list's filters (its parent and status or done are passed on their own)."""
    return list_filters(
        owner_id=owner_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )
