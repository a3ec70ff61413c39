"""`make bench`: run every phase, stop every process, rewrite BENCHMARKS.md, print it."""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from bench import chaos, custom_fields, live, persons_overview, phases, procs
from bench.model import Machine, Results
from bench.report import render
from bench.scenarios import BOARD, DASHBOARD, PERSON_360, PERSONS_OVERVIEW, SEARCH, TRIVIAL
from bench.stack import LOGS, RESULTS

ROOT = Path(__file__).resolve().parent.parent
# Sections after this line of BENCHMARKS.md are written by hand (with their own commands).
HAND_WRITTEN = "<!-- Written by hand below: `make bench` keeps what follows as it is. -->"


def _paired(results: Results, seconds: float) -> None:
    results.cpu_pairs = persons_overview.paired_cpu(seconds)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _phase(results: Results, name: str, run: Callable[[], None]) -> None:
    started = time.perf_counter()
    print(f"[bench] {name} …", flush=True)
    try:
        run()
    except Exception as exc:  # one broken phase must not hide the others' numbers
        results.failures.append(f"{name}: {type(exc).__name__}: {exc}")
        traceback.print_exc()
    finally:
        procs.stop_all()
        results.phase_seconds[name] = time.perf_counter() - started
        print(f"[bench] {name} done in {results.phase_seconds[name]:.1f} s", flush=True)


def kept_by_hand(previous: Path, rendered: str) -> str:
    """The hand-written sections below `HAND_WRITTEN` in the previous report, as they are
    (those whose heading the new report has are its own, written again)."""
    old = previous.read_text() if previous.exists() else ""
    at = old.find(HAND_WRITTEN)
    if at < 0:
        return ""
    headings = set(re.findall(r"^## .*$", rendered, re.M))
    sections = re.split(r"(?m)^(?=## )", old[at:].rstrip("\n"))
    kept = [sections[0]] + [s for s in sections[1:] if s.splitlines()[0] not in headings]
    return "\n\n" + "".join(kept).rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; exit 1 if any phase failed (the report is written anyway)."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each load run")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    s = args.seconds
    command = "make bench" + (f"  (python -m bench.run --seconds {s:g})" if s != 3.0 else "")
    results = Results(
        machine=Machine.detect(),
        command=command,
        seconds_per_run=s,
        started_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    for old_log in LOGS.glob("*.log"):
        old_log.unlink()
    started = time.perf_counter()
    demo = (PERSON_360, BOARD, SEARCH, TRIVIAL)
    target = (DASHBOARD, PERSONS_OVERVIEW)  # the 120-deal account of the performance targets
    custom_table: list[str] = []
    try:
        _phase(results, "generator ceiling", lambda: phases.generator_ceiling(results, s))
        _phase(
            results,
            "target scenarios, 0 ms",
            lambda: phases.zero_latency(results, "target", target, s),
        )
        _phase(results, "CPU per object, paired", lambda: _paired(results, s))
        _phase(
            results, "demo scenarios, 0 ms", lambda: phases.zero_latency(results, "demo", demo, s)
        )
        _phase(
            results,
            "target scenarios, 50 ms",
            lambda: phases.fifty_ms(results, "target", target, s),
        )
        _phase(
            results, "demo scenarios, 50 ms", lambda: phases.fifty_ms(results, "demo", demo[:3], s)
        )
        _phase(results, "upstream pools", lambda: phases.upstream_pools(results, s))
        _phase(results, "rate-limited load run", lambda: phases.rate_limited_load(results, 3 * s))
        _phase(results, "replicas sharing Redis", lambda: phases.replicas(results, 10 * s))
        _phase(results, "large dataset build", lambda: phases.large_dataset(results))
        _phase(results, "pipeline dashboard", lambda: phases.pipeline_dashboard(results))
        _phase(results, "graphql-core baseline", lambda: phases.direct_comparison(results, s))
        _phase(results, "http handler", lambda: phases.handler_comparison(results, s))
        _phase(results, "profile", lambda: phases.profile_slowest(results, 2 * s, RESULTS))
        _phase(results, "upstream faults and chaos", lambda: chaos.write_section(10 * s))
        _phase(results, "memory plateau", lambda: phases.memory_plateau(results))
        _phase(results, "custom fields", lambda: custom_table.append(custom_fields.run(s)))
        _phase(results, "live updates", lambda: live.write_section())
    except KeyboardInterrupt:
        results.failures.append("interrupted")
        procs.stop_all()
        raise
    finally:
        procs.stop_all()
    results.total_seconds = time.perf_counter() - started
    text = render(results)
    # A failed phase must not replace the last complete tables: keep them, write beside them.
    text += kept_by_hand(args.output, text)
    output = RESULTS / "BENCHMARKS.failed.md" if results.failures else args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n")
    if custom_table:
        custom_fields.write_section(output, custom_table[0], command)
    sys.stdout.write(text + "\n")
    if results.failures:
        sys.stderr.write(f"[bench] {len(results.failures)} phase(s) failed; report in {output}\n")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
