"""Typed settings, read from the environment in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_BASE_URL = "https://api.pipedrive.com"


class Secret:
    """A credential that never prints: repr and str are masked."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the raw value, for the one place that sends it upstream."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Every knob of the server; see the README's configuration table."""

    api_token: Secret | None = None
    base_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    embedded_dataset: str = "demo"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    request_deadline: float = 60.0
    pool_size: int = 64
    batching: bool = True
    cost_extension: bool = True
    max_depth: int = 12
    max_aliases: int = 30
    max_query_tokens: int = 5000
    max_upstream_calls: int = 200
    max_pipedrive_tokens: int = 2000
    reference_cache_ttl: float = 300.0
    allow_request_credentials: bool = True
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    plan: str = "growth"
    gc_tuning: bool = True
    log_format: str = "json"
    otel_enabled: bool = False
    apq_cache_size: int = 1000
    persisted_queries_only: bool = False
    persisted_queries_file: str | None = None

    @property
    def embedded(self) -> bool:
        """True when neither a token nor a base URL is set: run on the in-process emulator."""
        return self.api_token is None and self.base_url is None

    @property
    def upstream_url(self) -> str:
        """The base URL calls go to (scheme + host[:port])."""
        return (self.base_url or DEFAULT_BASE_URL).rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables (defaults for anything unset)."""
        e = os.environ if env is None else env
        token = e.get("PIPEDRIVE_API_TOKEN") or None
        origins = tuple(o.strip() for o in e.get("CORS_ORIGINS", "").split(",") if o.strip())
        d = cls()
        return cls(
            api_token=Secret(token) if token else None,
            base_url=e.get("PIPEDRIVE_BASE_URL") or None,
            host=e.get("HOST", d.host),
            port=int(e.get("PORT", d.port)),
            log_level=e.get("LOG_LEVEL", d.log_level).upper(),
            embedded_dataset=e.get("EMULATOR_DATASET", d.embedded_dataset),
            connect_timeout=float(e.get("UPSTREAM_CONNECT_TIMEOUT", d.connect_timeout)),
            read_timeout=float(e.get("UPSTREAM_READ_TIMEOUT", d.read_timeout)),
            request_deadline=float(e.get("REQUEST_DEADLINE", d.request_deadline)),
            pool_size=int(e.get("UPSTREAM_POOL_SIZE", d.pool_size)),
            batching=_bool(e.get("BATCHING", "true")),
            cost_extension=_bool(e.get("COST_EXTENSION", "true")),
            max_depth=int(e.get("MAX_QUERY_DEPTH", d.max_depth)),
            max_aliases=int(e.get("MAX_QUERY_ALIASES", d.max_aliases)),
            max_query_tokens=int(e.get("MAX_QUERY_TOKENS", d.max_query_tokens)),
            max_upstream_calls=int(e.get("MAX_UPSTREAM_CALLS", d.max_upstream_calls)),
            max_pipedrive_tokens=int(e.get("MAX_PIPEDRIVE_TOKENS", d.max_pipedrive_tokens)),
            reference_cache_ttl=float(e.get("REFERENCE_CACHE_TTL", d.reference_cache_ttl)),
            allow_request_credentials=_bool(e.get("ALLOW_REQUEST_CREDENTIALS", "true")),
            cors_origins=origins,
            plan=e.get("PIPEDRIVE_PLAN", d.plan).lower(),
            gc_tuning=_bool(e.get("GC_TUNING", "true")),
            log_format=e.get("LOG_FORMAT", d.log_format).lower(),
            otel_enabled=_bool(e.get("OTEL_ENABLED", "false")),
            apq_cache_size=int(e.get("APQ_CACHE_SIZE", d.apq_cache_size)),
            persisted_queries_only=_bool(e.get("PERSISTED_QUERIES_ONLY", "false")),
            persisted_queries_file=e.get("PERSISTED_QUERIES_FILE") or None,
        )
