"""The command line: `pipedrive-graphql serve | emulator | schema`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from pipedrive_graphql.logs import configure_logging
from pipedrive_graphql.server import server_config
from pipedrive_graphql.settings import ConfigError, Settings

logger = logging.getLogger("pipedrive_graphql")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pipedrive-graphql", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the GraphQL server")
    serve.add_argument("--host", default=None, help="bind address (default $HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default $PORT or 8000)")
    emulator = commands.add_parser("emulator", help="run the Pipedrive emulator standalone")
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=8100)
    emulator.add_argument("--dataset", default="demo", help="demo | large | target | empty")
    emulator.add_argument("--latency-ms", type=float, default=0.0)
    emulator.add_argument("--token", default=None, help="accept only this credential")
    emulator.add_argument("--rate-limit", default=None, help="burst preset: lite|growth|...")
    emulator.add_argument(
        "--lenient",
        action="store_true",
        help="accept requests the Pipedrive spec refuses (default: 400, or EMULATOR_STRICT)",
    )
    commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    return parser


def startup_banner(settings: Settings, host: str, port: int) -> str:
    """The first log line: where the data comes from and where GraphiQL is."""
    url = f"http://{host}:{port}/graphql"
    if settings.embedded:
        return (
            f"pipedrive-graphql on the embedded Pipedrive emulator ({settings.embedded_dataset} "
            f"dataset; set PIPEDRIVE_API_TOKEN for the real API) - GraphiQL at {url}"
        )
    return f"pipedrive-graphql upstream {settings.upstream_url} - GraphiQL at {url}"


def serve(host: str | None, port: int | None) -> None:
    """Run the server under uvicorn with the app factory."""
    import uvicorn

    settings = Settings.from_env()
    bind_host = host or settings.host
    bind_port = port if port is not None else settings.port
    configure_logging(settings.log_level, settings.log_format)
    logger.info(startup_banner(settings, bind_host, bind_port))
    uvicorn.Server(server_config(settings, bind_host, bind_port)).run()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `pipedrive-graphql` command."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        from pipedrive_graphql.schema import build_schema

        sys.stdout.write(str(build_schema()) + "\n")
        return 0
    if args.command == "serve":
        try:
            serve(args.host, args.port)
        except ConfigError as error:
            sys.stderr.write(f"pipedrive-graphql: configuration error: {error}\n")
            return 2
        return 0
    from pipedrive_graphql.emulator.cli import run_emulator

    run_emulator(
        host=args.host,
        port=args.port,
        dataset=args.dataset,
        latency_ms=args.latency_ms,
        token=args.token or os.environ.get("EMULATOR_TOKEN"),
        rate_limit=args.rate_limit,
        strict=not args.lenient and Settings.from_env().emulator_strict,
    )
    return 0
