"""Entity tables of the store and the default fields each record gets on insert."""

from __future__ import annotations

from typing import Any, Final

Record = dict[str, Any]

V2_ENTITIES: Final = ("persons", "deals", "organizations", "activities", "pipelines", "stages")
TABLES: Final = (*V2_ENTITIES, "users", "notes", "mail_messages", "field_definitions")

# Webhook entity names (singular), used in store events.
EVENT_ENTITY: Final = {
    "persons": "person",
    "deals": "deal",
    "organizations": "organization",
    "activities": "activity",
    "pipelines": "pipeline",
    "stages": "stage",
    "users": "user",
    "notes": "note",
    "mail_messages": "mailMessage",
}

_V2_TIME = "2024-01-01T00:00:00Z"

# Activity text fields Pipedrive sends as "" when they are not set, never null: a live v1
# activity list answers `"due_time": ""`, `"duration": ""` and `"note": ""` for an activity with
# no time, duration or note, and Pipedrive's API v2 migration guide names `marked_as_done_time`
# as the one activity field that moved from "" to null in v2 (it lists no such change for these).
# `public_description` is free text like `note` and follows it.
UNSET_ACTIVITY_TEXT: Final = ("due_time", "duration", "note", "public_description")
_V1_TIME = "2024-01-01 00:00:00"


def _person(rec: Record) -> Record:
    name = str(rec.get("name") or "Unnamed person")
    first, _, last = name.partition(" ")
    return {
        "name": name,
        "first_name": first,
        "last_name": last,
        "owner_id": 1,
        "org_id": None,
        "add_time": _V2_TIME,
        "update_time": _V2_TIME,
        "emails": [],
        "phones": [],
        "is_deleted": False,
        "visible_to": 3,
        "label_ids": [],
        "picture_id": None,
        "custom_fields": {},
    }


def _deal(rec: Record) -> Record:
    return {
        "title": "Untitled deal",
        "owner_id": 1,
        "person_id": None,
        "org_id": None,
        "pipeline_id": 1,
        "stage_id": 1,
        "value": 0,
        "currency": "USD",
        "add_time": _V2_TIME,
        "update_time": _V2_TIME,
        "stage_change_time": None,
        "is_deleted": False,
        "is_archived": False,
        "status": "open",
        "probability": None,
        "lost_reason": None,
        "visible_to": 3,
        "close_time": None,
        "won_time": None,
        "lost_time": None,
        "expected_close_date": None,
        "label_ids": [],
        "origin": "ManuallyCreated",
        "origin_id": None,
        "channel": None,
        "channel_id": None,
        "arr": None,
        "mrr": None,
        "acv": None,
        "custom_fields": {},
    }


def _empty_address() -> Record:
    from .seed_lifecycle import EMPTY_ADDRESS

    return dict(EMPTY_ADDRESS)


def _organization(rec: Record) -> Record:
    return {
        "name": "Unnamed organization",
        "owner_id": 1,
        "add_time": _V2_TIME,
        "update_time": _V2_TIME,
        "is_deleted": False,
        "visible_to": 3,
        "address": _empty_address(),
        "label_ids": [],
        "website": None,
        "linkedin": None,
        "industry": None,
        "annual_revenue": None,
        "employee_count": None,
        "custom_fields": {},
    }


def _empty_location() -> Record:
    from .seed_lifecycle import EMPTY_ADDRESS

    return dict(EMPTY_ADDRESS)


def _activity(rec: Record) -> Record:
    person_id = rec.get("person_id")
    participants = [{"person_id": person_id, "primary": True}] if person_id else []
    # Unset text fields are "" (see `UNSET_ACTIVITY_TEXT`); an undated activity is due the day
    # it is added, so `due_date` always holds a date as in every example of the spec.
    return {
        "subject": "Call",
        "type": "call",
        "owner_id": 1,
        "creator_user_id": 1,
        "is_deleted": False,
        "add_time": _V2_TIME,
        "update_time": _V2_TIME,
        "deal_id": None,
        "lead_id": None,
        "person_id": None,
        "org_id": None,
        "project_id": None,
        "due_date": str(rec.get("add_time") or _V2_TIME)[:10],
        "due_time": "",
        "duration": "",
        "busy": False,
        "done": False,
        "marked_as_done_time": None,
        "location": _empty_location(),
        "participants": participants,
        "attendees": [],
        "conference_meeting_client": None,
        "conference_meeting_url": None,
        "conference_meeting_id": None,
        "public_description": "",
        "priority": None,
        "note": "",
    }


def _pipeline(rec: Record) -> Record:
    return {
        "name": "Pipeline",
        "order_nr": 0,
        "is_deleted": False,
        "is_deal_probability_enabled": False,
        "add_time": _V2_TIME,
        "update_time": _V2_TIME,
    }


def _stage(rec: Record) -> Record:
    return {
        "order_nr": 0,
        "name": "Stage",
        "is_deleted": False,
        "deal_probability": 100,
        "pipeline_id": 1,
        "is_deal_rot_enabled": False,
        "days_to_rotten": None,
        "add_time": _V2_TIME,
        "update_time": _V2_TIME,
    }


def _user(rec: Record) -> Record:
    name = str(rec.get("name") or "User")
    return {
        "name": name,
        "default_currency": "USD",
        "locale": "en_US",
        "lang": 1,
        "email": name.lower().replace(" ", ".") + "@example.com",
        "phone": None,
        "activated": True,
        "last_login": _V1_TIME,
        "created": _V1_TIME,
        "modified": None,
        "has_created_company": False,
        "access": [{"app": "sales", "admin": False, "permission_set_id": "sales-regular"}],
        "active_flag": True,
        "timezone_name": "Europe/Berlin",
        "timezone_offset": "+01:00",
        "role_id": 1,
        "icon_url": None,
        "is_deleted": False,
    }


def _note(rec: Record) -> Record:
    return {
        "active_flag": True,
        "add_time": _V1_TIME,
        "update_time": _V1_TIME,
        "content": "",
        "deal_id": None,
        "person_id": None,
        "org_id": None,
        "lead_id": None,
        "project_id": None,
        "task_id": None,
        "user_id": 1,
        "last_update_user_id": 1,
        "pinned_to_lead_flag": False,
        "pinned_to_deal_flag": False,
        "pinned_to_organization_flag": False,
        "pinned_to_person_flag": False,
        "pinned_to_project_flag": False,
        "pinned_to_task_flag": False,
    }


def _mail_message(rec: Record) -> Record:
    return {
        "from": [],
        "to": [],
        "cc": [],
        "bcc": [],
        "body_url": "https://mail.example.com/body",
        "body": "",
        "account_id": "emulator-account",
        "user_id": 1,
        "mail_thread_id": 1,
        "subject": "",
        "snippet": "",
        "mail_tracking_status": None,
        "mail_link_tracking_enabled_flag": 0,
        "read_flag": 1,
        "draft": "",
        "draft_flag": 0,
        "synced_flag": 1,
        "deleted_flag": 0,
        "has_body_flag": 1,
        "sent_flag": 0,
        "sent_from_pipedrive_flag": 0,
        "smart_bcc_flag": 0,
        "message_time": "2024-01-01T00:00:00.000Z",
        "add_time": "2024-01-01T00:00:00.000Z",
        "update_time": "2024-01-01T00:00:00.000Z",
        "has_attachments_flag": 0,
        "has_inline_attachments_flag": 0,
        "has_real_attachments_flag": 0,
        # Links are internal (underscore keys are never serialised).
        "_deal_id": None,
        "_person_ids": [],
        "_org_id": None,
    }


def _field_definition(rec: Record) -> Record:
    return {"options": [], "deleted_options": [], "order_nr": 0}


_DEFAULTS = {
    "persons": _person,
    "deals": _deal,
    "organizations": _organization,
    "activities": _activity,
    "pipelines": _pipeline,
    "stages": _stage,
    "users": _user,
    "notes": _note,
    "mail_messages": _mail_message,
    "field_definitions": _field_definition,
}


def with_defaults(table: str, record: Record) -> Record:
    """Return `record` completed with the default value of every field it lacks."""
    full = {"id": record.get("id"), **_DEFAULTS[table](record)}
    full.update(record)
    if table == "activities" and full["person_id"] is None and full["participants"]:
        primaries = [p for p in full["participants"] if p.get("primary")]
        full["person_id"] = (primaries or full["participants"])[0]["person_id"]
    return full
