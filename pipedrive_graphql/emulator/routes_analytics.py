"""v1 pipeline statistics the server calls: `GET /pipelines/{id}/conversion_statistics`.

The emulator keeps no stage-movement history, so it models conversion from where deals are
now. The cohort is the pipeline's (non-deleted) deals added within `[start_date, end_date]`
owned by `user_id`; without `user_id` by the authorized user, as the spec says ("If omitted,
the authorized user will be used"). A deal has reached stage k when its current stage's
`order_nr` is at least k's. `from → to` conversion is reached(to) / reached(from); won and lost
conversion are the won and lost shares of the cohort. Percentages round half up; 0 when the
denominator is 0.
"""

from __future__ import annotations

import itertools
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .entities import Record
from .envelopes import bad_request, json_response, not_found_v1
from .params import int_param
from .requests import path_id, store_of


def percent(part: int, whole: int) -> int:
    """`part / whole` as a whole percentage, half up (0 for an empty whole)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def _date(request: Request, name: str) -> str:
    raw = request.query_params.get(name)
    try:
        return date.fromisoformat(raw or "").isoformat()
    except ValueError:
        raise bad_request(f'"{name}" must be a date (YYYY-MM-DD)') from None


def _cohort(request: Request, pipeline_id: int, start: str, end: str) -> list[Record]:
    owner = int_param(request.query_params, "user_id")
    if owner is None:
        owner = int(store_of(request).company.get("me_user_id", 1))
    return [
        deal
        for deal in store_of(request).all("deals")
        if deal["pipeline_id"] == pipeline_id
        and not deal["is_deleted"]
        and start <= str(deal["add_time"])[:10] <= end
        and deal["owner_id"] == owner
    ]


async def conversion_statistics(request: Request) -> Response:
    """GET /v1/pipelines/{id}/conversion_statistics."""
    store = store_of(request)
    pipeline_id = path_id(request)
    if store.get("pipelines", pipeline_id) is None:
        raise not_found_v1("pipeline")
    start, end = _date(request, "start_date"), _date(request, "end_date")
    stages = sorted(
        (s for s in store.all("stages") if s["pipeline_id"] == pipeline_id),
        key=lambda s: (s["order_nr"], s["id"]),
    )
    order = {s["id"]: s["order_nr"] for s in stages}
    cohort = _cohort(request, pipeline_id, start, end)

    def reached(stage: Record) -> int:
        return sum(1 for d in cohort if order.get(d["stage_id"], 0) >= stage["order_nr"])

    conversions = [
        {
            "from_stage_id": a["id"],
            "to_stage_id": b["id"],
            "conversion_rate": percent(reached(b), reached(a)),
        }
        for a, b in itertools.pairwise(stages)
    ]
    won = sum(1 for d in cohort if d["status"] == "won")
    lost = sum(1 for d in cohort if d["status"] == "lost")
    data = {
        "stage_conversions": conversions,
        "won_conversion": percent(won, len(cohort)),
        "lost_conversion": percent(lost, len(cohort)),
    }
    return json_response({"success": True, "data": data})


def analytics_routes() -> list[Route]:
    """The statistics routes, under both `/v1` and `/api/v1`."""
    return [
        Route(
            f"{prefix}/pipelines/{{id}}/conversion_statistics",
            conversion_statistics,
            methods=["GET"],
        )
        for prefix in ("/v1", "/api/v1")
    ]
