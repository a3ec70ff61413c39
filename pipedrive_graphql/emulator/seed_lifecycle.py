"""What real accounts hold besides live records: archived deals, deleted records, activities
with several participants, a person whose primary email is empty, organizations without an
address. Applied to generated tables by id (no random draws, so the rest of a dataset is
unchanged), before the documentation examples are added.
"""

from __future__ import annotations

from .entities import Record

# v2 organizations always carry an `address` object (the response schema declares an object,
# not a nullable one). Its parts are strings, "" when unknown, as in Pipedrive's API v2 migration
# guide ("New v2 Activity Object Example": `"street_number": ""`); the formatted `value` is
# null without an address, as the spec's examples show it.
EMPTY_ADDRESS: Record = {"value": None} | dict.fromkeys(
    (
        "country",
        "admin_area_level_1",
        "admin_area_level_2",
        "locality",
        "sublocality",
        "route",
        "street_number",
        "subpremise",
        "postal_code",
    ),
    "",
)


def add_lifecycle(tables: dict[str, list[Record]]) -> None:
    """Give some activities several participants, no time or a note; some persons an empty
    primary email."""
    for org in tables["organizations"]:
        if org.get("address") is None:
            org["address"] = dict(EMPTY_ADDRESS)
    persons = tables["persons"]
    for person in persons:
        if person["id"] % 33 == 0:
            # Pipedrive returns a primary entry with an empty value when the address was cleared.
            person["emails"] = [
                {"value": "", "primary": True, "label": "work"},
                *({**e, "primary": False} for e in person["emails"]),
            ]
    for activity in tables["activities"]:
        if activity["id"] % 7 == 0:
            # An all-day task: Pipedrive sends its unset time and duration as "".
            activity["due_time"] = activity["duration"] = ""
        if activity["id"] % 5 == 0:
            activity["note"] = f"<p>Agenda for activity {activity['id']}.</p>"
        if activity["id"] % 9 == 0 and activity.get("participants") and persons:
            guest = persons[(activity["id"] * 7) % len(persons)]["id"]
            if all(p["person_id"] != guest for p in activity["participants"]):
                activity["participants"] = [
                    *activity["participants"],
                    {"person_id": guest, "primary": False},
                ]


def _next_id(rows: list[Record]) -> int:
    return max((int(r["id"]) for r in rows), default=0) + 1


def add_archived_and_deleted(tables: dict[str, list[Record]]) -> None:
    """Append archived deals and deleted records (the `demo` dataset's; sizes elsewhere stay).

    The added records are linked from nothing else, so the lists and links of the generated
    records (and what they cost upstream) are unchanged; tests that need a link to an archived
    or deleted record make one.
    """
    deals, persons = tables["deals"], tables["persons"]
    if deals:
        template = next((d for d in deals if d.get("status") == "won"), deals[0])
        first = _next_id(deals)
        for offset, status in enumerate(("won", "lost", "open")):
            deals.append(
                {
                    **{k: v for k, v in template.items() if k not in ("won_time", "lost_time")},
                    "id": first + offset,
                    "title": f"Archived {status} deal #{first + offset}",
                    "status": status,
                    "is_archived": True,
                    "is_deleted": False,
                    **({f"{status}_time": template.get("close_time")} if status != "open" else {}),
                    "close_time": template.get("close_time") if status != "open" else None,
                    "lost_reason": "Archived" if status == "lost" else None,
                }
            )
    if persons:
        persons.append(
            {**persons[0], "id": _next_id(persons), "name": "Deleted Person", "is_deleted": True}
        )
    orgs = tables["organizations"]
    if orgs:
        orgs.append(
            {**orgs[0], "id": _next_id(orgs), "name": "Deleted Organization", "is_deleted": True}
        )
    activities = tables["activities"]
    if activities:
        activities.append({**activities[0], "id": _next_id(activities), "is_deleted": True})
    notes = tables["notes"]
    if notes:
        notes.append({**notes[0], "id": _next_id(notes), "active_flag": False})
