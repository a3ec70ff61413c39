"""The document cache: keyed by a hash, failures kept small, bounded by entries and by bytes."""

from __future__ import annotations

from pipedrive_graphql.documents import (
    DOCUMENT_BYTES_PER_CHAR,
    FAILURE_OVERHEAD_BYTES,
    DocumentCache,
)
from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.schema import build_schema
from tests.conftest import make_settings
from tests.production.prod_support import serve

SCHEMA = build_schema()._schema


def test_failed_documents_are_cached_as_their_errors_not_their_text() -> None:
    cache = DocumentCache(SCHEMA, max_tokens=5000)
    for i in range(20):
        huge = "{ " + f"field{i} " + "#" * 100_000 + "\n nosuch }"  # valid syntax, invalid field
        prepared = cache.prepare(huge)
        assert prepared.document is None
        assert prepared.errors[0].source is None
        assert prepared.errors[0].nodes is None
        assert prepared.errors[0].locations is not None  # still reported to the client
    assert len(cache) == 20
    assert cache.bytes < 20 * (FAILURE_OVERHEAD_BYTES + 200)
    again = cache.prepare("{ " + "field3 " + "#" * 100_000 + "\n nosuch }")
    assert "Cannot query field 'field3'" in again.errors[0].message


def test_cache_is_bounded_by_bytes_as_well_as_entries() -> None:
    texts = [f"{{ pipelines {{ results {{ id n{i}: name }} }} }}" for i in range(10)]
    per_entry = len(texts[0]) * DOCUMENT_BYTES_PER_CHAR  # all ten have the same length
    cache = DocumentCache(SCHEMA, max_tokens=5000, max_size=1000, max_bytes=per_entry * 3)
    for text in texts:
        assert cache.prepare(text).document is not None
    assert len(cache) == 3  # the byte bound, not the entry bound, decided
    assert cache.bytes == per_entry * 3
    first = cache.prepare(texts[0])  # evicted: prepared again, a new document
    assert first.document is not None
    small = DocumentCache(SCHEMA, max_tokens=5000, max_size=2)
    for text in texts:
        small.prepare(text)
    assert len(small) == 2


def test_an_entry_larger_than_the_whole_budget_is_not_cached() -> None:
    cache = DocumentCache(SCHEMA, max_tokens=5000, max_bytes=1000)
    assert cache.prepare("{ pipelines { results { id } } }").document is not None
    assert len(cache) == 0
    assert cache.bytes == 0


async def test_cache_limits_come_from_settings(upstream: Emulator) -> None:
    settings = make_settings(document_cache_size=2, document_cache_bytes=10_000_000)
    async with serve(settings, upstream) as http:
        for limit in (1, 2, 3):
            query = f"{{ deals(limit: {limit}) {{ results {{ id }} }} }}"
            response = await http.post("/graphql", json={"query": query})
            assert len(response.json()["data"]["deals"]["results"]) == limit
        runtime = http._transport.app.state.runtime  # type: ignore[attr-defined]
        assert len(runtime.documents) == 2
