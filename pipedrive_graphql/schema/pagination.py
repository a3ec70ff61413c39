"""The `{results, hasMore, nextStart}` page shape shared by every list, root or linked."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type(description="One window of a list, addressed by offset.")
class Page(Generic[T]):
    """A window of results plus where the next window starts."""

    results: list[T] = strawberry.field(description="The items of this window, in list order.")
    has_more: bool = strawberry.field(description="Whether more items follow after this window.")
    next_start: int | None = strawberry.field(
        description="The `start` offset of the next window; null at the end of the list."
    )
