"""A validation rule: every number literal in a document is finite.

graphql-core reads a Float or JSON literal such as `1e400` with Python's `float()`, which gives
`inf` without complaint; sent on, `inf` serialises as JSON `null` and silently clears the field
(a deal value, a custom number). JSON bodies cannot carry such numbers (the body parser refuses
them), so literals are the one way in. A validation error is a BAD_USER_INPUT before execution.
"""

from __future__ import annotations

import math

from graphql import FloatValueNode, GraphQLError, ValidationRule

# A literal is echoed up to this many characters (it may be thousands of digits long).
ECHO_LENGTH = 40


class FiniteNumbersRule(ValidationRule):
    """Refuse a float literal that overflows a double (`1e400`, `-1e999`)."""

    def enter_float_value(self, node: FloatValueNode, *_: object) -> None:
        """Report a literal whose value is not a finite number."""
        if not math.isfinite(float(node.value)):
            text = node.value
            shown = text if len(text) <= ECHO_LENGTH else f"{text[:ECHO_LENGTH]}…"
            self.report_error(
                GraphQLError(
                    f"number {shown} is out of range: numbers must be finite "
                    "(at most about 1.8e308 in magnitude)",
                    node,
                )
            )
