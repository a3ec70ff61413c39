"""A dataset built for the analytics tests: known values, three currencies, rotting boundaries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipedrive_graphql.emulator.datasets import Dataset

NOW = datetime(2025, 3, 15, 12, 0, 0, tzinfo=UTC)

USERS = [{"id": 1, "name": "Ada Admin", "has_created_company": True}, {"id": 2, "name": "Bo Rep"}]
PIPELINES = [
    {"id": 1, "name": "Sales", "order_nr": 1, "is_deal_probability_enabled": True},
    {"id": 2, "name": "Partners", "order_nr": 2, "is_deal_probability_enabled": False},
]


def _stage(sid: int, pid: int, order: int, prob: int, rot: int | None) -> dict[str, Any]:
    return {
        "id": sid,
        "name": f"Stage {sid}",
        "pipeline_id": pid,
        "order_nr": order,
        "deal_probability": prob,
        "is_deal_rot_enabled": rot is not None,
        "days_to_rotten": rot,
    }


STAGES = [
    _stage(10, 1, 1, 10, None),
    _stage(11, 1, 2, 40, 10),
    _stage(12, 1, 3, 80, 5),
    _stage(20, 2, 1, 50, 7),
]


def _deal(
    did: int,
    stage: int,
    value: float,
    currency: str,
    *,
    status: str = "open",
    probability: float | None = None,
    changed: str | None = None,
    added: str = "2024-06-01T09:00:00Z",
    close_date: str | None = None,
    closed: str | None = None,
    owner: int = 1,
    deleted: bool = False,
) -> dict[str, Any]:
    pipeline = next(s["pipeline_id"] for s in STAGES if s["id"] == stage)
    deal: dict[str, Any] = {
        "id": did,
        "title": f"Deal {did}",
        "owner_id": owner,
        "pipeline_id": pipeline,
        "stage_id": stage,
        "value": value,
        "currency": currency,
        "status": status,
        "probability": probability,
        "stage_change_time": changed,
        "add_time": added,
        "update_time": closed or changed or added,
        "expected_close_date": close_date,
        "is_deleted": deleted,
    }
    if closed is not None:
        deal["close_time"] = closed
        deal[f"{status}_time"] = closed
    return deal


DEALS = [
    # open, rotting stage 11 (10 days): 14 days since the change -> rotten since 2025-03-11
    _deal(1, 11, 1000, "USD", changed="2025-03-01T00:00:00Z", close_date="2025-03-20"),
    # open, own probability, 5 days in a 10-day stage -> not rotten
    _deal(2, 11, 2000, "EUR", probability=25, changed="2025-03-10T00:00:00Z",
          close_date="2025-04-02"),
    # open, never changed stage: add_time counts; 5-day stage -> rotten since 2025-03-06
    _deal(3, 12, 500, "USD", added="2025-03-01T00:00:00Z"),
    # open, exactly 5 days in a 5-day stage at NOW -> not yet rotten (boundary)
    _deal(4, 12, 3000, "GBP", changed="2025-03-10T12:00:00Z", close_date="2025-06-30"),
    # open, old stage change but the stage does not rot
    _deal(5, 10, 700, "USD", changed="2024-01-01T00:00:00Z"),
    # won in the period, lost in the period; won and lost before it
    _deal(6, 12, 4000, "USD", status="won", changed="2025-01-15T00:00:00Z",
          closed="2025-02-10T10:00:00Z"),
    _deal(7, 11, 1500, "EUR", status="won", changed="2024-12-01T00:00:00Z",
          closed="2024-12-20T10:00:00Z"),
    _deal(8, 11, 800, "USD", status="lost", changed="2025-01-20T00:00:00Z",
          closed="2025-02-20T10:00:00Z"),
    _deal(9, 10, 600, "GBP", status="lost", closed="2025-01-05T10:00:00Z"),
    # open, another owner, rotten since 2025-02-11 (the longest-rotting of pipeline 1)
    _deal(10, 11, 1200, "USD", owner=2, changed="2025-02-01T00:00:00Z", close_date="2025-03-31"),
    # open, own probability, recent change
    _deal(11, 12, 900, "EUR", probability=60, changed="2025-03-12T00:00:00Z",
          close_date="2025-05-15"),
    # deleted: never counted
    _deal(12, 11, 99999, "USD", changed="2024-01-01T00:00:00Z", deleted=True),
    # pipeline 2 has probability off: own probability ignored, weighted = value
    _deal(13, 20, 5000, "USD", probability=30, changed="2025-01-01T00:00:00Z",
          close_date="2025-04-10"),
    _deal(14, 20, 100, "EUR", changed="2025-03-14T00:00:00Z"),
]  # fmt: skip


def analytics_dataset() -> Dataset:
    """The dataset: two pipelines (probability on / off), four stages, fourteen deals."""
    return Dataset(
        name="analytics",
        records={"users": USERS, "pipelines": PIPELINES, "stages": STAGES, "deals": DEALS},
    )
