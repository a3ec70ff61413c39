"""Seeded generators for the `demo`, `target` and `large` datasets."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .clock import v1_time, v2_time
from .datasets import Dataset
from .entities import Record
from .seed_custom_fields import add_custom_fields, with_custom_fields

BASE_TIME = datetime(2025, 6, 1, 9, 0, 0, tzinfo=UTC)
FIRST = (
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Felix",
    "Grace",
    "Hugo",
    "Iris",
    "Jonas",
    "Kara",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
)
LAST = (
    "Smith",
    "Novak",
    "Garcia",
    "Keller",
    "Tamm",
    "Rossi",
    "Dubois",
    "Berg",
    "Kowalski",
    "Silva",
    "Meyer",
    "Larsen",
    "Costa",
    "Brown",
    "Ivanova",
    "Laine",
    "Moreau",
    "Fischer",
)
ORG_A = ("Blue", "North", "Bright", "Iron", "Green", "Swift", "Silver", "Rapid", "Clear", "Prime")
ORG_B = ("Harbor", "Peak", "Forge", "Leaf", "Bridge", "Stone", "Wave", "Field", "Orbit", "Pixel")
ORG_C = ("Ltd", "Inc", "GmbH", "OÜ", "Group", "Labs")
CITIES = (
    ("Tallinn", "EE"),
    ("Berlin", "DE"),
    ("London", "GB"),
    ("New York", "US"),
    ("Austin", "US"),
    ("Paris", "FR"),
)
PRODUCTS = (
    "CRM rollout",
    "Support plan",
    "Annual license",
    "Onboarding",
    "API add-on",
    "Team upgrade",
    "Consulting",
    "Data migration",
)
LOST_REASONS = ("Price too high", "Chose a competitor", "No budget", "Timing", "No response")
ACTIVITY_TYPES = ("call", "meeting", "task", "email", "deadline", "lunch")
PIPELINES = (
    (
        1,
        "Sales",
        True,
        (
            ("Lead In", 10, None),
            ("Contact Made", 25, 14),
            ("Demo Scheduled", 50, None),
            ("Proposal Made", 70, 7),
            ("Negotiations Started", 90, None),
        ),
    ),
    (
        2,
        "Partnerships",
        False,
        (("Qualified", 30, None), ("Agreement Sent", 60, 21), ("Signed", 100, None)),
    ),
)


@dataclass(frozen=True)
class Sizes:
    """How many records of each kind a generated dataset holds."""

    users: int
    organizations: int
    persons: int
    deals: int
    activities: int
    notes: int
    mail_messages: int


class SeedGenerator:
    """Builds the tables of one generated dataset from a seeded random source."""

    def __init__(self, seed: int, sizes: Sizes) -> None:
        """Start a generator for `sizes` from `seed`."""
        self.rng = random.Random(seed)
        self.sizes = sizes
        self.tables: dict[str, list[Record]] = {}

    def moment(self, max_days: int = 365) -> datetime:
        """Return a random moment up to `max_days` before the base time."""
        return BASE_TIME - timedelta(seconds=self.rng.randrange(max_days * 86400))

    def later(self, start: datetime) -> datetime:
        """Return a random moment between `start` and the base time."""
        span = int((BASE_TIME - start).total_seconds())
        return start + timedelta(seconds=self.rng.randrange(span + 1))

    def build(self) -> dict[str, list[Record]]:
        """Generate every table."""
        self.users()
        self.pipelines()
        self.organizations()
        self.persons()
        self.deals()
        self.activities()
        self.notes()
        self.mail_messages()
        from .seed_lifecycle import add_lifecycle

        add_lifecycle(self.tables)
        return self.tables

    def users(self) -> None:
        """Generate users; user 1 is the admin behind the token."""
        rows = []
        for i in range(1, self.sizes.users + 1):
            name = f"{FIRST[(i * 7) % len(FIRST)]} {LAST[(i * 5) % len(LAST)]}"
            admin = i == 1
            last_login = v1_time(self.moment(10))
            rows.append(
                {
                    "id": i,
                    "name": name,
                    "email": f"{name.lower().replace(' ', '.')}@emulated.example",
                    "has_created_company": admin,
                    "last_login": last_login,
                    # some users have a picture and were edited: the spec's examples show both
                    # (`icon_url` a URL or null, `modified` a time); the others keep null
                    "icon_url": f"https://emulated.example/avatars/{i}.png" if i % 2 else None,
                    "modified": last_login if i % 2 == 0 else None,
                    "created": v1_time(self.moment(900)),
                    "role_id": 1 if admin else 2,
                    "access": [
                        {"app": "global", "admin": admin, "permission_set_id": "global-default"},
                        {"app": "sales", "admin": admin, "permission_set_id": "sales-default"},
                    ],
                }
            )
        self.tables["users"] = rows

    def pipelines(self) -> None:
        """Generate the two pipelines and their stages."""
        pipes, stages, stage_id = [], [], 1
        start = v2_time(BASE_TIME - timedelta(days=800))
        for pid, name, probability, stage_defs in PIPELINES:
            pipes.append(
                {
                    "id": pid,
                    "name": name,
                    "order_nr": pid,
                    "add_time": start,
                    "update_time": start,
                    "is_deal_probability_enabled": probability,
                }
            )
            for order, (sname, prob, rot) in enumerate(stage_defs, start=1):
                stages.append(
                    {
                        "id": stage_id,
                        "name": sname,
                        "pipeline_id": pid,
                        "order_nr": order,
                        "deal_probability": prob,
                        "is_deal_rot_enabled": rot is not None,
                        "days_to_rotten": rot,
                        "add_time": start,
                        "update_time": start,
                    }
                )
                stage_id += 1
        self.tables["pipelines"], self.tables["stages"] = pipes, stages

    def organizations(self) -> None:
        """Generate organizations."""
        rows = []
        for i in range(1, self.sizes.organizations + 1):
            r = self.rng
            name = f"{r.choice(ORG_A)} {r.choice(ORG_B)} {r.choice(ORG_C)}"
            if i > len(ORG_A) * len(ORG_B):
                name = f"{name} {i}"
            city, country = r.choice(CITIES)
            added = self.moment(700)
            rows.append(
                {
                    "id": i,
                    "name": name,
                    "owner_id": r.randint(1, self.sizes.users),
                    "add_time": v2_time(added),
                    "update_time": v2_time(self.later(added)),
                    "address": {
                        "value": f"{r.randint(1, 99)} Main Street, {city}",
                        "country": country,
                        "locality": city,
                        "route": "Main Street",
                    }
                    if r.random() < 0.8
                    else None,
                    "website": f"https://{name.split()[0].lower()}{i}.example"
                    if r.random() < 0.6
                    else None,
                    "employee_count": r.choice((None, 10, 50, 250, 1000)),
                }
            )
        self.tables["organizations"] = rows

    def persons(self) -> None:
        """Generate persons, some with several emails and phones."""
        rows, r = [], self.rng
        for i in range(1, self.sizes.persons + 1):
            first, last = r.choice(FIRST), r.choice(LAST)
            org_id = r.randint(1, self.sizes.organizations) if r.random() < 0.85 else None
            local = f"{first}.{last}{i}".lower()
            emails = [
                {"value": f"{local}@work{org_id or 0}.example", "primary": True, "label": "work"}
            ]
            if r.random() < 0.25:
                emails.append({"value": f"{local}@home.example", "primary": False, "label": "home"})
            phones = [{"value": f"+1 555 {i:07d}", "primary": True, "label": "work"}]
            if r.random() < 0.2:
                phones.append({"value": f"+1 444 {i:07d}", "primary": False, "label": "mobile"})
            added = self.moment(700)
            rows.append(
                {
                    "id": i,
                    "name": f"{first} {last}",
                    "first_name": first,
                    "last_name": last,
                    "owner_id": r.randint(1, self.sizes.users),
                    "org_id": org_id,
                    "emails": emails,
                    "phones": phones if r.random() < 0.9 else [],
                    "add_time": v2_time(added),
                    "update_time": v2_time(self.later(added)),
                }
            )
        self.tables["persons"] = rows

    def deals(self) -> None:
        """Generate deals across stages and statuses."""
        from .seed_deals import make_deal

        persons = self.tables["persons"]
        self.tables["deals"] = [
            make_deal(self, i, persons[self.rng.randrange(len(persons))] if persons else None)
            for i in range(1, self.sizes.deals + 1)
        ]

    def activities(self) -> None:
        """Generate done and undone activities."""
        from .seed_deals import make_activity

        self.tables["activities"] = [
            make_activity(self, i) for i in range(1, self.sizes.activities + 1)
        ]

    def notes(self) -> None:
        """Generate pinned and unpinned notes."""
        from .seed_deals import make_note

        self.tables["notes"] = [make_note(self, i) for i in range(1, self.sizes.notes + 1)]

    def mail_messages(self) -> None:
        """Generate mail messages linked to deals, persons and organizations."""
        from .seed_deals import make_mail

        self.tables["mail_messages"] = [
            make_mail(self, i) for i in range(1, self.sizes.mail_messages + 1)
        ]


def generate(name: str, seed: int, sizes: Sizes) -> Dataset:
    """Generate a dataset of `sizes` from a fixed `seed`."""
    return Dataset(name=name, records=SeedGenerator(seed, sizes).build())


def demo() -> Dataset:
    """A believable small company, plus the records the documentation examples use."""
    from .seed_examples import add_examples

    sizes = Sizes(
        users=4,
        organizations=36,
        persons=100,
        deals=150,
        activities=220,
        notes=120,
        mail_messages=60,
    )
    from .seed_lifecycle import add_archived_and_deleted

    generator = SeedGenerator(20240601, sizes)
    tables = generator.build()
    add_archived_and_deleted(tables)
    add_examples(tables)
    add_custom_fields(tables, "demo")
    return Dataset(name="demo", records=tables)


def target() -> Dataset:
    """The account size of the performance targets."""
    dataset = generate(
        "target",
        7,
        Sizes(
            # Three sales reps: their owners cost 6 tokens by single GETs, 20 by the list.
            users=3,
            organizations=15,
            persons=60,
            deals=120,
            activities=150,
            notes=80,
            mail_messages=40,
        ),
    )
    return with_custom_fields(dataset, "target")


def large() -> Dataset:
    """A large account for benchmarks."""
    return generate(
        "large",
        11,
        Sizes(
            users=25,
            organizations=2000,
            persons=10_000,
            deals=20_000,
            activities=50_000,
            notes=20_000,
            mail_messages=2000,
        ),
    )
