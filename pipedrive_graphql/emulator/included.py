"""v2 `include_fields`: fields Pipedrive sends only when a read names them.

The v2 spec lists them per endpoint (`include_fields` of `getDeals`, `getPersons`,
`getOrganizations`, `getActivities` and their single GETs); without the parameter they are
absent from the object, not null. Counts are computed from the store; what the emulator keeps
no history for (files, followers, products, mail times, marketing consent) is 0 or null.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from starlette.datastructures import QueryParams

from .entities import Record
from .store import Store, public

# Keys the store keeps on a record that v2 sends only through `include_fields`.
STORED_ONLY_WHEN_ASKED = {"activities": ("attendees",)}
_SMART_BCC_KIND = {"persons": "person", "deals": "deal", "organizations": "org"}


def requested(query: QueryParams) -> tuple[str, ...]:
    """The names in `include_fields` (empty when absent)."""
    raw = query.get("include_fields") or ""
    return tuple(name.strip() for name in raw.split(",") if name.strip())


def v2_view(store: Store, table: str, record: Record, names: Iterable[str] = ()) -> Record:
    """A v2 object: the public record without include-only keys, plus the `names` asked for."""
    view = public(record)
    for key in STORED_ONLY_WHEN_ASKED.get(table, ()):
        view.pop(key, None)
    for name in names:
        view[name] = _value(store, table, record, name)
    return view


def smart_bcc_email(store: Store, table: str, entity_id: int) -> str:
    """The Smart Email BCC address of a deal, person or organization."""
    domain = store.company.get("company_domain") or "emulated"
    return f"{domain}+{_SMART_BCC_KIND[table]}{entity_id}@pipedrivemail.com"


def _value(store: Store, table: str, record: Record, name: str) -> Any:
    if name == "smart_bcc_email":
        return smart_bcc_email(store, table, record["id"])
    if name == "attendees":
        return record.get("attendees") or []
    if name == "first_won_time":
        return record.get("won_time")
    counter = _COUNTS.get(name)
    if counter is not None:
        return counter(store, table, record["id"])
    if name.endswith("_count"):
        return 0  # files, followers, products, participants: not kept by the emulator
    return None  # next/last activity ids, mail times, marketing consent, source lead


def _link_key(table: str) -> str:
    return {"persons": "person_id", "deals": "deal_id", "organizations": "org_id"}[table]


def _activities(done: bool | None) -> Callable[[Store, str, int], int]:
    def count(store: Store, table: str, entity_id: int) -> int:
        key = _link_key(table)
        return sum(
            1
            for a in store.all("activities")
            if a.get(key) == entity_id
            and not a["is_deleted"]
            and (done is None or a["done"] == done)
        )

    return count


def _deals(statuses: tuple[str, ...]) -> Callable[[Store, str, int], int]:
    def count(store: Store, table: str, entity_id: int) -> int:
        key = _link_key(table)
        return sum(
            1
            for d in store.all("deals")
            if d.get(key) == entity_id and not d["is_deleted"] and d["status"] in statuses
        )

    return count


def _notes(store: Store, table: str, entity_id: int) -> int:
    key = _link_key(table)
    return sum(1 for n in store.all("notes") if n.get(key) == entity_id and n["active_flag"])


def _people(store: Store, table: str, entity_id: int) -> int:
    return sum(1 for p in store.all("persons") if p["org_id"] == entity_id and not p["is_deleted"])


def _mail(store: Store, table: str, entity_id: int) -> int:
    if table == "deals":
        return sum(1 for m in store.all("mail_messages") if m["_deal_id"] == entity_id)
    if table == "persons":
        return sum(1 for m in store.all("mail_messages") if entity_id in m["_person_ids"])
    return sum(1 for m in store.all("mail_messages") if m["_org_id"] == entity_id)


_COUNTS: dict[str, Callable[[Store, str, int], int]] = {
    "activities_count": _activities(None),
    "done_activities_count": _activities(True),
    "undone_activities_count": _activities(False),
    "notes_count": _notes,
    "people_count": _people,
    "email_messages_count": _mail,
    "open_deals_count": _deals(("open",)),
    "related_open_deals_count": _deals(("open",)),
    "closed_deals_count": _deals(("won", "lost")),
    "related_closed_deals_count": _deals(("won", "lost")),
    "won_deals_count": _deals(("won",)),
    "related_won_deals_count": _deals(("won",)),
    "lost_deals_count": _deals(("lost",)),
    "related_lost_deals_count": _deals(("lost",)),
}
