"""One change in a Pipedrive account, parsed once from a v2 webhook body.

Pipedrive's v2 webhook body (guide "Webhooks v2"): `meta` carries `action` (`create`,
`change`, `delete`), `entity`, `entity_id`, `company_id`, `id` (the event's UUID, the same on
every retry), `attempt` (1 for the first delivery, 2..4 for the retries), `timestamp` and
`permitted_user_ids` (absent for `user` events); every id in `meta` is a string. `data` is the
record after the change (null on delete), `previous` the old values of the changed fields
(on delete: the last state).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import orjson

from pipedrive_graphql.ascii_digits import ascii_int

Action = Literal["added", "changed", "deleted"]
ACTIONS: dict[str, Action] = {"create": "added", "change": "changed", "delete": "deleted"}
Json = dict[str, Any]


class InvalidWebhookError(ValueError):
    """The body is not a Pipedrive v2 webhook (a v1 body, missing or malformed `meta`)."""


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """A change to one record of one company, as every replica passes it around."""

    event_id: str
    attempt: int
    company_id: int
    entity: str  # Pipedrive's object name: deal, person, organization, activity, note, ...
    entity_id: int
    action: Action
    occurred_at: str  # ISO 8601 UTC, as Pipedrive sends `meta.timestamp`
    permitted_user_ids: frozenset[int] | None  # None: Pipedrive sends no list (user events)
    data: Json | None
    previous: Json | None

    @property
    def id(self) -> int:
        """The changed record's id (what the GraphQL event types call `id`)."""
        return self.entity_id

    @property
    def record(self) -> Json:
        """The record's known state: `data`, or on delete the last state in `previous`."""
        return self.data if self.data is not None else (self.previous or {})

    @property
    def changed_fields(self) -> list[str]:
        """The fields this change touched: the keys of `previous` on a change, else none."""
        return sorted(self.previous or {}) if self.action == "changed" else []

    def ids(self, *names: str) -> set[int]:
        """The ids under `names` now and before the change (a deal leaving pipeline 1 is news
        to whoever watches pipeline 1); a value may be a number, a digit string or `{"id": n}`.
        """
        found: set[int] = set()
        for state in (self.data or {}, self.previous or {}):
            for name in names:
                value = state.get(name)
                if isinstance(value, dict):
                    value = value.get("id", value.get("value"))
                if isinstance(value, int) and not isinstance(value, bool):
                    found.add(value)
                elif isinstance(value, str) and (number := ascii_int(value)) is not None:
                    found.add(number)
        return found

    def matches(self, **wanted: tuple[int | None, tuple[str, ...]]) -> bool:
        """Whether every given filter id is among the record's ids under its field names."""
        return all(want is None or want in self.ids(*names) for want, names in wanted.values())

    def permits(self, user_id: int) -> bool:
        """Whether Pipedrive lets `user_id` see this event."""
        return self.permitted_user_ids is None or user_id in self.permitted_user_ids

    def to_json(self) -> bytes:
        """The event as the bus carries it between replicas."""
        body = {
            "event_id": self.event_id,
            "attempt": self.attempt,
            "company_id": self.company_id,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "action": self.action,
            "occurred_at": self.occurred_at,
            "permitted_user_ids": None
            if self.permitted_user_ids is None
            else sorted(self.permitted_user_ids),
            "data": self.data,
            "previous": self.previous,
        }
        return orjson.dumps(body)

    @classmethod
    def from_json(cls, raw: bytes | str) -> ChangeEvent:
        """Inverse of `to_json`."""
        body = orjson.loads(raw)
        permitted = body["permitted_user_ids"]
        return cls(
            event_id=str(body["event_id"]),
            attempt=int(body["attempt"]),
            company_id=int(body["company_id"]),
            entity=str(body["entity"]),
            entity_id=int(body["entity_id"]),
            action=ACTIONS.get(body["action"], body["action"]),
            occurred_at=str(body["occurred_at"]),
            permitted_user_ids=None if permitted is None else frozenset(map(int, permitted)),
            data=body["data"],
            previous=body["previous"],
        )


def parse_webhook(body: object) -> ChangeEvent:
    """The event in a v2 webhook body; `InvalidWebhookError` names what is missing or wrong."""
    if not isinstance(body, dict) or not isinstance(body.get("meta"), dict):
        raise InvalidWebhookError("not a Pipedrive v2 webhook: no meta object")
    meta: Json = body["meta"]
    if str(meta.get("version", "2.0")) != "2.0":
        raise InvalidWebhookError("only v2 webhooks are accepted (register with version 2.0)")
    action = ACTIONS.get(str(meta.get("action")))
    if action is None:
        raise InvalidWebhookError("meta.action must be create, change or delete")
    event_id = meta.get("id")
    if not isinstance(event_id, str) or not event_id:
        raise InvalidWebhookError("meta.id is missing")
    data, previous = body.get("data"), body.get("previous")
    if not isinstance(data, dict | None) or not isinstance(previous, dict | None):
        raise InvalidWebhookError("data and previous must be objects or null")
    permitted = meta.get("permitted_user_ids")
    return ChangeEvent(
        event_id=event_id,
        attempt=_number(meta, "attempt", default=1),
        company_id=_number(meta, "company_id"),
        entity=str(meta.get("entity") or ""),
        entity_id=_number(meta, "entity_id"),
        action=action,
        occurred_at=str(meta.get("timestamp") or ""),
        permitted_user_ids=None if permitted is None else _ids(permitted),
        data=data,
        previous=previous,
    )


def _number(meta: Json, name: str, *, default: int | None = None) -> int:
    value = meta.get(name, default)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = ascii_int(value) if isinstance(value, str) else None
    if number is not None:
        return number
    raise InvalidWebhookError(f"meta.{name} must be a number (Pipedrive sends ids as strings)")


def _ids(raw: object) -> frozenset[int]:
    if isinstance(raw, list):
        ids = [_id(item) for item in raw]
        if None not in ids:
            return frozenset(i for i in ids if i is not None)
    raise InvalidWebhookError("meta.permitted_user_ids must be a list of ids")


def _id(item: object) -> int | None:
    if isinstance(item, int) and not isinstance(item, bool):
        return item if item >= 0 else None
    return ascii_int(item) if isinstance(item, str) else None
