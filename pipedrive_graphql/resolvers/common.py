"""Argument checks shared by the resolvers, made before any upstream call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from strawberry.types.unset import UnsetType

from pipedrive_graphql.datasources.pipedrive.client import MAX_PAGE
from pipedrive_graphql.datasources.pipedrive.inputs import UNSET, Unset, WriteInput, request_body
from pipedrive_graphql.errors import BadUserInputError, NotFoundError
from pipedrive_graphql.resolvers.echo import shown
from pipedrive_graphql.resolvers.time_formats import plain_date

T = TypeVar("T")
W = TypeVar("W", bound=WriteInput)

DEFAULT_LIMIT = 100
MAX_LIMIT = MAX_PAGE  # one GraphQL window is at most one Pipedrive page
MIN_TERM_LENGTH = 2
DEAL_STATUSES = ("open", "won", "lost")
DEAL_FILTER_STATUSES = (*DEAL_STATUSES, "deleted")


@dataclass(frozen=True, slots=True)
class PageArgs:
    """Checked `start`/`limit` arguments of a list field."""

    start: int
    limit: int


def page_args(start: int | None, limit: int | None) -> PageArgs:
    """Check `start`/`limit` and apply the defaults (0 and 100, at most 500)."""
    s = 0 if start is None else start
    n = DEFAULT_LIMIT if limit is None else limit
    if s < 0:
        raise BadUserInputError(f"start must be 0 or more, got {s}")
    if not 1 <= n <= MAX_LIMIT:
        raise BadUserInputError(f"limit must be between 1 and {MAX_LIMIT}, got {n}")
    return PageArgs(s, n)


def search_term(term: str, *, exact: bool = False) -> str:
    """Check a search term: Pipedrive needs two characters, or one with `exact_match`."""
    stripped = term.strip()
    least = 1 if exact else MIN_TERM_LENGTH
    if len(stripped) < least:
        raise BadUserInputError(f"term must be at least {least} characters long")
    return stripped


def date(name: str, value: str | None) -> str | None:
    """Check a `YYYY-MM-DD` date argument (None passes through)."""
    if value is None:
        return None
    if plain_date(value) is None:
        raise BadUserInputError(f"{name} must be a date in YYYY-MM-DD format, got {shown(value)}")
    return value


def deal_status(value: str, allowed: tuple[str, ...] = DEAL_STATUSES) -> str:
    """Check a deal status (`open`, `won`, `lost`; filters also take `deleted`)."""
    if value not in allowed:
        raise BadUserInputError(f"status must be one of {', '.join(allowed)}, got {shown(value)}")
    return value


def deal_statuses(value: str) -> str:
    """Check a deal status filter: one status or several comma-separated (`won,lost`), as the
    v2 deal lists take them; sent on as `a,b` without spaces or repeats."""
    parts = [part.strip() for part in value.split(",")]
    for part in parts:
        if not part:
            raise BadUserInputError(
                f"status must be one or more of {', '.join(DEAL_FILTER_STATUSES)} separated "
                f"by commas, got {shown(value)}"
            )
        deal_status(part, DEAL_FILTER_STATUSES)
    return ",".join(dict.fromkeys(parts))


def found(record: T | None, kind: str, entity_id: int) -> T:
    """The record, or NOT_FOUND when the upstream did not return it."""
    if record is None:
        raise NotFoundError(f"{kind} {entity_id} not found", extensions={"id": entity_id})
    return record


def given(value: T | UnsetType | None) -> T | Unset | None:
    """Translate GraphQL's "argument left out" into the client's "field not sent"."""
    return UNSET if isinstance(value, UnsetType) else value


def not_null(name: str, value: T | UnsetType | None) -> T | Unset:
    """Like `given`, for fields Pipedrive cannot clear: null is a BAD_USER_INPUT."""
    if value is None:
        raise BadUserInputError(f"{name} cannot be null")
    return UNSET if isinstance(value, UnsetType) else value


NOTHING_TO_UPDATE = "nothing to update: give at least one field to change"


def changes(data: W) -> W:
    """An update's input, refused (BAD_USER_INPUT) when it changes nothing: an empty PATCH or
    PUT would spend a write and answer the record unchanged."""
    body = request_body(data)
    if body.get("custom_fields") == {}:
        del body["custom_fields"]
    if not body:
        raise BadUserInputError(NOTHING_TO_UPDATE)
    return data
