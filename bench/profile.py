"""Profile one scenario with pyinstrument, in process, its upstream replayed from memory.

The collector runs with the server's settings (`GC_TUNING`, as `uvicorn --factory` runs it):
with Python's default thresholds the young-generation passes over the app's heap take a share
the server never pays, and every other share is skewed by it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from pyinstrument import Profiler
from pyinstrument.frame import Frame

from bench.inproc import InProcessServer, in_process_server
from bench.scenarios import Scenario
from pipedrive_graphql.app import tune_garbage_collector

PACKAGES = (
    "pipedrive_graphql",
    "strawberry",
    "graphql",
    "httpx",
    "httpcore",
    "starlette",
    "aiodataloader",
    "orjson",
    "asyncio",
)


@dataclass
class ProfileSummary:
    """Where the time went: top functions and packages by self time."""

    scenario: str
    requests: int
    ms_per_request: float
    total_seconds: float
    top_functions: list[tuple[str, float]] = field(default_factory=list)
    by_package: list[tuple[str, float]] = field(default_factory=list)
    text_path: str = ""
    html_path: str = ""


def _package(path: str) -> str:
    for name in PACKAGES:
        if f"/{name}/" in path or path.startswith(f"{name}/"):
            return name
    if "site-packages" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    return "python stdlib / other" if path else "<builtin>"


def _walk(
    frame: Frame,
    functions: dict[str, float],
    packages: dict[str, float],
    owner: tuple[str, str] = ("<root>", "<root>"),
) -> None:
    """Sum self time per function and per package; synthetic frames count for their caller."""
    path = frame.file_path or ""
    if path and not path.startswith("<") and not frame.function.startswith("["):
        owner = (f"{frame.function} ({frame.file_path_short}:{frame.line_no})", _package(path))
    if frame.total_self_time:
        functions[owner[0]] += frame.total_self_time
        packages[owner[1]] += frame.total_self_time
    for child in frame.children:
        _walk(child, functions, packages, owner)


@contextlib.contextmanager
def server_collector() -> Iterator[None]:
    """The server's collector settings inside, the process's own ones restored after."""
    thresholds = gc.get_threshold()
    tune_garbage_collector()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


async def _profile(scenario: Scenario, seconds: float) -> tuple[Profiler, int, float]:
    body = orjson.dumps(scenario.payload)
    async with in_process_server(scenario.dataset) as server:
        for _ in range(3):
            await server.post(body)  # record the upstream answers, warm the caches
        with server_collector():
            return await _sampled(server, body, seconds)


async def _sampled(
    server: InProcessServer, body: bytes, seconds: float
) -> tuple[Profiler, int, float]:
    profiler = Profiler(interval=0.0005, async_mode="enabled")
    requests = 0
    started = time.perf_counter()
    profiler.start()
    while time.perf_counter() - started < seconds:
        await server.post(body)
        requests += 1
    profiler.stop()
    return profiler, requests, time.perf_counter() - started


def _top(totals: dict[str, float], n: int) -> list[tuple[str, float]]:
    whole = sum(totals.values()) or 1.0
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)[:n]
    return [(name, t / whole) for name, t in ranked]


def run(scenario: Scenario, seconds: float, out_dir: Path) -> ProfileSummary:
    """Profile `scenario` for `seconds`; write text and HTML reports into `out_dir`."""
    profiler, requests, elapsed = asyncio.run(_profile(scenario, seconds))
    out_dir.mkdir(parents=True, exist_ok=True)
    text_path = out_dir / f"profile-{scenario.key}.txt"
    html_path = out_dir / f"profile-{scenario.key}.html"
    text_path.write_text(profiler.output_text(unicode=True, color=False))
    html_path.write_text(profiler.output_html())
    functions: dict[str, float] = defaultdict(float)
    packages: dict[str, float] = defaultdict(float)
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is not None:
        _walk(root, functions, packages)
    return ProfileSummary(
        scenario=scenario.key,
        requests=requests,
        ms_per_request=elapsed * 1000 / max(requests, 1),
        total_seconds=elapsed,
        top_functions=_top(functions, 12),
        by_package=_top(packages, 10),
        text_path=str(text_path),
        html_path=str(html_path),
    )
