"""Turn GraphQL errors into the contract's shape: a message and `extensions.code`."""

from __future__ import annotations

import logging

from graphql import GraphQLError

from pipedrive_graphql.errors import ErrorCode, GatewayError

logger = logging.getLogger("pipedrive_graphql.errors")

MASKED_MESSAGE = "Internal server error"


def error_code_of(error: GraphQLError) -> ErrorCode:
    """The contract code an error maps to."""
    original = error.original_error
    if isinstance(original, GatewayError):
        return original.code
    if _is_input_error(error):
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.INTERNAL_SERVER_ERROR


def _is_input_error(error: GraphQLError) -> bool:
    # Syntax, validation and variable coercion errors arise outside resolvers: no path.
    return error.original_error is None or error.path is None


def format_error(error: GraphQLError) -> dict[str, object]:
    """Format one error; unexpected exceptions are masked and logged, never shown."""
    original = error.original_error
    extensions: dict[str, object]
    if isinstance(original, GatewayError):
        message = original.message
        extensions = {"code": original.code.value, **original.extensions}
    elif _is_input_error(error):
        message = error.message
        extensions = {"code": ErrorCode.BAD_USER_INPUT.value}
    else:
        logger.error(
            "unexpected error in resolver at %s",
            error.path,
            exc_info=original,
        )
        message = MASKED_MESSAGE
        extensions = {"code": ErrorCode.INTERNAL_SERVER_ERROR.value}
    formatted: dict[str, object] = {"message": message}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path:
        formatted["path"] = list(error.path)
    formatted["extensions"] = extensions
    return formatted


def request_error(code: ErrorCode, message: str) -> dict[str, object]:
    """An error raised before execution (bad request, credentials, limits)."""
    return {"message": message, "extensions": {"code": code.value}}
