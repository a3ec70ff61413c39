"""Settings that cannot work are refused: `serve` exits 2 with one line naming the variable.

Every variable of the settings model has at least one bad value below; a variable added without
one fails `test_every_variable_has_a_bad_value`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import uvicorn
from pydantic import ValidationError

from pipedrive_graphql import cli
from pipedrive_graphql.settings import ConfigError, Settings
from tests.production.server_process import embedded_env

QUERY = "{ pipelines { results { id } } }"
# (variable, bad value, what the message must say); {tmp} is a scratch directory
BAD_VALUES: list[tuple[str, str, str]] = [
    ("PIPEDRIVE_API_TOKEN", "tok en", "must be printable ASCII without spaces"),
    ("WEBHOOK_USERNAME", "hook user", "must be printable ASCII without spaces"),
    ("WEBHOOK_PASSWORD", "pass word", "must be printable ASCII without spaces"),
    ("PUBLIC_URL", "gql.example.com", "must be an http(s) URL"),
    ("PIPEDRIVE_API_TOKEN", "t\u00e9k", "must be printable ASCII without spaces"),
    ("PIPEDRIVE_BASE_URL", "yourcompany.pipedrive.com", "must be http(s)://host[:port]"),
    ("PIPEDRIVE_BASE_URL", "ftp://yourcompany.pipedrive.com", "must be http(s)://host[:port]"),
    ("PIPEDRIVE_BASE_URL", "https://yourcompany.pipedrive.com/api/v2", "with no path"),
    ("PIPEDRIVE_BASE_URL", "https://x.pipedrive.com:99999", "must be http(s)://host[:port]"),
    ("HOST", "0.0.0.0:8000", "must be a host name or an IP address (no port)"),
    ("PORT", "99999", "must be at most 65535; got '99999'"),
    ("PORT", "-1", "must be at least 1; got '-1'"),
    ("PORT", "eighty", "must be a whole number; got 'eighty'"),
    ("LOG_LEVEL", "loud", "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("EMULATOR_DATASET", "nonexistent", "must be one of demo, target, large, empty"),
    ("UPSTREAM_CONNECT_TIMEOUT", "0", "must be greater than 0; got '0'"),
    ("UPSTREAM_READ_TIMEOUT", "-5", "must be greater than 0; got '-5'"),
    ("UPSTREAM_READ_TIMEOUT", "30s", "must be a number of seconds; got '30s'"),
    ("REQUEST_DEADLINE", "0", "must be greater than 0; got '0'"),
    ("REQUEST_DEADLINE", "inf", "must be a finite number; got 'inf'"),
    ("UPSTREAM_POOL_SIZE", "0", "must be at least 1; got '0'"),
    ("UPSTREAM_POOL_SIZE", "many", "must be a whole number; got 'many'"),
    ("UPSTREAM_CLIENT", "requests", "must be one of aiohttp, httpx; got 'requests'"),
    ("BATCHING", "ture", "must be true or false; got 'ture'"),
    ("COST_EXTENSION", "maybe", "must be true or false"),
    ("MAX_QUERY_DEPTH", "0", "must be at least 1; got '0'"),
    ("MAX_QUERY_ALIASES", "-1", "must be at least 1"),
    ("MAX_QUERY_TOKENS", "0", "must be at least 1"),
    ("MAX_UPSTREAM_CALLS", "0", "must be at least 1"),
    ("MAX_PIPEDRIVE_TOKENS", "-10", "must be at least 1"),
    ("REFERENCE_CACHE_TTL", "-1", "must be at least 0"),
    ("ALLOW_REQUEST_CREDENTIALS", "sometimes", "must be true or false"),
    ("CORS_ORIGINS", "app.example.com", "must list origins as scheme://host[:port]"),
    ("CORS_ORIGINS", "https://app.example.com/", "no path or slash"),
    ("PIPEDRIVE_PLAN", "gold", "must be one of lite, growth, premium, ultimate"),
    ("GC_TUNING", "2", "must be true or false"),
    ("LOG_FORMAT", "xml", "must be one of json, text"),
    ("OTEL_ENABLED", "maybe", "must be true or false"),
    ("APQ_CACHE_SIZE", "0", "must be at least 1"),
    ("PERSISTED_QUERIES_ONLY", "true", "=true needs PERSISTED_QUERIES_FILE"),
    ("PERSISTED_QUERIES_FILE", "{tmp}/missing.json", "must name a readable file"),
    ("PERSISTED_QUERIES_FILE", "{tmp}/not-json.json", "this one is not JSON"),
    ("PERSISTED_QUERIES_FILE", "{tmp}/list.json", "must be a JSON object {sha256: query}"),
    ("PERSISTED_QUERIES_FILE", "{tmp}/mismatch.json", "that is not its query's SHA-256"),
    ("BREAKER_FAILURE_RATE", "1.5", "must be at most 1"),
    ("BREAKER_FAILURE_RATE", "0", "must be greater than 0"),
    ("BREAKER_MIN_CALLS", "0", "must be at least 1"),
    ("BREAKER_WINDOW", "0", "must be greater than 0"),
    ("BREAKER_COOL_DOWN", "-1", "must be greater than 0"),
    ("UPSTREAM_MAX_ATTEMPTS", "0", "must be at least 1"),
    ("RETRY_MIN_TIME", "-1", "must be at least 0"),
    ("EMULATOR_STRICT", "strictly", "must be true or false; got 'strictly'"),
    ("REDIS_URL", "localhost:6379", "must be a redis://, rediss:// or unix:// URL"),
    ("REDIS_URL", "http://:secret-password@localhost:6379", "(the value is not shown)"),
    ("REDIS_URL", "redis://:secret-password@127.0.0.1:6379/abc", "its database by number"),
    ("REDIS_URL", "redis://127.0.0.1:6379/\u0663", "its database by number"),
    ("REDIS_URL", "redis://127.0.0.1:6379/?db=x", "its database by number"),
    ("REDIS_URL", "redis://127.0.0.1:6379/0?socket_timeout=soon", "use only valid options"),
    ("REDIS_TIMEOUT", "0", "must be greater than 0"),
    ("CURSOR_MAX_AGE", "-1", "must be greater than 0"),
    ("DAILY_PROBE_INTERVAL", "0", "must be greater than 0"),
    ("MAX_BODY_BYTES", "0", "must be at least 1"),
    ("MAX_BODY_BYTES", "1MB", "must be a whole number; got '1MB'"),
    ("BODY_READ_TIMEOUT", "0", "must be greater than 0"),
    ("HEADER_READ_TIMEOUT", "-1", "must be greater than 0"),
    ("MAX_HEADER_BYTES", "0", "must be at least 1"),
    ("KEEP_ALIVE_TIMEOUT", "0", "must be at least 1"),
    ("MAX_CONNECTIONS", "0", "must be at least 1"),
    ("MAX_SUBSCRIPTION_CONNECTIONS", "0", "must be at least 1"),
    ("MAX_SUBSCRIPTION_CONNECTIONS", "many", "must be a whole number"),
    ("DOCUMENT_CACHE_SIZE", "-1", "must be at least 1"),
    ("DOCUMENT_CACHE_BYTES", "0", "must be at least 1"),
    ("CUSTOM_FIELDS_REFRESH_INTERVAL", "-30", "must be at least 0"),
    ("CUSTOM_FIELDS_REFRESH_INTERVAL", "30s", "must be a number of seconds"),
]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """Manifests that cannot be used: not JSON, a list, a hash that is not the query's."""
    (tmp_path / "not-json.json").write_text("nope")
    (tmp_path / "list.json").write_text(json.dumps([QUERY]))
    (tmp_path / "mismatch.json").write_text(json.dumps({"0" * 64: QUERY}))
    return tmp_path


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No setting of the test process's own environment leaks in; serving at all is a failure."""
    for variable in Settings.variables():
        monkeypatch.delenv(variable, raising=False)

    def refuse_to_serve(*args: object, **kwargs: object) -> None:
        raise AssertionError("serve started with a value it should have refused")

    monkeypatch.setattr(uvicorn, "run", refuse_to_serve)
    monkeypatch.setattr(uvicorn.Server, "run", refuse_to_serve)
    return monkeypatch


def test_every_variable_has_a_bad_value() -> None:
    assert {variable for variable, _, _ in BAD_VALUES} == set(Settings.variables())


@pytest.mark.parametrize(("variable", "value", "expected"), BAD_VALUES)
def test_serve_refuses_a_bad_value_with_one_line_and_exit_code_2(
    variable: str,
    value: str,
    expected: str,
    scratch: Path,
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean_env.setenv(variable, value.replace("{tmp}", str(scratch)))
    assert cli.main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"pipedrive-graphql: configuration error: {variable}")
    assert expected in err
    if variable in Settings.SECRET_VARIABLES:
        assert value not in err
        assert "secret-password" not in err


@pytest.mark.parametrize(
    ("variable", "value", "field", "parsed"),
    [
        ("PORT", "1", "port", 1),
        ("PORT", "65535", "port", 65535),
        (
            "PIPEDRIVE_BASE_URL",
            " https://acme.pipedrive.com/ ",
            "base_url",
            "https://acme.pipedrive.com/",
        ),
        ("PIPEDRIVE_BASE_URL", "http://127.0.0.1:8100", "base_url", "http://127.0.0.1:8100"),
        ("HOST", "::1", "host", "::1"),
        ("HOST", "0.0.0.0", "host", "0.0.0.0"),
        ("CORS_ORIGINS", "*", "cors_origins", ("*",)),
        (
            "CORS_ORIGINS",
            "https://a.example, http://localhost:3000",
            "cors_origins",
            ("https://a.example", "http://localhost:3000"),
        ),
        ("REFERENCE_CACHE_TTL", "0", "reference_cache_ttl", 0.0),
        ("RETRY_MIN_TIME", "0", "retry_min_time", 0.0),
        ("BREAKER_FAILURE_RATE", "1", "breaker_failure_rate", 1.0),
    ],
)
def test_values_at_the_edges_are_accepted(
    variable: str, value: str, field: str, parsed: object
) -> None:
    assert getattr(Settings.from_env({variable: value}), field) == parsed


def test_a_valid_manifest_is_accepted_and_persisted_only_works_with_it(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({hashlib.sha256(QUERY.encode()).hexdigest(): QUERY}))
    settings = Settings.from_env(
        {"PERSISTED_QUERIES_FILE": str(manifest), "PERSISTED_QUERIES_ONLY": "true"}
    )
    assert settings.persisted_queries_file == str(manifest)
    assert settings.persisted_queries_only


def test_settings_built_in_code_are_validated_too() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 65535"):
        Settings(port=99999)
    with pytest.raises(ValidationError, match="with no path"):
        Settings(base_url="http://emulator/api/v2")


def test_several_bad_values_are_named_on_one_line() -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"PORT": "0", "MAX_QUERY_DEPTH": "0"})
    message = str(refused.value)
    assert "\n" not in message
    assert (
        message == "PORT must be at least 1; got '0'; MAX_QUERY_DEPTH must be at least 1; got '0'"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["emulator", "--dataset", "nonexistent"],
            "argument --dataset: invalid choice: 'nonexistent'",
        ),
        (["emulator", "--rate-limit", "bogus"], "argument --rate-limit: invalid choice: 'bogus'"),
        (["emulator", "--port", "99999"], "argument --port: must be in 1..65535; got '99999'"),
        (
            ["emulator", "--latency-ms", "-5"],
            "argument --latency-ms: must be a number of milliseconds",
        ),
        (["serve", "--port", "-1"], "argument --port: must be in 1..65535; got '-1'"),
    ],
)
def test_bad_command_line_arguments_exit_2_with_a_clear_error(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_the_real_process_exits_2_without_a_traceback() -> None:
    command = [sys.executable, "-m", "pipedrive_graphql", "serve"]
    env = embedded_env(PORT="99999")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == (
        "pipedrive-graphql: configuration error: PORT must be at most 65535; got '99999'\n"
    )
