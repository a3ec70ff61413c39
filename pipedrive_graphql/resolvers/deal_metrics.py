"""Per-deal figures derived from the deal, its stage and its pipeline at a given moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pipedrive_graphql.clock import parse_iso
from pipedrive_graphql.datasources.pipedrive.records import DealRecord, PipelineRecord, StageRecord

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DealSetting:
    """What a deal's figures depend on besides the deal: its stage and pipeline records."""

    stage: StageRecord | None
    pipeline: PipelineRecord | None


def probability(deal: DealRecord, where: DealSetting) -> float | None:
    """The deal's own probability, else its stage's; None when the pipeline disables it."""
    if where.pipeline is not None and not where.pipeline.is_deal_probability_enabled:
        return None
    if deal.probability is not None:
        return deal.probability
    return None if where.stage is None else _float(where.stage.deal_probability)


def weighted_value(deal: DealRecord, where: DealSetting) -> float | None:
    """Value times probability / 100; the full value when no probability applies."""
    if deal.value is None:
        return None
    chance = probability(deal, where)
    return deal.value if chance is None else deal.value * chance / 100


def stage_entered(deal: DealRecord) -> datetime | None:
    """When the deal entered its current stage: last stage change, else creation."""
    return parse_iso(deal.stage_change_time) or parse_iso(deal.add_time)


def _until(deal: DealRecord, now: datetime) -> datetime:
    """The end of the deal's clock: its close time when closed, else now."""
    closed = parse_iso(deal.close_time) if deal.status in ("won", "lost") else None
    return closed or now


def days_in_stage(deal: DealRecord, now: datetime) -> int | None:
    """Whole days since the deal entered its current stage (until it closed)."""
    entered = stage_entered(deal)
    return None if entered is None else max(0, (_until(deal, now) - entered) // DAY)


def age_days(deal: DealRecord, now: datetime) -> int | None:
    """Whole days since the deal was created (until it closed)."""
    added = parse_iso(deal.add_time)
    return None if added is None else max(0, (_until(deal, now) - added) // DAY)


def last_touched(deal: DealRecord) -> datetime | None:
    """The deal's last update (any change), else its creation: what rotting counts from."""
    return parse_iso(deal.update_time) or parse_iso(deal.add_time)


def rotten_since(deal: DealRecord, stage: StageRecord | None, now: datetime) -> datetime | None:
    """When an open deal rotted: last update + the stage's rotten days; None if it has not.

    Pipedrive's `days_to_rotten` counts "deals not updated in this stage" (v2 stage schema;
    Pipedrive's help on rotting deals says the same): any update restarts it, not only a stage
    change.
    """
    if deal.status != "open" or stage is None or not stage.is_deal_rot_enabled:
        return None
    if stage.days_to_rotten is None:
        return None
    touched = last_touched(deal)
    if touched is None:
        return None
    since = touched + timedelta(days=stage.days_to_rotten)
    return since if now > since else None


def _float(value: int | None) -> float | None:
    return None if value is None else float(value)
