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


UPSTREAM_CLIENTS = ("aiohttp", "httpx")
PLANS = ("lite", "growth", "premium", "ultimate")  # the governor's burst presets
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("json", "text")
DATASETS = ("demo", "target", "large", "empty")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class ConfigError(ValueError):
    """An environment variable the server cannot use; the message names it and what it takes."""


class _Env:
    """Reads typed values out of the environment; unset or empty means the default."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def raw(self, name: str) -> str | None:
        value = self.env.get(name)
        return value.strip() if value is not None and value.strip() else None

    def text(self, name: str, default: str) -> str:
        return self.raw(name) or default

    def integer(self, name: str, default: int) -> int:
        value = self.raw(name)
        try:
            return default if value is None else int(value)
        except ValueError:
            raise ConfigError(f"{name} must be a whole number; got {value!r}") from None

    def number(self, name: str, default: float) -> float:
        value = self.raw(name)
        try:
            return default if value is None else float(value)
        except ValueError:
            raise ConfigError(f"{name} must be a number of seconds; got {value!r}") from None

    def fraction(self, name: str, default: float) -> float:
        value = self.raw(name)
        try:
            result = default if value is None else float(value)
        except ValueError:
            result = -1.0
        if not 0.0 < result <= 1.0:
            raise ConfigError(f"{name} must be a fraction in (0, 1]; got {value!r}")
        return result

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise ConfigError(f"{name} must be true or false; got {value!r}")

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.raw(name)
        if value is None:
            return default
        for option in allowed:
            if value.lower() == option.lower():
                return option
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


@dataclass(frozen=True)
class Settings:
    """Every knob of the server; see the README's configuration table."""

    api_token: Secret | None = None
    base_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    embedded_dataset: str = "demo"
    # a user-facing gateway answers in seconds: a hung Pipedrive costs at most the deadline
    connect_timeout: float = 3.0
    read_timeout: float = 5.0
    request_deadline: float = 10.0
    pool_size: int = 64
    upstream_client: str = "aiohttp"  # or "httpx": the connection pool under the httpx client
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
    # upstream resilience: circuit breakers (per scope, see datasources/guard.py) and retries
    breaker_failure_rate: float = 0.5
    breaker_min_calls: int = 5
    breaker_window: float = 30.0
    breaker_cool_down: float = 15.0
    retry_max_attempts: int = 4
    retry_min_time: float = 1.0
    # The embedded emulator refuses requests the Pipedrive spec does not allow (400), as
    # Pipedrive does; EMULATOR_STRICT=false makes it lenient.
    emulator_strict: bool = True
    # shared state across replicas (unset: everything stays in process)
    redis_url: Secret | None = None  # may carry a password: never printed
    redis_timeout: float = 0.5  # bound on every Redis call; past it that call works alone
    cursor_max_age: float = 60.0  # an offset cursor older than this is re-walked, never trusted
    daily_probe_interval: float = 60.0  # one real call this often while the daily budget is out
    # HTTP in: bodies, slow or silent connections, parsed-document cache
    max_body_bytes: int = 1_048_576
    body_read_timeout: float = 10.0
    header_read_timeout: float = 10.0
    max_header_bytes: int = 65_536
    keep_alive_timeout: int = 5
    max_connections: int = 800
    document_cache_size: int = 1024
    document_cache_bytes: int = 64 * 1024 * 1024
    # custom fields: the shortest time between two fetches of an account's field definitions
    # when a name or key is not found (seconds; the definitions otherwise live for
    # REFERENCE_CACHE_TTL)
    custom_fields_refresh_interval: float = 30.0

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
        e = _Env(os.environ if env is None else env)
        token = e.raw("PIPEDRIVE_API_TOKEN")
        origins = tuple(o.strip() for o in e.text("CORS_ORIGINS", "").split(",") if o.strip())
        d = cls()
        return cls(
            api_token=Secret(token) if token else None,
            base_url=e.raw("PIPEDRIVE_BASE_URL"),
            host=e.text("HOST", d.host),
            port=e.integer("PORT", d.port),
            log_level=e.choice("LOG_LEVEL", d.log_level, LOG_LEVELS),
            embedded_dataset=e.choice("EMULATOR_DATASET", d.embedded_dataset, DATASETS),
            connect_timeout=e.number("UPSTREAM_CONNECT_TIMEOUT", d.connect_timeout),
            read_timeout=e.number("UPSTREAM_READ_TIMEOUT", d.read_timeout),
            request_deadline=e.number("REQUEST_DEADLINE", d.request_deadline),
            pool_size=e.integer("UPSTREAM_POOL_SIZE", d.pool_size),
            upstream_client=e.choice("UPSTREAM_CLIENT", d.upstream_client, UPSTREAM_CLIENTS),
            batching=e.flag("BATCHING", d.batching),
            cost_extension=e.flag("COST_EXTENSION", d.cost_extension),
            max_depth=e.integer("MAX_QUERY_DEPTH", d.max_depth),
            max_aliases=e.integer("MAX_QUERY_ALIASES", d.max_aliases),
            max_query_tokens=e.integer("MAX_QUERY_TOKENS", d.max_query_tokens),
            max_upstream_calls=e.integer("MAX_UPSTREAM_CALLS", d.max_upstream_calls),
            max_pipedrive_tokens=e.integer("MAX_PIPEDRIVE_TOKENS", d.max_pipedrive_tokens),
            reference_cache_ttl=e.number("REFERENCE_CACHE_TTL", d.reference_cache_ttl),
            allow_request_credentials=e.flag(
                "ALLOW_REQUEST_CREDENTIALS", d.allow_request_credentials
            ),
            cors_origins=origins,
            plan=e.choice("PIPEDRIVE_PLAN", d.plan, PLANS),
            gc_tuning=e.flag("GC_TUNING", d.gc_tuning),
            log_format=e.choice("LOG_FORMAT", d.log_format, LOG_FORMATS),
            otel_enabled=e.flag("OTEL_ENABLED", d.otel_enabled),
            apq_cache_size=e.integer("APQ_CACHE_SIZE", d.apq_cache_size),
            persisted_queries_only=e.flag("PERSISTED_QUERIES_ONLY", d.persisted_queries_only),
            persisted_queries_file=e.raw("PERSISTED_QUERIES_FILE"),
            breaker_failure_rate=e.fraction("BREAKER_FAILURE_RATE", d.breaker_failure_rate),
            breaker_min_calls=e.integer("BREAKER_MIN_CALLS", d.breaker_min_calls),
            breaker_window=e.number("BREAKER_WINDOW", d.breaker_window),
            breaker_cool_down=e.number("BREAKER_COOL_DOWN", d.breaker_cool_down),
            retry_max_attempts=e.integer("UPSTREAM_MAX_ATTEMPTS", d.retry_max_attempts),
            retry_min_time=e.number("RETRY_MIN_TIME", d.retry_min_time),
            emulator_strict=e.flag("EMULATOR_STRICT", d.emulator_strict),
            redis_url=Secret(redis) if (redis := e.raw("REDIS_URL")) else None,
            redis_timeout=e.number("REDIS_TIMEOUT", d.redis_timeout),
            cursor_max_age=e.number("CURSOR_MAX_AGE", d.cursor_max_age),
            daily_probe_interval=e.number("DAILY_PROBE_INTERVAL", d.daily_probe_interval),
            max_body_bytes=e.integer("MAX_BODY_BYTES", d.max_body_bytes),
            body_read_timeout=e.number("BODY_READ_TIMEOUT", d.body_read_timeout),
            header_read_timeout=e.number("HEADER_READ_TIMEOUT", d.header_read_timeout),
            max_header_bytes=e.integer("MAX_HEADER_BYTES", d.max_header_bytes),
            keep_alive_timeout=e.integer("KEEP_ALIVE_TIMEOUT", d.keep_alive_timeout),
            max_connections=e.integer("MAX_CONNECTIONS", d.max_connections),
            document_cache_size=e.integer("DOCUMENT_CACHE_SIZE", d.document_cache_size),
            document_cache_bytes=e.integer("DOCUMENT_CACHE_BYTES", d.document_cache_bytes),
            custom_fields_refresh_interval=e.number(
                "CUSTOM_FIELDS_REFRESH_INTERVAL", d.custom_fields_refresh_interval
            ),
        )
