"""Automatic persisted queries (Apollo protocol): query text by SHA-256.

In an in-process LRU, and with Redis also under `pgql:apq:{sha256}` for a day, so a hash
registered on one replica is known to every replica.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

from pipedrive_graphql.datasources.state.redis_link import RedisLink
from pipedrive_graphql.errors import ErrorCode

_HASH = re.compile(r"[0-9a-f]{64}")
SHARED_TTL = 86_400  # seconds a registration stays in Redis after it was last registered


class PersistedQueryError(Exception):
    """A persisted-query request that cannot be served; carries the error code and HTTP status."""

    def __init__(self, code: ErrorCode, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def sha256_hex(query: str) -> str:
    """The hash clients send: hex SHA-256 of the exact query text (UTF-8)."""
    return hashlib.sha256(query.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PersistedQueryRef:
    """`extensions.persistedQuery` of a request."""

    version: int
    sha256: str


def persisted_ref(extensions: object) -> PersistedQueryRef | None:
    """Read `extensions.persistedQuery`; None when the request does not use APQ."""
    if not isinstance(extensions, Mapping):
        return None
    pq = extensions.get("persistedQuery")
    if pq is None:
        return None
    if not isinstance(pq, Mapping) or pq.get("version") != 1:
        raise PersistedQueryError(
            ErrorCode.BAD_USER_INPUT, "persistedQuery needs version 1 and a sha256Hash", 400
        )
    digest = pq.get("sha256Hash")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest.lower()):
        raise PersistedQueryError(ErrorCode.BAD_USER_INPUT, "sha256Hash must be 64 hex digits", 400)
    return PersistedQueryRef(1, digest.lower())


def read_manifest(path: str) -> dict[str, str]:
    """A manifest file `{sha256: query}` (JSON) by lower-case hash; ValueError says what is off."""
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as error:
        raise ValueError(f"must name a readable file ({error.strerror})") from None
    except orjson.JSONDecodeError:
        raise ValueError("must be a JSON file {sha256: query}; this one is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("must be a JSON object {sha256: query}")
    manifest: dict[str, str] = {}
    for digest, query in data.items():
        if not isinstance(query, str) or sha256_hex(query) != str(digest).lower():
            raise ValueError(f"has an entry {digest!r} that is not its query's SHA-256")
        manifest[str(digest).lower()] = query
    return manifest


class PersistedQueryStore:
    """Known queries by hash: a fixed manifest (never evicted) plus an LRU of registrations."""

    def __init__(
        self, capacity: int, *, only_known: bool = False, link: RedisLink | None = None
    ) -> None:
        self._capacity = capacity
        self.link = link
        self.shared_hits = 0
        self.only_known = only_known
        self._manifest: dict[str, str] = {}
        self._lru: OrderedDict[str, str] = OrderedDict()

    def load_manifest(self, path: str) -> int:
        """Load `{sha256: query}` (JSON) as permanently known operations; returns how many."""
        manifest = read_manifest(path)
        self._manifest.update(manifest)
        return len(manifest)

    def get(self, digest: str) -> str | None:
        """The query text for `digest`, if known."""
        found = self._manifest.get(digest)
        if found is not None:
            return found
        found = self._lru.get(digest)
        if found is not None:
            self._lru.move_to_end(digest)
        return found

    async def resolve_shared(self, ref: PersistedQueryRef | None, query: str | None) -> str | None:
        """`resolve`, first looking up in Redis a hash this replica has not seen."""
        if ref is not None and query is None and self.link is not None and not self.get(ref.sha256):
            key = self.link.key("apq", ref.sha256)
            text = await self.link.run(lambda r: r.get(key))
            if isinstance(text, str) and sha256_hex(text) == ref.sha256:
                self.shared_hits += 1
                self._remember(ref.sha256, text)
        return self.resolve(ref, query)

    def resolve(self, ref: PersistedQueryRef | None, query: str | None) -> str | None:
        """The query to run: from the store, or registered now; raises the protocol's errors."""
        if ref is None:
            if self.only_known and query is not None:
                raise PersistedQueryError(
                    ErrorCode.FORBIDDEN, "only persisted operations are allowed on this server", 403
                )
            return query
        known = self.get(ref.sha256)
        if query is None:
            if known is None:
                raise PersistedQueryError(
                    ErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound"
                )
            return known
        if sha256_hex(query) != ref.sha256:
            raise PersistedQueryError(
                ErrorCode.BAD_USER_INPUT, "provided sha256Hash does not match the query", 400
            )
        if known is None:
            if self.only_known:
                raise PersistedQueryError(
                    ErrorCode.FORBIDDEN, "only persisted operations are allowed on this server", 403
                )
            self._register(ref.sha256, query)
        return query

    def _register(self, digest: str, query: str) -> None:
        self._remember(digest, query)
        if self.link is not None:
            key = self.link.key("apq", digest)
            self.link.spawn(lambda r: r.set(key, query, ex=SHARED_TTL))

    def _remember(self, digest: str, query: str) -> None:
        self._lru[digest] = query
        if len(self._lru) > self._capacity:
            self._lru.popitem(last=False)

    def __len__(self) -> int:
        return len(self._manifest) + len(self._lru)
