"""Saved filters (`filter_id` on v2 lists): a few fixed ones, as every company has its own."""

from __future__ import annotations

from dataclasses import dataclass

from .entities import Record
from .envelopes import bad_request

IS_SET = object()  # a condition value meaning "the field has any value"


@dataclass(frozen=True, slots=True)
class SavedFilter:
    """A filter over one table: every condition must hold (field equals value, or is set)."""

    id: int
    table: str
    name: str
    conditions: tuple[tuple[str, object], ...]

    def matches(self, record: Record) -> bool:
        """Whether `record` passes every condition."""
        for field, wanted in self.conditions:
            value = record.get(field)
            if (value is None) if wanted is IS_SET else (value != wanted):
                return False
        return True


SAVED_FILTERS: dict[int, SavedFilter] = {
    f.id: f
    for f in (
        SavedFilter(1, "deals", "Open deals", (("status", "open"),)),
        SavedFilter(2, "deals", "Won deals", (("status", "won"),)),
        SavedFilter(3, "persons", "Persons with an organization", (("org_id", IS_SET),)),
        SavedFilter(4, "organizations", "Organizations of user 1", (("owner_id", 1),)),
        SavedFilter(5, "activities", "Calls", (("type", "call"),)),
    )
}


def saved_filter(table: str, filter_id: int | None) -> SavedFilter | None:
    """The filter `filter_id` for a list of `table`; None when no filter was asked for.

    The spec is silent about an unknown filter or one made for another entity; the emulator
    answers 400 rather than ignoring the parameter, so it is never kinder than Pipedrive.
    """
    if filter_id is None:
        return None
    found = SAVED_FILTERS.get(filter_id)
    if found is None or found.table != table:
        raise bad_request(f"Filter with id {filter_id} not found for {table}")
    return found
