"""Seeded deals, activities, notes and mail messages (the linked records of a dataset)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from .clock import mail_time, v1_time, v2_time
from .entities import Record

if TYPE_CHECKING:
    from .seed import SeedGenerator

CURRENCIES = ("USD",) * 7 + ("EUR", "EUR", "GBP")


def make_deal(gen: SeedGenerator, deal_id: int, person: Record | None) -> Record:
    """One deal linked to `person` (and their organization) in a random stage."""
    from .seed import LOST_REASONS, PRODUCTS

    r = gen.rng
    stages = gen.tables["stages"]
    stage = stages[r.randrange(len(stages))]
    org_id = person["org_id"] if person else None
    added = gen.moment(500)
    roll = r.random()
    status = "open" if roll < 0.6 else "won" if roll < 0.8 else "lost" if roll < 0.97 else "deleted"
    deal: Record = {
        "id": deal_id,
        "title": f"{r.choice(PRODUCTS)} #{deal_id}",
        "owner_id": r.randint(1, gen.sizes.users),
        "person_id": person["id"] if person else None,
        "org_id": org_id,
        "pipeline_id": stage["pipeline_id"],
        "stage_id": stage["id"],
        "value": r.randrange(5, 500) * 100,
        "currency": r.choice(CURRENCIES),
        "add_time": v2_time(added),
        "status": "open" if status == "deleted" else status,
        "is_deleted": status == "deleted",
        "probability": r.choice((None, None, 20, 50, 80)),
        "expected_close_date": (added + timedelta(days=r.randint(10, 120))).strftime("%Y-%m-%d")
        if r.random() < 0.85
        else None,
    }
    changed = gen.later(added)
    # A deal still in its pipeline's first stage never changed stage: Pipedrive sends null.
    first = min(
        (s for s in stages if s["pipeline_id"] == stage["pipeline_id"]), key=lambda s: s["order_nr"]
    )
    deal["stage_change_time"] = None if stage is first else v2_time(changed)
    closed = gen.later(changed)
    if status in ("won", "lost"):
        deal["close_time"] = v2_time(closed)
        deal[f"{status}_time"] = v2_time(closed)
    if status == "lost":
        deal["lost_reason"] = r.choice(LOST_REASONS)
    deal["update_time"] = v2_time(closed)
    return deal


def make_activity(gen: SeedGenerator, activity_id: int) -> Record:
    """One activity on a random deal (and its person), done or undone."""
    from .seed import ACTIVITY_TYPES

    r = gen.rng
    deals = gen.tables["deals"]
    deal = deals[r.randrange(len(deals))] if deals else None
    kind = r.choice(ACTIVITY_TYPES)
    added = gen.moment(400)
    due = added + timedelta(days=r.randint(0, 60))
    done = r.random() < 0.5
    person_id = deal["person_id"] if deal else None
    return {
        "id": activity_id,
        "subject": f"{kind.capitalize()} about {deal['title'] if deal else 'follow-up'}",
        "type": kind,
        "owner_id": r.randint(1, gen.sizes.users),
        "creator_user_id": 1,
        "add_time": v2_time(added),
        "update_time": v2_time(gen.later(added)),
        "deal_id": deal["id"] if deal else None,
        "person_id": person_id,
        "org_id": deal["org_id"] if deal else None,
        "due_date": due.strftime("%Y-%m-%d"),
        "due_time": f"{r.randint(8, 17):02d}:{r.choice((0, 30)):02d}:00",
        "duration": "00:30:00",
        "done": done,
        "marked_as_done_time": v2_time(due) if done else None,
        "participants": [{"person_id": person_id, "primary": True}] if person_id else [],
        "note": "",
    }


def make_note(gen: SeedGenerator, note_id: int) -> Record:
    """One note on a deal, a person or an organization, sometimes pinned."""
    r = gen.rng
    added = gen.moment(400)
    target = r.random()
    note: Record = {
        "id": note_id,
        "content": f"<p>Follow-up {note_id}: discussed next steps.</p>",
        "user_id": r.randint(1, gen.sizes.users),
        "add_time": v1_time(added),
        "update_time": v1_time(gen.later(added)),
    }
    pinned = r.random() < 0.2
    if target < 0.6 and gen.tables["deals"]:
        deal = gen.tables["deals"][r.randrange(len(gen.tables["deals"]))]
        note.update(deal_id=deal["id"], person_id=deal["person_id"], org_id=deal["org_id"])
        note["pinned_to_deal_flag"] = pinned
    elif target < 0.85 and gen.tables["persons"]:
        person = gen.tables["persons"][r.randrange(len(gen.tables["persons"]))]
        note.update(person_id=person["id"], org_id=person["org_id"])
        note["pinned_to_person_flag"] = pinned
    else:
        note["org_id"] = r.randint(1, gen.sizes.organizations)
        note["pinned_to_organization_flag"] = pinned
    return note


def make_mail(gen: SeedGenerator, mail_id: int) -> Record:
    """One mail message exchanged with a deal's person."""
    r = gen.rng
    deals = gen.tables["deals"]
    deal = deals[r.randrange(len(deals))] if deals else None
    sent = gen.moment(300)
    subject = f"Re: {deal['title']}" if deal else "Hello"
    return {
        "id": mail_id,
        "from": [_party(mail_id * 2, "sales@emulated.example", "Sales Team", None)],
        "to": [
            _party(
                mail_id * 2 + 1,
                f"contact{mail_id}@customer.example",
                "Customer",
                deal["person_id"] if deal else None,
            )
        ],
        "subject": subject,
        "snippet": f"Thanks for the call about {subject[4:]}.",
        "body": f"<p>Thanks for the call about {subject[4:]}.</p>",
        "mail_thread_id": mail_id,
        "sent_flag": 1,
        "mail_tracking_status": r.choice((None, "opened", "not opened")),
        "message_time": mail_time(sent),
        "add_time": mail_time(sent),
        "update_time": mail_time(sent),
        "_deal_id": deal["id"] if deal else None,
        "_person_ids": [deal["person_id"]] if deal and deal["person_id"] else [],
        "_org_id": deal["org_id"] if deal else None,
    }


def _party(party_id: int, email: str, name: str, person_id: int | None) -> Record:
    return {
        "id": party_id,
        "email_address": email,
        "name": name,
        "linked_person_id": person_id,
        "linked_person_name": "",
        "mail_message_party_id": party_id,
    }
