"""Everything one `make bench` run measured, filled by the phases and read by the report."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.accounting import Minimum, Plan
from bench.analytics import AnalyticsCost
from bench.direct import DirectComparison
from bench.http_handler import HandlerComparison
from bench.loadgen import LoadResult
from bench.memory_plateau import MemoryPlateau
from bench.persons_overview import CpuPairs
from bench.profile import ProfileSummary
from bench.replicas import ReplicaRun
from bench.scenarios import Scenario
from bench.throughput import ScenarioRuns
from bench.transports import TransportComparison
from bench.upstream import Measured, UpstreamCount


@dataclass
class ScenarioResult:
    """One scenario: upstream economy and speed, with batching on and off, 0 and 50 ms."""

    scenario: Scenario
    on: Measured | None = None
    off: Measured | None = None
    naive: Plan | None = None
    minimum: Minimum | None = None
    runs_on: ScenarioRuns | None = None
    runs_off: ScenarioRuns | None = None
    runs_on_50: ScenarioRuns | None = None
    runs_off_50: ScenarioRuns | None = None
    on_50: Measured | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class LoadRun:
    """The load run: 32 clients, the dashboard, the emulator's burst limits on."""

    plan: str
    result: LoadResult
    upstream: UpstreamCount
    answered_200: int


@dataclass
class GeneratorCheck:
    """The load generator's ceiling against a trivial socket server."""

    rps_by_concurrency: dict[int, float] = field(default_factory=dict)
    cpu_share_by_concurrency: dict[int, float] = field(default_factory=dict)


@dataclass
class Machine:
    """Where the numbers were taken."""

    nproc: int
    cpu_model: str
    python: str
    platform: str
    commit: str

    @classmethod
    def detect(cls) -> Machine:
        """Read nproc, /proc/cpuinfo, the interpreter and the git commit."""
        model = "unknown"
        cpuinfo = Path("/proc/cpuinfo")
        if cpuinfo.exists():
            for line in cpuinfo.read_text().splitlines():
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
        except OSError:
            commit = ""
        return cls(
            nproc=len(os.sched_getaffinity(0)),
            cpu_model=model,
            python=sys.version.split()[0],
            platform=platform.platform(),
            commit=commit or "unknown",
        )


@dataclass
class Results:
    """The whole run."""

    machine: Machine
    command: str
    seconds_per_run: float
    scenarios: dict[str, ScenarioResult] = field(default_factory=dict)
    generator: GeneratorCheck | None = None
    load_run: LoadRun | None = None
    large: dict[str, Any] | None = None
    analytics: list[AnalyticsCost] = field(default_factory=list)
    direct: DirectComparison | None = None
    transports: TransportComparison | None = None
    profiles: list[ProfileSummary] = field(default_factory=list)
    replicas: list[ReplicaRun] = field(default_factory=list)
    handler: HandlerComparison | None = None
    memory: MemoryPlateau | None = None
    cpu_pairs: CpuPairs | None = None
    failures: list[str] = field(default_factory=list)
    phase_seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0
    started_at: str = ""

    def scenario(self, scenario: Scenario) -> ScenarioResult:
        """The result slot of a scenario (created on first use)."""
        if scenario.key not in self.scenarios:
            self.scenarios[scenario.key] = ScenarioResult(scenario)
        return self.scenarios[scenario.key]
