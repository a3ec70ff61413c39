"""Parsed and validated GraphQL documents, cached per process by a hash of the query text."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    Source,
    TokenKind,
    specified_rules,
    validate,
)
from graphql.language import Lexer
from graphql.language.parser import Parser, nested_too_deeply_error

from pipedrive_graphql.document_limits import (
    INTROSPECTION_TOKENS,
    check_tokens,
    check_validation_work,
)
from pipedrive_graphql.errors import QueryTooComplexError
from pipedrive_graphql.gc_tuning import ForwardLexer
from pipedrive_graphql.number_literals import FiniteNumbersRule

# Measured with tracemalloc: a parsed and validated document holds about 90 bytes per character
# of its query text (the AST nodes, their locations and the text itself).
DOCUMENT_BYTES_PER_CHAR = 100
# A cached failure keeps its messages and locations only, never the text or the AST.
FAILURE_OVERHEAD_BYTES = 256


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A query parsed and validated once; `errors` is non-empty when it cannot run."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    weight: int = 0  # estimated bytes held while cached


class DocumentCache:
    """An LRU of prepared documents bounded by entries and by estimated bytes.

    Keys are SHA-256 digests, so a cache entry never holds the text it was asked for; a failed
    document is kept as its error messages, so a stream of unique megabyte bodies that fail
    costs a few hundred bytes each, not their size.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        max_tokens: int,
        max_size: int = 1024,
        max_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self._schema = schema
        self._max_tokens = max_tokens
        self._max_size = max_size
        self._max_bytes = max_bytes
        self._entries: OrderedDict[bytes, PreparedDocument] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def prepare(self, query: str) -> PreparedDocument:
        """Return the parsed and validated document for `query`, from the cache when seen."""
        key = hashlib.sha256(query.encode("utf-8", "surrogatepass")).digest()
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            return cached
        prepared = self._prepare(query)
        if prepared.weight <= self._max_bytes:
            self._entries[key] = prepared
            self.bytes += prepared.weight
            while len(self._entries) > self._max_size or self.bytes > self._max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.bytes -= evicted.weight
        return prepared

    def _prepare(self, query: str) -> PreparedDocument:
        max_tokens = self._max_tokens + INTROSPECTION_TOKENS
        if _exceeds_tokens(query, max_tokens):
            limit = QueryTooComplexError(
                f"query exceeds the tokens limit of {self._max_tokens}",
                extensions={"limit": "tokens", "max": self._max_tokens},
            )
            return _failure((GraphQLError(limit.message, original_error=limit),))
        try:
            document = _parse(query, max_tokens)
        except GraphQLError as error:
            return _failure((error,))
        try:
            check_tokens(document, self._max_tokens)
            check_validation_work(document)
        except QueryTooComplexError as limit:
            return _failure((GraphQLError(limit.message, original_error=limit),))
        errors = validate(self._schema, document, (*specified_rules, FiniteNumbersRule))
        if errors:
            return _failure(tuple(errors))
        return PreparedDocument(document, (), len(query) * DOCUMENT_BYTES_PER_CHAR)


def _failure(errors: tuple[GraphQLError, ...]) -> PreparedDocument:
    detached = tuple(_detached(error) for error in errors)
    weight = FAILURE_OVERHEAD_BYTES + sum(len(error.message) for error in detached)
    return PreparedDocument(None, detached, weight)


def _detached(error: GraphQLError) -> GraphQLError:
    """The error without its source and AST nodes (which hold the whole query text)."""
    copy = GraphQLError(
        error.message, extensions=error.extensions, original_error=error.original_error
    )
    copy.locations = error.locations
    return copy


def _parse(query: str, max_tokens: int) -> DocumentNode:
    """graphql-core's `parse`, on a lexer whose tokens form no reference cycle."""
    source = Source(query)
    parser = Parser(source, max_tokens=max_tokens, lexer=ForwardLexer(source))
    try:
        return parser.parse_document()
    except RecursionError:
        pass
    raise nested_too_deeply_error(parser)


def _exceeds_tokens(query: str, max_tokens: int) -> bool:
    """Whether `query` has more than `max_tokens` tokens, comments counted as graphql-core does.

    Reads at most `max_tokens + 1` tokens and links none of them, so refusing a megabyte of
    tokens costs what the limit allows; a syntax error before the limit answers False and is
    left to the parser to report.
    """
    lexer = Lexer(Source(query))
    token = lexer.token
    count = 0
    while token.kind is not TokenKind.EOF:
        try:
            token = lexer.read_next_token(token.end)
        except GraphQLSyntaxError:
            return False
        count += token.kind is not TokenKind.EOF
        if count > max_tokens:
            return True
    return False
