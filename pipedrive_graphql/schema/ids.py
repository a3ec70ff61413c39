"""How Pipedrive ids are exposed: GraphQL's `Int` is 32-bit."""

from __future__ import annotations

ID_FITS = (
    " A 32-bit GraphQL Int: a record whose Pipedrive id does not fit is left out of lists "
    "(named in `extensions.cost.plan`)."
)
