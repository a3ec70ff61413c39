"""The standalone emulator's control surface under `/_emulator` (faults, reset, request log)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from pipedrive_graphql.emulator.faults import CONTROL_PREFIX, FaultRule

if TYPE_CHECKING:
    from pipedrive_graphql.emulator.state import EmulatorState

RULE_FIELDS = frozenset(field.name for field in dataclasses.fields(FaultRule))


def _ok(data: object, status: int = 200) -> JSONResponse:
    return JSONResponse({"success": True, "data": data}, status_code=status)


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"success": False, "error": message}, status_code=400)


def control_routes(state: EmulatorState, reset: Callable[[], None]) -> list[BaseRoute]:
    """Routes to mount without auth, outside the request log: faults, reset, log."""

    async def add_fault(request: Request) -> JSONResponse:
        try:
            raw: Any = await request.json()
        except ValueError:
            return _bad("body must be a JSON fault rule")
        if not isinstance(raw, dict) or not set(raw) <= RULE_FIELDS:
            return _bad(f"a fault rule has the fields {sorted(RULE_FIELDS)}")
        try:
            rule = FaultRule(**raw)
        except (TypeError, ValueError) as exc:
            return _bad(str(exc))
        state.faults.add(rule)
        return _ok(dataclasses.asdict(rule), status=201)

    async def list_faults(request: Request) -> JSONResponse:
        rules = [dataclasses.asdict(rule) for rule in state.faults.rules]
        fired = [dataclasses.asdict(fault) for fault in state.faults.fired]
        return _ok({"rules": rules, "fired": fired})

    async def clear_faults(request: Request) -> JSONResponse:
        count = len(state.faults.rules)
        state.faults.clear()
        return _ok({"cleared": count})

    async def reset_all(request: Request) -> JSONResponse:
        reset()
        return _ok({"reset": True})

    async def request_log(request: Request) -> JSONResponse:
        prefix = request.query_params.get("path_prefix", "")
        entries = [
            dataclasses.asdict(entry)
            for entry in state.log.entries
            if entry.path.startswith(prefix)
        ]
        return _ok(entries)

    return [
        Route(f"{CONTROL_PREFIX}/faults", add_fault, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/faults", list_faults, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/faults", clear_faults, methods=["DELETE"]),
        Route(f"{CONTROL_PREFIX}/reset", reset_all, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/log", request_log, methods=["GET"]),
    ]
