"""In-memory entity store with write events, test helpers and a cheap reset."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .entities import EVENT_ENTITY, TABLES, Record, with_defaults

StoreListener = Callable[[str, str, int, Record | None, Record | None], None]


def public(record: Record) -> Record:
    """Return the record without internal (underscore) keys."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


class Store:
    """Entities by table and id; every write notifies the subscribers."""

    def __init__(
        self, tables: Mapping[str, Sequence[Record]] | None = None, company: Record | None = None
    ) -> None:
        """Create a store holding `tables` (records are completed with defaults)."""
        self.company: Record = dict(company or {})
        self._tables: dict[str, dict[int, Record]] = {name: {} for name in TABLES}
        self._next_id: dict[str, int] = dict.fromkeys(TABLES, 1)
        self._listeners: list[StoreListener] = []
        for table, records in (tables or {}).items():
            for record in records:
                self.insert(table, record)
        self._pristine = self._copy_tables()
        self._pristine_company = dict(self.company)

    def _copy_tables(self) -> dict[str, dict[int, Record]]:
        # Shallow record copies suffice: writes replace values, never mutate nested ones.
        return {name: {i: dict(r) for i, r in rows.items()} for name, rows in self._tables.items()}

    def reset(self) -> None:
        """Restore the records the store was built with (subscribers stay)."""
        self._tables = {
            name: {i: dict(r) for i, r in rows.items()} for name, rows in self._pristine.items()
        }
        self.company = dict(self._pristine_company)
        self._next_id = {name: max(rows, default=0) + 1 for name, rows in self._tables.items()}

    def subscribe(self, listener: StoreListener) -> None:
        """Call `listener(action, entity, entity_id, data, previous)` after every write."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: StoreListener) -> None:
        """Stop notifying `listener`."""
        self._listeners.remove(listener)

    def insert(self, table: str, record: Mapping[str, Any]) -> Record:
        """Insert a record (defaults filled, id assigned when absent) without an event."""
        rows = self._tables[table]
        data = dict(record)
        if data.get("id") is None:
            data["id"] = self._next_id[table]
        full = with_defaults(table, data)
        rows[int(full["id"])] = full
        self._next_id[table] = max(self._next_id[table], int(full["id"]) + 1)
        return full

    def get(self, table: str, entity_id: int) -> Record | None:
        """Return the record with `entity_id`, or None."""
        return self._tables[table].get(entity_id)

    def all(self, table: str) -> Iterable[Record]:
        """Iterate over every record of `table` (including deleted ones)."""
        return self._tables[table].values()

    def count(self, table: str) -> int:
        """Return how many records `table` holds."""
        return len(self._tables[table])

    def create(self, table: str, record: Mapping[str, Any]) -> Record:
        """Insert a new record and emit a `create` event."""
        full = self.insert(table, {k: v for k, v in record.items() if k != "id"})
        self._emit("create", table, full, None)
        return full

    def update(self, table: str, entity_id: int, changes: Mapping[str, Any]) -> Record:
        """Apply `changes` to an existing record and emit a `change` event with the old values."""
        current = self._tables[table][entity_id]
        previous = {k: current.get(k) for k, v in changes.items() if current.get(k) != v}
        updated = {**current, **changes}
        self._tables[table][entity_id] = updated
        self._emit("change", table, updated, previous)
        return updated

    def soft_delete(self, table: str, entity_id: int, changes: Mapping[str, Any]) -> Record:
        """Mark a record deleted (it stays readable by id) and emit a `delete` event."""
        current = self._tables[table][entity_id]
        updated = {**current, **changes}
        self._tables[table][entity_id] = updated
        self._emit("delete", table, None, current)
        return updated

    def delete(self, table: str, entity_id: int) -> Record:
        """Remove a record and emit a `delete` event."""
        removed = self._tables[table].pop(entity_id)
        self._emit("delete", table, None, removed)
        return removed

    def _emit(self, action: str, table: str, data: Record | None, previous: Record | None) -> None:
        entity_id = int((data or previous or {})["id"])
        payload = public(data) if data is not None else None
        before = public(previous) if previous is not None else None
        for listener in list(self._listeners):
            listener(action, EVENT_ENTITY[table], entity_id, payload, before)
