"""Annotated argument types with their descriptions, shared by the root fields and links."""

from __future__ import annotations

from typing import Annotated

import strawberry

Start = Annotated[
    int | None,
    strawberry.argument(description="Offset of the first item to return (default 0)."),
]
Limit = Annotated[
    int | None,
    strawberry.argument(description="How many items to return (default 100, at most 500)."),
]
NoteSort = Annotated[
    str | None,
    strawberry.argument(
        description="Fields and directions, e.g. `add_time DESC` or `id ASC, content DESC`."
    ),
]
Term = Annotated[
    str,
    strawberry.argument(description="The search term, at least 2 characters."),
]
Done = Annotated[
    bool | None,
    strawberry.argument(description="Only activities marked done (true) or not done (false)."),
]
DealStatusFilter = Annotated[
    str | None,
    strawberry.argument(description="Only deals with this status: open, won, lost or deleted."),
]
