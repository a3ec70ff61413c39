"""Named datasets: records per table plus the company of `/users/me`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .entities import Record

DEFAULT_COMPANY: Record = {
    "company_id": 5550001,
    "company_name": "Emulated Company Ltd",
    "company_domain": "emulated-company",
    "company_country": "US",
    "company_industry": "IT Services",
    "language": {"language_code": "en", "country_code": "US"},
}


@dataclass(frozen=True)
class Dataset:
    """Records by table (`persons`, `deals`, ...); missing fields get defaults on insert."""

    name: str
    records: Mapping[str, Sequence[Record]]
    company: Record = field(default_factory=lambda: dict(DEFAULT_COMPANY))
    me_user_id: int = 1


def empty() -> Dataset:
    """One user, one pipeline, one stage."""
    return Dataset(
        name="empty",
        records={
            "users": [{"id": 1, "name": "Admin User", "has_created_company": True}],
            "pipelines": [{"id": 1, "name": "Pipeline", "order_nr": 1}],
            "stages": [{"id": 1, "name": "Lead In", "pipeline_id": 1, "order_nr": 1}],
        },
    )


def load_dataset(name: str) -> Dataset:
    """Build the named dataset (`demo`, `target`, `large`, `empty`)."""
    from .seed import demo, large, target

    builders: dict[str, Callable[[], Dataset]] = {
        "demo": demo,
        "target": target,
        "large": large,
        "empty": empty,
    }
    if name not in builders:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(builders)}")
    return builders[name]()
