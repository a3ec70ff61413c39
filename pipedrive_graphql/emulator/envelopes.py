"""Pipedrive's success and error envelopes, as JSON responses."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

GENERIC_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API."
UNAUTHORIZED_BODY = {
    "success": False,
    "error": "unauthorized access",
    "errorCode": 401,
    "error_info": "Please check developers.pipedrive.com",
}


class ApiError(Exception):
    """An error answered with Pipedrive's error body."""

    def __init__(self, status: int, message: str, info: str = GENERIC_INFO) -> None:
        """Describe the HTTP status, the `error` message and the `error_info`."""
        super().__init__(message)
        self.status = status
        self.message = message
        self.info = info


def json_response(body: Any, status: int = 200) -> Response:
    """Serialise `body` as a JSON response."""
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def error_response(error: ApiError) -> Response:
    """Render an ApiError as Pipedrive does."""
    body = {
        "success": False,
        "error": error.message,
        "error_info": error.info,
        "data": None,
        "additional_data": None,
    }
    return json_response(body, error.status)


def not_found_v2() -> ApiError:
    """The v2 404 for a missing entity."""
    return ApiError(404, "Entity was not found", "Object was not found.")


def not_found_v1(kind: str) -> ApiError:
    """The v1 404 for a missing entity of `kind` (e.g. `note`)."""
    return ApiError(404, f"requested {kind} not found", "Object was not found.")


def bad_request(message: str, info: str = GENERIC_INFO) -> ApiError:
    """A 400 validation error."""
    return ApiError(400, message, info)


def v2_single(data: Any) -> Response:
    """`{success, data}`."""
    return json_response({"success": True, "data": data})


def v2_list(data: list[Any], next_cursor: str | None) -> Response:
    """`{success, data, additional_data: {next_cursor}}`."""
    return json_response(
        {"success": True, "data": data, "additional_data": {"next_cursor": next_cursor}}
    )


def v1_pagination(start: int, limit: int, more: bool) -> dict[str, Any]:
    """The v1 `pagination` object; `next_start` only when more items exist."""
    page: dict[str, Any] = {"start": start, "limit": limit, "more_items_in_collection": more}
    if more:
        page["next_start"] = start + limit
    return page


def v1_list(data: list[Any], start: int, limit: int, more: bool) -> Response:
    """`{success, data, additional_data: {pagination}}`."""
    body = {
        "success": True,
        "data": data,
        "additional_data": {"pagination": v1_pagination(start, limit, more)},
    }
    return json_response(body)


def v1_single(data: Any) -> Response:
    """`{success, data}` for v1 single objects."""
    return json_response({"success": True, "data": data})
