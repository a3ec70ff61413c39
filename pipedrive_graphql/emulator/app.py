"""The emulator's Starlette app: routes, Pipedrive error bodies and the middleware stack."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from .auth import AuthMiddleware
from .control import control_routes
from .custom_fields import custom_field_routes
from .envelopes import GENERIC_INFO, ApiError, error_response
from .faults import FaultMiddleware
from .latency import LatencyMiddleware
from .log import RequestLogMiddleware
from .ratelimit import RateLimitMiddleware
from .routes_analytics import analytics_routes
from .routes_v1 import v1_routes
from .routes_v2 import v2_routes
from .state import EmulatorState
from .strict import StrictValidationMiddleware
from .webhook_routes import webhook_routes


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(ApiError(404, "Unknown method .", GENERIC_INFO))
    if exc.status_code == 405:
        return error_response(ApiError(405, "Method not allowed", GENERIC_INFO))
    return error_response(ApiError(exc.status_code, str(exc.detail), GENERIC_INFO))


def build_app(state: EmulatorState, reset: Callable[[], None]) -> Starlette:
    """Assemble routes and middlewares (log, auth, faults, limits, latency, strict: outer first)."""
    middleware = [
        Middleware(RequestLogMiddleware, state),
        Middleware(AuthMiddleware, state),
        Middleware(FaultMiddleware, state),
        Middleware(RateLimitMiddleware, state),
        Middleware(LatencyMiddleware, state),
        Middleware(StrictValidationMiddleware, state),
    ]
    routes = [
        *control_routes(state, reset),
        *v2_routes(),
        *v1_routes(),
        *analytics_routes(),
        *custom_field_routes(),
        *webhook_routes(state),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.emulator = state
    return app
