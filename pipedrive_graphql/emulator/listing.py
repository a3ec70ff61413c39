"""v2 list filters per entity: which query parameters select which records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from starlette.datastructures import QueryParams

from .entities import Record
from .envelopes import bad_request
from .params import bool_param, ids_param, int_param, time_param
from .saved_filters import saved_filter
from .store import Store

DEAL_STATUSES = ("open", "won", "lost", "deleted")


@dataclass(frozen=True)
class ListSpec:
    """The filters and sort fields one v2 list endpoint accepts."""

    table: str
    int_filters: tuple[str, ...] = ()
    sort_fields: tuple[str, ...] = ("id", "update_time", "add_time")
    has_ids: bool = True
    has_updated: bool = True
    has_filter_id: bool = True


LISTS = {
    "persons": ListSpec("persons", ("owner_id", "org_id", "deal_id")),
    "deals": ListSpec("deals", ("owner_id", "person_id", "org_id", "pipeline_id", "stage_id")),
    "organizations": ListSpec("organizations", ("owner_id",)),
    "activities": ListSpec(
        "activities",
        ("owner_id", "deal_id", "person_id", "org_id"),
        ("id", "update_time", "add_time", "due_date"),
    ),
    "pipelines": ListSpec("pipelines", has_ids=False, has_updated=False, has_filter_id=False),
    "stages": ListSpec(
        "stages",
        ("pipeline_id",),
        ("id", "update_time", "add_time", "order_nr"),
        has_ids=False,
        has_updated=False,
        has_filter_id=False,
    ),
}


def _deal_statuses(query: QueryParams) -> set[str] | None:
    raw = query.get("status")
    if not raw:
        return None
    statuses = {s.strip() for s in raw.split(",") if s.strip()}
    if not statuses <= set(DEAL_STATUSES):
        raise bad_request(f'"status" must be one of [{", ".join(DEAL_STATUSES)}]')
    return statuses


def _persons_of_deal(store: Store, deal_id: int) -> set[int]:
    deal = store.get("deals", deal_id)
    return {deal["person_id"]} if deal and deal["person_id"] else set()


def select(
    store: Store, spec: ListSpec, query: QueryParams, *, archived: bool = False
) -> Iterable[Record]:
    """Return the records of `spec.table` that match the query's filters.

    Deleted records are left out (deals: unless `status` names `deleted`); archived deals are
    left out of `/deals`, `ids=` included, and are all `/deals/archived` lists (`archived`).
    With `filter_id` the spec says `ids`, the owner and parent filters and the deal `status`
    are ignored; the update window and `done` still apply.
    """
    chosen = saved_filter(spec.table, int_param(query, "filter_id")) if spec.has_filter_id else None
    ids = ids_param(query) if spec.has_ids and chosen is None else None
    wanted = {name: int_param(query, name) for name in spec.int_filters}
    wanted = {k: v for k, v in wanted.items() if v is not None and chosen is None}
    done = bool_param(query, "done") if spec.table == "activities" else None
    since = time_param(query, "updated_since") if spec.has_updated else None
    until = time_param(query, "updated_until") if spec.has_updated else None
    statuses = _deal_statuses(query) if spec.table == "deals" else None
    if chosen is not None:
        statuses = None
    deal_persons = None
    deal_id = wanted.pop("deal_id", None) if spec.table == "persons" else None
    if deal_id is not None:
        deal_persons = _persons_of_deal(store, deal_id)
    id_set = set(ids) if ids is not None else None
    rows = (
        (store.get(spec.table, i) for i in id_set) if id_set is not None else store.all(spec.table)
    )
    for row in rows:
        if row is None or any(row.get(k) != v for k, v in wanted.items()):
            continue
        if bool(row.get("is_archived")) != archived:
            continue
        if statuses is None:
            if row.get("is_deleted"):
                continue
        elif not _status_matches(row, statuses):
            continue
        if deal_persons is not None and row["id"] not in deal_persons:
            continue
        if chosen is not None and not chosen.matches(row):
            continue
        if done is not None and row["done"] != done:
            continue
        if since is not None and row["update_time"] < since:
            continue
        if until is not None and row["update_time"] >= until:
            continue
        yield row


def _status_matches(deal: Record, statuses: set[str]) -> bool:
    if deal["is_deleted"]:
        return "deleted" in statuses
    return bool(deal["status"] in statuses)
