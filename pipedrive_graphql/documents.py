"""Parsed and validated GraphQL documents, cached per process by query text."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

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
            if "tokens" in error.message and "more than" in error.message:
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
