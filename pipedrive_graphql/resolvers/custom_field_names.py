"""Bounds on the custom field names and keys a client gives, and how they are echoed back.

A name is looked up, and a close match searched, once per distinct name per request; the lookup
is refused before any work when a name is longer than any field name can be or a list names more
fields than an account could have. Echoed input is clipped so an error stays small.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.echo import clip, shown

# Pipedrive's field names are short labels; 255 characters is the longest varchar it stores,
# far above any real name, and keeps a close-match search over the account's names cheap.
MAX_NAME_LENGTH = 255
# More names than any account's field list holds in practice; each is looked up once.
MAX_NAMES = 100


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
