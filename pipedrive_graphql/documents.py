"""Parsed and validated GraphQL documents, cached per process by query text."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    Source,
    parse,
    validate,
)
from graphql.language import Lexer, Token, TokenKind

from pipedrive_graphql.errors import QueryTooComplexError


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A query parsed and validated once; `errors` is non-empty when it cannot run."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]


class DocumentCache:
    """An LRU of prepared documents: parsing and validation cost more than small queries."""

    def __init__(self, schema: GraphQLSchema, max_tokens: int, max_size: int = 1024) -> None:
        self._schema = schema
        self._max_tokens = max_tokens
        self._max_size = max_size
        self._entries: OrderedDict[str, PreparedDocument] = OrderedDict()

    def prepare(self, query: str) -> PreparedDocument:
        """Return the parsed and validated document for `query`, from the cache when seen."""
        cached = self._entries.get(query)
        if cached is not None:
            self._entries.move_to_end(query)
            return cached
        prepared = self._prepare(query)
        self._entries[query] = prepared
        if len(self._entries) > self._max_size:
            self._entries.popitem(last=False)
        return prepared

    def _prepare(self, query: str) -> PreparedDocument:
        try:
            document = parse(query, max_tokens=self._max_tokens)
        except GraphQLError as error:
            if _is_token_limit(query, self._max_tokens, error):
                limit = QueryTooComplexError(
                    f"query exceeds the tokens limit of {self._max_tokens}",
                    extensions={"limit": "tokens", "max": self._max_tokens},
                )
                return PreparedDocument(None, (GraphQLError(limit.message, original_error=limit),))
            return PreparedDocument(None, (error,))
        errors = validate(self._schema, document)
        if errors:
            return PreparedDocument(None, tuple(errors))
        return PreparedDocument(document, ())


def _is_token_limit(query: str, max_tokens: int, error: GraphQLError) -> bool:
    """Whether parsing stopped at the token past `max_tokens`, not at a real syntax error.

    graphql-core reports both as a `GraphQLSyntaxError`; the token limit is the one raised at
    the start of token `max_tokens + 1`, counting comments as graphql-core does.
    """
    if not isinstance(error, GraphQLSyntaxError):
        return False
    lexer = Lexer(Source(query))
    first = lexer.token
    with contextlib.suppress(GraphQLError):  # count what lexes; a later error is not ours
        while lexer.advance().kind is not TokenKind.EOF:
            pass
    count = 0
    token: Token | None = first
    while token is not None:
        if token.kind not in (TokenKind.SOF, TokenKind.EOF):
            count += 1
            if count > max_tokens:
                return list(error.positions or ()) == [token.start]
        token = token.next
    return False
