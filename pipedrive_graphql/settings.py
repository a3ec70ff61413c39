"""Typed settings, read from the environment in one place and refused when they cannot work.

On pydantic-settings rather than our own parser: it maps each field to its variable, parses and
range-checks values and reports every refusal with the variable it came from; what stays ours is
the wording of the one-line message `serve` prints before exiting with code 2.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from redis.connection import parse_url as redis_parse_url

from pipedrive_graphql.apq import read_manifest
from pipedrive_graphql.ascii_digits import ascii_int

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
_HOSTNAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")
# a header value must be visible ASCII: anything else cannot be sent as `x-api-token`
_TOKEN = re.compile(r"[\x21-\x7e]+")


class ConfigError(ValueError):
    """An environment variable the server cannot use; the message names it and what it takes."""


def _one_of(allowed: tuple[str, ...]) -> Callable[[object], str]:
    """A validator that accepts any case of `allowed` and returns its canonical spelling."""

    def canonical(value: object) -> str:
        for option in allowed:
            if isinstance(value, str) and value.lower() == option.lower():
                return option
        raise ValueError(f"must be one of {', '.join(allowed)}")

    return canonical


def _secret(value: object) -> Secret | None:
    if value is None or isinstance(value, Secret):
        return value
    if not isinstance(value, str):
        raise ValueError("must be text")
    token = value.strip()  # as read from a secrets file, with its newline
    if not token:
        return None
    if not _TOKEN.fullmatch(token):
        raise ValueError("must be printable ASCII without spaces (the value is not shown)")
    return Secret(token)


def _redis_url(value: object) -> Secret | None:
    if value is None or isinstance(value, Secret):
        return value
    if not isinstance(value, str):
        raise ValueError("must be text")
    url = value.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("redis", "rediss", "unix") or not (parts.hostname or parts.path):
        # the value may carry a password: it is never repeated
        raise ValueError("must be a redis://, rediss:// or unix:// URL (the value is not shown)")
    if not _redis_options_valid(url, parts.scheme, parts.path):
        raise ValueError(
            "must name its database by number (redis://host:port/0) and use only valid "
            "options (the value is not shown)"
        )
    return Secret(url)


def _redis_options_valid(url: str, scheme: str, path: str) -> bool:
    """The database number and query options redis-py would read from `url` are usable.

    redis-py ignores a database path that is not a number (`/abc` silently means database 0)
    and reads non-ASCII digits as numbers; its parser still checks the query options' types.
    """
    database = path.strip("/") if scheme != "unix" else ""
    query = dict(parse_qsl(urlsplit(url).query))
    database = query.get("db", database)
    if database and ascii_int(database) is None:
        return False
    try:
        redis_parse_url(url)  # type: ignore[no-untyped-call]
    except ValueError:
        return False
    return True


def _origins(value: object) -> object:
    if isinstance(value, str):
        return tuple(origin.strip() for origin in value.split(",") if origin.strip())
    return value


def _http_origin(url: str) -> bool:
    """True for `scheme://host[:port]` with an http(s) scheme and nothing after the authority."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
    )


Seconds = Annotated[float, Field(gt=0, description="seconds")]
SecondsOrZero = Annotated[float, Field(ge=0, description="seconds")]
Count = Annotated[int, Field(ge=1)]


class Settings(BaseSettings):
    """Every knob of the server; see the README's configuration table.

    Built from the environment by `from_env` (each field reads the variable named by its
    alias) or directly from field names in tests; either way every value is validated.
    """

    model_config = SettingsConfigDict(
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
        validate_default=True,
        arbitrary_types_allowed=True,
        case_sensitive=True,
        allow_inf_nan=False,  # an infinite timeout or deadline is a hung request
    )

    api_token: Annotated[Secret | None, BeforeValidator(_secret)] = Field(
        default=None, validation_alias="PIPEDRIVE_API_TOKEN"
    )
    base_url: str | None = Field(default=None, validation_alias="PIPEDRIVE_BASE_URL")
    host: str = Field(default="127.0.0.1", validation_alias="HOST")
    port: int = Field(default=8000, ge=1, le=65535, validation_alias="PORT")
    log_level: Annotated[str, BeforeValidator(_one_of(LOG_LEVELS))] = Field(
        default="INFO", validation_alias="LOG_LEVEL"
    )
    embedded_dataset: Annotated[str, BeforeValidator(_one_of(DATASETS))] = Field(
        default="demo", validation_alias="EMULATOR_DATASET"
    )
    # a user-facing gateway answers in seconds: a hung Pipedrive costs at most the deadline
    connect_timeout: Seconds = Field(default=3.0, validation_alias="UPSTREAM_CONNECT_TIMEOUT")
    read_timeout: Seconds = Field(default=5.0, validation_alias="UPSTREAM_READ_TIMEOUT")
    request_deadline: Seconds = Field(default=10.0, validation_alias="REQUEST_DEADLINE")
    pool_size: Count = Field(default=64, validation_alias="UPSTREAM_POOL_SIZE")
    # the connection pool under the httpx client
    upstream_client: Annotated[str, BeforeValidator(_one_of(UPSTREAM_CLIENTS))] = Field(
        default="aiohttp", validation_alias="UPSTREAM_CLIENT"
    )
    batching: bool = Field(default=True, validation_alias="BATCHING")
    cost_extension: bool = Field(default=True, validation_alias="COST_EXTENSION")
    max_depth: Count = Field(default=12, validation_alias="MAX_QUERY_DEPTH")
    max_aliases: Count = Field(default=30, validation_alias="MAX_QUERY_ALIASES")
    max_query_tokens: Count = Field(default=5000, validation_alias="MAX_QUERY_TOKENS")
    max_upstream_calls: Count = Field(default=200, validation_alias="MAX_UPSTREAM_CALLS")
    max_pipedrive_tokens: Count = Field(default=2000, validation_alias="MAX_PIPEDRIVE_TOKENS")
    reference_cache_ttl: SecondsOrZero = Field(
        default=300.0, validation_alias="REFERENCE_CACHE_TTL"
    )
    allow_request_credentials: bool = Field(
        default=True, validation_alias="ALLOW_REQUEST_CREDENTIALS"
    )
    cors_origins: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_origins)] = Field(
        default=(), validation_alias="CORS_ORIGINS"
    )
    plan: Annotated[str, BeforeValidator(_one_of(PLANS))] = Field(
        default="growth", validation_alias="PIPEDRIVE_PLAN"
    )
    gc_tuning: bool = Field(default=True, validation_alias="GC_TUNING")
    log_format: Annotated[str, BeforeValidator(_one_of(LOG_FORMATS))] = Field(
        default="json", validation_alias="LOG_FORMAT"
    )
    otel_enabled: bool = Field(default=False, validation_alias="OTEL_ENABLED")
    apq_cache_size: Count = Field(default=1000, validation_alias="APQ_CACHE_SIZE")
    persisted_queries_only: bool = Field(default=False, validation_alias="PERSISTED_QUERIES_ONLY")
    persisted_queries_file: str | None = Field(
        default=None, validation_alias="PERSISTED_QUERIES_FILE"
    )
    # upstream resilience: circuit breakers (per scope, see datasources/resilience/guard.py)
    # and retries
    breaker_failure_rate: float = Field(
        default=0.5, gt=0.0, le=1.0, validation_alias="BREAKER_FAILURE_RATE"
    )
    breaker_min_calls: Count = Field(default=5, validation_alias="BREAKER_MIN_CALLS")
    breaker_window: Seconds = Field(default=30.0, validation_alias="BREAKER_WINDOW")
    breaker_cool_down: Seconds = Field(default=15.0, validation_alias="BREAKER_COOL_DOWN")
    retry_max_attempts: Count = Field(default=4, validation_alias="UPSTREAM_MAX_ATTEMPTS")
    retry_min_time: SecondsOrZero = Field(default=1.0, validation_alias="RETRY_MIN_TIME")
    # The embedded emulator refuses requests the Pipedrive spec does not allow (400), as
    # Pipedrive does; EMULATOR_STRICT=false makes it lenient.
    emulator_strict: bool = Field(default=True, validation_alias="EMULATOR_STRICT")
    # shared state across replicas (unset: everything stays in process)
    redis_url: Annotated[Secret | None, BeforeValidator(_redis_url)] = Field(
        default=None, validation_alias="REDIS_URL"
    )  # may carry a password: never printed
    # bound on every Redis call; past it that call works alone
    redis_timeout: Seconds = Field(default=0.5, validation_alias="REDIS_TIMEOUT")
    # an offset cursor older than this is re-walked, never trusted
    cursor_max_age: Seconds = Field(default=60.0, validation_alias="CURSOR_MAX_AGE")
    # one real call this often while the daily budget is out
    daily_probe_interval: Seconds = Field(default=60.0, validation_alias="DAILY_PROBE_INTERVAL")
    # HTTP in: bodies, slow or silent connections, parsed-document cache
    max_body_bytes: Count = Field(default=1_048_576, validation_alias="MAX_BODY_BYTES")
    body_read_timeout: Seconds = Field(default=10.0, validation_alias="BODY_READ_TIMEOUT")
    header_read_timeout: Seconds = Field(default=10.0, validation_alias="HEADER_READ_TIMEOUT")
    max_header_bytes: Count = Field(default=65_536, validation_alias="MAX_HEADER_BYTES")
    keep_alive_timeout: Count = Field(default=5, validation_alias="KEEP_ALIVE_TIMEOUT")
    max_connections: Count = Field(default=800, validation_alias="MAX_CONNECTIONS")
    # WebSocket (subscription) connections, capped apart: idle subscribers must not use up
    # the connections HTTP requests and health probes need
    max_subscription_connections: Count = Field(
        default=1000, validation_alias="MAX_SUBSCRIPTION_CONNECTIONS"
    )
    document_cache_size: Count = Field(default=1024, validation_alias="DOCUMENT_CACHE_SIZE")
    document_cache_bytes: Count = Field(
        default=64 * 1024 * 1024, validation_alias="DOCUMENT_CACHE_BYTES"
    )
    # custom fields: the shortest time between two fetches of an account's field definitions
    # when a name or key is not found (seconds; the definitions otherwise live for
    # REFERENCE_CACHE_TTL; 0: refetch on every miss)
    custom_fields_refresh_interval: SecondsOrZero = Field(
        default=30.0, validation_alias="CUSTOM_FIELDS_REFRESH_INTERVAL"
    )
    # live updates: Pipedrive webhooks in, subscriptions out (see pipedrive_graphql/live/);
    # the HTTP Basic auth Pipedrive sends with each webhook, and where Pipedrive reaches us
    webhook_username: Annotated[Secret | None, BeforeValidator(_secret)] = Field(
        default=None, validation_alias="WEBHOOK_USERNAME"
    )
    webhook_password: Annotated[Secret | None, BeforeValidator(_secret)] = Field(
        default=None, validation_alias="WEBHOOK_PASSWORD"
    )
    public_url: str | None = Field(default=None, validation_alias="PUBLIC_URL")

    SECRET_VARIABLES: ClassVar[frozenset[str]] = frozenset(
        {"PIPEDRIVE_API_TOKEN", "REDIS_URL", "WEBHOOK_USERNAME", "WEBHOOK_PASSWORD"}
    )

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not _http_origin(value):
            # a path such as /api/v2 would be doubled on every call: every object "not found"
            raise ValueError(
                "must be http(s)://host[:port] with no path, e.g. https://yourcompany.pipedrive.com"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL, e.g. https://gql.example.com")
        return None if value is None else value.strip()

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        value = value.strip()
        try:
            ipaddress.ip_address(value)
        except ValueError:
            if not _HOSTNAME.fullmatch(value):
                raise ValueError("must be a host name or an IP address (no port)") from None
        return value

    @field_validator("cors_origins")
    @classmethod
    def _cors(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            # a browser's Origin header is scheme://host[:port] exactly: anything else never matches
            if origin != "*" and not (_http_origin(origin) and not origin.endswith("/")):
                raise ValueError("must list origins as scheme://host[:port], no path or slash")
        return value

    @field_validator("otel_enabled")
    @classmethod
    def _otel(cls, value: bool) -> bool:
        if value and not _installed("opentelemetry.sdk"):
            raise ValueError("needs the otel extra (pip install 'pipedrive-graphql[otel]')")
        return value

    @field_validator("persisted_queries_file")
    @classmethod
    def _manifest(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        read_manifest(value.strip())  # a file that cannot be used is refused at start, not later
        return value.strip()

    @model_validator(mode="after")
    def _persisted_only_needs_a_manifest(self) -> Settings:
        if self.persisted_queries_only and self.persisted_queries_file is None:
            raise ValueError(
                "PERSISTED_QUERIES_ONLY=true needs PERSISTED_QUERIES_FILE: "
                "without a manifest every operation would be refused"
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the values passed in: `from_env` is the one place the environment is read."""
        return (init_settings,)

    @property
    def embedded(self) -> bool:
        """True when neither a token nor a base URL is set: run on the in-process emulator."""
        return self.api_token is None and self.base_url is None

    @property
    def upstream_url(self) -> str:
        """The base URL calls go to (scheme + host[:port])."""
        return (self.base_url or DEFAULT_BASE_URL).rstrip("/")

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Environment variable -> field name, for every setting."""
        return {str(info.validation_alias): name for name, info in cls.model_fields.items()}

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables (defaults for anything unset or empty).

        Raises ConfigError with one line per refused variable, naming it and what it takes.
        """
        values = _Environment(cls, os.environ if env is None else env)()
        try:
            return cls(**values)
        except ValidationError as error:
            raise ConfigError("; ".join(_describe(cls, e) for e in error.errors())) from None


class _Environment(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping (os.environ by default)."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        super().__init__(settings_cls, case_sensitive=True)
        # surrounding whitespace (a trailing newline from a secrets file) is never meant
        self.env_vars = {k: v.strip() for k, v in env.items() if v.strip()}


_EXPECTED: dict[str, str] = {
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_type": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
}


def _describe(settings_cls: type[Settings], error: ErrorDetails) -> str:
    """`PORT must be at most 65535; got '99999'`: the variable, what it takes, what it got."""
    ctx: dict[str, Any] = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
    if not error["loc"]:
        return str(ctx.get("error", error["msg"]))  # a rule over several variables names them
    name = str(error["loc"][0])  # the field name, or its variable when read from the environment
    name = settings_cls.variables().get(name, name)
    field = settings_cls.model_fields.get(name)
    variable = str(field.validation_alias) if field is not None else name
    if error["type"] == "value_error":
        expected = str(ctx.get("error", error["msg"]))
    elif error["type"] in ("float_parsing", "float_type") and field and field.description:
        expected = f"must be a number of {field.description}"
    else:
        expected = _EXPECTED.get(error["type"], error["msg"]).format(**ctx)
    if variable in settings_cls.SECRET_VARIABLES:
        return f"{variable} {expected}"
    return f"{variable} {expected}; got {error['input']!r}"


def _plain(value: object) -> object:
    """0.0 -> 0: a bound reads as the operator would write it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _installed(module: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False
