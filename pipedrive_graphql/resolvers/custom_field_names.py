"""Bounds on the custom field names and keys a client gives, and how they are echoed back.

A name is looked up, and a close match searched, once per distinct name per request; the lookup
is refused before any work when a name is longer than any field name can be or a list names more
fields than an account could have. Echoed input is clipped so an error stays small.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pipedrive_graphql.errors import BadUserInputError

# Pipedrive's field names are short labels; 255 characters is the longest varchar it stores,
# far above any real name, and keeps a close-match search over the account's names cheap.
MAX_NAME_LENGTH = 255
# More names than any account's field list holds in practice; each is looked up once.
MAX_NAMES = 100
ECHO_LENGTH = 100


def clip(text: str) -> str:
    """`text` cut to ECHO_LENGTH characters, an ellipsis marking the cut."""
    return text if len(text) <= ECHO_LENGTH else f"{text[:ECHO_LENGTH]}…"


def shown(value: object) -> str:
    """A client-given value as JSON for a message (clipped): `true`, `null`, `[1, 2]`."""
    if isinstance(value, str):
        return json.dumps(clip(value), ensure_ascii=False)
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        text = str(value)
    return clip(text)


def check_names(argument: str, given: Sequence[object]) -> None:
    """BAD_USER_INPUT when `given` names too many fields or one name or key is too long."""
    if len(given) > MAX_NAMES:
        raise BadUserInputError(
            f"{argument} names {len(given)} custom fields; at most {MAX_NAMES} are allowed",
            extensions={"argument": argument, "limit": MAX_NAMES},
        )
    for item in given:
        if isinstance(item, str) and len(item) > MAX_NAME_LENGTH:
            raise BadUserInputError(
                f"{argument}: a custom field name or key has at most {MAX_NAME_LENGTH} "
                f"characters; got {len(item)} ({shown(item)})",
                extensions={"argument": argument, "field": clip(item), "limit": MAX_NAME_LENGTH},
            )
