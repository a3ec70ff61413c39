"""Client input echoed in error messages: as JSON, and cut short.

A message says `got true`, `got null`, `got [1, 2]` (the client's own notation, not Python's
`True`/`None`), and never carries more than ECHO_LENGTH characters of what the client sent.
"""

from __future__ import annotations

import json

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
