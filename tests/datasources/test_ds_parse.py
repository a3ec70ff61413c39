"""Parsing Pipedrive JSON into records: timestamps, flags, nested shapes."""

from __future__ import annotations

import pytest

from pipedrive_graphql.datasources.pipedrive import parse


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-01 09:30:00", "2024-05-01T09:30:00Z"),
        ("2024-05-01T09:30:00Z", "2024-05-01T09:30:00Z"),
        ("2024-05-01T09:30:00.000Z", "2024-05-01T09:30:00Z"),
        ("2024-05-01T11:30:00+02:00", "2024-05-01T09:30:00Z"),
        ("", None),
        (None, None),
    ],
)
def test_timestamps_are_normalised_to_utc_z(raw: object, expected: str | None) -> None:
    assert parse.timestamp(raw) == expected


def test_v2_person_keeps_emails_and_phones_with_primary() -> None:
    person = parse.person(
        {
            "id": 7,
            "name": "Jane Doe",
            "emails": [
                {"value": "j@home.example", "primary": False, "label": "home"},
                {"value": "j@work.example", "primary": True, "label": "work"},
            ],
            "phones": [],
            "add_time": "2024-01-01T00:00:00Z",
            "org_id": None,
        }
    )
    assert person.email == "j@work.example"
    assert [e.label for e in person.emails] == ["home", "work"]
    assert person.phone is None
    assert person.org_id is None


def test_organization_address_object_becomes_its_value() -> None:
    org = parse.organization({"id": 1, "name": "Acme", "address": {"value": "1 Main St, Tallinn"}})
    assert org.address == "1 Main St, Tallinn"
    assert parse.organization({"id": 2, "name": "B", "address": None}).address is None


def test_v1_note_times_and_flags() -> None:
    note = parse.note(
        {
            "id": 3,
            "content": "<p>x</p>",
            "add_time": "2019-12-09 13:59:21",
            "pinned_to_deal_flag": 1,
            "pinned_to_person_flag": False,
            "deal_id": 5,
        }
    )
    assert note.add_time == "2019-12-09T13:59:21Z"
    assert note.pinned_to_deal_flag is True
    assert note.pinned_to_person_flag is False


def test_mail_list_wrapper_is_unwrapped_and_parent_filled() -> None:
    wrapped = {
        "object": "mailMessage",
        "timestamp": "2020-09-16 13:38:17",
        "data": {
            "id": 9,
            "from": [{"email_address": "a@x.example", "name": "A", "linked_person_id": 4}],
            "to": [],
            "read_flag": 1,
            "has_attachments_flag": 0,
            "draft_flag": 0,
            "message_time": "2020-09-16T13:38:17.000Z",
        },
    }
    message = parse.mail_list_item(wrapped, parent=("deal", 77))
    assert message.id == 9
    assert message.deal_id == 77
    assert message.person_id is None
    assert message.read is True
    assert message.has_attachments is False
    assert message.from_[0].linked_person_id == 4
    assert message.message_time == "2020-09-16T13:38:17Z"


def test_missing_id_is_a_parse_error() -> None:
    with pytest.raises(parse.ParseError):
        parse.deal({"title": "no id"})
