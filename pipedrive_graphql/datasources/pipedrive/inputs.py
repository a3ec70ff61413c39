"""Typed write inputs for the client: a field left UNSET is not sent upstream."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import Enum
from typing import Final

from pipedrive_graphql.datasources.pipedrive.records import LabeledValue


class _Unset(Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset.UNSET
Unset = _Unset


@dataclass(frozen=True, slots=True)
class PersonInput:
    """Fields of a v2 person write (`POST /persons`, `PATCH /persons/{id}`)."""

    name: str | Unset = UNSET
    owner_id: int | Unset | None = UNSET
    org_id: int | Unset | None = UNSET
    emails: tuple[LabeledValue, ...] | Unset = UNSET
    phones: tuple[LabeledValue, ...] | Unset = UNSET
    visible_to: int | Unset | None = UNSET
    custom_fields: Mapping[str, object] | Unset = UNSET


@dataclass(frozen=True, slots=True)
class DealInput:
    """Fields of a v2 deal write (`POST /deals`, `PATCH /deals/{id}`)."""

    title: str | Unset = UNSET
    value: float | Unset | None = UNSET
    currency: str | Unset | None = UNSET
    person_id: int | Unset | None = UNSET
    org_id: int | Unset | None = UNSET
    stage_id: int | Unset | None = UNSET
    owner_id: int | Unset | None = UNSET
    status: str | Unset = UNSET
    expected_close_date: str | Unset | None = UNSET
    lost_reason: str | Unset | None = UNSET
    custom_fields: Mapping[str, object] | Unset = UNSET


@dataclass(frozen=True, slots=True)
class NoteInput:
    """Fields of a v1 note write (`POST /notes`, `PUT /notes/{id}`); pin flags go out as 0/1."""

    content: str | Unset = UNSET
    deal_id: int | Unset | None = UNSET
    person_id: int | Unset | None = UNSET
    org_id: int | Unset | None = UNSET
    pinned_to_deal_flag: bool | Unset = UNSET
    pinned_to_person_flag: bool | Unset = UNSET
    pinned_to_organization_flag: bool | Unset = UNSET


@dataclass(frozen=True, slots=True)
class OrganizationInput:
    """Fields of a v2 organization write (`POST /organizations`, `PATCH /organizations/{id}`).

    `address` is the formatted address; it goes out as v2's `{"value": …}` address object.
    """

    name: str | Unset = UNSET
    owner_id: int | Unset = UNSET
    address: str | Unset = UNSET
    visible_to: int | Unset = UNSET
    custom_fields: Mapping[str, object] | Unset = UNSET


@dataclass(frozen=True, slots=True)
class ActivityInput:
    """Fields of a v2 activity write (`POST /activities`, `PATCH /activities/{id}`).

    `participants` are person ids, the first one primary; they go out as
    `[{"person_id": …, "primary": …}]`. `due_date` is YYYY-MM-DD, `due_time` and `duration`
    are HH:MM. The v2 activity bodies have no `custom_fields` (Pipedrive's v2 spec).
    """

    subject: str | Unset = UNSET
    type: str | Unset = UNSET
    due_date: str | Unset = UNSET
    due_time: str | Unset = UNSET
    duration: str | Unset = UNSET
    deal_id: int | Unset = UNSET
    person_id: int | Unset = UNSET
    org_id: int | Unset = UNSET
    participants: tuple[int, ...] | Unset = UNSET
    note: str | Unset = UNSET
    done: bool | Unset = UNSET
    owner_id: int | Unset = UNSET


WriteInput = PersonInput | DealInput | NoteInput | OrganizationInput | ActivityInput


def request_body(data: WriteInput) -> dict[str, object]:
    """The JSON body for a write: set fields only, lists and addresses as objects, 0/1 flags."""
    body: dict[str, object] = {}
    for f in fields(data):
        value = getattr(data, f.name)
        if value is UNSET:
            continue
        if f.name in {"emails", "phones"}:
            body[f.name] = [
                {"value": v.value, "primary": v.primary, **({"label": v.label} if v.label else {})}
                for v in value
            ]
        elif f.name == "address":
            body[f.name] = {"value": value}
        elif f.name == "participants":
            body[f.name] = [{"person_id": p, "primary": i == 0} for i, p in enumerate(value)]
        elif f.name.startswith("pinned_to_"):
            body[f.name] = 1 if value else 0
        elif f.name == "custom_fields":
            body[f.name] = dict(value)
        else:
            body[f.name] = value
    return body
