"""Parse documents into trees of tokens, so the tuned collector never has to find them.

graphql-core links tokens both ways (`Token.prev` and `Token.next`): every parsed document,
and every token the lexer read before a document was refused, is one large reference cycle.
With the tuned thresholds (`app.tune_garbage_collector`) cycles wait for a full collection,
once per ~100 million allocations: unique query texts grew RSS by about 1.9 KB per request
(measured in process, 12,000 requests), and a refused megabyte of tokens kept about 130 MB.
Nothing reads `prev` (the parser walks `next`; graphql-core drops both links when it pickles
a token), so a lexer that never sets it leaves trees that reference counting frees at once.
"""

from __future__ import annotations

from graphql import Token
from graphql.language import Lexer


class ForwardLexer(Lexer):
    """graphql-core's lexer with forward links only: `Token.prev` stays `None`."""

    def lookahead(self) -> Token:
        """The next non-comment token; the tokens read on the way lose their back link."""
        found = super().lookahead()
        token = self.token.next
        while token is not None:
            token.prev = None
            if token is found:
                break
            token = token.next
        return found
