"""List arguments shared by every v2 list: owner, saved filter, update window, sort order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.echo import shown
from pipedrive_graphql.resolvers.time_formats import rfc3339_moment

SORT_DIRECTIONS = ("asc", "desc")
# The `sort_by` values each v2 list allows (getDeals, getPersons, getOrganizations, getActivities).
SORT_FIELDS: dict[str, tuple[str, ...]] = {
    "deals": ("id", "update_time", "add_time"),
    "persons": ("id", "update_time", "add_time"),
    "organizations": ("id", "update_time", "add_time"),
    "activities": ("id", "update_time", "add_time", "due_date"),
}
# What each v2 list ignores when `filter_id` is given ("If filter_id is provided, this is
# ignored" in getDeals, getPersons, getOrganizations, getActivities), by GraphQL name.
IGNORED_WITH_FILTER: dict[str, dict[str, str]] = {
    "deals": {
        "owner_id": "ownerId",
        "person_id": "personId",
        "org_id": "orgId",
        "pipeline_id": "pipelineId",
        "stage_id": "stageId",
        "status": "status",
    },
    "persons": {"owner_id": "ownerId", "org_id": "orgId", "deal_id": "dealId"},
    "organizations": {"owner_id": "ownerId"},
    "activities": {
        "owner_id": "ownerId",
        "deal_id": "dealId",
        "person_id": "personId",
        "org_id": "orgId",
    },
}


@dataclass(frozen=True, slots=True)
class ListFilters:
    """The arguments every v2 list takes, as GraphQL gives them (None: not given)."""

    owner_id: int | None = None
    filter_id: int | None = None
    updated_since: str | None = None
    updated_until: str | None = None
    sort_by: str | None = None
    sort_direction: str | None = None

    def params(self, collection: str, **scoped: object) -> dict[str, object]:
        """Checked Pipedrive query parameters: these filters plus the list's own `scoped` ones
        (parent ids, status, done); None values are left out by `ListKey.of`.

        BAD_USER_INPUT when `filterId` comes with a filter Pipedrive would silently ignore.
        """
        if self is NO_FILTERS:
            return scoped  # nothing to check or add: a linked list per parent, the common case
        since = rfc3339("updatedSince", self.updated_since)
        until = rfc3339("updatedUntil", self.updated_until)
        if since is not None and until is not None and since >= until:
            raise BadUserInputError("updatedSince must be before updatedUntil")
        if self.filter_id is not None:
            given = {**scoped, "owner_id": self.owner_id}
            ignored = IGNORED_WITH_FILTER[collection]
            clash = [ignored[k] for k, v in given.items() if k in ignored and v is not None]
            if clash:
                raise BadUserInputError(
                    f"filterId cannot be combined with {', '.join(clash)}: Pipedrive ignores "
                    "them when a saved filter is given"
                )
        return {
            **scoped,
            "owner_id": self.owner_id,
            "filter_id": self.filter_id,
            "updated_since": since,
            "updated_until": until,
            "sort_by": choice("sortBy", self.sort_by, SORT_FIELDS[collection]),
            "sort_direction": choice("sortDirection", self.sort_direction, SORT_DIRECTIONS),
        }


NO_FILTERS = ListFilters()


def choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    """Check an enumerated argument against Pipedrive's own lowercase words."""
    if value is not None and value not in allowed:
        raise BadUserInputError(f"{name} must be one of {', '.join(allowed)}, got {shown(value)}")
    return value


def rfc3339(name: str, value: str | None) -> str | None:
    """Check an RFC 3339 date-time with an offset; normalised to `YYYY-MM-DDTHH:MM:SSZ` (UTC)."""
    if value is None:
        return None
    moment = rfc3339_moment(value)
    if moment is None:
        raise BadUserInputError(
            f"{name} must be an RFC 3339 date-time with an offset, e.g. "
            f"2026-01-31T09:00:00Z, got {shown(value)}"
        )
    try:
        if moment.microsecond:
            # Pipedrive keeps whole seconds: a fractional bound selects what the next second does.
            moment = moment.replace(microsecond=0) + dt.timedelta(seconds=1)
        utc = moment.astimezone(dt.UTC)
    except OverflowError:  # past 9999-12-31T23:59:59Z or before 0001-01-01 once in UTC
        raise BadUserInputError(
            f"{name} is outside the years 0001 to 9999 in UTC, got {shown(value)}"
        ) from None
    # `strftime("%Y")` writes the year 999 as "999": RFC 3339 needs four digits
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"
