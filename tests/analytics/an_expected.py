"""Expected figures computed straight from the dataset records, not through the server's code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.analytics.an_dataset import DEALS, NOW, PIPELINES, STAGES

Deal = dict[str, Any]


def when(text: str) -> datetime:
    """Parse a dataset timestamp."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def live(**match: Any) -> list[Deal]:
    """Non-deleted deals whose fields equal `match`."""
    return [d for d in DEALS if not d["is_deleted"] and all(d[k] == v for k, v in match.items())]


def stage(deal: Deal) -> dict[str, Any]:
    """The stage record of a deal."""
    return next(s for s in STAGES if s["id"] == deal["stage_id"])


def probability(deal: Deal) -> float | None:
    """Own probability, else the stage's; None where the pipeline turns probability off."""
    pipe = next(p for p in PIPELINES if p["id"] == deal["pipeline_id"])
    if not pipe["is_deal_probability_enabled"]:
        return None
    own = deal["probability"]
    return float(own if own is not None else stage(deal)["deal_probability"])


def weighted(deal: Deal) -> float:
    """value * probability / 100 (the value when no probability applies)."""
    chance = probability(deal)
    return float(deal["value"]) if chance is None else deal["value"] * chance / 100


def rotten_since(deal: Deal) -> datetime | None:
    """Last update + rotten days when that is before NOW and the deal is open in a rotting stage
    (Pipedrive: "deals not updated in this stage")."""
    s = stage(deal)
    if deal["status"] != "open" or not s["is_deal_rot_enabled"]:
        return None
    since = when(deal["update_time"] or deal["add_time"]) + timedelta(s["days_to_rotten"])
    return since if since < NOW else None


def per_currency(deals: list[Deal]) -> list[dict[str, Any]]:
    """Count, value and weighted value per currency, sorted by currency."""
    out: dict[str, dict[str, Any]] = {}
    for d in deals:
        row = out.setdefault(
            d["currency"], {"currency": d["currency"], "count": 0, "value": 0.0,
                            "weightedValue": 0.0}
        )  # fmt: skip
        row["count"] += 1
        row["value"] += d["value"]
        row["weightedValue"] += weighted(d)
    return [out[c] for c in sorted(out)]


def in_period(text: str | None, start: str, end: str) -> bool:
    """Whether a timestamp's date is within [start, end]."""
    return text is not None and start <= text[:10] <= end
