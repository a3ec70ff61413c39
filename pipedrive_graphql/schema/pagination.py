"""The `{results, hasMore, nextStart}` page shape shared by every list, root or linked.

A page type reads an `OffsetPage` record as it is: `results` is its `items`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type(description="One window of a list, addressed by offset.")
class Page(Generic[T]):
    """A window of results plus where the next window starts."""

    items: list[T] = strawberry.field(
        name="results", description="The items of this window, in list order."
    )
    has_more: bool = strawberry.field(description="Whether more items follow after this window.")
    next_start: int | None = strawberry.field(
        description="The `start` offset of the next window; null at the end of the list."
    )


def served(records: Sequence[object]) -> list[Any]:
    """Records given to a type the schema builds itself, for a field of the type that reads them.

    The GraphQL types read records directly (their fields are the records' attributes), so a
    list of records is what a `list[Deal]` field holds at run time.
    """
    return list(records)
