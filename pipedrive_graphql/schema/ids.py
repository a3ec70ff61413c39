"""How Pipedrive ids are exposed: GraphQL's `Int` is 32-bit."""

from __future__ import annotations

ID_FITS = (
    " A 32-bit GraphQL Int: a record whose Pipedrive id does not fit is left out of lists "
    "(named in `extensions.cost.plan`)."
)
LINK_FITS = (
    " A 32-bit GraphQL Int: null when the linked record's Pipedrive id does not fit (the link "
    "is then null too)."
)


def link_id(description: str) -> str:
    """A linked record's id field: its description and the 32-bit decision."""
    return description + LINK_FITS
