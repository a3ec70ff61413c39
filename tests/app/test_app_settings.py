"""Environment variables become settings; the upstream pool follows UPSTREAM_CLIENT."""

from __future__ import annotations

import httpx
import pytest

from pipedrive_graphql import cli
from pipedrive_graphql.app import default_transport
from pipedrive_graphql.datasources.pipedrive.transport import AiohttpUpstreamTransport
from pipedrive_graphql.datasources.resilience.governor import PLAN_BURST_LIMITS
from pipedrive_graphql.emulator.datasets import load_dataset
from pipedrive_graphql.settings import DATASETS, PLANS, ConfigError, Settings


def test_defaults_use_aiohttp_under_httpx() -> None:
    settings = Settings.from_env({})
    assert settings.upstream_client == "aiohttp"
    assert isinstance(default_transport(settings), AiohttpUpstreamTransport)


def test_httpx_pool_can_be_chosen() -> None:
    settings = Settings.from_env({"UPSTREAM_CLIENT": " HTTPX ", "UPSTREAM_POOL_SIZE": "8"})
    assert settings.upstream_client == "httpx"
    assert settings.pool_size == 8
    transport = default_transport(settings)
    assert isinstance(transport, httpx.AsyncHTTPTransport)


def test_unknown_client_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="UPSTREAM_CLIENT must be one of aiohttp, httpx"):
        Settings.from_env({"UPSTREAM_CLIENT": "requests"})


def test_values_are_read_typed_and_canonical() -> None:
    settings = Settings.from_env(
        {
            "PIPEDRIVE_API_TOKEN": "tok-123\n",  # as read from a secrets file
            "PORT": "9000",
            "REQUEST_DEADLINE": "2.5",
            "LOG_LEVEL": "debug",
            "LOG_FORMAT": "TEXT",
            "PIPEDRIVE_PLAN": "Premium",
            "BATCHING": "off",
            "OTEL_ENABLED": "yes",
            "HOST": "",  # empty: the default
        }
    )
    assert settings.api_token is not None
    assert settings.api_token.reveal() == "tok-123"
    assert (settings.port, settings.request_deadline) == (9000, 2.5)
    assert (settings.log_level, settings.log_format, settings.plan) == ("DEBUG", "text", "premium")
    assert (settings.batching, settings.otel_enabled) == (False, True)
    assert settings.host == "127.0.0.1"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PORT", "eighty", "PORT must be a whole number; got 'eighty'"),
        ("UPSTREAM_READ_TIMEOUT", "30s", "UPSTREAM_READ_TIMEOUT must be a number of seconds"),
        ("BATCHING", "ture", "BATCHING must be true or false; got 'ture'"),
        ("PIPEDRIVE_PLAN", "gold", "PIPEDRIVE_PLAN must be one of lite, growth, premium"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be one of json, text"),
        ("EMULATOR_DATASET", "huge", "EMULATOR_DATASET must be one of demo, target, large"),
    ],
)
def test_a_bad_value_names_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({name: value})


def test_plans_are_the_governors_presets() -> None:
    assert set(PLANS) == set(PLAN_BURST_LIMITS)


def test_datasets_are_the_emulators() -> None:
    with pytest.raises(ValueError, match="choose from") as refused:
        load_dataset("no-such-dataset")
    assert str(refused.value).endswith("choose from " + ", ".join(DATASETS))


def test_serve_refuses_bad_configuration_with_exit_code_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("UPSTREAM_POOL_SIZE", "many")
    assert cli.main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "pipedrive-graphql: configuration error: "
        "UPSTREAM_POOL_SIZE must be a whole number; got 'many'\n"
    )
