"""Pipedrive v1/v2 JSON objects → typed records, normalising timestamps and 0/1 flags."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pipedrive_graphql.ascii_digits import ascii_int
from pipedrive_graphql.datasources.pipedrive.records import (
    NO_CUSTOM_VALUES,
    ActivityRecord,
    CustomValues,
    DealRecord,
    LabeledValue,
    MailMessageRecord,
    MailParty,
    MailThreadRecord,
    NoteRecord,
    OrganizationRecord,
    ParticipantRecord,
    PersonRecord,
    PipelineRecord,
    SearchHit,
    StageRecord,
    UserRecord,
)

Json = dict[str, Any]


class ParseError(ValueError):
    """An upstream object lacks a field the records require."""


def timestamp(raw: object) -> str | None:
    """Normalise a v1 (`YYYY-MM-DD HH:MM:SS`) or v2 (RFC 3339) time to `YYYY-MM-DDTHH:MM:SSZ`."""
    if type(raw) is str and len(raw) == 20 and raw[10] == "T" and raw[19] == "Z":
        return raw  # already `YYYY-MM-DDTHH:MM:SSZ`, as v2 sends it: the common case
    if not isinstance(raw, str) or not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return raw
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # v1 times are UTC without an offset
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# GraphQL's Int is a signed 32-bit integer; an id beyond it cannot be exposed as one.
MAX_GRAPHQL_INT = 2**31 - 1
_GRAPHQL_INTS = range(-MAX_GRAPHQL_INT - 1, MAX_GRAPHQL_INT + 1)


def _id(obj: Json, key: str = "id") -> int:
    value = obj.get(key)
    if type(value) is int and value in _GRAPHQL_INTS:  # the common case, without a call
        return value
    value = _opt_int(value)
    if value is None:
        raise ParseError(f"upstream object without {key!r}")
    if not -MAX_GRAPHQL_INT - 1 <= value <= MAX_GRAPHQL_INT:
        raise ParseError(f"id {value} does not fit GraphQL's 32-bit Int")
    return value


def _link(raw: object) -> int | None:
    """A linked record's id; None (not linked) when it does not fit GraphQL's 32-bit Int."""
    if type(raw) is int:  # the common cases first: this runs for every link of every record
        return raw if raw in _GRAPHQL_INTS else None
    if raw is None:
        return None
    value = _opt_int(raw)
    if value is None or -MAX_GRAPHQL_INT - 1 <= value <= MAX_GRAPHQL_INT:
        return value
    return None


def _opt_int(raw: object) -> int | None:
    if type(raw) is int:  # the common case first: this runs for every id of every record
        return raw
    if isinstance(raw, dict):  # v1 embeds related objects as {"value": id, ...}
        raw = raw.get("value", raw.get("id"))
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str):
        text = raw.strip()
        number = ascii_int(text.removeprefix("-"))
        return None if number is None else -number if text.startswith("-") else number
    return None


def optional_float(raw: object) -> float | None:
    """A JSON number, or a numeric string, as a float; None for anything else (bools too)."""
    if type(raw) is float or type(raw) is int:  # the common cases first, without isinstance
        return float(raw)
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw)
        except ValueError:
            return None
    return None


def _opt_str(raw: object) -> str | None:
    if type(raw) is str:
        return raw
    if raw is None or isinstance(raw, dict | list):
        return None
    return str(raw)


def _unless_empty(raw: object) -> str | None:
    """A text field Pipedrive sends as "" when it is not set: "" and null both become None."""
    return _opt_str(raw) or None


def _flag(raw: object) -> bool:
    if raw is True or raw is False:
        return raw
    if isinstance(raw, str):
        return raw.strip().lower() in {"1", "true", "yes"}
    return bool(raw)


def _labeled(raw: object) -> tuple[LabeledValue, ...]:
    """v2 `emails`/`phones` as sent, a primary entry with an empty value included (Pipedrive
    keeps one when the address is cleared); search items send bare strings."""
    if not isinstance(raw, list):
        return ()
    values: list[LabeledValue] = []
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get("value"), str):
            values.append(
                LabeledValue(item["value"], _flag(item.get("primary")), _opt_str(item.get("label")))
            )
        elif isinstance(item, str) and item:
            values.append(LabeledValue(item, not values, None))
    return tuple(values)


def _custom_values(obj: Json) -> CustomValues:
    raw = obj.get("custom_fields")
    # the parsed JSON's own dict, not a copy: nothing writes to a row once it is parsed
    return raw if isinstance(raw, dict) and raw else NO_CUSTOM_VALUES


def person(obj: Json) -> PersonRecord:
    """A v2 person object."""
    g = obj.get
    return PersonRecord(
        id=_id(obj),
        name=str(g("name") or ""),
        first_name=_opt_str(g("first_name")),
        last_name=_opt_str(g("last_name")),
        owner_id=_link(g("owner_id")),
        org_id=_link(g("org_id")),
        emails=_labeled(g("emails")),
        phones=_labeled(g("phones")),
        add_time=timestamp(g("add_time")),
        update_time=timestamp(g("update_time")),
        is_deleted=_flag(g("is_deleted")),
        visible_to=_opt_int(g("visible_to")),
        custom_fields=_custom_values(obj),
    )


def organization(obj: Json) -> OrganizationRecord:
    """A v2 organization object (its address object becomes the formatted `value` string).

    `address` is an object whose parts may all be null when no address is set; a bare string or
    null is accepted too. `smart_bcc_email` is present only when asked for with
    `include_fields=smart_bcc_email`; without it `cc_email` is None.
    """
    g = obj.get
    address = g("address")
    return OrganizationRecord(
        id=_id(obj),
        name=str(g("name") or ""),
        owner_id=_link(g("owner_id")),
        address=_opt_str(address.get("value")) if isinstance(address, dict) else _opt_str(address),
        cc_email=_opt_str(g("smart_bcc_email")),
        is_deleted=_flag(g("is_deleted")),
        add_time=timestamp(g("add_time")),
        update_time=timestamp(g("update_time")),
        visible_to=_opt_int(g("visible_to")),
        custom_fields=_custom_values(obj),
    )


def deal(obj: Json) -> DealRecord:
    """A v2 deal object; a deleted deal (`is_deleted`) has the status `deleted`.

    v2 keeps the status the deal had before deletion and marks deletion only with `is_deleted`
    (the v2 `status` filter, though, lists `deleted` as a status of its own).
    """
    g = obj.get
    is_deleted = _flag(g("is_deleted"))
    return DealRecord(
        id=_id(obj),
        title=str(g("title") or ""),
        value=optional_float(g("value")),
        currency=_opt_str(g("currency")),
        status="deleted" if is_deleted else str(g("status") or "open"),
        stage_id=_link(g("stage_id")),
        pipeline_id=_link(g("pipeline_id")),
        person_id=_link(g("person_id")),
        org_id=_link(g("org_id")),
        owner_id=_link(g("owner_id")),
        expected_close_date=_opt_str(g("expected_close_date")),
        won_time=timestamp(g("won_time")),
        lost_time=timestamp(g("lost_time")),
        close_time=timestamp(g("close_time")),
        lost_reason=_opt_str(g("lost_reason")),
        add_time=timestamp(g("add_time")),
        update_time=timestamp(g("update_time")),
        stage_change_time=timestamp(g("stage_change_time")),
        probability=optional_float(g("probability")),
        is_deleted=is_deleted,
        is_archived=_flag(g("is_archived")),
        visible_to=_opt_int(g("visible_to")),
        custom_fields=_custom_values(obj),
    )


def activity(obj: Json) -> ActivityRecord:
    """A v2 activity object.

    Pipedrive sends `due_time`, `duration` and `note` as "" when they are not set (null is read
    the same way): each becomes None.
    """
    g = obj.get
    return ActivityRecord(
        id=_id(obj),
        type=_opt_str(g("type")),
        subject=_opt_str(g("subject")),
        note=_unless_empty(g("note")),
        done=_flag(g("done")),
        due_date=_unless_empty(g("due_date")),
        due_time=_unless_empty(g("due_time")),
        duration=_unless_empty(g("duration")),
        add_time=timestamp(g("add_time")),
        update_time=timestamp(g("update_time")),
        marked_as_done_time=timestamp(g("marked_as_done_time")),
        deal_id=_link(g("deal_id")),
        person_id=_link(g("person_id")),
        org_id=_link(g("org_id")),
        owner_id=_link(g("owner_id")),
        is_deleted=_flag(g("is_deleted")),
        participants=_participants(g("participants")),
    )


def _participants(raw: object) -> tuple[ParticipantRecord, ...]:
    if not raw or not isinstance(raw, list):
        return ()
    return tuple(
        [
            ParticipantRecord(_link(p.get("person_id")), _flag(p.get("primary")))
            for p in raw
            if isinstance(p, dict)
        ]
    )


def pipeline(obj: Json) -> PipelineRecord:
    """A v2 pipeline object."""
    return PipelineRecord(
        id=_id(obj),
        name=str(obj.get("name") or ""),
        order_nr=_opt_int(obj.get("order_nr")) or 0,
        is_deleted=_flag(obj.get("is_deleted")),
        is_deal_probability_enabled=_flag(obj.get("is_deal_probability_enabled")),
        add_time=timestamp(obj.get("add_time")),
        update_time=timestamp(obj.get("update_time")),
    )


def stage(obj: Json) -> StageRecord:
    """A v2 stage object."""
    return StageRecord(
        id=_id(obj),
        name=str(obj.get("name") or ""),
        # a stage always has a pipeline: one whose id does not fit leaves the stage out
        pipeline_id=_id(obj, "pipeline_id") if obj.get("pipeline_id") is not None else 0,
        order_nr=_opt_int(obj.get("order_nr")) or 0,
        is_deleted=_flag(obj.get("is_deleted")),
        deal_probability=_opt_int(obj.get("deal_probability")),
        is_deal_rot_enabled=_flag(obj.get("is_deal_rot_enabled")),
        days_to_rotten=_opt_int(obj.get("days_to_rotten")),
        add_time=timestamp(obj.get("add_time")),
        update_time=timestamp(obj.get("update_time")),
    )


def note(obj: Json) -> NoteRecord:
    """A v1 note object (times `YYYY-MM-DD HH:MM:SS` UTC)."""
    return NoteRecord(
        id=_id(obj),
        content=str(obj.get("content") or ""),
        user_id=_link(obj.get("user_id")),
        deal_id=_link(obj.get("deal_id")),
        person_id=_link(obj.get("person_id")),
        org_id=_link(obj.get("org_id")),
        lead_id=_opt_str(obj.get("lead_id")),
        pinned_to_deal_flag=_flag(obj.get("pinned_to_deal_flag")),
        pinned_to_person_flag=_flag(obj.get("pinned_to_person_flag")),
        pinned_to_organization_flag=_flag(obj.get("pinned_to_organization_flag")),
        active_flag=_flag(obj.get("active_flag", True)),
        add_time=timestamp(obj.get("add_time")),
        update_time=timestamp(obj.get("update_time")),
    )


def _is_admin(access: object) -> bool:
    """Admin rights: v1 users carry them per app in `access[].admin` (no `is_admin` key)."""
    if not isinstance(access, list):
        return False
    return any(isinstance(entry, dict) and entry.get("admin") is True for entry in access)


def user(obj: Json) -> UserRecord:
    """A v1 user object; `is_admin` is true when any `access` entry has `admin: true`."""
    return UserRecord(
        id=_id(obj),
        name=str(obj.get("name") or ""),
        email=_opt_str(obj.get("email")),
        active_flag=_flag(obj.get("active_flag", True)),
        is_admin=_is_admin(obj.get("access")),
        role_id=_link(obj.get("role_id")),
        default_currency=_opt_str(obj.get("default_currency")),
        locale=_opt_str(obj.get("locale")),
        timezone_name=_opt_str(obj.get("timezone_name")),
        icon_url=_opt_str(obj.get("icon_url")),
        created=timestamp(obj.get("created")),
        modified=timestamp(obj.get("modified")),
        last_login=timestamp(obj.get("last_login")),
    )


def me(obj: Json) -> UserRecord:
    """The v1 `/users/me` object: a user plus the company the credential belongs to."""
    return replace(user(obj), company_id=_opt_int(obj.get("company_id")))


def _parties(raw: object) -> tuple[MailParty, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        MailParty(
            email=str(p.get("email_address") or ""),
            name=_opt_str(p.get("name")),
            linked_person_id=_link(p.get("linked_person_id")),
        )
        for p in raw
        if isinstance(p, dict)
    )


def mail_list_item(obj: Json, *, parent: tuple[str, int] | None = None) -> MailMessageRecord:
    """One item of a v1 mail list: `{object, timestamp, data: <mail message>}`."""
    data = obj.get("data")
    return mail_message(data if isinstance(data, dict) else {}, parent=parent)


def mail_message(obj: Json, *, parent: tuple[str, int] | None = None) -> MailMessageRecord:
    """A v1 mail message.

    The message object has no `deal_id`, `person_id` or `org_id`: `parent`
    (`("deal" | "person" | "organization", id)`) fills the link the list was fetched by.
    """
    links: dict[str, int | None] = {"deal": None, "person": None, "organization": None}
    if parent is not None:
        links[parent[0]] = parent[1]
    return MailMessageRecord(
        id=_id(obj),
        subject=_opt_str(obj.get("subject")),
        snippet=_opt_str(obj.get("snippet")),
        body=_opt_str(obj.get("body")),
        body_url=_opt_str(obj.get("body_url")),
        from_=_parties(obj.get("from")),
        to=_parties(obj.get("to")),
        cc=_parties(obj.get("cc")),
        bcc=_parties(obj.get("bcc")),
        mail_thread_id=_link(obj.get("mail_thread_id")),
        message_time=timestamp(obj.get("message_time")),
        has_attachments=_flag(obj.get("has_attachments_flag")),
        read=_flag(obj.get("read_flag")),
        draft=_flag(obj.get("draft_flag")),
        deal_id=links["deal"],
        person_id=links["person"],
        org_id=links["organization"],
        add_time=timestamp(obj.get("add_time")),
        update_time=timestamp(obj.get("update_time")),
    )


def mail_thread(obj: Json) -> MailThreadRecord:
    """A v1 mail thread: its `deal_id` and the persons and organizations its parties link to."""
    parties = obj.get("parties")
    linked: list[Json] = []
    if isinstance(parties, dict):
        for side in ("from", "to"):
            group = parties.get(side)
            if isinstance(group, list):
                linked.extend(p for p in group if isinstance(p, dict))
    persons = (_link(p.get("linked_person_id")) for p in linked)
    orgs = (_link(p.get("linked_organization_id")) for p in linked)
    return MailThreadRecord(
        id=_id(obj),
        deal_id=_link(obj.get("deal_id")),
        person_ids=tuple(dict.fromkeys(i for i in persons if i is not None)),
        org_ids=tuple(dict.fromkeys(i for i in orgs if i is not None)),
    )


def search_hit(obj: Json) -> SearchHit:
    """One v2 search item `{result_score, item: {id, ...}}`."""
    item = obj.get("item")
    if not isinstance(item, dict):
        raise ParseError("search item without 'item'")
    matched = item.get("custom_fields")
    return SearchHit(
        id=_id(item),
        result_score=optional_float(obj.get("result_score")) or 0.0,
        matched_custom_values=tuple(str(v) for v in matched if v is not None)
        if isinstance(matched, list)
        else (),
    )
