"""The record and parser of v1 `GET /pipelines/{id}/conversion_statistics`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipedrive_graphql.datasources.pipedrive.parse import ParseError


@dataclass(frozen=True, slots=True)
class StageConversionRecord:
    """The share (percent) of deals that moved from one stage to the next."""

    from_stage_id: int
    to_stage_id: int
    conversion_rate: int


@dataclass(frozen=True, slots=True)
class ConversionStatistics:
    """Stage-to-stage conversions and the won and lost shares (percent) of a period."""

    stage_conversions: tuple[StageConversionRecord, ...]
    won_conversion: int
    lost_conversion: int


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError("conversion statistics: expected a number")
    return int(value)


def conversion_statistics(data: Any) -> ConversionStatistics:
    """Parse the `data` object of the conversion statistics answer."""
    if not isinstance(data, dict):
        raise ParseError("conversion statistics: upstream answered without an object")
    rows = data.get("stage_conversions") or []
    stages = tuple(
        StageConversionRecord(
            _int(row.get("from_stage_id")),
            _int(row.get("to_stage_id")),
            _int(row.get("conversion_rate")),
        )
        for row in rows
        if isinstance(row, dict)
    )
    return ConversionStatistics(
        stages, _int(data.get("won_conversion", 0)), _int(data.get("lost_conversion", 0))
    )
