"""The command line: `pipedrive-graphql serve | emulator | schema | webhooks`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from pipedrive_graphql.logs import configure_logging
from pipedrive_graphql.server import server_config
from pipedrive_graphql.settings import DATASETS, PLANS, ConfigError, Settings

logger = logging.getLogger("pipedrive_graphql")


def _port(text: str) -> int:
    """A TCP port for argparse: a whole number in 1..65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be in 1..65535; got {text!r}")
    return port


def _milliseconds(text: str) -> float:
    """A non-negative number of milliseconds for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of milliseconds >= 0; got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pipedrive-graphql", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the GraphQL server")
    serve.add_argument("--host", default=None, help="bind address (default $HOST or 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=None, help="port (default $PORT or 8000)")
    emulator = commands.add_parser("emulator", help="run the Pipedrive emulator standalone")
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=_port, default=8100)
    emulator.add_argument("--dataset", default="demo", choices=DATASETS)
    emulator.add_argument("--latency-ms", type=_milliseconds, default=0.0)
    emulator.add_argument("--token", default=None, help="accept only this credential")
    emulator.add_argument("--rate-limit", default=None, choices=PLANS, help="burst preset")
    emulator.add_argument(
        "--lenient",
        action="store_true",
        help="accept requests the Pipedrive spec refuses (default: 400, or EMULATOR_STRICT)",
    )
    commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    webhooks = commands.add_parser(
        "webhooks", help="register or remove this server's Pipedrive webhooks (PUBLIC_URL)"
    )
    webhooks.add_argument("action", choices=["register", "unregister"])
    webhooks.add_argument("--token", default=None, help="Pipedrive token (default: the server's)")
    return parser


def startup_banner(settings: Settings, host: str, port: int) -> list[str]:
    """The first log lines: where the data comes from and where GraphiQL is."""
    url = f"http://{host}:{port}/graphql"
    if settings.embedded:
        return [
            f"DEMO DATA: no PIPEDRIVE_API_TOKEN is set, so pipedrive-graphql serves the "
            f"'{settings.embedded_dataset}' dataset of its embedded Pipedrive emulator, "
            "not a real account",
            "to use your Pipedrive account: PIPEDRIVE_API_TOKEN=your-token "
            "PIPEDRIVE_BASE_URL=https://yourcompany.pipedrive.com pipedrive-graphql serve",
            f"GraphiQL at {url}",
        ]
    return [f"pipedrive-graphql upstream {settings.upstream_url} - GraphiQL at {url}"]


def serve(host: str | None, port: int | None) -> None:
    """Run the server under uvicorn with the app factory."""
    import uvicorn

    settings = Settings.from_env()
    bind_host = host or settings.host
    bind_port = port if port is not None else settings.port
    configure_logging(settings.log_level, settings.log_format)
    for line in startup_banner(settings, bind_host, bind_port):
        # a warning: demo data where real data was expected must show at any log level
        logger.log(logging.WARNING if settings.embedded else logging.INFO, line)
    uvicorn.Server(server_config(settings, bind_host, bind_port)).run()


def webhooks(action: str, token: str | None) -> int:
    """Register or remove the webhooks; prints one line per webhook, 2 on a configuration error."""
    import asyncio

    from pipedrive_graphql.errors import GatewayError
    from pipedrive_graphql.live.registration import run

    try:
        outcomes = asyncio.run(run(action, Settings.from_env(), token))
    except ConfigError as error:
        sys.stderr.write(f"pipedrive-graphql: configuration error: {error}\n")
        return 2
    except GatewayError as error:
        sys.stderr.write(f"pipedrive-graphql: Pipedrive refused: {error.message}\n")
        return 1
    for outcome in outcomes:
        sys.stdout.write(outcome.line() + "\n")
    if not outcomes:
        sys.stdout.write("no webhooks of this server were registered\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `pipedrive-graphql` command."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        from pipedrive_graphql.schema import build_schema

        sys.stdout.write(str(build_schema()) + "\n")
        return 0
    if args.command == "webhooks":
        return webhooks(args.action, args.token)
    if args.command == "serve":
        try:
            serve(args.host, args.port)
        except ConfigError as error:
            sys.stderr.write(f"pipedrive-graphql: configuration error: {error}\n")
            return 2
        return 0
    try:
        # only the emulator's own variable: the server's settings do not concern it
        strict = Settings.from_env(_only("EMULATOR_STRICT")).emulator_strict
    except ConfigError as error:
        sys.stderr.write(f"pipedrive-graphql: configuration error: {error}\n")
        return 2
    from pipedrive_graphql.emulator.cli import run_emulator

    run_emulator(
        host=args.host,
        port=args.port,
        dataset=args.dataset,
        latency_ms=args.latency_ms,
        token=args.token or os.environ.get("EMULATOR_TOKEN"),
        rate_limit=args.rate_limit,
        strict=not args.lenient and strict,
    )
    return 0


def _only(*names: str) -> dict[str, str]:
    return {name: os.environ[name] for name in names if name in os.environ}
