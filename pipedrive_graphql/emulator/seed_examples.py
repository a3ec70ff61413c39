"""Records with the ids the Pipedrive documentation examples use, added to `demo`."""

from __future__ import annotations

from .entities import Record

_T = "2025-03-03T10:00:00Z"


def add_examples(tables: dict[str, list[Record]]) -> None:
    """Append person 12345, organizations 67890/99999, deal 54321, note 98765, mail 11111."""
    tables["organizations"] += [
        {
            "id": 67890,
            "name": "Acme Corp",
            "owner_id": 1,
            "add_time": _T,
            "update_time": _T,
            "address": {
                "value": "1 Market Street, San Francisco",
                "country": "US",
                "locality": "San Francisco",
                "route": "Market Street",
            },
            "website": "https://acme.example",
        },
        {
            "id": 99999,
            "name": "Globex Corporation",
            "owner_id": 2,
            "add_time": _T,
            "update_time": _T,
        },
    ]
    tables["persons"].append(
        {
            "id": 12345,
            "name": "John Doe",
            "first_name": "John",
            "last_name": "Doe",
            "owner_id": 1,
            "org_id": 67890,
            "add_time": _T,
            "update_time": _T,
            "emails": [
                {"value": "john@acme.com", "primary": True, "label": "work"},
                {"value": "john.doe@home.example", "primary": False, "label": "home"},
            ],
            "phones": [{"value": "+1 555 0100", "primary": True, "label": "work"}],
        }
    )
    tables["deals"].append(
        {
            "id": 54321,
            "title": "Acme Corp - Enterprise License",
            "owner_id": 1,
            "person_id": 12345,
            "org_id": 67890,
            "pipeline_id": 1,
            "stage_id": 1,
            "value": 50000,
            "currency": "USD",
            "add_time": _T,
            "update_time": _T,
            "stage_change_time": _T,
            "status": "open",
            "probability": 60,
            "expected_close_date": "2025-09-30",
        }
    )
    for offset, (subject, done) in enumerate(
        (
            ("Call John about the license", False),
            ("Send the contract draft", False),
            ("Kick-off meeting", True),
        )
    ):
        tables["activities"].append(
            {
                "id": 70001 + offset,
                "subject": subject,
                "type": "call" if offset == 0 else "task",
                "owner_id": 1,
                "deal_id": 54321,
                "person_id": 12345,
                "org_id": 67890,
                "add_time": _T,
                "update_time": _T,
                "due_date": f"2025-06-1{offset}",
                "due_time": "10:00:00",
                "duration": "00:30:00",
                "done": done,
                "marked_as_done_time": _T if done else None,
                "participants": [{"person_id": 12345, "primary": True}],
            }
        )
    tables["notes"] += [
        {
            "id": 98765,
            "content": "<p>John asked for a volume discount.</p>",
            "deal_id": 54321,
            "person_id": 12345,
            "org_id": 67890,
            "user_id": 1,
            "pinned_to_deal_flag": True,
            "add_time": "2025-03-04 09:00:00",
            "update_time": "2025-03-04 09:00:00",
        },
        {
            "id": 98766,
            "content": "<p>Legal review scheduled.</p>",
            "deal_id": 54321,
            "user_id": 1,
            "add_time": "2025-03-05 09:00:00",
            "update_time": "2025-03-05 09:00:00",
        },
    ]
    tables["mail_messages"].append(
        {
            "id": 11111,
            "subject": "Enterprise License proposal",
            "snippet": "Please find the proposal.",
            "body": "<p>Hi John, please find the Enterprise License proposal attached.</p>",
            "from": [
                {
                    "id": 1,
                    "email_address": "sales@emulated.example",
                    "name": "Sales Team",
                    "linked_person_id": None,
                    "linked_person_name": "",
                    "mail_message_party_id": 1,
                }
            ],
            "to": [
                {
                    "id": 2,
                    "email_address": "john@acme.com",
                    "name": "John Doe",
                    "linked_person_id": 12345,
                    "linked_person_name": "John Doe",
                    "mail_message_party_id": 2,
                }
            ],
            "sent_flag": 1,
            "has_attachments_flag": 1,
            "has_real_attachments_flag": 1,
            "mail_thread_id": 11111,
            "message_time": "2025-03-06T08:00:00.000Z",
            "add_time": "2025-03-06T08:00:00.000Z",
            "update_time": "2025-03-06T08:00:00.000Z",
            "_deal_id": 54321,
            "_person_ids": [12345],
            "_org_id": 67890,
        }
    )
